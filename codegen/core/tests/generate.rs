//! The generator on small inline Smithy models: one feature per test, asserted on the
//! pretty-printed code, and the errors, each naming the shape it cannot generate. Every
//! expansion must parse again as a whole Rust file (`code`); the `models!` UI pass test
//! (`codegen/macros/tests/ui/pass_features.rs`) compiles and runs a model with the same
//! features.

use conform_codegen::{expand, generate, CodegenError, Options};
use conform_spec::{Condition, Model, Overlay};
use serde_json::{json, Value};

fn model(shapes: Value) -> Model {
    let document = json!({ "smithy": "2.0", "shapes": shapes });
    Model::from_json(&document.to_string(), "inline.json").expect("the model loads")
}

/// Generates without an overlay and pretty-prints; the text must parse as a Rust file.
fn code(shapes: Value) -> String {
    let tokens = generate(&model(shapes), None, &Options::default()).expect("generates");
    let text = expand(&tokens).expect("expands");
    if let Err(e) = syn::parse_file(&text) {
        panic!("the expansion does not parse as a Rust file: {e}\n{text}");
    }
    text
}

fn error(shapes: Value) -> CodegenError {
    generate(&model(shapes), None, &Options::default()).expect_err("generation fails")
}

/// The top-level item of `code` that starts with the line `header`, up to its closing brace.
fn item<'a>(code: &'a str, header: &str) -> &'a str {
    let start = if code.starts_with(header) {
        0
    } else {
        code.find(&format!("\n{header}"))
            .unwrap_or_else(|| panic!("no item `{header}` in:\n{code}"))
            + 1
    };
    let length = code[start..].find("\n}\n").expect("item end") + 3;
    &code[start..start + length]
}

fn assert_contains(haystack: &str, needle: &str) {
    assert!(
        haystack.contains(needle),
        "expected\n{needle}\nin\n{haystack}"
    );
}

/// As `assert_contains`, with whitespace runs folded on both sides: prettyplease wraps the
/// bodies of macro calls (`json!`, `json_schema!`) wherever the line width falls.
fn assert_contains_flat(haystack: &str, needle: &str) {
    let fold = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    assert_contains(&fold(haystack), &fold(needle));
}

const OPTIONAL: &str =
    "    #[serde(default, skip_serializing_if = \"::std::option::Option::is_none\")]\n";

#[test]
fn recursive_structure_is_boxed_where_the_cycle_needs_it() {
    let code = code(json!({
        "ex#Node": { "type": "structure", "members": {
            "Name": { "target": "smithy.api#String" },
            "Next": { "target": "ex#Node" },
            "Children": { "target": "ex#Nodes" }
        }},
        "ex#Nodes": { "type": "list", "member": { "target": "ex#Node" } }
    }));
    let node = item(&code, "pub struct Node {");
    // A direct cycle is boxed; a list already puts its items on the heap.
    assert_contains(
        node,
        "    pub next: ::std::option::Option<::std::boxed::Box<Node>>,\n",
    );
    assert_contains(
        node,
        "    pub children: ::std::option::Option<::std::vec::Vec<Node>>,\n",
    );
    assert_contains(
        node,
        "    pub name: ::std::option::Option<::std::string::String>,\n",
    );
    // Validation and required-member filling recurse.
    let validate = item(&code, "impl ::conform_runtime::Validate for Node {");
    assert_contains(
        validate,
        "::conform_runtime::Validate::validate_into(value, checker);",
    );
    assert_contains(
        validate,
        "checker.enter(::conform_runtime::Segment::Index(index));",
    );
    let shape = item(&code, "impl ::conform_runtime::Shape for Node {");
    assert_contains(
        shape,
        "<Node as ::conform_runtime::Shape>::fill_required(child, checker);",
    );
}

#[test]
fn mutual_recursion_boxes_both_sides() {
    let code = code(json!({
        "ex#A": { "type": "structure", "members": { "B": { "target": "ex#B" } } },
        "ex#B": { "type": "structure", "members": { "A": { "target": "ex#A" } } }
    }));
    assert_contains(
        item(&code, "pub struct A {"),
        "    pub b: ::std::option::Option<::std::boxed::Box<B>>,\n",
    );
    assert_contains(
        item(&code, "pub struct B {"),
        "    pub a: ::std::option::Option<::std::boxed::Box<A>>,\n",
    );
}

#[test]
fn union_is_an_externally_tagged_enum() {
    let code = code(json!({
        "ex#Choice": { "type": "union", "members": {
            "Text": { "target": "smithy.api#String", "traits": { "smithy.api#length": { "max": 5 } } },
            "Count": { "target": "ex#Count" }
        }},
        "ex#Count": { "type": "integer", "traits": { "smithy.api#range": { "min": 0, "max": 9 } } }
    }));
    assert_eq!(
        item(&code, "pub enum Choice {"),
        "pub enum Choice {\n    #[serde(rename = \"Text\")]\n    Text(::std::string::String),\n    #[serde(rename = \"Count\")]\n    Count(i32),\n}\n"
    );
    // No `deny_unknown_fields` or `Unknown` variant: serde's tagging rejects other members.
    assert_contains(
        &code,
        "#[serde(crate = \"::conform_runtime::serde\")]\npub enum Choice {",
    );
    let validate = item(&code, "impl ::conform_runtime::Validate for Choice {");
    assert_contains(validate, "Choice::Count(value) => {");
    // A scalar member's segment joins the path only when it fails.
    assert_contains_flat(validate, ".report_member( \"Count\",");
    assert_contains(validate, "::std::option::Option::Some((9f64, \"9\"))");
    assert_contains(validate, "::std::option::Option::Some(5u64)");
    let schema = item(
        &code,
        "impl ::conform_runtime::schemars::JsonSchema for Choice {",
    );
    assert_contains(schema, "\"oneOf\"");
    assert_contains_flat(schema, "\"required\" : [\"Text\"]");
    assert_contains_flat(schema, "\"required\" : [\"Count\"]");
}

#[test]
fn int_enum_keeps_unknown_values() {
    let code = code(json!({
        "ex#Level": { "type": "intEnum", "members": {
            "LOW": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": 1 } },
            "HIGH": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": 10 } }
        }},
        "ex#Holder": { "type": "structure", "members": { "Level": { "target": "ex#Level" } } }
    }));
    assert_contains(
        &code,
        "#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]\npub enum Level {\n    Low,\n    High,\n",
    );
    assert_contains(item(&code, "pub enum Level {"), "    Unknown(i64),\n");
    let methods = item(&code, "impl Level {");
    assert_contains(
        methods,
        "pub const VALUES: &'static [&'static str] = &[\"1\", \"10\"];",
    );
    assert_contains(methods, "Level::High => 10i64,");
    let from = item(&code, "impl ::std::convert::From<i64> for Level {");
    assert_contains(from, "1i64 => Level::Low,");
    assert_contains(from, "other => Level::Unknown(other),");
    assert_contains(&code, "serializer.serialize_i64(self.value())");
    assert_contains(&code, "\"enum\" : [1i64, 10i64]");
    let validate = item(&code, "impl ::conform_runtime::Validate for Holder {");
    assert_contains(validate, "value.is_unknown(),\n");
    assert_contains(validate, "Level::VALUES,");
    assert_contains(
        item(&code, "pub struct Holder {"),
        "    pub level: ::std::option::Option<Level>,\n",
    );
}

#[test]
fn map_with_enum_keys() {
    let code = code(json!({
        "ex#Color": { "type": "enum", "members": {
            "RED": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "red" } },
            "DARK_BLUE": { "target": "smithy.api#Unit", "traits": { "smithy.api#enumValue": "dark-blue" } }
        }},
        "ex#Weights": { "type": "map", "key": { "target": "ex#Color" }, "value": { "target": "ex#Weight" },
            "traits": { "smithy.api#length": { "max": 2 } } },
        "ex#Weight": { "type": "integer", "traits": { "smithy.api#range": { "min": 1 } } },
        "ex#Palette": { "type": "structure", "members": { "Weights": { "target": "ex#Weights" } } }
    }));
    assert_contains(
        item(&code, "pub struct Palette {"),
        "    pub weights: ::std::option::Option<::std::collections::BTreeMap<Color, i32>>,\n",
    );
    // An enum key type must be ordered for the BTreeMap.
    assert_contains(
        &code,
        "#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]\npub enum Color {\n    Red,\n    DarkBlue,\n",
    );
    assert_contains(
        item(&code, "impl Color {"),
        "pub const VALUES: &'static [&'static str] = &[\"red\", \"dark-blue\"];",
    );
    let validate = item(&code, "impl ::conform_runtime::Validate for Palette {");
    // The map's own size, then its keys, then its values, each reported on the map.
    let count = validate.find("check_count(").expect("count check");
    let keys = validate
        .find("::conform_runtime::ItemRole::Key")
        .expect("key check");
    let values = validate
        .find("::conform_runtime::ItemRole::Value")
        .expect("value check");
    assert!(count < keys && keys < values);
    assert_contains(
        validate,
        "key.is_unknown(),\n                    Color::VALUES,",
    );
    assert_contains(validate, "::std::option::Option::Some((1f64, \"1\"))");
    let schema = item(
        &code,
        "impl ::conform_runtime::schemars::JsonSchema for Palette {",
    );
    assert_contains(schema, "\"propertyNames\"");
    assert_contains_flat(schema, "\"propertyNames\" : (::conform_runtime::serde_json::Value::from(generator.subschema_for:: < Color > ()))");
    assert_contains(schema, "\"maxProperties\"");
}

#[test]
fn list_of_structures() {
    let code = code(json!({
        "ex#Item": { "type": "structure", "members": {
            "Id": { "target": "smithy.api#String", "traits": { "smithy.api#required": {}, "smithy.api#pattern": "^[a-z]+$" } }
        }},
        "ex#Items": { "type": "list", "member": { "target": "ex#Item" }, "traits": { "smithy.api#length": { "min": 1, "max": 3 } } },
        "ex#Basket": { "type": "structure", "members": { "Items": { "target": "ex#Items" } } }
    }));
    assert_contains(
        item(&code, "pub struct Basket {"),
        "    pub items: ::std::option::Option<::std::vec::Vec<Item>>,\n",
    );
    let validate = item(&code, "impl ::conform_runtime::Validate for Basket {");
    assert_contains(
        validate,
        "::conform_runtime::validate::check_count(\n                value.len() as u64,\n                ::std::option::Option::Some(1u64),\n                ::std::option::Option::Some(3u64),",
    );
    assert_contains(
        validate,
        "checker.enter(::conform_runtime::Segment::Index(index));",
    );
    assert_contains(
        validate,
        "::conform_runtime::Validate::validate_into(item, checker);",
    );
    // A list far over its maximum is not walked item by item.
    assert_contains(
        validate,
        "item_check_limit(\n                        ::std::option::Option::Some(3u64),",
    );
    // The pattern is declared once, as a static.
    assert_contains_flat(
        &code,
        "static PATTERN_0: ::conform_runtime::Pattern = ::conform_runtime::Pattern::new( \"^[a-z]+$\", );",
    );
    assert_contains(
        item(&code, "impl ::conform_runtime::Validate for Item {"),
        "pattern: ::std::option::Option::Some(&PATTERN_0),",
    );
}

#[test]
fn member_kinds() {
    let code = code(json!({
        "ex#Record": { "type": "structure", "members": {
            "Name": { "target": "smithy.api#String", "traits": { "smithy.api#required": {} } },
            "Secret": { "target": "ex#Secret" },
            "userName": { "target": "smithy.api#String", "traits": { "smithy.api#jsonName": "user_name" } },
            "When": { "target": "smithy.api#Timestamp", "traits": { "smithy.api#timestampFormat": "epoch-seconds" } },
            "Doc": { "target": "smithy.api#Document" },
            "Data": { "target": "ex#Data" }
        }},
        "ex#Secret": { "type": "string", "traits": { "smithy.api#sensitive": {}, "smithy.api#length": { "min": 8 } } },
        "ex#Data": { "type": "blob", "traits": { "smithy.api#length": { "max": 16 } } }
    }));
    let record = item(&code, "pub struct Record {");
    // Required: no Option, no skip, and no Default derive for the struct.
    assert_contains(
        record,
        "    #[serde(rename = \"Name\")]\n    pub name: ::std::string::String,\n",
    );
    assert_contains(
        &code,
        "#[derive(\n    Debug,\n    Clone,\n    PartialEq,\n    ::conform_runtime::serde::Serialize,",
    );
    let shape = item(&code, "impl ::conform_runtime::Shape for Record {");
    assert_contains(shape, "checker.missing(\"Name\", \"smithy.api#String\");");
    let schema = item(
        &code,
        "impl ::conform_runtime::schemars::JsonSchema for Record {",
    );
    assert_contains_flat(
        schema,
        "\"required\" : [\"Name\"], \"additionalProperties\" : false",
    );
    // Sensitive: the report withholds the value.
    let validate = item(&code, "impl ::conform_runtime::Validate for Record {");
    assert_contains_flat(validate, ".report_member( \"Secret\", \"ex#Secret\", true,");
    assert_contains_flat(validate, ".report_member( \"Data\", \"ex#Data\", false,");
    // jsonName: the wire name in serde, schema and AWS text; the member name in paths.
    assert_contains(
        record,
        &format!("    #[serde(rename = \"user_name\")]\n{OPTIONAL}    pub user_name: ::std::option::Option<::std::string::String>,\n"),
    );
    assert_contains(schema, "\"user_name\".to_owned(),");
    assert!(!schema.contains("\"userName\""));
    assert_contains_flat(
        &code,
        "parts.push(::conform_runtime::text::entry(\"user_name\", value));",
    );
    assert_contains(
        shape,
        "const MEMBERS: &'static [&'static str] = &[\n        \"Name\",\n        \"Secret\",\n        \"userName\",",
    );
    // Timestamp, document and blob.
    assert_contains(
        record,
        "    pub when: ::std::option::Option<::conform_runtime::Timestamp>,\n",
    );
    assert_contains(
        record,
        "    pub doc: ::std::option::Option<::conform_runtime::serde_json::Value>,\n",
    );
    assert_contains(
        record,
        "    pub data: ::std::option::Option<::std::string::String>,\n",
    );
    assert_contains_flat(schema, "\"When\".to_owned(), ::conform_runtime::serde_json::json!( { \"anyOf\" : [(::conform_runtime::serde_json::json!({ \"type\" : \"number\" })), { \"type\" : \"null\" }] }");
    assert_contains_flat(
        schema,
        "\"Doc\".to_owned(), ::conform_runtime::serde_json::json!( { \"anyOf\" : [(::conform_runtime::serde_json::json!({})), { \"type\" : \"null\" }] }",
    );
    assert_contains(validate, "::std::option::Option::Some(16u64),");
}

#[test]
fn keyword_and_acronym_member_names() {
    let code = code(json!({
        "ex#Thing": { "type": "structure", "members": {
            "Type": { "target": "smithy.api#String" },
            "KMSKeyArn": { "target": "smithy.api#String" },
            "URI": { "target": "smithy.api#String" }
        }}
    }));
    let thing = item(&code, "pub struct Thing {");
    assert_contains(thing, "    #[serde(rename = \"Type\")]\n");
    assert_contains(
        thing,
        "    pub r#type: ::std::option::Option<::std::string::String>,\n",
    );
    assert_contains(thing, "    #[serde(rename = \"KMSKeyArn\")]\n");
    assert_contains(thing, "    pub kms_key_arn: ");
    assert_contains(thing, "    #[serde(rename = \"URI\")]\n");
    assert_contains(thing, "    pub uri: ");
}

#[test]
fn operation_metadata_and_validate_methods() {
    let code = code(json!({
        "ex#Service": { "type": "service", "version": "1", "operations": [{ "target": "ex#PutThing" }] },
        "ex#PutThing": {
            "type": "operation",
            "input": { "target": "ex#PutThingInput" },
            "errors": [{ "target": "ex#Oops" }],
            "traits": { "smithy.api#http": { "method": "PUT", "uri": "/things/{Name}", "code": 201 } }
        },
        "ex#PutThingInput": { "type": "structure", "members": {
            "Name": { "target": "smithy.api#String", "traits": { "smithy.api#required": {}, "smithy.api#httpLabel": {} } },
            "Limit": { "target": "smithy.api#Integer", "traits": { "smithy.api#httpQuery": "limit" } }
        }},
        "ex#Oops": { "type": "structure", "members": { "message": { "target": "smithy.api#String" } },
            "traits": { "smithy.api#error": "client", "smithy.api#httpError": 409 } }
    }));
    let errors = item(&code, "pub mod errors {");
    assert_contains(errors, "name: \"Oops\",\n        status: 409u16,\n        message_key: ::conform_runtime::MessageKey::Lower,\n        fault: \"client\",");
    let operations = item(&code, "pub mod operations {");
    assert_contains(
        operations,
        "pub static PUT_THING: ::conform_runtime::OperationMeta",
    );
    assert_contains(
        operations,
        "method: \"PUT\",\n        uri: \"/things/{Name}\",\n        success_code: 201u16,",
    );
    assert_contains(operations, "member: \"Limit\",\n                wire: \"limit\",\n                list: false,\n                numeric: true,");
    assert_contains(operations, "errors: &[&OOPS_META],");
    let enums = item(&code, "pub mod operation_errors {");
    assert_contains(
        enums,
        "pub enum PutThingError {\n        Oops(super::Oops),\n    }",
    );
    let methods = item(&code, "impl PutThingInput {");
    assert_contains(
        methods,
        "pub fn validate(&self) -> ::std::vec::Vec<::conform_runtime::Violation> {",
    );
    assert_contains(
        methods,
        "self.rule_violations_into(context, &mut violations);",
    );
    // Without an overlay there are no rules to generate.
    assert_contains(
        methods,
        "pub fn rule_violations_into(\n        &self,\n        _context:",
    );
    assert!(
        !methods.contains("validate_update"),
        "no overlay, no update rules"
    );
    assert_contains(item(&code, "pub fn validate_input("), "\"PutThing\" => {");
}

#[test]
fn member_timestamp_format_date_time_is_unsupported() {
    let error = error(json!({
        "ex#Event": { "type": "structure", "members": {
            "When": { "target": "smithy.api#Timestamp", "traits": { "smithy.api#timestampFormat": "date-time" } }
        }}
    }));
    assert_eq!(
        error,
        CodegenError::Unsupported {
            shape: "ex#Event$When".into(),
            message: "only epoch-seconds timestamps are supported (target `smithy.api#Timestamp`)"
                .into(),
        }
    );
    assert_eq!(
        error.to_string(),
        "shape `ex#Event$When`: only epoch-seconds timestamps are supported (target `smithy.api#Timestamp`)"
    );
}

#[test]
fn shape_timestamp_format_is_reported_on_the_shape() {
    // Declared on the timestamp shape itself: the shape is named, also through a list.
    let error = error(json!({
        "ex#Date": { "type": "timestamp", "traits": { "smithy.api#timestampFormat": "http-date" } },
        "ex#Dates": { "type": "list", "member": { "target": "ex#Date" } },
        "ex#Event": { "type": "structure", "members": { "When": { "target": "ex#Dates" } } }
    }));
    assert_eq!(
        error,
        CodegenError::Unsupported {
            shape: "ex#Date".into(),
            message: "only epoch-seconds timestamps are supported".into(),
        }
    );
}

#[test]
fn http_payload_is_unsupported() {
    let error = error(json!({
        "ex#Upload": { "type": "structure", "members": {
            "Body": { "target": "smithy.api#Blob", "traits": { "smithy.api#httpPayload": {} } }
        }}
    }));
    assert_eq!(
        error.to_string(),
        "shape `ex#Upload$Body`: the `httpPayload` trait is not supported by the generator"
    );
    assert!(matches!(error, CodegenError::Unsupported { shape, .. } if shape == "ex#Upload$Body"));
}

#[test]
fn pattern_that_compiles_on_neither_engine() {
    let error = error(json!({
        "ex#Name": { "type": "string", "traits": { "smithy.api#pattern": "([a-z]" } },
        "ex#Thing": { "type": "structure", "members": { "Name": { "target": "ex#Name" } } }
    }));
    let CodegenError::BadPattern {
        shape,
        pattern,
        message,
    } = &error
    else {
        panic!("expected BadPattern, got {error:?}");
    };
    assert_eq!(shape, "ex#Name");
    assert_eq!(pattern, "([a-z]");
    assert!(message.contains("regex crate also refused it"), "{message}");
    assert!(
        error
            .to_string()
            .starts_with("shape `ex#Name`: pattern /([a-z]/ does not compile: "),
        "{error}"
    );
}

#[test]
fn member_pattern_that_does_not_compile_names_the_member() {
    let error = error(json!({
        "ex#Thing": { "type": "structure", "members": {
            "Code": { "target": "smithy.api#String", "traits": { "smithy.api#pattern": "([a-z]" } }
        }}
    }));
    assert!(
        matches!(&error, CodegenError::BadPattern { shape, pattern, .. } if shape == "ex#Thing$Code" && pattern == "([a-z]"),
        "{error:?}"
    );
}

#[test]
fn look_around_patterns_compile_on_the_backtracking_engine() {
    let code = code(json!({
        "ex#Thing": { "type": "structure", "members": {
            "Code": { "target": "smithy.api#String", "traits": { "smithy.api#pattern": "^(?!aws)[a-z]+$" } }
        }}
    }));
    assert_contains_flat(
        &code,
        "static PATTERN_0: ::conform_runtime::Pattern = ::conform_runtime::Pattern::new( \"^(?!aws)[a-z]+$\", );",
    );
    assert_eq!(
        conform_runtime::pattern::check("^(?!aws)[a-z]+$"),
        Ok("split look-ahead")
    );
}

#[test]
fn a_value_the_reader_refuses_is_an_error_not_a_panic() {
    let model = model(json!({
        "ex#Service": { "type": "service", "version": "1", "operations": [{ "target": "ex#PutThing" }] },
        "ex#PutThing": {
            "type": "operation",
            "input": { "target": "ex#PutThingInput" },
            "traits": { "smithy.api#http": { "method": "PUT", "uri": "/things", "code": 200 } }
        },
        "ex#PutThingInput": { "type": "structure", "members": {
            "Limit": { "target": "smithy.api#Integer" }
        }}
    }));
    let toml = "format = 1\nconfiguration = \"ex#PutThingInput\"\n[[rule]]\nid = \"limit\"\norder = 1\n\
                evidence = \"assumed: test\"\noperations = [\"PutThing\"]\npaths = [\"Limit\"]\n\
                when = [{ path = \"Limit\", gt = 1 }]\nerror = \"ValidationException\"\nmessage = \"No.\"\n";
    let loaded = Overlay::from_toml(toml, "inline.toml", &model).expect("the overlay loads");
    generate(&model, Some(&loaded), &Options::default()).expect("generates");
    // An overlay built in code skips the reader's checks; proc_macro2 panics on a NaN literal.
    let path = || "Limit".to_owned();
    let cases = [
        (Condition::Greater(path(), f64::NAN), "NaN"),
        (Condition::LessOrEqual(path(), f64::NEG_INFINITY), "-inf"),
        (
            Condition::Outside(path(), vec![(0.0, f64::INFINITY)]),
            "inf",
        ),
        (Condition::Equals(path(), Value::Null), "null"),
    ];
    for (condition, shown) in cases {
        let mut overlay = loaded.clone();
        overlay.rules[0].when = vec![condition];
        let error = generate(&model, Some(&overlay), &Options::default()).expect_err("refused");
        assert_eq!(
            error.to_string(),
            format!("inline.toml: rule `limit`: a condition cannot compare with {shown}")
        );
    }
}

#[test]
fn operation_without_http_is_unsupported() {
    let error = error(json!({
        "ex#Ping": { "type": "operation", "input": { "target": "ex#PingInput" } },
        "ex#PingInput": { "type": "structure", "members": {} }
    }));
    assert_eq!(
        error,
        CodegenError::Unsupported {
            shape: "ex#Ping".into(),
            message: "an operation needs the `http` trait (restJson1)".into(),
        }
    );
}

#[test]
fn operation_without_modeled_errors_has_an_empty_error_enum_that_compiles() {
    let code = code(json!({
        "ex#Ping": {
            "type": "operation",
            "input": { "target": "ex#PingInput" },
            "traits": { "smithy.api#http": { "method": "GET", "uri": "/ping" } }
        },
        "ex#PingInput": { "type": "structure", "members": {} }
    }));
    let enums = item(&code, "pub mod operation_errors {");
    assert_contains(enums, "pub enum PingError {}");
    // `match self {}` on `&PingError` is rejected by rustc (E0004); `match *self {}` is not.
    assert_contains(enums, "match *self {}");
    assert_contains(item(&code, "pub mod operations {"), "success_code: 200u16,");
}
