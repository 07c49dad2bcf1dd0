//! Every overlay rule in `conform_models::RULES`: a request that fires it (AWS's code and exact
//! text) and a near miss that does not, on Create and, through `validate_update`, on Update.

use std::collections::BTreeMap;

use conform_models::{
    aws_error, validate_input, EventSourceMappingConfiguration, UpdateEventSourceMappingRequest,
    RULES,
};
use conform_runtime::{RuleContext, Violation, ViolationKind};
use serde_json::{json, Value};

const SQS: &str = "arn:aws:sqs:us-east-1:111111111111:q";
const FIFO: &str = "arn:aws:sqs:us-east-1:111111111111:q.fifo";
const KINESIS: &str = "arn:aws:kinesis:us-east-1:111111111111:stream/s";
const DYNAMODB: &str =
    "arn:aws:dynamodb:us-east-1:111111111111:table/t/stream/2024-01-01T00:00:00.000";
const MSK: &str =
    "arn:aws:kafka:us-east-1:111111111111:cluster/c/1a2b3c4d-5e6f-1a2b-3c4d-5e6f1a2b3c4d-1";
const MQ: &str =
    "arn:aws:mq:us-east-1:111111111111:broker:b:b-1a2b3c4d-5e6f-1a2b-3c4d-5e6f1a2b3c4d";
const DOCDB: &str = "arn:aws:rds:us-east-1:111111111111:cluster:docs";
const SECRET: &str = "arn:aws:secretsmanager:us-east-1:111111111111:secret:s";
const UUID: &str = "a1b2c3d4-5678-90ab-cdef-111111111111";
/// "Now" for rules about the future, fixed so the tests do not depend on the clock.
const NOW: f64 = 1_800_000_000.0;

enum Expect {
    /// The rule fires and decides AWS's answer: code and exact message.
    Fires(&'static str, String),
    /// The rule does not fire, and the request is valid.
    Clean,
}

struct Case {
    request: Value,
    /// The stored mapping of an Update (`validate_update`); Create otherwise.
    existing: Option<Value>,
    expect: Expect,
}

fn create(request: Value, expect: Expect) -> Case {
    Case {
        request,
        existing: None,
        expect,
    }
}

fn update(existing: Value, request: Value, expect: Expect) -> Case {
    Case {
        request,
        existing: Some(existing),
        expect,
    }
}

fn ipve(message: &str) -> Expect {
    Expect::Fires("InvalidParameterValueException", message.to_owned())
}

fn unsupported(member: &str) -> Expect {
    ipve(&format!(
        "Unsupported {member} parameter for given event source mapping type."
    ))
}

fn kafka() -> Value {
    json!({ "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": ["b-1.kafka:9092"] } })
}

fn sac() -> Value {
    json!([{ "Type": "BASIC_AUTH", "URI": SECRET }])
}

/// A stored SQS mapping as Get returns it.
fn stored(arn: &str, batch: i64, window: i64) -> Value {
    json!({
        "UUID": UUID,
        "EventSourceArn": arn,
        "FunctionArn": "arn:aws:lambda:us-east-1:111111111111:function:f",
        "BatchSize": batch,
        "MaximumBatchingWindowInSeconds": window,
        "State": "Enabled",
    })
}

fn cases() -> BTreeMap<&'static str, Vec<Case>> {
    use Expect::Clean;
    let long = "f".repeat(65);
    let long_arn = format!(
        "arn:aws:lambda:us-east-1:111111111111:function:{}",
        "f".repeat(80)
    );
    let mut m: BTreeMap<&'static str, Vec<Case>> = BTreeMap::new();
    m.insert("function-name.plain-name-length", vec![
        create(json!({ "FunctionName": long, "EventSourceArn": SQS }), Expect::Fires("ValidationException", format!(
            "1 validation error detected: Value '{long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64"))),
        create(json!({ "FunctionName": "f".repeat(64), "EventSourceArn": SQS }), Clean),
        create(json!({ "FunctionName": long_arn, "EventSourceArn": SQS }), Clean),
        update(stored(SQS, 10, 0), json!({ "UUID": UUID, "FunctionName": long }), Expect::Fires("ValidationException", format!(
            "1 validation error detected: Value '{long}' at 'functionName' failed to satisfy constraint: Member must have length less than or equal to 64"))),
    ]);
    m.insert(
        "source.unrecognized",
        vec![
            create(
                json!({ "FunctionName": "f" }),
                ipve("Unrecognized event source."),
            ),
            create(
                json!({ "FunctionName": "f", "EventSourceArn": "arn:aws:s3:::bucket" }),
                ipve("Unrecognized event source."),
            ),
            create(json!({ "FunctionName": "f", "EventSourceArn": SQS }), Clean),
        ],
    );
    m.insert("source.exactly-one", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "SelfManagedEventSource": kafka() }), ipve("Unrecognized event source.")),
        create(json!({ "FunctionName": "f", "SelfManagedEventSource": kafka(), "Topics": ["t1"], "SourceAccessConfigurations": sac() }), Clean),
    ]);
    m.insert("kafka.source-access-configurations-required", vec![
        create(json!({ "FunctionName": "f", "SelfManagedEventSource": kafka(), "Topics": ["t1"] }), ipve("Required 'sourceAccessConfigurations' parameter is missing.")),
        create(json!({ "FunctionName": "f", "SelfManagedEventSource": kafka(), "Topics": ["t1"], "SourceAccessConfigurations": sac() }), Clean),
    ]);
    m.insert("kafka.topics-required", vec![
        create(json!({ "FunctionName": "f", "SelfManagedEventSource": kafka(), "SourceAccessConfigurations": sac() }), ipve("Required 'topics' parameter is missing.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": MSK }), ipve("Required 'topics' parameter is missing.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": MSK, "Topics": ["t1"] }), Clean),
    ]);
    m.insert("mq.queues-required", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": MQ, "SourceAccessConfigurations": sac() }), ipve("Required 'queues' parameter is missing.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": MQ, "SourceAccessConfigurations": sac(), "Queues": ["q1"] }), Clean),
    ]);
    m.insert("starting-position.required", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS }), ipve("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": DYNAMODB }), ipve("1 validation error detected: Value null at 'startingPosition' failed to satisfy constraint: Member must not be null.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST" }), Clean),
        create(json!({ "FunctionName": "f", "EventSourceArn": DYNAMODB, "StartingPosition": "TRIM_HORIZON" }), Clean),
    ]);
    m.insert("starting-position.not-for-sqs", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "StartingPosition": "LATEST" }), ipve("StartingPosition is not valid for SQS event sources.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": FIFO, "StartingPosition": "TRIM_HORIZON" }), ipve("StartingPosition is not valid for SQS event sources.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": FIFO }), Clean),
    ]);
    m.insert("starting-position.at-timestamp-unsupported", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": DYNAMODB, "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1_741_010_802 }),
            ipve(&format!("Unsupported starting position for arn type: {DYNAMODB}"))),
        create(json!({ "FunctionName": "f", "EventSourceArn": MQ, "Queues": ["q1"], "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1_741_010_802 }),
            ipve(&format!("Unsupported starting position for arn type: {MQ}"))),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1_741_010_802 }), Clean),
    ]);
    m.insert("starting-position.timestamp-required", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "AT_TIMESTAMP" }), ipve("Need to specify a timestamp")),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1_741_010_802.5 }), Clean),
    ]);
    m.insert("starting-position.timestamp-only-with-at-timestamp", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "StartingPositionTimestamp": 1_741_010_802 }),
            ipve("StartingPositionTimestamp can only be specified with StartingPosition AT_TIMESTAMP.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": 1_741_010_802 }), Clean),
    ]);
    m.insert("starting-position.timestamp-not-in-future", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": NOW + 1.0 }),
            ipve("StartingPositionTimestamp cannot be in the future.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "AT_TIMESTAMP", "StartingPositionTimestamp": NOW }), Clean),
    ]);
    let on_failure =
        json!({ "OnFailure": { "Destination": "arn:aws:sqs:us-east-1:111111111111:dlq" } });
    m.insert("fit.destination-config", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "DestinationConfig": on_failure }), unsupported("DestinationConfig")),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "DestinationConfig": on_failure }), Clean),
        update(stored(SQS, 10, 0), json!({ "UUID": UUID, "DestinationConfig": on_failure }), unsupported("DestinationConfig")),
        update(stored(KINESIS, 100, 0), json!({ "UUID": UUID, "DestinationConfig": on_failure }), Clean),
    ]);
    for (id, member, value) in [
        (
            "fit.parallelization-factor",
            "ParallelizationFactor",
            json!(1),
        ),
        ("fit.tumbling-window", "TumblingWindowInSeconds", json!(60)),
        (
            "fit.bisect-batch",
            "BisectBatchOnFunctionError",
            json!(true),
        ),
        (
            "fit.maximum-retry-attempts",
            "MaximumRetryAttempts",
            json!(1),
        ),
        (
            "fit.maximum-record-age",
            "MaximumRecordAgeInSeconds",
            json!(60),
        ),
    ] {
        m.insert(id, vec![
            create(json!({ "FunctionName": "f", "EventSourceArn": SQS, member: value }), unsupported(member)),
            create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", member: value }), Clean),
            create(json!({ "FunctionName": "f", "EventSourceArn": DYNAMODB, "StartingPosition": "LATEST", member: value }), Clean),
            update(stored(FIFO, 10, 0), json!({ "UUID": UUID, member: value }), unsupported(member)),
        ]);
    }
    m.insert("fit.scaling-config", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "ScalingConfig": { "MaximumConcurrency": 2 } }), unsupported("ScalingConfig")),
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "ScalingConfig": { "MaximumConcurrency": 2 } }), Clean),
    ]);
    m.insert("fit.function-response-types", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": MQ, "Queues": ["q1"], "FunctionResponseTypes": ["ReportBatchItemFailures"] }), unsupported("FunctionResponseTypes")),
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "FunctionResponseTypes": ["ReportBatchItemFailures"] }), Clean),
    ]);
    m.insert(
        "fit.queues",
        vec![
            create(
                json!({ "FunctionName": "f", "EventSourceArn": SQS, "Queues": ["q1"] }),
                unsupported("Queues"),
            ),
            create(
                json!({ "FunctionName": "f", "EventSourceArn": MQ, "Queues": ["q1"] }),
                Clean,
            ),
        ],
    );
    m.insert(
        "fit.topics",
        vec![
            create(
                json!({ "FunctionName": "f", "EventSourceArn": SQS, "Topics": ["t1"] }),
                unsupported("Topics"),
            ),
            create(
                json!({ "FunctionName": "f", "EventSourceArn": MSK, "Topics": ["t1"] }),
                Clean,
            ),
        ],
    );
    m.insert("fit.amazon-managed-kafka-config", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "AmazonManagedKafkaEventSourceConfig": { "ConsumerGroupId": "g" } }), unsupported("AmazonManagedKafkaEventSourceConfig")),
        create(json!({ "FunctionName": "f", "EventSourceArn": MSK, "Topics": ["t1"], "AmazonManagedKafkaEventSourceConfig": { "ConsumerGroupId": "g" } }), Clean),
    ]);
    m.insert("fit.self-managed-kafka-config", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "SelfManagedKafkaEventSourceConfig": { "ConsumerGroupId": "g" } }), unsupported("SelfManagedKafkaEventSourceConfig")),
        create(json!({ "FunctionName": "f", "SelfManagedEventSource": kafka(), "Topics": ["t1"], "SourceAccessConfigurations": sac(), "SelfManagedKafkaEventSourceConfig": { "ConsumerGroupId": "g" } }), Clean),
    ]);
    m.insert("fit.documentdb-config", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "DocumentDBEventSourceConfig": { "DatabaseName": "db" } }), unsupported("DocumentDBEventSourceConfig")),
        create(json!({ "FunctionName": "f", "EventSourceArn": DOCDB, "DocumentDBEventSourceConfig": { "DatabaseName": "db" } }), Clean),
    ]);
    m.insert("fit.source-access-configurations", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "SourceAccessConfigurations": sac() }), unsupported("SourceAccessConfigurations")),
        create(json!({ "FunctionName": "f", "EventSourceArn": MQ, "Queues": ["q1"], "SourceAccessConfigurations": sac() }), Clean),
    ]);
    m.insert("destination.on-success-unsupported", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "DestinationConfig": { "OnSuccess": { "Destination": "arn:aws:sqs:us-east-1:111111111111:ok" } } }), unsupported("DestinationConfig")),
        update(stored(KINESIS, 100, 0), json!({ "UUID": UUID, "DestinationConfig": { "OnSuccess": { "Destination": "arn:aws:sqs:us-east-1:111111111111:ok" } } }), unsupported("DestinationConfig")),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "DestinationConfig": on_failure }), Clean),
    ]);
    let age = |v: i64| {
        ipve(&format!("1 validation error detected: Value '{v}' at 'maximumRecordAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60."))
    };
    m.insert("maximum-record-age.disjoint-range", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "MaximumRecordAgeInSeconds": 59 }), age(59)),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "MaximumRecordAgeInSeconds": 0 }), age(0)),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "MaximumRecordAgeInSeconds": 60 }), Clean),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "MaximumRecordAgeInSeconds": -1 }), Clean),
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "MaximumRecordAgeInSeconds": 604800 }), Clean),
    ]);
    let fifo_max = || ipve("Maximum batch size must be between 1 and 10 inclusive");
    m.insert(
        "batch-size.fifo-maximum",
        vec![
            create(
                json!({ "FunctionName": "f", "EventSourceArn": FIFO, "BatchSize": 11 }),
                fifo_max(),
            ),
            create(
                json!({ "FunctionName": "f", "EventSourceArn": FIFO, "BatchSize": 10 }),
                Clean,
            ),
            update(
                stored(FIFO, 10, 0),
                json!({ "UUID": UUID, "BatchSize": 11 }),
                fifo_max(),
            ),
            update(
                stored(FIFO, 10, 0),
                json!({ "UUID": UUID, "BatchSize": 10 }),
                Clean,
            ),
            update(
                stored(FIFO, 10, 0),
                json!({ "UUID": UUID, "Enabled": false }),
                Clean,
            ),
        ],
    );
    let fifo_window = || ipve("Batching window is not supported for FIFO queues");
    m.insert("batch-window.fifo-unsupported", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": FIFO, "MaximumBatchingWindowInSeconds": 1 }), fifo_window()),
        create(json!({ "FunctionName": "f", "EventSourceArn": FIFO, "MaximumBatchingWindowInSeconds": 0 }), Clean),
        update(stored(FIFO, 10, 0), json!({ "UUID": UUID, "MaximumBatchingWindowInSeconds": 5 }), fifo_window()),
        update(stored(FIFO, 10, 0), json!({ "UUID": UUID, "MaximumBatchingWindowInSeconds": 0 }), Clean),
    ]);
    let window = || {
        ipve("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
    };
    m.insert("batch-window.required-over-10", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "BatchSize": 11 }), window()),
        // SQS only: recorded Kinesis creates take BatchSize 100 with no window.
        create(json!({ "FunctionName": "f", "EventSourceArn": KINESIS, "StartingPosition": "LATEST", "BatchSize": 11 }), Clean),
        create(json!({ "FunctionName": "f", "EventSourceArn": DYNAMODB, "StartingPosition": "LATEST", "BatchSize": 11, "MaximumBatchingWindowInSeconds": 0 }), Clean),
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "BatchSize": 11, "MaximumBatchingWindowInSeconds": 1 }), Clean),
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "BatchSize": 10 }), Clean),
        // The stored mapping's window decides when the request leaves it out.
        update(stored(SQS, 10, 0), json!({ "UUID": UUID, "BatchSize": 11 }), window()),
        update(stored(SQS, 10, 1), json!({ "UUID": UUID, "BatchSize": 11 }), Clean),
        update(stored(SQS, 100, 5), json!({ "UUID": UUID, "MaximumBatchingWindowInSeconds": 0 }), window()),
        update(stored(SQS, 100, 5), json!({ "UUID": UUID, "MaximumBatchingWindowInSeconds": 0, "BatchSize": 10 }), Clean),
    ]);
    m.insert("filter-criteria.valid-pattern", vec![
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "FilterCriteria": { "Filters": [{ "Pattern": "null" }] } }), ipve("Invalid filter pattern definition.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "FilterCriteria": { "Filters": [{ "Pattern": r#"{"body": {"k": ["v"]}}"# }, { "Pattern": "{\"a\": []}" }] } }), ipve("Invalid filter pattern definition.")),
        update(stored(SQS, 10, 0), json!({ "UUID": UUID, "FilterCriteria": { "Filters": [{ "Pattern": "simple string" }] } }), ipve("Invalid filter pattern definition.")),
        create(json!({ "FunctionName": "f", "EventSourceArn": SQS, "FilterCriteria": { "Filters": [{ "Pattern": r#"{"body": {"k": ["v"]}}"# }] } }), Clean),
    ]);
    m
}

fn run(case: &Case) -> Vec<Violation> {
    match &case.existing {
        None => {
            let context = RuleContext {
                existing: None,
                now: NOW,
            };
            validate_input("CreateEventSourceMapping", case.request.clone(), context)
                .expect("a generated operation")
                .expect("the request decodes")
        }
        Some(existing) => {
            let existing: EventSourceMappingConfiguration =
                serde_json::from_value(existing.clone()).expect("a stored mapping");
            let request: UpdateEventSourceMappingRequest =
                serde_json::from_value(case.request.clone()).expect("an update request");
            request.validate_update(&existing)
        }
    }
}

fn fired(violations: &[Violation]) -> Vec<&'static str> {
    violations
        .iter()
        .filter_map(|v| match v.kind {
            ViolationKind::Rule { id, .. } => Some(id),
            _ => None,
        })
        .collect()
}

#[test]
fn every_rule_fires_and_has_a_near_miss() {
    let cases = cases();
    let mut failures = Vec::new();
    let mut checked = 0;
    for rule in RULES.rules {
        let Some(list) = cases.get(rule.id) else {
            failures.push(format!("{}: no test case", rule.id));
            continue;
        };
        if !list.iter().any(|c| matches!(c.expect, Expect::Fires(..)))
            || !list.iter().any(|c| matches!(c.expect, Expect::Clean))
        {
            failures.push(format!("{}: needs a firing case and a near miss", rule.id));
        }
        for case in list {
            checked += 1;
            let op = if case.existing.is_some() {
                "Update"
            } else {
                "Create"
            };
            let violations = run(case);
            let got = aws_error(&violations).map(|e| (e.code, e.message));
            match &case.expect {
                Expect::Fires(code, message) => {
                    let want = Some(((*code).to_owned(), message.clone()));
                    if got != want || !fired(&violations).contains(&rule.id) {
                        failures.push(format!(
                            "{} ({op} {}): expected {want:?}, got {got:?} (fired {:?})",
                            rule.id,
                            case.request,
                            fired(&violations)
                        ));
                    }
                }
                Expect::Clean => {
                    if !violations.is_empty() {
                        failures.push(format!(
                            "{} ({op} {}): near miss not clean: {got:?} (fired {:?})",
                            rule.id,
                            case.request,
                            fired(&violations)
                        ));
                    }
                }
            }
        }
    }
    for id in cases.keys() {
        if !RULES.rules.iter().any(|r| r.id == *id) {
            failures.push(format!("{id}: cases for a rule the overlay no longer has"));
        }
    }
    println!("{} rules, {checked} rule cases", RULES.rules.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Shape violations win over rules: AWS answers the validation error, not the rule.
#[test]
fn shape_violations_come_before_rules() {
    let violations = validate_input(
        "CreateEventSourceMapping",
        json!({ "FunctionName": "f", "EventSourceArn": SQS, "BatchSize": 0, "StartingPosition": "LATEST" }),
        RuleContext::default(),
    )
    .unwrap()
    .unwrap();
    assert!(fired(&violations).contains(&"starting-position.not-for-sqs"));
    let error = aws_error(&violations).unwrap();
    assert_eq!(error.code, "ValidationException");
    assert_eq!(
        error.message,
        "1 validation error detected: Value '0' at 'batchSize' failed to satisfy constraint: Member must have value greater than or equal to 1"
    );
}

/// The first rule in AWS's order of checks decides the answer when several fire.
#[test]
fn the_first_rule_in_order_wins() {
    let violations = validate_input(
        "CreateEventSourceMapping",
        json!({ "FunctionName": "f", "EventSourceArn": SQS, "StartingPosition": "LATEST", "BatchSize": 11, "Topics": ["t1"] }),
        RuleContext::default(),
    )
    .unwrap()
    .unwrap();
    assert_eq!(
        fired(&violations),
        [
            "starting-position.not-for-sqs",
            "fit.topics",
            "batch-window.required-over-10"
        ]
    );
    assert_eq!(
        aws_error(&violations).unwrap().message,
        "StartingPosition is not valid for SQS event sources."
    );
}

/// An Update without the stored mapping cannot know its source: only the rules of every source
/// run (they would otherwise treat it as an unrecognized source and refuse every option).
#[test]
fn an_update_without_its_stored_mapping_runs_only_the_rules_of_every_source() {
    let update = |body: Value| -> Vec<&'static str> {
        let request: UpdateEventSourceMappingRequest =
            serde_json::from_value(body).expect("an update request");
        fired(&request.validate())
    };
    let options = json!({ "UUID": UUID, "DestinationConfig": { "OnFailure": {} }, "ParallelizationFactor": 2, "ScalingConfig": { "MaximumConcurrency": 2 } });
    assert_eq!(update(options.clone()), Vec::<&str>::new());
    let mut on_success = options.clone();
    on_success["DestinationConfig"] = json!({ "OnSuccess": {} });
    assert_eq!(update(on_success), ["destination.on-success-unsupported"]);
    // With the stored mapping, its source decides.
    let request: UpdateEventSourceMappingRequest = serde_json::from_value(options).unwrap();
    let existing: EventSourceMappingConfiguration =
        serde_json::from_value(stored(SQS, 10, 0)).unwrap();
    assert_eq!(
        fired(&request.validate_update(&existing)),
        ["fit.destination-config", "fit.parallelization-factor"]
    );
}
