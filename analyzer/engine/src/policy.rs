//! A local IAM policy evaluator, no network: `Allow`/`Deny`, `Action`/`NotAction`,
//! `Resource`/`NotResource`, `*` and `?` wildcards, case-insensitive actions and case-sensitive
//! ARNs.
//!
//! Resources known only at deploy time (`${AWS::Region}`, `${Table}`, `${sls:stage}`) and parts the
//! analysis could not resolve are treated as "could be anything": a statement *may* apply when its
//! pattern overlaps the requested resource. For `check` that is the conservative side: a permission
//! is reported missing only when no statement can grant it, and a `Deny` only blocks what it
//! certainly covers. Statements with a `Condition` are taken to allow (the condition may hold) but
//! never to deny (it may not).

/// One statement, as text patterns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub allow: bool,
    /// `NotAction` when true.
    pub not_action: bool,
    pub actions: Vec<String>,
    /// `NotResource` when true.
    pub not_resource: bool,
    pub resources: Vec<String>,
    pub conditional: bool,
}

impl Statement {
    /// A statement the config declares, as evaluator input; `render` writes its resources as
    /// the evaluator compares them.
    pub fn declared(
        d: &crate::project::DeclaredStatement,
        render: impl Fn(&crate::value::Template) -> String,
    ) -> Statement {
        Statement {
            allow: !d.effect.eq_ignore_ascii_case("deny"),
            not_action: d.not_action,
            actions: d.actions.clone(),
            not_resource: d.not_resource,
            resources: d.resources.iter().map(render).collect(),
            conditional: d.conditional,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Some statement may allow it and no unconditional `Deny` covers it.
    Allowed,
    /// An unconditional `Deny` covers it.
    Denied,
    /// No statement can allow it (an implicit deny).
    NotAllowed,
}

/// One element of a pattern: text that must match, `*`, `?`, or a deploy-time hole.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok {
    Char(char),
    /// `*`: any string.
    Star,
    /// `?`: any one character.
    One,
    /// A `${...}` placeholder inside an ARN: a name, an id, a region, a stage. It is any string
    /// without `:`, so `arn:${AWS::Partition}:s3:::a/*` never overlaps `arn:aws:s3:::b/*`.
    Hole,
}

impl Tok {
    fn wild(self) -> bool {
        matches!(self, Tok::Star | Tok::Hole)
    }

    /// Whether this wildcard can stand for (part of) what `other` stands for, one step at a time.
    fn absorbs(self, other: Tok) -> bool {
        match (self, other) {
            (Tok::Star, _) => true,
            (Tok::Hole, Tok::Char(c)) => c != ':',
            (Tok::Hole, Tok::One | Tok::Hole) => true,
            _ => false,
        }
    }
}

/// `${...}` placeholders are not known here: one that starts the pattern may be a whole ARN
/// (`${Queue.Arn}`), so it is `*`; elsewhere it fills one ARN segment.
fn tokens(pattern: &str, fold_case: bool) -> Vec<Tok> {
    let mut out = Vec::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        match chars[i] {
            '$' if chars.get(i + 1) == Some(&'{') => {
                let close = chars[i..].iter().position(|c| *c == '}').map(|p| p + i);
                match close {
                    Some(j) => {
                        out.push(if i == 0 { Tok::Star } else { Tok::Hole });
                        i = j + 1;
                        continue;
                    }
                    None => out.push(Tok::Char('$')),
                }
            }
            '*' => out.push(Tok::Star),
            '?' => out.push(Tok::One),
            c => out.push(Tok::Char(if fold_case {
                c.to_ascii_lowercase()
            } else {
                c
            })),
        }
        i += 1;
    }
    out.dedup_by(|a, b| a.wild() && a == b);
    out
}

/// Whether some string matches both patterns.
fn overlap(a: &[Tok], b: &[Tok]) -> bool {
    // Literal prefixes and suffixes must agree; most ARNs differ there, before any wildcard.
    let literal = |t: &Tok| matches!(t, Tok::Char(_));
    let head = a
        .iter()
        .zip(b)
        .take_while(|(x, y)| literal(x) && literal(y))
        .count();
    if a[..head] != b[..head] {
        return false;
    }
    let (a, b) = (&a[head..], &b[head..]);
    let tail = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| literal(x) && literal(y))
        .count();
    if a[a.len() - tail..] != b[b.len() - tail..] {
        return false;
    }
    let (a, b) = (&a[..a.len() - tail], &b[..b.len() - tail]);
    overlap_dp(a, b)
}

fn overlap_dp(a: &[Tok], b: &[Tok]) -> bool {
    let (n, m) = (a.len(), b.len());
    // reach[i][j]: a[..i] and b[..j] can be consumed by a common string.
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[i][j] {
                continue;
            }
            // A wildcard may stand for nothing.
            if i < n && a[i].wild() {
                reach[i + 1][j] = true;
            }
            if j < m && b[j].wild() {
                reach[i][j + 1] = true;
            }
            if i < n && j < m {
                // A wildcard consumes one step of the other side and stays.
                if a[i].wild() && !b[j].wild() && a[i].absorbs(b[j]) {
                    reach[i][j + 1] = true;
                }
                if b[j].wild() && !a[i].wild() && b[j].absorbs(a[i]) {
                    reach[i + 1][j] = true;
                }
                let step = match (a[i], b[j]) {
                    (Tok::Char(x), Tok::Char(y)) => x == y,
                    (Tok::One, Tok::Char(_) | Tok::One) | (Tok::Char(_), Tok::One) => true,
                    _ => false,
                };
                if step {
                    reach[i + 1][j + 1] = true;
                }
            }
        }
    }
    reach[n][m]
}

/// Whether every string `b` can stand for is matched by `a` (`a` covers `b`). A `*` in `b` is
/// covered only by a `*` in `a`; a placeholder in `b` by a `*` or a placeholder.
fn covers(a: &[Tok], b: &[Tok]) -> bool {
    let (n, m) = (a.len(), b.len());
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[i][j] {
                continue;
            }
            if i < n && a[i].wild() {
                reach[i + 1][j] = true;
                if j < m && a[i].absorbs(b[j]) {
                    reach[i][j + 1] = true;
                }
            }
            if i < n && j < m {
                let ok = match (a[i], b[j]) {
                    (Tok::Char(x), Tok::Char(y)) => x == y,
                    (Tok::One, Tok::Char(_)) | (Tok::One, Tok::One) => true,
                    _ => false,
                };
                if ok {
                    reach[i + 1][j + 1] = true;
                }
            }
        }
    }
    reach[n][m]
}

pub fn action_matches(pattern: &str, action: &str) -> bool {
    let wild = |s: &str| s.contains(['*', '?', '$']);
    if !wild(pattern) && !wild(action) {
        return pattern.eq_ignore_ascii_case(action);
    }
    overlap(&tokens(pattern, true), &tokens(action, true))
}

fn action_covered(pattern: &str, action: &str) -> bool {
    covers(&tokens(pattern, true), &tokens(action, true))
}

/// Whether a declared resource pattern may apply to the requested resource.
pub fn resource_overlaps(pattern: &str, resource: &str) -> bool {
    let wild = |s: &str| s.contains(['*', '?', '$']);
    if !wild(pattern) && !wild(resource) {
        return pattern == resource;
    }
    overlap(&tokens(pattern, false), &tokens(resource, false))
}

fn resource_covered(pattern: &str, resource: &str) -> bool {
    covers(&tokens(pattern, false), &tokens(resource, false))
}

/// One element of a pattern [`grants_every_instance`] looks for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Want {
    /// Text, `*` (every string) or `?` (every character), as in a policy.
    Tok(Tok),
    /// `${...}`: one value, any, without `:`; at the end of the pattern it may hold `:` (the rest
    /// of an ARN).
    Some { colon: bool },
}

fn wanted(pattern: &str) -> Vec<Want> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '$' && chars.get(i + 1) == Some(&'{') {
            if let Some(j) = chars[i..].iter().position(|c| *c == '}').map(|p| p + i) {
                out.push(Want::Some {
                    colon: j + 1 == chars.len(),
                });
                i = j + 1;
                continue;
            }
        }
        out.push(Want::Tok(match chars[i] {
            '*' => Tok::Star,
            '?' => Tok::One,
            c => Tok::Char(c),
        }));
        i += 1;
    }
    out
}

/// Whether the declared resource `granted` grants every resource of some instance of `pattern`:
/// in `pattern`, `*` and `?` are wildcards that must be granted whole (every role name) and
/// `${...}` is one value, any (some account). `arn:aws:iam::123456789012:role/*` and `*` grant
/// every instance of `arn:${Partition}:iam::${Account}:role/*`; `...:role/app-*` and
/// `...:role/app` do not. A deploy-time value in `granted` (`${AWS::AccountId}`, `!GetAtt
/// Role.Arn`) is one value, never a wildcard. Case-sensitive, like ARNs. When both are written
/// as ARNs, each of the six fields is matched on its own, as IAM does: a wildcard does not reach
/// from the region into the account.
pub fn grants_every_instance(granted: &str, pattern: &str) -> bool {
    match (arn_fields(granted), arn_fields(pattern)) {
        (Some(a), Some(b)) => a
            .iter()
            .zip(&b)
            .all(|(a, b)| grants_every_instance_of_text(a, b)),
        _ => grants_every_instance_of_text(granted, pattern),
    }
}

/// The six fields of an ARN (`arn`, partition, service, region, account, resource), split at the
/// first five `:` outside `${...}`.
fn arn_fields(text: &str) -> Option<Vec<&str>> {
    let mut out = Vec::with_capacity(6);
    let (mut depth, mut start) = (0usize, 0usize);
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        match b {
            b'{' if i > 0 && bytes[i - 1] == b'$' => depth += 1,
            b'}' if depth > 0 => depth -= 1,
            b':' if depth == 0 && out.len() < 5 => {
                out.push(&text[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&text[start..]);
    (out.len() == 6 && out[0] == "arn").then_some(out)
}

fn grants_every_instance_of_text(granted: &str, pattern: &str) -> bool {
    let mut a = tokens(granted, false);
    // A placeholder that starts the text is a whole value from the template (one ARN).
    if granted.starts_with("${") && a.first() == Some(&Tok::Star) {
        a[0] = Tok::Hole;
    }
    let b = wanted(pattern);
    let (n, m) = (a.len(), b.len());
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    for i in 0..=n {
        for j in 0..=m {
            if !reach[i][j] {
                continue;
            }
            // A wildcard in `granted` may stand for nothing; a chosen value may be empty.
            if i < n && a[i].wild() {
                reach[i + 1][j] = true;
            }
            if let Some(Want::Some { .. }) = b.get(j) {
                reach[i][j + 1] = true;
            }
            if i >= n || j >= m {
                continue;
            }
            match b[j] {
                // The chosen value holds whatever `granted` writes there.
                Want::Some { colon } => {
                    let fits = match a[i] {
                        Tok::Char(c) => colon || c != ':',
                        Tok::One | Tok::Hole => true,
                        Tok::Star => false,
                    };
                    if fits {
                        reach[i + 1][j] = true;
                    }
                }
                Want::Tok(t) => {
                    if a[i].wild() && a[i].absorbs(t) {
                        reach[i][j + 1] = true;
                    }
                    let step = match (a[i], t) {
                        (Tok::Char(x), Tok::Char(y)) => x == y,
                        (Tok::One, Tok::Char(_) | Tok::One) => true,
                        _ => false,
                    };
                    if step {
                        reach[i + 1][j + 1] = true;
                    }
                }
            }
        }
    }
    reach[n][m]
}

impl Statement {
    /// Whether this statement may apply to the request.
    fn may_apply(&self, action: &str, resource: &str) -> bool {
        let a = self.actions.iter().any(|p| action_matches(p, action));
        let a = if self.not_action {
            !self.actions.iter().any(|p| action_covered(p, action))
        } else {
            a
        };
        let r = self
            .resources
            .iter()
            .any(|p| resource_overlaps(p, resource));
        let r = if self.not_resource {
            !self.resources.iter().any(|p| resource_covered(p, resource))
        } else {
            r
        };
        a && r
    }

    /// Whether this statement certainly applies to the request.
    fn surely_applies(&self, action: &str, resource: &str) -> bool {
        let a = self.actions.iter().any(|p| action_covered(p, action));
        let a = if self.not_action {
            !self.actions.iter().any(|p| action_matches(p, action))
        } else {
            a
        };
        let r = self.resources.iter().any(|p| resource_covered(p, resource));
        let r = if self.not_resource {
            !self
                .resources
                .iter()
                .any(|p| resource_overlaps(p, resource))
        } else {
            r
        };
        a && r
    }
}

/// The decision for one request against a set of statements (one role's policies).
pub fn evaluate(statements: &[Statement], action: &str, resource: &str) -> Decision {
    if statements
        .iter()
        .any(|s| !s.allow && !s.conditional && s.surely_applies(action, resource))
    {
        return Decision::Denied;
    }
    if statements
        .iter()
        .any(|s| s.allow && s.may_apply(action, resource))
    {
        Decision::Allowed
    } else {
        Decision::NotAllowed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn allow(actions: &[&str], resources: &[&str]) -> Statement {
        Statement {
            allow: true,
            not_action: false,
            actions: actions.iter().map(|s| s.to_string()).collect(),
            not_resource: false,
            resources: resources.iter().map(|s| s.to_string()).collect(),
            conditional: false,
        }
    }

    #[test]
    fn wildcards_case_and_placeholders() {
        let p = vec![allow(
            &["DynamoDB:Get*", "s3:GetObject"],
            &["arn:aws:dynamodb:*:*:table/orders", "arn:aws:s3:::b/*"],
        )];
        assert_eq!(
            evaluate(
                &p,
                "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:1:table/orders"
            ),
            Decision::Allowed
        );
        assert_eq!(
            evaluate(
                &p,
                "dynamodb:PutItem",
                "arn:aws:dynamodb:us-east-1:1:table/orders"
            ),
            Decision::NotAllowed
        );
        assert_eq!(
            evaluate(
                &p,
                "dynamodb:GetItem",
                "arn:aws:dynamodb:us-east-1:1:table/Orders"
            ),
            Decision::NotAllowed
        );
        assert_eq!(
            evaluate(
                &p,
                "dynamodb:GetItem",
                "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/orders"
            ),
            Decision::Allowed
        );
        assert_eq!(
            evaluate(&p, "s3:GetObject", "arn:aws:s3:::b/k?y"),
            Decision::Allowed
        );
        assert_eq!(
            evaluate(&p, "s3:GetObject", "arn:aws:s3:::other/k"),
            Decision::NotAllowed
        );
        // A placeholder fills one ARN segment; one that starts the resource may be a whole ARN.
        let sam = vec![allow(
            &["s3:GetObject"],
            &["arn:${AWS::Partition}:s3:::archive/*"],
        )];
        assert_eq!(
            evaluate(&sam, "s3:GetObject", "arn:aws:s3:::inbox/*"),
            Decision::NotAllowed
        );
        assert_eq!(
            evaluate(&sam, "s3:GetObject", "arn:aws:s3:::archive/${Key}"),
            Decision::Allowed
        );
        let whole = vec![allow(&["sqs:SendMessage"], &["${Queue.Arn}"])];
        assert_eq!(
            evaluate(&whole, "sqs:SendMessage", "arn:aws:sqs:us-east-1:1:jobs"),
            Decision::Allowed
        );
    }

    #[test]
    fn grants_every_instance_of_a_pattern() {
        let role = "arn:${Partition}:iam::${Account}:role/*";
        for granted in [
            "*",
            "arn:aws:iam::123456789012:role/*",
            "arn:aws:iam::*:role/*",
            "arn:*:iam::*:*",
            "arn:aws:iam::${AWS::AccountId}:role/*",
            "arn:aws:iam::123456789012:role*",
        ] {
            assert!(grants_every_instance(granted, role), "{granted}");
        }
        for granted in [
            "arn:aws:iam::123456789012:role/app-*",
            "arn:aws:iam::123456789012:role/app",
            "arn:aws:iam::123456789012:role/${Name}",
            "${Role.Arn}",
            "arn:aws:iam::123456789012:user/*",
            "arn:aws:s3:::bucket/*",
        ] {
            assert!(!grants_every_instance(granted, role), "{granted}");
        }
        // `*` in the account field of any ARN; the rest of an ARN may hold `:`.
        let any_account = "arn:${Partition}:${Service}:${Region}:*:${Resource}";
        for granted in [
            "arn:aws:dynamodb:*:*:table/x",
            "arn:aws:logs:us-east-1:*:log-group:x:*",
            "arn:aws:sqs:eu-west-1:*:queue",
        ] {
            assert!(grants_every_instance(granted, any_account), "{granted}");
        }
        for granted in [
            "arn:aws:dynamodb:*:123456789012:table/x",
            "arn:aws:dynamodb:us-east-1:${AWS::AccountId}:table/x",
            "arn:aws:s3:::bucket/*",
            "arn:aws:s3:::*",
        ] {
            assert!(!grants_every_instance(granted, any_account), "{granted}");
        }
    }

    #[test]
    fn deny_not_action_not_resource_and_conditions() {
        let mut deny = allow(&["s3:*"], &["arn:aws:s3:::secret/*"]);
        deny.allow = false;
        let mut p = vec![allow(&["s3:*"], &["*"]), deny.clone()];
        assert_eq!(
            evaluate(&p, "s3:GetObject", "arn:aws:s3:::secret/a"),
            Decision::Denied
        );
        assert_eq!(
            evaluate(&p, "s3:GetObject", "arn:aws:s3:::public/a"),
            Decision::Allowed
        );
        p[1].conditional = true;
        assert_eq!(
            evaluate(&p, "s3:GetObject", "arn:aws:s3:::secret/a"),
            Decision::Allowed,
            "a conditional deny may not apply"
        );
        let mut na = allow(&["iam:*"], &["*"]);
        na.not_action = true;
        assert_eq!(
            evaluate(std::slice::from_ref(&na), "s3:GetObject", "x"),
            Decision::Allowed
        );
        assert_eq!(evaluate(&[na], "iam:PassRole", "x"), Decision::NotAllowed);
        let mut nr = allow(&["s3:GetObject"], &["arn:aws:s3:::secret/*"]);
        nr.not_resource = true;
        assert_eq!(
            evaluate(
                std::slice::from_ref(&nr),
                "s3:GetObject",
                "arn:aws:s3:::public/a"
            ),
            Decision::Allowed
        );
        assert_eq!(
            evaluate(&[nr], "s3:GetObject", "arn:aws:s3:::secret/a"),
            Decision::NotAllowed
        );
    }

    /// A small deterministic generator for the property tests.
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, n: usize) -> usize {
            self.0 = self
                .0
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n
        }
    }

    #[test]
    fn merging_or_splitting_statements_never_changes_a_decision() {
        let actions = [
            "s3:GetObject",
            "s3:PutObject",
            "s3:*",
            "dynamodb:GetItem",
            "dynamodb:Get*",
            "*",
        ];
        let resources = [
            "arn:aws:s3:::a/*",
            "arn:aws:s3:::b/x",
            "*",
            "arn:aws:dynamodb:*:*:table/t",
            "arn:aws:s3:::?/x",
        ];
        let requests = [
            ("s3:GetObject", "arn:aws:s3:::a/k"),
            ("s3:PutObject", "arn:aws:s3:::b/x"),
            ("dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/t"),
            ("s3:GetObject", "arn:aws:s3:::c/x"),
            (
                "dynamodb:PutItem",
                "arn:aws:dynamodb:${AWS::Region}:1:table/t",
            ),
        ];
        let mut rng = Lcg(7);
        for _ in 0..300 {
            let n = 1 + rng.next(3);
            let merged = Statement {
                allow: true,
                not_action: false,
                actions: (0..n)
                    .map(|_| actions[rng.next(actions.len())].to_string())
                    .collect(),
                not_resource: false,
                resources: (0..n)
                    .map(|_| resources[rng.next(resources.len())].to_string())
                    .collect(),
                conditional: false,
            };
            // Split: one statement per (action, resource) pair.
            let split: Vec<Statement> = merged
                .actions
                .iter()
                .flat_map(|a| {
                    merged
                        .resources
                        .iter()
                        .map(move |r| allow(&[a.as_str()], &[r.as_str()]))
                })
                .collect();
            for (a, r) in requests {
                assert_eq!(
                    evaluate(std::slice::from_ref(&merged), a, r),
                    evaluate(&split, a, r),
                    "{merged:?} {a} {r}"
                );
            }
        }
    }
}
