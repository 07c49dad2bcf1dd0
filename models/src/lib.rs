//! Models, validators and operation metadata for Lambda's event-source-mapping API, generated
//! at build time from `spec/model/lambda.json` and its overlay.

conform_macros::models!(
    model = "../spec/model/lambda.json",
    overlay = "../spec/model/lambda.overlay.toml",
    operations = [
        CreateEventSourceMapping,
        GetEventSourceMapping,
        UpdateEventSourceMapping,
        DeleteEventSourceMapping,
        ListEventSourceMappings,
        TagResource,
        UntagResource,
        ListTags,
    ],
);

/// The spec this crate was generated from, for tools that read it again (such as the command
/// line and generated test cases).
pub mod spec {
    pub const MODEL_NAME: &str = "spec/model/lambda.json";
    pub const MODEL_JSON: &str = include_str!("../../spec/model/lambda.json");
    pub const OVERLAY_NAME: &str = "spec/model/lambda.overlay.toml";
    pub const OVERLAY_TOML: &str = include_str!("../../spec/model/lambda.overlay.toml");
    /// The operations generated, in service order.
    pub const OPERATIONS: &[&str] = &[
        "CreateEventSourceMapping",
        "GetEventSourceMapping",
        "UpdateEventSourceMapping",
        "DeleteEventSourceMapping",
        "ListEventSourceMappings",
        "TagResource",
        "UntagResource",
        "ListTags",
    ];
}
