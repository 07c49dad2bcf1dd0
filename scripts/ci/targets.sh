# shellcheck shell=bash
# Shared by scripts/ci/conformance.sh and scripts/ci/record-divergences.sh (sourced, not run):
# which real emulators this machine can run, how to start them for a conform run, and how to
# stop exactly what was started. Everything binds 127.0.0.1; stopping goes through
# scripts/emulators/emulator.sh, which signals the PID it recorded.

CI_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$CI_DIR/../.." && pwd)"
EMULATOR="$REPO/scripts/emulators/emulator.sh"

# LocalStack's Kinesis (kinesis-mock) allows 100 shards; a run keeps one stream (one shard) per
# case that needs its own until teardown, which is about that many.
export KINESIS_SHARD_LIMIT="${KINESIS_SHARD_LIMIT:-10000}"

# Emulators this shell started, to stop on exit.
STARTED=()

log() { printf '%s\n' "$*" >&2; }

# A Python >= 3.12 for LocalStack, found as scripts/emulators/emulator.sh finds it:
# LOCALSTACK_PYTHON, then pyenv's 3.13.0 or any 3.x >= 3.12 under its root, then
# python3.14/3.13/3.12 on PATH. Prints it, or why there is none (exit 1).
localstack_python() {
    local root="" candidate
    if [[ -n "${LOCALSTACK_PYTHON:-}" ]]; then
        if "$LOCALSTACK_PYTHON" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
            echo "$LOCALSTACK_PYTHON"
            return 0
        fi
        echo "LOCALSTACK_PYTHON=$LOCALSTACK_PYTHON is not a Python >= 3.12"
        return 1
    fi
    if command -v pyenv >/dev/null 2>&1; then
        root="$(pyenv root)"
    elif [[ -d "${PYENV_ROOT:-$HOME/.pyenv}/versions" ]]; then
        root="${PYENV_ROOT:-$HOME/.pyenv}"
    fi
    local candidates=()
    if [[ -n "$root" ]]; then
        candidates+=("$root/versions/3.13.0/bin/python3")
        while IFS= read -r dir; do
            candidates+=("$dir/bin/python3")
        done < <(find "$root/versions" -mindepth 1 -maxdepth 1 -name '3.*' 2>/dev/null | sort -V -r)
    fi
    for candidate in python3.14 python3.13 python3.12; do
        command -v "$candidate" >/dev/null 2>&1 && candidates+=("$(command -v "$candidate")")
    done
    for candidate in "${candidates[@]}"; do
        if [[ -x "$candidate" ]] && "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then
            echo "$candidate"
            return 0
        fi
    done
    echo "no Python >= 3.12 on this machine (no LOCALSTACK_PYTHON, ${root:-no pyenv} has none, no python3.12+ on PATH)"
    return 1
}

# Flags of `conform run` and `conform record` for a target.
#   moto, ministack: --reset (they were started for the run, and have a reset call).
#   localstack: -j 1. It has no reset, and List filtered by a function-name prefix returns every
#   mapping whose function starts with it (list-no-substring-match): only one case at a time makes
#   that answer the same on every run.
target_flags() {
    case "$1" in
        moto | ministack) echo "--reset" ;;
        localstack) echo "-j 1" ;;
    esac
}

# Sends a signed Kinesis ListStreams until it answers 200, at most TIMEOUT s. LocalStack starts
# kinesis-mock (a Node process) on first use; CreateStream fails until it is up.
warm_localstack() {
    local url="$1" timeout="${2:-120}" deadline code
    deadline=$((SECONDS + timeout))
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 \
            --aws-sigv4 'aws:amz:us-east-1:kinesis' --user 'test:test' \
            -H 'content-type: application/x-amz-json-1.1' \
            -H 'x-amz-target: Kinesis_20131202.ListStreams' \
            --data '{}' "$url/" || true)"
        [[ "$code" == 200 ]] && return 0
        if ((SECONDS >= deadline)); then
            log "localstack: Kinesis did not answer ListStreams within ${timeout} s (last status $code)"
            return 1
        fi
        sleep 1
    done
}

# Installs (pinned, idempotent) and starts TARGET on 127.0.0.1 unless it is running already;
# remembers it in STARTED when this shell started it.
start_target() {
    local name="$1"
    "$EMULATOR" install "$name" >&2
    if "$EMULATOR" status "$name" >/dev/null 2>&1; then
        log "$name: already running, not started (nor stopped) here: $("$EMULATOR" url "$name")"
    else
        "$EMULATOR" start "$name" >&2
        STARTED+=("$name")
    fi
    if [[ "$name" == localstack ]]; then
        warm_localstack "$("$EMULATOR" url localstack)" 120
    fi
}

# Stops what this shell started, each by its recorded PID.
stop_started() {
    local name
    for name in ${STARTED[@]+"${STARTED[@]}"}; do
        "$EMULATOR" stop "$name" >&2 || true
    done
    STARTED=()
}

# The conform binary: CONFORM_BIN, else the debug build (built first if missing or stale).
conform_bin() {
    if [[ -n "${CONFORM_BIN:-}" ]]; then
        echo "$CONFORM_BIN"
        return
    fi
    (cd "$REPO" && cargo build -q -p conform) >&2
    echo "$REPO/target/debug/conform"
}
