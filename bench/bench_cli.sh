#!/usr/bin/env bash
# Times `httpstatus 418` against Debian's `hc 418` (package httpcode) and the
# Python one-liner, side by side in one hyperfine run, and prints median wall
# times and ratios; then runs the registry micro-benchmark (ns per lookup).
#   bench/bench_cli.sh [BUILD_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh bench
build=${1:-build}
[[ -x $build/httpstatus ]] || { cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null; ninja -C "$build"; }
bin=$(realpath "$build/httpstatus")
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

hyperfine -N --warmup 5 --runs 60 --export-json "$out/cli.json" \
  -n httpstatus "$bin 418" \
  -n hc "hc 418" \
  -n python "/usr/bin/python3 -c 'import http; print(http.HTTPStatus(418).phrase)'" >/dev/null

/usr/bin/python3 - "$out/cli.json" <<'PY'
import json, sys
res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
med = {k: v["median"] * 1000 for k, v in res.items()}
print("CLI wall time, median of 60 runs (ms):")
for k in ("httpstatus", "hc", "python"):
    print(f"  {k:<11} {med[k]:8.3f} ms")
print(f"  hc / httpstatus     = {med['hc'] / med['httpstatus']:6.1f}x  (target >= 20x)")
print(f"  python / httpstatus = {med['python'] / med['httpstatus']:6.1f}x  (target >= 5x)")
PY
echo
ninja -C "$build" bench_lookup >/dev/null
"$build/bench/bench_lookup"
