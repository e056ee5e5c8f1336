//! Text taken from the repository (file names, function names, messages quoting user values) made
//! safe for whoever reads the output: a terminal, a CI log, GitHub's workflow command parser.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether `c` would act on a terminal or a log instead of being shown: C0 controls but tab, DEL,
/// C1 controls, and the bidirectional formatting characters that reorder what is displayed.
pub fn hidden(c: char) -> bool {
    slz_analyzer::edit::render::hidden(c)
}

/// `s` for a terminal line: each control character (see [`hidden`]) shown as `\u{..}`, so that a
/// name cannot move the cursor, recolour, clear the screen, start a new line or reorder the text.
pub fn terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(hidden) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if hidden(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A path for the start of a terminal line: [`terminal`], and `./` in front of a relative path
/// that starts with `::`, which a CI log would otherwise read as a workflow command.
pub fn terminal_path(path: &str) -> Cow<'_, str> {
    let shown = terminal(path);
    if shown.trim_start().starts_with("::") {
        Cow::Owned(format!("./{shown}"))
    } else {
        shown
    }
}

/// The message of a GitHub workflow command (after `::`): `%`, CR and LF escaped, as GitHub's
/// format requires, so that a message cannot end the command or start another; the other
/// controls shown as [`terminal`] shows them, since the log renders escape sequences.
pub fn github_message(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '%' => out.push_str("%25"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c if hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", c as u32);
            }
            c => out.push(c),
        }
    }
    out
}

/// A property value of a GitHub workflow command (`file=`, `title=`): the message's escapes and
/// also `:` and `,`, which would end the value or the properties.
pub fn github_property(s: &str) -> String {
    github_message(s).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_shows_controls_and_keeps_the_rest() {
        assert_eq!(terminal("src/a.js"), "src/a.js");
        assert_eq!(terminal("tab\tkept"), "tab\tkept");
        assert_eq!(
            terminal("a\nb\r\x1b[31mc\x07\u{7f}\u{9b}\u{202e}é"),
            "a\\u{a}b\\u{d}\\u{1b}[31mc\\u{7}\\u{7f}\\u{9b}\\u{202e}é"
        );
        assert_eq!(terminal_path("::error::x.js"), "./::error::x.js");
        assert_eq!(terminal_path("src/::x.js"), "src/::x.js");
    }

    #[test]
    fn github_escapes_follow_the_workflow_command_format() {
        assert_eq!(
            github_message("100%\r\n::stop-commands::t, a: b"),
            "100%25%0D%0A::stop-commands::t, a: b"
        );
        assert_eq!(
            github_property("a%,b:c\nd\re\x1b[1m"),
            "a%25%2Cb%3Ac%0Ad%0De\\u{1b}[1m"
        );
    }
}
