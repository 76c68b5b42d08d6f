#!/usr/bin/env python3
"""The layering rules of docs/ARCHITECTURE.md, checked on the source tree.

    /usr/bin/python3 tests/layers/check_layers.py [SRC_DIR]     (default: src/)
    /usr/bin/python3 tests/layers/check_layers.py --self-test

Rules:
  1. A layer includes headers only from itself and the layers below it:
       base < httpbin, ws, gateway < http < handlers < server   (registry and cli apart)
     base includes nothing of ours; httpbin and ws only base; http only base
     (and the public registry header); gateway only base; handlers anything but server, and the
     registry's internal record JSON writer (registry/record_json.h); server
     anything.
  2. Handlers never see the wire: no CRLF text ("\\r\\n"), no output buffer
     (`->out`), no connection flag (`->close`), no sink calls (`->sink`), no
     HTTP/1 status lines in src/handlers/. One exception, by name:
     src/handlers/ref_example.c writes the *example* exchanges shown on the
     web reference's pages (text people read, never sent as a response), so
     the status-line pattern does not apply to it; every other rule does.
Exit status 0 when every rule holds; otherwise each violation is printed as
FILE:LINE: rule and the status is 1. --self-test builds a small tree that
breaks each rule and checks that every violation is reported.
"""
import os
import re
import sys
import tempfile
from pathlib import Path

# What each layer may include (by the first path component of "dir/file.h").
ALLOWED = {
    "base": {"base"},
    "httpbin": {"base", "httpbin"},
    "ws": {"base", "ws"},
    "http": {"base", "http", "httpstatus"},
    "gateway": {"base", "gateway"},
    "handlers": {"base", "httpbin", "ws", "http", "gateway", "handlers", "httpstatus", "registry"},
    "server": {"base", "httpbin", "ws", "http", "gateway", "handlers", "server", "httpstatus",
               "registry"},
}
OURS = {"base", "httpbin", "ws", "http", "gateway", "handlers", "server", "registry", "cli"}
INCLUDE = re.compile(r'^\s*#\s*include\s*"([^"]+)"')
WIRE = [
    (re.compile(r'\\r\\n'), "CRLF wire text in a handler"),
    (re.compile(r'->out\b'), "a handler touches the output buffer"),
    (re.compile(r'->close\b'), "a handler sets a connection flag (use hs__resp_abort)"),
    (re.compile(r'->sink\b'), "a handler calls the sink directly (use response.h)"),
    (re.compile(r'"HTTP/1\.[01] '), "an HTTP/1 status line in a handler"),
]
STATUS_LINE = WIRE[-1][1]
# Handler files that write example messages for people to read (see rule 2).
DISPLAY_ONLY = {"ref_example.c"}


def strip_comments(text):
    """Blank out /* */ and // comments, keeping line numbers."""
    def blank(m):
        return re.sub(r"[^\n]", " ", m.group(0))
    return re.sub(r"/\*.*?\*/|//[^\n]*", blank, text, flags=re.S)


def check(src):
    src = Path(src)
    problems = []
    for layer, allowed in ALLOWED.items():
        d = src / layer
        if not d.is_dir():
            continue
        for f in sorted(d.rglob("*")):
            if f.suffix not in (".c", ".h"):
                continue
            text = f.read_text(encoding="utf-8", errors="replace")
            rel = f.relative_to(src.parent) if src.parent != f else f
            for n, line in enumerate(text.splitlines(), 1):
                m = INCLUDE.match(line)
                if not m:
                    continue
                target = m.group(1)
                top = target.split("/")[0] if "/" in target else None
                if top is None:
                    problems.append(f"{rel}:{n}: include \"{target}\" without its layer path")
                elif top in OURS or top == "httpstatus":
                    if top not in allowed:
                        problems.append(f"{rel}:{n}: {layer}/ includes {target} "
                                        f"(from a layer above or beside it)")
            if layer == "handlers":
                code = strip_comments(text)
                for n, line in enumerate(code.splitlines(), 1):
                    for rx, what in WIRE:
                        if f.name in DISPLAY_ONLY and what == STATUS_LINE:
                            continue
                        if rx.search(line):
                            problems.append(f"{rel}:{n}: {what}")
    return problems


def self_test():
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "src"
        files = {
            "base/a.c": '#include "http/response.h"\n',
            "httpbin/b.c": '#include "server/conn.h"\n',
            "ws/c.c": '#include "httpbin/form.h"\n',
            "http/d.c": '#include "handlers/routes.h"\n',
            "handlers/e.c": ('#include "server/log.h"\nstatic const char s[] = "a\\r\\n";\n'
                             "void f(x_t *x) { x->close = 1; g(x->out); x->sink->abort(x); }\n"
                             "/* a comment may say \\r\\n and x->out */\n"),
            "handlers/ok.c": '#include "http/response.h"\n#include "base/buf.h"\n',
            "server/ok.c": '#include "handlers/routes.h"\n',
            "base/bare.c": '#include "buf.h"\n',
        }
        for name, body in files.items():
            p = src / name
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(body)
        got = check(src)
        expect = ["base/a.c:1", "httpbin/b.c:1", "ws/c.c:1", "http/d.c:1", "handlers/e.c:1",
                  "handlers/e.c:2", "handlers/e.c:3", "base/bare.c:1"]
        missing = [e for e in expect if not any(e in p for p in got)]
        wrong = [p for p in got if "ok.c" in p or "e.c:4" in p]
        e3 = [p for p in got if "handlers/e.c:3" in p]
        if missing or wrong or len(e3) != 3:
            print("self-test FAILED\nmissing:", missing, "\nwrong:", wrong, "\ngot:", got)
            return 1
        print(f"self-test: {len(got)} planted violations reported, clean files pass")
        return 0


def main():
    if sys.argv[1:] == ["--self-test"]:
        return self_test()
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "src")
    problems = check(src)
    for p in problems:
        print(p)
    if problems:
        print(f"layers: {len(problems)} violation(s) of docs/ARCHITECTURE.md's rules")
        return 1
    print("layers: every include goes down, handlers never see the wire")
    return 0


if __name__ == "__main__":
    sys.exit(main())
