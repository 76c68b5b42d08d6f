#!/usr/bin/env bash
# Instructions the server executes per HTTP/2 request and per WebSocket echo,
# counted by valgrind's callgrind: a measure that the other programs sharing
# the machine do not disturb, unlike CPU time. Each case runs the server twice
# under callgrind, with N and 2N requests (or a short and a longer WebSocket
# load), and divides the difference in instructions by the difference in
# requests, so start-up, TLS handshakes and connection set-up cancel out.
# Cases: h2load -c 50 -m 1 over TLS on /status/418 and /get (the cases of
# bench_h2.sh where nghttp2's and our per-stream work weigh most); in
# cleartext, /status/418 over HTTP/1.1 one at a time and 10 pipelined, and
# over HTTP/2 with 1 and 10 streams per connection; /metrics (one scrape);
# and the 64-byte echo of bench_ws.sh at 100 connections. Only 127.0.0.1. A few
# minutes (callgrind runs the server about 50 times slower).
#
#   usage: bench/bench_instructions.sh     (env: HTTPSTATUS_BIN, N,
#                                           CASES="h2 h1 metrics ws": a subset)
#          bench/bench_instructions.sh --check   the guard test.sh runs: one
#            connection per case, baselines in tests/perf/baseline.txt
#            (tests/perf/instructions.py; --update rewrites them)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
case ${1:-} in
--check | --update) exec /usr/bin/python3 "$root/tests/perf/instructions.py" "$1" "$root/tests/perf/baseline.txt" ;;
esac
bin=${HTTPSTATUS_BIN:-$root/build/httpstatus}
n=${N:-10000}
BENCH_NAME=bench_instructions
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_require valgrind:valgrind callgrind_annotate:valgrind h2load:nghttp2-client
bench_binary "$bin"
serve=$(dirname "$bin")/httpstatus-serve
[ -x "$serve" ] || serve=$bin
cc -O2 -o "$tmp/ws_load" "$root/bench/ws_load.c"

# The certificate is made once, before anything is counted.
port=$(free_port)
"$serve" --tls-listen "127.0.0.1:$port" --tls-dir "$tmp/tls" --workers 1 --access-log off \
  2>/dev/null >/dev/null &
pids+=("$!")
wait_port "$port" >/dev/null
kill "$!"

# Runs the server under callgrind while "$@" loads it (PORT: cleartext,
# TLS: HTTPS); prints the instructions it executed.
counted() {
  local out=$tmp/cg.out
  PORT=$(free_port) TLS=$(free_port)
  rm -f "$out"
  valgrind --tool=callgrind --callgrind-out-file="$out" "$serve" --listen "127.0.0.1:$PORT" \
    --tls-listen "127.0.0.1:$TLS" --tls-dir "$tmp/tls" --workers 1 --access-log off \
    2>"$tmp/vg.err" &
  local pid=$!
  pids+=("$pid")
  wait_port "$PORT" >/dev/null
  wait_port "$TLS" >/dev/null
  "$@" >"$tmp/load.out"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  callgrind_annotate --auto=no "$out" | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}

# h2load over TLS: COUNT requests on PATH; prints how many were answered.
h2_load() { # count path
  h2load -c 50 -m 1 -n "$1" -t 1 "https://127.0.0.1:$TLS$2" 2>&1 | awk '/^requests:/ {print $6}'
}

# h2load in cleartext on PORT: COUNT requests for /status/418, over HTTP/1.1
# (MODE h1: one at a time, h1p: 10 pipelined) or HTTP/2 with prior knowledge
# (h2m1, h2m10: streams at once per connection).
clear_load() { # mode count
  local args
  case $1 in
  h1) args=(--h1 -m 1) ;;
  h1p) args=(--h1 -m 10) ;;
  h2m1) args=(-m 1) ;;
  h2m10) args=(-m 10) ;;
  esac
  h2load -c 10 "${args[@]}" -n "$2" -t 1 "http://127.0.0.1:$PORT/status/418" 2>&1 |
    awk '/^requests:/ {print $6}'
}

# h2load over cleartext HTTP/1.1 keep-alive (--h1): COUNT requests on PATH.
h1_load() { # count path
  h2load --h1 -c 10 -n "$1" -t 1 "http://127.0.0.1:$PORT$2" 2>&1 | awk '/^requests:/ {print $6}'
}

ws_load() { # seconds
  "$tmp/ws_load" "$PORT" /websocket/echo 100 "$1" 64
}

per_unit() { # label ir1 units1 ir2 units2
  "$py" -c "import sys; l, a, x, b, y = sys.argv[1:]; a, x, b, y = map(int, (a, x, b, y))
print(f'{l:34}{(b - a) / (y - x):10.0f}   ({y - x} more, {b - a:,} more instructions)')" "$@"
}

echo "bench_instructions: server instructions per request (callgrind), httpstatus $("$bin" --version | awk '{print $NF}')"
cases=" ${CASES:-h2 h1 h1p h2m1 h2m10 metrics ws} "
for path in /status/418 /get; do
  [[ $cases == *" h2 "* ]] || break
  ir1=$(counted h2_load "$n" "$path")
  d1=$(cat "$tmp/load.out")
  ir2=$(counted h2_load "$((2 * n))" "$path")
  d2=$(cat "$tmp/load.out")
  per_unit "HTTP/2 over TLS $path -m 1" "$ir1" "$d1" "$ir2" "$d2"
done
# Cleartext /status/418: HTTP/1.1 one at a time (h1) and 10 pipelined (h1p),
# HTTP/2 with 1 and 10 streams per connection (h2m1, h2m10).
for mode in h1 h1p h2m1 h2m10; do
  [[ $cases == *" $mode "* ]] || continue
  ir1=$(counted clear_load "$mode" "$n")
  d1=$(cat "$tmp/load.out")
  ir2=$(counted clear_load "$mode" "$((2 * n))")
  d2=$(cat "$tmp/load.out")
  per_unit "cleartext /status/418 $mode" "$ir1" "$d1" "$ir2" "$d2"
done
if [[ $cases == *" metrics "* && $("$serve" --help) == *--metrics-listen* ]]; then
  ir1=$(counted h1_load 200 /metrics)
  d1=$(cat "$tmp/load.out")
  ir2=$(counted h1_load 400 /metrics)
  d2=$(cat "$tmp/load.out")
  per_unit "HTTP/1.1 GET /metrics (a scrape)" "$ir1" "$d1" "$ir2" "$d2"
fi
if [[ $cases == *" ws "* ]]; then
  ir1=$(counted ws_load 2)
  m1=$(cat "$tmp/load.out")
  ir2=$(counted ws_load 6)
  m2=$(cat "$tmp/load.out")
  per_unit "WebSocket echo, 64 bytes" "$ir1" "$m1" "$ir2" "$m2"
fi
