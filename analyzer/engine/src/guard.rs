//! The last check before a resource reaches a policy: a resource that still holds a format
//! placeholder (`%d`, `%s`, `{}`, `{0}`, `{name}`) or that has an ARN inside another ARN
//! (`arn:aws:s3:::arn:aws:...`, an ARN-valued `Ref` or `GetAtt` after a literal `arn:`) matches
//! nothing in AWS, so it is never emitted as is: it is widened to the narrowest pattern that is
//! sure to match, with a `malformed-resource` diagnostic at the call.

use crate::diagnostics::{Diagnostic, Location};
use crate::resolve::Grant;
use crate::value::{Part, Template};

/// Most ARNs nested inside each other that are unwrapped; past that the resource is `*`.
const MAX_NESTED: usize = 8;

/// Widens every grant whose resource is malformed, reporting each at its location.
/// `ref_is_arn` says whether `Ref` of a logical id returns an ARN.
pub fn guard(
    grants: &mut [(Grant, Location)],
    ref_is_arn: impl Fn(&str) -> bool,
    diagnostics: &mut Vec<Diagnostic>,
) {
    for (grant, location) in grants.iter_mut() {
        if let Some((fixed, why)) = repair(&grant.resource, &ref_is_arn) {
            diagnostics.push(Diagnostic::new(
                "malformed-resource",
                location.clone(),
                format!(
                    "{} for {}: the resource `{}` {why}, so it is not the resource the call names; widened to `{fixed}`",
                    grant.action, grant.reason, grant.resource
                ),
            ));
            grant.resource = fixed;
        }
    }
}

/// The resource made safe, and why it was not; None when it is fine as is.
pub fn repair(t: &Template, ref_is_arn: &dyn Fn(&str) -> bool) -> Option<(Template, String)> {
    let mut why = Vec::new();
    let mut nested = false;
    let mut current = t.clone();
    if let Some((fixed, leftovers)) = without_leftovers(&current) {
        why.push(format!(
            "holds the format placeholder {}",
            leftovers.join(", ")
        ));
        current = fixed;
    }
    for _ in 0..MAX_NESTED {
        match inner_arn(&current, ref_is_arn) {
            Some((inner, what)) => {
                if !nested {
                    why.push(format!("has {what} inside an ARN"));
                    nested = true;
                }
                current = inner;
            }
            None => {
                return (!why.is_empty()).then(|| (current, why.join(" and ")));
            }
        }
    }
    Some((Template::lit("*"), why.join(" and ")))
}

/// The template with each format placeholder in its text replaced by an unknown part, and the
/// placeholders found; None when there is none.
fn without_leftovers(t: &Template) -> Option<(Template, Vec<String>)> {
    let mut found = Vec::new();
    let mut out = Template::default();
    for p in &t.0 {
        let Part::Lit(text) = p else {
            out.push(p.clone());
            continue;
        };
        let mut rest = text.as_str();
        while let Some((start, len)) = first_leftover(rest) {
            out.push(Part::Lit(rest[..start].to_string()));
            let token = &rest[start..start + len];
            if !found.iter().any(|f| f == &format!("`{token}`")) {
                found.push(format!("`{token}`"));
            }
            out.push(Part::Unknown(format!("the format placeholder `{token}`")));
            rest = &rest[start + len..];
        }
        out.push(Part::Lit(rest.to_string()));
    }
    (!found.is_empty()).then_some((out, found))
}

/// The first format placeholder in `s`: its byte offset and length.
fn first_leftover(s: &str) -> Option<(usize, usize)> {
    let bytes = s.as_bytes();
    (0..bytes.len()).find_map(|i| match bytes[i] {
        b'%' => percent_at(&bytes[i..]).map(|len| (i, len)),
        // `${...}` is a deploy-time or IAM policy variable, not a format field.
        b'{' if i == 0 || bytes[i - 1] != b'$' => brace_at(&bytes[i..]).map(|len| (i, len)),
        _ => None,
    })
}

/// The length of a `%` directive at the start of `b` (`%s`, `%05d`, `%(name)s`). Three
/// characters of `%` and two hex digits (`%2F`, `%5d`) are URL encoding, not a directive.
fn percent_at(b: &[u8]) -> Option<usize> {
    let mut i = 1;
    let mut keyed = false;
    if b.get(i) == Some(&b'(') {
        let close = b[i..].iter().take(66).position(|c| *c == b')')?;
        let key = &b[i + 1..i + close];
        if key.is_empty() || !key.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'_') {
            return None;
        }
        keyed = true;
        i += close + 1;
    }
    while b.get(i).is_some_and(|c| b"-+#0".contains(c)) {
        i += 1;
    }
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    if b.get(i) == Some(&b'.') {
        i += 1;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
    }
    if !b.get(i).is_some_and(|c| b"sdirfxXou".contains(c)) {
        return None;
    }
    let len = i + 1;
    let url_encoded = !keyed && len == 3 && b[1].is_ascii_hexdigit() && b[2].is_ascii_hexdigit();
    (!url_encoded).then_some(len)
}

/// The length of a `{}` field at the start of `b` (`{}`, `{0}`, `{name}`, `{:02d}`, `{x!r}`,
/// `{:{width}}`).
fn brace_at(b: &[u8]) -> Option<usize> {
    let mut depth = 0usize;
    let close = b.iter().take(66).position(|c| {
        match c {
            b'{' => depth += 1,
            b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        depth == 0
    })?;
    let inner = &b[1..close];
    let name_end = inner
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
        .unwrap_or(inner.len());
    let rest = &inner[name_end..];
    let field = rest.is_empty()
        || (matches!(rest[0], b':' | b'!' | b'.' | b'[') && rest.iter().all(u8::is_ascii_graphic));
    field.then_some(close + 1)
}

/// For an ARN with another ARN inside: the inner ARN made safe, and what it is. A whole-ARN part
/// (an ARN-valued `Ref` or `GetAtt`, a deploy variable named `...Arn`) is the resource with what
/// follows it; a literal inner ARN keeps its partition, service, region and account, and its
/// resource becomes `*`, since which part of it the outer ARN meant is not known.
fn inner_arn(t: &Template, ref_is_arn: &dyn Fn(&str) -> bool) -> Option<(Template, String)> {
    if !t.starts_with("arn:") {
        return None;
    }
    for (k, p) in t.0.iter().enumerate() {
        let whole = match p {
            Part::Ref(r) if k > 0 && ref_is_arn(r) => Some(format!("`Ref {r}` (an ARN)")),
            Part::GetAtt(r, a) if k > 0 && a.ends_with("Arn") => Some(format!("`{r}.{a}`")),
            Part::DeployVar(v) if k > 0 && (v.ends_with("Arn") || v.ends_with("ARN")) => {
                Some(format!("`${{{v}}}`"))
            }
            _ => None,
        };
        if let Some(what) = whole {
            return Some((Template(t.0[k..].to_vec()), what));
        }
        let Part::Lit(text) = p else { continue };
        let from = usize::from(k == 0);
        let Some(at) = embedded_arn(text, from, t.0.get(k + 1)) else {
            continue;
        };
        let mut inner = Template::default();
        let mut colons = 0;
        let parts =
            std::iter::once(Part::Lit(text[at..].to_string())).chain(t.0[k + 1..].iter().cloned());
        for part in parts {
            match part {
                Part::Lit(l) => {
                    let cut = l.match_indices(':').nth(4usize.saturating_sub(colons));
                    match cut {
                        Some((i, _)) => {
                            inner.push(Part::Lit(l[..=i].to_string()));
                            break;
                        }
                        None => {
                            colons += l.matches(':').count();
                            inner.push(Part::Lit(l));
                        }
                    }
                }
                other => inner.push(other),
            }
        }
        inner.push(Part::Unknown("the resource of an ARN inside an ARN".into()));
        return Some((inner, "another ARN".into()));
    }
    None
}

/// The byte offset of an ARN starting in `text` at or after `from` (`arn:aws...`, or `arn:`
/// ending the text before a partition placeholder).
fn embedded_arn(text: &str, from: usize, next: Option<&Part>) -> Option<usize> {
    text.match_indices("arn:").map(|(i, _)| i).find(|&i| {
        if i < from {
            return false;
        }
        let before_ok = i == 0 || !text.as_bytes()[i - 1].is_ascii_alphanumeric();
        let after = &text[i + 4..];
        let partition = after.starts_with("aws")
            || (after.is_empty() && matches!(next, Some(Part::Pseudo(p)) if p == "AWS::Partition"));
        before_ok && partition
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lit(s: &str) -> Part {
        Part::Lit(s.into())
    }

    fn fixed(t: Template) -> Option<String> {
        repair(&t, &|r| r == "Topic").map(|(t, _)| t.to_string())
    }

    #[test]
    fn format_leftovers_become_wildcards() {
        assert_eq!(
            fixed(Template::lit("arn:aws:s3:::b/%d/e.json")).as_deref(),
            Some("arn:aws:s3:::b/*/e.json")
        );
        assert_eq!(
            fixed(Template::lit("arn:aws:s3:::b/%(name)s-%05.1f")).as_deref(),
            Some("arn:aws:s3:::b/*-*")
        );
        assert_eq!(
            fixed(Template::lit("arn:aws:s3:::b/{}/{0}/{name}/{:02d}/{x!r}")).as_deref(),
            Some("arn:aws:s3:::b/*/*/*/*/*")
        );
        assert_eq!(
            fixed(Template::lit("arn:aws:s3:::b/{:{}}/{0:>{w}}")).as_deref(),
            Some("arn:aws:s3:::b/*/*")
        );
        assert_eq!(
            fixed(Template::lit("arn:aws:dynamodb:us-east-1:1:table/t-%s")).as_deref(),
            Some("arn:aws:dynamodb:us-east-1:1:table/t-*")
        );
        // Not placeholders: URL encoding, policy variables, braces around other text, a lone `%`.
        for ok in [
            "arn:aws:s3:::b/a%2Fb",
            "arn:aws:s3:::b/${aws:username}/*",
            "arn:aws:s3:::b/{a b}",
            "arn:aws:s3:::b/100%",
            "arn:aws:s3:::b/{",
        ] {
            assert_eq!(fixed(Template::lit(ok)), None, "{ok}");
        }
    }

    #[test]
    fn an_arn_inside_an_arn_is_unwrapped() {
        assert_eq!(
            fixed(Template::lit(
                "arn:aws:s3:::arn:aws:s3:us-east-1:123:accesspoint/ap/k"
            ))
            .as_deref(),
            Some("arn:aws:s3:us-east-1:123:*")
        );
        assert_eq!(
            fixed(Template::lit(
                "arn:aws:sqs:us-east-1:1:arn:aws:sqs:us-east-1:1:q"
            ))
            .as_deref(),
            Some("arn:aws:sqs:us-east-1:1:*")
        );
        let partition = Template(vec![
            lit("arn:aws:s3:::arn:"),
            Part::Pseudo("AWS::Partition".into()),
            lit(":s3:::b/k"),
        ]);
        assert_eq!(
            fixed(partition).as_deref(),
            Some("arn:${AWS::Partition}:s3:::*")
        );
        let by_ref = Template(vec![
            lit("arn:aws:sns:us-east-1:1:"),
            Part::Ref("Topic".into()),
        ]);
        assert_eq!(fixed(by_ref).as_deref(), Some("${Topic}"));
        let by_name = Template(vec![
            lit("arn:aws:sns:us-east-1:1:"),
            Part::Ref("Name".into()),
        ]);
        assert_eq!(fixed(by_name), None);
        let by_getatt = Template(vec![
            lit("arn:aws:s3:::"),
            Part::GetAtt("Bucket".into(), "Arn".into()),
            lit("/*"),
        ]);
        assert_eq!(fixed(by_getatt).as_deref(), Some("${Bucket.Arn}/*"));
        let by_var = Template(vec![
            lit("arn:aws:sqs:r:a:"),
            Part::DeployVar("self:custom.queueArn".into()),
        ]);
        assert_eq!(fixed(by_var).as_deref(), Some("${self:custom.queueArn}"));
        // An ARN on its own, and text that only looks similar, are fine.
        assert_eq!(fixed(Template::lit("arn:aws:s3:::b/warn:aws")), None);
        assert_eq!(
            fixed(Template(vec![Part::GetAtt("Q".into(), "Arn".into())])),
            None
        );
        assert_eq!(fixed(Template::lit("*")), None);
    }

    #[test]
    fn grants_are_widened_with_a_diagnostic() {
        let mut grants = vec![(
            Grant {
                action: "s3:GetObject".into(),
                resource: Template::lit("arn:aws:s3:::b/%s.json"),
                reason: "s3.get_object".into(),
                failure_path: false,
            },
            Location::new("h.py", 7, 1),
        )];
        let mut diagnostics = Vec::new();
        guard(&mut grants, |_| false, &mut diagnostics);
        assert_eq!(grants[0].0.resource.to_string(), "arn:aws:s3:::b/*.json");
        assert_eq!(diagnostics.len(), 1);
        assert_eq!(diagnostics[0].code, "malformed-resource");
        assert_eq!(diagnostics[0].location.line, 7);
        assert!(
            diagnostics[0].message.contains("`%s`"),
            "{}",
            diagnostics[0].message
        );
    }
}
