//! Helpers for small hand-written models in the integration tests.
#![allow(dead_code)] // each test binary uses a different part

use conform_spec::{Model, SpecError};
use serde_json::{json, Value};

/// A Smithy 2.0 JSON AST document around `shapes`, pretty-printed as AWS's files are.
pub fn document(shapes: Value) -> String {
    serde_json::to_string_pretty(&json!({"smithy": "2.0", "shapes": shapes})).expect("serializes")
}

pub fn load(shapes: Value) -> Model {
    let text = document(shapes);
    Model::from_json(&text, "test.json").unwrap_or_else(|e| panic!("model should load: {e}"))
}

pub fn load_err(shapes: Value) -> SpecError {
    match Model::from_json(&document(shapes), "test.json") {
        Ok(_) => panic!("model should be rejected"),
        Err(e) => e,
    }
}

pub fn text_err(text: &str) -> SpecError {
    match Model::from_json(text, "bad.json") {
        Ok(_) => panic!("model should be rejected"),
        Err(e) => e,
    }
}

/// The 1-based line of the first line of `text` that contains `needle`.
pub fn line_of(text: &str, needle: &str) -> usize {
    text.lines()
        .position(|l| l.contains(needle))
        .expect("needle in text")
        + 1
}
