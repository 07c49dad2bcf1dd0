//! From an HTTP request to a validated operation input: the body, labels and query members
//! merged into one JSON object, decoded into the generated type, then checked by the generated
//! validators and the overlay's rules. Failures become AWS's error responses.

use conform_runtime::{DecodeError, OperationMeta, Shape, Violation};
use serde_json::{Map, Value};

use crate::routing::ApiRequest;
use crate::wire::{MessageKey, RestJsonError};

/// The operation's input as one JSON object: the body (for methods that carry one), then the
/// URI labels and query parameters bound to members.
pub fn input_json(
    operation: &OperationMeta,
    request: &ApiRequest,
    labels: Vec<(&'static str, String)>,
) -> Result<Value, RestJsonError> {
    let mut object = if matches!(operation.method, "POST" | "PUT")
        && !request.body.iter().all(u8::is_ascii_whitespace)
    {
        let text = std::str::from_utf8(&request.body).map_err(|e| {
            RestJsonError::invalid_request_content(format!("the body is not UTF-8: {e}"))
        })?;
        match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => object,
            Ok(_) => {
                return Err(RestJsonError::invalid_request_content(
                    "Could not parse payload into json: the body must be a JSON object",
                ))
            }
            Err(e) => {
                return Err(RestJsonError::invalid_request_content(format!(
                    "Could not parse payload into json: {e}"
                )))
            }
        }
    } else {
        Map::new()
    };
    for (member, value) in labels {
        object.insert(member.to_owned(), Value::String(value));
    }
    for binding in operation.query {
        let values: Vec<String> = query_values(request, binding.wire);
        if values.is_empty() {
            continue;
        }
        let value = if binding.list {
            Value::Array(values.into_iter().map(Value::String).collect())
        } else if binding.numeric {
            let text = &values[0];
            match text.parse::<i64>() {
                Ok(n) => Value::from(n),
                Err(_) => return Err(not_a_number(binding.member, text)),
            }
        } else {
            Value::String(values[0].clone())
        };
        object.insert(binding.member.to_owned(), value);
    }
    Ok(Value::Object(object))
}

/// Coral cannot bind a value that is not a number to a numeric member, nor one its type cannot
/// hold (an Integer's is a 32-bit range).
fn not_a_number(member: &str, text: &str) -> RestJsonError {
    RestJsonError::validation(format!(
        "1 validation error detected: Value '{text}' at '{}' failed to satisfy constraint: Member must be a number",
        conform_runtime::path::lower_first(member)
    ))
}

/// The numeric query members bound in `json`, with their values' text: a value that decodes as
/// a JSON number but does not fit its member's type is only found when the input is decoded.
fn query_numbers(operation: &OperationMeta, json: &Value) -> Vec<(&'static str, String)> {
    operation
        .query
        .iter()
        .filter(|binding| binding.numeric && !binding.list)
        .filter_map(|binding| Some((binding.member, json.get(binding.member)?.to_string())))
        .collect()
}

fn query_values(request: &ApiRequest, name: &str) -> Vec<String> {
    let Some(query) = request.uri.query() else {
        return Vec::new();
    };
    query
        .split('&')
        .filter_map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            (decode_component(key) == name).then(|| decode_component(value))
        })
        .collect()
}

fn decode_component(text: &str) -> String {
    conform_runtime::meta::percent_decode(&text.replace('+', " "))
}

/// Decodes the input and runs every check AWS runs before looking anything up: shape
/// constraints, then the overlay's rules. Returns the typed input, or AWS's error.
pub fn checked<T: Shape>(
    operation: &OperationMeta,
    json: Value,
    rules: impl FnOnce(&T) -> Vec<Violation>,
) -> Result<T, RestJsonError> {
    let query_numbers = query_numbers(operation, &json);
    let (input, missing) = conform_runtime::decode::decode_value::<T>(json)
        .map_err(|error| decode_error(error, &query_numbers))?;
    let mut violations = conform_runtime::decode::shape_violations(&input, missing);
    if violations.is_empty() {
        violations = rules(&input);
    }
    match conform_models::aws_error(&violations) {
        None => Ok(input),
        Some(error) => Err(aws_error(operation, &error.code, error.message)),
    }
}

/// Only the shape constraints: for checks that need a stored resource before the rules run.
pub fn shape_checked<T: Shape>(operation: &OperationMeta, json: Value) -> Result<T, RestJsonError> {
    checked(operation, json, |_| Vec::new())
}

/// Raises the first rule violation, if any, as AWS would.
pub fn raise(operation: &OperationMeta, violations: &[Violation]) -> Result<(), RestJsonError> {
    match conform_models::aws_error(violations) {
        None => Ok(()),
        Some(error) => Err(aws_error(operation, &error.code, error.message)),
    }
}

/// An error with the status and message-key casing the operation's metadata gives it.
pub fn aws_error(operation: &OperationMeta, code: &str, message: String) -> RestJsonError {
    if code == conform_models::RULES.validation_error {
        return RestJsonError::validation(message);
    }
    match operation.error(code) {
        Some(meta) => {
            let status =
                http::StatusCode::from_u16(meta.status).unwrap_or(http::StatusCode::BAD_REQUEST);
            let key = match meta.message_key {
                conform_runtime::MessageKey::Lower => MessageKey::Lower,
                conform_runtime::MessageKey::Upper => MessageKey::Upper,
            };
            RestJsonError::new(status, code.to_owned(), message).with_message_key(key)
        }
        None => RestJsonError::invalid_parameter_value(message),
    }
}

/// What AWS answers a body it cannot bind to the input (not JSON, a wrong type, an unknown
/// member), as the emulator answers it.
pub fn unbindable_body(error: DecodeError) -> RestJsonError {
    decode_error(error, &[])
}

/// A body that is JSON but does not fit the input: a wrong type or an unknown member; or a query
/// number that does not fit its member.
fn decode_error(error: DecodeError, query_numbers: &[(&'static str, String)]) -> RestJsonError {
    if let DecodeError::Shape { path, .. } = &error {
        if let Some((member, text)) = query_numbers.iter().find(|(member, _)| member == path) {
            return not_a_number(member, text);
        }
    }
    match error {
        DecodeError::Syntax { message, .. } => RestJsonError::invalid_request_content(format!(
            "Could not parse payload into json: {message}"
        )),
        DecodeError::Shape { path, message } if path.is_empty() || path == "." => {
            RestJsonError::invalid_request_content(format!(
                "Could not parse payload into json: {message}"
            ))
        }
        DecodeError::Shape { path, message } => RestJsonError::invalid_request_content(format!(
            "Could not parse payload into json: {message} (at {path})"
        )),
    }
}
