#!/usr/bin/env bash
# Hardening bench (issue 13): `httpstatus serve --workers 2` and nginx (Debian,
# two workers, similar timeouts; static files with our servers' bodies) side by
# side, each attacked and loaded the same way while a probe client (a new
# connection per request, 4 threads) measures the share of requests answered
# and the p99 latency:
#   - slowhttptest (Debian) in slowloris, slow body, slow read and range modes,
#     ATTACK_CONNS connections for ATTACK_S seconds each;
#   - IDLE_CONNS idle connections (nothing sent) held IDLE_S seconds;
#   - a SOAK_S soak over mixed endpoints (wrk + bench/hardening_soak.lua),
#     sampling RSS and open descriptors every 5 s (start / max / end);
#   - graceful shutdown under load (ours SIGTERM, nginx SIGQUIT, its graceful
#     one) and restart under load (ours SIGUSR2; nginx's binary upgrade: USR2,
#     then QUIT to the old master), counting failed and refused requests.
#   - HTTP/2 (issue 18), cleartext prior knowledge: an HPACK bomb (HPACK_FRAMES
#     frames of 16 KB that decode to 64 MB each, one connection: server CPU per
#     frame, GOAWAY code) and zero windows (ZW_CONNS connections x 100 streams
#     of /bytes/100000 with SETTINGS_INITIAL_WINDOW_SIZE 0: RSS growth).
# Prints one table. Only 127.0.0.1 is used; everything is bounded in time.
# Full run (defaults) about 16 minutes; a short one:
#   ATTACK_S=10 ATTACK_CONNS=200 IDLE_CONNS=1000 IDLE_S=5 SOAK_S=15 bench/bench_hardening.sh
# Only the HTTP/2 rows (about a minute): ONLY=h2 bench/bench_hardening.sh
#   env: HTTPSTATUS_BIN ATTACK_S ATTACK_CONNS IDLE_CONNS IDLE_S SOAK_S LOAD_S
#        HPACK_FRAMES ZW_CONNS ONLY
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${HTTPSTATUS_BIN:-$root/build/httpstatus}
attack_s=${ATTACK_S:-60}
attack_conns=${ATTACK_CONNS:-1000}
idle_conns=${IDLE_CONNS:-10000}
idle_s=${IDLE_S:-15}
soak_s=${SOAK_S:-180}
load_s=${LOAD_S:-12}
hpack_frames=${HPACK_FRAMES:-100}
zw_conns=${ZW_CONNS:-20}
only=${ONLY:-}
nginx=/usr/sbin/nginx

BENCH_NAME=bench_hardening
# shellcheck source=bench/lib.sh
. "$root/bench/lib.sh"
bench_require "$nginx:nginx" wrk:wrk slowhttptest:slowhttptest curl:curl
bench_binary "$bin"
client="$py $root/bench/hardening_client.py"
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

# ---- servers ----
start_ours() { # start_ours PORT [extra args]: sets ours_pid
  local port=$1
  shift
  "$bin" serve --listen "127.0.0.1:$port" --workers 2 --access-log off "$@" \
    2>>"$tmp/ours.err" &
  ours_pid=$!
  pids+=("$ours_pid")
  wait_port "$port"
}

www=$tmp/www
mkdir -p "$www" "$tmp/nginx/logs"
chmod 755 "$tmp" # nginx's workers run as nobody and read $www
# start_nginx PORT [daemon]: sets ng_pid (the master). nginx's binary upgrade
# (USR2) works only for a master whose parent is not the one that started it,
# so the restart case runs it as a daemon.
start_nginx() { # [h2]: the listener speaks HTTP/2 (prior knowledge) instead
  local port=$1 daemon=${2:-off} h2=${3:-} dir=$tmp/nginx/$1
  mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<NGX
worker_processes 2;
worker_rlimit_nofile $(ulimit -Hn);
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 10000; }
http {
  access_log off;
  keepalive_timeout 60s;
  client_header_timeout 10s;
  client_body_timeout 10s;
  send_timeout 60s;
  client_max_body_size 1m;
  default_type application/json;
$(nginx_temp_paths "$dir")
  server {
    listen 127.0.0.1:$port${h2:+ http2};
    root $www;
    location = /status/200 { return 200 "ok\n"; }
    location = /post { return 200 "ok\n"; }
  }
}
NGX
  if [ "$daemon" = on ]; then
    "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon on;' 2>>"$tmp/nginx.err"
    wait_port "$port"
    ng_pid=$(cat "$dir/nginx.pid")
  else
    "$nginx" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" -g 'daemon off;' 2>>"$tmp/nginx.err" &
    ng_pid=$!
    wait_port "$port"
  fi
  pids+=("$ng_pid")
}
# Waits (up to 30 s) for a process that is not our child to end.
wait_gone() { for _ in $(seq 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done; return 1; }

# RSS (MB) and open descriptors of a process and its children (nginx workers)
tree_pids() { echo "$1 $(pgrep -P "$1" | tr '\n' ' ')"; }
rss_mb() {
  local kb=0 p
  for p in $(tree_pids "$1"); do
    kb=$((kb + $(awk '/^VmRSS:/{print $2}' "/proc/$p/status" 2>/dev/null || echo 0)))
  done
  echo $((kb / 1024))
}
nfds() {
  local n=0 p
  for p in $(tree_pids "$1"); do n=$((n + $(ls "/proc/$p/fd" 2>/dev/null | wc -l))); done
  echo "$n"
}

# The same bodies for nginx as ours sends (fetched from a scratch server of ours).
paths=(/get /bytes/1024 /json /headers /html /range/1024 /stream/3 /robots.txt /uuid)
p=$(free_port)
start_ours "$p"
for u in "${paths[@]}" /bytes/102400 /range/102400 /bytes/100000; do
  mkdir -p "$www$(dirname "$u")"
  curl -s "http://127.0.0.1:$p$u" -o "$www$u"
done
kill -TERM "$ours_pid"
wait "$ours_pid" || true

# ---- HTTP/2: HPACK bomb and zero windows (cleartext, prior knowledge) ----
declare -A res
tck=$(getconf CLK_TCK)
cpu_ms() { # CPU time (ms) of a process and its children
  local t
  t=$(cpu_ticks $(tree_pids "$1"))
  echo $((($(echo "$t" | awk '{print $1 + $2}')) * 1000 / tck))
}
h2_attacks() { # h2_attacks WHO PORT PID
  local who=$1 port=$2 pid=$3 c0 c1 sent code closed r0 r1 opened
  c0=$(cpu_ms "$pid")
  read -r sent code closed < <($client hpack "$port" "$hpack_frames")
  c1=$(cpu_ms "$pid")
  res[hpack.$who]="$sent|$((c1 - c0))|$(awk -v c=$((c1 - c0)) -v n="$hpack_frames" 'BEGIN{printf "%.2f", c / n}')|$code|$closed"
  echo "hpack $who: ${res[hpack.$who]}"
  sleep 1
  r0=$(rss_mb "$pid")
  $client zerowin "$port" "$zw_conns" 100 /bytes/100000 8 >"$tmp/zw.txt" &
  local zp=$!
  sleep 6
  r1=$(rss_mb "$pid")
  wait "$zp" || true
  opened=$(cat "$tmp/zw.txt")
  res[zerowin.$who]="$opened x 100|$r0|$r1|$((r1 - r0))"
  echo "zerowin $who: ${res[zerowin.$who]}"
}
p=$(free_port)
start_ours "$p"
h2_attacks ours "$p" "$ours_pid"
kill -TERM "$ours_pid"
wait "$ours_pid" || true
p=$(free_port)
start_nginx "$p" off h2
h2_attacks nginx "$p" "$ng_pid"
kill -QUIT "$ng_pid" 2>/dev/null || true
wait "$ng_pid" 2>/dev/null || true
h2_table() {
  echo
  echo "| HTTP/2 attack | server | sent | server CPU ms | CPU ms per frame | GOAWAY code (-1 none) | closed |"
  echo "|---|---|---|---|---|---|---|"
  for who in ours nginx; do
    IFS='|' read -r a b c d e <<<"${res[hpack.$who]}"
    echo "| HPACK bomb, $hpack_frames x 16 KB frames | $who | $a | $b | $c | $d | $e |"
  done
  echo
  echo "| HTTP/2 attack | server | connections x streams | RSS MB before | RSS MB held | growth MB |"
  echo "|---|---|---|---|---|---|"
  for who in ours nginx; do
    IFS='|' read -r a b c d <<<"${res[zerowin.$who]}"
    echo "| zero window, /bytes/100000 | $who | $a | $b | $c | $d |"
  done
}
if [ "$only" = h2 ]; then
  h2_table
  exit 0
fi

ours_port=$(free_port)
ng_port=$(free_port)
start_ours "$ours_port"
ours_main=$ours_pid
start_nginx "$ng_port"
ng_main=$ng_pid
echo "ours: pid $ours_main port $ours_port; nginx: master $ng_main port $ng_port"
echo "(the machine may be shared: compare the two columns of one run)"

# ---- slowhttptest modes ----
attack() { # attack NAME PORT PID slowhttptest-args...
  local name=$1 port=$2 pid=$3
  shift 3
  local log=$tmp/slow-$name-$port.txt
  timeout $((attack_s + 60)) slowhttptest -c "$attack_conns" -r 200 -l "$attack_s" -p 3 "$@" \
    >"$log" 2>&1 &
  local sp=$!
  sleep 5 # ramp-up: 200 connections a second
  read -r ok total p99 < <($client probe "$port" $((attack_s > 10 ? attack_s - 8 : 3)))
  local rss
  rss=$(rss_mb "$pid")
  wait "$sp" || true
  local held
  held=$(grep -a "connected:" "$log" | tail -1 | grep -ao '[0-9]*' | tail -1)
  echo "$name port $port: probes $ok/$total p99 ${p99} ms, RSS $rss MB"
  echo "$ok/$total|$p99|$rss|${held:-?}"
}
modes=(slowloris slowbody slowread range)
for mode in "${modes[@]}"; do
  for who in ours nginx; do
    if [ $who = ours ]; then port=$ours_port pid=$ours_main; else port=$ng_port pid=$ng_main; fi
    url=http://127.0.0.1:$port
    case $mode in
      slowloris) args=(-H -i 10 -x 24 -u "$url/status/200") ;;
      slowbody) args=(-B -i 5 -s 8192 -x 10 -u "$url/post") ;;
      slowread) args=(-X -w 512 -y 1024 -n 5 -z 32 -k 3 -u "$url/bytes/102400") ;;
      range) args=(-R -a 10 -b 3000 -t HEAD -u "$url/range/102400") ;;
    esac
    out=$(attack "$mode" "$port" "$pid" "${args[@]}")
    echo "$out" | head -n -1
    res[$mode.$who]=$(echo "$out" | tail -1)
    sleep 3 # connections of the attack close
  done
done

# ---- idle connections ----
for who in ours nginx; do
  if [ $who = ours ]; then port=$ours_port pid=$ours_main; else port=$ng_port pid=$ng_main; fi
  read -r opened still ok total p99 < <($client idle "$port" "$idle_conns" "$idle_s")
  echo "idle $who: opened $opened, still open $still, probes $ok/$total p99 $p99 ms"
  res[idle.$who]="$ok/$total|$p99|$(rss_mb "$pid")|$still/$opened"
  sleep 3
done

# ---- soak ----
cat >"$tmp/soak.lua" <<'LUA'
local paths = {"/status/200", "/get", "/bytes/1024", "/json", "/headers", "/html",
               "/range/1024", "/stream/3", "/robots.txt", "/uuid"}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", paths[(i % #paths) + 1])
end
LUA
soak() { # soak PORT PID: "requests errors rss(start/max/end) fds(start/max/end)"
  local port=$1 pid=$2
  local r0 f0 rmax f_max r f
  r0=$(rss_mb "$pid") f0=$(nfds "$pid") rmax=$r0 f_max=$f0
  wrk -t2 -c50 -d"${soak_s}s" -s "$tmp/soak.lua" "http://127.0.0.1:$port" >"$tmp/wrk-$port.txt" 2>&1 &
  local wp=$!
  while kill -0 "$wp" 2>/dev/null; do
    sleep 5
    r=$(rss_mb "$pid") f=$(nfds "$pid")
    [ "$r" -gt "$rmax" ] && rmax=$r
    [ "$f" -gt "$f_max" ] && f_max=$f
  done
  wait "$wp" || true
  sleep 2
  local n errs
  n=$(awk '/requests in/{print $1}' "$tmp/wrk-$port.txt")
  errs=$(awk '/Non-2xx|Socket errors/{for(i=1;i<=NF;i++) if ($i ~ /^[0-9]+,?$/) s+=$i} END{print s+0}' "$tmp/wrk-$port.txt")
  echo "$n|$errs|$r0/$rmax/$(rss_mb "$pid")|$f0/$f_max/$(nfds "$pid")"
}
res[soak.ours]=$(soak "$ours_port" "$ours_main")
echo "soak ours: ${res[soak.ours]}"
res[soak.nginx]=$(soak "$ng_port" "$ng_main")
echo "soak nginx: ${res[soak.nginx]}"
kill -TERM "$ours_main" 2>/dev/null || true
kill -QUIT "$ng_main" 2>/dev/null || true
wait "$ours_main" "$ng_main" 2>/dev/null || true

# ---- shutdown and restart under load ----
load_paths=/status/200,/get,/bytes/1024,/json
under_load() { # under_load PORT ACTION: runs the load LOAD_S s, ACTION at a third
  local port=$1 action=$2
  $client load "$port" "$load_s" "$load_paths" >"$tmp/load.txt" &
  local lp=$!
  sleep $((load_s / 3))
  eval "$action"
  wait "$lp"
  cat "$tmp/load.txt"
}
p=$(free_port)
start_ours "$p"
read -r ok failed refused < <(under_load "$p" "kill -TERM $ours_pid")
wait "$ours_pid" && code=0 || code=$?
res[term.ours]="$ok|$failed|$refused|exit $code"
p=$(free_port)
start_nginx "$p"
read -r ok failed refused < <(under_load "$p" "kill -QUIT $ng_pid")
wait "$ng_pid" && code=0 || code=$?
res[term.nginx]="$ok|$failed|$refused|exit $code (SIGQUIT)"

restart_ours() {
  : >"$tmp/ours.err"
  kill -USR2 "$ours_pid"
  for _ in $(seq 100); do grep -q "is listening, draining" "$tmp/ours.err" && break; sleep 0.1; done
  new_pid=$(grep -o 'started new process [0-9]*' "$tmp/ours.err" | grep -o '[0-9]*$' || true)
  [ -n "$new_pid" ] && pids+=("$new_pid")
}
restart_nginx() {
  kill -USR2 "$ng_pid"
  for _ in $(seq 100); do [ -s "$tmp/nginx/$p/nginx.pid" ] && [ -s "$tmp/nginx/$p/nginx.pid.oldbin" ] && break; sleep 0.1; done
  new_pid=$(cat "$tmp/nginx/$p/nginx.pid" 2>/dev/null || true)
  [ -n "$new_pid" ] && pids+=("$new_pid")
  sleep 0.5
  kill -QUIT "$ng_pid"
}
p=$(free_port)
start_ours "$p"
read -r ok failed refused < <(under_load "$p" restart_ours)
new_pid=$(grep -o 'started new process [0-9]*' "$tmp/ours.err" | grep -o '[0-9]*$' | tail -1 || true)
wait "$ours_pid" && code=0 || code=$?
res[usr2.ours]="$ok|$failed|$refused|old exit $code, new pid ${new_pid:-none}"
[ -n "$new_pid" ] && kill -TERM "$new_pid" 2>/dev/null || true
p=$(free_port)
start_nginx "$p" on
read -r ok failed refused < <(under_load "$p" restart_nginx)
wait_gone "$ng_pid" && gone=ended || gone="still running"
new_pid=$(cat "$tmp/nginx/$p/nginx.pid" 2>/dev/null || true)
res[usr2.nginx]="$ok|$failed|$refused|old master $gone, new master ${new_pid:-none}"
[ -n "$new_pid" ] && kill -QUIT "$new_pid" 2>/dev/null || true
sleep 1

# ---- table ----
echo
echo "attacks: $attack_conns connections, ${attack_s} s each; idle: $idle_conns for ${idle_s} s; soak ${soak_s} s; load ${load_s} s"
echo
echo "| case | server | probes answered | probe p99 ms | RSS MB at end | attack held / idle still open |"
echo "|---|---|---|---|---|---|"
for mode in "${modes[@]}" idle; do
  for who in ours nginx; do
    IFS='|' read -r a b c d <<<"${res[$mode.$who]}"
    echo "| $mode | $who | $a | $b | $c | $d |"
  done
done
echo
echo "| soak | server | requests | errors | RSS MB start/max/end | fds start/max/end |"
echo "|---|---|---|---|---|---|"
for who in ours nginx; do
  IFS='|' read -r a b c d <<<"${res[soak.$who]}"
  echo "| mixed endpoints | $who | $a | $b | $c | $d |"
done
echo
echo "| under load | server | answered | failed | refused | note |"
echo "|---|---|---|---|---|---|"
for k in term usr2; do
  for who in ours nginx; do
    IFS='|' read -r a b c d <<<"${res[$k.$who]}"
    echo "| $([ $k = term ] && echo shutdown || echo restart) | $who | $a | $b | $c | $d |"
  done
done
h2_table
