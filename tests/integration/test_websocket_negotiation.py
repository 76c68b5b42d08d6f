"""Subprotocols (RFC 6455 §4.2.2, ?protocols=) and permessage-deflate (RFC 7692)
with the websockets library, and the raw response headers."""
import asyncio
import zlib

import pytest
import websockets
from websockets.extensions.permessage_deflate import (ClientPerMessageDeflateFactory,
                                                      PerMessageDeflate)

from wsraw import FrameReader, frame, head_fields, opened


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=20))


def url(srv, q=""):
    return f"ws://127.0.0.1:{srv.port}/websocket/echo{q}"


@pytest.mark.parametrize("offer,asked,chosen", [
    ("chat,superchat", ["superchat", "chat"], "superchat"),  # the client's first in common
    ("chat,superchat", ["other", "chat"], "chat"),
    ("chat", ["other"], None),                             # none in common: no header
    ("", ["chat"], None),                                  # the endpoint offers none
    (None, ["chat"], None),
])
def test_subprotocols(srv, offer, asked, chosen):
    q = "" if offer is None else f"?protocols={offer}"

    async def go():
        async with websockets.connect(url(srv, q), subprotocols=asked) as ws:
            assert ws.subprotocol == chosen
            await ws.send("hi")
            assert await ws.recv() == "hi"
    run(go())


def test_no_protocol_header_when_none_in_common(srv):
    s, _, head = opened(srv, "/websocket/echo?protocols=chat",
                        headers=b"Sec-WebSocket-Protocol: mqtt, wamp\r\n")
    s.close()
    assert "sec-websocket-protocol" not in head_fields(head)
    s, _, head = opened(srv, "/websocket/echo?protocols=chat",
                        headers=b"Sec-WebSocket-Protocol: mqtt, chat\r\n")
    s.close()
    assert head_fields(head)["sec-websocket-protocol"] == "chat"


def deflate_of(ws):
    return [e for e in ws.extensions if isinstance(e, PerMessageDeflate)]


@pytest.mark.parametrize("factory", [
    ClientPerMessageDeflateFactory(client_max_window_bits=True),  # what Chromium offers
    ClientPerMessageDeflateFactory(server_no_context_takeover=True,
                                   client_no_context_takeover=True),
    ClientPerMessageDeflateFactory(server_max_window_bits=10, client_max_window_bits=9),
], ids=["chromium-like", "no-context-takeover", "window-bits"])
def test_permessage_deflate_on(srv, factory):
    async def go():
        async with websockets.connect(url(srv), extensions=[factory], compression=None) as ws:
            assert len(deflate_of(ws)) == 1
            for i in range(5):  # several messages: the shared window, or its resets
                text = f"message {i}: " + "compressible text " * 500
                await ws.send(text)
                assert await ws.recv() == text
            blob = bytes(range(256)) * 300
            await ws.send(blob)
            assert await ws.recv() == blob
            await ws.send("")
            assert await ws.recv() == ""
    run(go())


def test_permessage_deflate_off(srv):
    async def go():
        async with websockets.connect(url(srv), compression=None) as ws:
            assert deflate_of(ws) == []
            await ws.send("plain " * 1000)
            assert await ws.recv() == "plain " * 1000
    run(go())


def test_deflate_response_headers_and_compressed_frames(srv):
    s, r, head = opened(srv, headers=b"Sec-WebSocket-Extensions: permessage-deflate; "
                                      b"client_max_window_bits\r\n")
    with s:
        assert head_fields(head)["sec-websocket-extensions"] == "permessage-deflate"
        c = zlib.compressobj(wbits=-15)
        payload = c.compress(b"a" * 1000) + c.flush(zlib.Z_SYNC_FLUSH)
        s.sendall(frame(1, payload[:-4], rsv=4))
        fin, op, data = r.next()
        assert op == 1 and len(data) < 100  # compressed (RSV1 is checked below)
        d = zlib.decompressobj(wbits=-15)
        assert d.decompress(data + b"\x00\x00\xff\xff") == b"a" * 1000
    # the raw first byte carries RSV1
    s, r, _ = opened(srv, headers=b"Sec-WebSocket-Extensions: permessage-deflate\r\n")
    with s:
        s.sendall(frame(2, b"\x02\x00", rsv=4))  # an empty fixed-Huffman block
        b0 = r.exactly(1)[0]
        assert b0 & 0x40, "RSV1 set on the compressed echo"


@pytest.mark.parametrize("offer", [
    b"permessage-deflate; server_max_window_bits=8",
    b"permessage-deflate; unknown_param",
    b"permessage-deflate; client_max_window_bits=99",
    b"x-webkit-deflate-frame",
])
def test_deflate_offers_declined(srv, offer):
    s, r, head = opened(srv, headers=b"Sec-WebSocket-Extensions: " + offer + b"\r\n")
    with s:
        assert "sec-websocket-extensions" not in head_fields(head)
        s.sendall(frame(1, b"hi", rsv=4))  # RSV1 without the extension
        assert r.close_frame()[0] == 1002
