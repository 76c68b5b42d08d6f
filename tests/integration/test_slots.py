"""Slots (issue 13, item 8): what a client that sends little can hold. A new
connection's first request is due within --header-timeout of the accept (one
that sends nothing no longer holds its slot for the idle timeout); the whole
content within --body-deadline; and --max-connections-per-ip keeps one address
from taking every slot (503 with Retry-After, closed). Short configured
timeouts keep these fast; every count is small and every wait bounded."""
import socket
import time

import pytest
from rawhttp import parse, read_all, read_responses_from, request


def connect_from(srv, source, timeout=5.0):
    """A connection to the server from the loopback address `source`."""
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.bind((source, 0))
    s.connect(("127.0.0.1", srv.port))
    return s


def settled(srv):
    """srv once the probe connection of its start-up has been closed on the
    server's side too (it would count against a per-address limit)."""
    time.sleep(0.3)
    return srv


def served(s, target="/status/200"):
    """Sends a request on s and returns the status of its answer."""
    s.sendall(request("GET", target))
    return read_responses_from(s, 1)[0].status


# ---- header deadline from the accept ----

def test_silent_connection_closed_after_header_timeout(make_server):
    srv = make_server("--header-timeout", "500ms", "--idle-timeout", "30s")
    s = srv.connect()
    t0 = time.monotonic()
    raw, closed = read_all(s, timeout=5)
    elapsed = time.monotonic() - t0
    assert raw == b"" and closed  # nothing was asked: closed without an answer
    assert 0.35 < elapsed < 2.5, elapsed
    s.close()


def test_first_request_head_due_from_the_accept(make_server):
    # a client that waits before its first byte does not get a fresh deadline
    srv = make_server("--header-timeout", "1s", "--idle-timeout", "30s")
    s = srv.connect()
    t0 = time.monotonic()
    time.sleep(0.8)
    s.sendall(b"GET /status/200 HTTP/1.1\r\n")
    raw, closed = read_all(s, timeout=5)
    elapsed = time.monotonic() - t0
    (r,) = parse(raw)
    assert r.status == 408 and closed
    assert elapsed < 1.5, elapsed  # from the first byte it would be 1.8 s
    s.close()


def test_first_request_in_time_is_served(make_server):
    srv = make_server("--header-timeout", "1s", "--idle-timeout", "30s")
    s = srv.connect()
    time.sleep(0.5)
    assert served(s) == 200
    s.close()


def test_keep_alive_wait_is_still_the_idle_timeout(make_server):
    # after a first request the wait for the next one is the idle timeout
    srv = make_server("--header-timeout", "300ms", "--idle-timeout", "5s")
    s = srv.connect()
    assert served(s) == 200
    time.sleep(0.8)
    assert served(s, "/status/201") == 201
    s.close()


def test_header_timeout_covers_the_first_request_with_several_workers(make_server):
    srv = make_server("--header-timeout", "400ms", "--idle-timeout", "30s", workers=2)
    socks = [srv.connect() for _ in range(4)]
    t0 = time.monotonic()
    for s in socks:
        raw, closed = read_all(s, timeout=5)
        assert raw == b"" and closed
    assert time.monotonic() - t0 < 2.5
    for s in socks:
        s.close()


# ---- overall body deadline ----

def test_body_deadline_ends_a_trickling_body(make_server):
    srv = make_server("--body-timeout", "1s", "--body-deadline", "1s")
    s = srv.connect()
    s.sendall(request("POST", "/post", headers=[("Content-Length", "100")]))
    t0 = time.monotonic()
    answered = False
    for _ in range(20):  # a byte every 0.2 s: each pause is under --body-timeout
        time.sleep(0.2)
        try:
            s.sendall(b"x")
        except OSError:
            answered = True
            break
    raw, closed = read_all(s, timeout=3)
    elapsed = time.monotonic() - t0
    (r,) = parse(raw)
    assert r.status == 408 and closed
    assert r.header("connection") == "close"
    assert elapsed < 3.5 or answered, elapsed  # 20 × 0.2 s would be 4 s
    s.close()


def test_body_within_the_deadline_is_served(make_server):
    srv = make_server("--body-timeout", "1s", "--body-deadline", "2s")
    s = srv.connect()
    s.sendall(request("POST", "/status/201", headers=[("Content-Length", "4")]))
    for b in (b"a", b"b", b"c", b"d"):
        time.sleep(0.15)
        s.sendall(b)
    (r,) = read_responses_from(s, 1)
    assert r.status == 201
    s.close()


def test_body_deadline_applies_to_chunked_content(make_server):
    srv = make_server("--body-timeout", "1s", "--body-deadline", "800ms")
    s = srv.connect()
    s.sendall(request("POST", "/post", headers=[("Transfer-Encoding", "chunked")]))
    try:
        for _ in range(15):
            time.sleep(0.2)
            s.sendall(b"1\r\nx\r\n")
    except OSError:
        pass
    raw, closed = read_all(s, timeout=3)
    assert parse(raw)[0].status == 408 and closed
    s.close()


# ---- per-address connection limit ----

def test_max_connections_per_ip_503_with_retry_after(make_server):
    srv = settled(make_server("--max-connections-per-ip", "2", "--retry-after", "9"))
    held = [srv.connect() for _ in range(2)]
    for c in held:
        assert served(c) == 200
    extra = srv.connect()
    raw, closed = read_all(extra, timeout=3)
    (r,) = parse(raw)
    assert r.status == 503 and closed
    assert r.header("retry-after") == "9"
    assert r.header("connection") == "close"
    extra.close()
    # another address is not affected
    other = connect_from(srv, "127.0.0.2")
    assert served(other) == 200
    other.close()
    # a slot freed is usable again
    held.pop().close()
    time.sleep(0.3)
    again = srv.connect()
    assert served(again) == 200
    again.close()
    for c in held:
        c.close()


def test_max_connections_per_ip_counts_all_workers(make_server):
    srv = settled(make_server("--max-connections-per-ip", "3", workers=2))
    held = [srv.connect() for _ in range(3)]
    for c in held:
        assert served(c) == 200
    refused = 0
    for _ in range(4):  # whichever worker takes them
        c = srv.connect()
        raw, closed = read_all(c, timeout=3)
        refused += parse(raw)[0].status == 503 and closed
        c.close()
    assert refused == 4
    for c in held:
        c.close()


def test_slow_bodies_from_one_address_leave_slots_for_others(make_server):
    # the case, scaled down: one address opens more slow-body
    # connections than there are slots; clients elsewhere are still served
    # (refused connections hold a slot while the server lingers: --linger short)
    srv = settled(make_server("--max-connections", "12", "--max-connections-per-ip", "4",
                              "--body-timeout", "10s", "--linger", "100ms"))
    attackers = []
    for _ in range(15):
        a = srv.connect()
        a.sendall(request("POST", "/post", headers=[("Content-Length", "1000")]) + b"x")
        attackers.append(a)
    time.sleep(0.5)
    ok = 0
    for i in range(6):
        p = connect_from(srv, f"127.0.0.{10 + i}")
        ok += served(p) == 200
        p.close()
    assert ok == 6
    for a in attackers:
        a.close()


@pytest.mark.parametrize("value", ["-1", "x", ""])
def test_max_connections_per_ip_rejects_bad_values(value):
    import subprocess
    from conftest import BIN
    r = subprocess.run([BIN, "serve", "--max-connections-per-ip", value], capture_output=True,
                       timeout=10)
    assert r.returncode == 2 and b"--max-connections-per-ip" in r.stderr
