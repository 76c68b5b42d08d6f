# Helpers shared by the bench/ scripts (sourced, not run): the Debian packages
# a script needs, its server binary, a temporary folder and the processes to
# stop at exit, free ports, waiting for a listener, a process's CPU time from
# /proc, and the cores the server and the load generator are pinned to.
#   BENCH_NAME=bench_x; . "$(dirname "$0")/lib.sh"
py=${py:-/usr/bin/python3}
[ -x "$py" ] || py=python3
# bench_require "command:package" ...: installs the packages of the commands
# that are missing (as root), or says which to install and exits.
bench_require() {
  local need=() cmd pkg
  for spec in "$@"; do
    cmd=${spec%%:*} pkg=${spec#*:}
    if [[ $cmd == /* ]]; then [ -x "$cmd" ] || need+=("$pkg"); else command -v "$cmd" >/dev/null || need+=("$pkg"); fi
  done
  [ ${#need[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "installing ${need[*]} (Debian packages)"
    apt-get install -y -q "${need[@]}" >/dev/null
  else
    echo "${BENCH_NAME:-bench}: needs ${need[*]} (apt-get install ${need[*]})" >&2
    exit 1
  fi
}

# bench_binary PATH: exits with a message unless the server binary is built.
bench_binary() {
  [ -x "$1" ] || { echo "${BENCH_NAME:-bench}: no server binary at $1 (build first)" >&2; exit 1; }
}

ncores=$(nproc)
srv_core=0
cli_core=$((ncores > 1 ? 1 : 0))
tmp=$(mktemp -d "/tmp/hs-${BENCH_NAME:-bench}.XXXXXX")
pids=()
bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap bench_cleanup EXIT

# A TCP port nothing listens on now.
free_port() { "$py" -c 'import socket;s=socket.socket();s.bind(("127.0.0.1",0));print(s.getsockname()[1])'; }

# Waits (up to 10 s) until something accepts connections on 127.0.0.1:PORT.
wait_port() {
  for _ in $(seq 200); do
    "$py" -c "import socket;socket.create_connection(('127.0.0.1',$1),timeout=1).close()" 2>/dev/null && return 0
    sleep 0.05
  done
  echo "${BENCH_NAME:-bench}: nothing listening on port $1" >&2
  return 1
}

# "utime stime" of the given processes (all their threads), in clock ticks.
cpu_ticks() {
  local u=0 s=0 pu ps
  for p in "$@"; do
    read -r pu ps < <(awk '{print $14, $15}' "/proc/$p/stat")
    u=$((u + pu))
    s=$((s + ps))
  done
  echo "$u $s"
}

# The temp-file directives of an nginx http block, all under DIR, so that a
# benchmark's nginx writes nothing outside its temporary folder.
nginx_temp_paths() { # DIR
  local d=$1 k
  for k in client_body:cbt proxy:pt fastcgi:ft uwsgi:ut scgi:st; do
    printf '  %s_temp_path %s/%s;\n' "${k%%:*}" "$d" "${k#*:}"
  done
}

# TEXT quoted for nginx's configuration syntax (single quotes, backslash
# escapes), for `return CODE 'text'`: nginx's cheapest way to send a fixed body.
ngx_quote() { # TEXT
  "$py" -c 'import sys; print("\x27" + sys.argv[1].replace("\\", "\\\\").replace("\x27", "\\\x27") + "\x27")' "$1"
}

# Exits unless nginx and ours send the same body for PATH (the benches give
# nginx our bodies so that both put the same bytes on the wire).
same_body() { # NGINX_BASE_URL OUR_BASE_URL PATH
  if [ "$(curl -sk --http1.1 "$1$3")" != "$(curl -sk --http1.1 "$2$3")" ]; then
    echo "${BENCH_NAME:-bench}: nginx's $3 body differs from ours" >&2
    exit 1
  fi
}

# Latency at a fixed rate. At saturation a p99 is mostly the queue behind
# the slower side (and the client's own loop: h2load's p99 came out at ~6 ms
# for every server and setting), so it swings from run to run. fixed_rate_one
# runs h2load with 50 connections at RATE requests per second each for $dur s
# and prints "p50_us p99_us done" from its per-request log (--log-file).
# h2load's pacing sets a floor under these figures (p50 ~0.5 ms at 10 to 50%
# of nginx's rate, for either server): equal rows mean that neither server
# adds to it, and a server that did (a stall, a slow path) would show.
fixed_rate_one() { # RATE URL [h2load options...]
  local rate=$1 url=$2 out
  shift 2
  out=$(taskset -c "$cli_core" h2load "$@" -c 50 --rps "$rate" -D "$dur" -t 1 \
    --log-file="$tmp/fixed-lat" "$url" 2>&1)
  echo "$out" | "$py" -c '
import re, sys
out = sys.stdin.read()
done = int(re.search(r"requests: \d+ total, \d+ started, (\d+) done", out).group(1))
bad = sum(map(int, re.search(r"(\d+) errored, (\d+) timeout", out).groups()))
if bad:
    print("# errors:", out[-400:], file=sys.stderr)
lat = sorted(int(l.split()[2]) for l in open(sys.argv[1]) if l.strip())
pick = lambda q: lat[min(len(lat) - 1, int(len(lat) * q))] if lat else 0
print(pick(0.50), pick(0.99), done)
' "$tmp/fixed-lat"
}

# The per-connection rate that is SHARE (RATE_SHARE, default 0.5) of a
# median total rate, for 50 connections.
fixed_rate_for() { # TOTAL_REQ_PER_S...
  "$py" -c 'import statistics, sys
print(max(1, int(statistics.median(map(float, sys.argv[2:])) * float(sys.argv[1]) / 50)))' \
    "${RATE_SHARE:-0.5}" "$@"
}

# Runs fixed_rate_one REPS times for nginx and ours in turn and prints one
# line: "fixed LABEL  nginx p50 N us p99 N us  ours p50 N us p99 N us  p99
# ratio R" (medians of the runs; bench/all.sh reads it).
fixed_rate_pair() { # LABEL RATE NGINX_URL OUR_URL [h2load options...]
  local label=$1 rate=$2 ng=$3 ours=$4 i
  shift 4
  : >"$tmp/fixed-rows"
  for i in $(seq "$reps"); do
    echo "nginx $(fixed_rate_one "$rate" "$ng" "$@")" >>"$tmp/fixed-rows"
    echo "ours $(fixed_rate_one "$rate" "$ours" "$@")" >>"$tmp/fixed-rows"
  done
  "$py" - "$tmp/fixed-rows" "$label" "$((rate * 50))" <<'PY'
import statistics, sys
rows = [l.split() for l in open(sys.argv[1])]
med = {n: [statistics.median(float(r[k]) for r in rows if r[0] == n) for k in (1, 2)]
       for n in ("nginx", "ours")}
(n50, n99), (o50, o99) = med["nginx"], med["ours"]
print(f"fixed {sys.argv[2]:34} nginx p50 {n50:6.0f} us p99 {n99:6.0f} us  "
      f"ours p50 {o50:6.0f} us p99 {o99:6.0f} us  p99 ratio {o99 / max(n99, 1):4.2f}"
      f"  ({sys.argv[3]} req/s)")
PY
}
