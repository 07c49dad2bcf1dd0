#!/usr/bin/env bash
# The suite against the real emulators: installs each (pinned, scripts/emulators/emulator.sh),
# starts it on 127.0.0.1, runs `conform run --target NAME`, and stops it again (also on failure
# or Ctrl-C). A run passes when every case matches its golden or the target's accepted
# divergence (snapshots/<case>@<target>.snap), or is not applicable there. A case that fails is
# run again, alone, up to RETRIES times after a pause: when it then passes, the summary names it
# FLAKY and the target still passes; the first run's problems are repeated at the end of the
# output either way.
#
#   scripts/ci/conformance.sh [--matrix FILE] [TARGET...]
#
# TARGET is moto, ministack or localstack; by default moto and MiniStack, and LocalStack when a
# Python >= 3.12 is on the machine (without one it says so and skips LocalStack).
# --matrix FILE also runs the embedded reference and writes the conformance matrix to FILE with
# `--report markdown=FILE` (each run replaces its own column), e.g. docs/conformance-matrix.md.
#
# Environment: CONFORM_BIN (a conform binary; default: the debug build, built if needed),
# LOCALSTACK_PYTHON, PYTHON (see scripts/emulators/emulator.sh).
# Exit status: 0 every target conformant, 1 one was not, 2 a setup error or a run that could not
# judge its target (conform run's exit 2: an unreadable golden, an unreachable endpoint).
set -euo pipefail

# shellcheck source=scripts/ci/targets.sh
source "$(dirname "${BASH_SOURCE[0]}")/targets.sh"

matrix=""
targets=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --matrix)
            [[ $# -ge 2 ]] || { log "conformance.sh: --matrix needs a file"; exit 2; }
            matrix="$2"
            shift 2
            ;;
        -h | --help)
            sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
            exit 2
            ;;
        moto | ministack | localstack)
            targets+=("$1")
            shift
            ;;
        *) log "conformance.sh: unknown argument '$1' (targets: moto, ministack, localstack)"; exit 2 ;;
    esac
done
if [[ ${#targets[@]} -eq 0 ]]; then
    targets=(moto ministack)
    if why="$(localstack_python)"; then
        targets+=(localstack)
    else
        log "localstack: skipped: LocalStack needs Python >= 3.12, and this machine has none ($why)"
    fi
fi

# Runs each non-conformant case of a run (its ndjson report) again, alone, up to RETRIES times,
# each after RETRY_PAUSE seconds (an emulator still busy with the run's teardown answers late
# state changes). Prints their ids and succeeds when every one passes: a flaky answer of the
# emulator, reported but not failed; exit 1 when one fails every time, or when the run failed
# without a failing case (a setup or endpoint error, exit 2).
RETRIES=3
RETRY_PAUSE=5
retry_failed() {
    local target="$1" cases="$2" ids id again=()
    ids="$(python3 -c 'import json, sys
for line in open(sys.argv[1], encoding="utf-8"):
    row = json.loads(line)
    if "id" in row and not row["conformant"] and row["status"] != "skipped":
        print(row["id"])' "$cases")" || return 1
    [[ -n "$ids" ]] || return 1
    log "$target: running the failed cases again, alone (up to $RETRIES times each): $(echo "$ids" | tr '\n' ' ')"
    for id in $ids; do
        local try passed=false
        for ((try = 1; try <= RETRIES; try++)); do
            sleep "$RETRY_PAUSE"
            # shellcheck disable=SC2046  # the flags are words
            if "$bin" run --target "$target" $(target_flags "$target") --case "$id" >&2; then
                passed=true
                break
            fi
        done
        $passed || again+=("$id")
    done
    [[ ${#again[@]} -eq 0 ]] || { log "$target: failed $RETRIES more times, alone: ${again[*]}"; return 1; }
    echo "$ids" | tr '\n' ' ' | sed 's/ $//'
}

trap stop_started EXIT
trap 'stop_started; exit 130' INT
trap 'stop_started; exit 143' TERM

cd "$REPO"
bin="$(conform_bin)"
report=()
if [[ -n "$matrix" ]]; then
    report=(--report "markdown=$matrix")
    log "== reference (embedded), for the matrix"
    "$bin" run "${report[@]}" >&2 || { log "conformance.sh: the suite fails against the reference"; exit 1; }
fi

status=0
summary=()
failed=()
logs="$REPO/target/conformance"
mkdir -p "$logs"
for target in "${targets[@]}"; do
    log "== $target"
    started=$SECONDS
    start_target "$target" || { log "conformance.sh: $target did not start"; exit 2; }
    # The report is kept, so the summary can repeat a failing target's problems at the end.
    out="$logs/$target.out"
    cases="$logs/$target.ndjson"
    rc=0
    # shellcheck disable=SC2046  # the flags are words
    "$bin" run --target "$target" $(target_flags "$target") --report "ndjson=$cases" \
        ${report[@]+"${report[@]}"} | tee "$out" || rc=$?
    if [[ $rc -eq 0 ]]; then
        summary+=("$target: conformant ($((SECONDS - started)) s)")
    elif [[ $rc -eq 2 ]]; then
        # Not a finding about the target (an unreadable golden, an unreachable endpoint): no
        # retry would change it.
        summary+=("$target: NOT JUDGED: the run ended in an error (exit 2), report in ${out#"$REPO"/}")
        failed+=("$target")
        status=2
    elif flaky="$(retry_failed "$target" "$cases")"; then
        summary+=("$target: conformant after retrying; FLAKY (failed, then passed alone): $flaky ($((SECONDS - started)) s), first report in ${out#"$REPO"/}")
        failed+=("$target")
    else
        summary+=("$target: NOT conformant ($((SECONDS - started)) s), report in ${out#"$REPO"/}")
        failed+=("$target")
        [[ $status -eq 2 ]] || status=1
    fi
    stop_started
done

# Each failing case in detail (diffs, repro lines) once more, so the end of a long log says why.
for target in ${failed[@]+"${failed[@]}"}; do
    log "== $target: the cases that failed (first run)"
    sed -n '/^by operation:/q; p' "$logs/$target.out" | head -n 200 >&2
done

log "== summary"
for line in "${summary[@]}"; do
    log "  $line"
done
exit "$status"
