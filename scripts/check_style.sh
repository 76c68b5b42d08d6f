#!/usr/bin/env bash
# One code style for every C file we own (.clang-format at the top): fails,
# naming each file, when `clang-format -i` would change anything.
#   scripts/check_style.sh        check;    scripts/check_style.sh --fix   reformat
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t files < <(git ls-files '*.c' '*.h')
if [[ "${1:-}" == --fix ]]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run -Werror "${files[@]}" 2>/tmp/hs-style.$$; then
  grep -o '^[^:]*\.[ch]' /tmp/hs-style.$$ | sort -u | sed 's/^/style: not clang-formatted: /' >&2
  rm -f /tmp/hs-style.$$
  echo "style: run scripts/check_style.sh --fix" >&2
  exit 1
fi
rm -f /tmp/hs-style.$$
