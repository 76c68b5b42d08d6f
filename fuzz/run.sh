#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (-fsanitize=fuzzer,address,undefined)
# and fuzzes, each from its corpus and regression folder: the HTTP/1 request
# path (fuzz_request: fuzz/corpus, fuzz/regression) for SECONDS (default 60),
# then the WebSocket frame path (fuzz_ws: fuzz/corpus_ws, fuzz/regression_ws)
# and the HTTP/2 path (fuzz_h2: fuzz/corpus_h2, fuzz/regression_h2) for
# SECONDS/2 each. Replays the regression inputs first: every crash found once
# stays there as a test. New crashes land in build-fuzz/crashes/.
#   usage: fuzz/run.sh [SECONDS]
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bdir=${HS_FUZZ_BUILD_DIR:-$root/build-fuzz}
CC=clang cmake -S "$root" -B "$bdir" -G Ninja -DHS_BUILD_FUZZ=ON -DHS_BUILD_SERVER=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" >/dev/null
ninja -C "$bdir" fuzz_request fuzz_ws fuzz_h2 >/dev/null
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
mkdir -p "$bdir/crashes"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# run_harness NAME SECONDS MAX_LEN CORPUS REGRESSION CRASH_PREFIX
run_harness() {
  local name=$1 t=$2 max_len=$3 corpus=$4 regression=$5 prefix=$6
  local fuzzer="$bdir/fuzz/$name"
  mkdir -p "$regression" "$work/$name"
  echo "$name: replaying regression inputs"
  "$fuzzer" -runs=0 -artifact_prefix="$bdir/crashes/$prefix" "$regression" "$corpus" 2>&1 | tail -n 3
  echo "$name: running for ${t}s"
  "$fuzzer" -max_total_time="$t" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$bdir/crashes/$prefix" -print_final_stats=1 \
    "$work/$name" "$corpus" "$regression" 2>&1 | tail -n 15
  echo "$name: no crash in ${t}s"
}

half=$(( secs / 2 > 0 ? secs / 2 : 1 ))
run_harness fuzz_request "$secs" 4096 "$root/fuzz/corpus" "$root/fuzz/regression" ""
run_harness fuzz_ws "$half" 8192 "$root/fuzz/corpus_ws" "$root/fuzz/regression_ws" "ws-"
run_harness fuzz_h2 "$half" 8192 "$root/fuzz/corpus_h2" "$root/fuzz/regression_h2" "h2-"
