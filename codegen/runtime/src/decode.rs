//! Decoding a request body into a generated type, collecting absent required members as
//! violations instead of failing, so AWS's collect-all messages can be reproduced.

mod strict;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::inspect::Inspect;
use crate::validate::{Checker, Validate};
use crate::violation::Violation;

/// A generated structure.
pub trait Shape: Validate + Inspect + DeserializeOwned + Serialize {
    /// The Smithy shape id.
    const SHAPE_ID: &'static str;
    /// Member names in model order, for ordering violations.
    const MEMBERS: &'static [&'static str];
    /// Records absent required members (here and in nested structures) and fills each with a
    /// placeholder so the rest of the body still decodes.
    fn fill_required(value: &mut serde_json::Value, checker: &mut Checker);
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    /// The body is not JSON (or not UTF-8).
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// The JSON does not fit the shape: a wrong type, an unknown member, a non-object body.
    Shape { path: String, message: String },
}

impl std::fmt::Display for DecodeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            DecodeError::Syntax {
                line,
                column,
                message,
            } => write!(f, "{line}:{column}: {message}"),
            DecodeError::Shape { path, message } if path.is_empty() || path == "." => {
                write!(f, "{message}")
            }
            DecodeError::Shape { path, message } => write!(f, "at `{path}`: {message}"),
        }
    }
}

impl std::error::Error for DecodeError {}

/// Decodes `body`, returning the value and the violations for absent required members.
pub fn decode<T: Shape>(body: &[u8]) -> Result<(T, Vec<Violation>), DecodeError> {
    // Most bodies decode straight into the type. Any that does not (a syntax error, an absent
    // or null required member, a structure given as an array, a wrong type) takes the path
    // below, which reports it exactly as before.
    if let Some(decoded) = strict::decode::<T>(body) {
        return Ok(decoded);
    }
    let value: serde_json::Value =
        serde_json::from_slice(body).map_err(|e| DecodeError::Syntax {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        })?;
    decode_value(value)
}

/// As [`decode`], from an already parsed JSON value (labels and query members merged in).
pub fn decode_value<T: Shape>(
    mut value: serde_json::Value,
) -> Result<(T, Vec<Violation>), DecodeError> {
    if !value.is_object() {
        return Err(DecodeError::Shape {
            path: String::new(),
            message: format!("expected a JSON object, found {}", kind_of(&value)),
        });
    }
    let mut checker = Checker::new();
    T::fill_required(&mut value, &mut checker);
    if let Some(path) = checker.not_an_object.take() {
        return Err(DecodeError::Shape {
            path: path.to_string(),
            message: "expected a JSON object, found an array".into(),
        });
    }
    let decoded: T = serde_path_to_error::deserialize(value).map_err(|e| DecodeError::Shape {
        path: e.path().to_string(),
        message: e.into_inner().to_string(),
    })?;
    Ok((decoded, checker.into_violations()))
}

/// Shape violations of `value` plus `missing`, in model order of their top-level member.
pub fn shape_violations<T: Shape>(value: &T, missing: Vec<Violation>) -> Vec<Violation> {
    let mut violations = crate::validate::violations_of(value);
    if missing.is_empty() {
        return violations;
    }
    // Placeholders stand in for absent members; their own checks are not the caller's fault.
    violations.retain(|v| !missing.iter().any(|m| m.path == v.path));
    violations.extend(missing);
    let rank = |v: &Violation| {
        v.path
            .first_member()
            .and_then(|m| T::MEMBERS.iter().position(|n| *n == m))
            .unwrap_or(usize::MAX)
    };
    violations.sort_by_key(rank);
    violations
}

fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "an array",
        serde_json::Value::Object(_) => "an object",
    }
}

fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}
