#!/usr/bin/env bash
# Installs the build into a temporary prefix and checks what a user of the library
# gets: the header compiles on its own (C and C++), pkg-config finds the library,
# a program links against the shared and the static library and runs, the man
# pages and bash completion are installed.   tests/install_test.sh BUILD_DIR
set -euo pipefail
build=${1:?usage: tests/install_test.sh BUILD_DIR}
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null
libdir=$(find "$prefix" -name 'httpstatus.pc' -printf '%h\n' | head -1)
export PKG_CONFIG_PATH=$libdir
cat >"$prefix/t.c" <<'C'
#include <httpstatus/registry.h>
#include <stdio.h>
#include <string.h>
int main(void) {
  const hs_status_t *s = hs_lookup(HS_NS_HTTP, 413);
  hs_hit_t h[3];
  if (!s || strcmp(s->phrase, "Content Too Large") != 0) return 1;
  if (hs_search("teapot", 0, h, 3) < 1 || h[0].status->code != 418) return 2;
  printf("%d %s / %s\n", s->code, s->phrase, s->aliases[0]);
  return 0;
}
C
echo '#include <httpstatus/registry.h>' >"$prefix/h.c"
cc -std=c17 -Wall -Wextra -Werror -pedantic $(pkg-config --cflags httpstatus) -c "$prefix/h.c" -o "$prefix/h.o"
if command -v g++ >/dev/null; then
  g++ -x c++ -Wall -Werror $(pkg-config --cflags httpstatus) -c "$prefix/h.c" -o "$prefix/hpp.o"
fi
cc -std=c17 $(pkg-config --cflags httpstatus) "$prefix/t.c" $(pkg-config --libs httpstatus) -o "$prefix/t-shared"
LD_LIBRARY_PATH=$(pkg-config --variable=libdir httpstatus) "$prefix/t-shared"
cc -std=c17 $(pkg-config --cflags httpstatus) "$prefix/t.c" "$(pkg-config --variable=libdir httpstatus)/libhttpstatus.a" -o "$prefix/t-static"
"$prefix/t-static" >/dev/null
test -x "$prefix/bin/httpstatus"
test -x "$prefix/bin/httpstatus-serve"
test -f "$prefix/share/man/man1/httpstatus.1"
test -f "$prefix/share/man/man3/libhttpstatus.3"
test -f "$prefix/share/bash-completion/completions/httpstatus"
man -l "$prefix/share/man/man1/httpstatus.1" >/dev/null 2>&1 || true
echo "install test: 1 passed, 0 failed"
