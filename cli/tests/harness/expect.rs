//! The expectation language of the fixtures: what a fixture says it must give, written inline in
//! its files as comments (`// ...` in code, `# ...` in YAML and TOML) on the line they are about,
//! or in its `expect.txt` (fixture-wide lines, and `FILE:LINE KIND: ...` lines for files that
//! cannot hold a comment). The grammar is in `test-fixtures/README.md`.

use std::collections::BTreeMap;

/// What an expectation is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `iam: ACTION [RESOURCE-SUBSTRING]`: a permission whose source is this line.
    Iam,
    /// `diag: CODE`: a diagnostic at this line.
    Diag,
    /// `edge: TO [VIA]`: a call edge from the function (given in parentheses, or any) to `TO`.
    Edge,
    /// `auth: CURRENT -> RECOMMENDED`: the auth recommendation of the API event on this line.
    Auth,
    /// `finding: CODE [ACTION|-] [RESOURCE|-] [severity=S] [message="TEXT"]...`: a `check`
    /// finding at this line (`message!="TEXT"`: a message without TEXT).
    Finding,
}

impl Kind {
    pub const ALL: [Kind; 5] = [Kind::Iam, Kind::Diag, Kind::Edge, Kind::Auth, Kind::Finding];

    pub fn word(self) -> &'static str {
        match self {
            Kind::Iam => "iam",
            Kind::Diag => "diag",
            Kind::Edge => "edge",
            Kind::Auth => "auth",
            Kind::Finding => "finding",
        }
    }

    fn of(word: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.word() == word)
    }
}

/// One expectation, with where it is written (for messages) and the line it is about.
#[derive(Clone, Debug)]
pub struct Expectation {
    /// Where the expectation is written: a fixture file and its line, for messages.
    pub written_at: String,
    /// The project file (relative to the project root) and line it is about.
    pub file: String,
    pub line: u32,
    pub kind: Kind,
    /// `kind(a,b)`: the functions it is limited to, each of which must have it; `-` stands for
    /// "no function" (a finding about a statement several functions share).
    pub functions: Vec<String>,
    /// The positional words after the colon.
    pub words: Vec<String>,
    /// `key=value` words (`severity=`, `message=` (the message holds it), `message!=` (it does
    /// not)); a key may repeat.
    pub options: Vec<(String, String)>,
    /// The text as written, for messages.
    pub text: String,
}

/// Fixture-wide expectations, from `expect.txt`.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// `exit: N`: the exit status of the fixture's command (default 0).
    pub exit: i32,
    /// `stderr: TEXT`: text its standard error must hold.
    pub stderr: Vec<String>,
    /// `stdout: TEXT`: text its standard output must hold.
    pub stdout: Vec<String>,
    /// `unwritten: FUNCTION` (writes): a function `--write` leaves alone, so `check` may still
    /// find permissions missing for it.
    pub unwritten: Vec<String>,
}

/// Whether the `"` at byte `i` of `text` opens a quoted run (at the start of a word or of an
/// option's value) or closes one (before a space, a `;` or the end); any other `"` is literal
/// (`iam: ACTION idx-1"` anchors a substring at the end of a JSON string).
fn quote_toggles(text: &str, i: usize, quoted: bool) -> bool {
    if quoted {
        text[i + 1..]
            .chars()
            .next()
            .is_none_or(|c| c.is_whitespace() || c == ';')
    } else {
        text[..i]
            .chars()
            .next_back()
            .is_none_or(|c| c.is_whitespace() || c == '=')
    }
}

/// Splits `text` at `sep` outside quoted runs.
fn split_outside_quotes(text: &str, sep: char) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut start, mut quoted) = (0, false);
    for (i, c) in text.char_indices() {
        if c == '"' && quote_toggles(text, i, quoted) {
            quoted = !quoted;
        } else if c == sep && !quoted {
            out.push(&text[start..i]);
            start = i + c.len_utf8();
        }
    }
    out.push(&text[start..]);
    out
}

/// Words separated by spaces; a quoted run (quotes dropped) may hold spaces and `;`.
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let (mut quoted, mut any) = (false, false);
    for (i, c) in text.char_indices() {
        if c == '"' && quote_toggles(text, i, quoted) {
            quoted = !quoted;
            any = true;
        } else if c.is_whitespace() && !quoted {
            if any {
                out.push(std::mem::take(&mut word));
                any = false;
            }
        } else {
            word.push(c);
            any = true;
        }
    }
    if any {
        out.push(word);
    }
    out
}

/// One marker (`kind(fns): words`), or None when the text is not one (an ordinary comment).
fn marker(
    text: &str,
    written_at: &str,
    file: &str,
    line: u32,
) -> Option<Result<Expectation, String>> {
    let text = text.trim();
    let (head, rest) = text.split_once(':')?;
    let (kind, functions) = match head.split_once('(') {
        Some((k, f)) => (
            k.trim(),
            f.trim_end()
                .strip_suffix(')')
                .map(|f| f.split(',').map(|s| s.trim().to_string()).collect()),
        ),
        None => (head.trim(), Some(Vec::new())),
    };
    let kind = Kind::of(kind)?;
    let bad = |why: &str| Some(Err(format!("{written_at}: `{text}`: {why}")));
    let Some(functions) = functions else {
        return bad("the function list has no closing `)`");
    };
    let mut positional = Vec::new();
    let mut options = Vec::new();
    for w in words(rest) {
        match w.split_once('=') {
            Some((k, v)) if matches!(k, "severity" | "message" | "message!") => {
                options.push((k.to_string(), v.to_string()))
            }
            _ => positional.push(w),
        }
    }
    let arity = match kind {
        Kind::Iam => 1..=2,
        Kind::Diag => 1..=1,
        Kind::Edge => 1..=2,
        Kind::Auth => 3..=3,
        Kind::Finding => 1..=3,
    };
    if !arity.contains(&positional.len()) {
        return bad("wrong number of words (see test-fixtures/README.md)");
    }
    if kind == Kind::Auth && positional[1] != "->" {
        return bad("write `auth: CURRENT -> RECOMMENDED`");
    }
    if kind != Kind::Finding && !options.is_empty() {
        return bad("`severity=` and `message=` belong to `finding:`");
    }
    Some(Ok(Expectation {
        written_at: written_at.to_string(),
        file: file.to_string(),
        line,
        kind,
        functions,
        words: positional,
        options,
        text: text.to_string(),
    }))
}

/// The comment part of a line of code or YAML: after the first `// `, else the first `# `.
fn comment(line: &str) -> Option<&str> {
    match (line.find("// "), line.find("# ")) {
        (Some(a), _) => Some(&line[a + 3..]),
        (None, Some(b)) => Some(&line[b + 2..]),
        _ => None,
    }
}

/// The expectations written inline in one project file. `written_at(n)` names line `n` of the
/// file for messages.
pub fn inline(
    file: &str,
    text: &str,
    written_at: &dyn Fn(u32) -> String,
    out: &mut Vec<Expectation>,
    errors: &mut Vec<String>,
) {
    for (i, l) in text.lines().enumerate() {
        let line = u32::try_from(i + 1).unwrap();
        let Some(c) = comment(l) else { continue };
        for m in split_outside_quotes(c, ';') {
            match marker(m, &written_at(line), file, line) {
                Some(Ok(e)) => out.push(e),
                Some(Err(e)) => errors.push(e),
                None => {}
            }
        }
    }
}

/// `expect.txt`: fixture-wide lines and `FILE:LINE KIND: ...` lines.
pub fn expect_file(
    text: &str,
    written_at: &dyn Fn(u32) -> String,
    out: &mut Vec<Expectation>,
    errors: &mut Vec<String>,
) -> Outcome {
    let mut outcome = Outcome::default();
    for (i, l) in text.lines().enumerate() {
        let n = u32::try_from(i + 1).unwrap();
        let l = l.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let at = written_at(n);
        if let Some(v) = l.strip_prefix("exit:") {
            match v.trim().parse() {
                Ok(code) => outcome.exit = code,
                Err(_) => errors.push(format!("{at}: `{l}` is not `exit: N`")),
            }
        } else if let Some(v) = l.strip_prefix("stderr:") {
            outcome.stderr.push(v.trim().to_string());
        } else if let Some(v) = l.strip_prefix("stdout:") {
            outcome.stdout.push(v.trim().to_string());
        } else if let Some(v) = l.strip_prefix("unwritten:") {
            outcome.unwritten.push(v.trim().to_string());
        } else {
            // `FILE:LINE KIND: ...`
            let located = l.split_once(char::is_whitespace).and_then(|(loc, rest)| {
                let (file, line) = loc.rsplit_once(':')?;
                Some((file, line.parse::<u32>().ok()?, rest))
            });
            let Some((file, line, rest)) = located else {
                errors.push(format!(
                    "{at}: `{l}` is not `exit:`, `stderr:`, `stdout:`, `unwritten:` or `FILE:LINE KIND: ...`"
                ));
                continue;
            };
            for m in split_outside_quotes(rest, ';') {
                match marker(m, &at, file, line) {
                    Some(Ok(e)) => out.push(e),
                    Some(Err(e)) => errors.push(e),
                    None => errors.push(format!("{at}: `{}` is no expectation", m.trim())),
                }
            }
        }
    }
    outcome
}

/// What the tool gave, in the same terms: one item per permission source, diagnostic, edge,
/// auth recommendation and finding.
#[derive(Clone, Debug)]
pub struct Fact {
    pub kind: Kind,
    pub file: String,
    pub line: u32,
    /// The function it belongs to (`from` for an edge); None for a finding about no single
    /// function, or a diagnostic.
    pub function: Option<String>,
    /// Kind-specific fields: iam `[action, resource]`; diag `[code]`; edge `[to, via]`; auth
    /// `[current, recommended]`; finding `[code, action, resource]` (`-` when absent).
    pub fields: Vec<String>,
    /// finding: `severity` and `message`.
    pub extra: BTreeMap<&'static str, String>,
}

impl Fact {
    pub fn describe(&self) -> String {
        let f = self
            .function
            .as_deref()
            .map(|f| format!("({f})"))
            .unwrap_or_default();
        let body = match self.kind {
            Kind::Auth => format!("{} -> {}", self.fields[0], self.fields[1]),
            _ => self.fields.join(" "),
        };
        let extra: String = self
            .extra
            .iter()
            .map(|(k, v)| format!(" {k}={v:?}"))
            .collect();
        format!("{}{f}: {body}{extra}", self.kind.word())
    }
}

impl Expectation {
    /// Whether `fact` is one this expectation names.
    pub fn matches(&self, fact: &Fact) -> bool {
        if fact.kind != self.kind || fact.file != self.file || fact.line != self.line {
            return false;
        }
        let function = fact.function.as_deref().unwrap_or("-");
        if !self.functions.is_empty() && !self.functions.iter().any(|f| f == function) {
            return false;
        }
        let w = &self.words;
        let f = &fact.fields;
        match self.kind {
            Kind::Iam => w[0] == f[0] && w.get(1).is_none_or(|r| f[1].contains(r.as_str())),
            Kind::Diag => w[0] == f[0],
            Kind::Edge => w[0] == f[0] && w.get(1).is_none_or(|v| *v == f[1]),
            Kind::Auth => w[0] == f[0] && w[2] == f[1],
            Kind::Finding => {
                w[0] == f[0]
                    && w.get(1).is_none_or(|a| *a == f[1])
                    && w.get(2).is_none_or(|r| *r == f[2])
                    && self.options.iter().all(|(k, v)| match k.as_str() {
                        "severity" => fact.extra.get("severity") == Some(v),
                        "message!" => fact
                            .extra
                            .get("message")
                            .is_some_and(|m| !m.contains(v.as_str())),
                        _ => fact
                            .extra
                            .get("message")
                            .is_some_and(|m| m.contains(v.as_str())),
                    })
            }
        }
    }
}

/// Matches the facts against the expectations: every fact must be named by an expectation, and
/// every expectation must name a fact (in each of the functions it lists). `place` names a
/// project file's line for messages. Returns one message per difference.
pub fn compare(
    expectations: &[Expectation],
    facts: &[Fact],
    kinds: &[Kind],
    place: &dyn Fn(&str, u32) -> String,
) -> Vec<String> {
    let mut problems = Vec::new();
    let mut hits: Vec<Vec<String>> = vec![Vec::new(); expectations.len()];
    for fact in facts.iter().filter(|f| kinds.contains(&f.kind)) {
        match expectations.iter().position(|e| e.matches(fact)) {
            Some(i) => hits[i].push(fact.function.clone().unwrap_or_else(|| "-".into())),
            None => problems.push(format!(
                "{}: unexpected {} (no expectation names it)",
                place(&fact.file, fact.line),
                fact.describe()
            )),
        }
    }
    for (e, hit) in expectations.iter().zip(&hits) {
        if !kinds.contains(&e.kind) {
            problems.push(format!(
                "{}: `{}`: this kind of fixture gives no {} to compare",
                e.written_at,
                e.text,
                e.kind.word()
            ));
            continue;
        }
        let missing: Vec<&String> = if e.functions.is_empty() {
            Vec::new()
        } else {
            e.functions.iter().filter(|f| !hit.contains(f)).collect()
        };
        if hit.is_empty() || !missing.is_empty() {
            let there: Vec<String> = facts
                .iter()
                .filter(|f| f.kind == e.kind && f.file == e.file && f.line == e.line)
                .map(Fact::describe)
                .collect();
            let what = if missing.is_empty() {
                String::new()
            } else {
                format!(" for {missing:?}")
            };
            problems.push(format!(
                "{}: expected `{}`{what} at {}:{}, not found; {} there: {}",
                e.written_at,
                e.text,
                e.file,
                e.line,
                e.kind.word(),
                if there.is_empty() {
                    "none".to_string()
                } else {
                    there.join(", ")
                }
            ));
        }
    }
    problems
}
