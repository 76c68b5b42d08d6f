#!/usr/bin/env bash
# Guards the ABI of libhttpstatus.so (./test.sh runs it on the -Werror build):
#  1. `nm -D` lists only hs_ symbols (no hs__ internals, nothing else);
#  2. abidiff (Debian abigail-tools) finds no change against the checked-in
#     baseline tests/abi/libhttpstatus.abi.
# After a deliberate, compatible API addition, refresh the baseline and review it:
#   tests/abi/check_abi.sh BUILD_DIR --update
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:?usage: tests/abi/check_abi.sh BUILD_DIR [--update]}
so=$(readlink -f "$build/src/registry/libhttpstatus.so")
base=tests/abi/libhttpstatus.abi

# defined dynamic symbols except the version node (type A)
bad=$(nm -D --defined-only "$so" | awk '$2 != "A" {print $3}' | sed 's/@.*//' | grep -v '^hs_[a-z]' || true)
if [[ -n $bad ]]; then
  echo "abi: libhttpstatus.so exports symbols outside the hs_ API:" >&2
  echo "$bad" | sed 's/^/  /' >&2
  exit 1
fi
echo "abi: nm -D lists $(nm -D --defined-only "$so" | awk '$2 != "A"' | wc -l) symbols, all hs_"

if [[ ${2:-} == --update ]]; then
  abidw --headers-dir include/httpstatus --no-corpus-path --no-show-locs --drop-private-types --out-file "$base" "$so"
  echo "abi: baseline $base written"
  exit 0
fi
set +e
abidiff --headers-dir2 include/httpstatus "$base" "$so" >/tmp/hs-abidiff.$$ 2>&1
rc=$?
set -e
if [[ $rc -ne 0 ]]; then
  cat /tmp/hs-abidiff.$$ >&2
  rm -f /tmp/hs-abidiff.$$
  if (( rc & 8 )); then
    echo "abi: INCOMPATIBLE change against $base (abidiff exit $rc)" >&2
  else
    echo "abi: the ABI changed against $base (abidiff exit $rc); if deliberate and" \
      "compatible, run tests/abi/check_abi.sh $build --update and review the diff" >&2
  fi
  exit 1
fi
rm -f /tmp/hs-abidiff.$$
echo "abi: abidiff finds no change against $base"
