//! The documentation stays true: paths named in ARCHITECTURE.md exist, and every diagnostic code
//! is documented in the README's pointer (`slz-iam explain --codes`).

use std::path::Path;

#[test]
fn architecture_paths_exist() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut checked = 0;
    for (i, chunk) in text.split('`').enumerate() {
        let is_code = i % 2 == 1;
        let looks_like_path =
            chunk.contains('/') && !chunk.contains(' ') && !chunk.starts_with("${");
        if is_code
            && looks_like_path
            && (chunk.starts_with("analyzer/")
                || chunk.starts_with("cli/")
                || chunk.starts_with("rules/")
                || chunk.starts_with("test-fixtures/"))
        {
            assert!(
                root.join(chunk).exists(),
                "ARCHITECTURE.md names `{chunk}`, which does not exist"
            );
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} paths checked");
}

#[test]
fn every_module_has_a_doc_comment() {
    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    walk(&root.join("analyzer"), &mut files);
    walk(&root.join("cli/src"), &mut files);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(
            text.starts_with("//!"),
            "{} does not start with a //! doc",
            f.display()
        );
    }
}
