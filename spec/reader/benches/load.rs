//! Criterion bench: loading the ~1 MB AWS-style model (the shape and size of AWS's Lambda model)
//! and selecting one operation from it. Results go in BENCHMARKS.md.

use std::hint::black_box;

use conform_spec::{input_members, Model};
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

#[path = "../tests/support/aws_style.rs"]
mod aws_style;

fn load(c: &mut Criterion) {
    let generated = aws_style::generate();
    let json = generated.json.as_str();
    let mut group = c.benchmark_group("aws_style_model");
    group.throughput(Throughput::Bytes(json.len() as u64));
    // The peer: parsing the same text into a `serde_json::Value`, the floor of any load.
    group.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(json)).expect("parses"))
    });
    group.bench_function("from_json", |b| {
        b.iter(|| Model::from_json(black_box(json), "aws-style.json").expect("loads"))
    });
    group.finish();

    let model = Model::from_json(json, "aws-style.json").expect("loads");
    let mut group = c.benchmark_group("aws_style_select");
    group.bench_function("select_one_operation", |b| {
        b.iter(|| {
            model
                .select(black_box(&["UpdateFunction"]))
                .expect("selects")
        })
    });
    group.bench_function("select_resource_only_operation", |b| {
        b.iter(|| {
            model
                .select(black_box(&["CreateUrlConfig"]))
                .expect("selects")
        })
    });
    group.bench_function("input_members_one_operation", |b| {
        b.iter(|| input_members(&model, black_box("UpdateFunction")).expect("members"))
    });
    group.finish();
}

criterion_group!(benches, load);
criterion_main!(benches);
