"""Traffic for tests/valgrind.sh: a bounded mix of good and malformed requests
against a server on 127.0.0.1:PORT (which may be slow under valgrind)."""
import socket
import sys
import time

port = int(sys.argv[1])
deadline = time.time() + 60
while True:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        break
    except OSError:
        if time.time() > deadline:
            sys.exit("server did not start")
        time.sleep(0.2)

REQUESTS = [
    b"GET /status/418 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /status/200:0.5,503:0.5 HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n",
    b"HEAD /status/404 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /status/103 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"POST /status/201 HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
    b"POST /status/200 HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"PUT /status/200 HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nok",
    b"GET /status/abc HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.0\r\n\r\n",
    b"GET /get?a=1&a=2 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /status/200 HTTP/1.1\r\n\r\n",                       # no Host
    b"BREW /status/200 HTTP/1.1\r\nHost: x\r\n\r\n",           # unknown method
    b"GET /status/200 HTTP/3.7\r\nHost: x\r\n\r\n",            # version
    b"GET /x HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nTransfer-Encoding: chunked\r\n\r\n",
    b"G\x00T / HTTP/1.1\r\n\r\n",
    b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 500 + b"\r\n",
    b"GET /status/200 HTTP/1.1\r\nHost: x\r\n\r\nGET /status/204 HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /get?show_env=1 HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 1.2.3.4\r\nx_a: \xe9\r\nX-A: 2\r\n\r\n",
    b"GET /range/40?duration=0.2&chunk_size=7 HTTP/1.1\r\nHost: x\r\nRange: bytes=0-4,9-12\r\n\r\n",
]
for req in REQUESTS:
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(req)
    s.shutdown(socket.SHUT_WR)
    try:
        while s.recv(65536):
            pass
    except OSError:
        pass
    s.close()
WS_HANDSHAKE = (b"GET /websocket/echo HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
                b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                b"Sec-WebSocket-Version: 13\r\n\r\n")
# a WebSocket session: handshake, one masked text frame, a Close frame
ws = socket.create_connection(("127.0.0.1", port), timeout=20)
ws.sendall(WS_HANDSHAKE +
           b"\x81\x82abcd" + bytes([ord("h") ^ ord("a"), ord("i") ^ ord("b")]) +
           b"\x88\x82abcd" + bytes([0x03 ^ ord("a"), 0xe8 ^ ord("b")]))
try:
    while ws.recv(65536):
        pass
except OSError:
    pass
ws.close()
# an abandoned WebSocket session (client vanishes mid-frame)
ws = socket.create_connection(("127.0.0.1", port), timeout=20)
ws.sendall(WS_HANDSHAKE + b"\x81\x85ab")
time.sleep(0.2)
ws.close()


def ws_frame(b0, payload, key=b"abcd"):
    """A masked client frame with first byte b0 (payloads < 126 bytes)."""
    return bytes([b0, 0x80 | len(payload)]) + key + bytes(
        c ^ key[i % 4] for i, c in enumerate(payload))


def ws_session(path, data, linger=0.2, read=True, extra=b""):
    """A handshake to `path` (+ extra headers), `data` behind it, then the
    client reads until the server closes, or vanishes after `linger` s."""
    hs = WS_HANDSHAKE.replace(b"/websocket/echo", path.encode())
    hs = hs[:-2] + extra + b"\r\n"
    w = socket.create_connection(("127.0.0.1", port), timeout=20)
    w.sendall(hs + data)
    if read:
        try:
            while w.recv(65536):
                pass
        except OSError:
            pass
    else:
        time.sleep(linger)
    w.close()


DEFLATE = b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
# compressed "hello" ("hello" deflated, sync-flushed, tail removed), then Close
ws_session("/websocket/echo", ws_frame(0xC1, bytes.fromhex("ca48cdc9c90700")) +
           ws_frame(0x88, b"\x03\xe8"), extra=DEFLATE)
# clients that vanish mid-frame: compressed, fragmented, in a Close, in a header
ws_session("/websocket/echo", ws_frame(0xC1, bytes.fromhex("ca48cdc9c90700"))[:7],
           read=False, extra=DEFLATE)
ws_session("/websocket/echo", ws_frame(0x01, b"part one ") + ws_frame(0x00, b"two")[:5],
           read=False)
ws_session("/websocket/echo", ws_frame(0x88, b"\x03\xe8bye")[:4], read=False)
ws_session("/websocket/echo?max_fragment_size=3", b"\x82", read=False)
# protocol errors: each answered with its Close, then the server closes
for bad in (bytes([0x09, 0x81]) + b"abcdq",                          # fragmented ping
            ws_frame(0x81, b"\xc3\x28"),                                # invalid UTF-8
            ws_frame(0x83, b""),                                          # unknown opcode
            b"\x81\x02hi",                                                # unmasked
            ws_frame(0xC1, b"\xff\xff\xff"),                               # RSV1 without deflate
            ws_frame(0x88, b"\x03")):                                     # 1-byte close payload
    ws_session("/websocket/echo", bad)
ws_session("/websocket/echo", ws_frame(0xC2, b"\xff\xff\xff\xff"), extra=DEFLATE)  # bad DEFLATE
# a close code on demand, and a delayed close the client does not wait for
ws_session("/websocket/close/4000?reason=bye", ws_frame(0x88, b"\x0f\xa0"))
ws_session("/websocket/close/1000?delay=5", ws_frame(0x81, b"hi"), read=False)
ws_session("/websocket/close/1005", b"")  # refused: 400
# a session still open when the server is told to stop: it gets Close 1001
ws_open = socket.create_connection(("127.0.0.1", port), timeout=20)
ws_open.sendall(WS_HANDSHAKE.replace(b"\r\n\r\n", b"\r\n" + DEFLATE + b"\r\n") +
                ws_frame(0x01, b"still here"))
# a paced /range body abandoned half-way: its copy of the body must be freed
r = socket.create_connection(("127.0.0.1", port), timeout=20)
r.sendall(b"GET /range/1000?duration=2&chunk_size=100 HTTP/1.1\r\nHost: x\r\n\r\n")
time.sleep(0.3)
r.close()
# a connection left half-sent and one left idle: the server must free them at exit
a = socket.create_connection(("127.0.0.1", port), timeout=5)
a.sendall(b"GET /status/200 HTTP/1.1\r\nHo")
b = socket.create_connection(("127.0.0.1", port), timeout=5)
# and a paced body still running when the server is told to stop
c = socket.create_connection(("127.0.0.1", port), timeout=5)
c.sendall(b"GET /range/5000?duration=8&chunk_size=10 HTTP/1.1\r\nHost: x\r\n\r\n")
time.sleep(0.5)
sys.exit(0)
