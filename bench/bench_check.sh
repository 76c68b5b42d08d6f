#!/usr/bin/env bash
# Times `httpstatus check` (start-up alone, and one request to a local
# `httpstatus serve`) against `curl -w` with a timing template, and against
# Python running that curl (what httpstat does: httpstat itself is on PyPI
# only, not in Debian, so the stand-in is the same Python-wraps-curl shape),
# all in one hyperfine run; prints medians and ratios, then instruction counts
# of one check and one curl under callgrind (steadier than wall time here).
#   bench/bench_check.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh bench
build=${1:-build}
[[ -x $build/httpstatus-check ]] || { cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null; ninja -C "$build"; }
bin=$(realpath "$build/httpstatus")
out=$(mktemp -d)
"$bin" serve --listen 127.0.0.1:0 --workers 1 2>"$out/serve.err" >/dev/null &
srv=$!
trap 'kill $srv 2>/dev/null; wait $srv 2>/dev/null; rm -rf "$out"' EXIT
for _ in $(seq 50); do
  port=$(grep -oE 'listening on http://127\.0\.0\.1:[0-9]+' "$out/serve.err" | grep -oE '[0-9]+$' || true)
  [[ -n $port ]] && break
  sleep 0.1
done
[[ -n $port ]] || { echo "bench_check: the server did not start" >&2; exit 1; }
url="http://127.0.0.1:$port/status/200"
fmt='dns %{time_namelookup} connect %{time_connect} tls %{time_appconnect} first %{time_starttransfer} total %{time_total}\n'
cat >"$out/httpstat_like.py" <<PY
import subprocess, sys
# httpstat's shape: Python starts, runs curl -w with a timing template, prints it
r = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", sys.argv[2], sys.argv[1]],
                   capture_output=True, text=True)
print(r.stdout)
PY

hyperfine -N --warmup 5 --runs 40 --export-json "$out/check.json" \
  -n "check start-up" "$bin check --help" \
  -n "check URL" "$bin check $url" \
  -n "check --json URL" "$bin check --json $url" \
  -n "curl -w" "curl -s -o /dev/null -w '$fmt' $url" \
  -n "python+curl (httpstat-like)" "/usr/bin/python3 $out/httpstat_like.py $url '$fmt'" >/dev/null

/usr/bin/python3 - "$out/check.json" <<'PY'
import json, sys
res = {r["command"]: r["median"] * 1000 for r in json.load(open(sys.argv[1]))["results"]}
print("wall time, median of 40 runs (ms), one request to a local httpstatus serve:")
for k, v in res.items():
    print(f"  {k:<28} {v:8.2f} ms")
c = res["check URL"]
print(f"  check URL / curl -w                 = {c / res['curl -w']:5.2f}x")
print(f"  python+curl (httpstat-like) / check = {res['python+curl (httpstat-like)'] / c:5.2f}x")
PY

if command -v valgrind >/dev/null; then
  count() { valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
            grep -oE 'Collected : [0-9]+' | grep -oE '[0-9]+'; }
  ic=$(count "$build/httpstatus-check" check "$url")
  cc=$(count curl -s -o /dev/null -w "$fmt" "$url")
  echo "instructions (callgrind), one request: httpstatus-check $ic, curl $cc" \
       "(ratio $(/usr/bin/python3 -c "print(f'{$ic / $cc:.2f}')")x)"
fi
