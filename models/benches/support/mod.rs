//! The CreateEventSourceMapping inputs, peer validators and measured calls the validation
//! benchmarks share: the criterion bench (`benches/validate.rs`), the side-by-side time ratios
//! (`benches/validate_ratio.rs`) and the instruction counts (`examples/validate_loop.rs`).

use std::hint::black_box;

use conform_models::CreateEventSourceMappingRequest;
use conform_runtime::decode::decode;
use serde_json::{json, Value};

/// The peer: the jsonschema crate's validators of the input's generated schema, with the
/// overlay's rules it carries (like for like with `validate()`) and without them (like for
/// like with the shape part alone).
pub struct Peers {
    pub with_rules: jsonschema::Validator,
    pub shapes_only: jsonschema::Validator,
}

impl Peers {
    /// Runs a peer as ours runs: `is_valid` on a valid input, every error of an invalid one.
    pub fn check(validator: &jsonschema::Validator, value: &Value, valid: bool) -> usize {
        if valid {
            usize::from(validator.is_valid(value))
        } else {
            validator.iter_errors(value).count()
        }
    }
}

pub fn peers() -> Peers {
    let schema = schemars::SchemaGenerator::default()
        .into_root_schema_for::<CreateEventSourceMappingRequest>();
    let mut schema = serde_json::to_value(schema).expect("the schema serializes");
    let with_rules = jsonschema::validator_for(&schema).expect("the generated schema compiles");
    schema
        .as_object_mut()
        .expect("an object schema")
        .remove("allOf")
        .expect("the input's schema carries rules");
    let shapes_only = jsonschema::validator_for(&schema).expect("the generated schema compiles");
    Peers {
        with_rules,
        shapes_only,
    }
}

const SQS: &str = "arn:aws:sqs:us-east-1:111111111111:q";

pub fn inputs() -> Vec<(&'static str, Value)> {
    let minimal = json!({ "FunctionName": "f", "EventSourceArn": SQS });
    let full = json!({
        "FunctionName": "arn:aws:lambda:us-east-1:111111111111:function:my-function:live",
        "EventSourceArn": "arn:aws:kafka:us-east-1:111111111111:cluster/c/1a2b3c4d",
        "Enabled": true,
        "BatchSize": 100,
        "FilterCriteria": { "Filters": [{ "Pattern": "{\"body\": {\"k\": [\"v\"]}}" }] },
        "MaximumBatchingWindowInSeconds": 1,
        "ParallelizationFactor": 2,
        "StartingPosition": "AT_TIMESTAMP",
        "StartingPositionTimestamp": 1_741_010_802,
        "DestinationConfig": { "OnFailure": { "Destination": "arn:aws:sqs:us-east-1:111111111111:dlq" } },
        "MaximumRecordAgeInSeconds": 60,
        "BisectBatchOnFunctionError": true,
        "MaximumRetryAttempts": 3,
        "Tags": { "team": "data", "env": "prod" },
        "TumblingWindowInSeconds": 30,
        "Topics": ["orders"],
        "Queues": ["orders"],
        "SourceAccessConfigurations": [{ "Type": "BASIC_AUTH", "URI": "arn:aws:secretsmanager:us-east-1:111111111111:secret:s" }],
        "SelfManagedEventSource": { "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": ["b-1.kafka.example.com:9092", "b-2.kafka.example.com:9092"] } },
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "ScalingConfig": { "MaximumConcurrency": 10 },
        "AmazonManagedKafkaEventSourceConfig": { "ConsumerGroupId": "group-1" },
        "SelfManagedKafkaEventSourceConfig": { "ConsumerGroupId": "group-1" },
        "DocumentDBEventSourceConfig": { "DatabaseName": "db", "CollectionName": "orders", "FullDocument": "UpdateLookup" },
        "KMSKeyArn": "arn:aws:kms:us-east-1:111111111111:key/k",
    });
    // No request can be valid with every member: each source refuses some. This one keeps
    // every member the Amazon MSK source (the ARN's) accepts, so it passes the rules too.
    let mut full_valid = full.clone();
    for refused in [
        "SelfManagedEventSource",
        "ParallelizationFactor",
        "TumblingWindowInSeconds",
        "BisectBatchOnFunctionError",
        "MaximumRetryAttempts",
        "MaximumRecordAgeInSeconds",
        "ScalingConfig",
        "FunctionResponseTypes",
        "Queues",
        "SelfManagedKafkaEventSourceConfig",
        "DocumentDBEventSourceConfig",
    ] {
        full_valid
            .as_object_mut()
            .and_then(|members| members.remove(refused))
            .expect("the full input has the member");
    }
    let one = json!({ "FunctionName": "f", "EventSourceArn": SQS, "BatchSize": 0 });
    let many = json!({
        "FunctionName": "bad name",
        "EventSourceArn": SQS,
        "BatchSize": 0,
        "MaximumBatchingWindowInSeconds": 301,
        "ParallelizationFactor": 11,
        "MaximumRecordAgeInSeconds": -2,
        "MaximumRetryAttempts": 10001,
        "TumblingWindowInSeconds": 901,
        "StartingPosition": "latest",
        "Topics": [""],
        "Queues": [],
        "SourceAccessConfigurations": [{ "Type": "PLAIN", "URI": "" }],
        "ScalingConfig": { "MaximumConcurrency": 1 },
        "FunctionResponseTypes": ["Report"],
        "DocumentDBEventSourceConfig": { "DatabaseName": "a b", "CollectionName": "system.x", "FullDocument": "x" },
        "Tags": { "": "v" },
    });
    // `{"a": ["`, the filler and `"]}`: 4,096 characters, the Pattern maximum.
    let filter = format!("{{\"a\": [\"{}\"]}}", "x".repeat(4096 - 11));
    let endpoint = format!("{}.example.com:9092", "b".repeat(300 - 17));
    let max = json!({
        "FunctionName": format!("arn:aws:lambda:us-east-1:111111111111:function:{}", "f".repeat(140 - 47)),
        "EventSourceArn": format!("{SQS}{}", "q".repeat(200)),
        "FilterCriteria": { "Filters": vec![json!({ "Pattern": filter }); 5] },
        "DestinationConfig": { "OnFailure": { "Destination": format!("{SQS}{}", "d".repeat(350 - SQS.len())) } },
        "Tags": (0..50).map(|i| (format!("{i:0>128}"), json!("v".repeat(256)))).collect::<serde_json::Map<_, _>>(),
        "Topics": ["t".repeat(249)],
        "Queues": ["q".repeat(1000)],
        "SourceAccessConfigurations": vec![json!({ "Type": "BASIC_AUTH", "URI": "u".repeat(200) }); 22],
        "SelfManagedEventSource": { "Endpoints": { "KAFKA_BOOTSTRAP_SERVERS": vec![endpoint; 10] } },
        "FunctionResponseTypes": ["ReportBatchItemFailures"],
        "AmazonManagedKafkaEventSourceConfig": { "ConsumerGroupId": "g".repeat(200) },
        "SelfManagedKafkaEventSourceConfig": { "ConsumerGroupId": "g".repeat(200) },
        "DocumentDBEventSourceConfig": { "DatabaseName": "d".repeat(63), "CollectionName": "c".repeat(57) },
    });
    vec![
        ("minimal", minimal),
        ("full", full),
        ("full-valid", full_valid),
        ("one-violation", one),
        ("many-violations", many),
        ("max-sizes", max),
    ]
}

/// One input, ready for every side: typed, as a JSON value and as bytes, with the peer's
/// verdicts (a valid input is checked with `is_valid`, an invalid one for every error).
pub struct Prepared {
    pub typed: CreateEventSourceMappingRequest,
    pub value: Value,
    pub bytes: Vec<u8>,
    pub valid: bool,
    pub shapes_valid: bool,
}

impl Prepared {
    pub fn new(value: Value, peers: &Peers) -> Prepared {
        Prepared {
            typed: serde_json::from_value(value.clone()).expect("benchmark inputs deserialize"),
            bytes: serde_json::to_vec(&value).expect("benchmark inputs serialize"),
            valid: peers.with_rules.is_valid(&value),
            shapes_valid: peers.shapes_only.is_valid(&value),
            value,
        }
    }
}

/// The sides a benchmark can measure, with the criterion bench's label for each, in pairs of
/// ours and its peer: `validate` against `jsonschema`, `shape-only` against
/// `jsonschema-shapes`, `bytes` against `jsonschema-bytes`.
pub const SIDES: [(&str, &str); 6] = [
    ("validate", "ours/validate"),
    ("jsonschema", "jsonschema/with-rules"),
    ("shape-only", "ours/shape-only"),
    ("jsonschema-shapes", "jsonschema/shapes-only"),
    ("bytes", "ours/bytes"),
    ("jsonschema-bytes", "jsonschema/bytes"),
];

/// One call of `side` on `input`, returning something that depends on the work done; `None`
/// for an unknown side.
pub fn side<'a>(
    side: &str,
    input: &'a Prepared,
    peers: &'a Peers,
) -> Option<Box<dyn Fn() -> usize + 'a>> {
    Some(match side {
        "validate" => Box::new(move || black_box(&input.typed).validate().len()),
        "shape-only" => Box::new(move || {
            conform_runtime::decode::shape_violations(black_box(&input.typed), Vec::new()).len()
        }),
        "jsonschema" => {
            Box::new(move || Peers::check(&peers.with_rules, black_box(&input.value), input.valid))
        }
        "jsonschema-shapes" => Box::new(move || {
            Peers::check(
                &peers.shapes_only,
                black_box(&input.value),
                input.shapes_valid,
            )
        }),
        "bytes" => Box::new(move || {
            let (request, _missing) =
                decode::<CreateEventSourceMappingRequest>(black_box(&input.bytes))
                    .expect("benchmark inputs decode");
            request.validate().len()
        }),
        "jsonschema-bytes" => Box::new(move || {
            let value: Value =
                serde_json::from_slice(black_box(&input.bytes)).expect("benchmark inputs parse");
            Peers::check(&peers.with_rules, &value, input.valid)
        }),
        _ => return None,
    })
}
