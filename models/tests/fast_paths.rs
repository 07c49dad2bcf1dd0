//! The fast paths against the general ones they stand in for, on generated requests:
//!
//! - rule evaluation from the index (presence bits, members by position, precomputed defaults)
//!   against the same rules read through `Inspect::inspect` by name alone;
//! - the rules generated as code per operation and source (`rule_violations_into`) against the
//!   rule set's evaluation;
//! - `decode` straight from bytes against decoding the parsed JSON value, which fills absent
//!   required members and reports them.

use conform_models::*;
use conform_runtime::decode::{decode, decode_value};
use conform_runtime::{Inspect, RuleContext, Scalar, Shape, Violation};
use serde_json::{json, Map, Value};

mod rule_support;
#[allow(dead_code)]
mod support;
use rule_support::{ByName, Rng};
use support::SOURCE_ARNS;

const NOW: f64 = 1_750_000_000.0;
const CASES: usize = 4000;

/// The sources' ARNs, and some that name none.
fn arns() -> impl Iterator<Item = &'static str> {
    SOURCE_ARNS
        .iter()
        .copied()
        .chain(["arn:aws:sqs", "not-an-arn", ""])
}

/// Values worth trying for each member name the rules or the placeholders read.
fn pool(member: &str) -> Vec<Value> {
    let pattern = |p: &str| json!({ "Filters": [{ "Pattern": p }] });
    match member {
        "FunctionName" | "FunctionArn" => vec![
            json!("f"),
            json!("a".repeat(65)),
            json!("é".repeat(64)),
            json!("arn:aws:lambda:us-east-1:111111111111:function:my-function"),
        ],
        "EventSourceArn" => arns().map(|a| json!(a)).collect(),
        "SelfManagedEventSource" => vec![
            json!({ "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": ["b-1.example.com:9092", "b-2.example.com:9092"] } }),
            json!({ "Endpoints": {} }),
            json!({}),
        ],
        "StartingPosition" => vec![
            json!("LATEST"),
            json!("AT_TIMESTAMP"),
            json!("TRIM_HORIZON"),
            json!("latest"),
        ],
        "StartingPositionTimestamp" => vec![json!(1_700_000_000), json!(4_000_000_000_u64), json!(1_749_999_999.5)],
        "BatchSize" => vec![json!(0), json!(1), json!(10), json!(11), json!(100), json!(10_001)],
        "MaximumBatchingWindowInSeconds" => vec![json!(0), json!(1), json!(301)],
        "ParallelizationFactor" => vec![json!(1), json!(10)],
        "TumblingWindowInSeconds" => vec![json!(0), json!(30)],
        "BisectBatchOnFunctionError" | "Enabled" => vec![json!(true), json!(false)],
        "MaximumRetryAttempts" => vec![json!(-1), json!(3)],
        "MaximumRecordAgeInSeconds" => {
            vec![json!(-1), json!(0), json!(59), json!(60), json!(604_800), json!(604_801)]
        }
        "DestinationConfig" => vec![
            json!({ "OnFailure": { "Destination": SOURCE_ARNS[0] } }),
            json!({ "OnSuccess": { "Destination": SOURCE_ARNS[0] } }),
            json!({ "OnFailure": {} }),
            json!({}),
        ],
        "ScalingConfig" => vec![json!({ "MaximumConcurrency": 10 }), json!({})],
        "FunctionResponseTypes" => vec![json!([]), json!(["ReportBatchItemFailures"])],
        "Queues" => vec![json!(["q"]), json!([])],
        "Topics" => vec![json!(["t"]), json!(["t", "u"]), json!([])],
        "AmazonManagedKafkaEventSourceConfig" | "SelfManagedKafkaEventSourceConfig" => {
            vec![json!({ "ConsumerGroupId": "g" }), json!({})]
        }
        "DocumentDBEventSourceConfig" => vec![
            json!({ "DatabaseName": "db", "CollectionName": "c", "FullDocument": "UpdateLookup" }),
            json!({}),
        ],
        "SourceAccessConfigurations" => vec![
            json!([{ "Type": "BASIC_AUTH", "URI": "arn:aws:secretsmanager:us-east-1:111111111111:secret:s" }]),
            json!([]),
        ],
        "FilterCriteria" => vec![
            pattern(r#"{"body": {"k": ["v"]}}"#),
            pattern("null"),
            json!({ "Filters": [{ "Pattern": r#"{"a": ["1"]}"# }, { "Pattern": "{\"a\": []}" }] }),
            json!({ "Filters": [] }),
            json!({}),
        ],
        "Tags" => vec![json!({ "team": "data" })],
        "UUID" => vec![json!("14e0db71-5d35-4eb5-b481-8945cf9d10c2")],
        "Resource" => vec![json!(
            "arn:aws:lambda:us-east-1:111111111111:event-source-mapping:14e0db71-5d35-4eb5-b481-8945cf9d10c2"
        )],
        "State" => vec![json!("Enabled"), json!("Creating")],
        "LastModified" => vec![json!(1_700_000_000)],
        _ => Vec::new(),
    }
}

/// A random request of type `T` from the pools (members it cannot take are left out).
fn generate<T: Shape>(rng: &mut Rng) -> Option<T> {
    let mut object = Map::new();
    // Sparse requests fire few rules, dense ones many.
    let density = rng.pick(&[2, 6, 20]);
    for member in T::MEMBERS {
        let values = pool(member);
        // The members every source needs (and required ones), most of the time.
        let common = ["FunctionName", "UUID", "EventSourceArn"].contains(member);
        let chance = if common {
            rng.below(4) != 0
        } else {
            rng.below(density) == 0
        };
        if !values.is_empty() && chance {
            object.insert((*member).to_owned(), rng.pick(&values));
        }
    }
    serde_json::from_value(Value::Object(object)).ok()
}

fn assert_same(case: &str, fast: &[Violation], general: &[Violation]) {
    assert_eq!(fast, general, "{case}");
}

#[test]
fn indexed_rules_agree_with_rules_read_by_name() {
    let mut rng = Rng(7);
    let (mut checked, mut fired) = (0, 0);
    for _ in 0..CASES {
        let context = RuleContext {
            existing: None,
            now: NOW,
        };
        if let Some(request) = generate::<CreateEventSourceMappingRequest>(&mut rng) {
            let fast = RULES.evaluate("CreateEventSourceMapping", &request, context);
            let general = RULES.evaluate("CreateEventSourceMapping", &ByName(&request), context);
            assert_same(&format!("{request:?}"), &fast, &general);
            checked += 1;
            fired += usize::from(!fast.is_empty());
        }
        let Some(request) = generate::<UpdateEventSourceMappingRequest>(&mut rng) else {
            continue;
        };
        let existing = generate::<EventSourceMappingConfiguration>(&mut rng);
        let context = RuleContext {
            existing: existing.as_ref().map(|e| e as &dyn Inspect),
            now: NOW,
        };
        let fast = RULES.evaluate("UpdateEventSourceMapping", &request, context);
        let general = RULES.evaluate("UpdateEventSourceMapping", &ByName(&request), context);
        assert_same(&format!("{request:?} on {existing:?}"), &fast, &general);
        // And the stored mapping read by name too.
        if let Some(existing) = &existing {
            let by_name = ByName(existing);
            let context = RuleContext {
                existing: Some(&by_name),
                now: NOW,
            };
            let general = RULES.evaluate("UpdateEventSourceMapping", &ByName(&request), context);
            assert_same(
                &format!("{request:?} on {existing:?} by name"),
                &fast,
                &general,
            );
        }
        checked += 1;
        fired += usize::from(!fast.is_empty());
    }
    // The draws must reach both outcomes often, or the comparison says little.
    assert!(checked > CASES / 2, "{checked} requests checked");
    assert!(
        fired > checked / 10 && fired < checked * 9 / 10,
        "{fired} of {checked} fired"
    );
}

/// What the rules as code find, against the rule set's evaluation: on every generated request of
/// the operations with rules, every source among them.
#[test]
fn rules_as_code_agree_with_the_rule_set() {
    fn compare<T: Shape + Inspect + std::fmt::Debug>(
        operation: &str,
        request: &T,
        as_code: impl Fn(&T, RuleContext<'_>, &mut Vec<Violation>),
    ) -> usize {
        let context = RuleContext {
            existing: None,
            now: NOW,
        };
        let mut generated = Vec::new();
        as_code(request, context, &mut generated);
        let evaluated = RULES.evaluate(operation, request, context);
        assert_same(&format!("{operation} {request:?}"), &generated, &evaluated);
        generated.len()
    }
    let mut rng = Rng(13);
    let (mut checked, mut fired) = (0, 0);
    let mut sources = std::collections::BTreeSet::new();
    for _ in 0..CASES {
        if let Some(request) = generate::<CreateEventSourceMappingRequest>(&mut rng) {
            let n = compare(
                "CreateEventSourceMapping",
                &request,
                CreateEventSourceMappingRequest::rule_violations_into,
            );
            (checked, fired) = (checked + 1, fired + usize::from(n > 0));
            if let Some(source) = RULES.classify(&request, None) {
                sources.insert(source.id);
            }
        }
        if let Some(request) = generate::<UpdateEventSourceMappingRequest>(&mut rng) {
            let n = compare(
                "UpdateEventSourceMapping",
                &request,
                UpdateEventSourceMappingRequest::rule_violations_into,
            );
            (checked, fired) = (checked + 1, fired + usize::from(n > 0));
        }
    }
    assert!(checked > CASES, "{checked} requests checked");
    assert!(
        fired > checked / 10 && fired < checked * 9 / 10,
        "{fired} of {checked} fired"
    );
    assert_eq!(
        sources.len(),
        RULES.sources.len(),
        "sources reached: {sources:?}"
    );
}

/// What `member_str` reads is what `inspect_member` finds there. (A string member it fails to
/// read only costs speed: the callback reads it; the count below catches a `member_str` that
/// reads nothing.)
#[test]
fn string_members_read_straight_agree_with_the_callback() {
    let mut rng = Rng(11);
    let mut strings = 0;
    for _ in 0..CASES / 4 {
        let Some(request) = generate::<CreateEventSourceMappingRequest>(&mut rng) else {
            continue;
        };
        for index in 0..request.members().len() {
            let mut found = Vec::new();
            request.inspect_member(index, &[], &mut |v| {
                found.push(match v {
                    Scalar::Str(text) => Some(text.to_owned()),
                    _ => None,
                })
            });
            let expected = match found.as_slice() {
                [Some(text)] => Some(text.as_str()),
                _ => None,
            };
            // Enums are strings to `inspect` but are not read straight: the callback reads
            // them, so only what is read straight must agree.
            let straight = request.member_str(index);
            if straight.is_some() {
                assert_eq!(
                    straight,
                    expected,
                    "{} of {request:?}",
                    request.members()[index]
                );
                strings += 1;
            }
        }
    }
    assert!(strings > CASES / 4, "{strings} string members read");
}

/// `Inspect::scalar` of generated structures, enums, lists, maps and leaves, against what the
/// callback finds at the value: one value, else nothing read straight.
#[test]
fn scalars_read_straight_agree_with_the_callback() {
    fn agrees(value: &dyn Inspect, seen: &mut [usize; 2]) {
        let mut found = Vec::new();
        value.inspect(&[], &mut |v| found.push(format!("{v:?}")));
        let straight = value.scalar().map(|v| format!("{v:?}"));
        match straight {
            Some(v) => assert_eq!(found, [v]),
            None => assert!(found.is_empty(), "{found:?} not read straight"),
        }
        seen[usize::from(found.first().is_some_and(|v| v == "Composite"))] += 1;
    }
    let mut rng = Rng(13);
    let mut seen = [0, 0];
    for _ in 0..CASES / 4 {
        let Some(r) = generate::<CreateEventSourceMappingRequest>(&mut rng) else {
            continue;
        };
        let members: [&dyn Inspect; 8] = [
            &r.destination_config,
            &r.filter_criteria,
            &r.topics,
            &r.tags,
            &r.starting_position,
            &r.batch_size,
            &r.function_name,
            &r.self_managed_event_source,
        ];
        for member in members {
            agrees(member, &mut seen);
        }
        agrees(&r, &mut seen);
    }
    // Composites and scalars were both read.
    assert!(seen.iter().all(|&n| n > CASES / 8), "{seen:?}");
}

#[test]
fn indexed_rules_read_the_clock_only_when_not_given() {
    let future = json!({ "FunctionName": "f", "EventSourceArn": SOURCE_ARNS[2], "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 4_000_000_000_u64 });
    let request: CreateEventSourceMappingRequest = serde_json::from_value(future).unwrap();
    let ids = |violations: Vec<Violation>| -> Vec<&'static str> {
        violations
            .iter()
            .filter_map(|v| match v.kind {
                conform_runtime::ViolationKind::Rule { id, .. } => Some(id),
                _ => None,
            })
            .collect()
    };
    // The default context reads the clock: the timestamp is in the future now.
    assert_eq!(
        ids(request.validate()),
        vec!["starting-position.timestamp-not-in-future"]
    );
    // A given time is used as is.
    let later = RuleContext {
        existing: None,
        now: 5_000_000_000.0,
    };
    assert!(ids(request.validate_with(later)).is_empty());
}

/// Bodies around `T`'s members: the pools, with members removed, nulled, replaced by other
/// JSON types, structures given as arrays, duplicated keys and unknown members.
fn bodies<T: Shape>(rng: &mut Rng) -> Vec<Vec<u8>> {
    let junk = [
        json!(null),
        json!(true),
        json!(-1),
        json!(1.5),
        json!("junk"),
        json!([]),
        json!({}),
        json!([{}]),
        json!(["x", null]),
    ];
    let mut out = Vec::new();
    for _ in 0..CASES {
        let mut object = Map::new();
        for member in T::MEMBERS {
            let values = pool(member);
            let keep = if values.is_empty() { 0 } else { 2 };
            match rng.below(6) {
                n if n < keep => {
                    let mut value = rng.pick(&values);
                    if rng.below(8) == 0 {
                        // A nested structure as an array of its values, or a nested null.
                        if let Value::Object(map) = &value {
                            value = if rng.below(2) == 0 {
                                Value::Array(map.values().cloned().collect())
                            } else {
                                let mut map = map.clone();
                                if let Some(key) = map.keys().next().cloned() {
                                    map.insert(key, Value::Null);
                                }
                                Value::Object(map)
                            };
                        }
                    }
                    object.insert((*member).to_owned(), value);
                }
                2 if rng.below(4) == 0 => {
                    object.insert((*member).to_owned(), rng.pick(&junk));
                }
                _ => {}
            }
        }
        if rng.below(20) == 0 {
            object.insert("Unknown".into(), json!(1));
        }
        let mut text = serde_json::to_string(&Value::Object(object.clone())).unwrap();
        match rng.below(20) {
            // The same member twice.
            0 => {
                if let Some((key, value)) = object.iter().next() {
                    text.insert_str(1, &format!("{}:{},", json!(key), value));
                }
            }
            // The body itself as an array, or not an object at all.
            1 => {
                text = serde_json::to_string(&Value::Array(object.values().cloned().collect()))
                    .unwrap()
            }
            2 => text = rng.pick(&["null", "1", "\"s\"", "[]", "{}"]).to_owned(),
            // Trailing characters.
            3 => text.push_str(" x"),
            _ => {}
        }
        let mut body = text.into_bytes();
        // A byte that is not UTF-8, inside the first string (a key, most often).
        if rng.below(20) == 0 {
            if let Some(quote) = body.iter().position(|&b| b == b'"') {
                body.insert(quote + 1, 0xff);
            }
        }
        out.push(body);
    }
    out
}

fn decode_agrees<T: Shape + PartialEq + std::fmt::Debug>(seed: u64) -> (usize, usize) {
    let mut rng = Rng(seed);
    let (mut direct, mut general) = (0, 0);
    for body in bodies::<T>(&mut rng) {
        let text = String::from_utf8_lossy(&body).into_owned();
        let fast = decode::<T>(&body);
        match serde_json::from_slice::<Value>(&body) {
            Ok(value) => {
                let slow = decode_value::<T>(value);
                assert_eq!(fast, slow, "{text}");
                match &slow {
                    Ok((_, missing)) if missing.is_empty() => direct += 1,
                    _ => general += 1,
                }
            }
            // Not JSON: both paths fall through to the same syntax error.
            Err(_) => assert!(
                matches!(fast, Err(conform_runtime::DecodeError::Syntax { .. })),
                "{text}"
            ),
        }
    }
    (direct, general)
}

#[test]
fn direct_decoding_agrees_with_the_general_path() {
    for (name, (direct, general)) in [
        (
            "create",
            decode_agrees::<CreateEventSourceMappingRequest>(1),
        ),
        (
            "update",
            decode_agrees::<UpdateEventSourceMappingRequest>(2),
        ),
        (
            "configuration",
            decode_agrees::<EventSourceMappingConfiguration>(3),
        ),
        ("list", decode_agrees::<ListEventSourceMappingsRequest>(4)),
        ("tag", decode_agrees::<TagResourceRequest>(5)),
    ] {
        // Both kinds of body must be common, or the comparison says little.
        assert!(
            direct > 100 && general > 100,
            "{name}: {direct} direct, {general} general"
        );
    }
}
