#!/usr/bin/env python3
"""Generate the C tables of libhttpstatus from the files in data/.

Usage:
  gen_registry.py --check DATA_DIR            validate only; exit 1 on errors
  gen_registry.py DATA_DIR OUT.c              validate and write the C tables
  gen_registry.py --header DATA_DIR OUT.h     write the per-code constants header
  gen_registry.py --check-header DATA_DIR H   exit 1 if the checked-in header H is stale

The format is described in docs/data-format.md. This script is the only reader
of the data files; the library, CLI and server see the generated tables only.
"""
import os
import re
import sys

NAMESPACES = ["http", "http-vendor", "iis", "ftp", "ws"]
NS_ENUM = {"http": "HS_NS_HTTP", "http-vendor": "HS_NS_HTTP_VENDOR", "iis": "HS_NS_IIS",
           "ftp": "HS_NS_FTP", "ws": "HS_NS_WS"}
STATES = ["standard", "temporary", "deprecated", "unused", "obsolete", "reserved",
          "unofficial", "experimental", "historic"]
HEADERS = ["Allow", "WWW-Authenticate", "Proxy-Authenticate", "Location", "Content-Range",
           "Upgrade", "Retry-After", "Link", "ETag", "Content-Location", "Vary",
           "Cache-Control", "Date", "Expires", "Accept-Patch", "Accept-Post",
           "Accept-Encoding", "Accept-Ranges", "Content-Type", "Content-Length"]
HEADER_BIT = {h.lower(): i for i, h in enumerate(HEADERS)}

CODE_KEYS = {"const", "phrase", "phrase.zh", "alias", "status", "vendor", "spec",
             "cacheable", "body", "requires", "expects", "wire", "closes", "retry", "url",
             "registered", "expires", "multipart", "keywords.en", "keywords.zh", "rank", "related",
             "summary.en", "summary.zh", "detail.en", "detail.zh",
             "scenario.en", "scenario.zh"}
REPEATABLE = {"alias", "scenario.en", "scenario.zh"}
CLASS_KEYS = {"phrase", "phrase.zh", "summary.en", "summary.zh", "detail.en", "detail.zh"}
REQUIRED_ALL = ["const", "phrase", "phrase.zh", "status", "spec", "summary.en", "summary.zh",
                "detail.en", "detail.zh", "scenario.en", "scenario.zh"]
REQUIRED_HTTP = ["cacheable", "body"]
REQUIRED_CLASS = ["phrase", "phrase.zh", "summary.en", "summary.zh", "detail.en", "detail.zh"]

STOP = set("""a an the of to in on at by for from with and or is are was be been it its
this that these those as if then than so but can may must should will would does do did has have
had when which who what where how why their there they them he she we you your our us also into
over under about such any each other more most some only own same very just via per up out""".split())

HEADER_RE = re.compile(r"^\[([a-z-]+)\s+([^\]]+)\]\s*$")


class DataError(Exception):
    pass


def parse_file(path, errors):
    """Parse one data file into a list of (header_words, fields, lineno)."""
    records = []
    cur = None
    last_key = None
    with open(path, encoding="utf-8") as f:
        for n, raw in enumerate(f, 1):
            line = raw.rstrip("\n").rstrip("\r")
            where = f"{os.path.basename(path)}:{n}"
            if not line.strip():
                last_key = None
                continue
            if line.lstrip().startswith("#") and not line[:1].isspace():
                continue
            m = HEADER_RE.match(line)
            if m:
                cur = {"kind": m.group(1), "args": m.group(2).split(), "fields": {},
                       "where": where}
                records.append(cur)
                last_key = None
                continue
            if cur is None:
                errors.append(f"{where}: text before the first [record] header")
                continue
            if line[:1].isspace():
                if last_key is None:
                    errors.append(f"{where}: continuation line without a key")
                    continue
                text = line.strip()
                vals = cur["fields"][last_key]
                if text == ".":
                    vals[-1] += "\n\n"
                elif vals[-1].endswith("\n\n") or not vals[-1]:
                    vals[-1] += text
                elif ord(vals[-1][-1]) >= 0x2E80 and ord(text[0]) >= 0x2E80:
                    vals[-1] += text  # Chinese text: no space at a line break
                elif 0x3000 <= ord(vals[-1][-1]) <= 0x303F or 0xFF01 <= ord(vals[-1][-1]) <= 0xFF60:
                    vals[-1] += text  # nor after full-width punctuation ("。If-None-Match")
                else:
                    vals[-1] += " " + text
                continue
            if ":" not in line:
                errors.append(f"{where}: expected 'key: value'")
                continue
            key, val = line.split(":", 1)
            key = key.strip()
            val = val.strip()
            fields = cur["fields"]
            if key in fields and key not in REPEATABLE:
                errors.append(f"{where}: key '{key}' repeated")
                continue
            fields.setdefault(key, []).append(val)
            last_key = key
    return records


def one(fields, key, default=None):
    v = fields.get(key)
    return v[0].strip() if v else default


def parse_code(kind, args, where, errors):
    try:
        if kind == "iis":
            main, _, sub = args[0].partition(".")
            return int(main), int(sub) if sub else 0
        return int(args[0]), -1
    except ValueError:
        errors.append(f"{where}: bad code '{args[0]}'")
        return None, None


def header_mask(val, where, errors):
    mask = 0
    if not val:
        return 0
    for h in [x.strip() for x in val.split(",") if x.strip()]:
        if h.lower() not in HEADER_BIT:
            errors.append(f"{where}: unknown header '{h}' (see docs/data-format.md)")
            continue
        mask |= 1 << HEADER_BIT[h.lower()]
    return mask


def yesno(val, where, key, errors):
    if val is None:
        return None
    if val not in ("yes", "no"):
        errors.append(f"{where}: {key} must be yes or no, not '{val}'")
        return None
    return val == "yes"


def build(records, errors):
    codes, classes = [], []
    for r in records:
        kind, args, f, where = r["kind"], r["args"], r["fields"], r["where"]
        if kind in ("class", "digit", "range"):
            for k in f:
                if k not in CLASS_KEYS:
                    errors.append(f"{where}: key '{k}' not allowed in a [{kind}] record")
            for k in REQUIRED_CLASS:
                if not one(f, k):
                    errors.append(f"{where}: missing '{k}'")
            try:
                ns = args[0]
                nums = [int(a) for a in args[1:]]
            except ValueError:
                errors.append(f"{where}: bad [{kind}] header")
                continue
            if ns not in NAMESPACES:
                errors.append(f"{where}: unknown namespace '{ns}'")
                continue
            if kind == "class":
                value, high, k = nums[0], nums[0], 0
            elif kind == "digit":
                value, high, k = nums[1], nums[1], 1
            else:
                value, high, k = nums[0], nums[1], 2
            check_zh_text(f, where, errors)
            classes.append({"ns": ns, "kind": k, "value": value, "high": high, "f": f,
                            "where": where})
            continue
        if kind not in NAMESPACES:
            errors.append(f"{where}: unknown record kind '{kind}'")
            continue
        for k in f:
            if k not in CODE_KEYS:
                errors.append(f"{where}: unknown key '{k}'")
        for k in REQUIRED_ALL + (REQUIRED_HTTP if kind.startswith("http") else []):
            if not f.get(k) or not all(v.strip() for v in f[k]):
                errors.append(f"{where}: missing or empty '{k}'")
        code, sub = parse_code(kind, args, where, errors)
        if code is None:
            continue
        vendor_key = None
        if kind == "http-vendor":
            if len(args) < 2:
                errors.append(f"{where}: [http-vendor CODE VENDORKEY] needs a vendor key")
                continue
            vendor_key = args[1]
            if not one(f, "vendor"):
                errors.append(f"{where}: vendor records need 'vendor'")
        status = one(f, "status", "standard")
        if status not in STATES:
            errors.append(f"{where}: unknown status '{status}'")
            status = "standard"
        rec = {"ns": kind, "code": code, "sub": sub, "vendor_key": vendor_key, "f": f,
               "where": where, "status": status}
        flags = 0
        body = yesno(one(f, "body"), where, "body", errors)
        cache = yesno(one(f, "cacheable"), where, "cacheable", errors)
        wire = yesno(one(f, "wire"), where, "wire", errors)
        closes = yesno(one(f, "closes"), where, "closes", errors)
        if kind.startswith("http"):
            if cache:
                flags |= 0x01
            if body is False:
                flags |= 0x02
            if 100 <= code < 200 or code == 204:
                flags |= 0x04
            if 100 <= code < 200:
                flags |= 0x08
        if wire is False:
            flags |= 0x10
        if closes:
            flags |= 0x20
        retry = one(f, "retry")
        if retry not in (None, "yes", "with-retry-after"):
            errors.append(f"{where}: retry must be yes or with-retry-after, not '{retry}'")
        if retry == "yes" or (kind == "ftp" and code // 100 == 4 and retry is None):
            flags |= 0x40  # FTP 4yz: "transient negative completion" (RFC 959 §4.2)
        if retry == "with-retry-after":
            flags |= 0x80
        multipart = yesno(one(f, "multipart"), where, "multipart", errors)
        if multipart:
            flags |= 0x100  # Content-Range required of a single part only (206)
        rec["flags"] = flags
        expires = one(f, "expires")
        if (status == "temporary") != (expires is not None):
            errors.append(f"{where}: a temporary registration, and only one, needs "
                          f"'expires: YYYY-MM-DD' (the registry's expiry date)")
        elif expires is not None and not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])",
                                                      expires):
            errors.append(f"{where}: expires must be a date YYYY-MM-DD, not '{expires}'")
        rank = one(f, "rank")
        if rank is not None and not (kind == "http-vendor" and re.fullmatch(r"[1-9]", rank)):
            errors.append(f"{where}: rank is a digit 1-9, for vendor records only, not '{rank}'")
        rec["rank"] = int(rank) if rank is not None and rank.isdigit() else 5
        rec["url"] = spec_url(one(f, "url"), one(f, "spec", ""), where, errors)
        check_zh_text(f, where, errors)
        rec["requires"] = header_mask(one(f, "requires"), where, errors)
        rec["expects"] = header_mask(one(f, "expects"), where, errors)
        if kind == "iis":
            rec["key"] = f"{code}.{sub}"
        elif kind == "http-vendor":
            rec["key"] = f"{code} ({vendor_key})"
        else:
            rec["key"] = str(code)
        codes.append(rec)
    check_ranges(codes, errors)
    check_unique(codes, errors)
    order = {ns: i for i, ns in enumerate(NAMESPACES)}
    # Meanings of one number: the more prevalent first (rank), then by vendor key.
    codes.sort(key=lambda r: (order[r["ns"]], r["code"], r["sub"], r["rank"],
                              r["vendor_key"] or ""))
    classes.sort(key=lambda c: (order[c["ns"]], c["kind"], c["value"]))
    resolve_related(codes, errors)
    return codes, classes


def resolve_related(codes, errors):
    """`related: 504, 520 (cloudflare), iis 502.3, ftp 421, ws 1011`: each entry, in the
    form the CLI prints keys, becomes the index of that record (rec["related"])."""
    by_ref = {}
    for i, r in enumerate(codes):
        prefix = {"http": "", "http-vendor": "", "iis": "iis ", "ftp": "ftp ", "ws": "ws "}[r["ns"]]
        by_ref[prefix + r["key"]] = i
    for r in codes:
        r["related"] = []
        for ref in ", ".join(r["f"].get("related", [])).split(","):
            ref = " ".join(ref.split())
            if not ref:
                continue
            if ref not in by_ref:
                errors.append(f"{r['where']}: related: no record '{ref}' (write keys as the CLI "
                              f"prints them: 504, 520 (cloudflare), iis 502.3, ftp 421, ws 1011)")
            elif by_ref[ref] in r["related"] or codes[by_ref[ref]] is r:
                errors.append(f"{r['where']}: related: '{ref}' twice or the record itself")
            else:
                r["related"].append(by_ref[ref])


# Pages for specifications that are not RFCs (spec prefix -> link); a record's
# `url:` overrides. RFC references are linked to the RFC Editor's HTML rendering.
SPEC_PAGES = [
    ("Microsoft IIS documentation", "https://learn.microsoft.com/en-us/troubleshoot/developer/"
     "webapps/iis/www-administration-management/http-status-code"),
    ("ASP.NET Core Module documentation", "https://learn.microsoft.com/en-us/aspnet/core/"
     "host-and-deploy/aspnet-core-module"),
    ("Cloudflare documentation (5xx errors)", "https://developers.cloudflare.com/support/"
     "troubleshooting/http-status-codes/cloudflare-5xx-errors/"),
    ("Cloudflare documentation (1xxx errors)", "https://developers.cloudflare.com/support/"
     "troubleshooting/http-status-codes/cloudflare-1xxx-errors/"),
    ("IANA WebSocket Close Code Number Registry", "https://www.iana.org/assignments/websocket/"
     "websocket.xhtml#close-code-number"),
    ("nginx source", "https://github.com/nginx/nginx/blob/master/src/http/ngx_http_request.h"),
    ("Microsoft [MS-WDV]", "https://learn.microsoft.com/en-us/openspecs/windows_protocols/ms-wdv/"),
    ("Microsoft [MS-ASHTTP]", "https://learn.microsoft.com/en-us/openspecs/exchange_server_protocols/"
     "ms-ashttp/"),
    ("draft-ietf-httpbis-resumable-upload", "https://datatracker.ietf.org/doc/"
     "draft-ietf-httpbis-resumable-upload/"),
    ("Esri ArcGIS Server REST API documentation", "https://developers.arcgis.com/rest/"),
]
RFC_RE = re.compile(r"^RFC (\d+)(?: §([0-9A-Z][0-9.]*))?")


def spec_url(url, spec, where, errors):
    """The link for a record: its `url:`, else derived from `spec` (None if unknown)."""
    if url:
        if not url.startswith("https://"):
            errors.append(f"{where}: url must start with https://")
        return url
    m = RFC_RE.match(spec)
    if m:
        base = f"https://www.rfc-editor.org/rfc/rfc{m.group(1)}"
        if m.group(2):
            sec = m.group(2).rstrip(".")
            kind = "appendix" if sec[0].isalpha() else "section"
            return f"{base}#{kind}-{sec}"
        return base
    for prefix, page in SPEC_PAGES:
        if spec.startswith(prefix):
            return page
    return None


ZH_KEYS = ("phrase.zh", "summary.zh", "detail.zh", "scenario.zh")


def check_zh_text(f, where, errors):
    """House rules for Chinese text: full-width quotes “…” (ASCII double quotes only
    inside `code` or a quoted protocol line), no ASCII space after a full stop, no
    nested parentheses."""
    for k in ZH_KEYS:
        for v in f.get(k, []):
            if '"' in re.sub(r"`[^`]*`|“[^”]*”", "", v):
                errors.append(f"{where}: {k}: use “…” rather than ASCII quotes in Chinese text")
            if re.search(r"[。；：！？] ", v):
                errors.append(f"{where}: {k}: no ASCII space after Chinese punctuation")
            depth = 0
            for ch in v:
                if ch in "（(":
                    depth += 1
                    if depth > 1:
                        errors.append(f"{where}: {k}: nested parentheses")
                        break
                elif ch in "）)":
                    depth = max(0, depth - 1)


def check_ranges(codes, errors):
    for r in codes:
        ns, c, where = r["ns"], r["code"], r["where"]
        ok = {"http": 100 <= c <= 599, "http-vendor": 100 <= c <= 599,
              "iis": 400 <= c <= 599 and 0 <= r["sub"] <= 999, "ftp": 100 <= c <= 699,
              "ws": 1000 <= c <= 4999}[ns]
        if not ok:
            errors.append(f"{where}: code {c} out of range for {ns}")
        const = one(r["f"], "const", "")
        if const and not re.fullmatch(r"[A-Z][A-Z0-9_]*", const):
            errors.append(f"{where}: const '{const}' must be UPPER_SNAKE")


def check_unique(codes, errors):
    seen_key, seen_const = {}, {}
    for r in codes:
        k = (r["ns"], r["key"])
        if k in seen_key:
            errors.append(f"{r['where']}: duplicate record {r['key']} (also {seen_key[k]})")
        seen_key[k] = r["where"]
        const = one(r["f"], "const", "")
        ck = (r["ns"], const)
        if const and ck in seen_const:
            errors.append(f"{r['where']}: duplicate const {const} (also {seen_const[ck]})")
        seen_const[ck] = r["where"]


# ---------------------------------------------------------------- C output

def cstr(s):
    if s is None:
        return "NULL"
    out = ['"']
    for ch in s:
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "?":
            out.append("\\?")  # no trigraphs
        elif ord(ch) < 0x20:
            out.append("\\%03o" % ord(ch))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def norm_name(s):
    """Name normalisation shared with src/registry/names.c: lower-case ASCII letters and
    digits only (spaces, '-', '_', apostrophes and punctuation dropped)."""
    return "".join(ch.lower() for ch in s if ch.isascii() and ch.isalnum())


def stem(w):
    """Light English stemmer, mirrored in src/registry/search.c. A stem keeps at
    least 4 letters ("cors" stays "cors" rather than becoming the prefix "cor")."""
    for suf in ("ing", "ed", "es", "s"):
        if len(w) - len(suf) >= 4 and w.endswith(suf):
            if suf == "s" and w.endswith("ss"):
                return w
            return w[: -len(suf)]
    return w


def words(text):
    return [w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) >= 2 and w not in STOP]


def is_cjk(ch):
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF


def cjk_runs(text):
    run = []
    for ch in text:
        if is_cjk(ch):
            run.append(ch)
        else:
            if run:
                yield "".join(run)
            run = []
    if run:
        yield "".join(run)


def search_index(codes):
    """English word postings and Chinese unigram/bigram postings with field weights."""
    en, zh = {}, {}

    def add(table, term, rid, w):
        d = table.setdefault(term, {})
        if d.get(rid, 0) < w:
            d[rid] = w

    for rid, r in enumerate(codes):
        f = r["f"]
        en_fields = [(one(f, "phrase", ""), 10), (" ".join(f.get("alias", [])), 8),
                     (one(f, "keywords.en", ""), 9),
                     (one(f, "const", "").replace("_", " "), 6), (r.get("vendor_key") or "", 5),
                     (one(f, "vendor", ""), 5), (one(f, "summary.en", ""), 4),
                     (" ".join(f.get("scenario.en", [])), 2), (one(f, "detail.en", ""), 1)]
        for text, w in en_fields:
            for word in words(text):
                add(en, stem(word), rid, w)
        zh_fields = [(one(f, "phrase.zh", ""), 10), (one(f, "keywords.zh", ""), 9),
                     (one(f, "summary.zh", ""), 4),
                     (" ".join(f.get("scenario.zh", [])), 2), (one(f, "detail.zh", ""), 1)]
        for text, w in zh_fields:
            for run in cjk_runs(text):
                for i, ch in enumerate(run):
                    add(zh, ch, rid, w)
                    if i + 1 < len(run):
                        add(zh, run[i:i + 2], rid, w)
    return en, zh


def letter_mask(w):
    m = 0
    for ch in w:
        if "a" <= ch <= "z":
            m |= 1 << (ord(ch) - 97)
        elif "0" <= ch <= "9":
            m |= 1 << 26
    return m


def iis_hash(key, bits):
    return ((key * 2654435761) & 0xFFFFFFFF) >> (32 - bits)


def emit(codes, classes, out):
    w = out.write
    w("/* Generated by tools/gen_registry.py from the files in data/. Do not edit. */\n")
    w('#include "registry_data.h"\n\n')

    # string lists
    for i, r in enumerate(codes):
        f = r["f"]
        w(f"static const char *const al_{i}[] = {{")
        for a in f.get("alias", []):
            w(cstr(a) + ", ")
        w("NULL};\n")
        for lang in ("en", "zh"):
            w(f"static const char *const sc_{lang}_{i}[] = {{")
            for s in f.get("scenario." + lang, []):
                w(cstr(s) + ", ")
            w("NULL};\n")

    w("\nconst hs_status_t hs__records[] = {\n")
    for i, r in enumerate(codes):
        f = r["f"]
        vendor = one(f, "vendor")
        w("  {.ns = %s, .code = %d, .sub = %d, .key = %s, .constant = %s, .phrase = %s,\n"
          "   .phrase_zh = %s, .aliases = al_%d, .state = HS_STATE_%s, .vendor = %s,\n"
          "   .vendor_key = %s, .spec = %s, .flags = 0x%xu, .requires = 0x%xu, .expects = 0x%xu,\n"
          % (NS_ENUM[r["ns"]], r["code"], r["sub"], cstr(r["key"]), cstr(one(f, "const")),
             cstr(one(f, "phrase")), cstr(one(f, "phrase.zh")), i, r["status"].upper(),
             cstr(vendor), cstr(r["vendor_key"]), cstr(one(f, "spec")), r["flags"],
             r["requires"], r["expects"]))
        w("   .summary = {%s, %s},\n" % (cstr(one(f, "summary.en")), cstr(one(f, "summary.zh"))))
        w("   .detail = {%s, %s},\n" % (cstr(one(f, "detail.en")), cstr(one(f, "detail.zh"))))
        w("   .scenarios = {sc_en_%d, sc_zh_%d},\n" % (i, i))
        w("   .version = HS_RECORD_VERSION, .size = sizeof(hs_status_t), .url = %s,\n"
          "   .registered = %s, .expires = %s},\n"
          % (cstr(r["url"]), cstr(one(f, "registered")), cstr(one(f, "expires"))))
    w("};\n")
    w(f"const size_t hs__record_count = {len(codes)};\n\n")

    # curated related records: hs__related[record] slices hs__related_list
    flat = [j for r in codes for j in r["related"]]
    w(f"const uint16_t hs__related_list[{max(len(flat), 1)}] = {{")
    w(", ".join(str(j) for j in flat) or "0")
    w("};\nconst hs__slice_t hs__related[] = {\n")
    at = 0
    for r in codes:
        w(f"  {{{at}, {len(r['related'])}}},\n")
        at += len(r["related"])
    w("};\n\n")

    # namespace slices
    w("const hs__slice_t hs__ns_slices[HS_NS_COUNT] = {\n")
    for ns in NAMESPACES:
        idx = [i for i, r in enumerate(codes) if r["ns"] == ns]
        start = idx[0] if idx else 0
        w(f"  {{{start}, {len(idx)}}}, /* {ns} */\n")
    w("};\n\n")

    # direct indexes: value = record index + 1, 0 = none
    def direct(name, ns, lo, hi):
        table = [0] * (hi - lo + 1)
        for i, r in enumerate(codes):
            if r["ns"] == ns and lo <= r["code"] <= hi:
                if ns == "iis" and r["sub"] != 0:
                    continue
                if table[r["code"] - lo] == 0:
                    table[r["code"] - lo] = i + 1
        w(f"const uint16_t {name}[{hi - lo + 1}] = {{")
        for j, v in enumerate(table):
            if j % 20 == 0:
                w("\n ")
            w(f" {v},")
        w("\n};\n")
        return table

    direct("hs__idx_http", "http", 100, 599)
    direct("hs__idx_vendor", "http-vendor", 100, 599)
    direct("hs__idx_ftp", "ftp", 100, 699)
    direct("hs__idx_ws", "ws", 1000, 4999)
    direct("hs__idx_iis0", "iis", 400, 599)

    # IIS open-addressing hash on code*1000+sub
    bits = 9
    size = 1 << bits
    table = [0] * size
    for i, r in enumerate(codes):
        if r["ns"] != "iis":
            continue
        key = r["code"] * 1000 + r["sub"]
        h = iis_hash(key, bits)
        while table[h]:
            h = (h + 1) & (size - 1)
        table[h] = i + 1
    w(f"const uint16_t hs__iis_hash[{size}] = {{")
    for j, v in enumerate(table):
        if j % 20 == 0:
            w("\n ")
        w(f" {v},")
    w("\n};\n\n")

    # names: normalised constant / phrase / alias → record
    names = {}
    order_pref = {ns: k for k, ns in enumerate(NAMESPACES)}
    for i, r in enumerate(codes):
        f = r["f"]
        for n in [one(f, "const", ""), one(f, "phrase", "")] + f.get("alias", []):
            key = norm_name(n)
            if not key:
                continue
            names.setdefault(key, [])
            if i not in names[key]:
                names[key].append(i)
    w("const hs__name_t hs__names[] = {\n")
    nname = 0
    for key in sorted(names):
        for i in sorted(names[key], key=lambda i: (order_pref[codes[i]["ns"]], i)):
            w(f"  {{{cstr(key)}, {i}}},\n")
            nname += 1
    w("};\n")
    w(f"const size_t hs__name_count = {nname};\n\n")

    # classes
    w("const hs_class_t hs__classes[] = {\n")
    for c in classes:
        f = c["f"]
        w("  {%s, %d, %d, %d, %s, %s, {%s, %s}, {%s, %s}, {NULL}},\n"
          % (NS_ENUM[c["ns"]], c["kind"], c["value"], c["high"], cstr(one(f, "phrase")),
             cstr(one(f, "phrase.zh")), cstr(one(f, "summary.en")), cstr(one(f, "summary.zh")),
             cstr(one(f, "detail.en")), cstr(one(f, "detail.zh"))))
    if not classes:
        w("  {HS_NS_HTTP, -1, 0, 0, NULL, NULL, {NULL, NULL}, {NULL, NULL}, {NULL}},\n")
    w("};\n")
    w(f"const size_t hs__class_count = {len(classes)};\n\n")

    # search index
    en, zh = search_index(codes)
    postings = []

    def emit_terms(name, table, with_mask):
        w(f"const hs__term_t {name}[] = {{\n")
        for term in sorted(table, key=lambda t: t.encode("utf-8")):
            plist = sorted(table[term].items())
            start = len(postings)
            postings.extend(plist)
            mask = letter_mask(term) if with_mask else 0
            w(f"  {{{cstr(term)}, {len(term.encode('utf-8'))}, 0x{mask:x}u, {start}, {len(plist)}}},\n")
        w("};\n")
        w(f"const size_t {name}_count = {len(table)};\n\n")

    w("const char *const hs__stop_words[] = {")
    for sw in sorted(STOP):
        w(cstr(sw) + ", ")
    w("NULL};\n\n")
    emit_terms("hs__en_terms", en, True)
    emit_terms("hs__zh_terms", zh, False)
    w(f"const hs__posting_t hs__postings[{max(1, len(postings))}] = {{")
    for j, (rid, wt) in enumerate(postings):
        if j % 12 == 0:
            w("\n ")
        w(f" {{{rid}, {wt}}},")
    if not postings:
        w("{0, 0}")
    w("\n};\n")


HEADER_PREFIX = {"http": "HS_HTTP_", "http-vendor": "HS_VENDOR_", "iis": "HS_IIS_",
                 "ftp": "HS_FTP_", "ws": "HS_WS_"}


def emit_header(codes):
    """The per-code constants header (include/httpstatus/codes.h), as one string."""
    out = ["/* Generated by tools/gen_registry.py --header from the files in data/. Do not edit:\n"
           " * change the files in data/ and run\n"
           " *   python3 tools/gen_registry.py --header data include/httpstatus/codes.h\n"
           " *\n"
           " * One constant per record: HS_HTTP_NOT_FOUND = 404, HS_FTP_NOT_LOGGED_IN = 530,\n"
           " * HS_WS_POLICY_VIOLATION = 1008, HS_VENDOR_NGINX_CLIENT_CLOSED_REQUEST = 499.\n"
           " * IIS constants hold code * 1000 + sub (HS_IIS_403_14_DIRECTORY_LISTING_DENIED =\n"
           " * 403014);\n"
           " * HS_IIS_CODE() and HS_IIS_SUB() take them apart. */\n",
           "#ifndef HTTPSTATUS_CODES_H\n#define HTTPSTATUS_CODES_H\n\n",
           "#define HS_IIS_CODE(k) ((k) / 1000)\n#define HS_IIS_SUB(k) ((k) % 1000)\n"]
    enum_name = {"http": "hs_http_code_e", "http-vendor": "hs_vendor_code_e",
                 "iis": "hs_iis_code_e", "ftp": "hs_ftp_code_e", "ws": "hs_ws_code_e"}
    for ns in NAMESPACES:
        out.append(f"\nenum {enum_name[ns]} {{\n")
        for r in codes:
            if r["ns"] != ns:
                continue
            value = r["code"] * 1000 + r["sub"] if ns == "iis" else r["code"]
            phrase = one(r["f"], "phrase", "").replace("*/", "* /")
            const = one(r["f"], "const")
            if ns == "iis" and const.startswith("IIS_"):
                const = const[4:]  # HS_IIS_403_14_..., not HS_IIS_IIS_403_14_...
            out.append(f"  /* {r['key']} {phrase} */\n  {HEADER_PREFIX[ns]}{const} = {value},\n")
        out.append("};\n")
    out.append("\n#endif\n")
    return "".join(out)


def load(data_dir, errors):
    records = []
    for name in sorted(os.listdir(data_dir)):
        if name.endswith(".txt"):
            records += parse_file(os.path.join(data_dir, name), errors)
    return build(records, errors)


def main(argv):
    if len(argv) == 3 and argv[1] == "--check":
        errors = []
        codes, classes = load(argv[2], errors)
        for e in errors:
            print(e, file=sys.stderr)
        counts = {ns: sum(1 for r in codes if r["ns"] == ns) for ns in NAMESPACES}
        print(f"{len(codes)} records {counts}, {len(classes)} class records, "
              f"{len(errors)} errors")
        return 1 if errors else 0
    if len(argv) == 4 and argv[1] in ("--header", "--check-header"):
        errors = []
        codes, _ = load(argv[2], errors)
        for e in errors:
            print(e, file=sys.stderr)
        if errors:
            return 1
        text = emit_header(codes)
        if argv[1] == "--check-header":
            with open(argv[3], encoding="utf-8") as fh:
                if fh.read() != text:
                    print(f"{argv[3]} is stale: run python3 tools/gen_registry.py --header "
                          f"data {argv[3]}", file=sys.stderr)
                    return 1
            return 0
        with open(argv[3], "w", encoding="utf-8") as fh:
            fh.write(text)
        return 0
    if len(argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    errors = []
    codes, classes = load(argv[1], errors)
    if errors:
        for e in errors:
            print(e, file=sys.stderr)
        return 1
    tmp = argv[2] + ".tmp"
    with open(tmp, "w", encoding="utf-8") as out:
        emit(codes, classes, out)
    os.replace(tmp, argv[2])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
