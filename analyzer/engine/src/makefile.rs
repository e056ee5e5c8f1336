//! What a SAM `BuildMethod: makefile` build makes: `sam build` runs the Makefile's target
//! `build-<LogicalId>` in the function's code folder. Its recipe's commands say the language:
//! `cargo lambda build` or `cargo build` (Rust, with the binary `--bin` names), `go build` (Go).
//! Only the recipe lines of that target are read; variables and included files are not.

/// What the target builds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Build {
    /// A Rust binary, named when a `--bin` says which.
    Rust(Option<String>),
    /// A Go program.
    Go,
    /// The Makefile has the target, but none of its commands is a build this knows.
    Other,
    /// The Makefile has no such target.
    NoTarget,
}

/// What the target `build-<logical_id>` of the Makefile `text` builds.
pub fn build(text: &str, logical_id: &str) -> Build {
    let target = format!("build-{logical_id}");
    let mut in_target = false;
    let mut found = false;
    let mut recipe = Vec::new();
    for line in text.lines() {
        if let Some(command) = line.strip_prefix('\t') {
            if in_target {
                recipe.push(command.trim().to_string());
            }
            continue;
        }
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        // A rule line: `target another: prerequisites`.
        in_target = line
            .split_once(':')
            .filter(|(_, after)| !after.starts_with('='))
            .is_some_and(|(targets, _)| targets.split_whitespace().any(|t| t == target));
        found |= in_target;
    }
    if !found {
        return Build::NoTarget;
    }
    for command in &recipe {
        let words: Vec<&str> = command.split_whitespace().collect();
        let has = |a: &str, b: &str| words.windows(2).any(|w| w[0] == a && w[1] == b);
        if has("cargo", "lambda") || has("cargo", "build") {
            let bin = words
                .iter()
                .position(|w| *w == "--bin")
                .and_then(|i| words.get(i + 1))
                .map(|b| b.to_string())
                .or_else(|| {
                    words
                        .iter()
                        .find_map(|w| w.strip_prefix("--bin="))
                        .map(str::to_string)
                });
            return Build::Rust(bin);
        }
        if has("go", "build") {
            return Build::Go;
        }
    }
    Build::Other
}

#[cfg(test)]
mod tests {
    use super::*;

    const MAKEFILE: &str = "\
.PHONY: build-Orders build-Poller

# Rust, with cargo-lambda
build-Orders:
\tcargo lambda build --release --bin orders
\tcp ./target/lambda/orders/bootstrap $(ARTIFACTS_DIR)

build-Poller build-Other:
\tGOOS=linux go build -o $(ARTIFACTS_DIR)/bootstrap ./cmd/poller

build-Docs:
\techo nothing
";

    #[test]
    fn reads_the_target_of_the_function() {
        assert_eq!(
            build(MAKEFILE, "Orders"),
            Build::Rust(Some("orders".into()))
        );
        assert_eq!(build(MAKEFILE, "Poller"), Build::Go);
        assert_eq!(build(MAKEFILE, "Other"), Build::Go);
        assert_eq!(build(MAKEFILE, "Docs"), Build::Other);
        assert_eq!(build(MAKEFILE, "Missing"), Build::NoTarget);
        assert_eq!(
            build("build-A:\n\tcargo build --release\n", "A"),
            Build::Rust(None)
        );
    }
}
