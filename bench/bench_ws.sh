#!/usr/bin/env bash
# WebSocket echo, side by side in one run: `httpstatus serve --workers 1`
# (/websocket/echo) and the npm `ws` package's echo server on Debian's node
# (bench/ws_echo_server.mjs, one process, no compression on either side).
# bench/ws_load.c keeps CONNS connections (default 100) each sending a 64-byte
# binary message and waiting for its echo, for DURATION seconds (default 4);
# servers on core 0, the load on core 1, REPS runs each (default 5),
# interleaved. Prints messages per second and server CPU time per message
# (utime+stime from /proc/PID/stat over the run), their medians, and the ratio
# ws / ours for CPU per message. `ws` is installed with npm into
# build/bench-ws (not committed). Only 127.0.0.1 is used. About 1 minute.
#
#   usage: bench/bench_ws.sh          (env: HTTPSTATUS_BIN, REPS, DURATION, CONNS, SIZE)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPSTATUS_BIN:-$root/build/httpstatus}
reps=${REPS:-5}
dur=${DURATION:-4}
conns=${CONNS:-100}
size=${SIZE:-64}
py=/usr/bin/python3
[ -x "$bin" ] || { echo "bench_ws: no server binary at $bin (build first)" >&2; exit 1; }
command -v node >/dev/null && command -v npm >/dev/null ||
  { echo "bench_ws: needs node and npm (Debian: apt-get install nodejs npm)" >&2; exit 1; }
command -v taskset >/dev/null || { echo "bench_ws: needs taskset (util-linux)" >&2; exit 1; }

tmp=$(mktemp -d)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT

wsdir=$root/build/bench-ws
if [ ! -d "$wsdir/node_modules/ws" ]; then
  echo "installing npm ws into $wsdir"
  mkdir -p "$wsdir"
  (cd "$wsdir" && npm install --no-audit --no-fund --no-save ws@8 >/dev/null)
fi
ws_version=$(node -p "require('$wsdir/node_modules/ws/package.json').version")
cc -O2 -o "$tmp/ws_load" "$root/bench/ws_load.c"
ncores=$(nproc)
srv_core=0
cli_core=$((ncores > 1 ? 1 : 0))

# CPU ticks (utime + stime) of a process.
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# Starts a server on core 0; sets srv_pid and srv_port.
start_ours() {
  rm -f "$tmp/ours.err" # not the previous run's port
  taskset -c $srv_core "$bin" serve --listen 127.0.0.1:0 --workers 1 --access-log off \
    2>"$tmp/ours.err" >/dev/null &
  srv_pid=$!
  pids+=("$srv_pid")
  for _ in $(seq 100); do
    srv_port=$(grep -so 'listening on http://127.0.0.1:[0-9]*' "$tmp/ours.err" | grep -o '[0-9]*$' || true)
    [ -n "$srv_port" ] && return
    sleep 0.05
  done
  echo "bench_ws: our server did not start" >&2; exit 1
}
start_ws() {
  rm -f "$tmp/ws.out"
  taskset -c $srv_core node "$root/bench/ws_echo_server.mjs" "$wsdir/node_modules" \
    >"$tmp/ws.out" 2>&1 &
  srv_pid=$!
  pids+=("$srv_pid")
  for _ in $(seq 100); do
    srv_port=$(grep -so 'listening [0-9]*' "$tmp/ws.out" | grep -o '[0-9]*$' || true)
    [ -n "$srv_port" ] && return
    sleep 0.05
  done
  echo "bench_ws: the ws server did not start" >&2; exit 1
}

# One run: prints "msgs_per_s cpu_us_per_msg".
run_one() {
  local which=$1 path=$2
  "start_$which"
  sleep 0.3
  local t0 t1 n
  t0=$(ticks "$srv_pid")
  n=$(taskset -c $cli_core "$tmp/ws_load" "$srv_port" "$path" "$conns" "$dur" "$size") ||
    { echo "bench_ws: the load failed against $which" >&2; exit 1; }
  t1=$(ticks "$srv_pid")
  kill "$srv_pid"
  wait "$srv_pid" 2>/dev/null || true
  $py -c "import sys; n=$n; t=($t1-$t0)/$hz; print(f'{n/$dur:.0f} {t*1e6/max(n,1):.3f}')"
}

echo "WebSocket echo: ${size}-byte binary messages, $conns connections, ${dur}s x $reps runs"
echo "server on core $srv_core, load on core $cli_core; ws $ws_version on node $(node --version)"
printf '%-8s %4s %14s %16s\n' server run msgs/s "CPU µs/msg"
: >"$tmp/ours.txt"
: >"$tmp/ws.txt"
for i in $(seq "$reps"); do
  r=$(run_one ours /websocket/echo); echo "$r" >>"$tmp/ours.txt"
  printf '%-8s %4d %14s %16s\n' ours "$i" $r
  r=$(run_one ws /); echo "$r" >>"$tmp/ws.txt"
  printf '%-8s %4d %14s %16s\n' ws "$i" $r
done
$py - "$tmp/ours.txt" "$tmp/ws.txt" <<'PY'
import statistics, sys
def load(p):
    rows = [tuple(map(float, l.split())) for l in open(p) if l.strip()]
    return statistics.median(r[0] for r in rows), statistics.median(r[1] for r in rows)
om, oc = load(sys.argv[1])
wm, wc = load(sys.argv[2])
print(f"median   ours: {om:,.0f} msgs/s, {oc:.3f} µs CPU/msg")
print(f"median   ws:   {wm:,.0f} msgs/s, {wc:.3f} µs CPU/msg")
print(f"ratio    ws/ours CPU per message: {wc/oc:.2f}x   ours/ws msgs/s: {om/wm:.2f}x")
PY
