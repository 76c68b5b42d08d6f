#!/usr/bin/env bash
# Memory per idle keep-alive connection, ours against nginx (Debian, one worker
# each, the same EC P-256 certificate): for HTTP/1.1, HTTP/2 by prior knowledge
# and HTTPS HTTP/1.1, IDLE_CONNS connections (default 5000) each make one
# request (tests/perf/idle_conns.py) and stay open; the server's RSS growth
# divided by the connections is the figure. One warm-up connection of the kind
# is made first so that lazy one-time set-up is not counted. With REQUESTS=N
# each connection makes N requests, one after the other, before it goes idle
# (a connection that was busy). Prints one line per kind: "idle KIND nginx
# BYTES ours BYTES ratio R". Only 127.0.0.1.
#
#   usage: bench/bench_idle.sh       (env: HTTPSTATUS_BIN, IDLE_CONNS, REPS=1, REQUESTS=1,
#                                     KINDS="h1 h2 https1")
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPSTATUS_BIN:-$root/build/httpstatus}
n=${IDLE_CONNS:-5000}
requests=${REQUESTS:-1}
reps=${REPS:-1}
nginx=/usr/sbin/nginx
BENCH_NAME=bench_idle
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_require "$nginx:nginx" taskset:util-linux
bench_binary "$bin"
client=$root/tests/perf/idle_conns.py
ulimit -n "$((n + 1000))" 2>/dev/null || ulimit -n "$(ulimit -Hn)"

# ---- ours: one worker; its generated certificate serves nginx too ----
hs_port=$(free_port) hs_tls=$(free_port)
taskset -c $srv_core "$bin" serve --listen "127.0.0.1:$hs_port" --tls-listen "127.0.0.1:$hs_tls" \
  --tls-dir "$tmp/tls" --workers 1 --access-log off --idle-timeout 600s \
  --max-connections $((n * 2)) 2>"$tmp/hs.err" &
hs_pid=$!
pids+=("$hs_pid")
wait_port "$hs_port" >/dev/null
wait_port "$hs_tls" >/dev/null

# ---- nginx: one worker, return 200, HTTP/1.1, h2c and TLS listeners ----
ng_port=$(free_port) ng_h2=$(free_port) ng_tls=$(free_port)
mkdir -p "$tmp/nginx/logs"
cat >"$tmp/nginx/nginx.conf" <<NGX
worker_processes 1;
worker_rlimit_nofile $((n * 2 + 1000));
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/logs/error.log;
events { worker_connections $((n * 2 + 100)); }
http {
  access_log off;
  keepalive_requests 10000000;
  keepalive_timeout 600s;
  ssl_protocols TLSv1.2 TLSv1.3;
$(nginx_temp_paths "$tmp/nginx")
  server {
    listen 127.0.0.1:$ng_port;
    listen 127.0.0.1:$ng_h2 http2;
    listen 127.0.0.1:$ng_tls ssl;
    ssl_certificate $tmp/tls/localhost.pem;
    ssl_certificate_key $tmp/tls/localhost-key.pem;
    location / { return 200 'ok'; }
  }
}
NGX
taskset -c $srv_core "$nginx" -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" \
  -g 'daemon off;' &
ng_master=$!
pids+=("$ng_master")
wait_port "$ng_port" >/dev/null
sleep 0.3
ng_worker=$(pgrep -P "$ng_master" | head -1)

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

# Bytes of RSS growth per connection: PID PORT KIND PATH.
measure() {
  local pid=$1 port=$2 kind=$3 path=$4 before after opened
  "$py" "$client" "$kind" "$port" 1 "$path" 0 "$requests" >/dev/null # warm-up
  sleep 0.3
  before=$(rss_kb "$pid")
  coproc IDLE { "$py" "$client" "$kind" "$port" "$n" "$path" 600 "$requests"; }
  read -r _ opened <&"${IDLE[0]}"
  sleep 0.5
  after=$(rss_kb "$pid")
  eval "exec ${IDLE[1]}>&-"
  wait "$IDLE_PID" 2>/dev/null || true
  sleep 0.5
  echo $(((after - before) * 1024 / opened))
}

echo "bench_idle: RSS growth per idle keep-alive connection, $n connections, $requests request(s) each"
for kind in ${KINDS:-h1 h2 https1}; do
  ours=() theirs=()
  for _ in $(seq "$reps"); do
    case $kind in
    h1) theirs+=("$(measure "$ng_worker" "$ng_port" h1 /)") ours+=("$(measure "$hs_pid" "$hs_port" h1 /status/200)") ;;
    h2) theirs+=("$(measure "$ng_worker" "$ng_h2" h2 /)") ours+=("$(measure "$hs_pid" "$hs_port" h2 /status/200)") ;;
    https1) theirs+=("$(measure "$ng_worker" "$ng_tls" https1 /)") ours+=("$(measure "$hs_pid" "$hs_tls" https1 /status/200)") ;;
    esac
  done
  "$py" -c "import statistics as s, sys
o = s.median(map(int, sys.argv[2].split())); t = s.median(map(int, sys.argv[3].split()))
print(f'idle {sys.argv[1]:7} nginx {t:7.0f} B  ours {o:7.0f} B  ratio {o / max(t, 1):5.2f}')" \
    "$kind" "${ours[*]}" "${theirs[*]}"
  floor=$(dirname "$bin")/bench/h2_session_floor # nghttp2's own heap per idle session
  if [[ $kind == h2 && -x $floor ]]; then
    echo "  floor: $("$floor") (docs/performance.md, Floors)"
  fi
done
