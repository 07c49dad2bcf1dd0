//! Criterion benchmark: the generated `validate()` against the `jsonschema` crate's validator
//! built from the generated schemars schema (which carries the overlay's rules), on
//! CreateEventSourceMapping inputs, for validation alone, for the shape part alone on both
//! sides, and end to end from bytes. Results and ratios are in BENCHMARKS.md.

use std::hint::black_box;
use std::time::Duration;

use conform_models::CreateEventSourceMappingRequest;
use conform_runtime::decode::decode;
use criterion::{criterion_group, criterion_main, Criterion};
use serde_json::Value;

mod support;
use support::{inputs, peers, Peers};

fn bench(c: &mut Criterion) {
    let peers = peers();
    for (name, value) in inputs() {
        let bytes = serde_json::to_vec(&value).unwrap();
        let typed: CreateEventSourceMappingRequest = serde_json::from_value(value.clone()).unwrap();
        let violations = typed.validate();
        let shapes_valid = violations.iter().all(|v| v.kind.is_rule());
        // Both sides agree on validity, or the comparison is meaningless; only the inputs named
        // for violations break shape constraints (sizes sit exactly at their maximum).
        let valid = violations.is_empty();
        assert_eq!(valid, peers.with_rules.is_valid(&value), "{name}");
        assert_eq!(shapes_valid, peers.shapes_only.is_valid(&value), "{name}");
        assert_eq!(shapes_valid, !name.contains("violation"), "{name}");
        let mut group = c.benchmark_group(name);
        group.bench_function("ours/validate", |b| b.iter(|| black_box(&typed).validate()));
        group.bench_function("jsonschema/with-rules", |b| {
            b.iter(|| Peers::check(&peers.with_rules, black_box(&value), valid))
        });
        // The shape constraints alone, on both sides.
        group.bench_function("ours/shape-only", |b| {
            b.iter(|| conform_runtime::decode::shape_violations(black_box(&typed), Vec::new()))
        });
        group.bench_function("jsonschema/shapes-only", |b| {
            b.iter(|| Peers::check(&peers.shapes_only, black_box(&value), shapes_valid))
        });
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
                Peers::check(&peers.with_rules, &value, valid)
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
