#!/usr/bin/env python3
"""Byte-for-byte comparison of the HTTP/1 wire output of two `httpstatus` builds.

Proves that a refactor of the server's internals leaves the bytes on the wire
unchanged: both binaries are started with identical options and environment,
the same ~1100 cases (raw bytes, stdlib `socket` only) are sent to each,
every byte the server sends back on the connection is collected, and the two
byte streams must be identical after the normalisations listed below.

Usage
-----
    /usr/bin/python3 tests/wire_compare.py OLD_BIN NEW_BIN [options]

    OLD_BIN, NEW_BIN   paths to two `httpstatus` binaries (may be the same path:
                       that checks the comparison itself is deterministic)
    --list             print the case names (with their read mode) and exit;
                       no binary needed
    -k SUBSTRING       run only the cases whose name contains SUBSTRING
                       (repeatable: a case matching any of them runs)
    -j N, --jobs N     cases in flight at once (default 16; each case talks to
                       both servers at the same time)
    --quiet SECONDS    quiet period that ends a keep-alive read (default 0.5)
    --max-diffs N      differing cases shown in full (default 5; all are named)
    --no-retry         do not re-run differing cases (see "Reading and timing")
    --dump DIR         write every case's normalised OLD and NEW bytes to
                       DIR/<case>.old and DIR/<case>.new

    Examples:
      python3 tests/wire_compare.py /tmp/old/build/httpstatus build/httpstatus
      python3 tests/wire_compare.py --list | grep ws/
      python3 tests/wire_compare.py OLD NEW -k ws/ -k expect/

Exit status: 0 when every case is identical, 1 when at least one case differs
(or a server crashed / did not stop cleanly), 2 on usage errors or when a
server cannot be started.

Servers
-------
Each binary runs as
    BIN serve --listen 127.0.0.1:0 --workers 1 --access-log clf --log-file TMP
        --max-uri 1024 --max-header-size 4096 --max-headers 20 --max-body 4096
        --header-timeout 2s --body-timeout 2s --idle-timeout 5s
        --drain-timeout 3s --linger 300ms
(the small limits of tests/integration/conftest.py, so 413/414/431/408 are
cheap to trigger), with the same environment: the caller's minus any
HTTPBIN_ENV_* variable, plus HTTPBIN_ENV_WIRE_COMPARE=1 (for /env). The port
is read from "listening on http://127.0.0.1:PORT" on stderr. At the end both
get SIGTERM and must exit 0.

Cases
-----
A case is one TCP connection: a list of steps (send these bytes; wait until
the received bytes contain a marker, e.g. the end of a 100 Continue or of a
WebSocket handshake; sleep), after which everything the server sends is read.
Every request carries a fixed "Host: wire.test" (never the port, which
differs between the two servers) and, unless the case is about keep-alive,
"Connection: close". Families (see build_cases()):
  status/      /status/{code} for every code 100..599, HEAD, content
               negotiation (Accept, Accept-Language: zh), other methods,
               ?retry_after= / ?location=, weighted choices with a single
               non-zero weight, invalid codes, interim 1xx, 101 + Upgrade
  proto/       HTTP/1.0 with and without keep-alive, keep-alive, pipelining,
               requests split over several sends, chunked request bodies,
               absolute-form, OPTIONS *, CONNECT, 501/505
  expect/      Expect: 100-continue (body sent after the 100), 417, 413
  malformed/   400-and-close inputs (obs-fold, bare LF/CR, CL+TE, bad chunk
               sizes, missing/duplicate Host, ...)
  limits/      414, 431 (size, count), 413 (Content-Length, chunked), 408
               (slow header section, slow body), bodies at the limit
  hb/          the httpbin endpoints (echo, auth incl. digest, cookies,
               redirects, cache/etag, bytes/range/stream, formats, images,
               encodings, CORS, 404/405/OPTIONS, sse/jsonl/trailers/drip/delay)
  ws/          /websocket/echo: fixed Sec-WebSocket-Key, masked frames with a
               fixed mask (text, binary, ping, fragments, close, protocol
               errors); the server's bytes (handshake + frames) are compared

Reading and timing
------------------
A case ends in one of two read modes (--list shows each case's):
  close   (the default) the request asked the server to close (Connection:
          close, HTTP/1.0 without keep-alive, or an error that closes):
          read until EOF, with a 10 s cap;
  quiet   keep-alive cases: read until nothing new arrived for --quiet
          seconds (0.5 s), with the same cap.
Whether the server closed the connection is part of the compared output: a
line "[closed by server]" (FIN or reset) or "[still open]" is appended to the
bytes. Streaming endpoints (/drip, /delay, /sse, /jsonl, /stream,
/range?duration=) are always read in close mode, so how fast bytes trickle in
does not matter; WebSocket sessions wait for each echo before sending the
next frame. One case (proto/idle-timeout-close) deliberately waits for the
5 s --idle-timeout; the three 408 cases wait for the 2 s timeouts. Both
servers get each case at the same moment, from two threads, 16 cases at a
time; a full run takes about 7 s (15-20 s with -j 1).
Any difference fails the run. Each differing case is then re-run alone (one
case at a time, four times the quiet period) and the report says whether the
difference reproduced or was intermittent: an intermittent one is either
test timing (try a larger --quiet) or nondeterminism in a server, which is
exactly what a response-writer refactor may introduce, so it is never
silently ignored. --no-retry skips the re-run.

Normalisations (applied to both byte streams before comparing; nothing else
is changed)
--------------------------------------------------------------------------
Always:
  date       in every response head, the "Date:" field with an IMF-fixdate
             value (RFC 9110 §5.6.7, matched exactly: "Sun, 06 Nov 1994
             08:49:37 GMT") -> "Date: <DATE>", and any other field of the same
             head whose value is exactly that date -> <DATE>: the Expires of
             /status/304 and similar codes ("expires now") and the
             Last-Modified of /cache are the current time by design. The wall
             clock differs between the two requests (and may tick between
             them). A Date not in exactly that format, or another field with
             a different date, is left alone and so shows up as a difference.
Only in the cases that name them (--list shows them in [brackets]):
  cache      /cache without a conditional header: its ETag, 32 random hex
             digits by design -> "<RANDOM32>".
  digest     the nonce="..." and opaque="..." of a /digest-auth challenge
             (WWW-Authenticate): hashes of random bytes and the current time
             by design -> nonce="<HEXn>" (n = the number of hex digits, so the
             algorithm's digest length is still compared). Authorised digest
             requests use a fixed client-chosen nonce and need no normalising.
  boundary   the multipart/byteranges boundary of /range/{n} with several
             ranges, hs_byteranges_ + 16 random hex digits by design ->
             hs_byteranges_<RANDOM16> (in Content-Type and in the body).
  timestamp  /sse and /jsonl events carry "timestamp":<wall-clock ms> by
             design -> "timestamp":<MS> (the digit count stays 13 until 2286,
             so the chunk sizes are still compared as sent).
  uuid       the single /uuid case: a random version-4 UUID by design ->
             <UUID4> (the version and variant digits are part of the pattern,
             so a non-v4 value would not be normalised).
Everything else is deterministic by choice of request rather than normalised:
/bytes, /stream-bytes and /unstable always get ?seed= (or /unstable a
failure_rate of 0 or 1), weighted /status lists have a single non-zero
weight, the client address (the "origin") is 127.0.0.1 for both servers,
Host is fixed (never the port), the WebSocket key and masks are fixed, the
digest client nonce is fixed, /hostname is the same machine for both.
Compression (/gzip: MTIME 0; /deflate; /brotli; /zstd) is deterministic for
the same library and input, so those bodies are compared byte for byte.

Not covered: the 503 answer to --max-connections and other option-dependent
output (they need servers started with other options), SIGTERM draining,
IPv6 listeners.
"""
import argparse
import base64
import difflib
import hashlib
import os
import re
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor

SERVER_ARGS = [
    "--max-uri", "1024", "--max-header-size", "4096", "--max-headers", "20",
    "--max-body", "4096", "--header-timeout", "2s", "--body-timeout", "2s",
    "--idle-timeout", "5s", "--drain-timeout", "3s", "--linger", "300ms",
]
HOST = "wire.test"
CAP = 10.0            # longest read of one case, seconds
WAIT_TIMEOUT = 5.0    # longest wait for a Wait() marker
CLOSED = b"\n[closed by server]"
OPEN = b"\n[still open]"

# ---------------------------------------------------------------- cases


class Wait:
    """Read until the received bytes contain `marker` at least `count` times
    (with `after`: counted only after the first occurrence of `after`, e.g.
    WebSocket frames after the handshake's blank line)."""

    def __init__(self, marker, count=1, after=None):
        self.marker, self.count, self.after = marker, count, after

    def done(self, buf):
        start = 0
        if self.after is not None:
            i = buf.find(self.after)
            if i < 0:
                return False
            start = i + len(self.after)
        return buf.count(self.marker, start) >= self.count


class ShutWr:
    """Half-close: shutdown(SHUT_WR) on the client side (the server sees EOF)."""


class Sleep:
    def __init__(self, seconds):
        self.seconds = seconds


class Case:
    def __init__(self, name, steps, end="close", norms=()):
        assert end in ("close", "quiet"), end
        self.name = name
        self.steps = [steps] if isinstance(steps, (bytes, Wait, Sleep, ShutWr)) else list(steps)
        self.end = end
        self.norms = tuple(norms)
        for n in self.norms:
            assert n in NORMALISERS, n


def rq(method, target, headers=(), body=None, version="HTTP/1.1", host=HOST, close=True,
       length=True):
    """One request's bytes. `headers`: (name, value) pairs after Host; body
    bytes/str get a Content-Length unless length=False or one is given."""
    if isinstance(body, str):
        body = body.encode()
    out = [f"{method} {target} {version}\r\n".encode("latin-1")]
    if host is not None:
        out.append(f"Host: {host}\r\n".encode("latin-1"))
    names = set()
    for k, v in headers:
        names.add(k.lower())
        out.append(k.encode("latin-1") + b": " + (v if isinstance(v, bytes) else v.encode("latin-1")) + b"\r\n")
    if body is not None and length and "content-length" not in names \
            and "transfer-encoding" not in names:
        out.append(b"Content-Length: %d\r\n" % len(body))
    if close and "connection" not in names:
        out.append(b"Connection: close\r\n")
    out.append(b"\r\n")
    if body is not None:
        out.append(body)
    return b"".join(out)


def chunked(*parts, trailer=b""):
    return b"".join(b"%x\r\n%s\r\n" % (len(p), p) for p in parts) + b"0\r\n" + trailer + b"\r\n"


def multipart(boundary, fields, files):
    out = []
    for k, v in fields:
        out.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode())
    for k, fname, ctype, data in files:
        head = f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{fname}"\r\n'
        if ctype:
            head += f"Content-Type: {ctype}\r\n"
        out.append(head.encode() + b"\r\n" + data + b"\r\n")
    out.append(f"--{boundary}--\r\n".encode())
    return b"".join(out)


WS_KEY = "dGhlIHNhbXBsZSBub25jZQ=="   # RFC 6455's example key
WS_MASK = b"\x37\xfa\x21\x3d"          # RFC 6455's example mask


def ws_frame(opcode, payload, fin=True, mask=WS_MASK):
    b0 = (0x80 if fin else 0) | opcode
    n = len(payload)
    mbit = 0x80 if mask else 0
    if n < 126:
        hdr = bytes([b0, mbit | n])
    elif n < 65536:
        hdr = bytes([b0, mbit | 126]) + struct.pack(">H", n)
    else:
        hdr = bytes([b0, mbit | 127]) + struct.pack(">Q", n)
    if not mask:
        return hdr + payload
    return hdr + mask + bytes(c ^ mask[i % 4] for i, c in enumerate(payload))


def ws_handshake(path="/websocket/echo", extra=(), version="13", key=WS_KEY):
    h = [("Upgrade", "websocket"), ("Connection", "Upgrade")]
    if key is not None:
        h.append(("Sec-WebSocket-Key", key))
    if version is not None:
        h.append(("Sec-WebSocket-Version", version))
    return rq("GET", path, h + list(extra), close=False)


DIGEST_NONCE = "0123456789abcdef0123456789abcdef"
DIGEST_CNONCE = "0a4f113b"
DIGEST_REALM = "me@kennethreitz.com"
_HASH = {"MD5": hashlib.md5, "SHA-256": hashlib.sha256, "SHA-512": hashlib.sha512}


def digest_authorization(method, uri, user, password, algorithm="MD5", qop="auth", body=b"",
                         opaque="fixedopaque", nonce=DIGEST_NONCE):
    """A Digest Authorization value (RFC 7616) for a fixed, client-chosen
    nonce: httpbin checks the response hash, not where the nonce came from."""
    def h(data):
        return _HASH[algorithm](data.encode() if isinstance(data, str) else data).hexdigest()
    ha1 = h(f"{user}:{DIGEST_REALM}:{password}")
    ha2 = h(f"{method}:{uri}:{h(body)}") if qop == "auth-int" else h(f"{method}:{uri}")
    if qop:
        resp = h(f"{ha1}:{nonce}:00000001:{DIGEST_CNONCE}:{qop}:{ha2}")
    else:
        resp = h(f"{ha1}:{nonce}:{ha2}")
    parts = [f'username="{user}"', f'realm="{DIGEST_REALM}"', f'nonce="{nonce}"', f'uri="{uri}"',
             f"algorithm={algorithm}", f'response="{resp}"', f'opaque="{opaque}"']
    if qop:
        parts += [f"qop={qop}", "nc=00000001", f'cnonce="{DIGEST_CNONCE}"']
    return "Digest " + ", ".join(parts)


def build_cases():
    cases = []

    def add(name, steps, end="close", norms=()):
        cases.append(Case(name, steps, end, norms))

    def get(name, target, headers=(), method="GET", body=None, norms=(), **kw):
        add(name, rq(method, target, headers, body, **kw), norms=norms)

    # ---- /status/{code}: every code, GET
    for code in range(100, 600):
        get(f"status/GET/{code}", f"/status/{code}")
    sel = (100, 102, 103, 200, 201, 204, 205, 206, 300, 301, 302, 304, 307, 308, 401, 404, 405,
           407, 413, 416, 418, 426, 429, 451, 500, 501, 503, 599)
    for code in sel:
        get(f"status/HEAD/{code}", f"/status/{code}", method="HEAD")
    neg = {
        "html": [("Accept", "text/html")],
        "text": [("Accept", "text/plain")],
        "json": [("Accept", "application/json")],
        "zh": [("Accept-Language", "zh")],
        "zh-html": [("Accept", "text/html"), ("Accept-Language", "zh-CN,zh;q=0.9")],
        "zh-text": [("Accept", "text/plain"), ("Accept-Language", "zh")],
        "qvalues": [("Accept", "text/plain;q=0.5, text/html;q=0.9, */*;q=0.1")],
        "image": [("Accept", "image/png")],
        "lang-fr": [("Accept-Language", "fr, en;q=0.5")],
    }
    for label, hdrs in neg.items():
        for code in (100, 200, 204, 304, 404, 418, 503):
            get(f"status/accept-{label}/{code}", f"/status/{code}", hdrs)
    get("status/HEAD-html/404", "/status/404", [("Accept", "text/html")], method="HEAD")
    get("status/HEAD-zh/200", "/status/200", [("Accept-Language", "zh")], method="HEAD")
    for method, code, body in (("POST", 201, "x=1"), ("PUT", 202, "data"), ("PATCH", 203, "p"),
                               ("DELETE", 200, None), ("TRACE", 200, None), ("OPTIONS", 200, None),
                               ("OPTIONS", 404, None), ("POST", 500, "{}")):
        get(f"status/{method}/{code}", f"/status/{code}", method=method, body=body)
    for target in ("/status/429?retry_after=9", "/status/503?retry_after=0",
                   "/status/200?retry_after=3", "/status/302?location=/get",
                   "/status/201?location=/new", "/status/301?location=http://example.com/x",
                   "/status/418:1", "/status/200:0,201:1", "/status/500:0,404:2",
                   "/status/abc", "/status/", "/status", "/status/99", "/status/600",
                   "/status/0", "/status/2000", "/status/200x", "/status/-1", "/status/200:x",
                   "/status/200:0", "/status/%32%30%30", "/status/200/extra", "/status/1e2"):
        get(f"status/param{target[7:]}", target)
    get("status/101-upgrade", "/status/101", [("Connection", "upgrade"), ("Upgrade", "foo/2")],
        close=False)
    get("status/101-upgrade-websocket", "/status/101",
        [("Connection", "Upgrade"), ("Upgrade", "websocket")], close=False)
    get("status/101-no-upgrade", "/status/101")
    get("status/101-http10", "/status/101", [("Upgrade", "foo")], version="HTTP/1.0")
    get("status/100-with-expect", "/status/100", [("Expect", "100-continue")])

    # ---- protocol: versions, keep-alive, pipelining
    add("proto/http10-no-host", b"GET /get HTTP/1.0\r\n\r\n")
    add("proto/http10-host", b"GET /get HTTP/1.0\r\nHost: wire.test\r\n\r\n")
    add("proto/http10-keep-alive", b"GET /status/200 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
        end="quiet")
    add("proto/http10-keep-alive-two",
        b"GET /status/200 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"
        b"GET /status/201 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", end="quiet")
    add("proto/http10-keep-alive-then-close",
        b"GET /get HTTP/1.0\r\nConnection: keep-alive\r\nHost: wire.test\r\n\r\n"
        b"GET /status/204 HTTP/1.0\r\n\r\n")
    add("proto/http10-head", b"HEAD /get HTTP/1.0\r\n\r\n")
    add("proto/http10-post", b"POST /post HTTP/1.0\r\nContent-Length: 3\r\n\r\nabc")
    add("proto/http10-stream", b"GET /stream/2 HTTP/1.0\r\nHost: wire.test\r\n\r\n")
    add("proto/http10-chunked-body",
        b"POST /post HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n" + chunked(b"abc"))
    add("proto/http11-keep-alive", rq("GET", "/get", close=False), end="quiet")
    add("proto/http11-keep-alive-head", rq("HEAD", "/status/200", close=False), end="quiet")
    add("proto/http11-keep-alive-404", rq("GET", "/nope", close=False), end="quiet")
    add("proto/http11-keep-alive-explicit",
        rq("GET", "/status/200", [("Connection", "keep-alive")]), end="quiet")
    add("proto/http11-connection-tokens",
        rq("GET", "/headers", [("Connection", "keep-alive, close, X-Foo"), ("X-Foo", "1")]))
    add("proto/pipeline-3",
        rq("GET", "/status/200", close=False) + rq("GET", "/get?a=1", close=False)
        + rq("GET", "/status/404"))
    add("proto/pipeline-keep-alive",
        rq("GET", "/status/201", close=False) + rq("HEAD", "/get", close=False)
        + rq("GET", "/status/304", close=False), end="quiet")
    add("proto/pipeline-mixed-methods",
        rq("POST", "/post", [("Content-Type", "text/plain")], "one", close=False)
        + rq("HEAD", "/status/418", close=False) + rq("PUT", "/put", body="two", close=False)
        + rq("DELETE", "/delete", close=False) + rq("OPTIONS", "/get"))
    add("proto/pipeline-status-run",
        b"".join(rq("GET", f"/status/{c}", close=False) for c in (200, 201, 204, 301, 400, 404, 418, 500))
        + rq("GET", "/status/202"))
    add("proto/pipeline-chunked-bodies",
        rq("POST", "/anything", [("Transfer-Encoding", "chunked")], chunked(b"ab", b"cd"),
           close=False)
        + rq("POST", "/anything", [("Transfer-Encoding", "chunked")], chunked(b"x")))
    add("proto/pipeline-then-400",
        rq("GET", "/status/200", close=False) + b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX: \x01\r\n\r\n"
        + rq("GET", "/status/201"))
    add("proto/pipeline-then-505",
        rq("GET", "/status/200", close=False) + b"GET /status/200 HTTP/2.0\r\nHost: t\r\n\r\n")
    add("proto/pipeline-501-continues",
        b"FROB /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello"
        + rq("GET", "/status/203"))
    add("proto/pipeline-40",
        b"".join(rq("GET", f"/status/{200 + i % 8}", close=False) for i in range(39))
        + rq("GET", "/status/200"))
    add("proto/pipeline-large-responses",
        rq("GET", "/bytes/102400?seed=1", close=False) + rq("GET", "/image/png", close=False)
        + rq("GET", "/stream-bytes/70000?seed=2&chunk_size=30000", close=False)
        + rq("GET", "/range/100", [("Range", "bytes=0-9")]))
    add("proto/pipeline-head-bodyless",
        rq("HEAD", "/bytes/100?seed=1", close=False) + rq("GET", "/status/204", close=False)
        + rq("GET", "/status/304", close=False) + rq("HEAD", "/stream/2", close=False)
        + rq("GET", "/status/100", close=False) + rq("GET", "/get"))
    add("proto/pipeline-close-in-middle",
        rq("GET", "/status/200") + rq("GET", "/status/201"))
    add("proto/pipeline-after-stream",
        rq("GET", "/stream/2", close=False) + rq("GET", "/bytes/8?seed=1"))
    add("proto/pipeline-after-delay",
        rq("GET", "/delay/0.1", close=False) + rq("GET", "/status/202"))
    add("proto/split-request",
        [b"GE", Sleep(0.05), b"T /get HTTP/1.1\r\nHo", Sleep(0.05), b"st: wire.test\r\nConnec",
         Sleep(0.05), b"tion: close\r\n\r", Sleep(0.05), b"\n"])
    add("proto/split-body",
        [rq("POST", "/post", [("Content-Type", "text/plain"), ("Content-Length", "10")], b"01234"),
         Sleep(0.1), b"56789"])
    add("proto/split-chunked-body",
        [rq("POST", "/post", [("Transfer-Encoding", "chunked")], b"5\r\nhel"), Sleep(0.05),
         b"lo\r\n3\r\n wo\r", Sleep(0.05), b"\n0\r\n\r\n"])
    add("proto/leading-crlf", b"\r\n\r\n" + rq("GET", "/status/200"))
    add("proto/absolute-form", rq("GET", "http://wire.test/get?x=1"))
    add("proto/absolute-form-other-host", rq("GET", "http://other.test:81/headers"))
    add("proto/options-star", rq("OPTIONS", "*"))
    add("proto/options-star-keep-alive", rq("OPTIONS", "*", close=False), end="quiet")
    add("proto/get-star", rq("GET", "*"))
    add("proto/connect", b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    add("proto/trace", rq("TRACE", "/anything"))
    for v in ("HTTP/2.0", "HTTP/1.2", "HTTP/0.9", "HTTP/3.7", "HTTP/9.9"):
        add(f"proto/version-{v[5:]}", rq("GET", "/status/200", version=v))
    add("proto/h2-preface", b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
    for m in ("FOO", "get", "BREW", "PROPFIND", "M-SEARCH", "A" * 20):
        add(f"proto/method-{m[:12]}", rq(m, "/status/200"))
    add("proto/method-very-long", b"X" * 200 + b" / HTTP/1.1\r\nHost: t\r\n\r\n")
    add("proto/method-unknown-keep-alive",
        rq("FOO", "/status/200", close=False) + rq("GET", "/status/202"))
    add("proto/obs-text-value", rq("GET", "/headers", [("X-Latin", b"caf\xe9")]))
    add("proto/content-length-leading-zeros",
        rq("POST", "/post", [("Content-Length", "003")], b"abc", length=False))
    add("proto/chunk-extensions",
        rq("POST", "/post", [("Transfer-Encoding", "chunked")],
           b"3;ext=1\r\nabc\r\n2;a;b=\"q\"\r\nde\r\n0\r\n\r\n"))
    add("proto/chunked-trailer",
        rq("POST", "/post", [("Transfer-Encoding", "chunked")],
           chunked(b"hello", trailer=b"X-Trailer: yes\r\n")))
    add("proto/chunked-upper-hex",
        rq("POST", "/post", [("Transfer-Encoding", "chunked")], b"A\r\n0123456789\r\n0\r\n\r\n"))
    add("proto/te-case-insensitive",
        rq("POST", "/post", [("Transfer-Encoding", "Chunked")], chunked(b"xyz")))
    add("proto/get-with-body", rq("GET", "/anything", [("Content-Type", "text/plain")], "hello"))
    add("proto/head-with-body", rq("HEAD", "/anything", body="hi"))
    add("proto/half-close-after-request", [rq("GET", "/get", close=False), Wait(b"}\n"), ShutWr()])
    add("proto/empty-connection", [], end="quiet")
    # the one case that waits for --idle-timeout (5 s): a keep-alive connection
    # is closed silently, read in close mode
    add("proto/idle-timeout-close", rq("GET", "/status/200", close=False))
    add("proto/only-crlf", b"\r\n", end="quiet")

    # ---- Expect
    add("expect/100-continue", [rq("PUT", "/put", [("Expect", "100-continue"), ("Content-Length", "5")]),
                                Wait(b"\r\n\r\n"), b"hello"])
    add("expect/100-continue-status", [rq("PUT", "/status/201", [("Expect", "100-continue"),
                                                                  ("Content-Length", "5")]),
                                       Wait(b"\r\n\r\n"), b"hello"])
    add("expect/100-continue-chunked",
        [rq("POST", "/post", [("Expect", "100-continue"), ("Transfer-Encoding", "chunked")]),
         Wait(b"\r\n\r\n"), chunked(b"abc")])
    add("expect/100-continue-case", [rq("POST", "/anything", [("Expect", "100-Continue"),
                                                               ("Content-Length", "2")]),
                                     Wait(b"\r\n\r\n"), b"ok"])
    add("expect/100-continue-keep-alive",
        [rq("POST", "/status/200", [("Expect", "100-continue"), ("Content-Length", "3")], close=False),
         Wait(b"\r\n\r\n"), b"abc", Wait(b"\r\n\r\n", 2), rq("GET", "/status/204")])
    add("expect/100-continue-body-at-once",
        rq("POST", "/post", [("Expect", "100-continue")], "sent-anyway"))
    add("expect/100-continue-no-body", rq("GET", "/status/200", [("Expect", "100-continue")]))
    add("expect/100-continue-413", rq("PUT", "/status/201", [("Expect", "100-continue"),
                                                              ("Content-Length", "999999")]))
    add("expect/100-continue-404", rq("PUT", "/nope", [("Expect", "100-continue"),
                                                        ("Content-Length", "100")]))
    add("expect/100-continue-405", rq("POST", "/get", [("Expect", "100-continue"),
                                                        ("Content-Length", "100")]))
    add("expect/100-continue-501",
        b"FROB /status/200 HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
    add("expect/100-continue-http10",
        b"PUT /status/201 HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi")
    add("expect/417-no-body", rq("GET", "/status/200", [("Expect", "foo")], close=False)
        + rq("GET", "/status/202"))
    add("expect/417-with-body", rq("PUT", "/status/200", [("Expect", "foo"), ("Content-Length", "50")]))
    add("expect/417-mixed", rq("GET", "/status/200", [("Expect", "100-continue, bar")]))

    # ---- malformed: 400 and close
    malformed = {
        "cl-te": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "te-cl": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                 b"Content-Length: 5\r\n\r\n0\r\n\r\n",
        "double-cl": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
        "bad-cl": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 1x\r\n\r\nx",
        "negative-cl": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n",
        "te-not-chunked-last": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n\r\n",
        "te-gzip": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n",
        "bad-chunk-size": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
        "chunk-size-overflow": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                               b"fffffffffffffffffff\r\n",
        "chunk-without-crlf": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n",
        "bare-cr-in-value": b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\rb\r\n\r\n",
        "bare-cr-in-line": b"GET /status/200 HTTP/1.1\rHost: t\r\n\r\n",
        "bare-lf": b"GET /status/200 HTTP/1.1\nHost: t\nConnection: close\n\n",
        "bare-lf-header": b"GET /status/200 HTTP/1.1\r\nHost: t\nConnection: close\r\n\r\n",
        "nul-in-value": b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\x00b\r\n\r\n",
        "nul-in-target": b"GET /status/\x00200 HTTP/1.1\r\nHost: t\r\n\r\n",
        "obs-fold": b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\r\n  folded\r\n\r\n",
        "obs-fold-tab": b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\r\n\tfolded\r\n\r\n",
        "space-before-colon": b"GET /status/200 HTTP/1.1\r\nHost : t\r\n\r\n",
        "leading-space-header": b"GET /status/200 HTTP/1.1\r\n Host: t\r\n\r\n",
        "control-char-in-value": b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\x01b\r\n\r\n",
        "bad-header-name": b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX(A): b\r\n\r\n",
        "missing-host": b"GET /status/200 HTTP/1.1\r\n\r\n",
        "missing-host-html": b"GET /status/200 HTTP/1.1\r\nAccept: text/html\r\n\r\n",
        "double-host": b"GET /status/200 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
        "double-host-same": b"GET /status/200 HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n",
        "bad-host": b"GET /status/200 HTTP/1.1\r\nHost: a b/c\r\n\r\n",
        "malformed-method": b"G(T /status/200 HTTP/1.1\r\nHost: t\r\n\r\n",
        "space-in-target": b"GET /status/200 x HTTP/1.1\r\nHost: t\r\n\r\n",
        "two-spaces": b"GET  /status/200 HTTP/1.1\r\nHost: t\r\n\r\n",
        "no-version": b"GET /status/200\r\nHost: t\r\n\r\n",
        "bad-version-syntax": b"GET /status/200 HTTP/1.x\r\nHost: t\r\n\r\n",
        "lowercase-http": b"GET /status/200 http/1.1\r\nHost: t\r\n\r\n",
        "relative-target": b"GET status/200 HTTP/1.1\r\nHost: t\r\n\r\n",
        "empty-header-name": b"GET /status/200 HTTP/1.1\r\nHost: t\r\n: x\r\nConnection: close\r\n\r\n",
        "header-no-colon": b"GET /status/200 HTTP/1.1\r\nHost: t\r\nNoColon\r\n\r\n",
        "binary-garbage": b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03",
        "te-chunked-twice": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
                            b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
        "cl-list": b"POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 1, 2\r\n\r\nxx",
        "chunk-missing-final-crlf": b"POST /post HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                                    b"1\r\na\r\n0\r\nX-T: 1\r\nbroken\r\n\r\n",
    }
    for name, data in malformed.items():
        add(f"malformed/{name}", data)

    # ---- limits (--max-uri 1024, --max-header-size 4096, --max-headers 20, --max-body 4096)
    add("limits/414-uri", rq("GET", "/status/200?" + "a" * 1100))
    add("limits/uri-at-limit", rq("GET", "/status/200?" + "a" * (1024 - 12)))
    add("limits/414-request-line-huge", rq("GET", "/get?" + "b" * 5000))
    add("limits/431-huge-header", rq("GET", "/status/200", [("X-Big", "b" * 5000)]))
    add("limits/431-header-section", rq("GET", "/status/200", [(f"X-{i}", "v" * 300) for i in range(15)]))
    add("limits/431-too-many-headers", rq("GET", "/status/200", [(f"X-{i}", "1") for i in range(20)]))
    add("limits/headers-at-limit", rq("GET", "/headers", [(f"X-{i}", "1") for i in range(18)]))
    add("limits/413-content-length", rq("POST", "/status/200", [("Content-Length", "5000")]))
    add("limits/413-content-length-huge", rq("POST", "/post", [("Content-Length", "99999999999")]))
    add("limits/413-chunked",
        rq("POST", "/status/200", [("Transfer-Encoding", "chunked")], (b"800\r\n" + b"x" * 0x800 + b"\r\n") * 3))
    add("limits/body-at-limit", rq("PUT", "/status/201", body=b"x" * 4096))
    add("limits/body-at-limit-echo", rq("POST", "/post", [("Content-Type", "text/plain")], b"y" * 4096))
    add("limits/408-slow-header", b"GET /status/200 HTTP/1.1\r\nHost: t\r\n")
    add("limits/408-slow-body", rq("POST", "/status/200", [("Content-Length", "10")], b"abc", length=False))
    add("limits/408-slow-chunked-body",
        rq("POST", "/post", [("Transfer-Encoding", "chunked")], b"5\r\nab"))

    # ---- httpbin: echo
    ua = [("User-Agent", "wire-compare/1.0"), ("Accept", "*/*")]
    get("hb/get", "/get", ua)
    get("hb/get-args", "/get?a=1&b=two&a=3", ua)
    get("hb/get-encoded-args", "/get?d=%20x+y&f=a%26b&g=%2B&h=%3D&e=%E2%9C%93")
    get("hb/get-bad-escapes", "/get?a=%ZZ&b=%")
    get("hb/get-empty-values", "/get?b=&c")
    get("hb/get-custom-headers", "/get", [("X-Custom-Thing", "v"), ("x-lower", "1"), ("X-Dup", "1"),
                                          ("X-Dup", "2"), ("X-Empty", "")])
    get("hb/get-forwarded", "/get", [("X-Forwarded-For", "1.2.3.4"), ("Via", "1.1 proxy"),
                                     ("X-Forwarded-Proto", "https")])
    get("hb/get-show-env", "/get?show_env=1", [("X-Forwarded-For", "1.2.3.4")])
    get("hb/get-host-port", "/get?x=1", host="example.com:8080")
    get("hb/get-head", "/get", method="HEAD")
    get("hb/get-options", "/get", method="OPTIONS")
    get("hb/get-post-405", "/get", method="POST", body="x")
    get("hb/get-trailing-slash-404", "/get/")
    get("hb/headers", "/headers", ua + [("Accept-Language", "en"), ("ACCEPT-ENCODING", "gzip")])
    get("hb/ip", "/ip")
    get("hb/ip-forwarded", "/ip", [("X-Forwarded-For", "1.2.3.4, 5.6.7.8")])
    get("hb/user-agent", "/user-agent", ua)
    get("hb/user-agent-missing", "/user-agent")
    get("hb/uuid", "/uuid", norms=("uuid",))
    get("hb/hostname", "/hostname")
    get("hb/env", "/env")
    get("hb/head-endpoint", "/head", method="HEAD")
    get("hb/head-endpoint-get-405", "/head")
    get("hb/dump-request", "/dump/request?foo=bar", [("X-Test", "dump")])
    get("hb/dump-request-post", "/dump/request", [("Content-Type", "application/x-www-form-urlencoded")],
        method="POST", body="a=1&b=2")
    get("hb/anything", "/anything")
    get("hb/anything-path", "/anything/foo/bar?x=1&x=2")
    get("hb/anything-encoded-path", "/anything/%7Efoo%2Fbar%20baz")
    for m in ("POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "HEAD", "FOO"):
        get(f"hb/anything-{m}", "/anything/x", method=m,
            body=None if m in ("HEAD", "OPTIONS", "TRACE") else "body-" + m)
    get("hb/post-form", "/post", [("Content-Type", "application/x-www-form-urlencoded")],
        method="POST", body="a=1&a=2&b=x&c=%C3%A9")
    get("hb/post-json", "/post", [("Content-Type", "application/json")], method="POST",
        body='{"k": [1, 2.5, null, true], "s": "\\u00e9", "o": {}}')
    get("hb/post-json-array", "/post", [("Content-Type", "application/json")], method="POST",
        body='[1, "x", null, {"a": []}]')
    get("hb/post-json-wide", "/post", [("Content-Type", "application/json")], method="POST",
        body='{"big": 123456789012345678901234567890, "inf": 1e400, "tiny": 1e-400, "f": 0.1}')
    get("hb/post-json-invalid", "/post", [("Content-Type", "application/json")], method="POST",
        body="{bad json")
    get("hb/post-text", "/post", [("Content-Type", "text/plain; charset=utf-8")], method="POST",
        body="caf\u00e9 \u2713".encode())
    get("hb/post-binary", "/post", [("Content-Type", "application/octet-stream")], method="POST",
        body=b"\x00\xff\xfe binary\x80")
    mp = multipart("wireboundary", [("field", "v"), ("n", "1"), ("n", "2")],
                   [("f1", "a.txt", "text/plain", b"hello"),
                    ("f2", "b.bin", "application/octet-stream", b"\xff\x00\x01"),
                    ("f3", "c.png", None, b"\x89PNG\r\n\x1a\n")])
    get("hb/post-multipart", "/post", [("Content-Type", "multipart/form-data; boundary=wireboundary")],
        method="POST", body=mp)
    get("hb/post-multipart-broken", "/post", [("Content-Type", "multipart/form-data; boundary=zz")],
        method="POST", body=b"--zz\r\nnot a part")
    get("hb/post-empty", "/post", method="POST")
    get("hb/post-chunked", "/post", [("Transfer-Encoding", "chunked"), ("Content-Type", "text/plain")],
        method="POST", body=chunked(b"hello", b" ", b"world"))
    get("hb/post-chunked-json", "/post", [("Transfer-Encoding", "chunked"),
                                          ("Content-Type", "application/json")],
        method="POST", body=chunked(b'{"a":', b' [1, 2]}'))
    get("hb/post-get-405", "/post")
    get("hb/put-json", "/put", [("Content-Type", "application/json")], method="PUT", body='{"a": 1}')
    get("hb/patch-form", "/patch", [("Content-Type", "application/x-www-form-urlencoded")],
        method="PATCH", body="z=1")
    get("hb/delete", "/delete?q=1", method="DELETE")
    get("hb/delete-json", "/delete", [("Content-Type", "application/json")], method="DELETE",
        body='{"id": 7}')
    get("hb/upload", "/upload?a=1", [("Content-Type", "application/octet-stream")], method="POST",
        body=b"u" * 1000)
    get("hb/upload-get-405", "/upload")
    get("hb/response-headers", "/response-headers?a=b&a=c&freeform=hello")
    get("hb/response-headers-content-type", "/response-headers?Content-Type=text/plain&X-Y=1")
    get("hb/response-headers-post", "/response-headers?x=y", method="POST")
    get("hb/response-headers-none", "/response-headers")
    get("hb/response-headers-head", "/response-headers?a=b", method="HEAD")

    # ---- httpbin: redirects
    for t in ("/redirect/1", "/redirect/3", "/redirect/3?absolute=true", "/redirect/0", "/redirect/x",
              "/relative-redirect/1", "/relative-redirect/2", "/relative-redirect/0",
              "/absolute-redirect/1", "/absolute-redirect/2",
              "/redirect-to?url=http%3A%2F%2Fexample.com%2F",
              "/redirect-to?url=/get%3Fa%3D1",
              "/redirect-to?url=/get&status_code=301",
              "/redirect-to?url=/get&status_code=307",
              "/redirect-to?url=http://example.com/&status_code=308",
              "/redirect-to?url=/get&status_code=200",
              "/redirect-to?URL=/get&STATUS_CODE=303",
              "/redirect-to?url=http%3A%2F%2Fexample.com%2F%C3%A9",
              "/redirect-to", "/redirect-to?url=/get&status_code=abc"):
        get("hb" + t, t)
    get("hb/redirect-to-post-307", "/redirect-to?url=/post&status_code=307",
        [("Content-Type", "application/x-www-form-urlencoded")], method="POST", body="a=1")
    get("hb/absolute-redirect-host", "/absolute-redirect/2", host="example.com")
    get("hb/redirect-head", "/redirect/2", method="HEAD")

    # ---- httpbin: cookies
    for t in ("/cookies", "/cookies/set?a=b", "/cookies/set?a=1&b=2&a=3", "/cookies/set?k=a%20b",
              "/cookies/set", "/cookies/set/name/value", "/cookies/delete?a",
              "/cookies/delete?a&b=", "/cookies/delete"):
        get("hb" + t, t)
    get("hb/cookies-sent", "/cookies", [("Cookie", "a=1; b=two; __utma=x")])
    get("hb/cookies-show-env", "/cookies?show_env=1", [("Cookie", "a=1; __utma=x")])

    # ---- httpbin: auth
    def basic(u, p):
        return [("Authorization", "Basic " + base64.b64encode(f"{u}:{p}".encode()).decode())]
    get("hb/basic-auth-ok", "/basic-auth/u/p", basic("u", "p"))
    get("hb/basic-auth-wrong", "/basic-auth/u/p", basic("u", "x"))
    get("hb/basic-auth-wrong-user", "/basic-auth/u/p", basic("v", "p"))
    get("hb/basic-auth-missing", "/basic-auth/u/p")
    get("hb/basic-auth-malformed", "/basic-auth/u/p", [("Authorization", "Basic !!!")])
    get("hb/basic-auth-head", "/basic-auth/u/p", basic("u", "p"), method="HEAD")
    get("hb/hidden-basic-auth-ok", "/hidden-basic-auth/u/p", basic("u", "p"))
    get("hb/hidden-basic-auth-wrong", "/hidden-basic-auth/u/p", basic("u", "x"))
    get("hb/hidden-basic-auth-missing", "/hidden-basic-auth/u/p")
    get("hb/bearer-ok", "/bearer", [("Authorization", "Bearer tok123")])
    get("hb/bearer-missing", "/bearer")
    get("hb/bearer-no-token", "/bearer", [("Authorization", "Bearer")])
    get("hb/bearer-basic", "/bearer", basic("u", "p"))
    for path in ("/digest-auth/auth/u/p", "/digest-auth/auth-int/u/p",
                 "/digest-auth/auth/u/p/SHA-256", "/digest-auth/auth-int/u/p/SHA-512",
                 "/digest-auth/bogus/u/p", "/digest-auth/auth/u/p/MD5/3",
                 "/digest-auth/auth/u/p?require-cookie=1"):
        get("hb/digest-challenge" + path[12:], path, norms=("digest",))
    get("hb/digest-garbage", "/digest-auth/auth/u/p", [("Authorization", "Digest garbage")],
        norms=("digest",))
    get("hb/digest-basic-credentials", "/digest-auth/auth/u/p", basic("u", "p"), norms=("digest",))
    get("hb/digest-bad-path", "/digest-auth/auth/u")
    get("hb/digest-challenge-head", "/digest-auth/auth/u/p", method="HEAD", norms=("digest",))
    for alg in ("MD5", "SHA-256", "SHA-512"):
        for qop in ("auth", "auth-int", ""):
            path = f"/digest-auth/{qop or 'auth'}/u/p/{alg}"
            get(f"hb/digest-ok-{alg}-{qop or 'noqop'}", path,
                [("Authorization", digest_authorization("GET", path, "u", "p", alg, qop))],
                norms=("digest",))
    path = "/digest-auth/auth/u/p"
    get("hb/digest-wrong-password", path,
        [("Authorization", digest_authorization("GET", path, "u", "nope"))], norms=("digest",))
    get("hb/digest-stale-cookie", path,
        [("Authorization", digest_authorization("GET", path, "u", "p")),
         ("Cookie", "stale_after=0; fake=fake_value")], norms=("digest",))
    get("hb/digest-last-nonce-cookie", path,
        [("Authorization", digest_authorization("GET", path, "u", "p")),
         ("Cookie", f"last_nonce={DIGEST_NONCE}")], norms=("digest",))
    path = "/digest-auth/auth/u/p/MD5/2"
    get("hb/digest-stale-after-countdown", path,
        [("Authorization", digest_authorization("GET", path, "u", "p")),
         ("Cookie", "stale_after=2")], norms=("digest",))
    path = "/digest-auth/auth/u/p?require-cookie=1"
    get("hb/digest-require-cookie-ok", path,
        [("Authorization", digest_authorization("GET", path, "u", "p")),
         ("Cookie", "fake=fake_value")], norms=("digest",))
    get("hb/digest-require-cookie-missing", path,
        [("Authorization", digest_authorization("GET", path, "u", "p"))], norms=("digest",))

    # ---- httpbin: cache and conditional requests
    get("hb/cache", "/cache", norms=("cache",))
    get("hb/cache-if-modified-since", "/cache", [("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT")])
    get("hb/cache-if-none-match", "/cache", [("If-None-Match", '"x"')])
    get("hb/cache-head", "/cache", [("If-None-Match", "*")], method="HEAD")
    get("hb/cache-60", "/cache/60")
    get("hb/cache-0", "/cache/0")
    get("hb/cache-huge", "/cache/99999999999")
    get("hb/cache-bad", "/cache/abc")
    get("hb/etag", "/etag/abc")
    for label, hdrs in (("inm-hit", [("If-None-Match", '"abc"')]),
                        ("inm-weak-list", [("If-None-Match", 'W/"abc", "x"')]),
                        ("inm-star", [("If-None-Match", "*")]),
                        ("inm-miss", [("If-None-Match", '"zzz"')]),
                        ("im-hit", [("If-Match", '"abc"')]),
                        ("im-miss", [("If-Match", '"zzz"')]),
                        ("im-star", [("If-Match", "*")]),
                        ("im-list", [("If-Match", '"x", "abc"')]),
                        ("im-and-inm", [("If-Match", '"zzz"'), ("If-None-Match", '"zzz"')])):
        get(f"hb/etag-{label}", "/etag/abc", hdrs)

    # ---- httpbin: bytes, range, streams
    for t in ("/bytes/100?seed=3", "/bytes/64?seed=1", "/bytes/0?seed=1", "/bytes/102400?seed=9",
              "/bytes/200000?seed=2", "/bytes/-1", "/bytes/4?seed=x", "/bytes/16?SEED=5",
              "/stream-bytes/500?seed=3&chunk_size=100", "/stream-bytes/20?seed=3&chunk_size=7",
              "/stream-bytes/0?seed=1", "/stream-bytes/100000?seed=4&chunk_size=65536",
              "/stream-bytes/300?seed=5", "/unstable?failure_rate=0", "/unstable?failure_rate=1",
              "/unstable?seed=1234", "/unstable?seed=7&failure_rate=0.5",
              "/unstable?failure_rate=1.5", "/unstable?seed=abc"):
        get("hb" + t, t)
    get("hb/bytes-head", "/bytes/10?seed=1", method="HEAD")
    get("hb/stream-bytes-head", "/stream-bytes/10?seed=1", method="HEAD")
    get("hb/range", "/range/100")
    for label, rng in (("single", "bytes=5-9"), ("open-end", "bytes=95-"), ("suffix", "bytes=-4"),
                       ("full", "bytes=0-99"), ("end-beyond", "bytes=90-500"),
                       ("unsatisfiable", "bytes=200-300"), ("reversed", "bytes=9-5"),
                       ("unit", "items=0-3"), ("garbage", "bytes=abc"),
                       ("multi", "bytes=0-4,10-14"), ("multi-3", "bytes=0-0,50-52,-2"),
                       ("multi-overlap", "bytes=0-10,5-15")):
        get(f"hb/range-{label}", "/range/100", [("Range", rng)],
            norms=("boundary",) if label.startswith("multi") else ())
    get("hb/range-if-range-match", "/range/100", [("Range", "bytes=0-4"), ("If-Range", '"range100"')])
    get("hb/range-if-range-mismatch", "/range/100", [("Range", "bytes=0-4"), ("If-Range", '"other"')])
    get("hb/range-head", "/range/100", [("Range", "bytes=0-4")], method="HEAD")
    get("hb/range-paced", "/range/30?chunk_size=4&duration=0.1", [("Range", "bytes=0-9")])
    get("hb/range-paced-whole", "/range/26?chunk_size=10&duration=0.05")
    get("hb/range-zero", "/range/0")
    get("hb/range-too-large", "/range/200000")
    get("hb/stream-3", "/stream/3")
    get("hb/stream-args", "/stream/2?a=1&a=2", [("X-Test", "1")])
    get("hb/stream-0", "/stream/0")
    get("hb/stream-150", "/stream/150")
    get("hb/stream-head", "/stream/3", method="HEAD")
    get("hb/stream-bad", "/stream/x")
    get("hb/drip", "/drip?numbytes=5&duration=0.1&delay=0")
    get("hb/drip-code", "/drip?numbytes=3&duration=0&delay=0&code=201")
    get("hb/drip-delay", "/drip?numbytes=2&duration=0&delay=0.1")
    get("hb/drip-zero", "/drip?numbytes=0")
    get("hb/drip-bad", "/drip?numbytes=x")
    get("hb/drip-bad-code", "/drip?numbytes=1&duration=0&code=abc")
    get("hb/drip-head", "/drip?numbytes=5&duration=0.1&delay=0", method="HEAD")
    get("hb/delay", "/delay/0.1")
    get("hb/delay-args", "/delay/0?a=1", ua)
    get("hb/delay-over-cap", "/delay/11")
    get("hb/delay-bad", "/delay/abc")
    get("hb/delay-negative", "/delay/-1")
    get("hb/delay-post-405", "/delay/0", method="POST", body="x")
    get("hb/delay-head", "/delay/0.1", method="HEAD")
    ts = ("timestamp",)
    get("hb/sse", "/sse?count=3&duration=0.1&delay=0", norms=ts)
    get("hb/sse-one", "/sse?count=1", norms=ts)
    get("hb/sse-delay", "/sse?count=2&duration=50ms&delay=50ms", norms=ts)
    get("hb/sse-head", "/sse?count=2&duration=0", method="HEAD", norms=ts)
    get("hb/sse-bad-count", "/sse?count=0")
    get("hb/sse-too-long", "/sse?duration=8s&delay=8s")
    get("hb/jsonl", "/jsonl?count=3&duration=0.1", norms=ts)
    get("hb/jsonl-jitter", "/jsonl?count=3&duration=0.1&jitter=0.5", norms=ts)
    get("hb/jsonl-bad-count", "/jsonl?count=abc")
    get("hb/trailers", "/trailers?X-Trailer-A=1&X-Trailer-B=two")
    get("hb/trailers-lower", "/trailers?a=1&x-b=2")
    get("hb/trailers-forbidden", "/trailers?Content-Type=x")
    get("hb/trailers-none", "/trailers")
    get("hb/trailers-post", "/trailers?a=1", method="POST", body="data")
    get("hb/trailers-head", "/trailers?a=1", method="HEAD")
    get("hb/trailers-http10", "/trailers?a=1", version="HTTP/1.0")
    get("hb/links", "/links/3/1")
    get("hb/links-redirect", "/links/3")
    get("hb/links-zero", "/links/0/0")
    get("hb/links-over-cap", "/links/300/0")

    # ---- httpbin: documents, encodings, images
    for t in ("/html", "/json", "/xml", "/robots.txt", "/deny", "/encoding/utf8", "/forms/post",
              "/base64/SGVsbG8=", "/base64/SFRUUEJJTiBpcyBhd2Vzb21l", "/base64/aGVsbG8_d29ybGQ-",
              "/base64/aGk", "/base64/_w==", "/base64/encode/hello%20world%3F",
              "/base64/decode/aGVsbG8gd29ybGQ_", "/base64/decode/%21%21%21", "/base64/frob/aGk=",
              "/gzip", "/gzip?a=1", "/deflate", "/brotli", "/zstd",
              "/image/png", "/image/jpeg", "/image/webp", "/image/svg", "/image/gif"):
        get("hb" + t, t, ua)
    for t in ("/html", "/json", "/xml", "/robots.txt", "/gzip", "/brotli", "/image/png",
              "/links/3/1", "/anything", "/cookies/set?a=b", "/redirect-to?url=/get",
              "/base64/SGVsbG8=", "/encoding/utf8"):
        get(f"hb{t}-head", t, ua, method="HEAD")
    get("hb/gzip-post-405", "/gzip", method="POST", body="x")
    for label, acc in (("none", None), ("webp", "image/webp"), ("svg", "image/svg+xml"),
                       ("jpeg", "image/jpeg"), ("png", "image/png"), ("star", "image/*"),
                       ("browser", "image/avif,image/webp,*/*;q=0.8"), ("html-406", "text/html"),
                       ("any", "*/*"), ("q0", "image/png;q=0")):
        get(f"hb/image-accept-{label}", "/image", [("Accept", acc)] if acc else [])
    get("hb/image-png-accept-html", "/image/png", [("Accept", "text/html")])
    for label, acc in (("plain", None), ("text", "text/plain"), ("html", "text/html"),
                       ("json", "application/json")):
        get(f"hb/index-{label}", "/", [("Accept", acc)] if acc else [])
    get("hb/index-head", "/", method="HEAD")
    get("hb/index-post-405", "/", method="POST", body="x")

    # ---- CORS, 404, 405, OPTIONS
    origin = [("Origin", "http://example.com")]
    get("hb/cors-get", "/get", origin)
    get("hb/cors-preflight", "/post", origin + [("Access-Control-Request-Method", "POST"),
                                                ("Access-Control-Request-Headers", "X-Foo, Content-Type")],
        method="OPTIONS")
    get("hb/cors-preflight-status", "/status/418", origin + [("Access-Control-Request-Method", "GET")],
        method="OPTIONS")
    get("hb/cors-post", "/post", [("Origin", "https://x.test"), ("Content-Type", "text/plain")],
        method="POST", body="a")
    get("hb/cors-404", "/does-not-exist", origin)
    get("hb/cors-status", "/status/503", origin)
    get("hb/404", "/does-not-exist")
    get("hb/404-html", "/does-not-exist", [("Accept", "text/html")])
    get("hb/404-zh", "/does-not-exist", [("Accept-Language", "zh")])
    get("hb/404-head", "/does-not-exist", method="HEAD")
    get("hb/404-nested", "/get/extra/path")
    get("hb/404-encoded", "/%67et")
    get("hb/405-put-get", "/get", method="PUT", body="x")
    get("hb/405-delete-post", "/post", method="DELETE")
    get("hb/405-head-post", "/post", method="HEAD")
    get("hb/405-websocket-post", "/websocket/echo", method="POST", body="x")
    for t in ("/get", "/post", "/put", "/anything", "/status/200", "/bytes/1", "/cookies",
              "/websocket/echo", "/nope"):
        get(f"hb/options{t}", t, method="OPTIONS")

    # ---- WebSocket
    hs = ws_handshake()
    done = Wait(b"\r\n\r\n")

    def echo(marker, count=1):   # frames after the handshake
        return Wait(marker, count, after=b"\r\n\r\n")
    close = ws_frame(0x8, b"\x03\xe8")
    add("ws/echo-text", [hs, done, ws_frame(0x1, b"hello"), echo(b"\x81\x05hello"), close])
    add("ws/echo-binary", [hs, done, ws_frame(0x2, bytes(range(256))), echo(bytes(range(250, 256))),
                           close])
    add("ws/echo-long-text", [hs, done, ws_frame(0x1, b"y" * 70000), echo(b"y", 70000), close])
    add("ws/echo-medium-text", [hs, done, ws_frame(0x1, b"m" * 300), echo(b"m", 300), close])
    add("ws/ping", [hs, done, ws_frame(0x9, b"pp"), echo(b"\x8a\x02pp"), close])
    add("ws/fragmented", [hs, done, ws_frame(0x1, b"frag", fin=False), ws_frame(0x0, b"ment"),
                          echo(b"\x81\x08fragment"), close])
    add("ws/close-with-reason", [hs, done, ws_frame(0x8, b"\x03\xe9bye")])
    add("ws/close-empty", [hs, done, ws_frame(0x8, b"")])
    add("ws/frame-in-handshake-packet", [hs + ws_frame(0x1, b"early"), echo(b"early"), close])
    add("ws/unmasked-frame", [hs, done, ws_frame(0x1, b"x", mask=None)])
    add("ws/bad-opcode", [hs, done, ws_frame(0x3, b"x")])
    add("ws/invalid-utf8", [hs, done, ws_frame(0x1, b"\xff\xfe")])
    add("ws/ping-too-long", [hs, done, ws_frame(0x9, b"p" * 130)])
    add("ws/max-message-size", [ws_handshake("/websocket/echo?max_message_size=4"), done,
                                ws_frame(0x1, b"too long")])
    add("ws/max-fragment-size", [ws_handshake("/websocket/echo?max_fragment_size=2"), done,
                                 ws_frame(0x1, b"abc"), echo(b"\x80\x01c"), close])
    add("ws/bad-size-param", ws_handshake("/websocket/echo?max_message_size=0"), end="quiet")
    add("ws/no-upgrade", rq("GET", "/websocket/echo"))
    add("ws/version-8", ws_handshake(version="8"), end="quiet")
    add("ws/no-key", ws_handshake(key=None), end="quiet")
    add("ws/bad-key", ws_handshake(key="short"), end="quiet")
    add("ws/http10", b"GET /websocket/echo HTTP/1.0\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                     b"Sec-WebSocket-Key: " + WS_KEY.encode() + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    add("ws/head", rq("HEAD", "/websocket/echo", [("Upgrade", "websocket"), ("Connection", "Upgrade"),
                                                  ("Sec-WebSocket-Key", WS_KEY),
                                                  ("Sec-WebSocket-Version", "13")], close=False),
        end="quiet")
    add("ws/idle-then-close", [hs, done, Sleep(0.2), close])
    return cases


# ---------------------------------------------------------------- normalisation

_WDAY = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MON = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
_IMF = _WDAY + rb", \d\d " + _MON + rb" \d{4} \d\d:\d\d:\d\d GMT"

_HEAD = re.compile(rb"HTTP/\d\.\d \d{3}[^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n")
_DATE_LINE = re.compile(rb"\r\nDate: (" + _IMF + rb")\r\n")
_FIELD = re.compile(rb"(\r\n[!#$%&'*+.^_`|~0-9A-Za-z-]+: )([^\r\n]*)(?=\r\n)")


def _norm_dates(data):
    """In every response head: Date: <IMF-fixdate> -> <DATE>, and any other
    field whose value is exactly that same date (Expires of /status/304 and
    friends, Last-Modified of /cache) -> <DATE> too."""
    def head(m):
        h = m.group(0)
        d = _DATE_LINE.search(h)
        if not d:
            return h
        date = d.group(1)
        return _FIELD.sub(lambda f: f.group(1) + b"<DATE>" if f.group(2) == date else f.group(0), h)
    return _HEAD.sub(head, data)


NORMALISERS = {
    # name: [(compiled regex, replacement) or a function bytes -> bytes, ...]
    "date": [_norm_dates],
    "cache": [(re.compile(rb'(\r\nETag: ")[0-9a-f]{32}(?="\r\n)'), rb"\1<RANDOM32>")],
    "digest": [(re.compile(rb'(\b(?:nonce|opaque)=")([0-9a-f]+)(?=")'),
                lambda m: m.group(1) + b"<HEX%d>" % len(m.group(2)))],
    "boundary": [(re.compile(rb"hs_byteranges_[0-9a-f]{16}"), b"hs_byteranges_<RANDOM16>")],
    "timestamp": [(re.compile(rb'"timestamp":\d+'), b'"timestamp":<MS>')],
    "uuid": [(re.compile(rb'"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"'),
              b'"<UUID4>"')],
}


def normalise(data, norms):
    for name in ("date",) + tuple(norms):
        for n in NORMALISERS[name]:
            data = n(data) if callable(n) else n[0].sub(n[1], data)
    return data


# ---------------------------------------------------------------- running


def run_case(port, case, quiet):
    """Runs one case against 127.0.0.1:port; returns the raw bytes received
    plus the [closed by server] / [still open] line."""
    buf = bytearray()
    closed = False
    try:
        s = socket.create_connection(("127.0.0.1", port), timeout=5)
    except OSError as e:
        return b"[connect failed: %s]" % str(e).encode()
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def recv_some(timeout):
        nonlocal closed
        if closed:
            return False
        s.settimeout(max(timeout, 0.001))
        try:
            b = s.recv(65536)
        except socket.timeout:
            return False
        except OSError:          # reset by the server: treat as closed
            closed = True
            return False
        if not b:
            closed = True
            return False
        buf.extend(b)
        return True

    try:
        send_ok = True
        for step in case.steps:
            if isinstance(step, bytes):
                if send_ok:
                    try:
                        s.sendall(step)
                    except OSError:
                        send_ok = False   # the server closed early; read what it sent
            elif isinstance(step, ShutWr):
                try:
                    s.shutdown(socket.SHUT_WR)
                except OSError:
                    pass
            elif isinstance(step, Sleep):
                time.sleep(step.seconds)
            elif isinstance(step, Wait):
                deadline = time.monotonic() + WAIT_TIMEOUT
                while not step.done(buf) and not closed:
                    left = deadline - time.monotonic()
                    if left <= 0:
                        break
                    recv_some(left)
        deadline = time.monotonic() + CAP
        last = time.monotonic()
        while not closed:
            now = time.monotonic()
            if now >= deadline:
                break
            if case.end == "quiet":
                left = min(deadline, last + quiet) - now
                if left <= 0:
                    break
            else:
                left = deadline - now
            if recv_some(left):
                last = time.monotonic()
    finally:
        s.close()
    return bytes(buf) + (CLOSED if closed else OPEN)


class Server:
    def __init__(self, binary, label, tmp, env):
        self.binary, self.label = binary, label
        self.err_path = os.path.join(tmp, f"{label}.stderr")
        self.log_path = os.path.join(tmp, f"{label}.access.log")
        self.err = open(self.err_path, "w+")
        cmd = [binary, "serve", "--listen", "127.0.0.1:0", "--workers", "1",
               "--access-log", "clf", "--log-file", self.log_path, *SERVER_ARGS]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=self.err, env=env)
        self.port = self._wait_port()

    def stderr(self):
        with open(self.err_path, errors="replace") as f:
            return f.read()

    def _wait_port(self, timeout=10.0):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(r"listening on http://127\.0\.0\.1:(\d+)", self.stderr())
            if m:
                port = int(m.group(1))
                while time.monotonic() < deadline:
                    try:
                        socket.create_connection(("127.0.0.1", port), timeout=1).close()
                        return port
                    except OSError:
                        time.sleep(0.02)
                break
            if self.proc.poll() is not None:
                break
            time.sleep(0.02)
        self.stop()
        raise RuntimeError(f"{self.label} server ({self.binary}) did not start:\n{self.stderr()}")

    def stop(self):
        """SIGTERM; returns the exit status (None if it had to be killed)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
                self.err.close()
                return None
        self.err.close()
        return self.proc.returncode


def run_all(cases, servers, quiet, jobs):
    """{case name: (old bytes, new bytes)} (normalised), both servers asked
    at the same time for each case."""
    results = {}
    lock = threading.Lock()

    def one(case):
        with ThreadPoolExecutor(max_workers=2) as pair:
            fo = pair.submit(run_case, servers[0].port, case, quiet)
            fn = pair.submit(run_case, servers[1].port, case, quiet)
            old, new = fo.result(), fn.result()
        with lock:
            results[case.name] = (normalise(old, case.norms), normalise(new, case.norms))

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        for f in [pool.submit(one, c) for c in cases]:
            f.result()
    return results


# ---------------------------------------------------------------- reporting


def _esc_line(line):
    out = []
    for c in line:
        if c == 0x0D:
            out.append("\\r")
        elif c == 0x0A:
            out.append("\\n")
        elif c == 0x09:
            out.append("\\t")
        elif c == 0x5C:
            out.append("\\\\")
        elif 0x20 <= c < 0x7F:
            out.append(chr(c))
        else:
            out.append("\\x%02x" % c)
    return "".join(out)


def render(data, width=120):
    """Bytes as escaped text lines (split after each LF, long lines folded)."""
    lines = []
    for raw in data.splitlines(keepends=True):
        for i in range(0, max(len(raw), 1), width):
            lines.append(_esc_line(raw[i:i + width]))
    return lines


def show_diff(name, old, new, max_lines=80):
    i = next((k for k in range(min(len(old), len(new))) if old[k] != new[k]), min(len(old), len(new)))
    print(f"--- DIFFERENT: {name}  (OLD {len(old)} bytes, NEW {len(new)} bytes, "
          f"first difference at byte {i})")
    diff = list(difflib.unified_diff(render(old), render(new), "OLD", "NEW", n=3, lineterm=""))
    for line in diff[:max_lines]:
        print("    " + line)
    if len(diff) > max_lines:
        print(f"    ... {len(diff) - max_lines} more diff lines (use -k '{name}' --dump DIR)")


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("old", nargs="?", help="path to the OLD httpstatus binary")
    ap.add_argument("new", nargs="?", help="path to the NEW httpstatus binary")
    ap.add_argument("--list", action="store_true", help="print the case names and exit")
    ap.add_argument("-k", action="append", default=[], metavar="SUBSTRING",
                    help="run only cases whose name contains SUBSTRING (repeatable)")
    ap.add_argument("-j", "--jobs", type=int, default=16, help="cases in flight (default 16)")
    ap.add_argument("--quiet", type=float, default=0.5,
                    help="quiet period ending a keep-alive read, seconds (default 0.5)")
    ap.add_argument("--max-diffs", type=int, default=5, help="differences shown in full (default 5)")
    ap.add_argument("--no-retry", action="store_true",
                    help="do not re-run differing cases to tell intermittent from reproducible")
    ap.add_argument("--dump", metavar="DIR", help="write each case's normalised bytes to DIR")
    a = ap.parse_args(argv)

    cases = build_cases()
    names = [c.name for c in cases]
    dup = {n for n in names if names.count(n) > 1}
    assert not dup, f"duplicate case names: {sorted(dup)}"
    if a.k:
        cases = [c for c in cases if any(k in c.name for k in a.k)]
    if a.list:
        for c in cases:
            extra = f"  [{','.join(c.norms)}]" if c.norms else ""
            print(f"{c.name}  ({c.end}){extra}")
        print(f"{len(cases)} cases", file=sys.stderr)
        return 0
    if not a.old or not a.new:
        ap.error("OLD_BIN and NEW_BIN are required (or --list)")
    for b in (a.old, a.new):
        if not os.access(b, os.X_OK):
            ap.error(f"not an executable: {b}")
    if not cases:
        ap.error("no case matches -k " + " ".join(a.k))

    env = {k: v for k, v in os.environ.items() if not k.startswith("HTTPBIN_ENV_")}
    env["HTTPBIN_ENV_WIRE_COMPARE"] = "1"
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="wire-compare-") as tmp:
        servers = []
        try:
            for binary, label in ((a.old, "OLD"), (a.new, "NEW")):
                servers.append(Server(binary, label, tmp, env))
        except RuntimeError as e:
            for s in servers:
                s.stop()
            print(e, file=sys.stderr)
            return 2
        try:
            results = run_all(cases, servers, a.quiet, a.jobs)
            differ = [c for c in cases if results[c.name][0] != results[c.name][1]]
            rerun = {}   # case name -> identical when re-run alone?
            if not a.no_retry:
                for c in differ:   # alone, one at a time, longer quiet period
                    again = run_all([c], servers, a.quiet * 4, 1)
                    rerun[c.name] = again[c.name][0] == again[c.name][1]
        finally:
            alive = [s.proc.poll() is None for s in servers]
            codes = [s.stop() for s in servers]
        elapsed = time.monotonic() - t0

        if a.dump:
            os.makedirs(a.dump, exist_ok=True)
            for c in cases:
                base = os.path.join(a.dump, c.name.replace("/", "_"))
                for data, ext in zip(results[c.name], ("old", "new")):
                    with open(f"{base}.{ext}", "wb") as f:
                        f.write(data)

        failed = False
        for s, was_alive, code in zip(servers, alive, codes):
            if not was_alive or code != 0:
                failed = True
                why = "had exited before the end" if not was_alive else f"exited with {code} on SIGTERM"
                print(f"SERVER {s.label} ({s.binary}) {why}; stderr tail:\n"
                      + "\n".join(s.stderr().splitlines()[-15:]))
        for c in differ[:a.max_diffs]:
            show_diff(c.name, *results[c.name])
            if c.name in rerun:
                print("    re-run alone: " + (
                    "identical -- INTERMITTENT (test timing, or nondeterminism in a server)"
                    if rerun[c.name] else "different again (reproducible)"))
        if differ:
            failed = True
            intermittent = [c.name for c in differ if rerun.get(c.name)]
            print(f"{len(cases)} cases, {len(differ)} DIFFERENT ({elapsed:.1f}s): "
                  + " ".join(c.name for c in differ))
            if intermittent:
                print(f"  of which {len(intermittent)} identical when re-run alone: "
                      + " ".join(intermittent))
        else:
            print(f"{len(cases)} cases, all identical ({elapsed:.1f}s)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
