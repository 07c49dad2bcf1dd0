//! Side-by-side time ratios of the generated `validate()` against the jsonschema crate, on the
//! criterion bench's inputs: the two sides are timed in alternating batches in one process, and
//! each round's ratio is taken from its own pair of batches. A shared machine's drift (clock
//! frequency, other work) then falls on both sides of a ratio alike, which separate criterion
//! runs of a few seconds each do not ensure. Results are in BENCHMARKS.md.
//!
//!     cargo bench -p conform-models --bench validate_ratio [-- ROUNDS]   (ROUNDS defaults to 201)

use std::process::ExitCode;
use std::time::{Duration, Instant};

mod support;
use support::{inputs, peers, side, Prepared, SIDES};

/// Each batch of our calls lasts about this long; the peer's batch has as many calls. Long
/// enough that the caches and predictors the other side left cost little (at 200 µs, minimal
/// took twice its time alone), short enough that the machine's drift falls on both sides.
const BATCH_TIME: Duration = Duration::from_millis(2);

fn main() -> ExitCode {
    // Cargo passes `--bench`; a number is the count of rounds.
    let mut rounds = 201;
    for arg in std::env::args().skip(1).filter(|a| !a.starts_with("--")) {
        match arg.parse::<usize>() {
            Ok(n) if n > 0 => rounds = n,
            _ => {
                eprintln!("validate_ratio: ROUNDS must be a positive count, not '{arg}'");
                return ExitCode::from(2);
            }
        }
    }
    let peers = peers();
    println!("{rounds} rounds of alternating batches; ratio = peer time / ours, per round");
    println!(
        "{:<16} {:<11} {:>11} {:>11} {:>8} {:>15}",
        "input", "ours", "ours ns", "peer ns", "ratio", "ratio p10-p90"
    );
    for (name, value) in inputs() {
        let input = Prepared::new(value, &peers);
        for pair in SIDES.chunks_exact(2) {
            let ((ours, _), (peer, _)) = (pair[0], pair[1]);
            let (Some(ours_call), Some(peer_call)) =
                (side(ours, &input, &peers), side(peer, &input, &peers))
            else {
                unreachable!("the pairs name known sides");
            };
            let batch = calls_per_batch(&ours_call);
            let mut ours_ns = Vec::with_capacity(rounds);
            let mut peer_ns = Vec::with_capacity(rounds);
            let mut ratios = Vec::with_capacity(rounds);
            for round in 0..rounds {
                // Which side goes first alternates, so neither always follows the other.
                let (a, b) = if round % 2 == 0 {
                    let a = per_call(&ours_call, batch);
                    (a, per_call(&peer_call, batch))
                } else {
                    let b = per_call(&peer_call, batch);
                    (per_call(&ours_call, batch), b)
                };
                ours_ns.push(a);
                peer_ns.push(b);
                ratios.push(b / a);
            }
            println!(
                "{name:<16} {ours:<11} {:>11.1} {:>11.1} {:>8.2} {:>7.2}-{:<7.2}",
                quantile(&mut ours_ns, 0.5),
                quantile(&mut peer_ns, 0.5),
                quantile(&mut ratios, 0.5),
                quantile(&mut ratios, 0.1),
                quantile(&mut ratios, 0.9),
            );
        }
    }
    ExitCode::SUCCESS
}

/// How many calls make a batch of about [`BATCH_TIME`] (after warming up).
fn calls_per_batch(call: &dyn Fn() -> usize) -> usize {
    let mut calls = 1;
    loop {
        let start = Instant::now();
        for _ in 0..calls {
            std::hint::black_box(call());
        }
        if start.elapsed() >= BATCH_TIME || calls >= 1 << 20 {
            return calls;
        }
        calls *= 2;
    }
}

/// Nanoseconds per call over a batch of `calls`.
fn per_call(call: &dyn Fn() -> usize, calls: usize) -> f64 {
    let start = Instant::now();
    for _ in 0..calls {
        std::hint::black_box(call());
    }
    start.elapsed().as_nanos() as f64 / calls as f64
}

/// The `q` quantile of `values` (sorted in place).
fn quantile(values: &mut [f64], q: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * q).round() as usize]
}
