//! Criterion benchmark: the generated `validate()` against the `jsonschema` crate's validator
//! built from the generated schemars schema, on CreateEventSourceMapping inputs, for validation
//! alone and end to end from bytes. Results and ratios are in BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use conform_models::CreateEventSourceMappingRequest;
use conform_runtime::decode::decode;
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::{json, Value};

const SQS: &str = "arn:aws:sqs:us-east-1:111111111111:q";

fn inputs() -> Vec<(&'static str, Value)> {
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
    let filter = format!("{{\"a\": [\"{}\"]}}", "x".repeat(4096 - 10));
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
        ("one-violation", one),
        ("many-violations", many),
        ("max-sizes", max),
    ]
}

fn bench(c: &mut Criterion) {
    let schema = schemars::SchemaGenerator::default()
        .into_root_schema_for::<CreateEventSourceMappingRequest>();
    let validator = jsonschema::validator_for(&serde_json::to_value(schema).unwrap()).unwrap();
    for (name, value) in inputs() {
        let bytes = serde_json::to_vec(&value).unwrap();
        let typed: CreateEventSourceMappingRequest = serde_json::from_value(value.clone()).unwrap();
        let shape_errors = typed
            .validate()
            .iter()
            .filter(|v| !v.kind.is_rule())
            .count();
        // Both sides agree on validity, or the comparison is meaningless.
        assert_eq!(shape_errors == 0, validator.is_valid(&value), "{name}");
        let mut group = c.benchmark_group(name);
        group.bench_function("ours/validate", |b| b.iter(|| black_box(&typed).validate()));
        // Shape constraints only, the part the schema expresses (rules left out).
        group.bench_function("ours/shape-only", |b| {
            b.iter(|| conform_runtime::decode::shape_violations(black_box(&typed), Vec::new()))
        });
        group.bench_function("jsonschema/is_valid", |b| {
            b.iter(|| validator.is_valid(black_box(&value)))
        });
        if shape_errors > 0 {
            group.bench_function("jsonschema/iter_errors", |b| {
                b.iter(|| validator.iter_errors(black_box(&value)).count())
            });
        }
        group.bench_function("ours/bytes", |b| {
            b.iter(|| {
                let (input, _missing) =
                    decode::<CreateEventSourceMappingRequest>(black_box(&bytes)).unwrap();
                input.validate()
            })
        });
        group.bench_function("jsonschema/bytes", |b| {
            b.iter(|| {
                let value: Value = serde_json::from_slice(black_box(&bytes)).unwrap();
                if shape_errors > 0 {
                    validator.iter_errors(&value).count()
                } else {
                    usize::from(!validator.is_valid(&value))
                }
            })
        });
        group.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = bench
}
criterion_main!(benches);
