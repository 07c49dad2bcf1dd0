//! Validity of Lambda event-filter patterns (EventBridge pattern syntax), as AWS checks it
//! before answering `Invalid filter pattern definition.`

use serde_json::{Map, Value};

/// True when `text` is a valid pattern: a JSON object whose leaves are non-empty arrays of
/// matchers, with `$or` and the EventBridge comparison operators.
pub fn is_valid(text: &str) -> bool {
    // Most patterns pass the streaming check, which builds no tree; it is stricter than the
    // tree (it checks every duplicate key, not the last), so its refusals are rechecked.
    streaming::is_valid(text) || tree_valid(text)
}

/// The rules on the parsed tree (duplicate keys: the last counts, as JSON parsers keep it).
fn tree_valid(text: &str) -> bool {
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

/// A check of the same rules while parsing. It accepts only what the tree check accepts: matcher
/// objects are still read as trees and checked by [`valid_matcher`].
mod streaming {
    use std::fmt;

    use serde::de::{DeserializeSeed, Deserializer, Error, MapAccess, SeqAccess, Visitor};
    use serde::Deserialize;
    use serde_json::Value;

    use super::{valid_matcher, MAX_DEPTH};

    pub fn is_valid(text: &str) -> bool {
        let mut de = serde_json::Deserializer::from_str(text);
        Object(0).deserialize(&mut de).is_ok() && de.end().is_ok()
    }

    /// Any refusal: the tree check decides.
    fn refuse<E: Error>() -> E {
        E::custom("left to the tree check")
    }

    /// A non-empty object of fields at `depth`.
    struct Object(usize);

    impl<'de> DeserializeSeed<'de> for Object {
        type Value = ();

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
            de.deserialize_map(self)
        }
    }

    impl<'de> Visitor<'de> for Object {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a filter object")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
            if self.0 > MAX_DEPTH {
                return Err(refuse());
            }
            let mut any = false;
            while let Some(or) = map.next_key_seed(IsOr)? {
                any = true;
                map.next_value_seed(Field { or, depth: self.0 })?;
            }
            if any {
                Ok(())
            } else {
                Err(refuse())
            }
        }
    }

    /// Whether a key is `$or`.
    struct IsOr;

    impl<'de> DeserializeSeed<'de> for IsOr {
        type Value = bool;

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<bool, D::Error> {
            de.deserialize_str(self)
        }
    }

    impl<'de> Visitor<'de> for IsOr {
        type Value = bool;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a key")
        }

        fn visit_str<E: Error>(self, key: &str) -> Result<bool, E> {
            Ok(key == "$or")
        }
    }

    /// A field's value: a nested object, a list of matchers, or (`$or`) alternatives.
    struct Field {
        or: bool,
        depth: usize,
    }

    impl<'de> DeserializeSeed<'de> for Field {
        type Value = ();

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
            de.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Field {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("an object or an array")
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
            Object(self.depth + 1).visit_map(map)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
            let mut count = 0usize;
            if self.or {
                while seq.next_element_seed(Object(self.depth + 1))?.is_some() {
                    count += 1;
                }
                return if count >= 2 { Ok(()) } else { Err(refuse()) };
            }
            while seq.next_element_seed(Matcher)?.is_some() {
                count += 1;
            }
            if count >= 1 {
                Ok(())
            } else {
                Err(refuse())
            }
        }
    }

    /// One matcher: a scalar, or an operator object (read as a tree, checked as the tree check
    /// does).
    struct Matcher;

    impl<'de> DeserializeSeed<'de> for Matcher {
        type Value = ();

        fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<(), D::Error> {
            de.deserialize_any(self)
        }
    }

    impl<'de> Visitor<'de> for Matcher {
        type Value = ();

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a matcher")
        }

        fn visit_bool<E: Error>(self, _: bool) -> Result<(), E> {
            Ok(())
        }

        fn visit_i64<E: Error>(self, _: i64) -> Result<(), E> {
            Ok(())
        }

        fn visit_u64<E: Error>(self, _: u64) -> Result<(), E> {
            Ok(())
        }

        fn visit_f64<E: Error>(self, _: f64) -> Result<(), E> {
            Ok(())
        }

        fn visit_str<E: Error>(self, _: &str) -> Result<(), E> {
            Ok(())
        }

        fn visit_unit<E: Error>(self) -> Result<(), E> {
            Ok(())
        }

        fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
            let object = serde_json::Map::<String, Value>::deserialize(
                serde::de::value::MapAccessDeserializer::new(map),
            )?;
            if valid_matcher(&Value::Object(object)) {
                Ok(())
            } else {
                Err(refuse())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{is_valid, streaming, tree_valid};

    #[test]
    fn streaming_accepts_only_what_the_tree_accepts() {
        let deep = format!("{}[1]{}", "{\"a\": ".repeat(70), "}".repeat(70));
        for p in [
            r#"{"a": ["x"], "a": "y"}"#,
            r#"{"a": "y", "a": ["x"]}"#,
            r#"{"a": [{"prefix": "x", "prefix": "y"}]}"#,
            r#"{"$or": {"a": ["1"]}}"#,
            r#"{"$or": [{"a": ["1"]}, {"$or": [{"b": [2]}, {"c": [null]}]}]}"#,
            r#"{"a": [1e400]}"#,
            r#"{"a": [1]} x"#,
            r#"{"a\u0062": [{"numeric": ["<", 1e3]}]}"#,
            r#"{"a": [[1]]}"#,
            &deep,
        ] {
            assert!(!streaming::is_valid(p) || tree_valid(p), "{p}");
        }
        assert!(streaming::is_valid(
            r#"{"$or": [{"a": ["1"]}, {"b": {"c": [1, true]}}]}"#
        ));
        assert!(!streaming::is_valid(r#"{"a": "y", "a": ["x"]}"#));
        assert!(is_valid(r#"{"a": "y", "a": ["x"]}"#));
    }

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
            assert!(streaming::is_valid(p), "{p}");
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
            assert!(!streaming::is_valid(p), "{p}");
        }
    }
}
