//! The semantic diff between a golden and a normalised response: object members in any order,
//! numbers by value, each difference named by its JSON path (`$.body.BatchSize`).

use serde_json::Value;

/// One place where the two values part.
#[derive(Debug, Clone, PartialEq)]
pub struct Difference {
    pub path: String,
    /// `None`: the golden has nothing here (the target added it).
    pub expected: Option<Value>,
    /// `None`: the target left it out.
    pub actual: Option<Value>,
}

/// Every difference, in document order; empty when the values agree.
pub fn diff(expected: &Value, actual: &Value) -> Vec<Difference> {
    let mut out = Vec::new();
    walk("$", expected, actual, &mut out);
    out
}

pub fn same(expected: &Value, actual: &Value) -> bool {
    diff(expected, actual).is_empty()
}

fn walk(path: &str, expected: &Value, actual: &Value, out: &mut Vec<Difference>) {
    match (expected, actual) {
        (Value::Object(e), Value::Object(a)) => {
            for (key, ev) in e {
                let child = member_path(path, key);
                match a.get(key) {
                    Some(av) => walk(&child, ev, av, out),
                    None => out.push(Difference {
                        path: child,
                        expected: Some(ev.clone()),
                        actual: None,
                    }),
                }
            }
            for (key, av) in a {
                if !e.contains_key(key) {
                    out.push(Difference {
                        path: member_path(path, key),
                        expected: None,
                        actual: Some(av.clone()),
                    });
                }
            }
        }
        (Value::Array(e), Value::Array(a)) => {
            for i in 0..e.len().max(a.len()) {
                let child = format!("{path}[{i}]");
                match (e.get(i), a.get(i)) {
                    (Some(ev), Some(av)) => walk(&child, ev, av, out),
                    (ev, av) => out.push(Difference {
                        path: child,
                        expected: ev.cloned(),
                        actual: av.cloned(),
                    }),
                }
            }
        }
        (Value::Number(e), Value::Number(a)) if e.as_f64() == a.as_f64() => {}
        (e, a) if e == a => {}
        (e, a) => out.push(Difference {
            path: path.to_owned(),
            expected: Some(e.clone()),
            actual: Some(a.clone()),
        }),
    }
}

fn member_path(parent: &str, key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$')
        && !key.starts_with(|c: char| c.is_ascii_digit());
    if plain {
        format!("{parent}.{key}")
    } else {
        format!("{parent}[{}]", Value::String(key.to_owned()))
    }
}

/// A one-line summary of the differences, for a divergence's default reason.
pub fn summary(diffs: &[Difference]) -> String {
    let mut parts: Vec<String> = diffs
        .iter()
        .take(3)
        .map(|d| match (&d.expected, &d.actual) {
            (Some(e), Some(a)) => format!("{} is {} (AWS: {})", d.path, short(a), short(e)),
            (Some(_), None) => format!("{} is missing", d.path),
            (None, Some(a)) => format!("{} is extra ({})", d.path, short(a)),
            (None, None) => d.path.clone(),
        })
        .collect();
    if diffs.len() > 3 {
        parts.push(format!("and {} more", diffs.len() - 3));
    }
    parts.join("; ")
}

fn short(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((i, _)) => format!("{}…", &text[..i]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_each_difference_by_path() {
        let e = json!({"status": 202, "body": {"BatchSize": 10, "A": [1, 2], "weird key": 1, "Gone": true}});
        let a = json!({"body": {"A": [1], "BatchSize": 10.0, "weird key": 2, "Extra": "x"}, "status": 201});
        let d = diff(&e, &a);
        let paths: Vec<&str> = d.iter().map(|d| d.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "$.status",
                "$.body.A[1]",
                "$.body[\"weird key\"]",
                "$.body.Gone",
                "$.body.Extra"
            ]
        );
        assert_eq!(d[3].actual, None);
        assert_eq!(d[4].expected, None);
        assert!(same(&json!({"a": 1, "b": 2}), &json!({"b": 2, "a": 1.0})));
        assert_eq!(summary(&d[..1]), "$.status is 201 (AWS: 202)");
    }
}
