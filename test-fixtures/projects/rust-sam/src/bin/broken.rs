fn main() {
    let x = ; // diag: syntax-error
}
