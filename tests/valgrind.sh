#!/usr/bin/env bash
# Leak check under valgrind: CLI commands, then the server through a short run of
# real requests ended by SIGTERM. Exits non-zero on any leak or memory error.
#   tests/valgrind.sh BUILD/httpstatus
set -uo pipefail
bin=${1:?usage: tests/valgrind.sh path/to/httpstatus}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT
srv=
vg=(valgrind --quiet --trace-children=yes --leak-check=full --show-leak-kinds=definite,indirect,possible
    --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99)
fail=0

while read -r line; do
  [[ -z "$line" ]] && continue
  read -ra args <<<"$line"
  "${vg[@]}" --log-file="$tmp/cli.log" "$bin" "${args[@]}" >/dev/null 2>&1
  rc=$?
  if [[ $rc -eq 99 || -s "$tmp/cli.log" ]]; then
    echo "valgrind: memory errors or leaks in 'httpstatus $line' (exit $rc)"
    cat "$tmp/cli.log"
    fail=1
  fi
done <<'CMDS'
404
4xx
499
search too many
search 超时
search teapto
ftp 530
ws 1008
iis 403.14
iis 404
--json list all
--json search timeout
299
--lang zh 503
list classes
no-such-name
--frobnicate
CMDS
echo "valgrind: CLI checked"

if "$bin" serve --help >/dev/null 2>&1; then
  free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
  port=$(free_port) tls_port=$(free_port) h2c_port=$(free_port)
  "${vg[@]}" --log-file="$tmp/srv.log" "$bin" serve --listen "127.0.0.1:$port" --workers 1 --drain-timeout 1s \
      --tls-listen "127.0.0.1:$tls_port" --tls-dir "$tmp/tls" --h2c-listen "127.0.0.1:$h2c_port" \
      --access-log off >/dev/null 2>&1 &
  srv=$!
  /usr/bin/python3 "$here/valgrind_traffic.py" "$port"
  tr=$?
  if [[ $tr -eq 0 ]]; then
    /usr/bin/python3 "$here/valgrind_traffic_h2.py" "$port" "$tls_port" "$h2c_port" "$tmp/tls/ca.pem"
    tr=$?
  fi
  kill -TERM "$srv"
  wait "$srv"
  rc=$?
  srv=
  if [[ $tr -ne 0 ]]; then echo "valgrind: traffic script failed ($tr)"; fail=1; fi
  if [[ $rc -eq 99 || -s "$tmp/srv.log" ]]; then
    echo "valgrind: memory errors or leaks in the server (exit $rc)"
    cat "$tmp/srv.log"
    fail=1
  else
    echo "valgrind: server checked (exit $rc)"
  fi
fi
exit $fail
