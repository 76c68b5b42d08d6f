"""Graceful shutdown (SIGTERM/SIGINT): stop accepting, finish in-flight
requests, close idle connections, exit within the drain time, lose nothing."""
import signal
import socket
import threading
import time

import pytest

from rawhttp import parse, read_all, read_responses_from, request


def load_client(port, stop_at, results, idx):
    """Keep-alive client: sends requests back to back until told to stop or the
    server closes. Every request it sent must get a complete 200; a refused
    connection (server no longer listening) is not a failure. Nor is a new
    connection reset before its first answer: the kernel completed its handshake
    after the worker's last accept, and reset it when the listener closed; the
    server never saw it (a refusal that comes late)."""
    ok = failed = refused = 0
    sock = None
    fresh = False
    while time.monotonic() < stop_at:
        if sock is None:
            try:
                sock = socket.create_connection(("127.0.0.1", port), timeout=5)
                fresh = True
            except (ConnectionRefusedError, ConnectionResetError):
                refused += 1
                break
        try:
            sock.sendall(request("GET", "/status/200"))
            resps = read_responses_from(sock, 1, timeout=5)
        except ConnectionResetError:
            if fresh:
                refused += 1
            else:
                failed += 1
            break
        except (ConnectionError, TimeoutError, OSError):
            failed += 1
            break
        fresh = False
        r = resps[-1]
        if r.status == 200:
            ok += 1
        else:
            failed += 1
        if (r.header("connection") or "").lower() == "close":
            sock.close()
            sock = None
    if sock:
        sock.close()
    results[idx] = (ok, failed, refused)


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_shutdown_under_load_loses_nothing(make_server, sig):
    srv = make_server("--drain-timeout", "5s", workers=2, access_log="off")
    n = 8
    results = [None] * n
    stop_at = time.monotonic() + 4.0  # hard bound on the load
    threads = [threading.Thread(target=load_client, args=(srv.port, stop_at, results, i)) for i in range(n)]
    for t in threads:
        t.start()
    time.sleep(0.7)
    t0 = time.monotonic()
    srv.send_signal(sig)
    code = srv.proc.wait(timeout=10)
    took = time.monotonic() - t0
    for t in threads:
        t.join(timeout=10)
    srv.exit_code = code
    assert code == 0, srv.stderr()
    total_ok = sum(r[0] for r in results)
    total_failed = sum(r[1] for r in results)
    assert total_failed == 0, results
    assert total_ok > 100, results
    assert took < 3.0
    assert "draining" in srv.stderr()


def test_in_flight_request_completes(make_server):
    srv = make_server("--drain-timeout", "5s", "--body-timeout", "5s")
    s = srv.connect()
    s.sendall(request("POST", "/status/201", headers=[("Content-Length", "10")]) + b"01234")
    time.sleep(0.2)
    srv.send_signal()
    time.sleep(0.3)
    assert srv.proc.poll() is None  # still draining
    s.sendall(b"56789")
    raw, closed = read_all(s, timeout=5)
    (r,) = parse(raw)
    assert r.status == 201 and r.header("connection") == "close" and closed
    assert srv.proc.wait(timeout=5) == 0
    srv.exit_code = 0


def test_idle_connections_closed_and_exit_fast(make_server):
    srv = make_server("--drain-timeout", "10s")
    idle = []
    for _ in range(5):
        c = srv.connect()
        c.sendall(request("GET", "/status/200"))
        read_responses_from(c, 1)
        idle.append(c)
    t0 = time.monotonic()
    srv.send_signal()
    assert srv.proc.wait(timeout=5) == 0
    srv.exit_code = 0
    assert time.monotonic() - t0 < 2.0
    for c in idle:
        raw, closed = read_all(c, timeout=2)
        assert raw == b"" and closed
        c.close()


def test_drain_timeout_bounds_exit(make_server):
    srv = make_server("--drain-timeout", "500ms", "--header-timeout", "30s")
    s = srv.connect()
    s.sendall(b"GET /status/200 HTTP/1.1\r\nHost: t\r\n")  # never finished
    time.sleep(0.1)
    t0 = time.monotonic()
    srv.send_signal()
    assert srv.proc.wait(timeout=5) == 0
    srv.exit_code = 0
    assert 0.3 < time.monotonic() - t0 < 2.0
    s.close()


def test_no_new_connections_after_drain(make_server):
    srv = make_server("--drain-timeout", "3s")
    s = srv.connect()
    s.sendall(b"GET /status/200 HTTP/1.1\r\nHost: t\r\n")  # keeps the server draining
    time.sleep(0.1)
    srv.send_signal()
    time.sleep(0.3)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", srv.port), timeout=1).close()
    s.sendall(b"\r\n")
    raw, _ = read_all(s, timeout=3)
    assert parse(raw)[0].status == 200
    srv.stop()


def test_second_signal_stops_at_once(make_server):
    srv = make_server("--drain-timeout", "30s", "--header-timeout", "30s")
    s = srv.connect()
    s.sendall(b"GET /status/200 HTTP/1.1\r\n")
    time.sleep(0.1)
    srv.send_signal()
    time.sleep(0.2)
    srv.send_signal()
    assert srv.proc.wait(timeout=5) == 0
    srv.exit_code = 0
    s.close()


def test_stop_message_counts_every_answered_request(make_server):
    """'stopped after N requests' counts answers to malformed requests and
    requests on connections that close, not only keep-alive successes."""
    srv = make_server("--drain-timeout", "2s", workers=2, access_log="off")
    for _ in range(3):  # one request per connection, closed by the client
        with srv.connect(timeout=5) as s:
            s.sendall(request("GET", "/status/204", headers=(("Connection", "close"),)))
            read_all(s, timeout=5)
    with srv.connect(timeout=5) as s:  # two pipelined, then a malformed one (400, closes)
        s.sendall(request("GET", "/status/200") + request("GET", "/status/201") + b"GET / HTTP/1.1\r\nBad Header\r\n\r\n")
        data, _ = read_all(s, timeout=5)
    assert data.count(b"HTTP/1.1 ") == 3 and b"HTTP/1.1 400" in data
    srv.send_signal(signal.SIGTERM)
    assert srv.proc.wait(timeout=10) == 0
    assert "stopped after 6 requests" in srv.stderr()


def test_stop_message_does_not_count_refused_connections(make_server):
    srv = make_server("--max-connections", "1", "--drain-timeout", "1s", access_log="off")
    for _ in range(50):  # the fixture's readiness probe may still hold the only slot
        held = srv.connect(timeout=5)
        held.sendall(request("GET", "/status/204"))
        if read_responses_from(held, 1, timeout=5)[-1].status == 204:
            break
        held.close()
        time.sleep(0.05)
    for _ in range(2):  # over the limit: 503 before any request was sent
        with srv.connect(timeout=5) as s:
            data, _ = read_all(s, timeout=5)
            assert data.startswith(b"HTTP/1.1 503")
    held.sendall(request("GET", "/status/200", headers=(("Connection", "close"),)))
    data, _ = read_all(held, timeout=5)
    held.close()
    assert data.startswith(b"HTTP/1.1 200")
    srv.send_signal(signal.SIGTERM)
    assert srv.proc.wait(timeout=10) == 0
    assert "stopped after 2 requests" in srv.stderr()
