//! Resolved values: a string with holes. Config values (after Serverless variables and CloudFormation
//! intrinsics) and code values (after env vars and constants) both end up as a [`Template`], which
//! synthesis renders into an ARN string or a `Fn::Sub`.

use serde_json::json;
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Known text.
    Lit(String),
    /// A variable the framework resolves at deploy time, kept as written: `sls:stage`, `env:X, 'd'`.
    DeployVar(String),
    /// A CloudFormation pseudo parameter: `AWS::Region`, `AWS::AccountId`, `AWS::Partition`, ...
    Pseudo(String),
    /// `Ref` to a template resource or parameter.
    Ref(String),
    /// `Fn::GetAtt` of a template resource.
    GetAtt(String, String),
    /// A part that cannot be known statically; the text says why (`process.env.X is not set`).
    Unknown(String),
}

/// A value made of parts; an empty template is the empty string.
#[derive(Clone, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Template(pub Vec<Part>);

impl Template {
    pub fn lit(s: impl Into<String>) -> Self {
        Template(vec![Part::Lit(s.into())])
    }

    pub fn unknown(why: impl Into<String>) -> Self {
        Template(vec![Part::Unknown(why.into())])
    }

    pub fn push(&mut self, part: Part) {
        match (self.0.last_mut(), part) {
            (Some(Part::Lit(a)), Part::Lit(b)) => a.push_str(&b),
            (_, Part::Lit(b)) if b.is_empty() => {}
            // `**` matches what `*` matches: one unknown stands for a run of the same.
            (Some(Part::Unknown(a)), Part::Unknown(b)) if *a == b => {}
            (_, p) => self.0.push(p),
        }
    }

    pub fn extend(&mut self, other: Template) {
        for p in other.0 {
            self.push(p);
        }
    }

    pub fn concat(parts: impl IntoIterator<Item = Template>) -> Self {
        let mut out = Template::default();
        for t in parts {
            out.extend(t);
        }
        out
    }

    /// The text when every part is a literal.
    pub fn as_literal(&self) -> Option<String> {
        let mut s = String::new();
        for p in &self.0 {
            match p {
                Part::Lit(l) => s.push_str(l),
                _ => return None,
            }
        }
        Some(s)
    }

    /// Bytes of text the parts hold (what a copy of the value costs, roughly).
    pub fn text_len(&self) -> usize {
        self.0
            .iter()
            .map(|p| match p {
                Part::Lit(s)
                | Part::DeployVar(s)
                | Part::Pseudo(s)
                | Part::Ref(s)
                | Part::Unknown(s) => s.len() + 1,
                Part::GetAtt(a, b) => a.len() + b.len() + 1,
            })
            .sum()
    }

    pub fn is_fully_unknown(&self) -> bool {
        self.0.iter().all(|p| matches!(p, Part::Unknown(_))) && !self.0.is_empty()
    }

    pub fn unknown_reasons(&self) -> Vec<&str> {
        self.0
            .iter()
            .filter_map(|p| match p {
                Part::Unknown(why) => Some(why.as_str()),
                _ => None,
            })
            .collect()
    }

    pub fn has_cfn(&self) -> bool {
        self.0
            .iter()
            .any(|p| matches!(p, Part::Ref(_) | Part::GetAtt(..) | Part::Pseudo(_)))
    }

    /// Parses `${Name}` placeholders in `text` (as in `Fn::Sub`, IAM ARN formats and SAM policy
    /// templates), asking `part` what each name stands for.
    pub fn substitute(text: &str, mut part: impl FnMut(&str) -> Template) -> Template {
        let mut out = Template::default();
        let mut rest = text;
        while let Some(i) = rest.find("${") {
            out.push(Part::Lit(rest[..i].to_string()));
            let Some(j) = rest[i..].find('}') else {
                out.push(Part::Lit(rest[i..].to_string()));
                return out;
            };
            out.extend(part(&rest[i + 2..i + j]));
            rest = &rest[i + j + 1..];
        }
        out.push(Part::Lit(rest.to_string()));
        out
    }

    /// Starts with literal text `prefix`.
    pub fn starts_with(&self, prefix: &str) -> bool {
        matches!(self.0.first(), Some(Part::Lit(l)) if l.starts_with(prefix))
    }

    /// Splits at the last `/` in literal text, keeping what follows (a queue URL's name, for example).
    /// None when no literal `/` exists.
    pub fn after_last_slash(&self) -> Option<Template> {
        let idx = self
            .0
            .iter()
            .rposition(|p| matches!(p, Part::Lit(l) if l.contains('/')))?;
        let Part::Lit(l) = &self.0[idx] else {
            return None;
        };
        let tail = &l[l.rfind('/')? + 1..];
        let mut out = Template::lit(tail);
        for p in &self.0[idx + 1..] {
            out.push(p.clone());
        }
        Some(out)
    }

    /// Renders as IAM text, with every unknown part as `*` (adjacent stars collapse).
    /// Serverless deploy variables stay `${...}`; CloudFormation parts become `${Logical}` so the
    /// text is valid inside `Fn::Sub`.
    pub fn render_sub(&self) -> String {
        let mut s = String::new();
        for p in &self.0 {
            match p {
                Part::Lit(l) => s.push_str(&l.replace("${", "${!")),
                Part::DeployVar(v) => {
                    s.push_str("${");
                    s.push_str(v);
                    s.push('}');
                }
                Part::Pseudo(p) => {
                    s.push_str("${");
                    s.push_str(p);
                    s.push('}');
                }
                Part::Ref(r) => {
                    s.push_str("${");
                    s.push_str(r);
                    s.push('}');
                }
                Part::GetAtt(r, a) => {
                    s.push_str("${");
                    s.push_str(r);
                    s.push('.');
                    s.push_str(a);
                    s.push('}');
                }
                Part::Unknown(_) => {
                    if !s.ends_with('*') {
                        s.push('*');
                    }
                }
            }
        }
        s
    }

    /// The value as it goes into a policy: a plain string, or `{"Fn::Sub": ...}` when a
    /// CloudFormation reference is in it. `serverless_pseudo` renders region/account as the
    /// Serverless variables `${aws:region}` / `${aws:accountId}` in plain strings.
    pub fn to_policy_json(&self, serverless_pseudo: bool) -> serde_json::Value {
        let has_ref = self
            .0
            .iter()
            .any(|p| matches!(p, Part::Ref(_) | Part::GetAtt(..)));
        if !has_ref && serverless_pseudo {
            let mut s = String::new();
            for p in &self.0 {
                match p {
                    Part::Pseudo(name) => s.push_str(match name.as_str() {
                        "AWS::Region" => "${aws:region}",
                        "AWS::AccountId" => "${aws:accountId}",
                        "AWS::Partition" => "aws",
                        _ => "*",
                    }),
                    other => s.push_str(
                        &Template(vec![other.clone()])
                            .render_sub()
                            .replace("${!", "${"),
                    ),
                }
            }
            return json!(collapse_stars(&s));
        }
        if !self.has_cfn() {
            return json!(collapse_stars(&self.render_sub().replace("${!", "${")));
        }
        json!({ "Fn::Sub": collapse_stars(&self.render_sub()) })
    }
}

fn collapse_stars(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c == '*' && out.ends_with('*') {
            continue;
        }
        out.push(c);
    }
    out
}

impl fmt::Display for Template {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_sub().replace("${!", "${"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_plain_and_sub() {
        let mut t = Template::lit("arn:aws:dynamodb:");
        t.push(Part::Pseudo("AWS::Region".into()));
        t.push(Part::Lit(":".into()));
        t.push(Part::Pseudo("AWS::AccountId".into()));
        t.push(Part::Lit(":table/".into()));
        t.push(Part::DeployVar("self:service".into()));
        assert_eq!(
            t.to_policy_json(true),
            json!("arn:aws:dynamodb:${aws:region}:${aws:accountId}:table/${self:service}")
        );
        t.push(Part::Ref("Table".into()));
        assert_eq!(
            t.to_policy_json(true),
            json!({"Fn::Sub": "arn:aws:dynamodb:${AWS::Region}:${AWS::AccountId}:table/${self:service}${Table}"})
        );
    }

    #[test]
    fn unknown_parts_become_one_star() {
        let t = Template(vec![
            Part::Lit("uploads/".into()),
            Part::Unknown("a".into()),
            Part::Unknown("b".into()),
        ]);
        assert_eq!(t.to_string(), "uploads/*");
    }

    #[test]
    fn after_last_slash_takes_the_queue_name() {
        let mut t = Template::lit("https://sqs.us-east-1.amazonaws.com/123/");
        t.push(Part::DeployVar("self:service".into()));
        t.push(Part::Lit("-jobs".into()));
        assert_eq!(
            t.after_last_slash().unwrap().to_string(),
            "${self:service}-jobs"
        );
    }
}
