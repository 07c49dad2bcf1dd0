#!/usr/bin/env bash
# The suite against the real emulators: installs each (pinned, scripts/emulators/emulator.sh),
# starts it on 127.0.0.1, runs `conform run --target NAME`, and stops it again (also on failure
# or Ctrl-C). A run passes when every case matches its golden or the target's accepted
# divergence (snapshots/<case>@<target>.snap), or is not applicable there.
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
# Exit status: 0 every target conformant, 1 one was not, 2 a setup error.
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
for target in "${targets[@]}"; do
    log "== $target"
    started=$SECONDS
    start_target "$target" || { log "conformance.sh: $target did not start"; exit 2; }
    # shellcheck disable=SC2046  # the flags are words
    if "$bin" run --target "$target" $(target_flags "$target") ${report[@]+"${report[@]}"}; then
        summary+=("$target: conformant ($((SECONDS - started)) s)")
    else
        code=$?
        summary+=("$target: NOT conformant, exit $code ($((SECONDS - started)) s)")
        status=1
    fi
    stop_started
done

log "== summary"
for line in "${summary[@]}"; do
    log "  $line"
done
exit "$status"
