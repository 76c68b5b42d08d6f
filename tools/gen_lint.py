#!/usr/bin/env python3
"""Generate the lint rule catalogue's C tables from data/lint/*.txt.

Usage:
  gen_lint.py --check DIR               validate only; exit 1 on errors
  gen_lint.py DIR OUT.c OUT.h           the rule table and the rule-id enum
  gen_lint.py --cases DIR OUT.c         the test cases (hit:/ok: lines) for tests/unit

One record per rule (format: docs/lint.md):
  [rule ID]            lower-case id, letters, digits and '-'
  severity: error | warning | info
  category: framing | connection | status | fields | content | auth | security |
            caching | negotiation | redirect | range | cors | cookies
  spec: RFC 9110 §15.5.6
  title.en / title.zh / text.en / text.zh: one line each (our own words)
  expected: (optional) where httpstatus serve does this on purpose
  hit: / ok: (one or more each) a message the rule must / must not report;
       "\\n" is CRLF, "\\t" a tab, "\\xHH" a byte, "@N" N letters 'a'.
"""
import os
import re
import sys

SEVERITIES = ["error", "warning", "info"]
CATEGORIES = ["framing", "connection", "status", "fields", "content", "auth", "security",
              "caching", "negotiation", "redirect", "range", "cors", "cookies"]
KEYS = {"severity", "category", "spec", "title.en", "title.zh", "text.en", "text.zh",
        "expected", "hit", "ok"}
REQUIRED = ["severity", "category", "spec", "title.en", "title.zh", "text.en", "text.zh",
            "hit", "ok"]
REPEATABLE = {"hit", "ok"}
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def parse(d):
    rules, errors = [], []
    for name in sorted(os.listdir(d)):
        if not name.endswith(".txt"):
            continue
        cur = None
        with open(os.path.join(d, name), encoding="utf-8") as f:
            for n, raw in enumerate(f, 1):
                line = raw.rstrip("\n")
                where = f"{name}:{n}"
                if not line.strip() or line.startswith("#"):
                    continue
                m = re.match(r"^\[rule\s+(\S+)\]\s*$", line)
                if m:
                    if not ID_RE.match(m.group(1)):
                        errors.append(f"{where}: bad rule id '{m.group(1)}'")
                    cur = {"id": m.group(1), "where": where, "f": {}}
                    rules.append(cur)
                    continue
                if cur is None or ":" not in line:
                    errors.append(f"{where}: expected [rule ID] or 'key: value'")
                    continue
                k, v = line.split(":", 1)
                k, v = k.strip(), v.strip()
                if k not in KEYS:
                    errors.append(f"{where}: unknown key '{k}'")
                    continue
                if k in cur["f"] and k not in REPEATABLE:
                    errors.append(f"{where}: key '{k}' repeated")
                cur["f"].setdefault(k, []).append(v)
    seen = set()
    for r in rules:
        if r["id"] in seen:
            errors.append(f"{r['where']}: rule '{r['id']}' defined twice")
        seen.add(r["id"])
        for k in REQUIRED:
            if k not in r["f"]:
                errors.append(f"{r['where']}: rule '{r['id']}' lacks '{k}'")
        sev = r["f"].get("severity", ["error"])[0]
        if sev not in SEVERITIES:
            errors.append(f"{r['where']}: severity '{sev}' not one of {SEVERITIES}")
        cat = r["f"].get("category", ["status"])[0]
        if cat not in CATEGORIES:
            errors.append(f"{r['where']}: category '{cat}' not one of {CATEGORIES}")
    return rules, errors


def cstr(s):
    out = []
    for b in s.encode("utf-8"):
        c = chr(b)
        if c == '"' or c == "\\":
            out.append("\\" + c)
        elif 0x20 <= b < 0x7F:
            out.append(c)
        else:
            out.append('\\%03o' % b)
    return '"' + "".join(out) + '"'


def case_bytes(s):
    """The message a hit:/ok: line stands for."""
    s = re.sub(r"@(\d+)", lambda m: "a" * int(m.group(1)), s)
    out = bytearray()
    i = 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            e = s[i + 1]
            if e == "n":
                out += b"\r\n"
            elif e == "r":
                out += b"\r"
            elif e == "t":
                out += b"\t"
            elif e == "x":
                out.append(int(s[i + 2:i + 4], 16))
                i += 2
            else:
                out += e.encode()
            i += 2
            continue
        out += c.encode("utf-8")
        i += 1
    return bytes(out)


def enum_name(rid):
    return "HS__L_" + rid.upper().replace("-", "_")


def write(path, text):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv):
    if len(argv) >= 3 and argv[1] == "--check":
        rules, errors = parse(argv[2])
    elif len(argv) == 4 and argv[1] == "--cases":
        rules, errors = parse(argv[2])
    elif len(argv) == 4:
        rules, errors = parse(argv[1])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    for e in errors:
        print(f"gen_lint: {e}", file=sys.stderr)
    if errors:
        return 1
    if argv[1] == "--check":
        print(f"{len(rules)} rules")
        return 0
    if argv[1] == "--cases":
        lines = ["/* Generated by tools/gen_lint.py from data/lint/ (.txt): do not edit. */",
                 '#include "lint_cases.h"', "",
                 "const hs__lint_case_t hs__lint_cases[] = {"]
        n = 0
        for r in rules:
            for kind in ("hit", "ok"):
                for v in r["f"][kind]:
                    b = case_bytes(v)
                    lit = "".join("\\%03o" % x for x in b)
                    lines.append(f'  {{{enum_name(r["id"])}, {1 if kind == "hit" else 0}, '
                                 f'"{lit}", {len(b)}}},')
                    n += 1
        lines += ["};", f"const size_t hs__lint_ncases = {n};", ""]
        write(argv[3], "\n".join(lines))
        return 0
    sev = {"error": "HS__LSEV_ERROR", "warning": "HS__LSEV_WARNING", "info": "HS__LSEV_INFO"}
    c = ["/* Generated by tools/gen_lint.py from data/lint/ (.txt): do not edit. */",
         '#include "lint/rules.h"', "", "const hs__lint_rule_t hs__lint_rules[] = {"]
    for r in rules:
        f = r["f"]
        exp = cstr(f["expected"][0]) if "expected" in f else "NULL"
        c.append(f'  {{{cstr(r["id"])}, {sev[f["severity"][0]]}, {cstr(f["category"][0])}, '
                 f'{cstr(f["spec"][0])},\n   {{{cstr(f["title.en"][0])}, {cstr(f["title.zh"][0])}}},\n'
                 f'   {{{cstr(f["text.en"][0])}, {cstr(f["text.zh"][0])}}}, {exp}}},')
    c += ["};", ""]
    h = ["/* Generated by tools/gen_lint.py from data/lint/ (.txt): do not edit. */",
         "#ifndef HS_LINT_RULE_IDS_H", "#define HS_LINT_RULE_IDS_H", "",
         "/* One constant per rule, in catalogue order (index into hs__lint_rules). */",
         "typedef enum hs__lint_id_e {"]
    for r in rules:
        h.append(f"  {enum_name(r['id'])},")
    h += ["  HS__L_COUNT", "} hs__lint_id_t;", "", "#endif", ""]
    write(argv[2], "\n".join(c))
    write(argv[3], "\n".join(h))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
