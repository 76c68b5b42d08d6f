"""Comparison of a reference (httpbin) response with ours.

Everything here is written as plain asserts with messages that say what
differed; the test collects the failures of one case and reports them
together, so a case shows every difference at once.
"""
import email.utils
import gzip
import html.parser
import json
import re
import shutil
import subprocess
import time
import zlib
from http.cookies import SimpleCookie
from urllib.parse import unquote
from xml.etree import ElementTree

from .digest import parse_challenge

UUID_RE = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
HEX_RE = re.compile(r"^[0-9a-f]{16,}$")

# Response headers that matter to clients and are compared when either side
# sends them (values through the normalisers below).
COMPARED_HEADERS = (
    "Content-Type", "Location", "WWW-Authenticate", "Proxy-Authenticate", "Set-Cookie",
    "Content-Encoding", "Content-Range", "Accept-Ranges", "ETag", "Retry-After",
    "Cache-Control", "Last-Modified", "Allow",
    "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
    "Access-Control-Allow-Methods", "Access-Control-Allow-Headers", "Access-Control-Max-Age",
)

# Headers our server may send where httpbin does not (more information, no
# change of meaning for a client): only a value mismatch is a difference.
ADDITIVE_OK = {"ETag", "Cache-Control", "Last-Modified", "Retry-After", "Allow", "Accept-Ranges",
               "Access-Control-Allow-Methods", "Access-Control-Allow-Headers",
               "Access-Control-Max-Age"}

# Headers of the echoed request ("headers" objects) that legitimately differ.
VOLATILE_REQUEST_HEADERS = {"X-Amzn-Trace-Id"}


class Diffs:
    """Collects differences; `check` never raises, `done` raises them all."""

    def __init__(self):
        self.items = []

    def check(self, cond, msg):
        if not cond:
            self.items.append(msg)
        return cond

    def add(self, msg):
        self.items.append(msg)

    def done(self, title="", limit=25):
        if self.items:
            items = self.items[:limit]
            if len(self.items) > limit:
                items.append("… and %d more" % (len(self.items) - limit))
            raise AssertionError((title + "\n" if title else "") +
                                 "\n".join("  - " + m for m in items))


# ---------------------------------------------------------------- normalising

class Ctx:
    """What differs by construction between the two servers."""

    def __init__(self, ref_port, ours_port, host="127.0.0.1"):
        self.hosts = ["%s:%d" % (host, ref_port), "%s:%d" % (host, ours_port),
                      "localhost:%d" % ref_port, "localhost:%d" % ours_port]

    def text(self, s):
        for h in self.hosts:
            s = s.replace(h, "HOST")
        return s


def _decode_url(s):
    # werkzeug reports request.url as an IRI (percent-escapes of UTF-8 and of
    # unreserved characters decoded); compare URLs fully unquoted.
    return unquote(s)


def normalise_json(v, ctx, path="", volatile=()):
    """Returns a comparable copy of a JSON value: host:port replaced, UUIDs
    and volatile paths replaced by their type, X-Amzn-Trace-Id dropped."""
    if path in volatile:
        return "<%s>" % type(v).__name__
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if path.endswith("headers") and k in VOLATILE_REQUEST_HEADERS:
                continue
            out[k] = normalise_json(x, ctx, (path + "." + k) if path else k, volatile)
        return out
    if isinstance(v, list):
        return [normalise_json(x, ctx, path + "[]", volatile) for x in v]
    if isinstance(v, str):
        s = ctx.text(v)
        if UUID_RE.match(s):
            return "<uuid>"
        if path in ("url",) or path.endswith(".url"):
            s = _decode_url(s)
        return s
    return v


def json_diff(a, b, path="$"):
    """Lists structural/value differences between two normalised JSON values."""
    out = []
    if type(a) is not type(b) and not (isinstance(a, (int, float)) and isinstance(b, (int, float))
                                       and not isinstance(a, bool) and not isinstance(b, bool)):
        return ["%s: type %s (httpbin) != %s (ours): %r vs %r"
                % (path, type(a).__name__, type(b).__name__, _short(a), _short(b))]
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in b:
                out.append("%s: key %r missing in ours (httpbin: %r)" % (path, k, _short(a[k])))
            elif k not in a:
                out.append("%s: extra key %r in ours (%r)" % (path, k, _short(b[k])))
            else:
                out += json_diff(a[k], b[k], "%s.%s" % (path, k))
    elif isinstance(a, list):
        if len(a) != len(b):
            out.append("%s: list length %d (httpbin) != %d (ours): %r vs %r"
                       % (path, len(a), len(b), _short(a), _short(b)))
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                out += json_diff(x, y, "%s[%d]" % (path, i))
    elif a != b:
        out.append("%s: %r (httpbin) != %r (ours)" % (path, _short(a), _short(b)))
    return out


def _short(v, n=160):
    s = repr(v)
    return v if len(s) <= n else s[:n] + "…"


# ---------------------------------------------------------------- bodies

def decoded_body(resp):
    """Body with Content-Encoding removed (gzip, deflate, br, zstd)."""
    enc = (resp.header("Content-Encoding") or "").strip().lower()
    b = resp.body
    if not enc or enc == "identity" or not b:
        return b
    if enc in ("gzip", "x-gzip"):
        return gzip.decompress(b)
    if enc == "deflate":
        try:
            return zlib.decompress(b)
        except zlib.error:
            return zlib.decompress(b, -15)
    if enc == "br":
        import brotli
        return brotli.decompress(b)
    if enc == "zstd":
        if b[:4] != b"\x28\xb5\x2f\xfd":
            raise AssertionError("Content-Encoding: zstd but no zstd frame magic")
        if shutil.which("zstd"):
            return subprocess.run(["zstd", "-dcq"], input=b, capture_output=True,
                                  check=True, timeout=10).stdout
        return b
    raise AssertionError("unknown Content-Encoding %r" % enc)


def parse_json(resp, who):
    body = decoded_body(resp)
    try:
        return json.loads(body.decode("utf-8"))
    except Exception as e:
        raise AssertionError("%s: body is not JSON (%s): %r" % (who, e, body[:300]))


MAGIC = {
    "image/png": (b"\x89PNG\r\n\x1a\n",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/webp": (b"RIFF",),
    "image/avif": (b"\x00\x00\x00",),
}


def image_ok(resp):
    mime = resp.mime
    b = resp.body
    if mime == "image/svg+xml":
        root = ElementTree.fromstring(b)
        return root.tag.endswith("svg")
    if mime == "image/webp":
        return b[:4] == b"RIFF" and b[8:12] == b"WEBP"
    return any(b.startswith(m) for m in MAGIC.get(mime, (b"\x00\x00",)))


class _HTMLCheck(html.parser.HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []
        self.links = []
        self.text = []
        self._a = None

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self._a = [dict(attrs).get("href"), ""]

    def handle_endtag(self, tag):
        if tag == "a" and self._a is not None:
            self.links.append(tuple(self._a))
            self._a = None

    def handle_data(self, data):
        if self._a is not None:
            self._a[1] += data
        self.text.append(data)


def html_info(body):
    p = _HTMLCheck()
    p.feed(body.decode("utf-8"))
    p.close()
    return p


def xml_shape(body):
    root = ElementTree.fromstring(body)

    def walk(e):
        return (e.tag, sorted(e.attrib), [walk(c) for c in e])
    return walk(root)


# ---------------------------------------------------------------- headers

def _ctype(v):
    return ";".join(p.strip().lower() for p in (v or "").split(";") if p.strip())


def cookie_map(resp, ctx):
    """Set-Cookie lines -> {name: (value, deleted, path)}; nonce-like values
    normalised."""
    out = {}
    for line in resp.header_all("Set-Cookie"):
        c = SimpleCookie()
        try:
            c.load(line)
        except Exception:
            out["<unparsable %r>" % line] = None
            continue
        for name, m in c.items():
            value = m.value
            if name == "last_nonce":
                value = "<nonce>"       # echoes the (random) nonce of the request
            deleted = m["max-age"] in ("0", "-1") or _expired(m["expires"])
            out[name] = (value, deleted, m["path"] or None)
    return out


def _expired(expires):
    """True when an Expires attribute lies in the past."""
    if not expires:
        return False
    try:
        return email.utils.parsedate_to_datetime(expires).timestamp() < time.time()
    except (TypeError, ValueError):
        return False


def auth_challenge(v):
    scheme, params = parse_challenge(v or "")
    if scheme != "digest":
        return (v or "").strip()
    norm = {}
    for k, x in params.items():
        if k in ("nonce", "opaque"):
            norm[k] = "<%s>" % k if x else ""      # random, format is the server's
        elif k == "qop":
            norm[k] = sorted(q.strip() for q in x.split(","))
        elif k in ("stale", "algorithm"):
            norm[k] = x.upper()
        else:
            norm[k] = x
    return ("digest", norm)


def _set(v):
    return sorted(p.strip().upper() for p in (v or "").split(",") if p.strip())


def header_value(name, resp, ctx):
    """Comparable form of a response header (None when absent)."""
    if name == "Set-Cookie":
        return cookie_map(resp, ctx) if resp.has("Set-Cookie") else None
    if not resp.has(name):
        return None
    v = resp.header(name)
    if name == "Content-Type":
        return _ctype(v)
    if name == "Location":
        return _decode_url(ctx.text(v))
    if name in ("WWW-Authenticate", "Proxy-Authenticate"):
        return auth_challenge(v)
    if name in ("Allow", "Access-Control-Allow-Methods", "Access-Control-Allow-Headers"):
        return _set(v)
    if name == "ETag":
        e = v.strip()
        if e.startswith("W/"):
            e = e[2:]
        e = e.strip('"')
        return "<hex>" if HEX_RE.match(e) else e      # /cache: random
    if name in ("Last-Modified",):
        return "<date>"
    if name == "Retry-After":
        return "<present>"
    return v.strip()


# ---------------------------------------------------------------- the comparison

def compare(ref, ours, case, ctx, d):
    """Compares one exchange; records differences in d (a Diffs)."""
    d.check(ref.status == ours.status, "status: %d (httpbin) != %d (ours)" % (ref.status, ours.status))
    if case.status_in:
        d.check(ours.status in case.status_in, "status %d not in %s" % (ours.status, case.status_in))
    rcodes = [s for s, _, _ in ref.interim]
    ocodes = [s for s, _, _ in ours.interim]
    d.check(rcodes == ocodes, "interim 1xx: %s (httpbin) != %s (ours)" % (rcodes, ocodes))

    ref_empty = not ref.body
    for name in COMPARED_HEADERS:
        if name in case.ignore_headers:
            continue
        if name == "Content-Type" and (ref_empty or case.body_mode == "ignore"):
            continue
        a, b = header_value(name, ref, ctx), header_value(name, ours, ctx)
        if a is None and name in ADDITIVE_OK:
            continue
        if a != b:
            d.add("header %s: %r (httpbin) != %r (ours)" % (name, a, b))
    for name in case.compare_headers:      # every value, in order
        a = [ctx.text(x) for x in ref.header_all(name)]
        b = [ctx.text(x) for x in ours.header_all(name)]
        if a != b:
            d.add("header %s (all values): %r (httpbin) != %r (ours)" % (name, a, b))

    mode = case.body_mode
    if mode == "auto":
        mode = auto_mode(ref)
    if case.method == "HEAD" or mode == "ignore":
        return
    compare_body(mode, ref, ours, case, ctx, d)


def auto_mode(ref):
    if 300 <= ref.status < 400 and ref.body:
        return "ignore"       # Werkzeug's "Redirecting..." page: Location is what counts
    if not ref.body:
        return "empty"
    m = ref.mime
    if m == "application/json":
        return "json"
    if m.startswith("image/"):
        return "image"
    if m == "text/html":
        return "html"
    if m in ("application/xml", "text/xml"):
        return "xml"
    if m == "application/octet-stream":
        return "length"
    return "exact"


def compare_body(mode, ref, ours, case, ctx, d):
    if mode == "empty":
        d.check(not ours.body, "body: httpbin sends none, ours sends %r" % ours.body[:120])
        return
    if mode == "json":
        try:
            a = normalise_json(parse_json(ref, "httpbin"), ctx, volatile=case.volatile)
            b = normalise_json(parse_json(ours, "ours"), ctx, volatile=case.volatile)
        except AssertionError as e:
            d.add(str(e))
            return
        for x in json_diff(a, b):
            d.add("json " + x)
        return
    if mode == "jsonlines":
        la = [x for x in decoded_body(ref).split(b"\n") if x.strip()]
        lb = [x for x in decoded_body(ours).split(b"\n") if x.strip()]
        if not d.check(len(la) == len(lb), "json lines: %d (httpbin) != %d (ours)" % (len(la), len(lb))):
            return
        for i, (x, y) in enumerate(zip(la, lb)):
            try:
                a = normalise_json(json.loads(x), ctx, volatile=case.volatile)
                b = normalise_json(json.loads(y), ctx, volatile=case.volatile)
            except ValueError as e:
                d.add("line %d is not JSON: %s" % (i, e))
                continue
            for x in json_diff(a, b, "$line%d" % i):
                d.add("json " + x)
        return
    ba, bb = decoded_body(ref), decoded_body(ours)
    if mode == "exact":
        d.check(ctx.text(ba.decode("latin-1")) == ctx.text(bb.decode("latin-1")),
                "body: %r (httpbin) != %r (ours)" % (ba[:200], bb[:200]))
    elif mode == "length":
        d.check(len(ba) == len(bb), "body length: %d (httpbin) != %d (ours)" % (len(ba), len(bb)))
    elif mode == "image":
        d.check(bool(bb) and image_ok(ours), "ours: body is not a %s image (%r)" % (ours.mime, bb[:16]))
        d.check(image_ok(ref), "httpbin: body is not a %s image" % ref.mime)
    elif mode == "html":
        for who, b in (("httpbin", ba), ("ours", bb)):
            try:
                info = html_info(b)
                d.check("html" in info.tags or b"<html" in b.lower() or info.tags,
                        "%s: no HTML markup" % who)
            except Exception as e:
                d.add("%s: body is not UTF-8 HTML: %s" % (who, e))
    elif mode == "links":
        try:
            la, lb = html_info(ba).links, html_info(bb).links
            d.check(la == lb, "links: %r (httpbin) != %r (ours)" % (la[:6], lb[:6]))
            ta = "".join(html_info(ba).text).split()
            tb = "".join(html_info(bb).text).split()
            d.check(ta == tb, "link page text: %r != %r" % (ta[:12], tb[:12]))
        except Exception as e:
            d.add("links page unparsable: %s" % e)
    elif mode == "xml":
        try:
            sa, sb = xml_shape(ba), xml_shape(bb)
            d.check(sa == sb, "xml element tree differs: %r vs %r" % (_short(sa), _short(sb)))
        except ElementTree.ParseError as e:
            d.add("xml not well-formed: %s" % e)
    elif mode == "utf8":
        for who, b in (("httpbin", ba), ("ours", bb)):
            try:
                b.decode("utf-8")
            except UnicodeDecodeError as e:
                d.add("%s: body is not UTF-8: %s" % (who, e))
        d.check(bool(bb), "ours: empty body")
    elif mode.startswith("contains:"):
        needle = mode[len("contains:"):].encode()
        d.check(needle in ba, "httpbin body lacks %r" % needle)
        d.check(needle in bb, "ours body lacks %r: %r" % (needle, bb[:200]))
    else:
        d.add("unknown body mode %r" % mode)


_STRING = re.compile(r'"(?:[^"\\]|\\.)*"')


def _canon_strings(text):
    """Re-escapes every JSON string literal one way (\\uXXXX for non-ASCII),
    so raw UTF-8 and \\u escapes compare equal."""
    return _STRING.sub(lambda m: json.dumps(json.loads(m.group(0)), ensure_ascii=True), text)


def json_format_problems(body):
    """Our JSON must be laid out like httpbin.org's: keys sorted, 2-space
    indent, "key": value, no trailing spaces, one trailing newline.  Non-ASCII
    may be raw UTF-8 or \\u-escaped (httpbin escapes)."""
    try:
        text = body.decode("utf-8")
        obj = json.loads(text)
    except Exception as e:
        return ["not JSON: %s" % e]
    want = json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=True) + "\n"
    got = _canon_strings(text)
    if got == want:
        return []
    for i, (x, y) in enumerate(zip(got.splitlines(True), want.splitlines(True))):
        if x != y:
            return ["JSON layout differs from sorted keys/2-space indent/trailing newline at line %d: "
                    "%r, expected %r" % (i + 1, x, y)]
    return ["JSON layout differs (length %d, expected %d; one trailing newline?)" % (len(got), len(want))]
