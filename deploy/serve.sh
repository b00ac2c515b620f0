#!/usr/bin/env bash
# Serve regviz with k Streamlit processes behind nginx, on loopback, in the foreground.
#
#   deploy/serve.sh [-k N] [-p PORT] [-b FIRST_APP_PORT] [-a APP]
#
#   -k N     number of app processes (default 2)
#   -p PORT  nginx listens on 127.0.0.1:PORT (default 8500)
#   -b PORT  first app port; apps use PORT .. PORT+N-1 (default: nginx port + 1)
#   -a APP   Streamlit script (default app.py, relative to the repository)
#
# Environment: PYTHON (default: python3 on PATH; e.g. /work/venv/bin/python),
# NGINX (default: nginx on PATH), KEEP_TMP=1 keeps the temp dir with the logs,
# REGVIZ_WORKERS (default: 0 here, since k app processes already share the cores; see
# ui/offload.py), REGVIZ_WARMUP=0 turns off each process's background warm-up.
# Sessions stick to one process by the regviz_backend cookie (see deploy/nginx.conf).
# nginx's pid, logs and temp files, and the apps' logs, go to a fresh temp dir.
# Ctrl-C or SIGTERM stops everything; if any child exits, the rest are stopped too.
set -euo pipefail

K=2
PORT=8500
APP_PORT=""
APP=app.py
usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }
while getopts "k:p:b:a:h" opt; do
    case "$opt" in
        k) K="$OPTARG" ;;
        p) PORT="$OPTARG" ;;
        b) APP_PORT="$OPTARG" ;;
        a) APP="$OPTARG" ;;
        h) usage; exit 0 ;;
        *) usage >&2; exit 2 ;;
    esac
done
[[ "$K" =~ ^[1-9][0-9]?$ ]] || { echo "serve.sh: -k must be 1..99" >&2; exit 2; }
[[ "$PORT" =~ ^[0-9]+$ ]] || { echo "serve.sh: -p must be a port number" >&2; exit 2; }
APP_PORT="${APP_PORT:-$((PORT + 1))}"
[[ "$APP_PORT" =~ ^[0-9]+$ ]] || { echo "serve.sh: -b must be a port number" >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PYTHON="${PYTHON:-python3}"
NGINX="${NGINX:-nginx}"
command -v "$NGINX" >/dev/null || { echo "serve.sh: nginx not found (apt-get install -y nginx)" >&2; exit 3; }
command -v "$PYTHON" >/dev/null || { echo "serve.sh: $PYTHON not found (set PYTHON)" >&2; exit 3; }

# Refuse busy ports: a health check answered by someone else's app would mislead us.
if ! "$PYTHON" - "$PORT" "$APP_PORT" "$K" <<'EOF'
import socket, sys
port, first, k = map(int, sys.argv[1:])
busy = []
for p in [port, *range(first, first + k)]:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", p))
        except OSError:
            busy.append(p)
if port in range(first, first + k):
    sys.exit(f"serve.sh: nginx port {port} overlaps the app ports {first}..{first + k - 1}")
if busy:
    sys.exit(f"serve.sh: port(s) in use on 127.0.0.1: {', '.join(map(str, busy))}")
EOF
then
    exit 2
fi

TMP="$(mktemp -d "${TMPDIR:-/tmp}/regviz-serve.XXXXXX")"
# nginx workers may run as an unprivileged user when started as root: let them in.
chmod 755 "$TMP"
PIDS=()
NGINX_PID=""

cleanup() {
    local code=$?
    trap - EXIT INT TERM
    if [[ -n "$NGINX_PID" ]]; then kill -TERM "$NGINX_PID" 2>/dev/null || true; fi
    for pid in "${PIDS[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
    # Bounded wait (about 10 s), then SIGKILL whatever is left.
    for _ in $(seq 1 50); do
        local alive=0
        for pid in "$NGINX_PID" "${PIDS[@]}"; do
            if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then alive=1; fi
        done
        [[ $alive == 0 ]] && break
        sleep 0.2
    done
    for pid in "$NGINX_PID" "${PIDS[@]}"; do
        if [[ -n "$pid" ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
    done
    wait 2>/dev/null || true
    if [[ "${KEEP_TMP:-0}" == 1 ]]; then
        echo "serve.sh: logs kept in $TMP" >&2
    else
        rm -rf "$TMP"
    fi
    exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# One cookie secret for all processes, so signed cookies (st.login) verify on any of them.
if [[ -z "${STREAMLIT_SERVER_COOKIE_SECRET:-}" ]]; then
    STREAMLIT_SERVER_COOKIE_SECRET="$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')"
    export STREAMLIT_SERVER_COOKIE_SECRET
fi

# Each app process would start its own simulation worker; with k processes on the machine's
# cores that oversubscribes them (measured: 2 processes + 2 workers on 2 cores, p95 17 s).
export REGVIZ_WORKERS="${REGVIZ_WORKERS:-0}"
# Many small solves: one BLAS thread per process beats threads fighting for 2 cores
# (class of 30, one process: p95 3.8 s with 1 thread vs 5.3 s with the default).
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-1}"

cd "$REPO"
for ((i = 0; i < K; i++)); do
    port=$((APP_PORT + i))
    "$PYTHON" -m streamlit run "$APP" \
        --server.port "$port" --server.address 127.0.0.1 --server.headless true \
        --browser.gatherUsageStats false \
        >"$TMP/app-$port.log" 2>&1 &
    PIDS+=("$!")
done

# Wait (bounded) until every app answers its health check.
health() {
    "$PYTHON" - "$1" <<'EOF'
import sys, urllib.request
opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
try:
    with opener.open(f"http://127.0.0.1:{sys.argv[1]}/_stcore/health", timeout=2) as r:
        sys.exit(0 if r.status == 200 else 1)
except Exception:
    sys.exit(1)
EOF
}
for ((i = 0; i < K; i++)); do
    port=$((APP_PORT + i))
    ok=0
    for _ in $(seq 1 120); do
        if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            echo "serve.sh: app on port $port exited; its log:" >&2
            tail -n 30 "$TMP/app-$port.log" >&2
            exit 1
        fi
        if health "$port"; then ok=1; break; fi
        sleep 0.5
    done
    [[ $ok == 1 ]] || { echo "serve.sh: app on port $port not healthy after 60 s" >&2; exit 1; }
done

# Each process warms the likely lesson views in the background (ui/warmup.py), starting with
# its first session: open one now, so the warm-up runs before the first student arrives.
if [[ "${REGVIZ_WARMUP:-1}" != 0 ]]; then
    for ((i = 0; i < K; i++)); do
        "$PYTHON" -m deploy.prepare "http://127.0.0.1:$((APP_PORT + i))/" >/dev/null 2>&1 || true
    done
fi

# Render the template: the listen address, and the upstreams and maps for k apps.
backends() {
    local i j
    echo "    upstream regviz_new {"
    echo "        least_conn;"
    for ((i = 0; i < K; i++)); do echo "        server 127.0.0.1:$((APP_PORT + i));"; done
    echo "        keepalive 16;"
    echo "    }"
    for ((i = 0; i < K; i++)); do
        echo "    upstream regviz_b$i {"
        echo "        server 127.0.0.1:$((APP_PORT + i));"
        for ((j = 1; j < K; j++)); do
            echo "        server 127.0.0.1:$((APP_PORT + (i + j) % K)) backup;"
        done
        echo "        keepalive 8;"
        echo "    }"
    done
    echo "    map \$cookie_regviz_backend \$regviz_upstream {"
    echo "        default regviz_new;"
    for ((i = 0; i < K; i++)); do echo "        b$i regviz_b$i;"; done
    echo "    }"
    echo "    map \$upstream_addr \$regviz_assigned {"
    echo "        default \"\";"
    for ((i = 0; i < K; i++)); do echo "        127.0.0.1:$((APP_PORT + i)) b$i;"; done
    echo "    }"
}
backends >"$TMP/backends.conf"
# nginx serves Streamlit's front-end files from the installed package.
STATIC_DIR="$("$PYTHON" -c 'import streamlit.file_util as f; print(f.get_static_dir())')"
[[ -f "$STATIC_DIR/index.html" && "$STATIC_DIR" =~ ^[A-Za-z0-9_./+@-]+$ ]] || {
    echo "serve.sh: unusable Streamlit static dir: $STATIC_DIR" >&2; exit 1; }
awk -v listen="127.0.0.1:$PORT" -v bfile="$TMP/backends.conf" -v static="$STATIC_DIR" '
    $0 == "@BACKENDS@" { while ((getline line < bfile) > 0) print line; next }
    /^ *listen @LISTEN@;$/ { sub(/@LISTEN@/, listen) }
    /^ *root @STREAMLIT_STATIC@;$/ { sub(/@STREAMLIT_STATIC@/, static) }
    { print }
' "$REPO/deploy/nginx.conf" >"$TMP/nginx.conf"

"$NGINX" -e "$TMP/error.log" -p "$TMP/" -c "$TMP/nginx.conf" -t -q
"$NGINX" -e "$TMP/error.log" -p "$TMP/" -c "$TMP/nginx.conf" &
NGINX_PID=$!

echo "serve.sh: http://127.0.0.1:$PORT -> $K app process(es) on ports $APP_PORT..$((APP_PORT + K - 1)) (pids ${PIDS[*]}; nginx $NGINX_PID; temp $TMP)"

# Foreground until a signal arrives or any child exits.
set +e
wait -n "$NGINX_PID" "${PIDS[@]}"
code=$?
echo "serve.sh: a child exited (code $code); stopping the rest" >&2
exit 1
