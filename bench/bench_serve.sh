#!/usr/bin/env bash
# Side-by-side benchmark of `httpstatus serve --workers 1` and nginx (Debian, one
# worker, `return 418` with our JSON body) for GET /status/418: plain keep-alive
# and 16-deep pipelining. Server on core 0, wrk on core 1; REPS repetitions (default 5),
# interleaved; prints the median req/s, p50/p99 latency and server CPU time per
# request (utime+stime from /proc/PID/stat), and our/nginx ratios; p50/p99 at a
# fixed rate (h2load --rps, lib.sh). Then RSS idle and with 10,000 idle
# keep-alive connections. Only 127.0.0.1 is used; every run
# is bounded in time. Whole run: about 3-4 minutes.
#
#   usage: bench/bench_serve.sh            (env: HTTPSTATUS_BIN, REPS, DURATION,
#                                           CONNS, IDLE_CONNS, RATE_SHARE)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPSTATUS_BIN:-$root/build/httpstatus}
reps=${REPS:-5}
dur=${DURATION:-4}
conns=${CONNS:-50}
idle_conns=${IDLE_CONNS:-10000}
nginx=/usr/sbin/nginx
py=/usr/bin/python3
[ -x "$py" ] || py=python3

BENCH_NAME=bench_serve
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_require "$nginx:nginx" wrk:wrk taskset:util-linux curl:curl h2load:nghttp2-client
bench_binary "$bin"

# ---- httpstatus serve --workers 1 ----
hs_port=$(free_port)
taskset -c $srv_core "$bin" serve --listen "127.0.0.1:$hs_port" --workers 1 --access-log off \
  --idle-timeout 120s 2>"$tmp/hs.err" &
hs_pid=$!
pids+=("$hs_pid")
wait_port "$hs_port"

# ---- nginx: one worker, temp config, /status/418 with our body ----
# (the same JSON body as ours, so that both servers put the same payload on
# the wire; nginx's bare `return 418;` sends no body at all)
teapot_text=$(ngx_quote "$(curl -s "http://127.0.0.1:$hs_port/status/418")")
ng_port=$(free_port)
mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<NGX
worker_processes 1;
worker_rlimit_nofile 20000;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections 16384; }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
$(nginx_temp_paths "$tmp/nginx")
  server {
    listen 127.0.0.1:$ng_port;
    default_type application/json;
    location / { return 418 $teapot_text; }
  }
}
NGX
taskset -c $srv_core "$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" \
  -g 'daemon off;' &
ng_master=$!
pids+=("$ng_master")
wait_port "$ng_port"
sleep 0.2
same_body "http://127.0.0.1:$ng_port" "http://127.0.0.1:$hs_port" /status/418
ng_pids="$ng_master $(pgrep -P "$ng_master" | tr '\n' ' ')"

cat >"$tmp/pipeline.lua" <<'LUA'
init = function(args)
  local r = {}
  for i = 1, 16 do r[i] = wrk.format(nil, "/status/418") end
  req = table.concat(r)
end
request = function() return req end
LUA

# one run: prints "reqs req_per_s p50_us p99_us cpu_us_per_req user_us sys_us"
run_one() { # name port mode pids...
  local name=$1 port=$2 mode=$3
  shift 3
  local script=()
  [ "$mode" = pipelined ] && script=(-s "$tmp/pipeline.lua")
  local c0 c1 out u0 s0 u1 s1
  c0=$(cpu_ticks "$@")
  out=$(taskset -c $cli_core wrk -t1 -c"$conns" -d"${dur}s" --latency "${script[@]}" \
    "http://127.0.0.1:$port/status/418")
  c1=$(cpu_ticks "$@")
  read -r u0 s0 <<<"$c0"
  read -r u1 s1 <<<"$c1"
  echo "$out" | "$py" -c '
import re, sys
out = sys.stdin.read()
ut, st, hz = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
ticks = ut + st
def us(s):
    v, u = float(re.match(r"([\d.]+)", s).group(1)), re.search(r"(us|ms|s)$", s).group(1)
    return v * {"us": 1, "ms": 1e3, "s": 1e6}[u]
reqs = int(re.search(r"(\d+) requests in", out).group(1))
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
p50 = us(re.search(r"\s50%\s+(\S+)", out).group(1))
p99 = us(re.search(r"\s99%\s+(\S+)", out).group(1))
errs = re.search(r"Socket errors: (.*)", out)
if errs:
    print("# socket errors:", errs.group(1), file=sys.stderr)
print(reqs, rps, p50, p99, ticks / hz * 1e6 / reqs, ut / hz * 1e6 / reqs, st / hz * 1e6 / reqs)
' "$((u1 - u0))" "$((s1 - s0))" "$(getconf CLK_TCK)"
}

echo "bench: $reps x ${dur}s per case, $conns connections, server on core $srv_core, wrk on core $cli_core"
echo "       nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///'), httpstatus $("$bin" --version 2>/dev/null | awk '{print $NF}')"
: >"$tmp/results"
for mode in plain pipelined; do
  # warm-up
  taskset -c $cli_core wrk -t1 -c"$conns" -d1s "http://127.0.0.1:$ng_port/status/418" >/dev/null
  taskset -c $cli_core wrk -t1 -c"$conns" -d1s "http://127.0.0.1:$hs_port/status/418" >/dev/null
  for i in $(seq "$reps"); do
    # shellcheck disable=SC2086
    echo "nginx $mode $(run_one nginx "$ng_port" "$mode" $ng_pids)" >>"$tmp/results"
    echo "httpstatus $mode $(run_one httpstatus "$hs_port" "$mode" "$hs_pid")" >>"$tmp/results"
    printf '.'
  done
done
echo

"$py" - "$tmp/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {}
for name in ("nginx", "httpstatus"):
    for mode in ("plain", "pipelined"):
        rs = [list(map(float, r[2:])) for r in rows if r[0] == name and r[1] == mode]
        cols = [list(c) for c in zip(*rs)]
        # wrk prints "99% 0.00us" when its latency histogram overflows (seen with
        # 16-deep pipelining at ~500k req/s): such a p99 is unknown, not zero
        cols[3] = [v for v in cols[3] if v > 0] or [float("nan")]
        med[name, mode] = [statistics.median(c) for c in cols]
nan = float("nan")
def f(v, spec):
    return format("n/a", spec.rstrip(".0123456789f") or ">") if v != v else format(v, spec)
print(f"{'':24}{'req/s':>10}{'p50 us':>9}{'p99 us':>9}{'CPU us/req':>12}{'user':>7}{'sys':>7}")
for mode in ("plain", "pipelined"):
    for name in ("nginx", "httpstatus"):
        _, rps, p50, p99, cpu, usr, sysc = med[name, mode]
        print(f"{name + ' ' + mode:24}{rps:10.0f}{p50:9.0f}{f(p99, '9.0f'):>9}{cpu:12.2f}{usr:7.2f}{sysc:7.2f}")
    n, h = med["nginx", mode], med["httpstatus", mode]
    target = 0.9 if mode == "plain" else 0.25
    print(f"{'  ratio (ours/nginx)':24}{h[1]/n[1]:10.2f}{h[2]/n[2]:9.2f}{f(h[3]/n[3], '9.2f'):>9}{h[4]/n[4]:12.2f}"
          f"{h[5]/n[5]:7.2f}{h[6]/n[6]:7.2f}   (CPU target <= {target})")
PY

# p50/p99 at a fixed rate (lib.sh): RATE_SHARE of nginx's median plain rate;
# wrk's p99 above is taken at saturation, where it is mostly queueing.
# shellcheck disable=SC2046
rate=$(fixed_rate_for $(awk '$1 == "nginx" && $2 == "plain" {print $4}' "$tmp/results"))
echo "latency at a fixed rate (h2load --h1 -c 50 --rps), medians of $reps runs (target: p99 ratio <= 1.00):"
fixed_rate_pair "HTTP/1.1 /status/418 plain" "$rate" "http://127.0.0.1:$ng_port/status/418" \
  "http://127.0.0.1:$hs_port/status/418" --h1

# ---- RSS: idle, and with N idle keep-alive connections ----
rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }
cat >"$tmp/idle.py" <<'PY'
import resource, socket, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, n + 256), hard))
req = b"GET /status/418 HTTP/1.1\r\nHost: bench\r\n\r\n"
socks = []
deadline = time.monotonic() + 60
for i in range(n):
    if time.monotonic() > deadline:
        break
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(req)
    got = b""
    while b"\r\n\r\n" not in got:
        got += s.recv(4096)
    socks.append(s)
print(len(socks), flush=True)
sys.stdin.readline()  # hold until told to stop
PY
measure_idle() { # name pid port
  local name=$1 pid=$2 port=$3 before after opened
  before=$(rss_kb "$pid")
  coproc IDLE { "$py" "$tmp/idle.py" "$port" "$idle_conns"; }
  read -r opened <&"${IDLE[0]}"
  sleep 0.5
  after=$(rss_kb "$pid")
  echo >&"${IDLE[1]}"
  wait "$IDLE_PID" 2>/dev/null || true
  "$py" -c "print(f'{\"$name\":12} RSS idle {$before/1024:6.1f} MiB, with $opened idle keep-alive connections {$after/1024:6.1f} MiB: {($after-$before)*1024/max($opened,1):7.0f} bytes per connection')"
}
sleep 1
measure_idle httpstatus "$hs_pid" "$hs_port"
ng_worker=$(pgrep -P "$ng_master" | head -1)
measure_idle nginx "$ng_worker" "$ng_port"
echo "(target for httpstatus: under 4096 bytes per idle connection)"
