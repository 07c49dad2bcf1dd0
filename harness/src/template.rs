//! `{…}` substitutions in case strings: fixtures, account, region, run prefix, row values and
//! captures. Parsed once at load time, so a bad reference is an error before anything is sent.

use std::fmt;

use serde_json::Value;

use crate::fixtures::FixtureRef;

/// What a `{…}` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Var {
    Account,
    Region,
    Run,
    Row(String),
    Capture(String),
    Fixture { fixture: FixtureRef, attr: String },
}

impl fmt::Display for Var {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Var::Account => f.write_str("{account}"),
            Var::Region => f.write_str("{region}"),
            Var::Run => f.write_str("{run}"),
            Var::Row(key) => write!(f, "{{row.{key}}}"),
            Var::Capture(key) => write!(f, "{{capture.{key}}}"),
            Var::Fixture { fixture, attr } => write!(f, "{{{fixture}.{attr}}}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    Text(String),
    Var(Var),
}

/// A string with substitutions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    segments: Vec<Segment>,
}

/// Supplies the values of variables while rendering.
pub trait Scope {
    fn lookup(&self, var: &Var) -> Result<Value, String>;
}

impl Template {
    /// Parses `text`. `{name}` is a substitution when `name` is a word (letters, digits,
    /// `.`, `:`, `-`, `_`, starting with a letter); any other brace is literal, so JSON bodies
    /// need no escaping. `{{` stands for a literal `{` (before a word, where it would be
    /// ambiguous). A `}` is always literal: JSON ends objects with `}}`, which must survive.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut segments = Vec::new();
        let mut literal = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            if rest.starts_with("{{") {
                literal.push('{');
                rest = &rest[2..];
                continue;
            }
            if c == '{' {
                if let Some(name) = substitution(&rest[1..]) {
                    if !literal.is_empty() {
                        segments.push(Segment::Text(std::mem::take(&mut literal)));
                    }
                    segments.push(Segment::Var(parse_var(name)?));
                    rest = &rest[name.len() + 2..];
                    continue;
                }
            }
            literal.push(c);
            rest = &rest[c.len_utf8()..];
        }
        if !literal.is_empty() {
            segments.push(Segment::Text(literal));
        }
        Ok(Self { segments })
    }

    pub fn vars(&self) -> impl Iterator<Item = &Var> {
        self.segments.iter().filter_map(|s| match s {
            Segment::Var(v) => Some(v),
            Segment::Text(_) => None,
        })
    }

    /// Renders the template. A string that is exactly one `{…}` takes the value's JSON type
    /// (so `BatchSize = "{row.size}"` sends a number); otherwise values are spliced as text.
    pub fn render(&self, scope: &dyn Scope) -> Result<Value, String> {
        if let [Segment::Var(var)] = self.segments.as_slice() {
            return scope.lookup(var);
        }
        let mut out = String::new();
        for segment in &self.segments {
            match segment {
                Segment::Text(text) => out.push_str(text),
                Segment::Var(var) => match scope.lookup(var)? {
                    Value::String(s) => out.push_str(&s),
                    other => out.push_str(&other.to_string()),
                },
            }
        }
        Ok(Value::String(out))
    }

    pub fn render_string(&self, scope: &dyn Scope) -> Result<String, String> {
        Ok(match self.render(scope)? {
            Value::String(s) => s,
            other => other.to_string(),
        })
    }
}

/// The name of a `{name}` starting `text` (just after the `{`), if it is one.
fn substitution(text: &str) -> Option<&str> {
    let end = text.find('}')?;
    let name = &text[..end];
    let word = name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | ':' | '-' | '_'));
    word.then_some(name)
}

fn parse_var(name: &str) -> Result<Var, String> {
    match name {
        "account" => return Ok(Var::Account),
        "region" => return Ok(Var::Region),
        "run" => return Ok(Var::Run),
        _ => {}
    }
    let Some((head, attr)) = name.rsplit_once('.') else {
        return Err(format!(
            "unknown substitution `{{{name}}}`: use {{account}}, {{region}}, {{run}}, {{row.KEY}}, \
             {{capture.KEY}} or {{FIXTURE.ATTRIBUTE}}"
        ));
    };
    match head {
        "row" => Ok(Var::Row(attr.to_owned())),
        "capture" => Ok(Var::Capture(attr.to_owned())),
        _ => {
            let fixture = FixtureRef::parse(head)?;
            if !fixture.kind.attributes().contains(&attr) {
                return Err(format!(
                    "fixture `{}` has no attribute `{attr}`; it has {}",
                    fixture.kind,
                    fixture.kind.attributes().join(", ")
                ));
            }
            Ok(Var::Fixture {
                fixture,
                attr: attr.to_owned(),
            })
        }
    }
}

/// Every string in a JSON value, parsed as a template (map keys are taken literally).
#[derive(Debug, Clone)]
pub struct JsonTemplate {
    value: Value,
    templates: Vec<Template>,
}

impl JsonTemplate {
    pub fn parse(value: Value) -> Result<Self, String> {
        let mut templates = Vec::new();
        collect(&value, &mut templates)?;
        Ok(Self { value, templates })
    }

    pub fn vars(&self) -> impl Iterator<Item = &Var> {
        self.templates.iter().flat_map(Template::vars)
    }

    pub fn render(&self, scope: &dyn Scope) -> Result<Value, String> {
        let mut templates = self.templates.iter();
        render_value(&self.value, &mut templates, scope)
    }

    /// The value as written, for the snapshot's metadata.
    pub fn source(&self) -> &Value {
        &self.value
    }
}

fn collect(value: &Value, out: &mut Vec<Template>) -> Result<(), String> {
    match value {
        Value::String(s) => out.push(Template::parse(s)?),
        Value::Array(items) => items.iter().try_for_each(|v| collect(v, out))?,
        Value::Object(map) => map.values().try_for_each(|v| collect(v, out))?,
        _ => {}
    }
    Ok(())
}

fn render_value<'a>(
    value: &Value,
    templates: &mut impl Iterator<Item = &'a Template>,
    scope: &dyn Scope,
) -> Result<Value, String> {
    Ok(match value {
        Value::String(_) => templates
            .next()
            .expect("one template per string")
            .render(scope)?,
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| render_value(v, templates, scope))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), render_value(v, templates, scope)?)))
                .collect::<Result<_, String>>()?,
        ),
        other => other.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    struct Fixed;
    impl Scope for Fixed {
        fn lookup(&self, var: &Var) -> Result<Value, String> {
            match var {
                Var::Account => Ok(json!("123456789012")),
                Var::Row(k) if k == "size" => Ok(json!(10)),
                Var::Fixture { attr, .. } => Ok(json!(format!("fx-{attr}"))),
                other => Err(format!("{other} is not set")),
            }
        }
    }

    #[test]
    fn renders_text_and_typed_values() {
        let t = Template::parse("arn:aws:sqs:us-east-1:{account}:q").unwrap();
        assert_eq!(
            t.render(&Fixed).unwrap(),
            json!("arn:aws:sqs:us-east-1:123456789012:q")
        );
        let t = Template::parse("{row.size}").unwrap();
        assert_eq!(t.render(&Fixed).unwrap(), json!(10));
        let t = Template::parse("n={row.size}").unwrap();
        assert_eq!(t.render(&Fixed).unwrap(), json!("n=10"));
        let t = Template::parse("{{account}").unwrap();
        assert_eq!(t.render(&Fixed).unwrap(), json!("{account}"));
        let t = Template::parse("{queue:own.arn}").unwrap();
        assert_eq!(t.render(&Fixed).unwrap(), json!("fx-arn"));
    }

    #[test]
    fn rejects_bad_references() {
        assert!(Template::parse("{nope}")
            .unwrap_err()
            .contains("unknown substitution"));
        assert!(Template::parse("{queue.colour}")
            .unwrap_err()
            .contains("no attribute"));
        assert!(Template::parse("{widget.arn}")
            .unwrap_err()
            .contains("unknown fixture"));
        let t = Template::parse(r#"{"FunctionName": {}, "x": "{region}"#).unwrap();
        assert_eq!(t.vars().count(), 1);
        assert_eq!(
            Template::parse("a{b").unwrap().render(&Fixed).unwrap(),
            json!("a{b")
        );
    }

    #[test]
    fn closing_braces_are_literal() {
        // The FilterCriteria example of docs/cases.md: JSON in a string is sent as written.
        let pattern = r#"{"body": {"a": ["b"]}}"#;
        let t = Template::parse(pattern).unwrap();
        assert_eq!(t.render(&Fixed).unwrap(), json!(pattern));
        let t = Template::parse("}}{{account}}, {account}}").unwrap();
        assert_eq!(
            t.render(&Fixed).unwrap(),
            json!("}}{account}}, 123456789012}")
        );
    }

    #[test]
    fn renders_json_trees() {
        let t =
            JsonTemplate::parse(json!({"A": ["{row.size}", 1], "B": {"C": "{account}"}})).unwrap();
        assert_eq!(
            t.render(&Fixed).unwrap(),
            json!({"A": [10, 1], "B": {"C": "123456789012"}})
        );
    }
}
