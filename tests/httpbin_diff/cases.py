"""The table of the differential test: every endpoint of httpbin 0.7 (Debian's
python3-httpbin, routes from httpbin/core.py) with its parameters, plus the
go-httpbin endpoints httpbin lacks and our own additions.

A case is one request (or a short flow of requests, e.g. a digest
challenge/response) sent identically to httpbin and to our server:

* plain case: status, interim 1xx, the headers that matter and the body
  (structurally for JSON) must match after normalisation (compare.py);
* expected_difference="…": our server deliberately differs; `check` asserts
  OUR documented behaviour (expect.py).  Every reason string must appear
  verbatim in docs/httpbin-compat.md (test_compat_doc.py checks it);
* ours_only=True: an endpoint httpbin lacks; only our server is asked.
"""
import base64
import hashlib
import os
import re
import socket
import struct
import time
from dataclasses import dataclass
from http.cookies import SimpleCookie

from . import digest
import rawhttp
from .expect import (bad_request, expect, interim_then_200, json_lines, sse_events,
                    status_described, steps)

_NO = object()


@dataclass
class Case:
    id: str
    path: str
    method: str = "GET"
    query: object = None          # raw query string, or dict / list of pairs
    headers: tuple = ()           # ((name, value), ...) added to the defaults
    body: object = None           # bytes/str request body, sent as is
    form: object = None           # urlencoded (or multipart with files=)
    files: object = None
    json: object = _NO
    cookies: object = None
    auth: object = None           # (user, password) for Basic
    no_defaults: bool = False     # do not add User-Agent / Accept
    body_mode: str = "auto"       # see compare.compare_body
    compare_headers: tuple = ()   # extra headers compared with all values
    ignore_headers: tuple = ()
    volatile: tuple = ()          # JSON paths compared by type only
    flow: object = None           # callable(send) -> [Response, ...]
    expected_difference: object = None   # reason (str or tuple of str)
    check: object = None          # expect(...) for expected_difference / ours_only
    ref: bool = True              # ask httpbin too (expected_difference cases)
    ours_only: bool = False
    status_in: tuple = None       # random status: must be one of these
    invariant: object = None      # callable(resp_or_list, who) checked on both sides
    timeout: float = 20.0

    @property
    def reasons(self):
        r = self.expected_difference
        return () if not r else ((r,) if isinstance(r, str) else tuple(r))


DEFAULT_HEADERS = (("User-Agent", "httpbin-diff/1.0"), ("Accept", "*/*"))

# ---------------------------------------------------------------- reasons
# Each appears verbatim in docs/httpbin-compat.md.

R_JSON_LAYOUT = ("JSON bodies are laid out like httpbin.org's: keys sorted, 2-space indent, "
                 "one trailing newline")
R_STATUS_BODY = ("/status/{code} answers with a body describing the code (registry phrase and "
                 "summary, format negotiated by Accept) instead of httpbin's empty or canned body")
R_STATUS_HEADERS = ("/status/{code} sends the headers the code requires (Location for 300 and 308, "
                    "Allow for 405, Proxy-Authenticate for 407, Content-Range for 416, Upgrade for 426, "
                    "Retry-After for 429 and 503) where httpbin omits them")
R_STATUS_1XX = ("/status/1xx is sent as a real interim response followed by a final 200; httpbin "
                "sends the 1xx as the final status, with a chunked body")
R_STATUS_RANGE = ("/status/{code} outside 100-599 is rejected with 400; httpbin writes it into an "
                  "invalid status line")
R_TEAPOT = ("/status/418 answers with the registry's description of 418 I'm a teapot instead of "
            "httpbin's ASCII-art teapot and X-More-Info header")
R_BAD_INPUT = ("input that makes httpbin raise an exception (500 Internal Server Error) is answered "
               "with 400 and a message saying what is wrong")
R_DELAY_CAP = ("/delay/{n} above the cap (10 s by default) is answered with 400; httpbin silently "
               "waits 10 s")
R_DIGEST_QUERY = ("/digest-auth requests with a query string (e.g. ?require-cookie=1) are verified "
                  "with the query in the digest uri; Debian's httpbin crashes (500) on them")
R_BEARER = ("/bearer accepts only an Authorization of the form \"Bearer TOKEN\"; httpbin strips "
            "the letters B, e, a, r from the start of any Authorization value and accepts it")
R_ETAG_QUOTED = ("/etag/{etag} sends the ETag as a quoted entity-tag as RFC 9110 requires; httpbin "
                 "sends it bare")
R_ETAG_ORDER = ("/etag/{etag} evaluates If-Match before If-None-Match (RFC 9110 section 13.2.2); "
                "httpbin lets If-None-Match decide")
R_RANGE_MULTI = ("/range/{n} answers several ranges with 206 multipart/byteranges; httpbin misparses "
                 "them and sends the whole body")
R_RANGE_CLAMP = ("/range/{n} clamps a last-byte-pos beyond the end (RFC 9110 section 14.1.2); "
                 "httpbin answers 416")
R_IF_RANGE = ("/range/{n} honours If-Range: a validator other than the current ETag gets the whole "
              "body with 200; httpbin ignores If-Range")
R_RESP_CT = ("/response-headers?Content-Type=... replaces the Content-Type instead of sending two "
             "Content-Type headers")
R_GO_HTTPBIN = "endpoint of go-httpbin that Debian's httpbin 0.7 does not have"
R_OURS = "endpoint added by issue 4 that neither httpbin nor go-httpbin has"

ALL_REASONS = (R_JSON_LAYOUT, R_STATUS_BODY, R_STATUS_HEADERS, R_STATUS_1XX, R_STATUS_RANGE,
               R_TEAPOT, R_BAD_INPUT, R_DELAY_CAP, R_DIGEST_QUERY, R_BEARER, R_ETAG_QUOTED,
               R_ETAG_ORDER, R_RANGE_MULTI, R_RANGE_CLAMP, R_IF_RANGE, R_RESP_CT,
               R_GO_HTTPBIN, R_OURS)

# ---------------------------------------------------------------- flows


def _jar_update(jar, resp):
    for line in resp.header_all("Set-Cookie"):
        c = SimpleCookie()
        c.load(line)
        for k, m in c.items():
            if m["max-age"] == "0":
                jar.pop(k, None)
            else:
                jar[k] = m.value
    return jar


def _cookie_header(jar):
    return "; ".join("%s=%s" % kv for kv in jar.items())


def digest_flow(path, user, password, attempts=1, qop=None, password_used=None,
                send_cookies=True, extra_cookies=None, method="GET", body=b""):
    """Challenge, then `attempts` authenticated requests, each answering the
    latest challenge and carrying the cookies set so far (a browser-like jar)."""
    def flow(send):
        out = [send(method, path, body=body)]
        jar = _jar_update({}, out[0])
        challenge = out[0]
        for _ in range(attempts):
            _, params = digest.parse_challenge(challenge.header("WWW-Authenticate") or "")
            hdrs = [("Authorization", digest.authorization(
                params, method, path, user, password_used or password, body=body, qop=qop))]
            cj = dict(jar)
            cj.update(extra_cookies or {})
            if send_cookies and cj:
                hdrs.append(("Cookie", _cookie_header(cj)))
            r = send(method, path, headers=hdrs, body=body)
            out.append(r)
            _jar_update(jar, r)
            if r.status == 401:
                challenge = r
        return out
    return flow


def repeat_flow(path, n=2, headers=()):
    def flow(send):
        return [send("GET", path, headers=headers) for _ in range(n)]
    return flow


def same_bodies(resps, who):
    assert len({r.body for r in resps}) == 1, "%s: same request gave different bodies" % who


def same_status(resps, who):
    assert len({r.status for r in resps}) == 1, "%s: same seed gave different statuses" % who


def websocket_flow(send):
    """RFC 6455 handshake on /websocket/echo, one masked text frame, and the
    echoed frame read back; returns [handshake, echo] as Responses."""
    host, port = send.addr
    key = base64.b64encode(os.urandom(16)).decode()
    req = ("GET /websocket/echo HTTP/1.1\r\nHost: %s:%d\r\nUpgrade: websocket\r\n"
           "Connection: Upgrade\r\nSec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n"
           % (host, port, key)).encode()
    with socket.create_connection((host, port), timeout=5) as s:
        s.sendall(req)
        rd = rawhttp._Reader(s, time.monotonic() + 5)
        status, reason, hdrs, raw = rawhttp._read_head(rd)
        hs = rawhttp.Response(status, reason, hdrs, b"", raw_head=raw)
        want = base64.b64encode(hashlib.sha1(
            (key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()).decode()
        hs.body = want.encode()          # the accept value it must carry
        if status != 101:
            return [hs, rawhttp.Response(0, "", [], b"")]
        payload = b"hello from httpbin-diff"
        mask = os.urandom(4)
        frame = bytes([0x81, 0x80 | len(payload)]) + mask + bytes(
            b ^ mask[i % 4] for i, b in enumerate(payload))
        s.sendall(frame)
        h = rd.exactly(2)
        n = h[1] & 0x7F
        if n == 126:
            n = struct.unpack(">H", rd.exactly(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", rd.exactly(8))[0]
        data = rd.exactly(n)
        s.sendall(bytes([0x88, 0x82]) + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(b"\x03\xe8")))
        echo = rawhttp.Response(h[0], "frame", [], data)
        return [hs, echo]


def _ws_accept_ok(ours, ref, ctx, d):
    d.check((ours.header("Sec-WebSocket-Accept") or "").encode() == ours.body,
            "Sec-WebSocket-Accept %r, expected %r" % (ours.header("Sec-WebSocket-Accept"), ours.body))


def _trailers_ok(ours, ref, ctx, d):
    announced = {t.strip().lower() for v in ours.header_all("Trailer") for t in v.split(",")}
    d.check({"x-trailer-a", "x-trailer-b"} <= announced, "Trailer header announces %s" % announced)
    d.check(ours.trailer("X-Trailer-A") == "1" and ours.trailer("X-Trailer-B") == "two",
            "trailers %r" % ours.trailers)


def _sse_ct(v):
    return v.lower().startswith("text/event-stream")


# ---------------------------------------------------------------- the table

def C(id, path, **kw):
    return Case(id=id, path=path, **kw)


def status_case(code, method="GET", reasons=None, **kw):
    rs = reasons or (R_STATUS_BODY,)
    if code in (300, 308, 405, 407, 416, 426, 429, 503):
        rs = tuple(rs) + (R_STATUS_HEADERS,)
    return C("status-%s%s" % (code, "" if method == "GET" else "-" + method.lower()),
             "/status/%s" % code, method=method, expected_difference=rs,
             check=status_described(code), **kw)


ERR = dict(body_mode="ignore")   # error pages: status and headers only

CASES = [
    # ---- echo: /get
    C("get-plain", "/get"),
    C("get-args", "/get", query="a=1&b=two"),
    C("get-repeated-args", "/get", query="a=1&a=2&a=3&b=x"),
    C("get-empty-arg-values", "/get", query="b=&c"),
    C("get-encoded-args", "/get", query="d=%20x+y&f=a%26b&g=%2B&h=%3D"),
    C("get-unicode-args", "/get", query="e=%E2%9C%93&name=%C3%A9t%C3%A9"),
    C("get-bad-percent-escapes", "/get", query="a=%ZZ&b=%"),
    C("get-custom-headers", "/get", headers=(("X-Custom-Thing", "v"), ("x-lower-case", "1"))),
    C("get-repeated-header", "/get", headers=(("X-Dup", "1"), ("X-Dup", "2"))),
    C("get-empty-header", "/get", headers=(("X-Empty", ""),)),
    C("get-env-headers-hidden", "/get", headers=(
        ("X-Forwarded-For", "1.2.3.4"), ("Via", "1.1 proxy"), ("X-Request-Id", "r1"),
        ("X-Real-Ip", "9.9.9.9"), ("Connect-Time", "1"))),
    C("get-show-env", "/get", query="show_env=1", headers=(
        ("X-Forwarded-For", "1.2.3.4"), ("Via", "1.1 proxy"), ("X-Request-Id", "r1"))),
    C("get-forwarded-proto", "/get", headers=(("X-Forwarded-Proto", "https"),)),
    C("get-forwarded-protocol", "/get", headers=(("X-Forwarded-Protocol", "https"),)),
    C("get-forwarded-ssl", "/get", headers=(("X-Forwarded-Ssl", "on"),)),
    C("get-host-header", "/get", query="x=1", headers=(("Host", "example.com:8080"),)),
    C("get-cookie-header", "/get", cookies={"a": "1", "b": "2"}),
    C("get-authorization-header", "/get", auth=("u", "p")),
    C("get-no-default-headers", "/get", no_defaults=True),
    C("get-post-not-allowed", "/get", method="POST", **ERR),
    C("get-head", "/get", method="HEAD"),
    C("get-options", "/get", method="OPTIONS"),
    C("get-trailing-slash-404", "/get/", **ERR),
    # ---- echo: /anything
    C("anything-get", "/anything"),
    C("anything-subpath", "/anything/foo/bar", query="x=1&x=2"),
    C("anything-encoded-path", "/anything/%7Efoo%2Fbar%20baz"),
    C("anything-post-form", "/anything", method="POST", form={"a": ["1", "2"], "b": "x"}),
    C("anything-put-json", "/anything/put", method="PUT", json={"k": [1, 2.5, None, True]}),
    C("anything-delete", "/anything", method="DELETE"),
    C("anything-patch-text", "/anything", method="PATCH", body="patched",
      headers=(("Content-Type", "text/plain"),)),
    C("anything-trace", "/anything", method="TRACE"),
    C("anything-get-with-body", "/anything", body="hello", headers=(("Content-Type", "text/plain"),)),
    C("anything-chunked-request", "/anything", method="POST", body=b"5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n",
      headers=(("Transfer-Encoding", "chunked"), ("Content-Type", "text/plain"))),
    C("anything-options", "/anything/x", method="OPTIONS"),
    C("anything-head", "/anything", method="HEAD"),
    # ---- echo: /post /put /patch /delete
    C("post-form", "/post", method="POST", form={"a": ["1", "2"], "b": "x"}),
    C("post-form-utf8", "/post", method="POST", body="a=%C3%A9&b=1&b=2",
      headers=(("Content-Type", "application/x-www-form-urlencoded; charset=utf-8"),)),
    C("post-json-object", "/post", method="POST", json={"k": [1, 2.5, None, True], "s": "\u00e9", "o": {}}),
    C("post-json-array", "/post", method="POST", json=[1, "x", None, {"a": []}]),
    C("post-json-scalar", "/post", method="POST", json=42),
    C("post-json-wide-numbers", "/post", method="POST",
      body='{"big": 123456789012345678901234567890, "neg": -98765432109876543210, '
           '"inf": 1e400, "ninf": -1E999, "lit": [Infinity, -Infinity], "tiny": 1e-400, "ok": 7}',
      headers=(("Content-Type", "application/json"),)),
    # floats of every length of shortest repr, and nesting below the JSON limits (issue 13)
    C("post-json-floats", "/post", method="POST",
      json=[i * 0.1 for i in range(300)] + [i / 7 for i in range(1, 60)] +
           [1 / 3, 1e-7, 123456.789, 1e22, 1e16, 5e-324, 1.7976931348623157e308, 2 ** 0.5, -0.0]),
    C("post-json-nested-100", "/post", method="POST",
      body="[" * 50 + '{"a": [1.5, {"b": null}]}' + "]" * 50,
      headers=(("Content-Type", "application/json"),)),
    C("post-json-too-many-digits", "/post", method="POST", body="[" + "9" * 4301 + "]",
      headers=(("Content-Type", "application/json"),)),
    C("post-invalid-json", "/post", method="POST", body="{bad json",
      headers=(("Content-Type", "application/json"),)),
    C("post-json-without-content-type", "/post", method="POST", body='{"a": 1}',
      headers=(("Content-Type", "text/plain"),)),
    C("post-text", "/post", method="POST", body="plain text body", headers=(("Content-Type", "text/plain"),)),
    C("post-utf8-text", "/post", method="POST", body="caf\u00e9 \u2713".encode(),
      headers=(("Content-Type", "text/plain; charset=utf-8"),)),
    C("post-binary", "/post", method="POST", body=b"\x00\xff\xfe binary\x80",
      headers=(("Content-Type", "application/octet-stream"),)),
    C("post-multipart-files", "/post", method="POST", form={"field": "v"},
      files={"f1": ("a.txt", b"hello", "text/plain"),
             "f2": ("b.bin", b"\xff\x00\x01", "application/octet-stream")}),
    C("post-multipart-repeated-fields", "/post", method="POST", form={"n": ["1", "2"]},
      files={"f": ("a.txt", b"one", "text/plain")}),
    C("post-multipart-no-file-type", "/post", method="POST",
      files={"f": ("a.txt", b"\x89PNG\r\n\x1a\n")}),
    C("post-empty", "/post", method="POST"),
    C("post-query-and-form", "/post", method="POST", query="q=1&q=2", form={"a": "1"}),
    C("post-get-not-allowed", "/post", **ERR),
    C("put-form", "/put", method="PUT", form={"a": "1"}),
    C("put-json", "/put", method="PUT", json={"a": 1}),
    C("put-post-not-allowed", "/put", method="POST", **ERR),
    C("patch-json", "/patch", method="PATCH", json={"op": "replace"}),
    C("patch-form", "/patch", method="PATCH", form={"z": "1"}),
    C("delete-plain", "/delete", method="DELETE", query="q=1"),
    C("delete-with-json", "/delete", method="DELETE", json={"id": 7}),
    C("delete-get-not-allowed", "/delete", **ERR),
    # ---- request inspection
    C("headers", "/headers"),
    C("headers-custom-casing", "/headers", headers=(("x-custom-thing", "v"), ("ACCEPT-LANGUAGE", "en"))),
    C("headers-env-hidden", "/headers", headers=(("X-Forwarded-For", "1.2.3.4"), ("Via", "1.1 x"))),
    C("headers-show-env", "/headers", query="show_env=1", headers=(("X-Forwarded-For", "1.2.3.4"),)),
    C("ip", "/ip"),
    C("ip-forwarded-for", "/ip", headers=(("X-Forwarded-For", "1.2.3.4, 5.6.7.8"),)),
    C("user-agent", "/user-agent"),
    C("user-agent-custom", "/user-agent", headers=(("User-Agent", "ua/1.0 (x)"),)),
    C("user-agent-missing", "/user-agent", no_defaults=True),
    C("uuid", "/uuid"),
    # ---- /response-headers
    C("response-headers-simple", "/response-headers", query="freeform=hello",
      compare_headers=("freeform",), volatile=("Content-Length",)),
    C("response-headers-repeated", "/response-headers", query="a=1&a=2&b=x",
      compare_headers=("a", "b"), volatile=("Content-Length",)),
    C("response-headers-none", "/response-headers", volatile=("Content-Length",)),
    C("response-headers-post", "/response-headers", method="POST", query="x=y",
      compare_headers=("x",), volatile=("Content-Length",)),
    C("response-headers-content-type", "/response-headers", query="Content-Type=text/plain",
      expected_difference=R_RESP_CT,
      check=expect(status=200, headers={"Content-Type": "text/plain"},
                   custom=lambda o, r, c, d: d.check(len(o.header_all("Content-Type")) == 1,
                                                     "exactly one Content-Type header"),
                   json_=lambda j: _assert(j.get("Content-Type") == "text/plain", j))),
    # ---- redirects
    C("redirect-1", "/redirect/1"),
    C("redirect-3", "/redirect/3", body_mode="ignore"),
    C("redirect-3-absolute", "/redirect/3", query="absolute=true", body_mode="ignore"),
    C("redirect-1-absolute", "/redirect/1", query="absolute=true", body_mode="ignore"),
    C("redirect-absolute-uppercase", "/redirect/2", query="absolute=TRUE", body_mode="ignore"),
    C("redirect-absolute-false", "/redirect/2", query="absolute=false", body_mode="ignore"),
    C("redirect-zero", "/redirect/0", expected_difference=R_BAD_INPUT, check=bad_request()),
    C("redirect-negative-404", "/redirect/-1", **ERR),
    C("redirect-nonnumeric-404", "/redirect/x", **ERR),
    C("relative-redirect-1", "/relative-redirect/1"),
    C("relative-redirect-3", "/relative-redirect/3"),
    C("relative-redirect-zero", "/relative-redirect/0", expected_difference=R_BAD_INPUT,
      check=bad_request()),
    C("absolute-redirect-1", "/absolute-redirect/1", body_mode="ignore"),
    C("absolute-redirect-3", "/absolute-redirect/3", body_mode="ignore"),
    C("absolute-redirect-host-header", "/absolute-redirect/2", headers=(("Host", "example.com"),),
      body_mode="ignore"),
    C("absolute-redirect-zero", "/absolute-redirect/0", expected_difference=R_BAD_INPUT,
      check=bad_request()),
    C("redirect-to-absolute", "/redirect-to", query="url=http%3A%2F%2Fexample.com%2F"),
    C("redirect-to-relative", "/redirect-to", query="url=/get%3Fa%3D1"),
    C("redirect-to-301", "/redirect-to", query="url=/get&status_code=301"),
    C("redirect-to-303", "/redirect-to", query="url=/get&status_code=303"),
    C("redirect-to-307", "/redirect-to", query="url=/get&status_code=307"),
    C("redirect-to-308", "/redirect-to", query="url=/get&status_code=308"),
    C("redirect-to-status-out-of-range", "/redirect-to", query="url=/get&status_code=200"),
    C("redirect-to-uppercase-params", "/redirect-to", query="URL=/get&STATUS_CODE=307"),
    C("redirect-to-unicode-url", "/redirect-to", query="url=http%3A%2F%2Fexample.com%2F%C3%A9"),
    C("redirect-to-post-307", "/redirect-to", method="POST", query="url=/post&status_code=307",
      form={"a": "1"}),
    C("redirect-to-missing-url", "/redirect-to", expected_difference=R_BAD_INPUT,
      check=bad_request(b"url")),
    C("redirect-to-bad-status", "/redirect-to", query="url=/get&status_code=abc",
      expected_difference=R_BAD_INPUT, check=bad_request()),
    # ---- cookies
    C("cookies-none", "/cookies"),
    C("cookies-some", "/cookies", cookies={"a": "1", "b": "two"}),
    C("cookies-env-hidden", "/cookies", headers=(("Cookie", "a=1; __utma=x; _gauges_unique=1"),)),
    C("cookies-show-env", "/cookies", query="show_env=1", headers=(("Cookie", "a=1; __utma=x"),)),
    C("cookies-set-query", "/cookies/set", query="a=1&b=2"),
    C("cookies-set-repeated-key", "/cookies/set", query="a=1&a=2"),
    C("cookies-set-space-value", "/cookies/set", query="k=a%20b"),
    C("cookies-set-none", "/cookies/set"),
    C("cookies-set-path", "/cookies/set/name/value"),
    C("cookies-delete", "/cookies/delete", query="a&b="),
    C("cookies-delete-none", "/cookies/delete"),
    # ---- basic / bearer auth
    C("basic-auth-ok", "/basic-auth/user/passwd", auth=("user", "passwd")),
    C("basic-auth-wrong-password", "/basic-auth/user/passwd", auth=("user", "nope")),
    C("basic-auth-wrong-user", "/basic-auth/user/passwd", auth=("other", "passwd")),
    C("basic-auth-missing", "/basic-auth/user/passwd"),
    C("basic-auth-malformed", "/basic-auth/user/passwd", headers=(("Authorization", "Basic !!!"),)),
    C("hidden-basic-auth-ok", "/hidden-basic-auth/user/passwd", auth=("user", "passwd")),
    C("hidden-basic-auth-wrong", "/hidden-basic-auth/user/passwd", auth=("user", "nope")),
    C("hidden-basic-auth-missing", "/hidden-basic-auth/user/passwd"),
    C("bearer-ok", "/bearer", headers=(("Authorization", "Bearer tok123"),)),
    C("bearer-missing", "/bearer"),
    C("bearer-basic-scheme", "/bearer", headers=(("Authorization", "Basic dTpw"),),
      expected_difference=R_BEARER,
      check=expect(status=401, headers={"WWW-Authenticate": "Bearer"})),
    C("bearer-no-token", "/bearer", headers=(("Authorization", "Bearer"),),
      expected_difference=R_BEARER,
      check=expect(status=401, headers={"WWW-Authenticate": "Bearer"})),
    # ---- digest auth: challenges
    C("digest-challenge-auth-md5", "/digest-auth/auth/user/passwd"),
    C("digest-challenge-auth-int", "/digest-auth/auth-int/user/passwd"),
    C("digest-challenge-sha256", "/digest-auth/auth/user/passwd/SHA-256"),
    C("digest-challenge-sha512", "/digest-auth/auth-int/user/passwd/SHA-512"),
    C("digest-challenge-unknown-qop", "/digest-auth/bogus/user/passwd"),
    C("digest-challenge-unknown-algorithm", "/digest-auth/auth/user/passwd/SHA-1"),
    C("digest-challenge-stale-after", "/digest-auth/auth/user/passwd/MD5/3"),
    C("digest-garbage-authorization", "/digest-auth/auth/user/passwd",
      headers=(("Authorization", "Digest garbage"),)),
    C("digest-basic-authorization", "/digest-auth/auth/user/passwd", auth=("user", "passwd")),
    # ---- digest auth: full exchanges
    C("digest-flow-auth-md5", "/digest-auth/auth/user/passwd",
      flow=digest_flow("/digest-auth/auth/user/passwd", "user", "passwd")),
    C("digest-flow-auth-sha256", "/digest-auth/auth/user/passwd/SHA-256",
      flow=digest_flow("/digest-auth/auth/user/passwd/SHA-256", "user", "passwd")),
    C("digest-flow-auth-sha512", "/digest-auth/auth/user/passwd/SHA-512",
      flow=digest_flow("/digest-auth/auth/user/passwd/SHA-512", "user", "passwd")),
    C("digest-flow-auth-int-md5", "/digest-auth/auth-int/user/passwd",
      flow=digest_flow("/digest-auth/auth-int/user/passwd", "user", "passwd")),
    C("digest-flow-auth-int-sha256", "/digest-auth/auth-int/user/passwd/SHA-256",
      flow=digest_flow("/digest-auth/auth-int/user/passwd/SHA-256", "user", "passwd")),
    C("digest-flow-auth-int-sha512", "/digest-auth/auth-int/user/passwd/SHA-512",
      flow=digest_flow("/digest-auth/auth-int/user/passwd/SHA-512", "user", "passwd")),
    C("digest-flow-rfc2069-no-qop", "/digest-auth/none/user/passwd",
      flow=digest_flow("/digest-auth/none/user/passwd", "user", "passwd", qop="")),
    C("digest-flow-both-qops-auth-int", "/digest-auth/none/user/passwd",
      flow=digest_flow("/digest-auth/none/user/passwd", "user", "passwd", qop="auth-int")),
    C("digest-flow-wrong-password", "/digest-auth/auth/user/passwd",
      flow=digest_flow("/digest-auth/auth/user/passwd", "user", "passwd", password_used="nope")),
    C("digest-flow-wrong-user", "/digest-auth/auth/user/passwd",
      flow=digest_flow("/digest-auth/auth/user/passwd", "other", "passwd")),
    C("digest-flow-stale-after-never", "/digest-auth/auth/user/passwd/MD5/never",
      flow=digest_flow("/digest-auth/auth/user/passwd/MD5/never", "user", "passwd", attempts=2)),
    C("digest-flow-stale-after-1", "/digest-auth/auth/user/passwd/MD5/1",
      flow=digest_flow("/digest-auth/auth/user/passwd/MD5/1", "user", "passwd", attempts=3)),
    C("digest-flow-stale-after-0", "/digest-auth/auth/user/passwd/SHA-256/0",
      flow=digest_flow("/digest-auth/auth/user/passwd/SHA-256/0", "user", "passwd", attempts=1)),
    C("digest-require-cookie-without-cookie", "/digest-auth/auth/user/passwd?require-cookie=1",
      flow=digest_flow("/digest-auth/auth/user/passwd?require-cookie=1", "user", "passwd",
                       send_cookies=False)),
    C("digest-require-cookie-wrong-cookie", "/digest-auth/auth/user/passwd?require-cookie=true",
      flow=digest_flow("/digest-auth/auth/user/passwd?require-cookie=true", "user", "passwd",
                       extra_cookies={"fake": "wrong"})),
    C("digest-require-cookie-ok", "/digest-auth/auth/user/passwd?require-cookie=1",
      flow=digest_flow("/digest-auth/auth/user/passwd?require-cookie=1", "user", "passwd"),
      expected_difference=R_DIGEST_QUERY,
      check=steps(expect(status=401, headers={"WWW-Authenticate": re.compile(r"^Digest ")}),
                  expect(status=200, json_={"authenticated": True, "user": "user"}))),
    C("digest-query-string-ok", "/digest-auth/auth-int/user/passwd/SHA-256?x=1",
      flow=digest_flow("/digest-auth/auth-int/user/passwd/SHA-256?x=1", "user", "passwd"),
      expected_difference=R_DIGEST_QUERY,
      check=steps(expect(status=401), expect(status=200, json_={"authenticated": True, "user": "user"}))),
    # ---- /status
    status_case(200),
    status_case(201, "POST"),
    status_case(202, "PUT"),
    status_case(203, "PATCH"),
    status_case(200, "DELETE"),
    status_case(200, "TRACE"),
    C("status-204", "/status/204"),
    C("status-304", "/status/304"),
    C("status-418-head", "/status/418", method="HEAD", ignore_headers=("Content-Type",)),
    status_case(206),
    status_case(300),
    status_case(301),
    status_case(302),
    status_case(303),
    status_case(305),
    status_case(307),
    status_case(308),
    status_case(400),
    status_case(401),
    status_case(402),
    status_case(403),
    status_case(404),
    status_case(405),
    status_case(406),
    status_case(407),
    status_case(410),
    status_case(416),
    C("status-418", "/status/418", expected_difference=R_TEAPOT,
      check=expect(status=418, empty=False, body=lambda b: b"teapot" in b.lower())),
    status_case(426),
    status_case(429),
    status_case(451),
    status_case(500),
    status_case(502),
    status_case(503),
    status_case(504),
    status_case(599),
    C("status-100", "/status/100", expected_difference=R_STATUS_1XX, check=interim_then_200(100)),
    C("status-102", "/status/102", expected_difference=R_STATUS_1XX, check=interim_then_200(102)),
    C("status-103", "/status/103", expected_difference=R_STATUS_1XX, check=interim_then_200(103)),
    C("status-weighted-deterministic", "/status/200:0,201:1", expected_difference=R_STATUS_BODY,
      check=status_described(201)),
    C("status-weighted-random", "/status/200,404", status_in=(200, 404),
      expected_difference=R_STATUS_BODY,
      check=expect(status=(200, 404), empty=False)),
    C("status-weighted-5xx", "/status/500:1,503:1", status_in=(500, 503),
      expected_difference=R_STATUS_BODY, check=expect(status=(500, 503), empty=False)),
    C("status-invalid-code", "/status/abc", expected_difference=R_STATUS_BODY, check=bad_request()),
    C("status-invalid-weight", "/status/200:x,201", expected_difference=R_STATUS_BODY,
      check=bad_request()),
    C("status-99", "/status/99", expected_difference=R_STATUS_RANGE, check=bad_request()),
    C("status-600", "/status/600", expected_difference=R_STATUS_RANGE, check=bad_request()),
    C("status-0", "/status/0", expected_difference=R_STATUS_RANGE, check=bad_request()),
    # ---- delays and streams
    C("delay-0", "/delay/0"),
    C("delay-fraction", "/delay/0.3", query="a=1"),
    C("delay-post-not-allowed", "/delay/0", method="POST", **ERR),
    C("delay-not-a-number", "/delay/abc", expected_difference=R_BAD_INPUT, check=bad_request()),
    C("delay-negative", "/delay/-1", expected_difference=R_BAD_INPUT, check=bad_request()),
    C("delay-above-cap", "/delay/11", expected_difference=R_DELAY_CAP, ref=False,
      check=expect(status=400, empty=False,
                   custom=lambda o, r, c, d: d.check(o.elapsed < 5, "400 must come at once"))),
    C("drip-defaults", "/drip"),
    C("drip-params", "/drip", query="numbytes=5&duration=0.2&delay=0&code=201"),
    C("drip-delay", "/drip", query="numbytes=2&duration=0&delay=0.2"),
    C("drip-code-418", "/drip", query="numbytes=1&duration=0&code=418"),
    C("drip-zero-bytes", "/drip", query="numbytes=0", **ERR),
    C("drip-bad-numbytes", "/drip", query="numbytes=x", expected_difference=R_BAD_INPUT,
      check=bad_request()),
    C("drip-bad-code", "/drip", query="numbytes=1&duration=0&code=abc", expected_difference=R_BAD_INPUT,
      check=bad_request()),
    C("bytes-16", "/bytes/16"),
    C("bytes-0", "/bytes/0"),
    C("bytes-seeded", "/bytes/64", query="seed=1"),
    C("bytes-seed-deterministic", "/bytes/32?seed=42", flow=repeat_flow("/bytes/32?seed=42"),
      invariant=same_bodies),
    C("bytes-over-cap", "/bytes/200000"),
    C("bytes-negative-404", "/bytes/-1", **ERR),
    C("bytes-bad-seed", "/bytes/4", query="seed=x", expected_difference=R_BAD_INPUT,
      check=bad_request()),
    C("stream-bytes-20", "/stream-bytes/20"),
    C("stream-bytes-chunked", "/stream-bytes/20", query="chunk_size=7&seed=3"),
    C("stream-bytes-0", "/stream-bytes/0"),
    C("stream-bytes-over-cap", "/stream-bytes/200000", query="chunk_size=65536"),
    C("stream-bytes-seed-deterministic", "/stream-bytes/40?seed=7&chunk_size=3",
      flow=repeat_flow("/stream-bytes/40?seed=7&chunk_size=3"), invariant=same_bodies),
    C("stream-3", "/stream/3", body_mode="jsonlines"),
    C("stream-with-args", "/stream/2", query="a=1&a=2", body_mode="jsonlines",
      headers=(("X-Test", "1"),)),
    C("stream-0", "/stream/0", body_mode="jsonlines"),
    C("stream-over-cap", "/stream/150", body_mode="jsonlines"),
    # ---- range
    C("range-whole", "/range/30"),
    C("range-partial", "/range/30", headers=(("Range", "bytes=5-9"),)),
    C("range-open-end", "/range/30", headers=(("Range", "bytes=25-"),)),
    C("range-suffix", "/range/30", headers=(("Range", "bytes=-4"),)),
    C("range-full-explicit", "/range/30", headers=(("Range", "bytes=0-29"),)),
    C("range-unsatisfiable", "/range/30", headers=(("Range", "bytes=40-50"),), ignore_headers=("Content-Type",)),
    C("range-reversed", "/range/30", headers=(("Range", "bytes=9-5"),), ignore_headers=("Content-Type",)),
    C("range-unknown-unit", "/range/30", headers=(("Range", "items=0-3"),)),
    C("range-large", "/range/3000", headers=(("Range", "bytes=2990-"),)),
    C("range-chunk-and-duration", "/range/30", query="chunk_size=4&duration=0.1",
      headers=(("Range", "bytes=0-9"),)),
    C("range-zero-404", "/range/0", **ERR),
    C("range-too-large-404", "/range/200000", **ERR),
    C("range-if-range-match", "/range/30", headers=(("Range", "bytes=0-4"), ("If-Range", "range30"))),
    C("range-multiple", "/range/30", headers=(("Range", "bytes=0-4,10-14"),),
      expected_difference=R_RANGE_MULTI,
      check=expect(status=206, mime="multipart/byteranges",
                   contains=(b"Content-Range: bytes 0-4/30", b"Content-Range: bytes 10-14/30",
                             b"abcde", b"klmno"))),
    C("range-end-beyond", "/range/30", headers=(("Range", "bytes=20-100"),),
      expected_difference=R_RANGE_CLAMP,
      check=expect(status=206, headers={"Content-Range": "bytes 20-29/30"}, body=b"uvwxyzabcd")),
    C("range-if-range-mismatch", "/range/30", headers=(("Range", "bytes=0-4"), ("If-Range", '"other"')),
      expected_difference=R_IF_RANGE,
      check=expect(status=200, body=b"abcdefghijklmnopqrstuvwxyzabcd")),
    # ---- links
    C("links-page", "/links/3/1", body_mode="links"),
    C("links-redirect", "/links/3", body_mode="ignore"),
    C("links-zero", "/links/0/0", body_mode="links"),
    C("links-offset-beyond", "/links/3/10", body_mode="links"),
    C("links-over-cap", "/links/300/0", body_mode="links"),
    # ---- caching
    C("cache-plain", "/cache"),
    C("cache-if-modified-since", "/cache", headers=(("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"),)),
    C("cache-if-none-match", "/cache", headers=(("If-None-Match", '"x"'),)),
    C("cache-control-60", "/cache/60"),
    C("cache-control-0", "/cache/0"),
    C("cache-control-bad-404", "/cache/abc", **ERR),
    C("etag-plain", "/etag/abc"),
    C("etag-if-none-match-hit", "/etag/abc", headers=(("If-None-Match", '"abc"'),)),
    C("etag-if-none-match-weak-list", "/etag/abc", headers=(("If-None-Match", 'W/"abc", "x"'),)),
    C("etag-if-none-match-star", "/etag/abc", headers=(("If-None-Match", "*"),)),
    C("etag-if-none-match-miss", "/etag/abc", headers=(("If-None-Match", '"zzz"'),)),
    C("etag-if-match-miss", "/etag/abc", headers=(("If-Match", '"zzz"'),)),
    C("etag-if-match-hit", "/etag/abc", headers=(("If-Match", '"abc"'),)),
    C("etag-if-match-star", "/etag/abc", headers=(("If-Match", "*"),)),
    C("etag-if-match-list", "/etag/abc", headers=(("If-Match", '"x", "abc"'),)),
    C("etag-quoted", "/etag/abc", expected_difference=R_ETAG_QUOTED,
      check=expect(status=200, headers={"ETag": '"abc"'}, json_like_ref=True)),
    C("etag-if-match-before-if-none-match", "/etag/abc",
      headers=(("If-Match", '"zzz"'), ("If-None-Match", '"zzz"')),
      expected_difference=R_ETAG_ORDER, check=expect(status=412)),
    # ---- encodings and formats
    C("gzip", "/gzip"),
    C("gzip-with-args", "/gzip", query="a=1", headers=(("X-Test", "1"),)),
    C("deflate", "/deflate"),
    C("brotli", "/brotli"),
    C("gzip-post-not-allowed", "/gzip", method="POST", **ERR),
    C("html", "/html", body_mode="contains:Herman Melville - Moby-Dick"),
    C("xml", "/xml", body_mode="xml"),
    C("robots-txt", "/robots.txt"),
    C("deny", "/deny", body_mode="contains:YOU SHOULDN'T BE HERE"),
    C("encoding-utf8", "/encoding/utf8", body_mode="utf8"),
    C("forms-post", "/forms/post", body_mode="contains:action=\"/post\""),
    C("landing-page", "/", body_mode="html"),
    C("base64-decode", "/base64/SFRUUEJJTiBpcyBhd2Vzb21l", body_mode="exact"),
    C("base64-urlsafe-alphabet", "/base64/aGVsbG8_d29ybGQ-", body_mode="exact"),
    C("base64-padded", "/base64/aGk9", body_mode="exact"),
    C("base64-missing-padding", "/base64/aGk", expected_difference=R_BAD_INPUT, check=bad_request()),
    C("base64-not-utf8", "/base64/_w==", expected_difference=R_BAD_INPUT, check=bad_request()),
    C("image-no-accept", "/image", no_defaults=True),
    C("image-accept-webp", "/image", headers=(("Accept", "image/webp"),)),
    C("image-accept-svg", "/image", headers=(("Accept", "image/svg+xml"),)),
    C("image-accept-jpeg", "/image", headers=(("Accept", "image/jpeg"),)),
    C("image-accept-png", "/image", headers=(("Accept", "image/png"),)),
    C("image-accept-image-star", "/image", headers=(("Accept", "image/*"),)),
    C("image-accept-browser", "/image", headers=(("Accept", "image/avif,image/webp,*/*;q=0.8"),)),
    C("image-accept-html-406", "/image", headers=(("Accept", "text/html"),)),
    C("image-accept-any-406", "/image"),
    C("image-png", "/image/png"),
    C("image-jpeg", "/image/jpeg"),
    C("image-webp", "/image/webp"),
    C("image-svg", "/image/svg"),
    C("image-unknown-404", "/image/gif", **ERR),
    # ---- CORS and methods
    C("cors-origin-echoed", "/get", headers=(("Origin", "http://example.com"),)),
    C("cors-preflight", "/post", method="OPTIONS", headers=(
        ("Origin", "http://example.com"), ("Access-Control-Request-Method", "POST"),
        ("Access-Control-Request-Headers", "X-Foo, Content-Type"))),
    C("cors-preflight-status", "/status/418", method="OPTIONS", headers=(
        ("Origin", "http://example.com"), ("Access-Control-Request-Method", "GET"))),
    C("cors-post-origin", "/post", method="POST", form={"a": "1"}, headers=(("Origin", "https://x.test"),)),
    C("cors-on-404", "/does-not-exist", headers=(("Origin", "http://a.b"),), **ERR),
    C("not-found", "/does-not-exist", **ERR),
    C("not-found-nested", "/get/extra/path", **ERR),
    C("head-bytes", "/bytes/10", method="HEAD"),
    C("head-status-404", "/status/404", method="HEAD", ignore_headers=("Content-Type",)),

    # ================================================================
    # go-httpbin endpoints httpbin lacks: only our server is asked.
    C("go-json", "/json", ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, mime="application/json",
                   json_=lambda j: _assert(set(j["slideshow"]) >= {"author", "date", "slides", "title"}, j))),
    C("go-head", "/head", method="HEAD", ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, mime="application/json", empty=True)),
    C("go-head-get-not-allowed", "/head", ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=405, headers={"Allow": True})),
    C("go-hostname", "/hostname", ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, mime="application/json", json_keys=("hostname",),
                   json_=lambda j: _assert(isinstance(j["hostname"], str) and j["hostname"], j))),
    C("go-dump-request", "/dump/request", query="foo=bar", headers=(("X-Test", "dump"),),
      ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, mime="text/plain",
                   body=lambda b: b.startswith(b"GET /dump/request?foo=bar HTTP/1.1\r\n"),
                   contains=(b"\r\nHost: ", b"\r\nX-Test: dump\r\n", b"\r\n\r\n"))),
    C("go-dump-request-post", "/dump/request", method="POST", body="a=1&b=2",
      headers=(("Content-Type", "application/x-www-form-urlencoded"),),
      ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, body=lambda b: b.startswith(b"POST /dump/request HTTP/1.1\r\n")
                   and b.endswith(b"\r\n\r\na=1&b=2"))),
    C("go-sse", "/sse", query="count=3&duration=300ms&delay=0", ours_only=True,
      expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, headers={"Content-Type": _sse_ct}, body=sse_events(3))),
    C("go-sse-one", "/sse", query="count=1", ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, body=sse_events(1))),
    C("go-sse-bad-count", "/sse", query="count=0", ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=bad_request()),
    C("go-sse-too-long", "/sse", query="duration=8s&delay=8s", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=bad_request()),
    C("go-jsonl", "/jsonl", query="count=3&duration=200ms", ours_only=True,
      expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, headers={"Content-Type": lambda v: "json" in v.lower()},
                   body=json_lines(3, lambda i, o: isinstance(o, dict)))),
    C("go-jsonl-bad-count", "/jsonl", query="count=abc", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=bad_request()),
    C("go-trailers", "/trailers", query="X-Trailer-A=1&X-Trailer-B=two", ours_only=True,
      expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, headers={"Transfer-Encoding": "chunked"},
                   json_=lambda j: _assert(j["args"] == {"X-Trailer-A": "1", "X-Trailer-B": "two"}, j),
                   custom=_trailers_ok)),
    C("go-trailers-forbidden", "/trailers", query="Content-Type=x", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=bad_request()),
    C("go-unstable-never-fails", "/unstable", query="failure_rate=0", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=expect(status=200)),
    C("go-unstable-always-fails", "/unstable", query="failure_rate=1", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=expect(status=500)),
    C("go-unstable-default", "/unstable", ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=(200, 500))),
    C("go-unstable-seeded", "/unstable?seed=1234", ours_only=True, expected_difference=R_GO_HTTPBIN,
      flow=repeat_flow("/unstable?seed=1234", 3), invariant=same_status,
      check=steps(expect(status=(200, 500)), expect(status=(200, 500)), expect(status=(200, 500)))),
    C("go-unstable-bad-rate", "/unstable", query="failure_rate=1.5", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=bad_request()),
    C("go-unstable-bad-seed", "/unstable", query="seed=abc", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=bad_request()),
    C("go-upload-post", "/upload", method="POST", body=b"x" * 1000, query="a=1",
      headers=(("Content-Type", "application/octet-stream"),), ours_only=True,
      expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, mime="application/json",
                   json_=lambda j: _assert(j["bytes_received"] == 1000 and j["method"] == "POST"
                                           and j["args"] == {"a": "1"} and "headers" in j
                                           and "origin" in j and "url" in j, j))),
    C("go-upload-put", "/upload", method="PUT", body=b"\x00" * 70000, ours_only=True,
      expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, json_=lambda j: _assert(j["bytes_received"] == 70000, j))),
    C("go-upload-get-not-allowed", "/upload", ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=405)),
    C("go-base64-encode", "/base64/encode/hello%20world%3F", ours_only=True,
      expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, body=b"aGVsbG8gd29ybGQ_",
                   headers={"Content-Type": lambda v: v.lower().startswith("text/")})),
    C("go-base64-decode", "/base64/decode/aGVsbG8gd29ybGQ_", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=expect(status=200, body=b"hello world?")),
    C("go-base64-decode-std-alphabet", "/base64/decode/aGVsbG8gd29ybGQ%2F", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=expect(status=200, body=b"hello world?")),
    C("go-base64-decode-invalid", "/base64/decode/%21%21%21", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=bad_request()),
    C("go-base64-bad-operation", "/base64/frobnicate/aGk=", ours_only=True,
      expected_difference=R_GO_HTTPBIN, check=bad_request()),
    C("go-env", "/env", ours_only=True, expected_difference=R_GO_HTTPBIN,
      check=expect(status=200, json_keys=("env",),
                   json_=lambda j: _assert(isinstance(j["env"], dict), j))),
    C("go-websocket-echo", "/websocket/echo", ours_only=True, expected_difference=R_GO_HTTPBIN,
      flow=websocket_flow,
      check=steps(expect(status=101, headers={"Upgrade": lambda v: v.lower() == "websocket"},
                         custom=_ws_accept_ok),
                  expect(body=b"hello from httpbin-diff",
                         custom=lambda o, r, c, d: d.check(o.status == 0x81, "echo frame opcode %#x" % o.status)))),
    # our own additions (issue 4)
    C("ours-zstd", "/zstd", ours_only=True, expected_difference=R_OURS,
      check=expect(status=200, headers={"Content-Encoding": "zstd"}, mime="application/json",
                   json_=lambda j: _assert(j.get("zstd") is True and set(j) == {
                       "headers", "method", "origin", "zstd"}, j))),
]


def _assert(cond, obj):
    if not cond:
        raise AssertionError("unexpected %r" % (obj,))


def _unique_ids():
    seen = set()
    for c in CASES:
        assert c.id not in seen, "duplicate case id %s" % c.id
        assert re.match(r"^[a-z0-9][a-z0-9.-]*$", c.id), c.id
        seen.add(c.id)


_unique_ids()
