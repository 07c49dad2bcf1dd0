//! Runs one side of the validation benchmark N times, for counting instructions under
//! callgrind (`scripts/bench/validate-instructions.sh`): counts do not move with the machine's
//! load as times do.
//!
//!     validate_loop INPUT SIDE N
//!
//! INPUT is one of the benchmark's inputs (minimal, full, full-valid, one-violation,
//! many-violations, max-sizes); SIDE is `validate`, `shape-only`, `jsonschema` (the input's
//! schema with the overlay's rules it carries; `is_valid` on valid inputs, `iter_errors` on
//! invalid ones, as in the criterion bench) or `jsonschema-shapes` (the same schema without the
//! rules), or `bytes` and `jsonschema-bytes` for validation end to end from the body's bytes.

use std::process::ExitCode;

#[path = "../benches/support/mod.rs"]
mod support;

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
    let peers = support::peers();
    let prepared = support::Prepared::new(value, &peers);
    let Some(run) = support::side(side, &prepared, &peers) else {
        eprintln!(
            "validate_loop: SIDE is one of {}, not '{side}'",
            support::SIDES.map(|(name, _)| name).join(", ")
        );
        return ExitCode::from(2);
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
