#!/usr/bin/env bash
# Builds the libFuzzer harnesses with clang (-fsanitize=fuzzer,address,undefined)
# and fuzzes each from its corpus and regression folder (fuzz/corpus_NAME,
# fuzz/regression_NAME; fuzz_request has fuzz/corpus, fuzz/regression and the
# dictionary fuzz/request.dict). Replays the regression inputs first: every
# crash found once stays there as a test. New crashes land in
# build-fuzz/crashes/.
#
#   fuzz/run.sh [SECONDS]
#     short runs (test.sh's fuzz step): the HTTP/1 request path for SECONDS
#     (default 60), the WebSocket and HTTP/2 paths for SECONDS/2 each, and the
#     body, credential and field parsers (multipart, digest, json, range), the
#     REST playground's engines (rest), the lint readers (lint_text, lint_har),
#     the FTP session (ftp) and the upstream response reader (upstream) for
#     SECONDS/4 each.
#   fuzz/run.sh --long MINUTES [NAME...]
#     long runs: each named harness (default: all) for MINUTES, JOBS at a time
#     (default 2), growing a corpus kept in build-fuzz/corpus/NAME between
#     runs; ends with each one's final coverage (libFuzzer's cov and ft) and
#     its log in build-fuzz/logs/NAME.log.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bdir=${HS_FUZZ_BUILD_DIR:-$root/build-fuzz}
all=(fuzz_request fuzz_ws fuzz_h2 fuzz_multipart fuzz_digest fuzz_json fuzz_range fuzz_rest
     fuzz_lint_text fuzz_lint_har fuzz_ftp fuzz_upstream)

long=0
if [[ ${1:-} == --long ]]; then
  long=1
  minutes=${2:?usage: fuzz/run.sh --long MINUTES [NAME...]}
  shift 2
  names=("$@")
  [[ ${#names[@]} -gt 0 ]] || names=("${all[@]}")
else
  secs=${1:-60}
  names=("${all[@]}")
fi

CC=clang cmake -S "$root" -B "$bdir" -G Ninja -DHS_BUILD_FUZZ=ON -DHS_BUILD_SERVER=ON \
  -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug \
  -DCMAKE_C_FLAGS="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined" >/dev/null
ninja -C "$bdir" "${names[@]}" >/dev/null
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
mkdir -p "$bdir/crashes"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# harness_args NAME: "MAX_LEN CORPUS REGRESSION CRASH_PREFIX [DICT]"
harness_args() {
  local f=$root/fuzz
  case $1 in
    fuzz_request) echo "4096 $f/corpus $f/regression '' $f/request.dict" ;;
    fuzz_ws) echo "8192 $f/corpus_ws $f/regression_ws ws-" ;;
    fuzz_h2) echo "8192 $f/corpus_h2 $f/regression_h2 h2-" ;;
    fuzz_*) local s=${1#fuzz_}; echo "4096 $f/corpus_$s $f/regression_$s $s-" ;;
    *) echo "fuzz/run.sh: no harness $1" >&2; exit 2 ;;
  esac
}

# What run_harness prints of libFuzzer's output: the summary, stack traces and
# reports (short runs); everything (long runs: their logs).
keep='^(#[0-9]+[[:space:]]+DONE|stat::|==[0-9]+==|SUMMARY| +#[0-9]+ )|Test unit|runtime error'
[[ $long == 1 ]] && keep='.'

# run_harness NAME SECONDS OUT_CORPUS: replays, then fuzzes; prints the tail
run_harness() {
  local name=$1 t=$2 out=$3 max_len corpus regression prefix dict
  read -r max_len corpus regression prefix dict <<<"$(harness_args "$name")"
  prefix=${prefix//\'/}
  local fuzzer="$bdir/fuzz/$name" opts=()
  [[ -n ${dict:-} ]] && opts+=("-dict=$dict")
  mkdir -p "$regression" "$corpus" "$out"
  echo "$name: replaying regression inputs"
  "$fuzzer" -runs=0 -artifact_prefix="$bdir/crashes/$prefix" "$regression" "$corpus" 2>&1 | tail -n 1
  echo "$name: running for ${t}s"
  "$fuzzer" -max_total_time="$t" -max_len="$max_len" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$bdir/crashes/$prefix" -print_final_stats=1 "${opts[@]}" \
    "$out" "$corpus" "$regression" 2>&1 | grep -E "$keep"
  echo "$name: no crash in ${t}s"
}

if [[ $long == 0 ]]; then
  for name in "${names[@]}"; do
    case $name in
      fuzz_request) t=$secs ;;
      fuzz_ws | fuzz_h2) t=$(( secs / 2 > 0 ? secs / 2 : 1 )) ;;
      *) t=$(( secs / 4 > 0 ? secs / 4 : 1 )) ;;
    esac
    run_harness "$name" "$t" "$work/$name"
  done
  exit 0
fi

jobs_max=${JOBS:-2}
mkdir -p "$bdir/logs"
running=()
failed=0
for name in "${names[@]}"; do
  while (( ${#running[@]} >= jobs_max )); do
    wait -n || failed=1
    alive=()
    for p in "${running[@]}"; do kill -0 "$p" 2>/dev/null && alive+=("$p"); done
    running=("${alive[@]}")
  done
  echo "$name: ${minutes} min, log in $bdir/logs/$name.log"
  run_harness "$name" $(( minutes * 60 )) "$bdir/corpus/$name" >"$bdir/logs/$name.log" 2>&1 &
  running+=("$!")
done
for p in "${running[@]}"; do wait "$p" || failed=1; done
for name in "${names[@]}"; do
  printf '%-16s %s\n' "$name" "$(grep -E '#[0-9]+[[:space:]]+DONE' "$bdir/logs/$name.log" | tail -n 1 |
    sed -E 's/.*(cov: [0-9]+ ft: [0-9]+ corp: [^ ]+).*(exec\/s: [0-9]+).*/\1 \2/')"
  grep -q "no crash" "$bdir/logs/$name.log" || { echo "  $name: CRASH, see its log"; failed=1; }
done
exit $failed
