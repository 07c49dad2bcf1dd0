//! Regenerating after an API change: the project's model is edited the way a new AWS release
//! would change it (a member added, a range moved, an enum value dropped), regenerated, and the
//! generated code and the reader's API diff are both checked to show exactly those changes.

use std::path::PathBuf;

use conform_codegen::{expand, generate, Options};
use conform_spec::{diff, Change, ChangeKind, Model, Overlay, SpecErrorKind};
use serde_json::{json, Value};

const NS: &str = "com.amazonaws.lambda#";

fn spec_text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../spec/model")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn load(document: &Value, origin: &str) -> Model {
    Model::from_json(&document.to_string(), origin).expect("the model loads")
}

fn regenerate(model: &Model, overlay_toml: &str) -> String {
    let selected = model.select(&model.operation_ids()).expect("select");
    let overlay =
        Overlay::from_toml(overlay_toml, "lambda.overlay.toml", &selected).expect("overlay");
    let tokens = generate(&selected, Some(&overlay), &Options::default()).expect("generate");
    expand(&tokens).expect("expand")
}

/// The edited model: a new `MaxKMSPollers` member of `CreateEventSourceMappingRequest`
/// targeting a new integer shape with range 3..=42, `BatchSize`'s max moved from 10000 to
/// 12345, and `AT_TIMESTAMP` removed from `EventSourcePosition`.
fn edited(original: &Value) -> Value {
    let mut document = original.clone();
    let shapes = document["shapes"].as_object_mut().expect("shapes");
    shapes.insert(
        format!("{NS}PollerCount"),
        json!({
            "type": "integer",
            "traits": {
                "smithy.api#documentation": "How many pollers.",
                "smithy.api#range": { "min": 3, "max": 42 }
            }
        }),
    );
    let request = shapes
        .get_mut(&format!("{NS}CreateEventSourceMappingRequest"))
        .and_then(|s| s["members"].as_object_mut())
        .expect("CreateEventSourceMappingRequest members");
    request.insert(
        "MaxKMSPollers".into(),
        json!({ "target": format!("{NS}PollerCount") }),
    );
    let batch_size = &mut shapes[&format!("{NS}BatchSize")]["traits"]["smithy.api#range"];
    assert_eq!(
        batch_size["max"],
        json!(10000),
        "the project's BatchSize max"
    );
    batch_size["max"] = json!(12345);
    let position = shapes[&format!("{NS}EventSourcePosition")]["members"]
        .as_object_mut()
        .expect("EventSourcePosition members");
    assert!(position.shift_remove("AT_TIMESTAMP").is_some());
    document
}

/// The edited model and the overlay updated for it (its `enum_order` drops `AT_TIMESTAMP`).
fn old_and_new() -> (Model, Model, String, String) {
    let original: Value = serde_json::from_str(&spec_text("lambda.json")).expect("JSON");
    let old = load(&original, "old.json");
    let new = load(&edited(&original), "new.json");
    let old_overlay = spec_text("lambda.overlay.toml");
    let order = r#""com.amazonaws.lambda#EventSourcePosition" = ["LATEST", "AT_TIMESTAMP", "TRIM_HORIZON"]"#;
    assert!(old_overlay.contains(order), "the overlay's enum order");
    let new_overlay = old_overlay.replace(
        order,
        r#""com.amazonaws.lambda#EventSourcePosition" = ["LATEST", "TRIM_HORIZON"]"#,
    );
    (old, new, old_overlay, new_overlay)
}

/// The top-level item of `code` that starts with the line `header`, up to its closing brace.
fn item<'a>(code: &'a str, header: &str) -> &'a str {
    let start = code
        .find(&format!("\n{header}"))
        .unwrap_or_else(|| panic!("no item `{header}`"))
        + 1;
    let length = code[start..].find("\n}\n").expect("item end") + 3;
    &code[start..start + length]
}

/// The part of `text` from `from` up to and including the first `to` after it.
fn between<'a>(text: &'a str, from: &str, to: &str) -> &'a str {
    let start = text
        .find(from)
        .unwrap_or_else(|| panic!("`{from}` not found in:\n{text}"));
    let length = text[start..].find(to).expect("end marker") + to.len();
    &text[start..start + length]
}

/// The generated check of scalar member `name` inside a `Validate` impl: from the `if let`
/// that reads the member to the end of the report naming it.
fn member_check<'a>(validate: &'a str, name: &str) -> &'a str {
    let report = format!(".report_member(\"{name}\",");
    let flat: String = validate.split_whitespace().collect();
    assert!(flat.contains(&report), "no `{report}` in:\n{validate}");
    // The report of `name` in the text as printed (whitespace between its tokens).
    let end = validate
        .match_indices(&format!("\"{name}\","))
        .map(|(at, _)| at)
        .find(|&at| validate[..at].trim_end().ends_with(".report_member("))
        .expect("the report found above");
    let start = validate[..end]
        .rfind("if let")
        .expect("the member's `if let`");
    let close = validate[end..].find(");").expect("the report's end") + end + 2;
    &validate[start..close]
}

/// The JSON Schema of property `name` inside a `JsonSchema` impl.
fn property_schema<'a>(schema: &'a str, name: &str) -> &'a str {
    // prettyplease closes each `properties.insert(..)` call on a line of its own.
    between(
        schema,
        &format!("\"{name}\".to_owned(),"),
        "\n            );",
    )
}

fn validate_impl<'a>(code: &'a str, ty: &str) -> &'a str {
    item(
        code,
        &format!("impl ::conform_runtime::Validate for {ty} {{"),
    )
}

fn schema_impl<'a>(code: &'a str, ty: &str) -> &'a str {
    item(
        code,
        &format!("impl ::conform_runtime::schemars::JsonSchema for {ty} {{"),
    )
}

#[test]
fn the_old_overlay_names_the_stale_enum_value() {
    let (_, new, old_overlay, _) = old_and_new();
    let selected = new.select(&new.operation_ids()).expect("select");
    let error = Overlay::from_toml(&old_overlay, "lambda.overlay.toml", &selected)
        .expect_err("the overlay lists a value the model dropped");
    assert_eq!(
        error.kind,
        SpecErrorKind::OverlayPath {
            rule: "validation.enum_order".into(),
            path: format!("{NS}EventSourcePosition"),
            reason: "`AT_TIMESTAMP` is not one of its values".into(),
        }
    );
}

#[test]
fn regenerated_code_shows_the_three_edits() {
    let (old, new, old_overlay, new_overlay) = old_and_new();
    let before = regenerate(&old, &old_overlay);
    let after = regenerate(&new, &new_overlay);
    syn::parse_file(&after).expect("the regenerated code parses");

    // 1. The new member: a snake_case field with its wire name, and its range check.
    let request = item(&after, "pub struct CreateEventSourceMappingRequest {");
    assert!(!before.contains("MaxKMSPollers"));
    assert!(
        request.contains(
            "    #[serde(rename = \"MaxKMSPollers\")]\n    #[serde(default, skip_serializing_if = \"::std::option::Option::is_none\")]\n    pub max_kms_pollers: ::std::option::Option<i32>,\n"
        ),
        "{request}"
    );
    let check = member_check(
        validate_impl(&after, "CreateEventSourceMappingRequest"),
        "MaxKMSPollers",
    );
    assert!(check.contains("check_number"), "{check}");
    assert!(
        check.contains("::std::option::Option::Some((3f64, \"3\"))"),
        "{check}"
    );
    assert!(
        check.contains("::std::option::Option::Some((42f64, \"42\"))"),
        "{check}"
    );
    assert!(
        check.contains("\"com.amazonaws.lambda#PollerCount\""),
        "{check}"
    );
    let schema = property_schema(
        schema_impl(&after, "CreateEventSourceMappingRequest"),
        "MaxKMSPollers",
    );
    assert!(schema.contains("from_str(\"3\")"), "{schema}");
    assert!(schema.contains("from_str(\"42\")"), "{schema}");
    // The member is in `MEMBERS` and `Inspect` too.
    let shape = item(
        &after,
        "impl ::conform_runtime::Shape for CreateEventSourceMappingRequest {",
    );
    assert!(shape.contains("\"MaxKMSPollers\""), "{shape}");

    // 2. BatchSize's max: 10000 before, 12345 after, in every check and schema of BatchSize.
    for ty in [
        "CreateEventSourceMappingRequest",
        "UpdateEventSourceMappingRequest",
        "EventSourceMappingConfiguration",
    ] {
        let old_check = member_check(validate_impl(&before, ty), "BatchSize");
        let new_check = member_check(validate_impl(&after, ty), "BatchSize");
        assert!(old_check.contains("::std::option::Option::Some((10000f64, \"10000\"))"));
        assert!(!new_check.contains("10000"), "{new_check}");
        assert!(
            new_check.contains("::std::option::Option::Some((12345f64, \"12345\"))"),
            "{new_check}"
        );
        assert!(new_check.contains("::std::option::Option::Some((1f64, \"1\"))"));
        let old_schema = property_schema(schema_impl(&before, ty), "BatchSize");
        let new_schema = property_schema(schema_impl(&after, ty), "BatchSize");
        assert!(old_schema.contains("from_str(\"10000\")"), "{old_schema}");
        assert!(!new_schema.contains("10000"), "{new_schema}");
        assert!(new_schema.contains("from_str(\"12345\")"), "{new_schema}");
    }
    // Other members with a max of 10000 keep it: the literal only left BatchSize's checks.
    assert_eq!(
        before.matches("(10000f64, \"10000\")").count() - 3,
        after.matches("(10000f64, \"10000\")").count()
    );
    assert_eq!(after.matches("(12345f64, \"12345\")").count(), 3);

    // 3. AT_TIMESTAMP: gone from the enum, its `VALUES`, its conversions and its schema.
    let old_enum = item(&before, "pub enum EventSourcePosition {");
    let new_enum = item(&after, "pub enum EventSourcePosition {");
    assert!(old_enum.contains("    AtTimestamp,\n"));
    assert_eq!(
        new_enum,
        "pub enum EventSourcePosition {\n    /// Start at the oldest record still kept by the stream.\n    TrimHorizon,\n    /// Start with records that arrive after the mapping is created.\n    Latest,\n    /// A value outside the model's set: kept, so validation can report it.\n    Unknown(::std::string::String),\n}\n"
    );
    let methods = item(&after, "impl EventSourcePosition {");
    assert!(
        methods.contains(
            "pub const VALUES: &'static [&'static str] = &[\"TRIM_HORIZON\", \"LATEST\"];"
        ),
        "{methods}"
    );
    assert!(!methods.contains("AT_TIMESTAMP") && !methods.contains("AtTimestamp"));
    let from = item(
        &after,
        "impl ::std::convert::From<&str> for EventSourcePosition {",
    );
    assert!(
        !from.contains("AT_TIMESTAMP") && !from.contains("AtTimestamp"),
        "{from}"
    );
    let schema = schema_impl(&after, "EventSourcePosition");
    assert!(
        schema.contains("\"enum\" : [\"TRIM_HORIZON\", \"LATEST\"]"),
        "{schema}"
    );
    // The variant is gone everywhere; the wire value stays only where the overlay's rules
    // still compare with it (their messages and conditions are text, not enum variants).
    assert!(before.contains("EventSourcePosition::AtTimestamp"));
    assert!(!after.contains("AtTimestamp"));
}

#[test]
fn diff_reports_the_three_edits() {
    let (old, new, _, _) = old_and_new();
    let changes = diff(&old, &new).expect("diff");
    let used_by = |paths: &[&str]| paths.iter().map(|p| (*p).to_owned()).collect::<Vec<_>>();
    // Exactly the three edits, each reported once on the shape that changed, with every
    // operation path that shows it.
    assert_eq!(
        changes,
        [
            Change {
                kind: ChangeKind::Changed,
                subject: "constraint",
                shape: format!("{NS}BatchSize"),
                detail: r#"range {"min":1,"max":10000} -> {"min":1,"max":12345}"#.into(),
                used_by: used_by(&[
                    "CreateEventSourceMapping input.BatchSize",
                    "CreateEventSourceMapping output.BatchSize",
                    "GetEventSourceMapping output.BatchSize",
                    "UpdateEventSourceMapping input.BatchSize",
                    "UpdateEventSourceMapping output.BatchSize",
                    "DeleteEventSourceMapping output.BatchSize",
                    "ListEventSourceMappings output.EventSourceMappings[].BatchSize",
                ]),
            },
            Change {
                kind: ChangeKind::Removed,
                subject: "constraint",
                shape: format!("{NS}EventSourcePosition"),
                detail: "enum value AT_TIMESTAMP removed".into(),
                used_by: used_by(&[
                    "CreateEventSourceMapping input.StartingPosition",
                    "CreateEventSourceMapping output.StartingPosition",
                    "GetEventSourceMapping output.StartingPosition",
                    "UpdateEventSourceMapping output.StartingPosition",
                    "DeleteEventSourceMapping output.StartingPosition",
                    "ListEventSourceMappings output.EventSourceMappings[].StartingPosition",
                ]),
            },
            Change {
                kind: ChangeKind::Added,
                subject: "member",
                shape: format!("{NS}CreateEventSourceMappingRequest$MaxKMSPollers"),
                detail: "integer added".into(),
                used_by: used_by(&["CreateEventSourceMapping input.MaxKMSPollers"]),
            },
        ]
    );
    assert_eq!(
        changes[2].to_string(),
        "+ member com.amazonaws.lambda#CreateEventSourceMappingRequest$MaxKMSPollers: \
         integer added (in CreateEventSourceMapping input.MaxKMSPollers)"
    );
    // An unchanged model differs in nothing.
    assert_eq!(diff(&old, &old).expect("diff"), []);
}
