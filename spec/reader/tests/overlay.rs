//! The overlay against a small model: a valid file with every kind of condition, then each way an
//! overlay can be wrong, with the rule, path and line the error names.

#[path = "support/small.rs"]
mod small;

use conform_spec::{Condition, Model, Overlay, RuleTarget, SpecError, SpecErrorKind};
use serde_json::json;
use small::{line_of, load};

fn model() -> Model {
    load(json!({
        "ns#Svc": {"type": "service", "operations": [
            {"target": "ns#CreateThing"}, {"target": "ns#UpdateThing"}, {"target": "ns#GetThing"}, {"target": "ns#Ping"}
        ]},
        "ns#CreateThing": {"type": "operation", "input": {"target": "ns#CreateThingRequest"},
                           "output": {"target": "ns#ThingConfiguration"},
                           "errors": [{"target": "ns#InvalidParameterValueException"}, {"target": "ns#ResourceConflictException"},
                                      {"target": "ns#ResourceNotFoundException"}]},
        "ns#UpdateThing": {"type": "operation", "input": {"target": "ns#UpdateThingRequest"},
                           "output": {"target": "ns#ThingConfiguration"},
                           "errors": [{"target": "ns#InvalidParameterValueException"}]},
        "ns#GetThing": {"type": "operation", "input": {"target": "ns#GetThingRequest"}, "output": {"target": "ns#ThingConfiguration"}},
        "ns#Ping": {"type": "operation"},
        "ns#CreateThingRequest": {"type": "structure", "members": {
            "Name": {"target": "smithy.api#String", "traits": {"smithy.api#required": {}}},
            "Size": {"target": "smithy.api#Integer"},
            "Source": {"target": "smithy.api#String"},
            "Mode": {"target": "ns#Mode"},
            "Filters": {"target": "ns#FilterList"},
            "When": {"target": "smithy.api#Timestamp"},
            "Tags": {"target": "ns#Tags"},
            "Enabled": {"target": "smithy.api#Boolean"},
            "Level": {"target": "ns#Level"},
            "Extra": {"target": "smithy.api#Document"},
            "Choice": {"target": "ns#Choice"}
        }},
        "ns#UpdateThingRequest": {"type": "structure", "members": {
            "Id": {"target": "smithy.api#String", "traits": {"smithy.api#httpLabel": {}, "smithy.api#required": {}}},
            "Size": {"target": "smithy.api#Integer"},
            "Mode": {"target": "ns#Mode"},
            "Filters": {"target": "ns#FilterList"}
        }},
        "ns#GetThingRequest": {"type": "structure", "members": {"Id": {"target": "smithy.api#String"}}},
        "ns#ThingConfiguration": {"type": "structure", "members": {
            "Id": {"target": "smithy.api#String"},
            "Name": {"target": "smithy.api#String"},
            "Size": {"target": "smithy.api#Integer"},
            "Mode": {"target": "ns#Mode"},
            "State": {"target": "smithy.api#String"},
            "Source": {"target": "smithy.api#String"},
            "Details": {"target": "ns#Details"}
        }},
        "ns#Details": {"type": "structure", "members": {"Owner": {"target": "smithy.api#String"}}},
        "ns#FilterList": {"type": "list", "member": {"target": "ns#Filter"}},
        "ns#Filter": {"type": "structure", "members": {"Pattern": {"target": "smithy.api#String"}}},
        "ns#Tags": {"type": "map", "key": {"target": "smithy.api#String"}, "value": {"target": "smithy.api#String"}},
        "ns#Level": {"type": "intEnum", "members": {
            "Low": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 1}},
            "High": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": 2}}
        }},
        "ns#Choice": {"type": "union", "members": {
            "A": {"target": "smithy.api#String"}, "B": {"target": "smithy.api#Integer"}
        }},
        "ns#Mode": {"type": "enum", "members": {
            "Fast": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "FAST"}},
            "Slow": {"target": "smithy.api#Unit", "traits": {"smithy.api#enumValue": "SLOW"}}
        }},
        "ns#InvalidParameterValueException": {"type": "structure", "traits": {"smithy.api#error": "client"}},
        "ns#ResourceConflictException": {"type": "structure", "traits": {"smithy.api#error": "client"}},
        "ns#ResourceNotFoundException": {"type": "structure", "traits": {"smithy.api#error": "client"}}
    }))
}

const HEADER: &str = r#"format = 1
configuration = "ns#ThingConfiguration"

[validation]
error = "ValidationException"

[validation.enum_order]
"ns#Mode" = ["SLOW", "FAST"]

[[source]]
id = "queue"
label = "A queue"
match = { arn_member = "Source", arn_service = ["sqs"], resource_suffix = ".fifo" }
state_transition_reason = "USER_INITIATED"
defaults = { Size = 10, Details = { Owner = "{Name}" } }
missing = { error = "ResourceNotFoundException", message = "Queue {Source} does not exist." }
duplicate = { key = ["Source", "Name"], error = "ResourceConflictException", message = "Thing {Id} already reads {Source}." }

[[source]]
id = "stream"
label = "A stream"
match = { arn_member = "Source", arn_service = ["kinesis", "dynamodb"], resource_contains = "/stream/", resource_prefix = "table/", member_present = "Mode" }
state_transition_reason = "User action"
"#;

const RULES: &str = r#"
[[rule]]
id = "every-test"
order = 50
doc = "Exercises every kind of condition."
evidence = "assumed: test"
operations = ["CreateThing"]
paths = ["Name", "Size", "Mode", "Filters[].Pattern", "When", "Tags{key}"]
when = [
  { present = "Name" },
  { absent = "Tags" },
  { path = "Mode", equals = "FAST" },
  { path = "Mode", in = ["FAST", "SLOW"] },
  { path = "Mode", not_in = ["SLOW"] },
  { path = "Size", gt = 1 },
  { path = "Size", ge = 2.5 },
  { path = "Size", lt = 100 },
  { path = "Size", le = 99 },
  { path = "Size", outside = [[1, 10], [20, 30]] },
  { path = "Name", plain_name_longer_than = 64 },
  { path = "Filters[].Pattern", invalid_filter_pattern = true },
  { path = "When", in_future = true },
]
error = "InvalidParameterValueException"
message = "Thing {Name} of size {Size} is not allowed."

[[rule]]
id = "size-window"
order = 10
evidence = "recorded:case-1"
operations = ["CreateThing", "UpdateThing"]
paths = ["Size"]
except_sources = ["queue"]
when = [{ path = "Size", outside = [[1, 10]] }]
error = "InvalidParameterValueException"
message = "Size {Size} is out of range; the thing is {State}."

[[rule]]
id = "stream-needs-mode"
order = 30
evidence = "reference"
operations = ["CreateThing"]
paths = ["Mode"]
sources = ["stream"]
when = [{ absent = "Mode" }]
error = "ValidationException"
message = "Mode is required."

[[rule]]
id = "resulting-state"
order = 20
evidence = "assumed: test"
operations = ["UpdateThing"]
paths = ["State"]
on = "resulting"
when = [{ path = "State", equals = "Deleting" }, { present = "Details.Owner" }]
error = "InvalidParameterValueException"
message = "Thing {Id} is {State}."
"#;

fn overlay(text: &str) -> Result<Overlay, Box<SpecError>> {
    Overlay::from_toml(text, "overlay.toml", &model()).map_err(Box::new)
}

fn overlay_err(text: &str) -> SpecError {
    match overlay(text) {
        Ok(_) => panic!("overlay should be rejected:\n{text}"),
        Err(e) => *e,
    }
}

/// HEADER with one extra rule; the error must name the rule and sit on its `id` line.
fn rule_err(rule_id: &str, body: &str) -> SpecError {
    let text = format!("{HEADER}\n[[rule]]\nid = \"{rule_id}\"\n{body}");
    let error = overlay_err(&text);
    assert_eq!(
        error.line,
        Some(line_of(&text, &format!("id = \"{rule_id}\""))),
        "{error}"
    );
    assert_eq!(error.column, Some(1));
    error
}

const GOOD_RULE: &str = r#"order = 1
evidence = "assumed: test"
operations = ["CreateThing"]
paths = ["Size"]
when = [{ path = "Size", gt = 5 }]
error = "InvalidParameterValueException"
message = "Too big."
"#;

#[test]
fn a_valid_overlay_loads_with_rules_in_order() {
    let overlay = overlay(&format!("{HEADER}{RULES}")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(overlay.origin, "overlay.toml");
    assert_eq!(overlay.configuration, "ns#ThingConfiguration");
    assert_eq!(overlay.validation.error, "ValidationException");
    assert_eq!(overlay.validation.enum_order["ns#Mode"], ["SLOW", "FAST"]);
    let ids: Vec<(&str, u32)> = overlay
        .rules
        .iter()
        .map(|r| (r.id.as_str(), r.order))
        .collect();
    assert_eq!(
        ids,
        [
            ("size-window", 10),
            ("resulting-state", 20),
            ("stream-needs-mode", 30),
            ("every-test", 50)
        ]
    );

    let every = overlay
        .rules
        .iter()
        .find(|r| r.id == "every-test")
        .expect("rule");
    assert_eq!(
        every.when,
        [
            Condition::Present("Name".into()),
            Condition::Absent("Tags".into()),
            Condition::Equals("Mode".into(), json!("FAST")),
            Condition::In("Mode".into(), vec![json!("FAST"), json!("SLOW")]),
            Condition::NotIn("Mode".into(), vec![json!("SLOW")]),
            Condition::Greater("Size".into(), 1.0),
            Condition::GreaterOrEqual("Size".into(), 2.5),
            Condition::Less("Size".into(), 100.0),
            Condition::LessOrEqual("Size".into(), 99.0),
            Condition::Outside("Size".into(), vec![(1.0, 10.0), (20.0, 30.0)]),
            Condition::PlainNameLongerThan("Name".into(), 64),
            Condition::InvalidFilterPattern("Filters[].Pattern".into()),
            Condition::InFuture("When".into()),
        ]
    );
    assert_eq!(every.when[3].path(), "Mode");
    assert_eq!(every.doc, "Exercises every kind of condition.");
    assert_eq!(every.evidence, "assumed: test");
    assert_eq!(
        every.paths,
        [
            "Name",
            "Size",
            "Mode",
            "Filters[].Pattern",
            "When",
            "Tags{key}"
        ]
    );
    assert_eq!(every.error, "InvalidParameterValueException");
    assert_eq!(every.message, "Thing {Name} of size {Size} is not allowed.");
    assert_eq!(every.on, RuleTarget::Request);

    let window = &overlay.rules[0];
    assert_eq!(window.operations, ["CreateThing", "UpdateThing"]);
    assert_eq!(window.except_sources, ["queue"]);
    assert!(window.sources.is_empty());
    assert_eq!(overlay.rules[1].on, RuleTarget::Resulting);
    assert_eq!(overlay.rules[2].sources, ["stream"]);

    let update: Vec<&str> = overlay
        .rules_for("UpdateThing")
        .map(|r| r.id.as_str())
        .collect();
    assert_eq!(update, ["size-window", "resulting-state"]);
    assert_eq!(overlay.rules_for("GetThing").count(), 0);

    let queue = overlay.source("queue").expect("source");
    assert_eq!(queue.label, "A queue");
    assert_eq!(queue.matcher.arn_member.as_deref(), Some("Source"));
    assert_eq!(
        queue.matcher.arn_service.as_deref(),
        Some(&["sqs".to_owned()][..])
    );
    assert_eq!(queue.matcher.resource_suffix.as_deref(), Some(".fifo"));
    assert_eq!(queue.defaults["Size"], json!(10));
    assert_eq!(queue.defaults["Details"], json!({"Owner": "{Name}"}));
    assert_eq!(
        queue.missing.as_ref().map(|m| m.error.as_str()),
        Some("ResourceNotFoundException")
    );
    let duplicate = queue.duplicate.as_ref().expect("duplicate");
    assert_eq!(duplicate.key, ["Source", "Name"]);
    assert_eq!(duplicate.message, "Thing {Id} already reads {Source}.");
    let stream = overlay.source("stream").expect("source");
    assert_eq!(stream.matcher.member_present.as_deref(), Some("Mode"));
    assert_eq!(stream.matcher.resource_prefix.as_deref(), Some("table/"));
    assert_eq!(
        stream.matcher.resource_contains.as_deref(),
        Some("/stream/")
    );
    assert!(stream.defaults.is_empty() && stream.missing.is_none() && stream.duplicate.is_none());
    assert!(overlay.source("sns").is_none());
}

#[test]
fn the_validation_table_is_optional() {
    let text = "format = 1\nconfiguration = \"ns#ThingConfiguration\"\n";
    let overlay = overlay(text).expect("minimal overlay");
    assert_eq!(overlay.validation.error, "ValidationException");
    assert!(overlay.rules.is_empty() && overlay.sources.is_empty());
}

#[test]
fn placeholders_match_nested_braces() {
    use conform_spec::placeholders;
    assert_eq!(
        placeholders("a {A} b {B.C[]} c {D{value}[]}"),
        ["A", "B.C[]", "D{value}[]"]
    );
    assert_eq!(placeholders("no placeholders"), Vec::<String>::new());
    assert_eq!(placeholders("unclosed {A"), Vec::<String>::new());
    assert_eq!(placeholders("{}"), [""]);
}

#[test]
fn toml_syntax_errors_carry_the_line() {
    let text = "format = 1\nconfiguration = \"ns#ThingConfiguration\"\n\n[[rule]]\nid = \"unterminated\norder = 1\n";
    let error = overlay_err(text);
    assert!(matches!(error.kind, SpecErrorKind::Toml(_)), "{error:?}");
    assert_eq!(error.line, Some(5));
    assert!(error.to_string().starts_with("overlay.toml:5:"), "{error}");
}

#[test]
fn unknown_keys_are_rejected_where_they_are() {
    let text = format!("{HEADER}\n[[rule]]\nid = \"r\"\n{GOOD_RULE}colour = \"red\"\n");
    let error = overlay_err(&text);
    assert!(
        error.to_string().contains("unknown field `colour`"),
        "{error}"
    );
    assert_eq!(error.line, Some(line_of(&text, "colour")));

    let text = HEADER.replace(
        "state_transition_reason = \"User action\"",
        "state_transition_reason = \"x\"\nflavour = 1",
    );
    let error = overlay_err(&text);
    assert!(
        error.to_string().contains("unknown field `flavour`"),
        "{error}"
    );
    assert_eq!(error.line, Some(line_of(&text, "flavour")));

    let text = format!(
        "{HEADER}\n[[rule]]\nid = \"r\"\n{}",
        GOOD_RULE.replace("gt = 5", "gt = 5, above = 2")
    );
    let error = overlay_err(&text);
    assert!(
        error.to_string().contains("unknown field `above`"),
        "{error}"
    );

    let text = HEADER.replace(
        "error = \"ValidationException\"",
        "error = \"ValidationException\"\nstyle = \"aws\"",
    );
    assert!(overlay_err(&text)
        .to_string()
        .contains("unknown field `style`"));
    let text = format!("{HEADER}\nextra = 1\n");
    assert!(overlay_err(&text)
        .to_string()
        .contains("unknown field `extra`"));
    // `evidence` is required on every rule.
    let text = format!(
        "{HEADER}\n[[rule]]\nid = \"r\"\n{}",
        GOOD_RULE.replace("evidence = \"assumed: test\"\n", "")
    );
    assert!(overlay_err(&text)
        .to_string()
        .contains("missing field `evidence`"));
}

#[test]
fn the_format_version_is_checked() {
    let error = overlay_err("format = 2\nconfiguration = \"ns#ThingConfiguration\"\n");
    assert_eq!(
        error.to_string(),
        "overlay.toml: malformed overlay: unsupported overlay format 2 (this reader knows 1)"
    );
}

#[test]
fn a_condition_holds_exactly_one_test() {
    let rule = |when: &str| {
        GOOD_RULE.replace(
            "when = [{ path = \"Size\", gt = 5 }]",
            &format!("when = [{when}]"),
        )
    };
    let error = rule_err("none", &rule("{ path = \"Size\" }"));
    assert_eq!(
        error.kind,
        SpecErrorKind::OverlayRule {
            rule: "none".into(),
            message: "a condition needs one test (present, absent, equals, in, not_in, gt, ge, lt, le, outside, plain_name_longer_than, invalid_filter_pattern, in_future)".into()
        }
    );
    let error = rule_err("two", &rule("{ present = \"Name\", absent = \"Size\" }"));
    assert_eq!(
        error.kind.to_string(),
        "rule `two`: a condition holds exactly one test; use several conditions"
    );
    let error = rule_err("two-values", &rule("{ path = \"Size\", gt = 1, lt = 9 }"));
    assert!(error.to_string().contains("exactly one test"), "{error}");
    let error = rule_err("no-path", &rule("{ equals = 3 }"));
    assert_eq!(
        error.kind.to_string(),
        "rule `no-path`: `equals` needs `path`"
    );
    let error = rule_err(
        "false-flag",
        &rule("{ path = \"When\", in_future = false }"),
    );
    assert!(error.to_string().contains("needs one test"), "{error}");
}

#[test]
fn rules_name_known_operations_sources_and_errors() {
    let error = rule_err(
        "op",
        &GOOD_RULE.replace("[\"CreateThing\"]", "[\"CreateThing\", \"Nope\"]"),
    );
    assert_eq!(
        error.kind.to_string(),
        "rule `op`: unknown operation `Nope`; known: CreateThing, UpdateThing, GetThing, Ping"
    );
    let error = rule_err("no-ops", &GOOD_RULE.replace("[\"CreateThing\"]", "[]"));
    assert_eq!(
        error.kind.to_string(),
        "rule `no-ops`: `operations` is empty"
    );
    let error = rule_err(
        "src",
        &format!("sources = [\"queue\", \"sns\"]\n{GOOD_RULE}"),
    );
    assert_eq!(error.kind.to_string(), "rule `src`: unknown source `sns`");
    let error = rule_err(
        "except",
        &format!("except_sources = [\"topic\"]\n{GOOD_RULE}"),
    );
    assert_eq!(
        error.kind.to_string(),
        "rule `except`: unknown source `topic`"
    );
    // ResourceConflictException is modeled for CreateThing but not for UpdateThing.
    let body = GOOD_RULE
        .replace("[\"CreateThing\"]", "[\"CreateThing\", \"UpdateThing\"]")
        .replace(
            "InvalidParameterValueException",
            "ResourceConflictException",
        );
    let error = rule_err("err", &body);
    assert_eq!(
        error.kind.to_string(),
        "rule `err`: error `ResourceConflictException` is neither a modeled error of UpdateThing nor the validation error"
    );
    // The validation error is allowed for any operation, even one without modeled errors.
    let body = GOOD_RULE
        .replace("[\"CreateThing\"]", "[\"UpdateThing\"]")
        .replace("InvalidParameterValueException", "ValidationException");
    let text = format!("{HEADER}\n[[rule]]\nid = \"validation\"\n{body}");
    assert_eq!(
        overlay(&text).expect("loads").rules[0].error,
        "ValidationException"
    );
}

#[test]
fn path_typos_name_the_rule_the_path_and_the_line() {
    let error = rule_err(
        "in-paths",
        &GOOD_RULE.replace("paths = [\"Size\"]", "paths = [\"Size\", \"Sise\"]"),
    );
    assert_eq!(
        error.kind,
        SpecErrorKind::OverlayPath {
            rule: "in-paths".into(),
            path: "Sise".into(),
            reason: "`ns#CreateThingRequest` has no member `Sise`".into()
        }
    );
    let shown = error.to_string();
    assert!(
        shown.ends_with("rule `in-paths`: path `Sise` is not in the model (`ns#CreateThingRequest` has no member `Sise`)"),
        "{shown}"
    );
    let error = rule_err(
        "in-when",
        &GOOD_RULE.replace(
            "when = [{ path = \"Size\", gt = 5 }]",
            "when = [{ present = \"Filters[].Patern\" }]",
        ),
    );
    assert_eq!(
        error.kind,
        SpecErrorKind::OverlayPath {
            rule: "in-when".into(),
            path: "Filters[].Patern".into(),
            reason: "`ns#Filter` has no member `Patern`".into()
        }
    );
    let error = rule_err(
        "in-message",
        &GOOD_RULE.replace("message = \"Too big.\"", "message = \"Too big: {Sizee}.\""),
    );
    assert_eq!(
        error.kind,
        SpecErrorKind::OverlayPath {
            rule: "in-message".into(),
            path: "Sizee".into(),
            reason: "`ns#CreateThingRequest` has no member `Sizee`; `ns#ThingConfiguration` has no member `Sizee`".into()
        }
    );
    let error = rule_err(
        "malformed",
        &GOOD_RULE.replace("paths = [\"Size\"]", "paths = [\"Tags{keys}\"]"),
    );
    assert!(
        error
            .to_string()
            .contains("path `Tags{keys}` is not in the model (`Tags{keys}`: expected"),
        "{error}"
    );
    // Each operation's input is checked: Tags is in CreateThing's input, not UpdateThing's.
    let body = GOOD_RULE
        .replace("[\"CreateThing\"]", "[\"CreateThing\", \"UpdateThing\"]")
        .replace("paths = [\"Size\"]", "paths = [\"Tags\"]");
    let error = rule_err("per-op", &body);
    assert!(
        error
            .to_string()
            .contains("`ns#UpdateThingRequest` has no member `Tags`"),
        "{error}"
    );
    let error = rule_err(
        "no-input",
        &GOOD_RULE
            .replace("[\"CreateThing\"]", "[\"Ping\"]")
            .replace("InvalidParameterValueException", "ValidationException"),
    );
    assert!(
        error
            .to_string()
            .contains("path `Size` is not in the model (the operation has no input)"),
        "{error}"
    );
}

#[test]
fn resulting_rules_may_name_the_configuration() {
    // State is in the configuration, not in UpdateThing's input.
    let body = GOOD_RULE
        .replace("[\"CreateThing\"]", "[\"UpdateThing\"]")
        .replace(
            "paths = [\"Size\"]",
            "paths = [\"State\", \"Details.Owner\"]",
        )
        .replace(
            "when = [{ path = \"Size\", gt = 5 }]",
            "when = [{ path = \"State\", equals = \"Deleting\" }]",
        );
    let text = format!("{HEADER}\n[[rule]]\nid = \"resulting\"\non = \"resulting\"\n{body}");
    let loaded = overlay(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.rules[0].on, RuleTarget::Resulting);
    let error = rule_err("request", &body);
    assert_eq!(
        error.kind,
        SpecErrorKind::OverlayPath {
            rule: "request".into(),
            path: "State".into(),
            reason: "`ns#UpdateThingRequest` has no member `State`".into()
        }
    );
    // Resulting paths still have to exist somewhere.
    let text = format!(
        "{HEADER}\n[[rule]]\nid = \"nowhere\"\non = \"resulting\"\n{}",
        body.replace("\"State\", ", "\"Stat\", ")
    );
    let error = overlay_err(&text);
    assert!(
        error
            .to_string()
            .contains("path `Stat` is not in the model"),
        "{error}"
    );
}

#[test]
fn duplicate_rule_ids_point_at_the_repeat() {
    let text = format!(
        "{HEADER}\n[[rule]]\nid = \"twice\"\n{GOOD_RULE}\n[[rule]]\nid = \"twice\"\n{GOOD_RULE}"
    );
    let error = overlay_err(&text);
    assert_eq!(error.kind.to_string(), "rule `twice`: duplicate rule id");
    let second = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "id = \"twice\"")
        .nth(1)
        .expect("second")
        .0
        + 1;
    assert_eq!(error.line, Some(second));
}

#[test]
fn the_configuration_must_be_a_structure() {
    let text = HEADER.replace("\"ns#ThingConfiguration\"", "\"ns#NoSuchShape\"");
    let error = overlay_err(&text);
    assert_eq!(
        error.to_string(),
        "overlay.toml:2:1: rule `configuration`: path `ns#NoSuchShape` is not in the model (no such shape)"
    );
    let text = HEADER.replace("\"ns#ThingConfiguration\"", "\"ns#Mode\"");
    let error = overlay_err(&text);
    assert_eq!(error.to_string(), "overlay.toml:2:1: rule `configuration`: path `ns#Mode` is not in the model (it has type `enum`, not `structure`)");
}

#[test]
fn enum_order_must_name_enums_and_their_values() {
    let line = line_of(HEADER, "[validation.enum_order]");
    let cases = [
        ("\"ns#Gone\" = [\"A\"]", "ns#Gone", "no such enum shape"),
        (
            "\"ns#Details\" = [\"A\"]",
            "ns#Details",
            "no such enum shape",
        ),
        (
            "\"ns#Mode\" = [\"SLOW\", \"MEDIUM\"]",
            "ns#Mode",
            "`MEDIUM` is not one of its values",
        ),
        (
            "\"ns#Mode\" = [\"Fast\"]",
            "ns#Mode",
            "`Fast` is not one of its values",
        ),
    ];
    for (entry, path, reason) in cases {
        let text = HEADER.replace("\"ns#Mode\" = [\"SLOW\", \"FAST\"]", entry);
        let error = overlay_err(&text);
        assert_eq!(
            error.kind,
            SpecErrorKind::OverlayPath {
                rule: "validation.enum_order".into(),
                path: path.into(),
                reason: reason.into()
            }
        );
        assert_eq!(error.line, Some(line));
    }
}

#[test]
fn source_paths_are_checked() {
    let source_line = line_of(HEADER, "id = \"queue\"");
    let cases = [
        ("defaults = { Size = 10,", "defaults = { Sise = 10,", "Sise"),
        ("Owner = \"{Name}\"", "Owner = \"{Nmae}\"", "Nmae"),
        ("Details = { Owner", "Detail = { Owner", "Detail"),
        ("Queue {Source} does", "Queue {Sorce} does", "Sorce"),
        (
            "key = [\"Source\", \"Name\"]",
            "key = [\"Source\", \"Nam\"]",
            "Nam",
        ),
        ("Thing {Id} already", "Thing {ID} already", "ID"),
        (
            "arn_member = \"Source\", arn_service = [\"sqs\"]",
            "arn_member = \"Src\", arn_service = [\"sqs\"]",
            "Src",
        ),
    ];
    for (from, to, path) in cases {
        assert!(HEADER.contains(from), "{from}");
        let text = HEADER.replacen(from, to, 1);
        let error = overlay_err(&text);
        match &error.kind {
            SpecErrorKind::OverlayPath {
                rule,
                path: found,
                reason,
            } => {
                assert_eq!(rule, "source queue");
                assert_eq!(found, path);
                assert!(reason.ends_with("nor in any operation's input"), "{reason}");
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(error.line, Some(source_line), "{error}");
    }
    // `member_present` may name an input member that the configuration lacks.
    let text = HEADER.replace("member_present = \"Mode\"", "member_present = \"Filters\"");
    overlay(&text).unwrap_or_else(|e| panic!("{e}"));
    let text = HEADER.replace("member_present = \"Mode\"", "member_present = \"Filtres\"");
    let error = overlay_err(&text);
    assert!(
        error
            .to_string()
            .contains("rule `source stream`: path `Filtres`"),
        "{error}"
    );
}

#[test]
fn load_reads_a_file() {
    let dir = std::env::temp_dir().join(format!("conform-spec-overlay-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("overlay.toml");
    std::fs::write(&path, format!("{HEADER}{RULES}")).expect("write");
    let loaded = Overlay::load(&path, &model()).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(loaded.origin, path.display().to_string());
    assert_eq!(loaded.rules.len(), 4);
    let error = Overlay::load(dir.join("absent.toml"), &model()).expect_err("no file");
    assert!(matches!(error.kind, SpecErrorKind::Io(_)));
    std::fs::remove_dir_all(&dir).ok();
}

/// GOOD_RULE with its one condition replaced.
fn with_when(when: &str) -> String {
    GOOD_RULE.replace(
        "when = [{ path = \"Size\", gt = 5 }]",
        &format!("when = [{when}]"),
    )
}

/// The rule `id` with condition `when` is refused with `message`, on the rule's line.
fn assert_condition_refused(id: &str, when: &str, message: &str) {
    let error = rule_err(id, &with_when(when));
    assert_eq!(
        error.kind,
        SpecErrorKind::OverlayRule {
            rule: id.into(),
            message: message.into()
        },
        "{when}"
    );
}

#[test]
fn numbers_in_conditions_must_be_finite() {
    // TOML reads `nan` and `inf`; proc_macro2 panics on them in generated code.
    let cases = [
        (
            "{ path = \"Size\", gt = nan }",
            "`gt` must be a finite number, not NaN",
        ),
        (
            "{ path = \"Size\", ge = inf }",
            "`ge` must be a finite number, not inf",
        ),
        (
            "{ path = \"Size\", lt = -inf }",
            "`lt` must be a finite number, not -inf",
        ),
        (
            "{ path = \"Size\", le = -nan }",
            "`le` must be a finite number, not NaN",
        ),
        (
            "{ path = \"Size\", outside = [[nan, 1]] }",
            "`outside` must be a finite number, not NaN",
        ),
        (
            "{ path = \"Size\", outside = [[1, 2], [3, inf]] }",
            "`outside` must be a finite number, not inf",
        ),
        (
            "{ path = \"Size\", equals = nan }",
            "`equals` compares with a string, a finite number or a boolean, not nan or an infinity",
        ),
        (
            "{ path = \"Size\", in = [1, inf] }",
            "`in` compares with a string, a finite number or a boolean, not nan or an infinity",
        ),
    ];
    for (index, (when, message)) in cases.into_iter().enumerate() {
        assert_condition_refused(&format!("non-finite-{index}"), when, message);
    }
}

#[test]
fn outside_takes_ordered_pairs_and_sets_are_not_empty() {
    let cases = [
        (
            "{ path = \"Size\", outside = [[1, 2, 3]] }",
            "`outside` range [1, 2, 3] must be two numbers, [low, high]",
        ),
        (
            "{ path = \"Size\", outside = [[1, 2], [4]] }",
            "`outside` range [4] must be two numbers, [low, high]",
        ),
        (
            "{ path = \"Size\", outside = [[5, 1]] }",
            "`outside` range [5, 1] is inverted: its low end is above its high end",
        ),
        (
            "{ path = \"Size\", outside = [] }",
            "`outside` lists no range",
        ),
        ("{ path = \"Mode\", in = [] }", "`in` lists no value"),
        (
            "{ path = \"Mode\", not_in = [] }",
            "`not_in` lists no value",
        ),
    ];
    for (index, (when, message)) in cases.into_iter().enumerate() {
        assert_condition_refused(&format!("set-{index}"), when, message);
    }
    // A range of one value is fine.
    let text = format!(
        "{HEADER}\n[[rule]]\nid = \"one-value\"\n{}",
        with_when("{ path = \"Size\", outside = [[-1, -1], [1, 10]] }")
    );
    let loaded = overlay(&text).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        loaded.rules[0].when,
        [Condition::Outside(
            "Size".into(),
            vec![(-1.0, -1.0), (1.0, 10.0)]
        )]
    );
}

#[test]
fn literals_are_strings_numbers_or_booleans() {
    let cases = [
        (
            "{ path = \"Size\", equals = [1] }",
            "`equals` compares with a string, a finite number or a boolean, not an array",
        ),
        (
            "{ path = \"Size\", equals = {} }",
            "`equals` compares with a string, a finite number or a boolean, not a table",
        ),
        (
            "{ path = \"Size\", in = [[1]] }",
            "`in` compares with a string, a finite number or a boolean, not an array",
        ),
        (
            "{ path = \"When\", equals = 1979-05-27 }",
            "`equals` compares with a string, a finite number or a boolean, not a datetime",
        ),
        (
            "{ path = \"When\", not_in = [1979-05-27T07:32:00Z] }",
            "`not_in` compares with a string, a finite number or a boolean, not a datetime",
        ),
    ];
    for (index, (when, message)) in cases.into_iter().enumerate() {
        assert_condition_refused(&format!("literal-{index}"), when, message);
    }
}

#[test]
fn a_condition_holds_only_the_keys_its_test_reads() {
    let cases = [
        (
            "{ present = \"Name\", path = \"Size\" }",
            "`path` has no place beside `present`",
        ),
        (
            "{ absent = \"Name\", path = \"Name\" }",
            "`path` has no place beside `absent`",
        ),
        (
            "{ path = \"Size\", gt = 1, in_future = false }",
            "`in_future = false` has no place beside `gt`",
        ),
        (
            "{ path = \"Name\", plain_name_longer_than = 3, invalid_filter_pattern = false }",
            "`invalid_filter_pattern = false` has no place beside `plain_name_longer_than`",
        ),
    ];
    for (index, (when, message)) in cases.into_iter().enumerate() {
        assert_condition_refused(&format!("stray-{index}"), when, message);
    }
}

#[test]
fn paths_must_not_be_empty() {
    let error = rule_err(
        "no-paths",
        &GOOD_RULE.replace("paths = [\"Size\"]", "paths = []"),
    );
    assert_eq!(
        error.kind.to_string(),
        "rule `no-paths`: `paths` is empty; its first path is where the violation is reported"
    );
}

#[test]
fn comparisons_must_fit_the_member_type() {
    let cases = [
        ("{ path = \"Name\", gt = 3 }", "`gt` compares numbers, but `Name` is a string (`smithy.api#String`)"),
        ("{ path = \"Mode\", outside = [[1, 2]] }", "`outside` compares numbers, but `Mode` is an enum (`ns#Mode`)"),
        ("{ path = \"Filters\", le = 3 }", "`le` compares numbers, but `Filters` is a list (`ns#FilterList`)"),
        ("{ path = \"Size\", plain_name_longer_than = 3 }", "`plain_name_longer_than` tests strings, but `Size` is an integer (`smithy.api#Integer`)"),
        ("{ path = \"Enabled\", invalid_filter_pattern = true }", "`invalid_filter_pattern` tests strings, but `Enabled` is a boolean (`smithy.api#Boolean`)"),
        ("{ path = \"Name\", in_future = true }", "`in_future` compares timestamps, but `Name` is a string (`smithy.api#String`)"),
        ("{ path = \"Name\", equals = 3 }", "`equals` does not fit: `Name` is a string (`smithy.api#String`), not the number 3"),
        ("{ path = \"Size\", equals = \"3\" }", "`equals` does not fit: `Size` is an integer (`smithy.api#Integer`), not the string \"3\""),
        ("{ path = \"Size\", in = [1, 2.5] }", "`in` does not fit: `Size` is an integer (`smithy.api#Integer`), not the number 2.5"),
        // As a default, 2.0 would not deserialize into the integer: both are written 2.
        (
            "{ path = \"Size\", equals = 2.0 }",
            "`equals` does not fit: `Size` is an integer (`smithy.api#Integer`), not the number 2.0",
        ),
        ("{ path = \"Enabled\", not_in = [1] }", "`not_in` does not fit: `Enabled` is a boolean (`smithy.api#Boolean`), not the number 1"),
        ("{ path = \"Mode\", in = [\"FAST\", 1] }", "`in` does not fit: `Mode` is an enum (`ns#Mode`), not the number 1"),
        ("{ path = \"Level\", equals = \"1\" }", "`equals` does not fit: `Level` is an intEnum (`ns#Level`), not the string \"1\""),
        ("{ path = \"Tags\", equals = \"x\" }", "`equals` does not fit: `Tags` is a map (`ns#Tags`), not the string \"x\""),
    ];
    for (index, (when, message)) in cases.into_iter().enumerate() {
        assert_condition_refused(&format!("type-{index}"), when, message);
    }
    // What each type does take, a document anything.
    let fits = [
        "{ path = \"When\", gt = 0 }",
        "{ path = \"When\", equals = 1700000000 }",
        "{ path = \"Level\", outside = [[1, 1]] }",
        "{ path = \"Level\", in = [1, 2] }",
        "{ path = \"Mode\", plain_name_longer_than = 3 }",
        "{ path = \"Tags{key}\", equals = \"x\" }",
        "{ path = \"Filters[].Pattern\", not_in = [\"p\"] }",
        "{ path = \"Enabled\", equals = true }",
        "{ path = \"Extra\", gt = 1 }",
        "{ path = \"Extra\", equals = \"x\" }",
        "{ path = \"Filters\", absent = \"Filters\" }",
    ];
    for when in fits {
        let when = when.replace("{ path = \"Filters\", absent", "{ absent");
        let text = format!("{HEADER}\n[[rule]]\nid = \"fits\"\n{}", with_when(&when));
        overlay(&text).unwrap_or_else(|e| panic!("{when}: {e}"));
    }
    // `on = "resulting"` reads the configuration's member where the input lacks it.
    let body = with_when("{ path = \"State\", gt = 1 }")
        .replace("[\"CreateThing\"]", "[\"UpdateThing\"]")
        .replace("paths = [\"Size\"]", "paths = [\"State\"]");
    let error = rule_err("resulting", &format!("on = \"resulting\"\n{body}"));
    assert!(
        error
            .to_string()
            .ends_with("rule `resulting`: `gt` compares numbers, but `State` is a string (`smithy.api#String`)"),
        "{error}"
    );
}

#[test]
fn defaults_fit_their_member_types() {
    let source_line = line_of(HEADER, "id = \"queue\"");
    let defaults = "defaults = { Size = 10, Details = { Owner = \"{Name}\" } }";
    assert!(HEADER.contains(defaults));
    let cases = [
        (
            "Size = \"ten\"",
            "`Size` is an integer (`smithy.api#Integer`), not the string \"ten\"",
        ),
        (
            "Size = 1.5",
            "`Size` is an integer (`smithy.api#Integer`), not the number 1.5",
        ),
        (
            "Size = nan",
            "`Size` holds nan or an infinity, which JSON cannot",
        ),
        (
            "Size = 2147483648",
            "`Size` is an integer (`smithy.api#Integer`, from -2147483648 to 2147483647), not 2147483648",
        ),
        (
            "Size = [10]",
            "`Size` is an integer (`smithy.api#Integer`), not an array",
        ),
        (
            "Mode = true",
            "`Mode` is an enum (`ns#Mode`), not the boolean true",
        ),
        (
            "When = 1979-05-27",
            "`When` holds a datetime, which JSON cannot",
        ),
        (
            "Details = \"x\"",
            "`Details` is a structure (`ns#Details`), not the string \"x\"",
        ),
        (
            "Details = { Owner = 3 }",
            "`Details.Owner` is a string (`smithy.api#String`), not the number 3",
        ),
        (
            "Details = { Ownr = \"x\" }",
            "`ns#Details` has no member `Ownr`",
        ),
        (
            "Filters = [{ Pattern = true }]",
            "`Filters[].Pattern` is a string (`smithy.api#String`), not the boolean true",
        ),
        (
            "Tags = { k = 1 }",
            "`Tags{value}` is a string (`smithy.api#String`), not the number 1",
        ),
        (
            "Level = 1.5",
            "`Level` is an intEnum (`ns#Level`), not the number 1.5",
        ),
        (
            "Choice = { A = \"x\", B = 1 }",
            "`Choice` is a union (`ns#Choice`): it holds exactly one member, not 2",
        ),
        (
            "Enabled = \"yes\"",
            "`Enabled` is a boolean (`smithy.api#Boolean`), not the string \"yes\"",
        ),
    ];
    for (default, message) in cases {
        let text = HEADER.replace(defaults, &format!("defaults = {{ {default} }}"));
        let error = overlay_err(&text);
        assert_eq!(
            error.kind,
            SpecErrorKind::OverlayRule {
                rule: "source queue".into(),
                message: format!("defaults: {message}")
            },
            "{default}"
        );
        assert_eq!(error.line, Some(source_line), "{error}");
    }
    // Each type's own values, nested ones included, and anything for a document.
    let fits = "defaults = { Size = 10, Mode = \"SLOW\", When = 0, Enabled = false, Level = 2, \
                Filters = [{ Pattern = \"p\" }], Tags = { k = \"v\" }, Choice = { B = 1 }, \
                Extra = { any = [1, \"two\"] }, Details = { Owner = \"{Name}\" } }";
    let loaded = overlay(&HEADER.replace(defaults, fits)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        loaded.sources[0].defaults["Extra"],
        json!({"any": [1, "two"]})
    );
    // A table of its own, as the project's overlay writes Kinesis's defaults.
    let text = format!(
        "{}\n[source.defaults]\nSize = 100\nMode = 2\n",
        HEADER.trim_end()
    );
    let error = overlay_err(&text);
    assert_eq!(
        error.to_string(),
        format!(
            "overlay.toml:{}:1: rule `source stream`: defaults: `Mode` is an enum (`ns#Mode`), not the number 2",
            line_of(&text, "id = \"stream\"")
        )
    );
}

#[test]
fn placeholders_must_be_closed_and_named() {
    let cases = [
        (
            "Too big: {Size",
            "the message has a `{` that is never closed: `{Size`",
        ),
        (
            "Too big: {Tags{key} now",
            "the message has a `{` that is never closed: `{Tags{key} now`",
        ),
        ("Too big: {}", "the message has an empty placeholder `{}`"),
    ];
    for (index, (message, expected)) in cases.into_iter().enumerate() {
        let id = format!("placeholder-{index}");
        let body = GOOD_RULE.replace(
            "message = \"Too big.\"",
            &format!("message = \"{message}\""),
        );
        let error = rule_err(&id, &body);
        assert_eq!(
            error.kind,
            SpecErrorKind::OverlayRule {
                rule: id.clone(),
                message: expected.into()
            }
        );
    }
    // A long tail is cut in the message.
    let body = GOOD_RULE.replace(
        "message = \"Too big.\"",
        "message = \"Value '{Name' at 'name' failed to satisfy constraint\"",
    );
    let error = rule_err("long", &body);
    assert!(
        error
            .to_string()
            .ends_with("the message has a `{` that is never closed: `{Name' at 'name' failed`"),
        "{error}"
    );
    // Source templates are held to the same reading.
    let source_line = line_of(HEADER, "id = \"queue\"");
    let cases = [
        (
            "Queue {Source} does",
            "Queue {Source does",
            "`missing.message` has a `{` that is never closed: `{Source does not exist.`",
        ),
        (
            "Thing {Id} already",
            "Thing {} already",
            "`duplicate.message` has an empty placeholder `{}`",
        ),
        (
            "Owner = \"{Name}\"",
            "Owner = \"{Name\"",
            "a default has a `{` that is never closed: `{Name`",
        ),
    ];
    for (from, to, expected) in cases {
        let error = overlay_err(&HEADER.replacen(from, to, 1));
        assert_eq!(
            error.kind,
            SpecErrorKind::OverlayRule {
                rule: "source queue".into(),
                message: expected.into()
            }
        );
        assert_eq!(error.line, Some(source_line));
    }
}
