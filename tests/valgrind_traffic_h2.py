"""TLS and HTTP/2 traffic for tests/valgrind.sh: HTTPS with ALPN http/1.1 and
h2, a 421, HTTP/2 by prior knowledge and by Upgrade: h2c, and clients that
vanish mid-handshake and mid-stream. Arguments: PORT TLS_PORT H2C_PORT CA."""
import socket
import ssl
import sys
import time

sys.path.insert(0, __import__("os").path.join(__import__("os").path.dirname(__file__),
                                              "clients"))
from h2client import H2  # noqa: E402

port, tls_port, h2c_port, ca = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]


def wait_for(p):
    deadline = time.time() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", p), timeout=1).close()
            return
        except OSError:
            if time.time() > deadline:
                sys.exit("server did not start")
            time.sleep(0.2)


def tls(alpn, timeout=30):
    ctx = ssl.create_default_context(cafile=ca)
    ctx.set_alpn_protocols(alpn)
    raw = socket.create_connection(("127.0.0.1", tls_port), timeout=timeout)
    return ctx.wrap_socket(raw, server_hostname="localhost")


def read_all(s):
    data = b""
    try:
        while d := s.recv(65536):
            data += d
    except (socket.timeout, ConnectionResetError, ssl.SSLError):
        pass
    return data


for p in (port, tls_port, h2c_port):
    wait_for(p)

# HTTPS, HTTP/1.1: pipelined, one for another host (421), then close
s = tls(["http/1.1"])
s.sendall(b"GET /get HTTP/1.1\r\nHost: localhost\r\n\r\n"
          b"GET /status/200 HTTP/1.1\r\nHost: example.com\r\n\r\n"
          b"GET /drip?numbytes=3&duration=0.2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
out = read_all(s)
assert b"HTTP/1.1 421" in out, out[:300]
s.close()

# HTTPS, HTTP/2: streams of every kind on one connection
s = tls(["h2"])
c = H2(None, None, sock=s, timeout=30)
ids = [c.request("GET", "/get"), c.request("GET", "/trailers?x=1"), c.request("GET", "/status/103"),
       c.request("POST", "/post", body=b"a=1&b=2", headers=[("content-type",
                                                                "application/x-www-form-urlencoded")]),
       c.request("GET", "/stream/3"), c.request("GET", "/get", authority="example.com")]
c.wait(*ids)
assert c.status(ids[-1]) == 421
c.close()

# HTTP/2 by prior knowledge (cleartext HTTP/2-only listener and the main one)
for p in (h2c_port, port):
    c = H2("127.0.0.1", p, timeout=30)
    sid = c.request("GET", "/bytes/2000?seed=1")
    sid2 = c.request("HEAD", "/status/418")
    c.wait(sid, sid2)
    c.close()

# Upgrade: h2c; the answer comes as stream 1
s = socket.create_connection(("127.0.0.1", port), timeout=30)
s.sendall(b"GET /status/202 HTTP/1.1\r\nHost: x\r\nConnection: Upgrade, HTTP2-Settings\r\n"
          b"Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAARAAAAAAAIAAAAA\r\n\r\n"
          b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n\x00\x00\x00\x04\x00\x00\x00\x00\x00")
data = b""
while b"101 Switching" not in data or len(data) < 80:
    d = s.recv(65536)
    if not d:
        break
    data += d
assert b"101 Switching Protocols" in data, data[:200]
s.close()

# clients that vanish: half a ClientHello; a TLS session left mid-stream; a
# cleartext HTTP/2 stream left mid-response
raw = socket.create_connection(("127.0.0.1", tls_port), timeout=30)
raw.sendall(bytes.fromhex("16030100c8010000c40303"))
raw.close()
s = tls(["h2"])
c = H2(None, None, sock=s, timeout=30)
c.request("GET", "/drip?numbytes=50&duration=5")
c.request("GET", "/delay/3")
time.sleep(0.3)
s.close()
c = H2("127.0.0.1", h2c_port, timeout=30)
c.request("GET", "/sse?count=100&duration=10")
time.sleep(0.3)
c.close()
print("valgrind traffic (TLS, HTTP/2): done")
