//! Validity of Lambda event-filter patterns (EventBridge pattern syntax), as AWS checks it
//! before answering `Invalid filter pattern definition.`

use serde_json::{Map, Value};

/// True when `text` is a valid pattern: a JSON object whose leaves are non-empty arrays of
/// matchers, with `$or` and the EventBridge comparison operators.
pub fn is_valid(text: &str) -> bool {
    match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(fields)) => valid_object(&fields, 0),
        _ => false,
    }
}

const MAX_DEPTH: usize = 64;

fn valid_object(fields: &Map<String, Value>, depth: usize) -> bool {
    if fields.is_empty() || depth > MAX_DEPTH {
        return false;
    }
    fields
        .iter()
        .all(|(key, value)| match (key.as_str(), value) {
            ("$or", Value::Array(alternatives)) => {
                alternatives.len() >= 2
                    && alternatives
                        .iter()
                        .all(|alt| matches!(alt, Value::Object(o) if valid_object(o, depth + 1)))
            }
            (_, Value::Object(nested)) => valid_object(nested, depth + 1),
            (_, Value::Array(matchers)) => {
                !matchers.is_empty() && matchers.iter().all(valid_matcher)
            }
            _ => false,
        })
}

fn valid_matcher(matcher: &Value) -> bool {
    match matcher {
        Value::String(_) | Value::Number(_) | Value::Bool(_) | Value::Null => true,
        Value::Object(op) if op.len() == 1 => {
            let (name, arg) = op.iter().next().expect("one entry");
            match name.as_str() {
                "prefix" | "suffix" => arg.is_string() || is_ignore_case(arg),
                "equals-ignore-case" | "wildcard" => arg.is_string(),
                "cidr" => arg.as_str().is_some_and(is_cidr),
                "exists" => arg.is_boolean(),
                "anything-but" => valid_anything_but(arg),
                "numeric" => valid_numeric(arg),
                _ => false,
            }
        }
        _ => false,
    }
}

/// `10.0.0.0/24`, `2001:db8::/32` or a bare address.
fn is_cidr(text: &str) -> bool {
    let (address, prefix) = match text.split_once('/') {
        Some((address, prefix)) => (address, Some(prefix)),
        None => (text, None),
    };
    let Ok(address) = address.parse::<std::net::IpAddr>() else {
        return false;
    };
    let max = if address.is_ipv4() { 32 } else { 128 };
    prefix.is_none_or(|p| p.parse::<u8>().is_ok_and(|p| p <= max))
}

fn is_ignore_case(arg: &Value) -> bool {
    matches!(arg, Value::Object(o) if o.len() == 1 && o.get("equals-ignore-case").is_some_and(Value::is_string))
}

fn valid_anything_but(arg: &Value) -> bool {
    match arg {
        Value::String(_) | Value::Number(_) => true,
        Value::Array(items) => {
            !items.is_empty()
                && (items.iter().all(Value::is_string) || items.iter().all(Value::is_number))
        }
        Value::Object(o) if o.len() == 1 => {
            let (name, inner) = o.iter().next().expect("one entry");
            matches!(
                name.as_str(),
                "prefix" | "suffix" | "equals-ignore-case" | "wildcard"
            ) && (inner.is_string()
                || (inner
                    .as_array()
                    .is_some_and(|a| !a.is_empty() && a.iter().all(Value::is_string))))
        }
        _ => false,
    }
}

fn valid_numeric(arg: &Value) -> bool {
    let Value::Array(parts) = arg else {
        return false;
    };
    if parts.len() != 2 && parts.len() != 4 {
        return false;
    }
    parts.chunks(2).all(|pair| {
        matches!(pair[0].as_str(), Some("=" | "<" | "<=" | ">" | ">=")) && pair[1].is_number()
    })
}

#[cfg(test)]
mod tests {
    use super::is_valid;

    #[test]
    fn accepts_each_operator() {
        for p in [
            r#"{"body": {"my-key": ["my-value"]}}"#,
            r#"{"a": [{"prefix": "x"}]}"#,
            r#"{"a": [{"prefix": {"equals-ignore-case": "x"}}]}"#,
            r#"{"a": [{"suffix": ".png"}]}"#,
            r#"{"a": [{"anything-but": ["x", "y"]}]}"#,
            r#"{"a": [{"anything-but": {"prefix": "x"}}]}"#,
            r#"{"a": [{"numeric": [">", 0, "<=", 5]}]}"#,
            r#"{"a": [{"exists": true}]}"#,
            r#"{"a": [{"equals-ignore-case": "X"}]}"#,
            r#"{"a": [{"wildcard": "x*"}]}"#,
            r#"{"a": [{"cidr": "10.0.0.0/24"}]}"#,
            r#"{"a": [null, 1, true, "s"]}"#,
            r#"{"$or": [{"a": ["1"]}, {"b": ["2"]}]}"#,
        ] {
            assert!(is_valid(p), "{p}");
        }
    }

    #[test]
    fn rejects_malformed_patterns() {
        for p in [
            "null",
            "simple string",
            "[]",
            "{}",
            r#"{"a": "scalar"}"#,
            r#"{"a": []}"#,
            r#"{"a": [{"prefix": 1}]}"#,
            r#"{"a": [{"unknown-op": "x"}]}"#,
            r#"{"a": [{"numeric": [">"]}]}"#,
            r#"{"a": [{"numeric": ["!", 1]}]}"#,
            r#"{"a": [{"exists": "yes"}]}"#,
            r#"{"a": [{"cidr": "not-an-address"}]}"#,
            r#"{"a": [{"cidr": "10.0.0.0/33"}]}"#,
            r#"{"$or": [{"a": ["1"]}]}"#,
            r#"{"a": [{"prefix": "x", "suffix": "y"}]}"#,
        ] {
            assert!(!is_valid(p), "{p}");
        }
    }
}
