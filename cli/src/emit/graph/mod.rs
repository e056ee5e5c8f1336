//! `slz-iam graph`: the function graph with its edge kinds, as Graphviz DOT (`dot.rs`), Mermaid
//! (`mermaid.rs`) or JSON (`json.rs`).

pub mod dot;
pub mod json;
pub mod mermaid;

/// A function's name as a node id: ASCII letters, digits and `_`, not starting with a digit.
fn id(name: &str) -> String {
    let mut s: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
        .collect();
    if s.starts_with(|c: char| c.is_ascii_digit()) {
        s.insert(0, '_');
    }
    s
}
