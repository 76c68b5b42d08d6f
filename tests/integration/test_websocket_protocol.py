"""Every protocol error and handshake error of issue 11, with raw sockets:
each gets the close code RFC 6455 §7.4.1 names, or the precise HTTP status."""
import struct
import time

import pytest

from wsraw import FrameReader, frame, handshake, head_fields, opened, read_head

TEXT, BINARY, CONT, CLOSE, PING, PONG = 1, 2, 0, 8, 9, 10

# (name, path, frames sent, expected close code, framing still intact?)
ERRORS = [
    ("invalid UTF-8 in text", "", [frame(TEXT, b"ok \xc3\x28")], 1007, True),
    ("invalid UTF-8 across fragments", "", [frame(TEXT, b"\xe4\xb8", fin=False),
                                            frame(CONT, b"\x28")], 1007, True),
    ("invalid UTF-8 in close reason", "", [frame(CLOSE, b"\x03\xe8\xff\xfe")], 1007, True),
    ("message over max_message_size", "?max_message_size=10", [frame(BINARY, b"x" * 11)],
     1009, True),
    ("fragmented message over the limit", "?max_message_size=10",
     [frame(TEXT, b"x" * 6, fin=False), frame(CONT, b"y" * 6)], 1009, True),
    ("RSV1 without extension", "", [frame(TEXT, b"hi", rsv=4)], 1002, True),
    ("RSV2", "", [frame(TEXT, b"hi", rsv=2)], 1002, True),
    ("RSV3", "", [frame(BINARY, b"hi", rsv=1)], 1002, True),
    ("unknown data opcode 3", "", [frame(3, b"")], 1002, True),
    ("unknown control opcode 0xB", "", [frame(0xB, b"")], 1002, True),
    ("unmasked client frame", "", [frame(TEXT, b"hi", mask=False)], 1002, True),
    ("fragmented ping", "", [frame(PING, b"p", fin=False)], 1002, False),
    ("fragmented close", "", [frame(CLOSE, b"\x03\xe8", fin=False)], 1002, False),
    ("ping over 125 bytes", "", [frame(PING, b"p" * 126)], 1002, False),
    ("continuation without a start", "", [frame(CONT, b"x")], 1002, True),
    ("new message inside a fragmented one", "", [frame(TEXT, b"a", fin=False),
                                                 frame(TEXT, b"b")], 1002, True),
    ("close payload of 1 byte", "", [frame(CLOSE, b"\x03")], 1002, True),
    ("close code 1005", "", [frame(CLOSE, struct.pack(">H", 1005))], 1002, True),
    ("close code 1004", "", [frame(CLOSE, struct.pack(">H", 1004))], 1002, True),
    ("close code 999", "", [frame(CLOSE, struct.pack(">H", 999))], 1002, True),
    ("close code 2000 (unassigned)", "", [frame(CLOSE, struct.pack(">H", 2000))], 1002, True),
    ("close code 5000", "", [frame(CLOSE, struct.pack(">H", 5000))], 1002, True),
    ("binary to only=text", "?only=text", [frame(BINARY, b"\x00")], 1003, True),
    ("text to only=binary", "?only=binary", [frame(TEXT, b"hi")], 1003, True),
]


@pytest.mark.parametrize("name,query,frames,code,intact", ERRORS, ids=[e[0] for e in ERRORS])
def test_protocol_error_close_code(srv, name, query, frames, code, intact):
    s, r, _ = opened(srv, "/websocket/echo" + query)
    with s:
        s.sendall(b"".join(frames))
        got, reason = r.close_frame()
        assert got == code, reason
        assert reason, "the reason says what was wrong"
        if intact and frames[0][0] & 0x0F != CLOSE:
            # RFC 6455 §7.1.1: the server waits for our Close, then closes TCP
            s.sendall(frame(TEXT, b"dropped") + frame(CLOSE, struct.pack(">H", 1000)))
        assert r.eof(timeout=8)


def test_frame_over_ws_max_frame_is_1009(make_server):
    srv = make_server("--ws-max-frame", "200")
    s, r, _ = opened(srv)
    with s:
        s.sendall(frame(BINARY, b"x" * 200))
        assert r.next() == (0x80, BINARY, b"x" * 200)
        s.sendall(frame(BINARY, b"x" * 201))
        code, reason = r.close_frame()
        assert code == 1009 and "201" in reason


def test_connection_limit_closes_with_1013(make_server):
    srv = make_server("--max-websockets", "1")
    s1, r1, _ = opened(srv)
    with s1:
        s2, r2, _ = opened(srv)
        with s2:
            code, reason = r2.close_frame()
            assert code == 1013 and "try again later" in reason
        s1.sendall(frame(TEXT, b"first still works"))
        assert r1.next() == (0x80, TEXT, b"first still works")
    time.sleep(0.3)  # the first session has ended: a slot is free again
    s3, r3, _ = opened(srv)
    with s3:
        s3.sendall(frame(TEXT, b"third"))
        assert r3.next() == (0x80, TEXT, b"third")


def test_client_vanishing_mid_frame_leaves_server_healthy(srv):
    for cut in (1, 2, 5, 9):
        s, r, _ = opened(srv)
        s.sendall(frame(TEXT, b"x" * 300)[:cut])
        s.close()
    s, r, _ = opened(srv)
    with s:
        s.sendall(frame(TEXT, b"alive"))
        assert r.next() == (0x80, TEXT, b"alive")


GOOD_KEY = b"dGhlIHNhbXBsZSBub25jZQ=="


def request(srv, raw):
    with srv.connect() as s:
        s.sendall(raw)
        head, rest = read_head(s)
        fields = head_fields(head)
        n = int(fields.get("content-length", "0"))
        while len(rest) < n:
            chunk = s.recv(4096)
            if not chunk:
                break
            rest += chunk
        return int(head.split()[1]), fields, rest.decode("utf-8", "replace")


def hs_request(method=b"GET", version=b"HTTP/1.1", upgrade=True, connection=True,
               key=GOOD_KEY, ws_version=b"13", extra=b"", path=b"/websocket/echo"):
    h = method + b" " + path + b" " + version + b"\r\nHost: x\r\n"
    if upgrade:
        h += b"Upgrade: websocket\r\n"
    if connection:
        h += b"Connection: Upgrade\r\n"
    if key is not None:
        h += b"Sec-WebSocket-Key: " + key + b"\r\n"
    if ws_version is not None:
        h += b"Sec-WebSocket-Version: " + ws_version + b"\r\n"
    if method == b"POST":
        h += b"Content-Length: 0\r\n"
    return h + extra + b"\r\n"


@pytest.mark.parametrize("name,raw,status,field,words", [
    ("missing key", hs_request(key=None), 400, None, "Sec-WebSocket-Key is missing"),
    ("key not base64", hs_request(key=b"not base64 at all!!!!!!="), 400, None, "16 bytes"),
    ("key of 15 bytes", hs_request(key=b"AAAAAAAAAAAAAAAAAAAA"), 400, None, "16 bytes"),
    ("version 8", hs_request(ws_version=b"8"), 426, ("sec-websocket-version", "13"), "13"),
    ("version 14", hs_request(ws_version=b"14"), 426, ("sec-websocket-version", "13"), "13"),
    ("missing version", hs_request(ws_version=None), 400, None, "Sec-WebSocket-Version"),
    ("plain GET", b"GET /websocket/echo HTTP/1.1\r\nHost: x\r\n\r\n", 426,
     ("upgrade", "websocket"), "Upgrade: websocket"),
    ("plain GET on close", b"GET /websocket/close/1000 HTTP/1.1\r\nHost: x\r\n\r\n", 426,
     ("upgrade", "websocket"), "Upgrade: websocket"),
    ("no Connection: Upgrade", hs_request(connection=False), 400, None, "Connection: Upgrade"),
    ("POST", hs_request(method=b"POST"), 405, ("allow", "GET"), ""),
    ("HTTP/1.0", hs_request(version=b"HTTP/1.0"), 400, None, "HTTP/1.1"),
    ("bad subprotocol list", hs_request(extra=b"Sec-WebSocket-Protocol: a b\r\n"), 400, None,
     "tokens"),
    ("bad ?protocols=", hs_request(path=b"/websocket/echo?protocols=a%20b"), 400, None, "tokens"),
    ("bad only=", hs_request(path=b"/websocket/echo?only=both"), 400, None, "text or binary"),
    ("max_message_size=0", hs_request(path=b"/websocket/echo?max_message_size=0"), 400, None,
     "max_message_size"),
    ("max_fragment_size too big", hs_request(path=b"/websocket/echo?max_fragment_size=9999999"),
     400, None, "max_fragment_size"),
])
def test_handshake_errors(srv, name, raw, status, field, words):
    got, fields, body = request(srv, raw)
    assert got == status, (name, body)
    if field:
        assert field[1].lower() in fields[field[0]].lower()
    assert words in body


def test_max_message_size_above_the_server_limit_is_400(make_server):
    srv = make_server("--ws-max-message", "1000")
    got, _, body = request(srv, hs_request(path=b"/websocket/echo?max_message_size=1001"))
    assert got == 400 and "at most 1000" in body
    s, r, _ = opened(srv, "/websocket/echo?max_message_size=1000")
    with s:
        s.sendall(frame(BINARY, b"x" * 1001))
        assert r.close_frame()[0] == 1009


def test_plain_get_is_negotiated_like_other_errors(srv):
    """A plain GET to a WebSocket endpoint gets its 426 in the negotiated format and
    language, with Upgrade, as every other error does (issue 25)."""
    import requests
    r = requests.get(srv.url + "/websocket/echo", timeout=5)
    assert r.status_code == 426 and r.headers["Upgrade"] == "websocket"
    assert r.headers["Content-Type"] == "application/json"
    assert "send Upgrade: websocket" in r.json()["error"]
    r = requests.get(srv.url + "/websocket/echo", headers={"Accept": "text/plain",
                                                           "Accept-Language": "zh"}, timeout=5)
    assert r.headers["Content-Type"].startswith("text/plain") and "426" in r.text
    assert "Accept" in r.headers["Vary"]
