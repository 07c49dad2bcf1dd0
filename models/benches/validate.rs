//! Criterion benchmark: the generated `validate()` against the `jsonschema` crate's validator
//! built from the generated schemars schema (which carries the overlay's rules), on
//! CreateEventSourceMapping inputs, for validation alone, for the shape part alone on both
//! sides, and end to end from bytes. Results and ratios are in BENCHMARKS.md.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion};

mod support;
use support::{inputs, peers, side, Prepared, SIDES};

fn bench(c: &mut Criterion) {
    let peers = peers();
    for (name, value) in inputs() {
        let input = Prepared::new(value, &peers);
        let violations = input.typed.validate();
        // Both sides agree on validity, or the comparison is meaningless; only the inputs named
        // for violations break shape constraints (sizes sit exactly at their maximum).
        assert_eq!(violations.is_empty(), input.valid, "{name}");
        let shapes_valid = violations.iter().all(|v| v.kind.is_rule());
        assert_eq!(shapes_valid, input.shapes_valid, "{name}");
        assert_eq!(shapes_valid, !name.contains("violation"), "{name}");
        let mut group = c.benchmark_group(name);
        for (side_name, label) in SIDES {
            let run = side(side_name, &input, &peers).expect("a known side");
            group.bench_function(label, |b| b.iter(&run));
        }
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
