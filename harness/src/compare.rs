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

/// Whether any difference is in the outcome of an exchange: its HTTP status or error code, or a
/// step missing, added or not sent. Members, headers and messages aside, the target then did
/// something other than AWS.
pub fn outcome_differs(diffs: &[Difference]) -> bool {
    diffs.iter().any(|d| {
        let mut rest = d.path.strip_prefix('$').unwrap_or(&d.path);
        if let Some(step) = rest.strip_prefix(".steps") {
            rest = match step.strip_prefix('[').and_then(|s| s.split_once(']')) {
                Some((index, tail)) if index.bytes().all(|b| b.is_ascii_digit()) => tail,
                _ => "",
            };
        }
        matches!(
            rest,
            "" | ".status" | ".error" | ".error.code" | ".not_sent"
        )
    })
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

    #[test]
    fn outcomes_are_statuses_error_codes_and_steps() {
        let paths = |e: Value, a: Value| outcome_differs(&diff(&e, &a));
        let ok = json!({"status": 202, "headers": {"content-type": "application/json"}, "body": {"State": "Creating"}});
        let other_body = json!({"status": 202, "headers": {"content-type": "text/html"}, "body": {"State": "Enabled"}});
        assert!(!paths(ok.clone(), other_body));
        assert!(paths(
            ok.clone(),
            json!({"status": 201, "body": {"State": "Creating"}})
        ));
        let err = |code: &str| json!({"status": 400, "error": {"code": code, "message_key": "message"}, "body": {"message": "m"}});
        assert!(!paths(
            err("ValidationException"),
            json!({"status": 400, "error": {"code": "ValidationException", "message_key": "Message"}, "body": {"Message": "n"}})
        ));
        assert!(paths(
            err("ValidationException"),
            err("InvalidParameterValueException")
        ));
        assert!(paths(err("ValidationException"), ok.clone()));
        let steps = |s: Vec<Value>| json!({ "steps": s });
        assert!(!paths(
            steps(vec![ok.clone(), err("X")]),
            steps(vec![ok.clone(), err("X")])
        ));
        assert!(paths(
            steps(vec![ok.clone(), err("X")]),
            steps(vec![ok.clone()])
        ));
        assert!(paths(
            steps(vec![ok.clone(), ok.clone()]),
            steps(vec![ok.clone(), json!({"step": "b", "not_sent": "why"})])
        ));
    }
}
