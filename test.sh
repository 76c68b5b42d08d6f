#!/usr/bin/env bash
# Run every test: unit tests (ctest), CLI golden tests and server integration tests
# (pytest with real clients), all twice: in a normal -Werror build and in an
# ASan+UBSan build; a from-scratch build with CMake's default generator (Unix
# Makefiles, parallel); the multi-worker integration tests in a ThreadSanitizer
# build; a Chromium test of the WebSocket endpoints; then a bounded libFuzzer
# run and a valgrind leak check.
#   FUZZ_SECONDS=60 (0 skips)   SKIP_MAKE=1   SKIP_ASAN=1   SKIP_TSAN=1   SKIP_VALGRIND=1
#   SKIP_DEB=1
set -euo pipefail
cd "$(dirname "$0")"
root=$PWD
scripts/deps.sh test
PY=/usr/bin/python3
export PYTHONDONTWRITEBYTECODE=1

step() { printf '\n==== %s\n' "$*"; }

step "code style (clang-format --dry-run -Werror, .clang-format)"
scripts/check_style.sh

step "layering rules (tests/layers/check_layers.py, docs/ARCHITECTURE.md)"
$PY tests/layers/check_layers.py --self-test
$PY tests/layers/check_layers.py

step "build (gcc, -Werror)"
cmake -S . -B build -G Ninja -DHS_WERROR=ON >/dev/null
ninja -C build

step "unit tests"
ctest --test-dir build --output-on-failure

step "ABI of libhttpstatus.so (nm -D: only hs_ symbols; abidiff against tests/abi/)"
tests/abi/check_abi.sh build

step "install test (pkg-config, shared + static, header alone)"
tests/install_test.sh build

step "instruction-count guard (callgrind per request vs tests/perf/baseline.txt, +5% fails)"
$PY tests/perf/instructions.py --check tests/perf/baseline.txt

if [[ "${SKIP_MAKE:-0}" != 1 ]]; then
  step "build from scratch with Unix Makefiles (parallel), unit tests"
  rm -rf build-make
  cmake -S . -B build-make -G "Unix Makefiles" -DHS_WERROR=ON >/dev/null
  cmake --build build-make -j "$(( $(nproc) > 2 ? $(nproc) : 2 ))" >/dev/null
  ctest --test-dir build-make --output-on-failure >/dev/null
fi

step "CLI golden tests, server integration tests, httpbin differential test"
HTTPSTATUS_BIN=$root/build/httpstatus $PY -m pytest -q -p no:cacheprovider \
  tests/cli tests/integration tests/httpbin_diff

step "browser tests (Chromium + playwright-core + axe-core: tests/browser/ws.mjs, reference.mjs)"
# deps.sh installs chromium, nodejs and npm: a missing piece is a failure, never a skip
# (exit 77 from a test means Chromium or playwright-core/axe-core was not found).
scripts/deps.sh browser
if [[ ! -d tests/browser/node_modules/playwright-core || ! -d tests/browser/node_modules/axe-core ]]; then
  (cd tests/browser && npm ci --no-audit --no-fund >/dev/null)
fi
for t in ws reference; do # reference.mjs saves screenshots in build/screenshots/
  node "tests/browser/$t.mjs" "$root/build/httpstatus"
done

if [[ "${SKIP_ASAN:-0}" != 1 ]]; then
  step "build (ASan + UBSan)"
  cmake -S . -B build-asan -G Ninja -DHS_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug >/dev/null
  ninja -C build-asan
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:halt_on_error=1
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  step "unit tests (ASan + UBSan)"
  ctest --test-dir build-asan --output-on-failure
  step "CLI, integration and httpbin differential tests (ASan + UBSan)"
  HTTPSTATUS_BIN=$root/build-asan/httpstatus HS_SANITIZED=1 \
    $PY -m pytest -q -p no:cacheprovider tests/cli tests/integration tests/httpbin_diff
  unset ASAN_OPTIONS UBSAN_OPTIONS
fi

if [[ "${SKIP_TSAN:-0}" != 1 ]]; then
  step "build (ThreadSanitizer)"
  cmake -S . -B build-tsan -G Ninja -DHS_TSAN=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  ninja -C build-tsan httpstatus_cli httpstatus_serve httpstatus_check
  # Only servers with 2+ workers (threads) run; a report fails the test
  # (conftest.py's SANITIZER_MARKERS, and TSan's exit status 66).
  step "multi-worker integration tests (ThreadSanitizer)"
  TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1:history_size=4 HS_MIN_WORKERS=2 \
    HS_SANITIZED=1 HTTPSTATUS_BIN=$root/build-tsan/httpstatus $PY -m pytest -q -p no:cacheprovider tests/integration
fi

if [[ "${SKIP_DEB:-0}" != 1 ]]; then
  step "Debian packages: dpkg-buildpackage, lintian, dpkg -i (scripts/check_deb.sh; SKIP_DEB=1 skips)"
  scripts/check_deb.sh
fi
step "container image (scripts/check_container.sh: says SKIPPED without a Docker daemon)"
scripts/check_container.sh

if [[ "${FUZZ_SECONDS:-60}" != 0 && -x fuzz/run.sh ]]; then
  step "fuzz (${FUZZ_SECONDS:-60}s)"
  fuzz/run.sh "${FUZZ_SECONDS:-60}"
fi

if [[ "${SKIP_VALGRIND:-0}" != 1 && -x tests/valgrind.sh ]]; then
  step "valgrind leak check"
  tests/valgrind.sh "$root/build/httpstatus"
fi
step "all tests passed"
