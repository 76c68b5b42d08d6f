#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (-fsanitize=fuzzer,address,undefined)
# and fuzzes the request path for SECONDS (default 60), starting from
# fuzz/corpus and fuzz/regression, then the WebSocket frame path (fuzz_ws) for
# SECONDS/2 from fuzz/corpus_ws and fuzz/regression_ws. Replays the regression
# inputs first: every crash found once stays there as a test. New crashes land
# in build-fuzz/crashes/.
#   usage: fuzz/run.sh [SECONDS]
set -euo pipefail
secs=${1:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
bdir=${HS_FUZZ_BUILD_DIR:-$root/build-fuzz}
CC=clang cmake -S "$root" -B "$bdir" -G Ninja -DHS_BUILD_FUZZ=ON -DHS_BUILD_SERVER=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" >/dev/null
ninja -C "$bdir" fuzz_request fuzz_ws fuzz_h2 >/dev/null
fuzzer="$bdir/fuzz/fuzz_request"
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
echo "fuzz: replaying regression inputs"
mkdir -p "$bdir/crashes"
"$fuzzer" -runs=0 -artifact_prefix="$bdir/crashes/" "$root/fuzz/regression" "$root/fuzz/corpus" 2>&1 | tail -n 3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "fuzz: running for ${secs}s"
"$fuzzer" -max_total_time="$secs" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$bdir/crashes/" -print_final_stats=1 \
  "$work" "$root/fuzz/corpus" "$root/fuzz/regression" 2>&1 | tail -n 15
echo "fuzz: no crash in ${secs}s"

ws_secs=$(( secs / 2 > 0 ? secs / 2 : 1 ))
fuzzer="$bdir/fuzz/fuzz_ws"
echo "fuzz_ws: replaying regression inputs"
mkdir -p "$root/fuzz/regression_ws"
"$fuzzer" -runs=0 -artifact_prefix="$bdir/crashes/ws-" "$root/fuzz/regression_ws" "$root/fuzz/corpus_ws" 2>&1 | tail -n 3
work_ws=$(mktemp -d)
trap 'rm -rf "$work" "$work_ws"' EXIT
echo "fuzz_ws: running for ${ws_secs}s"
"$fuzzer" -max_total_time="$ws_secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$bdir/crashes/ws-" -print_final_stats=1 \
  "$work_ws" "$root/fuzz/corpus_ws" "$root/fuzz/regression_ws" 2>&1 | tail -n 15
echo "fuzz_ws: no crash in ${ws_secs}s"

fuzzer="$bdir/fuzz/fuzz_h2"
echo "fuzz_h2: replaying regression inputs"
mkdir -p "$root/fuzz/regression_h2"
"$fuzzer" -runs=0 -artifact_prefix="$bdir/crashes/h2-" "$root/fuzz/regression_h2" "$root/fuzz/corpus_h2" 2>&1 | tail -n 3
work_h2=$(mktemp -d)
trap 'rm -rf "$work" "$work_ws" "$work_h2"' EXIT
echo "fuzz_h2: running for ${ws_secs}s"
"$fuzzer" -max_total_time="$ws_secs" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
  -artifact_prefix="$bdir/crashes/h2-" -print_final_stats=1 \
  "$work_h2" "$root/fuzz/corpus_h2" "$root/fuzz/regression_h2" 2>&1 | tail -n 15
echo "fuzz_h2: no crash in ${ws_secs}s"
