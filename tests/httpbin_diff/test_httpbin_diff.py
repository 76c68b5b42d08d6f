"""Differential test: the same requests to Debian's httpbin and to our server.

See cases.py for the table and docs/httpbin-compat.md for every deliberate
difference.  Run:
    /usr/bin/python3 -m pytest -q tests/httpbin_diff
    HTTPBIN_DIFF_SELFTEST=1 /usr/bin/python3 -m pytest -q tests/httpbin_diff   # harness check
"""
from urllib.parse import urlencode

import pytest
import requests

from . import compare
import rawhttp
from .cases import CASES, DEFAULT_HEADERS, R_JSON_LAYOUT, _NO


def build_request(case):
    """(target, headers, body) for a case: body/headers encoded once with
    requests' preparation (multipart boundary, Basic auth, Cookie header), so
    that both servers get byte-identical requests except Host."""
    kw = {}
    if case.form is not None:
        kw["data"] = case.form
    if case.body is not None:
        kw["data"] = case.body.encode() if isinstance(case.body, str) else case.body
    if case.files is not None:
        kw["files"] = case.files
    if case.json is not _NO:
        kw["json"] = case.json
    if case.cookies:
        kw["cookies"] = case.cookies
    if case.auth:
        kw["auth"] = case.auth
    prepared = requests.Request(case.method, "http://placeholder/", **kw).prepare()
    target = case.path
    if case.query is not None:
        q = case.query if isinstance(case.query, str) else urlencode(case.query, doseq=True)
        target += "?" + q
    headers = [] if case.no_defaults else list(DEFAULT_HEADERS)
    given = [(k, v) for k, v in case.headers]
    names = {k.lower() for k, _ in given}
    headers = [(k, v) for k, v in headers if k.lower() not in names]
    for k, v in prepared.headers.items():
        if k.lower() == "content-length" and any(n == "transfer-encoding" for n in names):
            continue
        if k.lower() not in names:
            given.append((k, v))
    body = prepared.body or b""
    if isinstance(body, str):
        body = body.encode()
    if case.method in ("GET", "HEAD", "OPTIONS", "TRACE") and not body:
        given = [(k, v) for k, v in given if not (k.lower() == "content-length" and v == "0")]
    return target, headers + given, body


class Sender:
    def __init__(self, server, case):
        self.addr = server.addr
        self.case = case

    def __call__(self, method, target, headers=(), body=b""):
        hdrs = [] if self.case.no_defaults else list(DEFAULT_HEADERS)
        names = {k.lower() for k, _ in headers}
        hdrs = [(k, v) for k, v in hdrs if k.lower() not in names] + list(headers)
        return rawhttp.send(self.addr[0], self.addr[1], method, target, hdrs, body,
                               timeout=self.case.timeout)


def run(case, server, prepared):
    if case.flow is not None:
        return case.flow(Sender(server, case))
    target, headers, body = prepared
    if not any(k.lower() == "host" for k, _ in headers):
        headers = [("Host", "%s:%d" % server.addr)] + headers
    return rawhttp.send(server.addr[0], server.addr[1], case.method, target, headers, body,
                           timeout=case.timeout)


def _as_list(x):
    return x if isinstance(x, list) else [x]


def check_layout(resps, d):
    """Our JSON layout (global deliberate difference R_JSON_LAYOUT)."""
    for i, r in enumerate(_as_list(resps)):
        if r.mime == "application/json" and r.body and r.status != 0:
            try:
                body = compare.decoded_body(r)
            except Exception:
                continue
            for p in compare.json_format_problems(body):
                d.add("step %d: %s [%s]" % (i + 1, p, R_JSON_LAYOUT) if isinstance(resps, list)
                      else "%s [%s]" % (p, R_JSON_LAYOUT))


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_httpbin_diff(case, servers):
    if servers.selftest and (case.expected_difference or case.ours_only):
        pytest.skip("self-test: this case asserts our server's own behaviour")
    ctx = servers.ctx
    d = compare.Diffs()
    prepared = build_request(case)     # once: same multipart boundary for both
    ours = run(case, servers.ours, prepared)
    ref = None
    if not case.ours_only and case.ref:
        ref = run(case, servers.ref, prepared)
    if case.invariant is not None:
        for who, resps in (("httpbin", ref), ("ours", ours)):
            if resps is not None:
                try:
                    case.invariant(resps, who)
                except AssertionError as e:
                    d.add(str(e))
    if case.expected_difference or case.ours_only:
        case.check(ours, ref, ctx, d)
    else:
        ro, rr = _as_list(ours), _as_list(ref)
        if d.check(len(ro) == len(rr), "flow length %d != %d" % (len(rr), len(ro))):
            for i, (a, b) in enumerate(zip(rr, ro)):
                sub = compare.Diffs()
                compare.compare(a, b, case, ctx, sub)
                prefix = "step %d: " % (i + 1) if len(rr) > 1 else ""
                d.items += [prefix + m for m in sub.items]
    if not servers.selftest and case.body_mode != "jsonlines":
        check_layout(ours, d)
    d.done("%s %s%s differs:" % (case.method, case.path,
                                 "?" + case.query if isinstance(case.query, str) else ""))
