#!/usr/bin/env bash
# Side-by-side benchmark of `httpstatus serve --workers 1` and nginx (Debian,
# one worker) over TLS: HTTP/2 with h2load (-c 50 -m 10 and -m 1) on
# /status/418 and /get, HTTPS HTTP/1.1 (h2load --h1), and full TLS handshakes
# per second (openssl s_time -new). Both servers use the same certificate (our
# generated EC P-256 one); nginx answers /get and /status/418 with fixed JSON bodies of the
# same size as ours (its cost floor). Server on core 0, clients on core 1;
# REPS repetitions (default 5), interleaved; prints medians of req/s and of
# server CPU time per request (utime+stime from /proc/PID/stat), and
# ours/nginx ratios; then p50/p99 at a fixed rate (h2load --rps, lib.sh) for
# HTTP/2 and HTTPS at one stream. Only 127.0.0.1; every run is bounded in time.
#
#   usage: bench/bench_h2.sh     (env: HTTPSTATUS_BIN, REPS, DURATION, RATE_SHARE)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPSTATUS_BIN:-$root/build/httpstatus}
reps=${REPS:-5}
dur=${DURATION:-4}
nginx=/usr/sbin/nginx
py=/usr/bin/python3
BENCH_NAME=bench_h2
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_require "$nginx:nginx" h2load:nghttp2-client taskset:util-linux openssl:openssl
bench_binary "$bin"

# ---- httpstatus: HTTPS with the generated certificate ----
hs_port=$(free_port)
hs_tls=$(free_port)
taskset -c $srv_core "$bin" serve --listen "127.0.0.1:$hs_port" --tls-listen "127.0.0.1:$hs_tls" \
  --tls-dir "$tmp/tls" --workers 1 --access-log off --idle-timeout 120s 2>"$tmp/hs.err" &
hs_pid=$!
pids+=("$hs_pid")
wait_port "$hs_tls"
get_body=$(curl -sk --http1.1 "https://127.0.0.1:$hs_tls/get")
teapot_body=$(curl -sk --http1.1 "https://127.0.0.1:$hs_tls/status/418")

# ---- nginx: one worker, TLS + HTTP/2, same certificate ----
ng_port=$(free_port)
mkdir -p "$tmp/nginx/logs"
get_text=$(ngx_quote "$get_body")
teapot_text=$(ngx_quote "$teapot_body")
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
  ssl_protocols TLSv1.2 TLSv1.3;
  ssl_session_tickets on;
  server {
    listen 127.0.0.1:$ng_port ssl http2;
    ssl_certificate $tmp/tls/localhost.pem;
    ssl_certificate_key $tmp/tls/localhost-key.pem;
    default_type application/json;
    location = /status/418 { return 418 $teapot_text; }
    location = /get { return 200 $get_text; }
  }
}
NGX
taskset -c $srv_core "$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" \
  -g 'daemon off;' &
ng_master=$!
pids+=("$ng_master")
wait_port "$ng_port"
sleep 0.2
for path in /get /status/418; do
  same_body "https://127.0.0.1:$ng_port" "https://127.0.0.1:$hs_tls" "$path"
done
ng_pids="$ng_master $(pgrep -P "$ng_master" | tr '\n' ' ')"

cpu_sum() { # utime + stime of the given processes, in clock ticks
  local u s
  read -r u s < <(cpu_ticks "$@")
  echo $((u + s))
}

# one h2load run: prints "req_per_s cpu_us_per_req p99_us user_us sys_us"
# (p99 of the per-request times h2load logs with --log-file; user and
# system CPU time per request apart)
run_h2load() { # port path streams proto pids...
  local port=$1 path=$2 m=$3 proto=$4
  shift 4
  local c0 c1 out u0 s0 u1 s1 extra=()
  [ "$proto" = h1 ] && extra=(--h1)
  read -r u0 s0 < <(cpu_ticks "$@")
  out=$(taskset -c $cli_core h2load "${extra[@]}" -c 50 -m "$m" -D "$dur" -t 1 \
    --log-file="$tmp/lat" "https://127.0.0.1:$port$path" 2>&1)
  read -r u1 s1 < <(cpu_ticks "$@")
  c0=$((u0 + s0)) c1=$((u1 + s1))
  echo "$out" | "$py" -c '
import re, sys
out = sys.stdin.read()
ticks, hz = int(sys.argv[1]), int(sys.argv[2])
done = int(re.search(r"requests: \d+ total, \d+ started, (\d+) done", out).group(1))
# (h2load does not count the reason-less HTTP/1.1 418 of nginx in its status
# codes, so errors and timeouts are what tell a bad run)
bad = sum(map(int, re.search(r"(\d+) errored, (\d+) timeout", out).groups()))
rps = float(re.search(r"finished in [\d.]+\w+, ([\d.]+) req/s", out).group(1))
if bad > done * 0.01:
    print("# errors:", out[-400:], file=sys.stderr)
lat = sorted(int(l.split()[2]) for l in open(sys.argv[3]) if l.strip())
p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))] if lat else 0
per = lambda t: t / hz * 1e6 / max(done, 1)
print(rps, per(ticks), p99, per(int(sys.argv[4])), per(int(sys.argv[5])))
' "$((c1 - c0))" "$(getconf CLK_TCK)" "$tmp/lat" "$((u1 - u0))" "$((s1 - s0))"
}

# full TLS handshakes (no resumption) for DURATION s: "conns_per_s cpu_us_per_conn"
run_handshakes() { # port pids...
  local port=$1
  shift
  local c0 c1 out
  c0=$(cpu_sum "$@")
  out=$(taskset -c $cli_core openssl s_time -connect "127.0.0.1:$port" -new -time "$dur" 2>&1 || true)
  c1=$(cpu_sum "$@")
  echo "$out" | "$py" -c '
import re, sys
out = sys.stdin.read()
ticks, hz = int(sys.argv[1]), int(sys.argv[2])
m = re.search(r"(\d+) connections in ([\d.]+) real seconds", out)
n, secs = int(m.group(1)), float(m.group(2))
print(n / secs, ticks / hz * 1e6 / max(n, 1))
' "$((c1 - c0))" "$(getconf CLK_TCK)"
}

echo "bench_h2: $reps x ${dur}s per case, 50 connections, server on core $srv_core, client on core $cli_core"
echo "          nginx $("$nginx" -v 2>&1 | sed 's/.*nginx\///'), h2load $(h2load --version | awk '{print $2}'), httpstatus $("$bin" --version | awk '{print $NF}')"
: >"$tmp/results"
cases=("h2 /status/418 10" "h2 /status/418 1" "h2 /get 10" "h2 /get 1" "h1 /status/418 1" "h1 /get 1")
for i in $(seq "$reps"); do
  for c in "${cases[@]}"; do
    read -r proto path m <<<"$c"
    # shellcheck disable=SC2086
    echo "nginx $proto $path $m $(run_h2load "$ng_port" "$path" "$m" "$proto" $ng_pids)" >>"$tmp/results"
    echo "httpstatus $proto $path $m $(run_h2load "$hs_tls" "$path" "$m" "$proto" "$hs_pid")" >>"$tmp/results"
  done
  # shellcheck disable=SC2086
  echo "nginx tls handshake - $(run_handshakes "$ng_port" $ng_pids)" >>"$tmp/results"
  echo "httpstatus tls handshake - $(run_handshakes "$hs_tls" "$hs_pid")" >>"$tmp/results"
  printf '.'
done
echo
"$py" - "$tmp/results" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1]) if not l.startswith("#")]
keys = []
for r in rows:
    k = tuple(r[1:4])
    if k not in keys:
        keys.append(k)
print(f"{'case':34}{'nginx/s':>10}{'ours/s':>10}{'nginx us':>10}{'ours us':>10}{'CPU ratio':>11}")
for k in keys:
    med = {}
    for name in ("nginx", "httpstatus"):
        vals = [(float(r[4]), float(r[5])) for r in rows if r[0] == name and tuple(r[1:4]) == k]
        med[name] = (statistics.median(v[0] for v in vals), statistics.median(v[1] for v in vals))
    label = "TLS handshakes (s_time -new)" if k[0] == "tls" else f"{'HTTP/2' if k[0] == 'h2' else 'HTTPS HTTP/1.1'} {k[1]} -m {k[2]}"
    n, h = med["nginx"], med["httpstatus"]
    target = {"h2": "<= 0.8", "h1": "<= 0.9", "tls": "rate >= 1.0"}[k[0]]
    print(f"{label:34}{n[0]:10.0f}{h[0]:10.0f}{n[1]:10.2f}{h[1]:10.2f}{h[1] / n[1]:11.2f}"
          f"   (rate ratio {h[0] / n[0]:.2f}; target {target})")
print("\np99 latency of a request at 50 connections (h2load --log-file), medians of the runs")
for k in keys:
    if k[0] == "tls":
        continue
    p = {name: statistics.median(float(r[6]) for r in rows if r[0] == name and tuple(r[1:4]) == k)
         for name in ("nginx", "httpstatus")}
    label = f"{'HTTP/2' if k[0] == 'h2' else 'HTTPS HTTP/1.1'} {k[1]} -m {k[2]}"
    print(f"p99 {label:34} nginx {p['nginx']:9.0f} us  ours {p['httpstatus']:9.0f} us"
          f"  ratio {p['httpstatus'] / max(p['nginx'], 1):5.2f}")
# The kernel's share: what a request would cost us if our user time were
# zero, against nginx's whole cost (docs/performance.md, Floors)
print("\nCPU per request split (us, medians): user + system; floor = ours' system time / nginx's total")
for k in keys:
    if k[0] == "tls":
        continue
    med = {name: [statistics.median(float(r[i]) for r in rows if r[0] == name and tuple(r[1:4]) == k)
                  for i in (7, 8)] for name in ("nginx", "httpstatus")}
    (nu, ns), (hu, hs) = med["nginx"], med["httpstatus"]
    label = f"{'HTTP/2' if k[0] == 'h2' else 'HTTPS HTTP/1.1'} {k[1]} -m {k[2]}"
    print(f"{label:34} nginx {nu:5.2f} + {ns:5.2f}  ours {hu:5.2f} + {hs:5.2f}"
          f"  user ratio {hu / max(nu, 1e-9):4.2f}  floor {hs / max(nu + ns, 1e-9):4.2f}")
PY

# p50/p99 at a fixed rate (lib.sh): RATE_SHARE of nginx's median rate in the
# same case, at one stream per connection. The p99 rows above are taken at
# saturation, where h2load's own loop sets them (~6 ms for both servers).
echo
echo "latency at a fixed rate (h2load -c 50 --rps), medians of $reps runs (target: p99 ratio <= 1.00):"
for c in "h2 /status/418 1" "h1 /status/418 1"; do
  read -r proto path m <<<"$c"
  # shellcheck disable=SC2046
  rate=$(fixed_rate_for $(awk -v p="$proto" -v u="$path" -v m="$m" \
    '$1 == "nginx" && $2 == p && $3 == u && $4 == m {print $5}' "$tmp/results"))
  extra=() label="HTTP/2 $path -m 1 over TLS"
  [ "$proto" = h1 ] && extra=(--h1) label="HTTPS HTTP/1.1 $path -m 1"
  fixed_rate_pair "$label" "$rate" "https://127.0.0.1:$ng_port$path" \
    "https://127.0.0.1:$hs_tls$path" "${extra[@]}"
done
