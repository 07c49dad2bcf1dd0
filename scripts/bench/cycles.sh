#!/usr/bin/env bash
# Event-source-mapping cycles per second (create → get → delete) and the latency of one
# validated Create, against a release `conform serve --settle-ms 0` and against moto server,
# on this machine, with the same Rust load driver (emulator/benches/cycles.rs), in one run.
#
#   scripts/bench/cycles.sh [--clients N] [--cycles N] [--moto-cycles N] [--samples N] [--moto-samples N]
#
# Defaults: 16 clients; 50000 cycles against conform, 2000 against moto; 5000 Create samples
# against conform, 500 against moto. moto 5.2.5 comes from scripts/emulators/emulator.sh when
# the tree has it (its venv under .venv-emulators/), otherwise from a venv under .venv-bench/.
# Both servers bind 127.0.0.1 on free ports and are stopped on exit; each is started here, so
# an emulator that someone else runs is never touched.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"

CLIENTS=16
CYCLES=50000
MOTO_CYCLES=2000
SAMPLES=5000
MOTO_SAMPLES=500
MOTO_VERSION="5.2.5"

while [[ $# -gt 0 ]]; do
    case "$1" in
        --clients) CLIENTS="$2"; shift 2 ;;
        --cycles) CYCLES="$2"; shift 2 ;;
        --moto-cycles) MOTO_CYCLES="$2"; shift 2 ;;
        --samples) SAMPLES="$2"; shift 2 ;;
        --moto-samples) MOTO_SAMPLES="$2"; shift 2 ;;
        -h | --help) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "cycles.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done

die() { echo "cycles.sh: $*" >&2; exit 1; }

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

wait_for() { # URL PID NAME
    local deadline=$((SECONDS + 60))
    until curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null; do
        kill -0 "$2" 2>/dev/null || die "$3 exited during start-up"
        [[ $SECONDS -lt $deadline ]] || die "$3 did not answer $1 within 60 s"
        sleep 0.1
    done
}

PIDS=()
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${PIDS[@]}"; do
        wait "$pid" 2>/dev/null || true
    done
}
trap cleanup EXIT

# --- moto -----------------------------------------------------------------------------------
if [[ -x scripts/emulators/emulator.sh ]]; then
    scripts/emulators/emulator.sh install moto >&2
    MOTO_SERVER="${CONFORM_EMULATORS_DIR:-$REPO/.venv-emulators}/moto/bin/moto_server"
else
    VENV="$REPO/.venv-bench"
    if [[ ! -x "$VENV/bin/moto_server" ]]; then
        echo "cycles.sh: installing moto[server]==$MOTO_VERSION into .venv-bench/" >&2
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install --disable-pip-version-check -q "moto[server]==$MOTO_VERSION"
    fi
    MOTO_SERVER="$VENV/bin/moto_server"
fi
[[ -x "$MOTO_SERVER" ]] || die "no moto_server at $MOTO_SERVER"
MOTO_REPORTED="$("$(dirname "$MOTO_SERVER")/python" -c 'import moto; print(moto.__version__)')"
[[ "$MOTO_REPORTED" == "$MOTO_VERSION" ]] || die "moto $MOTO_REPORTED installed; $MOTO_VERSION wanted"

# --- builds ---------------------------------------------------------------------------------
echo "cycles.sh: building release conform and the load driver" >&2
cargo build --release -q -p conform
cargo bench -q -p conform-emulator --bench cycles --no-run 2>/dev/null ||
    cargo bench -p conform-emulator --bench cycles --no-run

# --- servers --------------------------------------------------------------------------------
CONFORM_OUT="$(mktemp)"
MOTO_LOG="$(mktemp)"
"$REPO/target/release/conform" serve --port 0 --settle-ms 0 >"$CONFORM_OUT" 2>&1 &
CONFORM_PID=$!
PIDS+=("$CONFORM_PID")
deadline=$((SECONDS + 30))
until [[ -s "$CONFORM_OUT" ]] && head -n1 "$CONFORM_OUT" | grep -q '^http://'; do
    kill -0 "$CONFORM_PID" 2>/dev/null || die "conform serve exited: $(cat "$CONFORM_OUT")"
    [[ $SECONDS -lt $deadline ]] || die "conform serve printed no URL"
    sleep 0.05
done
CONFORM_URL="$(head -n1 "$CONFORM_OUT")"

MOTO_PORT="$(free_port)"
"$MOTO_SERVER" -H 127.0.0.1 -p "$MOTO_PORT" >"$MOTO_LOG" 2>&1 &
MOTO_PID=$!
PIDS+=("$MOTO_PID")
MOTO_URL="http://127.0.0.1:$MOTO_PORT"
wait_for "$MOTO_URL/moto-api/" "$MOTO_PID" "moto"

# --- run --------------------------------------------------------------------------------------
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "machine: nproc=$(nproc), $(lscpu | sed -n 's/^Model name: *//p' | head -n1), $(uname -sr)"
echo "conform: $CONFORM_URL (release, --settle-ms 0); moto $MOTO_REPORTED: $MOTO_URL"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "driver: $CLIENTS clients; cycles conform=$CYCLES moto=$MOTO_CYCLES; Create samples conform=$SAMPLES moto=$MOTO_SAMPLES"
cargo bench -q -p conform-emulator --bench cycles -- \
    --clients "$CLIENTS" \
    --target "conform=$CONFORM_URL" --cycles "conform=$CYCLES" \
    --target "moto=$MOTO_URL" --cycles "moto=$MOTO_CYCLES" \
    --latency-samples "$SAMPLES" --latency-samples "moto=$MOTO_SAMPLES" \
    --pid "conform=$CONFORM_PID" --pid "moto=$MOTO_PID"
