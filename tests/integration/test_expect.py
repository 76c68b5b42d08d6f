"""Expect (RFC 9110 §10.1.1): 100 Continue before the body is read, the final
status without reading the body if the request is refused anyway, 417 for
anything but 100-continue."""
import http.client
import socket
import time

from rawhttp import exchange, parse, read_all, read_responses_from, request


def test_100_continue_before_body(srv):
    s = srv.connect()
    s.sendall(request("PUT", "/status/201", headers=[("Expect", "100-continue"), ("Content-Length", "5")]))
    s.settimeout(3)
    first = s.recv(4096)
    assert first == b"HTTP/1.1 100 Continue\r\n\r\n"
    s.sendall(b"hello")
    (r,) = read_responses_from(s, 1)
    assert r.status == 201
    s.close()


def test_100_continue_chunked(srv):
    s = srv.connect()
    s.sendall(request("POST", "/status/200", headers=[("Expect", "100-continue"),
                                                      ("Transfer-Encoding", "chunked")]))
    s.settimeout(3)
    assert s.recv(4096) == b"HTTP/1.1 100 Continue\r\n\r\n"
    s.sendall(b"3\r\nabc\r\n0\r\n\r\n")
    assert read_responses_from(s, 1)[-1].status == 200
    s.close()


def test_100_continue_refused_413_without_reading_body(srv):
    s = srv.connect()
    s.sendall(request("PUT", "/status/201", headers=[("Expect", "100-continue"), ("Content-Length", "999999")]))
    raw, closed = read_all(s, timeout=3)
    (r,) = parse(raw)
    assert r.status == 413 and closed
    s.close()


def test_100_continue_refused_404_and_405_without_body(srv):
    for target, method, status in (("/nope", "PUT", 404), ("/", "POST", 405)):
        s = srv.connect()
        s.sendall(request(method, target, headers=[("Expect", "100-continue"), ("Content-Length", "100")]))
        raw, closed = read_all(s, timeout=3)
        (r,) = parse(raw)
        assert r.status == status and closed
        assert b"100 Continue" not in raw
        s.close()


def test_100_continue_unknown_method_501(srv):
    s = srv.connect()
    s.sendall(b"FROB /status/200 HTTP/1.1\r\nHost: t\r\nExpect: 100-continue\r\nContent-Length: 10\r\n\r\n")
    raw, closed = read_all(s, timeout=3)
    assert parse(raw)[0].status == 501 and closed
    s.close()


def test_100_continue_ignored_for_http10(srv):
    raw, _ = exchange(srv.port, b"PUT /status/201 HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi")
    assert [r.status for r in parse(raw)] == [201]


def test_no_100_without_body(srv):
    raw, _ = exchange(srv.port, request("GET", "/status/200", headers=[("Expect", "100-continue"),
                                                                       ("Connection", "close")]))
    assert [r.status for r in parse(raw)] == [200]


def test_417_unknown_expectation(srv):
    s = srv.connect()
    s.sendall(request("GET", "/status/200", headers=[("Expect", "foo")]) + request("GET", "/status/202"))
    resps = read_responses_from(s, 2)
    assert [r.status for r in resps] == [417, 202]  # no body: the connection goes on
    s.close()


def test_417_with_body_closes_without_reading(srv):
    s = srv.connect()
    s.sendall(request("PUT", "/status/200", headers=[("Expect", "foo"), ("Content-Length", "50")]))
    raw, closed = read_all(s, timeout=3)
    assert parse(raw)[0].status == 417 and closed
    s.close()


def test_417_mixed_expectations(srv):
    raw, _ = exchange(srv.port, request("GET", "/status/200", headers=[("Expect", "100-continue, bar"),
                                                                       ("Connection", "close")]))
    assert parse(raw)[0].status == 417


def test_expect_with_curl(srv):
    import subprocess
    out = subprocess.run(["curl", "-s", "-v", "--max-time", "5", "-H", "Expect: 100-continue",
                          "--data-binary", "@-", f"{srv.url}/status/201"],
                         input=b"x" * 2000, capture_output=True, check=True)
    err = out.stderr.decode()
    assert "HTTP/1.1 100 Continue" in err and "HTTP/1.1 201 Created" in err
