//! The server's stdio transport: `Content-Length` framed JSON-RPC, read with bounds (the length
//! of a message, the length and number of its header lines), so a client cannot make the server
//! allocate without limit; a malformed message is reported on stderr by a short fixed line,
//! never echoed.

use lsp_server::{Connection, Message};
use std::io::{BufRead, Read, Write};

/// The largest message body accepted.
pub const MAX_CONTENT_LENGTH: usize = 64 << 20;
/// The longest header line accepted, line break included.
pub const MAX_HEADER_LINE: usize = 1024;
/// The most header lines one message may have.
pub const MAX_HEADERS: usize = 16;

/// Why reading stopped.
#[derive(Debug, PartialEq, Eq)]
pub enum Stop {
    /// The input ended between two messages.
    End,
    /// The framing is broken: the rest of the input cannot be read as messages.
    Broken(&'static str),
}

/// What one read gave.
#[derive(Debug)]
pub enum Read1 {
    Message(Message),
    /// A well-framed body that is not a JSON-RPC message: skipped.
    Invalid,
}

/// One header line, at most [`MAX_HEADER_LINE`] bytes, without its line break; `None` at the end
/// of the input before any byte.
fn header_line(r: &mut impl BufRead) -> Result<Option<Vec<u8>>, Stop> {
    let mut line = Vec::new();
    let n = r
        .by_ref()
        .take(MAX_HEADER_LINE as u64)
        .read_until(b'\n', &mut line)
        .map_err(|_| Stop::Broken("could not read a message header"))?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') {
        return Err(if n >= MAX_HEADER_LINE {
            Stop::Broken("a message header line is too long")
        } else {
            Stop::Broken("the input ended inside a message header")
        });
    }
    line.pop();
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    Ok(Some(line))
}

/// Reads one message.
pub fn read(r: &mut impl BufRead) -> Result<Read1, Stop> {
    let mut length = None;
    let mut count = 0;
    loop {
        let Some(line) = header_line(r)? else {
            return if count == 0 {
                Err(Stop::End)
            } else {
                Err(Stop::Broken("the input ended inside a message header"))
            };
        };
        if line.is_empty() {
            break;
        }
        count += 1;
        if count > MAX_HEADERS {
            return Err(Stop::Broken("a message has too many header lines"));
        }
        let text =
            std::str::from_utf8(&line).map_err(|_| Stop::Broken("a message header is not text"))?;
        let Some((name, value)) = text.split_once(':') else {
            return Err(Stop::Broken("a message header has no `:`"));
        };
        if name.trim().eq_ignore_ascii_case("content-length") {
            let n: usize = value
                .trim()
                .parse()
                .map_err(|_| Stop::Broken("a message's Content-Length is not a number"))?;
            if n > MAX_CONTENT_LENGTH {
                return Err(Stop::Broken("a message is longer than the server accepts"));
            }
            length = Some(n);
        }
    }
    let length = length.ok_or(Stop::Broken("a message has no Content-Length"))?;
    // Grown as the bytes arrive: a length claimed but not sent costs nothing.
    let mut body = Vec::with_capacity(length.min(64 << 10));
    r.by_ref()
        .take(length as u64)
        .read_to_end(&mut body)
        .map_err(|_| Stop::Broken("could not read a message body"))?;
    if body.len() < length {
        return Err(Stop::Broken("the input ended inside a message body"));
    }
    Ok(match serde_json::from_slice::<Message>(&body) {
        Ok(m) => Read1::Message(m),
        Err(_) => Read1::Invalid,
    })
}

/// Whether `m` is the `exit` notification.
pub fn is_exit(m: &Message) -> bool {
    matches!(m, Message::Notification(n) if n.method == "exit")
}

/// A connection over stdin/stdout: a thread reads and frames the input (until `exit` or the end
/// of it), another writes the server's messages. Returns the connection and the writer thread,
/// which ends once the connection is dropped.
pub fn stdio() -> (Connection, std::thread::JoinHandle<()>) {
    let (server, client) = Connection::memory();
    let Connection {
        sender: to_server,
        receiver: from_server,
    } = client;
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        loop {
            match read(&mut input) {
                Ok(Read1::Message(m)) => {
                    let exit = is_exit(&m);
                    if to_server.send(m).is_err() || exit {
                        break;
                    }
                }
                Ok(Read1::Invalid) => {
                    eprintln!("slz-iam: lsp: ignored a message that is not JSON-RPC");
                }
                Err(Stop::End) => break,
                Err(Stop::Broken(why)) => {
                    eprintln!("slz-iam: lsp: {why}; no further input read");
                    break;
                }
            }
        }
    });
    let writer = std::thread::spawn(move || {
        let stdout = std::io::stdout();
        let mut out = stdout.lock();
        for m in from_server {
            if m.write(&mut out).is_err() {
                break;
            }
        }
        let _ = out.flush();
    });
    (server, writer)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(bytes: &[u8]) -> Result<Read1, Stop> {
        read(&mut std::io::BufReader::new(bytes))
    }

    #[test]
    fn a_framed_message_is_read() {
        let body = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let text = format!("Content-Length: {}\r\n\r\n{body}", body.len());
        assert!(matches!(one(text.as_bytes()), Ok(Read1::Message(m)) if is_exit(&m)));
    }

    #[test]
    fn bounds_are_kept() {
        assert_eq!(
            one(b"Content-Length: 18446744073709551615\r\n\r\n").unwrap_err(),
            Stop::Broken("a message is longer than the server accepts")
        );
        assert_eq!(
            one(b"Content-Length: 99999999999999999999999999\r\n\r\n").unwrap_err(),
            Stop::Broken("a message's Content-Length is not a number")
        );
        let long = format!("X-{}: 1\r\n", "a".repeat(MAX_HEADER_LINE));
        assert_eq!(
            one(long.as_bytes()).unwrap_err(),
            Stop::Broken("a message header line is too long")
        );
        let many = "X: 1\r\n".repeat(MAX_HEADERS + 1);
        assert_eq!(
            one(many.as_bytes()).unwrap_err(),
            Stop::Broken("a message has too many header lines")
        );
        assert_eq!(
            one(b"Content-Length: 10\r\n\r\n{}").unwrap_err(),
            Stop::Broken("the input ended inside a message body")
        );
        assert_eq!(one(b"").unwrap_err(), Stop::End);
        assert!(matches!(
            one(b"Content-Length: 5\r\n\r\nhello"),
            Ok(Read1::Invalid)
        ));
    }
}
