//! The subcommands. Each returns the exit status, or the one-line reason the input is unusable.

pub mod check;
pub mod explain;
pub mod generate;
pub mod graph;

use std::io::Write;

/// Standard output, buffered, for `write` to print to. A reader that stops early (`| head`) is
/// not an error: it has what it wanted. Any other failure to write is.
pub fn to_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> Result<(), String> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(format!("cannot write the output: {e}"))
        }
        _ => Ok(()),
    }
}

/// Prints `text` to standard output, as [`to_stdout`] does.
pub fn print(text: &str) -> Result<(), String> {
    to_stdout(|out| out.write_all(text.as_bytes()))
}
