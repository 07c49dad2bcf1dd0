//! The project's own spec, built into the binary so every command works from any directory.

pub const MODEL_NAME: &str = "spec/model/lambda.json";
pub const MODEL_JSON: &str = include_str!("../../spec/model/lambda.json");
pub const OVERLAY_NAME: &str = "spec/model/lambda.overlay.toml";
pub const OVERLAY_TOML: &str = include_str!("../../spec/model/lambda.overlay.toml");
