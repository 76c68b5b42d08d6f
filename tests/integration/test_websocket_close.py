"""/websocket/close/{code}: the session closes with the code and reason asked
for; codes a Close frame may not carry are refused at the handshake with 400
and the registry's explanation (RFC 6455 §7.4)."""
import asyncio
import time
import urllib.parse

import pytest
import websockets

from wsraw import FrameReader, frame, handshake, head_fields, opened, read_head

SENDABLE = [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4999]


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=20))


def url(srv, code, **q):
    qs = ("?" + urllib.parse.urlencode(q)) if q else ""
    return f"ws://127.0.0.1:{srv.port}/websocket/close/{code}{qs}"


@pytest.mark.parametrize("code", SENDABLE)
def test_every_sendable_code_with_reason(srv, code):
    reason = f"closing with {code}: ünïcode ok"

    async def go():
        async with websockets.connect(url(srv, code, reason=reason)) as ws:
            with pytest.raises(websockets.ConnectionClosed) as e:
                await ws.recv()
            assert e.value.rcvd is not None
            assert (e.value.rcvd.code, e.value.rcvd.reason) == (code, reason)
            assert ws.close_code == code
    run(go())


def test_raw_close_frame_bytes_and_handshake_completion(srv):
    s, r, _ = opened(srv, "/websocket/close/3003?reason=no+way")
    with s:
        assert r.next() == (0x80, 8, b"\x0b\xbbno way")
        s.sendall(frame(8, b"\x0b\xbb"))  # our Close completes the handshake
        assert r.eof(timeout=3)             # and the server closes TCP (RFC 6455 §7.1.1)


def test_close_without_reason(srv):
    s, r, _ = opened(srv, "/websocket/close/1000")
    with s:
        assert r.close_frame() == (1000, "")


def test_delay_echoes_until_the_close(srv):
    async def go():
        t0 = time.monotonic()
        async with websockets.connect(url(srv, 4000, reason="later", delay="0.4")) as ws:
            await ws.send("before the close")
            assert await ws.recv() == "before the close"
            with pytest.raises(websockets.ConnectionClosed):
                await ws.recv()
            assert (ws.close_code, ws.close_reason) == (4000, "later")
        assert 0.35 < time.monotonic() - t0 < 5
    run(go())


def test_server_gives_up_waiting_for_the_peers_close(make_server):
    srv = make_server("--ws-close-timeout", "0.4s")
    s, r, _ = opened(srv, "/websocket/close/1000")
    with s:
        t0 = time.monotonic()
        assert r.close_frame() == (1000, "")
        assert r.eof(timeout=5)  # we never answer: TCP closes after the timeout
        assert 0.3 < time.monotonic() - t0 < 3


@pytest.mark.parametrize("code,words", [
    (1004, "Reserved"),
    (1005, "No Status Received"),
    (1015, "TLS handshake failure"),
    (1016, "not assigned"),
    (2999, "not assigned"),
    (999, "outside 1000-4999"),
    (0, "outside 1000-4999"),
    (5000, "outside 1000-4999"),
    (65535, "outside 1000-4999"),
])
def test_codes_that_may_not_be_sent_are_refused(srv, code, words):
    with srv.connect() as s:
        handshake(s, srv, path=f"/websocket/close/{code}")
        head, rest = read_head(s)
        assert head.startswith("HTTP/1.1 400"), head
        n = int(head_fields(head)["content-length"])
        while len(rest) < n:
            rest += s.recv(4096)
        assert words in rest.decode(), rest


@pytest.mark.parametrize("path,words", [
    ("/websocket/close/abc", "must be a number"),
    ("/websocket/close/", "Usage"),
    ("/websocket/close/1000?reason=" + "x" * 124, "123 bytes"),
    ("/websocket/close/1000?reason=%FF", "UTF-8"),
    ("/websocket/close/1000?reason=%zz", "percent-encoding"),
    ("/websocket/close/1000?delay=abc", "delay"),
    ("/websocket/close/1000?delay=-1", "delay"),
    ("/websocket/close/1000?delay=99999", "--max-delay"),
])
def test_bad_parameters_are_400(srv, path, words):
    with srv.connect() as s:
        handshake(s, srv, path=path)
        head, rest = read_head(s)
        assert head.startswith("HTTP/1.1 400"), head
        n = int(head_fields(head)["content-length"])
        while len(rest) < n:
            rest += s.recv(4096)
        assert words in rest.decode(), rest


def test_reason_of_123_bytes_is_accepted(srv):
    reason = "é" * 61 + "x"  # 123 bytes of UTF-8
    s, r, _ = opened(srv, "/websocket/close/4001?reason=" + urllib.parse.quote(reason))
    with s:
        assert r.close_frame() == (4001, reason)


def test_1006_is_a_connection_dropped_without_a_close_frame(srv):
    """1006 may not be sent, but it is what a client reports when the connection ends
    without a Close frame: /websocket/close/1006 makes that happen (issue 25)."""
    import asyncio
    import websockets

    async def run():
        url = srv.url.replace("http://", "ws://") + "/websocket/close/1006?delay=0.2"
        async with websockets.connect(url) as ws:
            with pytest.raises(websockets.ConnectionClosed) as e:
                await asyncio.wait_for(ws.recv(), 5)
            assert e.value.rcvd is None  # no Close frame came
            assert ws.close_code == 1006

    asyncio.run(run())


def test_1006_over_a_raw_socket_ends_with_eof_and_no_frame(srv):
    with srv.connect() as s:
        handshake(s, srv, path="/websocket/close/1006")
        head, rest = read_head(s)
        assert head.startswith("HTTP/1.1 101"), head
        s.settimeout(5)
        data = rest
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            data += chunk
        assert data == b"", data  # not a byte after the 101: no Close frame
