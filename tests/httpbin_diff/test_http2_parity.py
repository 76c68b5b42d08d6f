"""Every case of the differential table, asked of our server over HTTP/1.1
and over HTTP/2 (prior knowledge): the same status, interim responses,
headers that matter and body (compare.py's rules, with our HTTP/1.1 answer
in the place of httpbin's). Cases that are about HTTP/1.1 itself (multi-step
flows, WebSocket, the 101 of /status/101, request framing headers) are left
out: they have no HTTP/2 form.
    /usr/bin/python3 -m pytest -q tests/httpbin_diff/test_http2_parity.py
"""
import re

import pytest

from . import compare
import h2client
import rawhttp
from .cases import CASES
from .test_httpbin_diff import build_request

# request header fields that only exist in HTTP/1.1 framing or upgrades
HTTP1_ONLY = {"transfer-encoding", "connection", "upgrade", "te", "keep-alive"}


def _eligible(case):
    if case.status_in or (case.path == "/unstable" and "seed" not in str(case.query)):
        return False  # a status drawn at random
    if case.flow is not None or case.path.startswith("/websocket"):
        return False
    if any(k.lower() in HTTP1_ONLY for k, _ in case.headers):
        return False
    return not case.path.startswith("/status/101")


PARITY = [c for c in CASES if _eligible(c)]

# what differs between two asks of the same server by design: the times in
# /sse and /jsonl events, the random multipart boundary of /range, and the
# request's own version in /dump/request (it shows the request as received)
_VOLATILE = [(re.compile(rb'"timestamp":\d+'), b'"timestamp":0'),
             (re.compile(rb"hs_byteranges_[0-9a-f]+"), b"hs_byteranges_X"),
             (re.compile(rb"\A(\S+ \S+) HTTP/2\.0\r\n"), rb"\1 HTTP/1.1\r\n")]


def _normalise(resp):
    for rx, to in _VOLATILE:
        resp.body = rx.sub(to, resp.body)
    resp.headers = [(k, re.sub(r"hs_byteranges_[0-9a-f]+", "hs_byteranges_X", v))
                    for k, v in resp.headers]
    return resp


@pytest.fixture(scope="module")
def ours(servers):
    if servers.selftest:
        pytest.skip("self-test: httpbin speaks no HTTP/2")
    return servers.ours


@pytest.mark.parametrize("case", PARITY, ids=[c.id for c in PARITY])
def test_http2_parity(case, ours):
    target, headers, body = build_request(case)
    if not any(k.lower() == "host" for k, _ in headers):
        headers = [("Host", "%s:%d" % ours.addr)] + headers
    h1 = _normalise(rawhttp.send(ours.addr[0], ours.addr[1], case.method, target, headers,
                                    body, timeout=case.timeout))
    h2 = _normalise(h2client.send(ours.addr[0], ours.addr[1], case.method, target, headers,
                                     body, timeout=case.timeout))
    d = compare.Diffs()
    ctx = compare.Ctx(ours.port, ours.port)
    compare.compare(h1, h2, case, ctx, d)
    d.done("%s %s: HTTP/1.1 and HTTP/2 answers differ:" % (case.method, case.path))
