//! Criterion benchmark: the generated `validate()` against the `jsonschema` crate's validator
//! built from the generated schemars schema, on CreateEventSourceMapping inputs, for validation
//! alone and end to end from bytes. Results and ratios are in BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use conform_models::CreateEventSourceMappingRequest;
use conform_runtime::decode::decode;
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::Value;

mod support;
use support::inputs;

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
        // Both sides agree on validity, or the comparison is meaningless; only the inputs named
        // for violations break shape constraints (sizes sit exactly at their maximum).
        assert_eq!(shape_errors == 0, validator.is_valid(&value), "{name}");
        assert_eq!(shape_errors == 0, !name.contains("violation"), "{name}");
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
