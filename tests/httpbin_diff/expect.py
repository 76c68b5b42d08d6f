"""Assertions about OUR server's documented behaviour, for the cases where it
deliberately differs from httpbin (expected_difference) and for the endpoints
httpbin does not have (go-httpbin's and ours).  Each builder returns a
function check(ours, ref, ctx, d) that records problems in d (compare.Diffs);
ref is the httpbin response, or None when httpbin is not asked."""
import json
import re

from .compare import (decoded_body, header_value, json_diff, normalise_json, parse_json)


def _match(want, got):
    if want is True:
        return got is not None
    if callable(want):
        return got is not None and bool(want(got))
    if isinstance(want, re.Pattern):
        return got is not None and bool(want.search(got))
    return got is not None and got.strip().lower() == str(want).strip().lower()


def expect(status=None, interim=None, headers=None, absent=(), mime=None, json_=None,
           json_keys=None, body=None, contains=(), empty=None, same_as_ref=(),
           json_like_ref=False, volatile=(), custom=None):
    """status: code or tuple of codes; interim: list of 1xx codes sent before
    the final response; headers: {name: exact value | True (present) |
    callable(value) | compiled regex}; absent: names that must not be sent;
    mime: media type of Content-Type; json_: callable(obj) asserting, or a dict
    every item of which must be in the body object; json_keys: exact key set;
    body: bytes (exact) or callable(bytes) -> bool; contains: byte strings;
    empty: body must be (not) empty; same_as_ref: headers whose normalised
    value must equal httpbin's; json_like_ref: JSON body equal to httpbin's
    after normalisation; custom: callable(ours, ref, ctx, d)."""

    def check(ours, ref, ctx, d):
        if status is not None:
            ok = ours.status in status if isinstance(status, tuple) else ours.status == status
            d.check(ok, "status %d, expected %s" % (ours.status, status))
        if interim is not None:
            got = [s for s, _, _ in ours.interim]
            d.check(got == list(interim), "interim responses %s, expected %s" % (got, list(interim)))
        for name, want in (headers or {}).items():
            got = ours.header(name)
            d.check(_match(want, got), "header %s: %r, expected %s" % (
                name, got, getattr(want, "pattern", want if not callable(want) else "a valid value")))
        for name in absent:
            d.check(not ours.has(name), "header %s must not be sent (got %r)" % (name, ours.header(name)))
        if mime is not None:
            d.check(ours.mime == mime, "Content-Type %r, expected %s" % (ours.content_type, mime))
        raw = decoded_body(ours)
        if empty is True:
            d.check(not raw, "body must be empty, got %r" % raw[:120])
        elif empty is False:
            d.check(bool(raw), "body must not be empty")
        if body is not None:
            if callable(body):
                try:
                    ok = body(raw)
                except Exception as e:          # a malformed body is a failure, not a crash
                    ok = False
                    d.add("body does not parse as expected (%s: %s)" % (type(e).__name__, e))
                d.check(ok, "body not as expected: %r" % raw[:300])
            else:
                d.check(raw == body, "body %r, expected %r" % (raw[:200], body[:200]))
        for c in contains:
            d.check(c in raw, "body lacks %r: %r" % (c, raw[:300]))
        if json_ is not None or json_keys is not None or json_like_ref:
            try:
                obj = parse_json(ours, "ours")
            except AssertionError as e:
                d.add(str(e))
                obj = None
            if obj is not None:
                if json_keys is not None:
                    d.check(isinstance(obj, dict) and set(obj) == set(json_keys),
                            "JSON keys %s, expected %s" % (sorted(obj) if isinstance(obj, dict) else obj,
                                                           sorted(json_keys)))
                if isinstance(json_, dict):
                    for k, v in json_.items():
                        d.check(isinstance(obj, dict) and obj.get(k, KeyError) == v,
                                "JSON %s: %r, expected %r" % (k, obj.get(k) if isinstance(obj, dict) else obj, v))
                elif callable(json_):
                    try:
                        json_(obj)
                    except Exception as e:
                        d.add("JSON not as expected: %s: %s (body %r)" % (type(e).__name__, e, obj))
                if json_like_ref and ref is not None:
                    a = normalise_json(parse_json(ref, "httpbin"), ctx, volatile=volatile)
                    b = normalise_json(obj, ctx, volatile=volatile)
                    for x in json_diff(a, b):
                        d.add("json " + x)
        for name in same_as_ref:
            if ref is None:
                continue
            a, b = header_value(name, ref, ctx), header_value(name, ours, ctx)
            d.check(a == b, "header %s: %r (httpbin) != %r (ours)" % (name, a, b))
        if custom is not None:
            custom(ours, ref, ctx, d)
    return check


def steps(*checks):
    """For flow cases: one check per response of the flow."""
    def check(ours, ref, ctx, d):
        d.check(len(ours) == len(checks), "flow gave %d responses, expected %d" % (len(ours), len(checks)))
        for i, (c, o) in enumerate(zip(checks, ours)):
            sub = type(d)()
            c(o, ref[i] if ref and i < len(ref) else None, ctx, sub)
            for m in sub.items:
                d.add("step %d: %s" % (i + 1, m))
    return check


# ---------------------------------------------------------------- /status

# Headers issue 3 requires on /status/{code} (value: True = present).
REQUIRED = {
    300: {"Location": True}, 301: {"Location": True}, 302: {"Location": True},
    303: {"Location": True}, 305: {"Location": True}, 307: {"Location": True},
    308: {"Location": True},
    401: {"WWW-Authenticate": True}, 405: {"Allow": True},
    407: {"Proxy-Authenticate": True},
    416: {"Content-Range": re.compile(r"^bytes \*/\d+$")},
    426: {"Upgrade": True},
    429: {"Retry-After": re.compile(r"^\d+$")}, 503: {"Retry-After": re.compile(r"^\d+$")},
}


def describes(code):
    """Body of /status/{code}: the registry's description, in the negotiated
    format (JSON for Accept */*: an object whose "code" is the code)."""
    def body_ok(ours, ref, ctx, d):
        raw = decoded_body(ours)
        if code in (204, 304) or ours.status < 200:
            d.check(not raw, "status %d must have no body" % code)
            return
        if not d.check(bool(raw), "body must describe the code, got an empty body"):
            return
        if ours.mime == "application/json":
            try:
                obj = json.loads(raw)
                d.check(obj.get("code") == code, "JSON body code %r, expected %d" % (obj.get("code"), code))
            except ValueError as e:
                d.add("JSON body does not parse: %s" % e)
        else:
            d.check(str(code).encode() in raw, "body does not mention %d: %r" % (code, raw[:200]))
    return body_ok


def status_described(code, keep_ref_headers=True, extra=None):
    """Our /status/{code}: same status as httpbin, the headers the code
    requires, httpbin's own Location/WWW-Authenticate values where it sends
    them, and a body describing the code."""
    hdrs = dict(REQUIRED.get(code, {}))
    hdrs.update(extra or {})
    same = ("Location", "WWW-Authenticate") if keep_ref_headers else ()

    def same_where_ref_has(ours, ref, ctx, d):
        for name in same:
            if ref is not None and ref.has(name):
                a, b = header_value(name, ref, ctx), header_value(name, ours, ctx)
                d.check(a == b, "header %s: %r (httpbin) != %r (ours)" % (name, a, b))
        describes(code)(ours, ref, ctx, d)

    return expect(status=code, headers=hdrs, custom=same_where_ref_has)


def interim_then_200(code):
    return expect(status=200, interim=[code])


def bad_request(*contains):
    """400 with a body that says what was wrong (any format)."""
    return expect(status=400, empty=False, contains=contains)


def json_lines(n, each=None):
    def body_ok(raw):
        lines = [x for x in raw.split(b"\n") if x.strip()]
        if len(lines) != n:
            return False
        for i, ln in enumerate(lines):
            obj = json.loads(ln)
            if each and not each(i, obj):
                return False
        return True
    return body_ok


def sse_events(n):
    """text/event-stream body with n "ping" events whose data is
    {"id": i, "timestamp": <ms>} (go-httpbin's format)."""
    def ok(raw):
        events = [e for e in raw.replace(b"\r\n", b"\n").split(b"\n\n") if e.strip()]
        if len(events) != n:
            return False
        for i, ev in enumerate(events):
            fields = {}
            for ln in ev.split(b"\n"):
                k, _, v = ln.partition(b":")
                fields[k.strip()] = v.strip()
            if fields.get(b"event") != b"ping":
                return False
            data = json.loads(fields.get(b"data", b"null"))
            if data.get("id") != i or not isinstance(data.get("timestamp"), int):
                return False
        return True
    return ok
