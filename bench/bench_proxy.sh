#!/usr/bin/env bash
# The same upstream behind nginx `proxy_pass` (one worker, keepalive pool) and
# behind `httpstatus serve --workers 1 --upstream` (issue 19), in one run: wrk
# with CONNS keep-alive connections against each proxy in turn, REPS times
# (default 5), interleaved. The upstream is a second nginx answering
# `return 200` with a 12-byte body. Proxies on core 0; the upstream and wrk
# share core 1. Prints medians of req/s, p50/p99 latency and the proxy's CPU
# time per request (utime+stime from /proc/PID/stat), and our/nginx ratios.
# The machine may be busy: compare the ratios, not the absolute figures.
#
# Then (INSTR=0 skips it) the instructions each proxy executes per request,
# counted by callgrind, which the busy machine does not disturb: each proxy
# runs under valgrind twice, with N and 2N requests (h2load --h1, 50
# connections), and the difference is divided by N (start-up cancels out).
#
# In between, p50/p99 at a fixed rate both sustain (RATE_SHARE, see below).
#
#   usage: bench/bench_proxy.sh  (env: HTTPSTATUS_BIN, REPS, DURATION, CONNS, INSTR, N, RATE_SHARE)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPSTATUS_BIN:-$root/build/httpstatus}
reps=${REPS:-5}
dur=${DURATION:-4}
conns=${CONNS:-50}
nginx=/usr/sbin/nginx

BENCH_NAME=bench_proxy
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_require "$nginx:nginx" wrk:wrk taskset:util-linux
bench_binary "$bin"

# nginx_start NAME CORE SERVER_BLOCK: one worker, config in $tmp/NAME
nginx_start() {
  local name=$1 core=$2 server=$3 d="$tmp/$1"
  mkdir -p "$d/logs"
  cat >"$d/nginx.conf" <<NGX
worker_processes 1;
pid $d/nginx.pid;
error_log $d/logs/error.log;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
$(nginx_temp_paths "$d")
$server
}
NGX
  taskset -c "$core" "$nginx" -p "$d" -c "$d/nginx.conf" -e "$d/logs/error.log" -g 'daemon off;' &
  pids+=("$!")
}

up_port=$(free_port)
nginx_start upstream "$cli_core" "  server { listen 127.0.0.1:$up_port; location / { return 200 \"hello world\\n\"; } }"
wait_port "$up_port"
ng_port=$(free_port)
nginx_start proxy "$srv_core" "
  upstream up { server 127.0.0.1:$up_port; keepalive 64; }
  server {
    listen 127.0.0.1:$ng_port;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection \"\"; }
  }"
ng_master=${pids[-1]}
wait_port "$ng_port"
sleep 0.2
ng_pids="$ng_master $(pgrep -P "$ng_master" | tr '\n' ' ')"

hs_port=$(free_port)
taskset -c $srv_core "$bin" serve --listen "127.0.0.1:$hs_port" --workers 1 --access-log off \
  --idle-timeout 120s --upstream "http://127.0.0.1:$up_port" 2>"$tmp/hs.err" &
hs_pid=$!
pids+=("$hs_pid")
wait_port "$hs_port"

# one run: prints "reqs req_per_s p50_us p99_us cpu_us_per_req user_us sys_us"
run_one() { # url pids...
  local url=$1
  shift
  local c0 c1 out u0 s0 u1 s1
  c0=$(cpu_ticks "$@")
  out=$(taskset -c $cli_core wrk -t1 -c"$conns" -d"${dur}s" --latency "$url")
  c1=$(cpu_ticks "$@")
  read -r u0 s0 <<<"$c0"
  read -r u1 s1 <<<"$c1"
  echo "$out" | "$py" -c '
import re, sys
out = sys.stdin.read()
ut, st, hz = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
def us(s):
    v, u = float(re.match(r"([\d.]+)", s).group(1)), re.search(r"(us|ms|s)$", s).group(1)
    return v * {"us": 1, "ms": 1e3, "s": 1e6}[u]
reqs = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = us(re.search(r"\s50%\s+(\S+)", out).group(1))
p99 = us(re.search(r"\s99%\s+(\S+)", out).group(1))
bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
if bad or "Socket errors" in out:
    print("# errors:", out, file=sys.stderr)
print(reqs, rps, p50, p99, (ut + st) / hz * 1e6 / reqs, ut / hz * 1e6 / reqs, st / hz * 1e6 / reqs)
' "$((u1 - u0))" "$((s1 - s0))" "$(getconf CLK_TCK)"
}

echo "bench_proxy: $reps x ${dur}s, $conns connections; proxies on core $srv_core, upstream + wrk on core $cli_core"
echo "             nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///'), httpstatus $("$bin" --version 2>/dev/null | awk '{print $NF}')"
for u in "http://127.0.0.1:$ng_port/hello" "http://127.0.0.1:$hs_port/proxy/hello"; do
  [ "$(curl -s "$u")" = "hello world" ] || { echo "bench_proxy: $u does not answer" >&2; exit 1; }
  taskset -c $cli_core wrk -t1 -c"$conns" -d1s "$u" >/dev/null # warm-up
done
: >"$tmp/results"
for i in $(seq "$reps"); do
  # shellcheck disable=SC2086
  echo "nginx $(run_one "http://127.0.0.1:$ng_port/hello" $ng_pids)" >>"$tmp/results"
  echo "httpstatus $(run_one "http://127.0.0.1:$hs_port/proxy/hello" "$hs_pid")" >>"$tmp/results"
  printf '.'
done
echo
"$py" - "$tmp/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for name in ("nginx", "httpstatus"):
    rs = [list(map(float, r[1:])) for r in rows if r[0] == name]
    med[name] = [statistics.median(c) for c in zip(*rs)]
print(f"{'proxy':24}{'req/s':>10}{'p50 us':>9}{'p99 us':>9}{'CPU us/req':>12}{'user':>7}{'sys':>7}")
for name in ("nginx", "httpstatus"):
    _, rps, p50, p99, cpu, usr, sysc = med[name]
    print(f"{name:24}{rps:10.0f}{p50:9.0f}{p99:9.0f}{cpu:12.2f}{usr:7.2f}{sysc:7.2f}")
n, h = med["nginx"], med["httpstatus"]
print(f"{'  ratio (ours/nginx)':24}{h[1]/n[1]:10.2f}{h[2]/n[2]:9.2f}{h[3]/n[3]:9.2f}{h[4]/n[4]:12.2f}"
      f"{h[5]/n[5]:7.2f}{h[6]/n[6]:7.2f}   (target: CPU and p99 <= 1.00)")
PY

# Latency at a fixed rate (lib.sh: RATE_SHARE of nginx's median req/s
# above, default 0.5): at a rate both proxies sustain, p99 is the time one
# request takes through each, not the queue behind the slower one (wrk also
# shares its core with the upstream). h2load --h1, 50 connections.
bench_require h2load:nghttp2-client
# shellcheck disable=SC2046
rate=$(fixed_rate_for $(awk '$1 == "nginx" {print $3}' "$tmp/results"))
echo "latency at a fixed rate (h2load --h1 -c 50 --rps), medians of $reps runs (target: p99 ratio <= 1.00):"
fixed_rate_pair "proxied GET /hello" "$rate" "http://127.0.0.1:$ng_port/hello" \
  "http://127.0.0.1:$hs_port/proxy/hello" --h1

[ "${INSTR:-1}" = 0 ] && exit 0
bench_require valgrind:valgrind callgrind_annotate:valgrind h2load:nghttp2-client
n=${N:-5000}
# counted NAME COUNT: runs proxy NAME under callgrind for COUNT requests;
# prints its instruction total
counted() {
  local name=$1 count=$2 out=$tmp/cg.$1.$2 port pid url
  port=$(free_port)
  if [ "$name" = nginx ]; then
    sed "s/listen 127.0.0.1:$ng_port;/listen 127.0.0.1:$port;/" "$tmp/proxy/nginx.conf" \
      >"$tmp/proxy/cg.conf"
    valgrind --tool=callgrind --callgrind-out-file="$out" "$nginx" -p "$tmp/proxy" \
      -c "$tmp/proxy/cg.conf" -g 'daemon off; master_process off;' 2>/dev/null &
    url="http://127.0.0.1:$port/hello"
  else
    valgrind --tool=callgrind --callgrind-out-file="$out" "$(dirname "$bin")/httpstatus-serve" \
      --listen "127.0.0.1:$port" --workers 1 --access-log off \
      --upstream "http://127.0.0.1:$up_port" 2>/dev/null &
    url="http://127.0.0.1:$port/proxy/hello"
  fi
  pid=$!
  pids+=("$pid")
  wait_port "$port"
  h2load --h1 -c 50 -n "$count" -t 1 "$url" >/dev/null 2>&1
  kill "$pid"
  wait "$pid" 2>/dev/null || true
  callgrind_annotate --auto=no "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}'
}
echo "instructions per request (callgrind, N=$n and 2N):"
for name in nginx httpstatus; do
  a=$(counted $name "$n")
  b=$(counted $name $((2 * n)))
  echo "$name $(( (b - a) / n ))" >>"$tmp/instr"
  printf '  %-12s %8d\n' "$name" $(( (b - a) / n ))
done
awk '{v[$1]=$2} END {printf "  ratio (ours/nginx) %.2f\n", v["httpstatus"]/v["nginx"]}' "$tmp/instr"
