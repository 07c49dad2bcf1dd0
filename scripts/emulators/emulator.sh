#!/usr/bin/env bash
# Install, start, stop and inspect the real AWS emulators that conform checks: moto, LocalStack
# and MiniStack. Each gets a pinned version in its own venv under .venv-emulators/<name>, and
# always binds 127.0.0.1.
#
#   scripts/emulators/emulator.sh install NAME...            # idempotent (stamp file)
#   scripts/emulators/emulator.sh start   NAME [--port N] [--timeout S]
#   scripts/emulators/emulator.sh stop    NAME... [--timeout S]
#   scripts/emulators/emulator.sh status  NAME...            # exit 0 running, 3 not running
#   scripts/emulators/emulator.sh url     NAME               # the endpoint of a running one
#   scripts/emulators/emulator.sh reset   NAME               # wipe state (moto, ministack)
#   scripts/emulators/emulator.sh versions                   # the pins
#
# NAME is moto, localstack, ministack or all. Default ports: moto 5000, localstack 4566,
# ministack 4567. State lives in .venv-emulators/ (override with CONFORM_EMULATORS_DIR):
# <name>/ (venv), <name>.pid, <name>.port, <name>.log, and localstack-data/ for LocalStack.
#
# Environment: PYTHON (interpreter for moto and MiniStack; default python3.11, else python3),
# LOCALSTACK_PYTHON (a Python >= 3.12 for LocalStack; default: pyenv's 3.13.0, then any
# >= 3.12 under $(pyenv root)/versions, then python3.13/python3.12 on PATH).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/../.." && pwd)"
STATE_DIR="${CONFORM_EMULATORS_DIR:-$REPO/.venv-emulators}"
NAMES=(moto localstack ministack)

MOTO_VERSION="5.2.5"
LOCALSTACK_VERSION="2026.3.0"
MINISTACK_VERSION="1.5.33"

# Exit codes: 1 a failure, 2 a usage error, 3 `status`: not running.
die() {
    echo "emulator.sh: $*" >&2
    exit 1
}

usage() {
    sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2
    exit 2
}

now() { printf '%s' "$EPOCHREALTIME"; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f", b - a }'; }

check_name() {
    case "$1" in
        moto | localstack | ministack) ;;
        *) echo "emulator.sh: unknown emulator '$1' (expected moto, localstack or ministack)" >&2; exit 2 ;;
    esac
}

default_port() {
    case "$1" in
        moto) echo 5000 ;;
        localstack) echo 4566 ;;
        ministack) echo 4567 ;;
    esac
}

health_path() {
    case "$1" in
        moto) echo /moto-api/ ;;
        localstack) echo /_localstack/health ;;
        ministack) echo /_ministack/health ;;
    esac
}

default_timeout() {
    case "$1" in
        localstack) echo 120 ;;
        *) echo 30 ;;
    esac
}

# The pip requirements, one argument each.
requirements() {
    case "$1" in
        moto) echo "moto[server]==$MOTO_VERSION" ;;
        ministack) echo "ministack==$MINISTACK_VERSION" ;;
        # Each extra pin fixes a crash at startup of this LocalStack release.
        localstack) printf '%s\n' "localstack-core[runtime]==$LOCALSTACK_VERSION" 'cbor2<6' 'pyopenssl<26' \
            'cryptography<47' service_identity ;;
    esac
}

requirements_line() { requirements "$1" | paste -sd ' ' -; }

venv_dir() { echo "$STATE_DIR/$1"; }
pid_file() { echo "$STATE_DIR/$1.pid"; }
port_file() { echo "$STATE_DIR/$1.port"; }
log_file() { echo "$STATE_DIR/$1.log"; }
stamp_file() { echo "$STATE_DIR/$1/.conform-stamp"; }

# --- interpreters ---------------------------------------------------------------------------

python_at_least() { # PYTHON MAJOR MINOR
    "$1" -c "import sys; sys.exit(0 if sys.version_info >= ($2, $3) else 1)" 2>/dev/null
}

python_for_plain() {
    local candidate
    for candidate in "${PYTHON:-}" python3.11 python3; do
        [[ -n "$candidate" ]] || continue
        if command -v "$candidate" >/dev/null 2>&1 && python_at_least "$candidate" 3 9; then
            # The interpreter itself, not a pyenv shim whose choice depends on the directory.
            "$candidate" -c 'import sys; print(sys.executable)'
            return
        fi
    done
    die "no Python >= 3.9 found (tried \$PYTHON, python3.11, python3); install one, e.g. apt-get install -y python3 python3-venv"
}

python_for_localstack() {
    local root="" candidate tried=()
    if [[ -n "${LOCALSTACK_PYTHON:-}" ]]; then
        python_at_least "$LOCALSTACK_PYTHON" 3 12 && { echo "$LOCALSTACK_PYTHON"; return; }
        die "LOCALSTACK_PYTHON=$LOCALSTACK_PYTHON is not a Python >= 3.12"
    fi
    if command -v pyenv >/dev/null 2>&1; then
        root="$(pyenv root)"
    elif [[ -d "${PYENV_ROOT:-$HOME/.pyenv}/versions" ]]; then
        root="${PYENV_ROOT:-$HOME/.pyenv}"
    fi
    if [[ -n "$root" ]]; then
        # The documented one first, then the newest other >= 3.12.
        local versions=("$root/versions/3.13.0")
        local dir
        while IFS= read -r dir; do
            versions+=("$dir")
        done < <(find "$root/versions" -mindepth 1 -maxdepth 1 -name '3.*' 2>/dev/null | sort -V -r)
        for dir in "${versions[@]}"; do
            candidate="$dir/bin/python3"
            tried+=("$candidate")
            if [[ -x "$candidate" ]] && python_at_least "$candidate" 3 12; then
                echo "$candidate"
                return
            fi
        done
    fi
    for candidate in python3.14 python3.13 python3.12; do
        tried+=("$candidate")
        if command -v "$candidate" >/dev/null 2>&1 && python_at_least "$candidate" 3 12; then
            "$candidate" -c 'import sys; print(sys.executable)'
            return
        fi
    done
    {
        echo "emulator.sh: LocalStack $LOCALSTACK_VERSION needs Python >= 3.12, and none was found."
        [[ -n "$root" ]] || echo "  pyenv was not found (no pyenv command, no ${PYENV_ROOT:-$HOME/.pyenv}/versions)."
        echo "  tried: ${tried[*]}"
        echo "  Debian's python3 is 3.11. Get a newer one with pyenv (pyenv install 3.13.0),"
        echo "  or point LOCALSTACK_PYTHON at any Python >= 3.12."
    } >&2
    exit 1
}

python_for() {
    case "$1" in
        localstack) python_for_localstack ;;
        *) python_for_plain ;;
    esac
}

# --- install --------------------------------------------------------------------------------

stamp_text() { # NAME PYTHON
    local py_version
    py_version="$("$2" -c 'import platform; print(platform.python_version())')"
    echo "$(requirements_line "$1") python=$py_version"
}

cmd_install() {
    local name="$1" python venv stamp expected started
    python="$(python_for "$name")"
    venv="$(venv_dir "$name")"
    stamp="$(stamp_file "$name")"
    expected="$(stamp_text "$name" "$python")"
    if [[ -f "$stamp" && "$(cat "$stamp")" == "$expected" && -x "$venv/bin/python" ]]; then
        echo "$name: already installed ($expected)"
        return
    fi
    if [[ -f "$(pid_file "$name")" ]] && is_running "$name"; then
        die "$name: running (pid $(cat "$(pid_file "$name")")); stop it before reinstalling"
    fi
    started="$(now)"
    echo "$name: installing $(requirements_line "$name") with $python into ${venv#"$REPO"/}"
    mkdir -p "$STATE_DIR"
    rm -rf "$venv"
    "$python" -m venv "$venv" || die "$name: cannot create a venv with $python (on Debian: apt-get install -y python3-venv)"
    local reqs=()
    mapfile -t reqs < <(requirements "$name")
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check --no-input -q "${reqs[@]}"; then
        rm -rf "$venv"
        die "$name: pip install failed (see above)"
    fi
    echo "$expected" >"$stamp"
    echo "$name: installed in $(elapsed "$started") s"
}

# --- processes ------------------------------------------------------------------------------

is_running() { # NAME; true when the recorded PID is alive
    local pidf pid
    pidf="$(pid_file "$1")"
    [[ -f "$pidf" ]] || return 1
    pid="$(cat "$pidf")"
    [[ "$pid" =~ ^[0-9]+$ ]] || return 1
    kill -0 "$pid" 2>/dev/null
}

health_ok() { # URL
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
}

port_in_use() { # PORT; true when something accepts on 127.0.0.1:PORT
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

log_tail() {
    local log
    log="$(log_file "$1")"
    echo "---- last lines of ${log#"$REPO"/} ----" >&2
    tail -n 40 "$log" >&2 || true
    echo "----" >&2
}

launch() { # NAME PORT; starts the process in its own session, with its output in the log
    local name="$1" port="$2" venv log
    venv="$(venv_dir "$name")"
    log="$(log_file "$name")"
    case "$name" in
        moto)
            setsid "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" </dev/null >"$log" 2>&1 &
            ;;
        ministack)
            BIND_HOST=127.0.0.1 GATEWAY_PORT="$port" \
                setsid "$venv/bin/ministack" </dev/null >"$log" 2>&1 &
            ;;
        localstack)
            # These machines have /.dockerenv, so LocalStack believes it runs in a container: it
            # would default to 0.0.0.0 and keep its files in /var/lib/localstack.
            # OVERRIDE_IN_DOCKER=0 puts it in host mode, where its lib (npm packages such as
            # kinesis-mock), cache, tmp and state live under FILESYSTEM_ROOT (LOCALSTACK_VOLUME_DIR
            # only matters to its CLI); kept outside the venv, downloads survive a reinstall.
            # Its default gateway server (twisted) ignores GATEWAY_LISTEN's host and binds
            # 0.0.0.0; hypercorn binds the address given. DNS_ADDRESS=0 turns off its DNS server
            # (0.0.0.0:53). kinesis-mock binds 0.0.0.0 with no option to change it;
            # node-loopback.cjs, preloaded into every Node process, moves it to 127.0.0.1.
            mkdir -p "$STATE_DIR/localstack-data"
            OVERRIDE_IN_DOCKER=0 FILESYSTEM_ROOT="$STATE_DIR/localstack-data" \
                GATEWAY_LISTEN="127.0.0.1:$port" GATEWAY_SERVER=hypercorn DNS_ADDRESS=0 \
                SERVICES=lambda,sqs,kinesis,iam,sts DISABLE_EVENTS=1 SKIP_SSL_CERT_DOWNLOAD=1 \
                NODE_OPTIONS="--require \"$SCRIPT_DIR/node-loopback.cjs\"${NODE_OPTIONS:+ $NODE_OPTIONS}" \
                setsid "$venv/bin/python" -m localstack.runtime.main </dev/null >"$log" 2>&1 &
            ;;
    esac
    echo "$!"
}

cmd_start() {
    local name="$1" port="$2" timeout="$3" url pid started
    [[ -x "$(venv_dir "$name")/bin/python" && -f "$(stamp_file "$name")" ]] ||
        die "$name: not installed; run: scripts/emulators/emulator.sh install $name"
    if is_running "$name"; then
        local running_port
        running_port="$(cat "$(port_file "$name")" 2>/dev/null || echo '?')"
        if [[ "$running_port" == "$port" ]]; then
            echo "$name: already running at http://127.0.0.1:$port (pid $(cat "$(pid_file "$name")"))"
            return
        fi
        die "$name: already running on port $running_port (pid $(cat "$(pid_file "$name")")); stop it first"
    fi
    rm -f "$(pid_file "$name")" "$(port_file "$name")"
    if port_in_use "$port"; then
        die "$name: port $port on 127.0.0.1 is already in use by another process; pick one with --port N"
    fi
    url="http://127.0.0.1:$port"
    mkdir -p "$STATE_DIR"
    started="$(now)"
    pid="$(launch "$name" "$port")"
    echo "$pid" >"$(pid_file "$name")"
    echo "$port" >"$(port_file "$name")"
    local deadline=$((SECONDS + timeout))
    until health_ok "$url$(health_path "$name")"; do
        if ! kill -0 "$pid" 2>/dev/null; then
            rm -f "$(pid_file "$name")" "$(port_file "$name")"
            echo "emulator.sh: $name: exited during start-up" >&2
            log_tail "$name"
            exit 1
        fi
        if ((SECONDS >= deadline)); then
            echo "emulator.sh: $name: not ready at $url$(health_path "$name") after ${timeout} s; stopping it" >&2
            log_tail "$name"
            stop_pid "$name" "$pid" 10 || true
            rm -f "$(pid_file "$name")" "$(port_file "$name")"
            exit 1
        fi
        sleep 0.1
    done
    echo "$name: ready at $url in $(elapsed "$started") s (pid $pid, log ${STATE_DIR#"$REPO"/}/$name.log)"
}

# SIGTERM the process, wait up to TIMEOUT s, then SIGKILL its whole session (it was started with
# setsid, so its process group id is its PID; children such as LocalStack's helpers go with it).
stop_pid() { # NAME PID TIMEOUT
    local name="$1" pid="$2" timeout="$3" deadline
    kill -TERM "$pid" 2>/dev/null || return 0
    deadline=$((SECONDS + timeout))
    while kill -0 "$pid" 2>/dev/null; do
        if ((SECONDS >= deadline)); then
            echo "$name: still running ${timeout} s after SIGTERM; sending SIGKILL" >&2
            kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
            sleep 0.2
            break
        fi
        sleep 0.1
    done
    # Helpers left behind in the group: TERM, then KILL.
    if kill -0 -- "-$pid" 2>/dev/null; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        sleep 1
        kill -KILL -- "-$pid" 2>/dev/null || true
    fi
}

cmd_stop() {
    local name="$1" timeout="$2" pid started
    if ! is_running "$name"; then
        rm -f "$(pid_file "$name")" "$(port_file "$name")"
        echo "$name: not running"
        return
    fi
    pid="$(cat "$(pid_file "$name")")"
    started="$(now)"
    stop_pid "$name" "$pid" "$timeout"
    rm -f "$(pid_file "$name")" "$(port_file "$name")"
    echo "$name: stopped (pid $pid) in $(elapsed "$started") s"
}

cmd_status() {
    local name="$1" port
    if is_running "$name"; then
        port="$(cat "$(port_file "$name")" 2>/dev/null || echo '?')"
        if health_ok "http://127.0.0.1:$port$(health_path "$name")"; then
            echo "$name: running at http://127.0.0.1:$port (pid $(cat "$(pid_file "$name")"))"
        else
            echo "$name: running (pid $(cat "$(pid_file "$name")")) but not answering at http://127.0.0.1:$port$(health_path "$name")"
        fi
        return 0
    fi
    local installed="not installed"
    [[ -f "$(stamp_file "$name")" ]] && installed="installed: $(cat "$(stamp_file "$name")")"
    echo "$name: not running ($installed)"
    return 3
}

cmd_url() {
    is_running "$1" || die "$1: not running"
    echo "http://127.0.0.1:$(cat "$(port_file "$1")")"
}

cmd_reset() {
    local name="$1" path
    case "$name" in
        moto) path=/moto-api/reset ;;
        ministack) path=/_ministack/reset ;;
        localstack) die "localstack has no reset endpoint; use unique resource names or restart it" ;;
    esac
    is_running "$name" || die "$name: not running"
    curl -fsS -o /dev/null --max-time 10 -X POST "$(cmd_url "$name")$path" || die "$name: reset failed"
    echo "$name: reset"
}

# --- arguments ------------------------------------------------------------------------------

[[ $# -ge 1 ]] || usage
command="$1"
shift
case "$command" in
    -h | --help | help) usage ;;
    versions)
        for name in "${NAMES[@]}"; do
            echo "$name: $(requirements_line "$name")"
        done
        exit 0
        ;;
    install | start | stop | status | url | reset) ;;
    *) echo "emulator.sh: unknown command '$command'" >&2; usage ;;
esac

port=""
timeout=""
names=()
while [[ $# -gt 0 ]]; do
    case "$1" in
        --port)
            [[ $# -ge 2 && "$2" =~ ^[0-9]+$ && "$2" -ge 1 && "$2" -le 65535 ]] || { echo "emulator.sh: --port needs a number 1-65535" >&2; exit 2; }
            port="$2"
            shift 2
            ;;
        --port=*)
            port="${1#--port=}"
            [[ "$port" =~ ^[0-9]+$ && "$port" -ge 1 && "$port" -le 65535 ]] || { echo "emulator.sh: --port needs a number 1-65535" >&2; exit 2; }
            shift
            ;;
        --timeout)
            [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || { echo "emulator.sh: --timeout needs a number of seconds" >&2; exit 2; }
            timeout="$2"
            shift 2
            ;;
        all)
            names+=("${NAMES[@]}")
            shift
            ;;
        -*) echo "emulator.sh: unknown option '$1'" >&2; exit 2 ;;
        *)
            check_name "$1"
            names+=("$1")
            shift
            ;;
    esac
done
[[ ${#names[@]} -ge 1 ]] || { echo "emulator.sh: name an emulator: moto, localstack, ministack or all" >&2; exit 2; }
if [[ -n "$port" && ( "$command" != start || ${#names[@]} -ne 1 ) ]]; then
    echo "emulator.sh: --port goes with start and one emulator" >&2
    exit 2
fi
if [[ "$command" == start && ${#names[@]} -ne 1 ]]; then
    echo "emulator.sh: start one emulator at a time" >&2
    exit 2
fi

status=0
for name in "${names[@]}"; do
    case "$command" in
        install) cmd_install "$name" ;;
        start) cmd_start "$name" "${port:-$(default_port "$name")}" "${timeout:-$(default_timeout "$name")}" ;;
        stop) cmd_stop "$name" "${timeout:-15}" ;;
        status) cmd_status "$name" || status=$? ;;
        url) cmd_url "$name" ;;
        reset) cmd_reset "$name" ;;
    esac
done
exit "$status"
