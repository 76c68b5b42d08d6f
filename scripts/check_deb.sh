#!/usr/bin/env bash
# Builds the Debian packages (debian/) from a copy of this tree, checks them
# with lintian (no error, no warning), then installs them with dpkg -i and
# tries them: `httpstatus 404`, the systemd units in place, and a program built
# against libhttpstatus-dev through `pkg-config --cflags --libs httpstatus`.
# The packages are purged at the end.
#
#   usage: scripts/check_deb.sh            (env: DEB_INSTALL=0 skips installing,
#                                           KEEP=1 keeps the build directory,
#                                           DEB_DIR=DIR checks the packages of an
#                                           earlier KEEP=1 run without rebuilding)
# Needs dpkg-dev, debhelper, lintian and the build dependencies of
# debian/control (scripts/deps.sh test); installing needs root. Says
# SKIPPED, with the reason, when a tool is missing; fails on any problem.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
for tool in dpkg-buildpackage dh lintian; do
  if ! command -v "$tool" >/dev/null; then
    echo "check_deb: SKIPPED: $tool is missing (scripts/deps.sh package installs it)"
    exit 0
  fi
done
version=$(dpkg-parsechangelog -l "$root/debian/changelog" -S Version)
if [[ -n "${DEB_DIR:-}" ]]; then
  tmp=$DEB_DIR
  KEEP=1
else
  tmp=$(mktemp -d /tmp/hs-deb.XXXXXX)
fi
cleanup() { [[ "${KEEP:-0}" == 1 ]] || rm -rf "$tmp"; }
trap cleanup EXIT
if [[ -z "${DEB_DIR:-}" ]]; then
  src=$tmp/httpstatus-$version
  mkdir -p "$src"
  # the tracked and new files of the working tree, no build directories
  (cd "$root" && git ls-files -co --exclude-standard -z | tar --null -T - -cf -) |
    tar -xf - -C "$src"
  echo "check_deb: dpkg-buildpackage -us -uc -b in $src"
  (cd "$src" && dpkg-buildpackage -us -uc -b -j2) >"$tmp/build.log" 2>&1 || {
    tail -40 "$tmp/build.log"
    echo "check_deb: FAILED: dpkg-buildpackage (log: $tmp/build.log)"
    KEEP=1
    exit 1
  }
fi
changes=$(ls "$tmp"/httpstatus_"$version"_*.changes)
ls "$tmp"/*.deb

echo "check_deb: lintian"
if ! lintian --fail-on error,warning --tag-display-limit 0 "$changes" | tee "$tmp/lintian.txt"; then
  echo "check_deb: FAILED: lintian reports errors or warnings"
  exit 1
fi
if grep -E '^(E|W): ' "$tmp/lintian.txt"; then
  echo "check_deb: FAILED: lintian reports errors or warnings"
  exit 1
fi

if [[ "${DEB_INSTALL:-1}" != 1 ]]; then
  echo "check_deb: install test SKIPPED (DEB_INSTALL=0)"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "check_deb: install test SKIPPED: dpkg -i needs root"
  exit 0
fi
echo "check_deb: dpkg -i"
dpkg -i "$tmp"/httpstatus_"$version"_*.deb "$tmp"/libhttpstatus0_"$version"_*.deb \
  "$tmp"/libhttpstatus-dev_"$version"_*.deb
purge() { dpkg -P httpstatus libhttpstatus-dev libhttpstatus0 >/dev/null || true; cleanup; }
trap purge EXIT
out=$(/usr/bin/httpstatus 404)
printf '%s\n' "$out" | sed -n 1,3p
grep -q "Not Found" <<<"$out"
for u in httpstatus.service httpstatus.socket; do
  test -f "/lib/systemd/system/$u" || { echo "check_deb: FAILED: /lib/systemd/system/$u missing"; exit 1; }
done
[[ $(/usr/bin/httpstatus serve --help) == *--metrics-listen* ]]
cat >"$tmp/use.c" <<'C'
#include <httpstatus/registry.h>
#include <stdio.h>
int main(void) {
  const hs_status_t *s = hs_lookup(HS_NS_HTTP, 418);
  if (!s)
    return 1;
  printf("%d %s\n", s->code, s->phrase);
  return 0;
}
C
# shellcheck disable=SC2046
cc -o "$tmp/use" "$tmp/use.c" $(pkg-config --cflags --libs httpstatus)
echo "check_deb: pkg-config --libs httpstatus: $(pkg-config --libs httpstatus)"
"$tmp/use" | tee "$tmp/use.out"
grep -q "^418 " "$tmp/use.out"
ldd "$tmp/use" | grep -q "libhttpstatus.so.0 => /lib/\|libhttpstatus.so.0 => /usr/lib/"
echo "check_deb: OK"
