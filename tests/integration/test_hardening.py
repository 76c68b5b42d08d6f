"""Issue 13, the parts done so far: memory a pipelining client can make the
server hold is bounded, and HTTP/1.0 with chunked framing closes after the
message."""
import os
import socket
import time

from rawhttp import read_responses_from

SANITIZED = os.environ.get("HS_SANITIZED") == "1"


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def test_pipelining_clients_that_do_not_read_hold_bounded_memory(make_server):
    # 100 connections each pipeline 420 requests for 100 KB and never read:
    # without a bound that is 4 GB of answers; the server stops dispatching a
    # connection's requests once 256 KiB of its output waits
    s = make_server("--max-connections", "1000")
    req = b"GET /bytes/102400 HTTP/1.1\r\nHost: x\r\n\r\n" * 420
    rss0 = rss_kib(s.proc.pid)
    socks = []
    for _ in range(100):
        c = socket.socket()
        c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        c.connect(("127.0.0.1", s.port))
        c.sendall(req)
        socks.append(c)
    time.sleep(3)
    grown = rss_kib(s.proc.pid) - rss0
    assert SANITIZED or grown < 64 * 1024, f"RSS grew by {grown} KiB"
    # a client that reads gets every answer, in order
    c = socks[0]
    c.settimeout(20)
    c.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    resps = read_responses_from(c, 420, timeout=30)
    assert len(resps) == 420 and all(r.status == 200 and len(r.body) == 102400 for r in resps)
    for c in socks:
        c.close()


def test_http10_chunked_closes_after_the_message(srv):
    # RFC 9112 §6.1: chunked framing from an HTTP/1.0 client is faulty; the
    # message is answered, then the connection closes (the pipelined request
    # behind it is not read)
    c = srv.connect()
    c.sendall(b"POST /post HTTP/1.0\r\nHost: x\r\nConnection: keep-alive\r\n"
              b"Transfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
              b"GET /status/204 HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    c.settimeout(5)
    while True:
        d = c.recv(65536)
        if not d:
            break
        data += d
    assert data.startswith(b"HTTP/1.1 200 OK\r\n") and b"Connection: close" in data
    assert b"204 No Content" not in data
    c.close()
