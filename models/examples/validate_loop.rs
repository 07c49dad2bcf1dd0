//! Runs one side of the validation benchmark N times, for counting instructions under
//! callgrind (`scripts/bench/validate-instructions.sh`): counts do not move with the machine's
//! load as times do.
//!
//!     validate_loop INPUT SIDE N
//!
//! INPUT is one of the benchmark's inputs (minimal, full, one-violation, many-violations,
//! max-sizes); SIDE is `validate`, `shape-only`, `jsonschema` (the input's schema with the
//! overlay's rules it carries; `is_valid` on valid inputs, `iter_errors` on invalid ones, as in
//! the criterion bench) or `jsonschema-shapes` (the same schema without the rules), or `bytes`
//! and `jsonschema-bytes` for validation end to end from the body's bytes.

use std::hint::black_box;
use std::process::ExitCode;

use conform_models::CreateEventSourceMappingRequest;
use conform_runtime::decode::decode;

#[path = "../benches/support/mod.rs"]
mod support;
use support::Peers;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, side, count] = args.as_slice() else {
        eprintln!("usage: validate_loop INPUT SIDE N");
        return ExitCode::from(2);
    };
    let Some((_, value)) = support::inputs()
        .into_iter()
        .find(|(name, _)| name == input)
    else {
        let names: Vec<_> = support::inputs()
            .into_iter()
            .map(|(name, _)| name)
            .collect();
        eprintln!(
            "validate_loop: no input '{input}' (one of: {})",
            names.join(", ")
        );
        return ExitCode::from(2);
    };
    let Ok(count) = count.parse::<usize>() else {
        eprintln!("validate_loop: N must be a count, not '{count}'");
        return ExitCode::from(2);
    };
    let typed: CreateEventSourceMappingRequest =
        serde_json::from_value(value.clone()).expect("benchmark inputs deserialize");
    let peers = support::peers();
    let valid = peers.with_rules.is_valid(&value);
    let shapes_valid = peers.shapes_only.is_valid(&value);
    let bytes = serde_json::to_vec(&value).expect("benchmark inputs serialize");
    let run: Box<dyn Fn() -> usize> = match side.as_str() {
        "validate" => Box::new(|| black_box(&typed).validate().len()),
        "shape-only" => Box::new(|| {
            conform_runtime::decode::shape_violations(black_box(&typed), Vec::new()).len()
        }),
        "jsonschema" => Box::new(|| Peers::check(&peers.with_rules, black_box(&value), valid)),
        "jsonschema-shapes" => {
            Box::new(|| Peers::check(&peers.shapes_only, black_box(&value), shapes_valid))
        }
        "bytes" => Box::new(|| {
            let (input, _missing) = decode::<CreateEventSourceMappingRequest>(black_box(&bytes))
                .expect("benchmark inputs decode");
            input.validate().len()
        }),
        "jsonschema-bytes" => Box::new(|| {
            let value: serde_json::Value =
                serde_json::from_slice(black_box(&bytes)).expect("benchmark inputs parse");
            Peers::check(&peers.with_rules, &value, valid)
        }),
        other => {
            eprintln!(
                "validate_loop: SIDE is validate, shape-only, jsonschema, jsonschema-shapes, \
                 bytes or jsonschema-bytes, not '{other}'"
            );
            return ExitCode::from(2);
        }
    };
    // One call outside the measured function first: compiling patterns and building the rule
    // index happen once, and are not what is measured.
    let warm_up = run();
    let total: usize = warm_up + (0..count).map(|_| measured(&run)).sum::<usize>();
    println!("{total}");
    ExitCode::SUCCESS
}

/// One call of the side under measurement: the script counts instructions inside this
/// function only (`--toggle-collect`), so the set-up around it cannot move the figures.
#[inline(never)]
fn measured(run: &dyn Fn() -> usize) -> usize {
    run()
}
