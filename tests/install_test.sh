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
  /* the stable API: constants, accessors, runtime version check, query parser */
  hs_query_t q;
  if (!HS_VERSION_OK() || hs_status_code(hs_lookup(HS_NS_WS, HS_WS_POLICY_VIOLATION)) != 1008)
    return 3;
  if (hs_parse_query("HTTP/1.1 503 Service Unavailable", -1, &q) != HS_Q_CODE || q.code != 503)
    return 4;
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
test -f "$prefix/share/zsh/site-functions/_httpstatus"
test -f "$prefix/share/fish/vendor_completions.d/httpstatus.fish"
test -f "$prefix/include/httpstatus/codes.h"
bash -n "$prefix/share/bash-completion/completions/httpstatus"
if command -v zsh >/dev/null; then zsh -n "$prefix/share/zsh/site-functions/_httpstatus"; fi
if command -v fish >/dev/null; then fish -n "$prefix/share/fish/vendor_completions.d/httpstatus.fish"; fi
man -l "$prefix/share/man/man1/httpstatus.1" >/dev/null 2>&1 || true
echo "install test: 1 passed, 0 failed"
