"""Every limit, with its status code and flag: 414, 431 (size and count), 413
(Content-Length and chunked), 408 (slow head, slow body), idle close, maximum
connections (503 + Retry-After)."""
import socket
import time

import pytest

from rawhttp import exchange, parse, read_all, read_responses_from, request


def test_414_uri_too_long(srv):  # --max-uri 1024
    raw, closed = exchange(srv.port, request("GET", "/status/200?" + "a" * 1100))
    (r,) = parse(raw)
    assert r.status == 414 and closed and r.header("connection") == "close"


def test_uri_just_under_limit(srv):
    target = "/status/200?" + "a" * (1024 - 12)
    assert len(target) == 1024
    raw, _ = exchange(srv.port, request("GET", target, headers=[("Connection", "close")]))
    assert parse(raw)[0].status == 200


def test_414_request_line_over_header_limit(make_server):
    s = make_server("--max-uri", "100000", "--max-header-size", "1k")
    raw, closed = exchange(s.port, request("GET", "/status/200?" + "a" * 2000))
    assert parse(raw)[0].status == 414 and closed


def test_431_header_section_too_large(srv):  # --max-header-size 4096
    raw, closed = exchange(srv.port, request("GET", "/status/200", headers=[("X-Big", "b" * 5000)]))
    (r,) = parse(raw)
    assert r.status == 431 and closed
    assert r.reason == "Request Header Fields Too Large"


def test_431_many_small_headers_over_size(srv):
    hdrs = [(f"X-{i}", "v" * 300) for i in range(15)]
    raw, closed = exchange(srv.port, request("GET", "/status/200", headers=hdrs))
    assert parse(raw)[0].status == 431 and closed


def test_431_too_many_headers(srv):  # --max-headers 20 (Host included)
    hdrs = [(f"X-{i}", "1") for i in range(20)]
    raw, closed = exchange(srv.port, request("GET", "/status/200", headers=hdrs))
    assert parse(raw)[0].status == 431 and closed


def test_header_count_at_limit_is_fine(srv):
    hdrs = [(f"X-{i}", "1") for i in range(18)] + [("Connection", "close")]
    raw, _ = exchange(srv.port, request("GET", "/status/200", headers=hdrs))
    assert parse(raw)[0].status == 200


def test_413_content_length_without_reading_body(srv):  # --max-body 4096
    s = srv.connect()
    s.sendall(request("POST", "/status/200", headers=[("Content-Length", "5000")]))
    raw, closed = read_all(s, timeout=3)
    (r,) = parse(raw)
    assert r.status == 413 and closed and r.header("connection") == "close"
    s.close()


def test_413_chunked_body(srv):
    chunk = b"800\r\n" + b"x" * 0x800 + b"\r\n"
    s = srv.connect()
    s.sendall(request("POST", "/status/200", headers=[("Transfer-Encoding", "chunked")]) + chunk * 2)
    s.sendall(chunk)
    raw, closed = read_all(s, timeout=3)
    assert parse(raw)[0].status == 413 and closed
    s.close()


def test_body_at_limit_is_fine(srv):
    raw, _ = exchange(srv.port, request("PUT", "/status/201", body=b"x" * 4096, headers=[("Connection", "close")]))
    assert parse(raw)[0].status == 201


def test_413_then_client_keeps_sending_still_sees_response(srv):
    # lingering close: the 413 is not lost to a reset while the body streams in
    s = srv.connect()
    s.sendall(request("POST", "/status/200", headers=[("Content-Length", "100000")]))
    try:
        for _ in range(10):
            s.sendall(b"x" * 5000)
    except OSError:
        pass
    raw, _ = read_all(s, timeout=3)
    assert raw.startswith(b"HTTP/1.1 413 ")
    s.close()


@pytest.fixture(scope="module")
def fast(request):
    from conftest import Server
    s = Server("--header-timeout", "400ms", "--body-timeout", "400ms", "--idle-timeout", "600ms",
               "--linger", "100ms")
    yield s
    s.close()


def test_408_slow_header_section(fast):
    s = fast.connect()
    t0 = time.monotonic()
    s.sendall(b"GET /status/200 HTTP/1.1\r\nHost: t\r\n")
    raw, closed = read_all(s, timeout=5)
    elapsed = time.monotonic() - t0
    (r,) = parse(raw)
    assert r.status == 408 and closed and r.header("connection") == "close"
    assert 0.3 < elapsed < 2.5
    s.close()


def test_408_header_timeout_counts_from_first_byte(fast):
    # trickling bytes does not extend the header deadline
    s = fast.connect()
    t0 = time.monotonic()
    s.sendall(b"GET /status/200 HTTP/1.1\r\n")
    got = b""
    for i in range(20):
        time.sleep(0.05)
        try:
            s.sendall(b"X-%d: 1\r\n" % i)
        except OSError:
            break
    raw, closed = read_all(s, timeout=3)
    assert parse(raw)[0].status == 408
    assert time.monotonic() - t0 < 2.5
    s.close()


def test_408_slow_body(fast):
    s = fast.connect()
    s.sendall(request("POST", "/status/200", headers=[("Content-Length", "10")]) + b"abc")
    raw, closed = read_all(s, timeout=5)
    (r,) = parse(raw)
    assert r.status == 408 and closed


def test_body_timeout_is_between_reads(fast):
    s = fast.connect()
    s.sendall(request("POST", "/status/201", headers=[("Content-Length", "6")]))
    for b in (b"ab", b"cd", b"ef"):
        time.sleep(0.25)  # each pause < 400ms, total > 400ms
        s.sendall(b)
    (r,) = read_responses_from(s, 1)
    assert r.status == 201
    s.close()


def test_idle_keep_alive_closes_silently(fast):
    s = fast.connect()
    s.sendall(request("GET", "/status/200"))
    read_responses_from(s, 1)
    t0 = time.monotonic()
    raw, closed = read_all(s, timeout=5)
    assert raw == b"" and closed
    assert 0.4 < time.monotonic() - t0 < 2.5
    s.close()


def test_idle_new_connection_closes_silently(fast):
    s = fast.connect()
    raw, closed = read_all(s, timeout=5)
    assert raw == b"" and closed
    s.close()


def test_max_connections_503_with_retry_after(make_server):
    srv = make_server("--max-connections", "3", "--retry-after", "7")
    held = []
    for _ in range(3):
        c = srv.connect()
        c.sendall(request("GET", "/status/200"))
        read_responses_from(c, 1)
        held.append(c)
    extra = srv.connect()
    raw, closed = read_all(extra, timeout=3)
    (r,) = parse(raw)
    assert r.status == 503 and closed
    assert r.header("retry-after") == "7"
    assert r.header("connection") == "close"
    extra.close()
    # a freed slot is usable again
    held.pop().close()
    time.sleep(0.3)
    c = srv.connect()
    c.sendall(request("GET", "/status/200", headers=[("Connection", "close")]))
    raw, _ = read_all(c, timeout=3)
    assert parse(raw)[0].status == 200
    for c in held:
        c.close()


def test_503_overload_even_when_client_sends_first(make_server):
    srv = make_server("--max-connections", "1")
    a = srv.connect()
    a.sendall(request("GET", "/status/200"))
    read_responses_from(a, 1)
    b = srv.connect()
    b.sendall(request("POST", "/status/200", body=b"x" * 1000))
    raw, closed = read_all(b, timeout=3)
    assert parse(raw)[0].status == 503 and closed
    a.close()
    b.close()
