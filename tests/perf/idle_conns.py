#!/usr/bin/env python3
"""Holds COUNT idle keep-alive connections to 127.0.0.1:PORT, each after one
complete request, so that a server's memory per idle connection can be read
from its RSS. KIND is h1 (HTTP/1.1), h2 (HTTP/2 by prior knowledge, RFC 9113
§3.3) or https1 (HTTP/1.1 over TLS, ALPN http/1.1). Prints "opened N" once
every connection has had its answer, then holds them until standard input
closes (or HOLD seconds pass), and closes them all. With REQUESTS, each
connection makes that many requests, one after the other (HTTP/2: one stream
at a time), before it goes idle: a connection that was busy.

  idle_conns.py KIND PORT COUNT PATH [HOLD [REQUESTS]]
"""
import resource
import select
import socket
import ssl
import sys
import time

import h2.config
import h2.connection
import h2.events


def read_h1(s):
    """Reads one HTTP/1.1 answer with a Content-Length (or none: empty)."""
    buf = b""
    while b"\r\n\r\n" not in buf:
        chunk = s.recv(65536)
        if not chunk:
            raise OSError("closed before the answer")
        buf += chunk
    head, body = buf.split(b"\r\n\r\n", 1)
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(body) < length:
        chunk = s.recv(65536)
        if not chunk:
            raise OSError("closed inside the body")
        body += chunk


def open_h1(port, path, ctx=None, requests=1):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    if ctx is not None:
        s = ctx.wrap_socket(s, server_hostname="localhost")
    for _ in range(requests):
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
        read_h1(s)
    return s


def open_h2(port, path, requests=1):
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    c.initiate_connection()
    for i in range(requests):  # one stream at a time: 1, 3, 5, ...
        stream = 2 * i + 1
        c.send_headers(
            stream,
            [(":method", "GET"), (":scheme", "http"), (":authority", "localhost"), (":path", path)],
            end_stream=True,
        )
        s.sendall(c.data_to_send())
        done = False
        while not done:
            data = s.recv(65536)
            if not data:
                raise OSError("closed before the answer")
            for ev in c.receive_data(data):
                if isinstance(ev, h2.events.StreamEnded) and ev.stream_id == stream:
                    done = True
            out = c.data_to_send()
            if out:
                s.sendall(out)
    return s, c


def main():
    kind, port, count, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    hold = float(sys.argv[5]) if len(sys.argv) > 5 else 600.0
    requests = int(sys.argv[6]) if len(sys.argv) > 6 else 1
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < count + 64:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, count + 64), hard))
    ctx = None
    if kind == "https1":
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        ctx.set_alpn_protocols(["http/1.1"])
    conns = []
    for _ in range(count):
        if kind == "h2":
            conns.append(open_h2(port, path, requests))
        else:
            conns.append(open_h1(port, path, ctx, requests))
    # Late frames (a SETTINGS ACK, a WINDOW_UPDATE) are read so that nothing
    # the server sent waits in its buffers on our account.
    time.sleep(0.2)
    socks = [c[0] if isinstance(c, tuple) else c for c in conns]
    for s in socks:
        s.setblocking(False)
        try:
            while s.recv(65536):
                pass
        except (BlockingIOError, ssl.SSLWantReadError):
            pass
    print(f"opened {len(conns)}", flush=True)
    select.select([sys.stdin], [], [], hold)
    for s in socks:
        s.close()


if __name__ == "__main__":
    main()
