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
