#!/usr/bin/env bash
# Make sure the Debian packages a task needs are installed.
#   scripts/deps.sh build|test|bench|browser ...
# As root it installs what is missing with apt-get; otherwise it prints the exact
# apt line to run and exits 1.
set -euo pipefail

build_pkgs=(cmake ninja-build gcc pkg-config python3 libuv1-dev node-llhttp libjansson-dev zlib1g-dev libwslay-dev
            libbrotli-dev libzstd-dev libssl-dev libnghttp2-dev python3-pil
            libsqlite3-dev libhiredis-dev # the REST playground's SQLite and Redis stores
            libcurl4-openssl-dev) # libcurl: httpstatus-check (check, lint)
test_pkgs=(python3-pytest python3-jsonschema python3-requests python3-brotli python3-httpx python3-websockets python3-h2 nghttp2-client curl clang clang-format libclang-rt-14-dev
           libtsan2 python3-httpbin gunicorn
           valgrind abigail-tools python3-wsproto
           prometheus systemd python3-yaml dpkg-dev debhelper lintian # operations (issue 22)
           redis-server # tests/integration/test_rest*.py start their own
           lftp python3-pyftpdlib # FTP clients and peer (issue 23)
           nginx iproute2) # nginx: the gateway tests' upstream; iproute2: ss
bench_pkgs=(wrk nginx httpcode hyperfine python3-httpbin gunicorn util-linux valgrind slowhttptest curl
            python3-pyftpdlib)
browser_pkgs=(chromium fonts-wqy-zenhei nodejs) # tests/browser (the CJK font makes Chinese
                                               # render as glyphs; npm: below)

want=()
for group in "$@"; do
  case "$group" in
    build) want+=("${build_pkgs[@]}") ;;
    test) want+=("${build_pkgs[@]}" "${test_pkgs[@]}") ;;
    bench) want+=("${build_pkgs[@]}" "${bench_pkgs[@]}") ;;
    browser) want+=("${browser_pkgs[@]}") ;;
    *) echo "deps.sh: unknown group '$group' (build, test, bench, browser)" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# npm: Debian's nodejs leaves it to the npm package; a nodejs built elsewhere (NodeSource)
# ships it and conflicts with that package, so ask for the package only when npm is absent.
for group in "$@"; do
  if [[ $group == browser ]] && ! command -v npm >/dev/null; then
    missing+=(npm)
  fi
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -eq 0 ]]; then
  echo "deps.sh: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "deps.sh: missing Debian packages. Run:" >&2
  echo "  sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
