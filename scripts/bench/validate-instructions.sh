#!/usr/bin/env bash
# Instructions per call of the generated `validate()` against the jsonschema crate's validator of
# the input's schema (which carries the overlay's rules), of the shape part alone on both sides,
# and of validation end to end from the body's bytes (decode + validate against parse +
# validate), on the criterion bench's six inputs, counted by callgrind.
# Counts do not move with the machine's load, so they back the timed ratios in BENCHMARKS.md.
# Only instructions inside the measured call are counted (`validate_loop::measured`), after one
# call outside it that does the one-time set-up (compiling patterns, building the rule index).
# Each figure is the median of three processes: jsonschema's cost per call moves by up to a
# sixth from one process to the next (its hash maps are seeded per process); ours does not.
#
#   scripts/bench/validate-instructions.sh [N]        (N defaults to 1000)
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
N="${1:-1000}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "validate-instructions.sh: N must be a positive count, not '$N'" >&2; exit 2; }
command -v valgrind >/dev/null || { echo "validate-instructions.sh: needs valgrind (apt-get install valgrind)" >&2; exit 2; }

cargo build --release --locked -q -p conform-models --example validate_loop
loop_bin=target/release/examples/validate_loop

# Instructions of one run of `validate_loop INPUT SIDE COUNT`.
instructions() {
    valgrind --tool=callgrind --toggle-collect='validate_loop::measured' \
        --callgrind-out-file=/dev/null "$loop_bin" "$@" 2>&1 >/dev/null |
        awk '/Collected/ { gsub(",", "", $NF); print $NF }'
}

per_call() {
    local counts=()
    for _ in 1 2 3; do
        counts+=($(($(instructions "$1" "$2" "$N") / N)))
    done
    printf '%s\n' "${counts[@]}" | sort -n | sed -n 2p
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

printf '%-16s %10s %10s %9s %10s %10s %9s %10s %10s %9s\n' input validate jsonschema \
    "js/valid." shape-only "js shapes" "js/shape" bytes "js bytes" "js/bytes"
for input in minimal full full-valid one-violation many-violations max-sizes; do
    ours=$(per_call "$input" validate)
    peer=$(per_call "$input" jsonschema)
    shape=$(per_call "$input" shape-only)
    peer_shapes=$(per_call "$input" jsonschema-shapes)
    bytes=$(per_call "$input" bytes)
    peer_bytes=$(per_call "$input" jsonschema-bytes)
    printf '%-16s %10s %10s %9s %10s %10s %9s %10s %10s %9s\n' "$input" \
        "$ours" "$peer" "$(ratio "$peer" "$ours")" \
        "$shape" "$peer_shapes" "$(ratio "$peer_shapes" "$shape")" \
        "$bytes" "$peer_bytes" "$(ratio "$peer_bytes" "$bytes")"
done
