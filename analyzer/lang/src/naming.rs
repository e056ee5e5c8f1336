//! How SDKs spell operation and member names across languages.

/// CamelCase -> snake_case (waiter names, Rust fluent builders) (`BucketExists` -> `bucket_exists`).
pub fn snake(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}
