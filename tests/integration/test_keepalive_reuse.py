"""Keep-alive connections whose HTTP/1 state is given back while idle and set
up again for the next request (src/server/http1/h1_slot.c, issue 24): what
belongs to the connection survives the pause (its listener's rules, its
address in the log, the header timeout of the next request), and states given
back by some connections serve others without carrying anything over."""
import socket
import time

import pytest

from rawhttp import parse, read_all, read_responses_from, request


def get(s, path, n=1):
    s.sendall(request("GET", path) * n)
    return read_responses_from(s, n)


def test_metrics_listener_stays_ops_only_between_requests(make_server):
    srv = make_server("--metrics-listen", "127.0.0.1:0")
    port = srv.port_of("http", "/metrics")
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    for _ in range(3):
        (r,) = get(s, "/healthz")
        assert r.status == 200 and r.body == b"ok\n"
        time.sleep(0.05)  # idle: the state is given back
        (r,) = get(s, "/status/201")
        assert r.status == 404, "the metrics listener serves only the ops routes"
        time.sleep(0.05)
    s.close()


def test_header_timeout_counts_from_the_next_head(make_server):
    srv = make_server("--header-timeout", "400ms", "--idle-timeout", "5s", "--linger", "100ms")
    s = srv.connect()
    (r,) = get(s, "/status/200")
    assert r.status == 200
    time.sleep(0.6)  # idle longer than the header timeout: not a slow head
    t0 = time.monotonic()
    s.sendall(b"GET /status/200 HTTP/1.1\r\nHost: t\r\n")  # a head that never ends
    raw, closed = read_all(s, timeout=5)
    (r,) = parse(raw)
    assert r.status == 408 and closed
    assert 0.3 < time.monotonic() - t0 < 2.5
    s.close()


def test_many_connections_share_the_states(make_server):
    """30 connections take turns, each pausing between requests, so the states
    one gives back serve the others; every answer and log line is its own."""
    srv = make_server(access_log="clf")
    conns = [srv.connect() for _ in range(30)]
    codes = [200 + (i % 7) for i in range(30)]
    for rnd in range(3):
        for i, s in enumerate(conns):
            n = 1 + (i + rnd) % 3  # some rounds pipelined
            rs = get(s, f"/status/{codes[i]}?r={rnd}&c={i}", n)
            assert [r.status for r in rs] == [codes[i]] * n
        time.sleep(0.05)
    # a half-sent head on one connection does not leak into the others
    conns[0].sendall(b"GET /status/418 HTTP/1.1\r\nHo")
    for s in conns[1:]:
        (r,) = get(s, "/status/204")
        assert r.status == 204
    conns[0].sendall(b"st: t\r\n\r\n")
    (r,) = read_responses_from(conns[0], 1)
    assert r.status == 418
    for s in conns:
        s.close()
    deadline = time.monotonic() + 5
    while srv.access_log().count("\n") < 30 * 6 + 30 and time.monotonic() < deadline:
        time.sleep(0.05)
    lines = srv.access_log().splitlines()
    assert len(lines) == 30 * 6 + 30, f"{len(lines)} log lines"
    assert all(line.startswith("127.0.0.1 ") for line in lines), lines[:3]


def test_states_shared_between_tls_and_cleartext_keep_their_origin(make_server, tmp_path):
    """HTTPS HTTP/1.1 connections park their state too, in the same pool as
    cleartext ones: a state given back by one kind and taken by the other
    answers with the taking connection's scheme (/get's url) and 421 check
    (a TLS connection, not a cleartext one, refuses a host its certificate
    does not cover: RFC 9110 §15.5.20)."""
    import json
    import ssl
    srv = make_server("--tls-listen", "127.0.0.1:0", "--tls-dir", str(tmp_path))
    ctx = ssl.create_default_context(cafile=str(tmp_path / "ca.pem"))
    ctx.set_alpn_protocols(["http/1.1"])
    tls = ctx.wrap_socket(socket.create_connection(("127.0.0.1", srv.port_of("https")), timeout=5),
                          server_hostname="localhost")
    plain = srv.connect()

    def ask(s, path, host):
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode())
        (r,) = read_responses_from(s, 1)
        return r

    for rnd in range(4):  # alternate which kind parks first, so each takes the other's
        order = [(tls, "https", "localhost"), (plain, "http", "example.org")]
        for s, scheme, host in order if rnd % 2 == 0 else reversed(order):
            r = ask(s, "/get", host)
            assert r.status == 200, (rnd, scheme)
            assert json.loads(r.body)["url"] == f"{scheme}://{host}/get", (rnd, scheme)
            time.sleep(0.05)  # idle: the state goes back to the pool
        assert ask(tls, "/status/200", "example.org").status == 421, rnd
        time.sleep(0.05)
        assert ask(plain, "/status/200", "example.org").status == 200, rnd
        time.sleep(0.05)
    tls.close()
    plain.close()
