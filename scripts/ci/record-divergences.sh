#!/usr/bin/env bash
# Refreshes the accepted divergences of the real emulators after the suite or the goldens
# changed, carrying the reviewed reasons forward:
#
#   scripts/ci/record-divergences.sh [TARGET...]      # default: moto, ministack, localstack
#
# For each target it starts the emulator (scripts/emulators/emulator.sh, 127.0.0.1), then
#   1. conform record --target TARGET            pending snapshots/<case>@TARGET.snap.new
#   2. divergences.py prune TARGET               deletes divergences that are resolved (the target
#                                                matches the golden again) or whose case is gone
#   3. divergences.py accept TARGET              accepts each pending divergence whose every
#                                                facet a reviewed rule in
#                                                scripts/ci/divergences/TARGET.json explains, with
#                                                the reason those rules give
#   4. conform run --target TARGET               must pass now
# and stops the emulator. What no rule explains stays pending: look at it with
# `scripts/ci/divergences.py review TARGET --new`, add or widen a rule (or `approve` and reword),
# and run this again. Review `git diff snapshots/ scripts/ci/divergences/` before committing.
#
# Environment: CONFORM_BIN, LOCALSTACK_PYTHON, PYTHON (see scripts/ci/conformance.sh).
# Exit status: 0 every target conformant with nothing pending, 1 something left, 2 setup error.
set -euo pipefail

# shellcheck source=scripts/ci/targets.sh
source "$(dirname "${BASH_SOURCE[0]}")/targets.sh"

targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(moto ministack localstack)
for target in "${targets[@]}"; do
    case "$target" in
        moto | ministack | localstack) ;;
        *) log "record-divergences.sh: unknown target '$target' (moto, ministack, localstack)"; exit 2 ;;
    esac
done

trap stop_started EXIT
trap 'stop_started; exit 130' INT
trap 'stop_started; exit 143' TERM

cd "$REPO"
bin="$(conform_bin)"
work="$(mktemp -d)"
trap 'stop_started; rm -rf "$work"' EXIT

status=0
summary=()
for target in "${targets[@]}"; do
    log "== $target"
    if [[ "$target" == localstack ]] && ! why="$(localstack_python)"; then
        summary+=("localstack: skipped ($why)")
        status=1
        continue
    fi
    started=$SECONDS
    start_target "$target" || { log "record-divergences.sh: $target did not start"; exit 2; }
    # Exit 1 is expected here: pending snapshots are the point.
    # shellcheck disable=SC2046
    "$bin" record --target "$target" $(target_flags "$target") --report "ndjson=$work/$target.ndjson" >"$work/$target.record.txt" 2>&1 || true
    grep -E '^(not applicable|conformant|not conformant|pending review|endpoint unreachable|interrupted)' "$work/$target.record.txt" >&2 || tail -n 5 "$work/$target.record.txt" >&2
    python3 "$CI_DIR/divergences.py" prune "$target" "$work/$target.ndjson" >&2
    accepted=0
    python3 "$CI_DIR/divergences.py" accept "$target" >&2 || accepted=$?
    # shellcheck disable=SC2046
    if "$bin" run --target "$target" $(target_flags "$target") >"$work/$target.run.txt" 2>&1 && [[ $accepted -eq 0 ]]; then
        summary+=("$target: conformant, nothing pending ($((SECONDS - started)) s): $(tail -n 1 "$work/$target.run.txt")")
    else
        grep -E '^(fail|error|resolved) [^ ]+ \(' "$work/$target.run.txt" >&2 || true
        summary+=("$target: needs review ($((SECONDS - started)) s): $(tail -n 1 "$work/$target.run.txt")")
        status=1
    fi
    stop_started
done

log "== summary"
for line in "${summary[@]}"; do
    log "  $line"
done
exit "$status"
