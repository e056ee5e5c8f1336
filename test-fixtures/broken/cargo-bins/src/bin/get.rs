// The first `get` binary: read. The second declaration of `get` (src/bin/other.rs) is refused.
fn main() {}
