#!/usr/bin/env bash
# FTP, side by side in one run: `httpstatus serve --workers 1 --ftp-listen`
# and pyftpdlib (Debian python3-pyftpdlib, one process,
# bench/pyftpdlib_server.py). bench/ftp_load.c runs COUNT sessions (default
# 2000, CONC at once, default 4), each a new control connection: anonymous
# login, TYPE I, PASV, RETR of a 1 KiB file (/pub/1k.bin on both), QUIT.
# Servers on core 0, the load on core 1, REPS runs each (default 5),
# interleaved. Prints sessions per second and the server's CPU time per
# transfer (on-CPU time from /proc/PID/schedstat: every server here is one
# thread), their medians, and the ratio pyftpdlib / ours. About 1 minute.
#
#   usage: bench/bench_ftp.sh          (env: HTTPSTATUS_BIN, REPS, COUNT, CONC)
set -euo pipefail
BENCH_NAME=bench_ftp
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
bin=${HTTPSTATUS_BIN:-$root/build/httpstatus}
reps=${REPS:-5}
count=${COUNT:-2000}
conc=${CONC:-4}
bench_binary "$bin"
bench_require taskset:util-linux cc:gcc
"$py" -c 'import pyftpdlib' 2>/dev/null || bench_require /usr/lib/python3/dist-packages/pyftpdlib:python3-pyftpdlib
"$py" -c 'import pyftpdlib' || { echo "bench_ftp: needs python3-pyftpdlib" >&2; exit 1; }
cc -O2 -o "$tmp/ftp_load" "$root/bench/ftp_load.c"
mkdir -p "$tmp/root/pub"
head -c 1024 /dev/urandom >"$tmp/root/pub/1k.bin"

# on-CPU nanoseconds of a single-threaded process
cpu_ns() { awk '{print $1}' "/proc/$1/schedstat"; }

start_ours() {
  rm -f "$tmp/ours.err"
  taskset -c "$srv_core" "$bin" serve --listen 127.0.0.1:0 --workers 1 --access-log off \
    --ftp-listen 127.0.0.1:0 --ftp-max-sessions 1000 --ftp-max-per-ip 0 \
    2>"$tmp/ours.err" >/dev/null &
  srv_pid=$!
  pids+=("$srv_pid")
  for _ in $(seq 200); do
    srv_port=$(grep -so 'listening on ftp://127.0.0.1:[0-9]*' "$tmp/ours.err" | grep -o '[0-9]*$' || true)
    [ -n "$srv_port" ] && return
    sleep 0.05
  done
  echo "bench_ftp: our server did not start" >&2
  exit 1
}

start_pyftpdlib() {
  srv_port=$(free_port)
  taskset -c "$srv_core" "$py" "$root/bench/pyftpdlib_server.py" "$srv_port" "$tmp/root" \
    >/dev/null 2>&1 &
  srv_pid=$!
  pids+=("$srv_pid")
  wait_port "$srv_port"
}

# run NAME: one measured run; appends "rate ns_per_transfer" to $tmp/NAME
run() {
  local name=$1
  "start_$name"
  taskset -c "$cli_core" "$tmp/ftp_load" "$srv_port" /pub/1k.bin 1024 50 "$conc" >/dev/null # warm-up
  local c0 out c1 t0 t1
  c0=$(cpu_ns "$srv_pid")
  t0=$(cpu_ticks "$srv_pid")
  out=$(taskset -c "$cli_core" "$tmp/ftp_load" "$srv_port" /pub/1k.bin 1024 "$count" "$conc")
  c1=$(cpu_ns "$srv_pid")
  t1=$(cpu_ticks "$srv_pid")
  kill "$srv_pid"
  wait "$srv_pid" 2>/dev/null || true
  read -r n secs <<<"$out"
  [ "$n" = "$count" ] || { echo "bench_ftp: $name failed" >&2; exit 1; }
  read -r u0 s0 <<<"$t0"
  read -r u1 s1 <<<"$t1"
  # sessions/s, on-CPU us per transfer, user share of the CPU ticks (%)
  awk -v n="$n" -v s="$secs" -v c=$((c1 - c0)) -v u=$((u1 - u0)) -v k=$((s1 - s0)) \
    'BEGIN {printf "%.0f %.1f %.0f\n", n / s, c / n / 1000, (u + k) ? 100 * u / (u + k) : 0}' \
    >>"$tmp/$name"
  read -r rate us share < <(tail -n1 "$tmp/$name")
  printf '  %-10s %6.0f sessions/s  %7.1f us CPU per transfer (%s%% of it user space)\n' \
    "$name" "$rate" "$us" "$share"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

echo "FTP: $count sessions x (login, PASV, RETR 1 KiB, QUIT), $conc at once, $reps runs each"
for r in $(seq "$reps"); do
  echo "run $r"
  run ours
  run pyftpdlib
done
ours_cpu=$(cut -d' ' -f2 "$tmp/ours" | median)
py_cpu=$(cut -d' ' -f2 "$tmp/pyftpdlib" | median)
ours_rate=$(cut -d' ' -f1 "$tmp/ours" | median)
ours_user=$(cut -d' ' -f3 "$tmp/ours" | median)
py_user=$(cut -d' ' -f3 "$tmp/pyftpdlib" | median)
py_rate=$(cut -d' ' -f1 "$tmp/pyftpdlib" | median)
echo "medians:"
printf '  httpstatus  %6.0f sessions/s  %7.1f us CPU per transfer (%s%% user)\n' "$ours_rate" \
  "$ours_cpu" "$ours_user"
printf '  pyftpdlib   %6.0f sessions/s  %7.1f us CPU per transfer (%s%% user; %s)\n' "$py_rate" \
  "$py_cpu" "$py_user" "$("$py" -c 'import pyftpdlib; print("pyftpdlib", pyftpdlib.__ver__)')"
awk -v a="$py_cpu" -v b="$ours_cpu" -v pu="$py_user" -v ou="$ours_user" 'BEGIN {
  printf "ratio pyftpdlib / httpstatus, CPU per transfer: %.1fx", a / b
  if (ou > 0) printf " (user space alone: %.0fx)", (a * pu) / (b * ou)
  printf "\n" }'
