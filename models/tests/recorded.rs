//! Recorded AWS outcomes (`spec/recorded/cases.json`): every case decided by validation alone
//! gets AWS's code and exact message from `validate_input` + `aws_error`; every recorded
//! mapping body round-trips through `EventSourceMappingConfiguration`.

use conform_models::{
    aws_error, validate_input, EventSourceMappingConfiguration, ListTagsResponse,
};
use conform_runtime::{Checker, RuleContext, Validate};
use serde_json::{json, Value};

const CASES: &str = include_str!("../../spec/recorded/cases.json");
const UUID_N: [&str; 3] = [
    "a1b2c3d4-5678-90ab-cdef-000000000001",
    "a1b2c3d4-5678-90ab-cdef-000000000002",
    "a1b2c3d4-5678-90ab-cdef-000000000003",
];
/// `<resource-name>` of the tagging cases: a mapping ARN that passes the pattern draws a 404
/// (`esm-tag-not-found`), so the name is a UUID.
const RESOURCE_NAME: &str = "a1b2c3d4-5678-90ab-cdef-0000000000ff";

/// Cases validation decides, checked for code and exact message.
const CHECKED: &[&str] = &[
    "api-create-no-event-source-arn",
    "api-create-onsuccess-destination-sqs",
    "ddb-at-timestamp-unsupported",
    "kinesis-missing-starting-position",
    "kinesis-invalid-starting-position",
    "kafka-missing-source-access-config",
    "esm-listtags-qualified-arn",
    "sqs-create-batch-11-no-window",
    "sqs-invalid-filter-none",
    "sqs-invalid-filter-simple-string",
    "user-sqs-starting-position-rejected",
    "user-at-timestamp-without-timestamp",
    "user-sqs-batch-window-required",
    "user-fifo-batching-window",
];

/// Validation-only cases where the overlay answers differently from AWS: the test fails when
/// one starts to agree, so it moves to `CHECKED`.
const KNOWN_DISAGREEMENTS: &[(&str, &str)] = &[];

/// Cases validation alone cannot decide, with the reason.
const OUT_OF_SCOPE: &[(&str, &str)] = &[
    ("api-get-unknown-uuid", "404: the mapping's existence"),
    ("api-delete-unknown-uuid", "404: the mapping's existence"),
    ("api-list-no-filter", "success: needs the emulator"),
    ("api-list-unknown-function", "success: needs the emulator"),
    ("api-create-unknown-function", "the function's existence"),
    ("ddb-lifecycle-create", "success (body round-tripped below)"),
    (
        "ddb-lifecycle-get-enabled",
        "success (body round-tripped below)",
    ),
    ("ddb-lifecycle-delete", "success (body round-tripped below)"),
    (
        "sqs-fn-variation-name-only",
        "success (body round-tripped below)",
    ),
    (
        "sqs-fn-variation-partial-arn-version",
        "success (body round-tripped below)",
    ),
    (
        "sqs-fn-variation-full-arn-alias",
        "success (body round-tripped below)",
    ),
    (
        "kafka-create-defaults",
        "success (body round-tripped below)",
    ),
    (
        "kafka-duplicate-conflict",
        "409: a duplicate of a stored mapping",
    ),
    (
        "esm-tags-on-create",
        "success: stored tags (body round-tripped below)",
    ),
    ("esm-tag-resource-204", "success: needs the emulator"),
    (
        "esm-tags-overlap-merge",
        "success: stored tags (body round-tripped below)",
    ),
    ("esm-tag-not-found", "404: the mapping's existence"),
    ("sqs-nonexistent-queue", "the queue's existence"),
    ("sqs-create-defaults", "success (body round-tripped below)"),
    ("sqs-create-window-1", "success (body round-tripped below)"),
    (
        "sqs-fifo-create-disabled",
        "success (body round-tripped below)",
    ),
    (
        "sqs-create-batch-15-window-10",
        "success (body round-tripped below)",
    ),
    (
        "sqs-create-scaling-config",
        "success (body round-tripped below)",
    ),
    (
        "sqs-create-filter-single",
        "success (body round-tripped below)",
    ),
    (
        "sqs-update-function-version",
        "success (body round-tripped below)",
    ),
    ("sqs-duplicate-first", "success (body round-tripped below)"),
    (
        "sqs-duplicate-conflict",
        "409: a duplicate of a stored mapping",
    ),
    ("kinesis-nonexistent-stream", "the stream's existence"),
    (
        "kinesis-create-minimal-latest",
        "success (body round-tripped below)",
    ),
    (
        "kinesis-create-onfailure-sqs",
        "success (body round-tripped below)",
    ),
    (
        "kinesis-duplicate-first",
        "success (body round-tripped below)",
    ),
    (
        "kinesis-duplicate-conflict",
        "409: a duplicate of a stored mapping",
    ),
    (
        "kinesis-create-record-age-60-retries-0",
        "success (body round-tripped below)",
    ),
    ("ddb-update-disable", "success (body round-tripped below)"),
    (
        "user-sqs-duplicate-real-aws",
        "409: a duplicate of a stored mapping",
    ),
    (
        "user-unsupported-parallelization-factor",
        "a Kinesis source in a region before the feature's rollout; Kinesis takes the member",
    ),
    (
        "user-sqs-batch-size-2018-historical",
        "historical: the pre-2020 SQS limit, superseded by the batching-window rule",
    ),
];

fn cases() -> Vec<Value> {
    let doc: Value = serde_json::from_str(CASES).expect("cases.json is JSON");
    doc["cases"].as_array().expect("a list of cases").clone()
}

/// Replaces the recording's placeholders with fixed, valid values; panics on one it does not
/// know, so a new placeholder is noticed.
fn concrete(text: &str) -> String {
    let mut out = text
        .replace("arn:<partition>:", "arn:aws:")
        .replace("<region>", "us-east-1")
        .replace("<account>", "111111111111")
        .replace("<resource-name>", RESOURCE_NAME)
        .replace("<random-uuid-v4>", UUID_N[0])
        .replace("<uuid>", UUID_N[0])
        .replace("<sqs-arn>", "arn:aws:sqs:us-east-1:111111111111:my-queue")
        .replace(
            "<kinesis-stream-arn>",
            "arn:aws:kinesis:us-east-1:111111111111:stream/my-stream",
        );
    for (i, uuid) in UUID_N.iter().enumerate() {
        out = out.replace(&format!("<uuid:{}>", i + 1), uuid);
    }
    // Resources are names in some cases and mapping UUIDs in others: a UUID fits both.
    for n in 1..=12 {
        out = out.replace(
            &format!("<resource:{n}>"),
            &format!("a1b2c3d4-5678-90ab-cdef-{:012}", 100 + n),
        );
    }
    for (placeholder, name) in [
        ("<function-name>", "my-function"),
        ("<fn>", "my-function"),
        ("<stream-name>", "my-stream"),
        ("<table-name>", "my-table"),
        ("<queue>", "my-queue"),
        ("<second-queue>", "my-second-queue"),
        ("<name>", "my-queue"),
        ("<short-uid>", "abc123"),
        ("<s>", "my-stream"),
        ("<custom-tag>", "custom-tag"),
        ("<any>", "LATEST"),
        ("<pos>", "LATEST"),
    ] {
        out = out.replace(placeholder, name);
    }
    if let Some(left) = placeholder(&out) {
        assert_eq!(left, "<datetime>", "unknown placeholder in {out:?}");
    }
    out
}

/// The first `<lowercase-name>` token left in `text`.
fn placeholder(text: &str) -> Option<&str> {
    text.match_indices('<').find_map(|(start, _)| {
        let rest = &text[start + 1..];
        let end = rest.find(|c: char| {
            !(c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == ':')
        })?;
        (end > 0 && rest[end..].starts_with('>')).then(|| &text[start..start + end + 2])
    })
}

fn concrete_value(value: &Value) -> Value {
    match value {
        Value::String(s) => Value::String(concrete(s)),
        Value::Array(items) => Value::Array(items.iter().map(concrete_value).collect()),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (concrete(k), concrete_value(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The request as it goes on the wire, where the recording shows it otherwise.
fn wire_request(id: &str, mut request: Value) -> Value {
    match id {
        // boto3 sends a timestamp as epoch seconds, a JSON number.
        "ddb-at-timestamp-unsupported" => {
            request["StartingPositionTimestamp"] = json!(1_741_010_802);
        }
        // The user wrote "> 10".
        "user-sqs-batch-window-required" => request["BatchSize"] = json!(11),
        _ => {}
    }
    request
}

/// Our answer to a recorded request: (code, message), or why there is none.
fn answer(case: &Value) -> Result<(String, String), String> {
    let id = case["id"].as_str().unwrap();
    let operation = case["operation"].as_str().unwrap();
    let request = wire_request(id, concrete_value(&case["request"]));
    let violations = validate_input(operation, request, RuleContext::default())
        .ok_or("unknown operation")?
        .map_err(|e| format!("does not decode: {e}"))?;
    let error = aws_error(&violations).ok_or("valid: no error")?;
    Ok((error.code, error.message))
}

fn expected(case: &Value) -> (Option<String>, String) {
    let expected = &case["expected"];
    (
        expected["error_type"].as_str().map(str::to_owned),
        concrete(expected["message"].as_str().expect("a message")),
    )
}

#[test]
fn validation_outcomes_match_aws() {
    let mut failures = Vec::new();
    for case in cases() {
        let id = case["id"].as_str().unwrap();
        if !CHECKED.contains(&id) {
            continue;
        }
        let (code, message) = expected(&case);
        match answer(&case) {
            Ok((got_code, got_message)) => {
                if code.as_ref().is_some_and(|c| *c != got_code) || got_message != message {
                    failures.push(format!(
                        "{id}:\n  expected {code:?} {message:?}\n  got      {got_code:?} {got_message:?}"
                    ));
                }
            }
            Err(why) => failures.push(format!("{id}: {why}")),
        }
    }
    println!("{} recorded validation outcomes checked", CHECKED.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn known_disagreements_still_disagree() {
    for (id, reason) in KNOWN_DISAGREEMENTS {
        let case = cases()
            .into_iter()
            .find(|c| c["id"] == *id)
            .unwrap_or_else(|| panic!("{id}: no such case"));
        let (_, message) = expected(&case);
        let got = answer(&case);
        assert!(
            got.as_ref().map(|(_, m)| m) != Ok(&message),
            "{id} now agrees with AWS ({reason}): move it to CHECKED"
        );
    }
}

/// Every case is checked, a known disagreement, or out of scope with a reason.
#[test]
fn every_case_is_accounted_for() {
    let all = cases();
    let mut unaccounted = Vec::new();
    for case in &all {
        let id = case["id"].as_str().unwrap();
        let places = usize::from(CHECKED.contains(&id))
            + usize::from(KNOWN_DISAGREEMENTS.iter().any(|(k, _)| *k == id))
            + usize::from(OUT_OF_SCOPE.iter().any(|(k, _)| *k == id));
        if places != 1 {
            unaccounted.push(format!("{id} (listed {places} times)"));
        }
    }
    for id in CHECKED
        .iter()
        .chain(KNOWN_DISAGREEMENTS.iter().map(|(k, _)| k))
        .chain(OUT_OF_SCOPE.iter().map(|(k, _)| k))
    {
        if !all.iter().any(|c| c["id"] == *id) {
            unaccounted.push(format!("{id} (no such recorded case)"));
        }
    }
    println!(
        "{} cases: {} checked, {} known disagreements, {} out of scope",
        all.len(),
        CHECKED.len(),
        KNOWN_DISAGREEMENTS.len(),
        OUT_OF_SCOPE.len()
    );
    assert!(unaccounted.is_empty(), "{}", unaccounted.join("\n"));
}

/// A recorded 400 from validation that is not in `CHECKED` must be justified.
#[test]
fn validation_errors_out_of_scope_have_a_reason_beyond_existence() {
    for case in cases() {
        let id = case["id"].as_str().unwrap();
        let expected = &case["expected"];
        let validation_type = matches!(
            expected["error_type"].as_str(),
            Some("ValidationException") | Some("InvalidParameterValueException") | None
        );
        if expected["status"] == 400 && validation_type && !CHECKED.contains(&id) {
            let known = KNOWN_DISAGREEMENTS.iter().any(|(k, _)| *k == id)
                || OUT_OF_SCOPE
                    .iter()
                    .any(|(k, why)| *k == id && !why.starts_with("success"));
            assert!(known, "{id}: a validation error neither checked nor listed");
        }
    }
}

/// A recorded mapping body with valid values in place of the recording's placeholders, as
/// the wire carries it.
fn wire_body(body: &Value) -> Value {
    let mut body = concrete_value(body);
    let object = body.as_object_mut().expect("an object body");
    if let Some(last) = object.get_mut("LastModified") {
        assert!(matches!(last.as_str(), Some("datetime" | "<datetime>")));
        *last = json!(1_741_010_802.125);
    }
    if object.get("MaximumBatchingWindowInSeconds")
        == Some(&json!("maximum-batching-window-in-seconds"))
    {
        object.insert("MaximumBatchingWindowInSeconds".into(), json!(10));
    }
    if let Some(filters) = object
        .get_mut("FilterCriteria")
        .and_then(|f| f.get_mut("Filters"))
        .and_then(Value::as_array_mut)
    {
        // The snapshot tool parsed the pattern strings; the wire carries them as strings.
        for filter in filters {
            if let Some(pattern) = filter.get_mut("Pattern") {
                if !pattern.is_string() {
                    *pattern = Value::String(pattern.to_string());
                }
            }
        }
    }
    body
}

#[test]
fn recorded_bodies_round_trip() {
    let mut mappings = 0;
    let mut tags = 0;
    for case in cases() {
        let id = case["id"].as_str().unwrap();
        let expected = &case["expected"];
        let status = expected["status"].as_u64().unwrap();
        let body = &expected["body"];
        if !(200..300).contains(&status) || !body.is_object() {
            continue;
        }
        if body.get("UUID").is_some() {
            let wire = wire_body(body);
            let typed: EventSourceMappingConfiguration = serde_json::from_value(wire.clone())
                .unwrap_or_else(|e| panic!("{id}: does not deserialize: {e}"));
            let back = serde_json::to_value(&typed).unwrap();
            assert_eq!(back, wire, "{id}: the round trip changed the body");
            let mut checker = Checker::new();
            typed.validate_into(&mut checker);
            let violations = checker.into_violations();
            assert!(violations.is_empty(), "{id}: invalid body: {violations:?}");
            mappings += 1;
        } else if body.get("Tags").is_some() {
            let wire = concrete_value(body);
            let typed: ListTagsResponse = serde_json::from_value(wire.clone())
                .unwrap_or_else(|e| panic!("{id}: does not deserialize: {e}"));
            assert_eq!(serde_json::to_value(&typed).unwrap(), wire, "{id}");
            tags += 1;
        }
    }
    println!("{mappings} mapping bodies and {tags} ListTags bodies round-tripped");
    assert!(
        mappings >= 20 && tags >= 2,
        "{mappings} mappings, {tags} tags"
    );
}
