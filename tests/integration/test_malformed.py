"""Strict parsing (RFC 9112): every malformed input gets its precise status, and
the connection is closed when it cannot safely continue."""
import pytest

from rawhttp import exchange, parse, read_responses_from, request


def one(srv, data, **kw):
    raw, closed = exchange(srv.port, data, **kw)
    resps = parse(raw)
    assert len(resps) == 1, raw
    return resps[0], closed


@pytest.mark.parametrize("name,data", [
    ("cl+te", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ("te+cl", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n"
              b"Content-Length: 5\r\n\r\n0\r\n\r\n"),
    ("double cl", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx"),
    ("bad cl", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 1x\r\n\r\nx"),
    ("negative cl", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n"),
    ("te not chunked last", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked, gzip\r\n\r\n"),
    ("te gzip only", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: gzip\r\n\r\n"),
    ("bad chunk size", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n"),
    ("chunk size overflow", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n"
                            b"fffffffffffffffffff\r\n"),
    ("chunk without crlf", b"POST /status/200 HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n"),
    ("bare cr in value", b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\rb\r\n\r\n"),
    ("bare cr in line", b"GET /status/200 HTTP/1.1\rHost: t\r\n\r\n"),
    ("nul in value", b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\x00b\r\n\r\n"),
    ("nul in target", b"GET /status/\x00200 HTTP/1.1\r\nHost: t\r\n\r\n"),
    ("obs-fold", b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\r\n  folded\r\n\r\n"),
    ("obs-fold tab", b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\r\n\tfolded\r\n\r\n"),
    ("space before colon", b"GET /status/200 HTTP/1.1\r\nHost : t\r\n\r\n"),
    ("leading space header", b"GET /status/200 HTTP/1.1\r\n Host: t\r\n\r\n"),
    ("control char in value", b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX-A: a\x01b\r\n\r\n"),
    ("bad header name", b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX(A): b\r\n\r\n"),
    ("missing host", b"GET /status/200 HTTP/1.1\r\n\r\n"),
    ("double host", b"GET /status/200 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n"),
    ("double host same", b"GET /status/200 HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n"),
    ("bad host", b"GET /status/200 HTTP/1.1\r\nHost: a b/c\r\n\r\n"),
    ("malformed method", b"G(T /status/200 HTTP/1.1\r\nHost: t\r\n\r\n"),
    ("method with slash", b"GE/T /status/200 HTTP/1.1\r\nHost: t\r\n\r\n"),
    ("space in target", b"GET /status/200 x HTTP/1.1\r\nHost: t\r\n\r\n"),
    ("two spaces", b"GET  /status/200 HTTP/1.1\r\nHost: t\r\n\r\n"),
    ("no version", b"GET /status/200\r\nHost: t\r\n\r\n"),
    ("bad version syntax", b"GET /status/200 HTTP/1.x\r\nHost: t\r\n\r\n"),
    ("lowercase http", b"GET /status/200 http/1.1\r\nHost: t\r\n\r\n"),
    ("relative target", b"GET status/200 HTTP/1.1\r\nHost: t\r\n\r\n"),
    ("binary garbage", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03"),
])
def test_400_and_close(srv, name, data):
    r, closed = one(srv, data)
    assert r.status == 400, (name, r)
    assert r.header("connection") == "close"
    assert closed


def test_400_does_not_answer_pipelined_rest(srv):
    raw, closed = exchange(srv.port, b"GET /status/200 HTTP/1.1\r\nHost: t\r\nX: \x01\r\n\r\n" +
                           request("GET", "/status/201"))
    assert [r.status for r in parse(raw)] == [400] and closed


@pytest.mark.parametrize("version", [b"HTTP/2.0", b"HTTP/3.7", b"HTTP/0.9", b"HTTP/9.9"])
def test_505_unsupported_version(srv, version):
    r, closed = one(srv, b"GET /status/200 " + version + b"\r\nHost: t\r\n\r\n")
    assert r.status == 505, r
    assert r.reason == "HTTP Version Not Supported"
    assert closed


def test_h2_preface_after_a_request_gets_505(srv):
    # RFC 9113 §3.3: prior knowledge means the preface opens the connection
    # (test_http2.py); after an HTTP/1.1 request it is a request for version 2.0
    s = srv.connect()
    s.sendall(request("GET", "/status/200") + b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n")
    resps = read_responses_from(s, 2)
    assert [r.status for r in resps] == [200, 505]
    s.close()


@pytest.mark.parametrize("method", [b"FROB", b"get", b"BREW", b"PROPFIND", b"MKCOL", b"X-CUSTOM", b"M-SEARCH",
                                    b"A" * 20])
def test_501_unknown_valid_method_keeps_connection(srv, method):
    s = srv.connect()
    s.sendall(method + b" /status/200 HTTP/1.1\r\nHost: t\r\n\r\n" + request("GET", "/status/202"))
    resps = read_responses_from(s, 2)
    assert [r.status for r in resps] == [501, 202]
    assert resps[0].reason == "Not Implemented"
    s.close()


def test_501_unknown_method_with_body_keeps_framing(srv):
    s = srv.connect()
    s.sendall(b"FROB /status/200 HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\n\r\nhello" + request("GET", "/status/203"))
    resps = read_responses_from(s, 2)
    assert [r.status for r in resps] == [501, 203]
    s.close()


def test_501_unknown_method_split_across_reads(srv):
    s = srv.connect()
    for part in (b"FRO", b"BNI", b"CATE /status/200 HTTP/1.1\r\nHo", b"st: t\r\n\r\n"):
        s.sendall(part)
        import time
        time.sleep(0.05)
    (r,) = read_responses_from(s, 1)
    assert r.status == 501
    s.close()


def test_501_very_long_method(srv):
    r, closed = one(srv, b"X" * 200 + b" / HTTP/1.1\r\nHost: t\r\n\r\n")
    assert r.status == 501 and closed


def test_connect_is_501(srv):
    r, closed = one(srv, b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    assert r.status == 501 and closed


def test_leading_empty_lines_are_ignored(srv):
    r, _ = one(srv, b"\r\n\r\n" + request("GET", "/status/200", headers=[("Connection", "close")]))
    assert r.status == 200


def test_obs_text_in_values_is_fine(srv):
    r, _ = one(srv, request("GET", "/status/200", headers=[("X-Latin", "caf\xe9"), ("Connection", "close")]))
    assert r.status == 200


def test_error_responses_are_plain_text_with_reason(srv):
    r, _ = one(srv, b"GET /status/200 HTTP/1.1\r\n\r\n")
    assert r.header("content-type").startswith("text/plain")
    assert b"Host" in r.body
    assert int(r.header("content-length")) == len(r.body)
