#!/usr/bin/env bash
# Real clients (boto3 and the AWS CLI) against the reference emulator, `conform serve`.
#
#   tests/clients/run.sh [--endpoint URL] [real_clients.py options...]
#
# It installs tests/clients/requirements.txt into .venv-clients/ (again only when the file
# changes), builds and starts `cargo run --release -q -p conform -- serve --port 0` on
# 127.0.0.1, reads the URL from its first stdout line, runs tests/clients/real_clients.py against
# it, and stops the server on exit. With --endpoint URL (or CONFORM_ENDPOINT) it starts nothing
# and runs against that endpoint instead, e.g. a real emulator started by
# scripts/emulators/emulator.sh.
#
# Environment: PYTHON (default python3), CONFORM_SERVE_TIMEOUT (seconds to wait for the URL
# line after the build, default 60), CONFORM_BIN (a conform binary already built: run
# `$CONFORM_BIN serve --port 0` instead of building with cargo). The exit status is the
# script's: 0 when every check passed, 1 when a check failed, 2 when setup failed.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO"
VENV="$REPO/.venv-clients"
REQUIREMENTS="$REPO/tests/clients/requirements.txt"
SERVE_TIMEOUT="${CONFORM_SERVE_TIMEOUT:-60}"

endpoint="${CONFORM_ENDPOINT:-}"
passthrough=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --endpoint)
            [[ $# -ge 2 ]] || { echo "run.sh: --endpoint needs a URL" >&2; exit 2; }
            endpoint="$2"
            shift 2
            ;;
        --endpoint=*)
            endpoint="${1#--endpoint=}"
            shift
            ;;
        *)
            passthrough+=("$1")
            shift
            ;;
    esac
done

# --- the clients' venv ----------------------------------------------------------------------
python="${PYTHON:-python3}"
command -v "$python" >/dev/null 2>&1 || { echo "run.sh: $python not found; set PYTHON to a Python >= 3.9" >&2; exit 2; }
stamp="$(cat "$REQUIREMENTS") python=$("$python" -c 'import platform; print(platform.python_version())')"
if [[ ! -x "$VENV/bin/python" || ! -f "$VENV/.conform-stamp" || "$(cat "$VENV/.conform-stamp")" != "$stamp" ]]; then
    echo "run.sh: installing the clients into .venv-clients/"
    rm -rf "$VENV"
    "$python" -m venv "$VENV"
    if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --no-input -q -r "$REQUIREMENTS"; then
        rm -rf "$VENV"
        echo "run.sh: pip install -r tests/clients/requirements.txt failed" >&2
        exit 2
    fi
    printf '%s\n' "$stamp" >"$VENV/.conform-stamp"
fi

# --- the reference emulator -----------------------------------------------------------------
server_pid=""
work=""
# shellcheck disable=SC2317  # called from the traps below
stop_server() {
    if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
        # `conform serve` shuts down cleanly on SIGINT (Ctrl-C); then SIGTERM, then SIGKILL.
        kill -INT "$server_pid" 2>/dev/null || true
        for _ in $(seq 50); do
            kill -0 "$server_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$server_pid" 2>/dev/null; then
            kill -TERM -- "-$server_pid" 2>/dev/null || kill -TERM "$server_pid" 2>/dev/null || true
            sleep 1
            kill -KILL -- "-$server_pid" 2>/dev/null || true
        fi
        wait "$server_pid" 2>/dev/null || true
    fi
    server_pid=""
    [[ -n "$work" ]] && rm -rf "$work"
    work=""
}
trap stop_server EXIT
trap 'stop_server; exit 130' INT
trap 'stop_server; exit 143' TERM

if [[ -z "$endpoint" ]]; then
    if [[ -n "${CONFORM_BIN:-}" ]]; then
        [[ -x "$CONFORM_BIN" ]] || { echo "run.sh: CONFORM_BIN=$CONFORM_BIN is not an executable" >&2; exit 2; }
        serve=("$CONFORM_BIN" serve --port 0)
    else
        # Built first, so that the bounded wait below is for start-up, not for compiling.
        echo "run.sh: building conform (release)"
        cargo build --release -q -p conform || { echo "run.sh: cargo build --release -p conform failed" >&2; exit 2; }
        serve=(cargo run --release -q -p conform -- serve --port 0)
    fi
    work="$(mktemp -d)"
    # Its own session, so the whole process group can be stopped; cargo run replaces itself with
    # the binary, so the PID is the server's.
    setsid "${serve[@]}" </dev/null >"$work/stdout" 2>"$work/stderr" &
    server_pid=$!
    deadline=$((SECONDS + SERVE_TIMEOUT))
    while :; do
        if [[ -s "$work/stdout" ]]; then
            first="$(head -n 1 "$work/stdout")"
            if [[ "$first" =~ ^http://127\.0\.0\.1:[0-9]+$ ]]; then
                endpoint="$first"
                break
            fi
            # A partial first line: wait for its newline.
            if [[ "$(wc -l <"$work/stdout")" -ge 1 ]]; then
                echo "run.sh: conform serve's first line is not http://127.0.0.1:PORT but '$first'" >&2
                cat "$work/stderr" >&2
                exit 2
            fi
        fi
        if ! kill -0 "$server_pid" 2>/dev/null; then
            echo "run.sh: conform serve exited before printing its URL; its stderr:" >&2
            cat "$work/stderr" >&2
            exit 2
        fi
        if ((SECONDS >= deadline)); then
            echo "run.sh: conform serve printed no URL within ${SERVE_TIMEOUT} s; its stderr:" >&2
            cat "$work/stderr" >&2
            exit 2
        fi
        sleep 0.1
    done
    echo "run.sh: conform serve is at $endpoint (pid $server_pid)"
fi

status=0
"$VENV/bin/python" "$REPO/tests/clients/real_clients.py" --endpoint "$endpoint" ${passthrough[@]+"${passthrough[@]}"} || status=$?
exit "$status"
