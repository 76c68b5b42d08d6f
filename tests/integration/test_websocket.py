"""/websocket/echo (go-httpbin): RFC 6455 handshake and echo session, with the
`websockets` client library and with raw sockets for what a library hides."""
import asyncio
import base64
import hashlib
import signal
import struct
import time

import pytest
import websockets

from wsraw import GUID, FrameReader, frame, handshake, read_head

def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=20))


def ws_url(srv, query=""):
    return f"ws://127.0.0.1:{srv.port}/websocket/echo{query}"


def test_echo_text_and_binary_with_websockets_library(srv):
    async def go():
        async with websockets.connect(ws_url(srv)) as ws:
            await ws.send("hello, 世界")
            assert await ws.recv() == "hello, 世界"
            await ws.send(b"\x00\xffbinary")
            assert await ws.recv() == b"\x00\xffbinary"
            big = "x" * 100_000
            await ws.send(big)
            assert await ws.recv() == big
            pong = await ws.ping(b"p")
            await asyncio.wait_for(pong, 5)
    run(go())


def test_handshake_accept_key_and_headers(srv):
    with srv.connect() as s:
        key = handshake(s, srv)
        head, _ = read_head(s)
        lines = head.split("\r\n")
        assert lines[0] == "HTTP/1.1 101 Switching Protocols"
        hdrs = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:]}
        want = base64.b64encode(hashlib.sha1(key + GUID.encode()).digest()).decode()
        assert hdrs["sec-websocket-accept"] == want
        assert hdrs["upgrade"].lower() == "websocket"
        assert "upgrade" in hdrs["connection"].lower()
        assert "content-length" not in hdrs  # RFC 9110 §8.6: not in a 1xx


def test_frame_sent_with_the_handshake_is_echoed(srv):
    with srv.connect() as s:
        handshake(s, srv, extra=frame(1, b"early"))
        head, rest = read_head(s)
        assert head.startswith("HTTP/1.1 101")
        fin, op, data = FrameReader(s, rest).next()
        assert (fin, op, data) == (0x80, 1, b"early")


def test_max_fragment_size_splits_echo(srv):
    with srv.connect() as s:
        handshake(s, srv, path="/websocket/echo?max_fragment_size=4")
        head, rest = read_head(s)
        r = FrameReader(s, rest)
        s.sendall(frame(1, b"abcdefghij"))
        frames = [r.next() for _ in range(3)]
        assert frames == [(0, 1, b"abcd"), (0, 0, b"efgh"), (0x80, 0, b"ij")]


def test_fragmented_client_message_is_reassembled(srv):
    with srv.connect() as s:
        handshake(s, srv)
        head, rest = read_head(s)
        s.sendall(frame(2, b"ab", fin=False) + frame(0, b"cd"))
        assert FrameReader(s, rest).next() == (0x80, 2, b"abcd")


@pytest.mark.parametrize("query,payload,opcode,code", [
    ("?max_message_size=10", b"x" * 11, 1, 1009),   # RFC 6455 §7.4.1 message too big
    ("", b"\xc3\x28", 1, 1007),                    # §8.1 invalid UTF-8 in text
])
def test_protocol_violations_close_with_code(srv, query, payload, opcode, code):
    with srv.connect() as s:
        handshake(s, srv, path="/websocket/echo" + query)
        head, rest = read_head(s)
        s.sendall(frame(opcode, payload))
        fin, op, data = FrameReader(s, rest).next()
        assert op == 8 and struct.unpack(">H", data[:2])[0] == code


def test_unmasked_client_frame_is_protocol_error(srv):
    with srv.connect() as s:
        handshake(s, srv)
        head, rest = read_head(s)
        s.sendall(frame(1, b"hi", mask=False))
        fin, op, data = FrameReader(s, rest).next()
        assert op == 8 and struct.unpack(">H", data[:2])[0] == 1002


def test_close_handshake_then_tcp_close(srv):
    with srv.connect() as s:
        handshake(s, srv)
        head, rest = read_head(s)
        r = FrameReader(s, rest)
        s.sendall(frame(8, struct.pack(">H", 1000) + b"bye"))
        fin, op, data = r.next()
        assert op == 8 and struct.unpack(">H", data[:2])[0] == 1000
        with pytest.raises(EOFError):
            r.next()


@pytest.mark.parametrize("headers,status", [
    (b"Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
     b"Sec-WebSocket-Version: 13\r\n", 426),                                     # no Upgrade
    (b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: "
     b"dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n", 426),          # old version
    (b"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: short\r\n"
     b"Sec-WebSocket-Version: 13\r\n", 400),                                     # bad key
    (b"Upgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
     b"Sec-WebSocket-Version: 13\r\n", 400),                                     # no Connection
])
def test_bad_handshakes(srv, headers, status):
    with srv.connect() as s:
        s.sendall(b"GET /websocket/echo HTTP/1.1\r\nHost: x\r\n" + headers + b"\r\n")
        head, _ = read_head(s)
        assert head.split("\r\n")[0].split()[1] == str(status)
        if status == 426:
            assert "upgrade: websocket" in head.lower()


def test_bad_limits_and_wrong_method(srv):
    with srv.connect() as s:
        handshake(s, srv, path="/websocket/echo?max_fragment_size=0")
        assert read_head(s)[0].startswith("HTTP/1.1 400")
    with srv.connect() as s:
        s.sendall(b"POST /websocket/echo HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n")
        head, _ = read_head(s)
        assert head.startswith("HTTP/1.1 405") and "allow: get" in head.lower()


def test_idle_session_is_pinged_then_gets_going_away(make_server):
    srv = make_server("--ws-idle-timeout", "0.3s", "--ws-close-timeout", "0.5s")
    with srv.connect() as s:
        handshake(s, srv)
        head, rest = read_head(s)
        s.settimeout(5)
        r = FrameReader(s, rest)
        t0 = time.monotonic()
        assert r.next() == (0x80, 9, b"")  # RFC 6455 §5.5.2: a keep-alive Ping
        code, reason = r.close_frame()     # unanswered: 1001 Going Away
        assert code == 1001 and "ping" in reason
        assert 0.5 < time.monotonic() - t0 < 3
        assert r.eof()  # no Close from us: the server stops waiting after 0.5 s


def test_answered_ping_keeps_the_session(make_server):
    srv = make_server("--ws-idle-timeout", "0.3s")
    with srv.connect() as s:
        handshake(s, srv)
        head, rest = read_head(s)
        s.settimeout(5)
        r = FrameReader(s, rest)
        for _ in range(3):
            assert r.next() == (0x80, 9, b"")
            s.sendall(frame(10, b""))
        s.sendall(frame(1, b"still here"))
        assert r.next() == (0x80, 1, b"still here")


def test_shutdown_closes_sessions_with_1001(make_server):
    srv = make_server()
    with srv.connect() as s:
        handshake(s, srv)
        head, rest = read_head(s)
        r = FrameReader(s, rest)
        s.sendall(frame(1, b"before"))
        assert r.next() == (0x80, 1, b"before")
        srv.send_signal(signal.SIGTERM)
        s.settimeout(10)
        fin, op, data = r.next()
        assert op == 8 and struct.unpack(">H", data[:2])[0] == 1001
    # the server exits by itself once the session is closed (no second signal)
    assert srv.proc.wait(timeout=15) == 0
    assert srv.stop() == 0


def test_many_sessions_in_parallel(srv):
    async def one(i):
        async with websockets.connect(ws_url(srv)) as ws:
            for j in range(20):
                msg = f"{i}:{j}"
                await ws.send(msg)
                assert await ws.recv() == msg
    async def go():
        await asyncio.gather(*(one(i) for i in range(20)))
    t0 = time.monotonic()
    run(go())
    assert time.monotonic() - t0 < 20
