//! Code that is not a file of the project as it lies, read through a [`SourceFs`] over the
//! project's: inline code (SAM `InlineCode`, CloudFormation `Code.ZipFile`) at a virtual path
//! beside the template, and a container image's files at virtual paths under its build context,
//! each one the context's file its Dockerfile copies there. The front-ends analyse the virtual
//! files like any other; [`Overlay::real`] maps every location back to the template's lines or
//! to the copied file, before anything is reported.

use crate::dockerfile::Dockerfile;
use slz_core::diagnostics::Location;
use slz_core::dir::{DirEntry, DirListing, EntryKind};
use slz_core::fs::{normalize, FsError, SourceFs};
use std::path::{Path, PathBuf};

/// The folder, under an image's build context, that stands for the image's root `/`. Its name
/// is no folder a project has; only the overlay answers for paths under it.
const IMAGE_ROOT: &str = "<image>";

/// What the overlay adds to the project's files.
pub enum Overlay {
    /// Inline code at `path`, whose first line is `at` in the template; `block` when its lines
    /// are the template's (else all of it is reported at `at`).
    Inline {
        path: PathBuf,
        text: String,
        at: Location,
        block: bool,
    },
    /// A container image built from `context` (a folder of the project) with `dockerfile`, read
    /// from the file `dockerfile_path`.
    Image {
        context: PathBuf,
        dockerfile: Dockerfile,
        dockerfile_path: PathBuf,
    },
}

impl Overlay {
    /// The virtual path of the inline code of `function`: in the config's folder, with the
    /// extension `ext`.
    pub fn inline_path(config: &Path, function: &str, ext: &str) -> PathBuf {
        let dir = config.parent().unwrap_or(Path::new(""));
        dir.join(format!("{function}.inline.{ext}"))
    }

    /// Inline code `text` at `path`, whose first line is at `at` in `template` (the config's
    /// text). When that line of the template holds the code's first line, as a block scalar
    /// does, each line of the code is at its own line of the template, its columns moved by the
    /// block's indentation; otherwise (a quoted string, `Fn::Join` parts) everything the code
    /// holds is placed at `at`.
    pub fn inline(path: PathBuf, text: &str, at: Location, template: &str) -> Self {
        let first = text.lines().next().unwrap_or_default();
        let line = template
            .lines()
            .nth(at.line.saturating_sub(1) as usize)
            .unwrap_or_default();
        let block = !first.trim().is_empty() && line.trim_start() == first.trim_start();
        let at = if block {
            let indent = |l: &str| l.len() - l.trim_start().len();
            let shift = indent(line).saturating_sub(indent(first));
            Location::new(
                at.file,
                at.line,
                u32::try_from(shift).unwrap_or(0).saturating_add(1),
            )
        } else {
            at
        };
        // Blank lines before the code put each of its lines at its line in the template.
        let mut padded = "\n".repeat(at.line.saturating_sub(1) as usize);
        padded.push_str(text);
        Overlay::Inline {
            path,
            text: padded,
            at,
            block,
        }
    }

    /// The file of the project the overlay is made from, besides the files it maps to: the
    /// Dockerfile of an image, the template of inline code.
    pub fn source(&self) -> &Path {
        match self {
            Overlay::Image {
                dockerfile_path, ..
            } => dockerfile_path,
            Overlay::Inline { at, .. } => &at.file,
        }
    }

    /// The virtual path of the image's file `image_path` (absolute in the image).
    pub fn image_path(&self, image_path: &str) -> Option<PathBuf> {
        match self {
            Overlay::Image { context, .. } => Some(
                context
                    .join(IMAGE_ROOT)
                    .join(image_path.trim_start_matches('/')),
            ),
            Overlay::Inline { .. } => None,
        }
    }

    /// Where a location in a virtual file really is: the template's line for inline code (its
    /// column moved by the indentation of the block), the copied file of the context for an
    /// image's file. None for a location in a file of the project itself.
    pub fn real(&self, fs: &dyn SourceFs, at: &Location) -> Option<Location> {
        match self {
            Overlay::Inline {
                path,
                at: start,
                block,
                ..
            } => (at.file == *path).then(|| {
                if *block {
                    let shift = start.column.saturating_sub(1);
                    Location::new(start.file.clone(), at.line, at.column + shift)
                } else {
                    start.clone()
                }
            }),
            Overlay::Image { .. } => {
                let file = self.copied_from(fs, &at.file)?;
                Some(Location::new(file, at.line, at.column))
            }
        }
    }

    /// The context's file an image's virtual file is copied from: the last `COPY` that puts a
    /// file of the context there (a file copied to that name or into that folder, or the file
    /// at the same place under a copied folder; `*` and `?` in a source's last part match).
    fn copied_from(&self, fs: &dyn SourceFs, virtual_path: &Path) -> Option<PathBuf> {
        let Overlay::Image {
            context,
            dockerfile,
            ..
        } = self
        else {
            return None;
        };
        let inside = virtual_path.strip_prefix(context.join(IMAGE_ROOT)).ok()?;
        let image_path = format!("/{}", inside.to_string_lossy().replace('\\', "/"));
        for copy in dockerfile.copies.iter().rev() {
            let dest = copy.dest.trim_end_matches('/');
            let rel = if image_path == dest {
                ""
            } else {
                match image_path
                    .strip_prefix(dest)
                    .and_then(|r| r.strip_prefix('/'))
                {
                    Some(rel) => rel,
                    None if dest.is_empty() => image_path.trim_start_matches('/'),
                    None => continue,
                }
            };
            for source in copy.sources.iter().rev() {
                let source = source.trim_end_matches('/');
                let source = source.strip_prefix("./").unwrap_or(source);
                let candidates: Vec<PathBuf> = if rel.is_empty() {
                    // `COPY app.py /var/task/handler.py`: the file itself.
                    (!copy.dest_is_dir)
                        .then(|| context.join(source))
                        .into_iter()
                        .collect()
                } else {
                    let (folder, last) = source.rsplit_once('/').unwrap_or(("", source));
                    let mut c = Vec::new();
                    // A folder copied: its files keep their place below the destination.
                    if !source.contains(['*', '?']) {
                        c.push(context.join(source).join(rel));
                    }
                    // A file (or files matching a pattern) copied into the destination.
                    if !rel.contains('/') && wildcard_match(last, rel) {
                        c.push(context.join(folder).join(rel));
                    }
                    c
                };
                if let Some(found) = candidates
                    .into_iter()
                    .filter_map(|c| normalize(&c))
                    .find(|c| c.starts_with(context) && fs.is_file(c))
                {
                    return Some(found);
                }
            }
        }
        None
    }
}

/// Whether `name` matches `pattern`, whose `*` stands for any run of characters and `?` for one
/// (Go's `filepath.Match`, as Docker uses it, without character classes).
fn wildcard_match(pattern: &str, name: &str) -> bool {
    let (p, n): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    // Positions to return to after a `*`: linear in practice.
    let (mut pi, mut ni) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ni < n.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == n[ni]) {
            pi += 1;
            ni += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ni;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ni = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// The project's files with the overlay's on top.
pub struct OverlayFs<'a> {
    pub inner: &'a dyn SourceFs,
    pub overlay: &'a Overlay,
}

impl SourceFs for OverlayFs<'_> {
    fn read(&self, path: &Path) -> Result<String, FsError> {
        match self.overlay {
            Overlay::Inline {
                path: own, text, ..
            } if normalize(path).as_ref() == Some(own) => Ok(text.clone()),
            Overlay::Image { .. } => match self.overlay.copied_from(self.inner, path) {
                Some(real) => self.inner.read(&real),
                None => self.inner.read(path),
            },
            Overlay::Inline { .. } => self.inner.read(path),
        }
    }

    fn is_file(&self, path: &Path) -> bool {
        match self.overlay {
            Overlay::Inline { path: own, .. } if normalize(path).as_ref() == Some(own) => true,
            Overlay::Image { .. } if self.overlay.copied_from(self.inner, path).is_some() => true,
            _ => self.inner.is_file(path),
        }
    }

    /// The project's listing, with the inline file in its folder. An image's virtual files are
    /// read by name only: nothing lists them (listings find a project's layout).
    fn list_dir(&self, path: &Path) -> Result<DirListing, FsError> {
        let inner = self.inner.list_dir(path);
        let Overlay::Inline { path: own, .. } = self.overlay else {
            return inner;
        };
        let (Some(dir), Some(name)) = (normalize(path), own.file_name()) else {
            return inner;
        };
        if own.parent().unwrap_or(Path::new("")) != dir {
            return inner;
        }
        let (mut entries, omitted) = match inner {
            Ok(l) => (l.entries, l.omitted),
            Err(FsError::NotFound) => (Vec::new(), 0),
            Err(e) => return Err(e),
        };
        entries.push(DirEntry::new(name.to_string_lossy(), EntryKind::File));
        let mut listing = DirListing::new(entries);
        listing.omitted += omitted;
        Ok(listing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use slz_core::fs::MemFs;

    #[test]
    fn the_inline_file_is_listed_in_its_folder() {
        let fs = MemFs::new([("template.yaml", "Resources: {}\n"), ("src/app.py", "")]);
        let overlay = Overlay::Inline {
            path: PathBuf::from("inline.py"),
            text: "def handler(e, c):\n    return 1\n".into(),
            at: Location::new("template.yaml", 1, 1),
            block: false,
        };
        let ofs = OverlayFs {
            inner: &fs,
            overlay: &overlay,
        };
        let names = |p: &str| -> Vec<String> {
            ofs.list_dir(Path::new(p))
                .unwrap()
                .entries
                .into_iter()
                .map(|e| e.name)
                .collect()
        };
        assert_eq!(names(""), ["inline.py", "src", "template.yaml"]);
        assert_eq!(names("src"), ["app.py"]);
        assert_eq!(ofs.list_dir(Path::new("none")), Err(FsError::NotFound));
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_match("*.py", "models.py"));
        assert!(wildcard_match("a?c", "abc"));
        assert!(!wildcard_match("*.py", "models.js"));
        assert!(wildcard_match("app.py", "app.py"));
    }

    #[test]
    fn image_files_come_from_what_the_dockerfile_copies() {
        let fs = MemFs::new([
            ("src/api/app.py", "import models\n"),
            ("src/shared/models.py", "X = 1\n"),
            ("src/shared/notes.txt", ""),
        ]);
        let dockerfile = crate::dockerfile::parse(
            "FROM public.ecr.aws/lambda/python:3.12\nCOPY api/app.py ${LAMBDA_TASK_ROOT}\n\
             COPY shared/*.py ${LAMBDA_TASK_ROOT}/\nCMD [\"app.handler\"]\n",
        );
        let overlay = Overlay::Image {
            context: PathBuf::from("src"),
            dockerfile,
            dockerfile_path: PathBuf::from("src/Dockerfile"),
        };
        let ofs = OverlayFs {
            inner: &fs,
            overlay: &overlay,
        };
        let app = overlay.image_path("/var/task/app.py").unwrap();
        let models = overlay.image_path("/var/task/models.py").unwrap();
        assert_eq!(ofs.read(&app).unwrap(), "import models\n");
        assert!(ofs.is_file(&models));
        assert!(!ofs.is_file(&overlay.image_path("/var/task/notes.txt").unwrap()));
        let at = overlay.real(&fs, &Location::new(models, 1, 1)).unwrap();
        assert_eq!(at.file, Path::new("src/shared/models.py"));
    }
}
