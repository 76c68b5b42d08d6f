"""WebSocket over HTTP/2 (RFC 8441, issue 17): the server announces
SETTINGS_ENABLE_CONNECT_PROTOCOL, takes an extended CONNECT with :protocol
websocket on /websocket/*, answers 200, and the stream's DATA then carries
the same session as HTTP/1.1's (echo, close codes). Clients: python3-h2 for
the HTTP/2 stream and python3-wsproto for the WebSocket frames in it.

One test: pytest -k echo tests/integration/test_websocket_h2.py
"""
import socket
import time

import h2.config
import h2.connection
import h2.events
import h2.settings
import pytest
from wsproto.connection import Connection, ConnectionType
from wsproto.events import BytesMessage, CloseConnection, Message, Ping, Pong, TextMessage


class WsOverH2:
    """One HTTP/2 connection; streams opened with extended CONNECT."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=5)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(
            client_side=True, validate_outbound_headers=False))
        self.conn.initiate_connection()
        self.flush()
        self.settings = {}
        self.streams = {}

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def open(self, path, extra=(), protocol="websocket", method="CONNECT"):
        sid = self.conn.get_next_available_stream_id()
        hdrs = [(":method", method)]
        if protocol:
            hdrs.append((":protocol", protocol))
        hdrs += [(":scheme", "http"), (":path", path), (":authority", "t"),
                 ("sec-websocket-version", "13"), *extra]
        self.conn.send_headers(sid, hdrs, end_stream=method != "CONNECT")
        self.streams[sid] = {"headers": None, "data": b"", "ended": False, "reset": None,
                             "ws": Connection(ConnectionType.CLIENT), "events": []}
        self.flush()
        return sid

    def pump(self, until, limit=5.0):
        end = time.monotonic() + limit
        while not until() and time.monotonic() < end:
            self.sock.settimeout(max(0.01, end - time.monotonic()))
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                break
            if not data:
                break
            for ev in self.receive(data):
                if isinstance(ev, h2.events.RemoteSettingsChanged):
                    self.settings.update({k: v.new_value for k, v in ev.changed_settings.items()})
                st = self.streams.get(getattr(ev, "stream_id", None))
                if st is None:
                    continue
                if isinstance(ev, h2.events.ResponseReceived):
                    st["headers"] = dict(ev.headers)
                elif isinstance(ev, h2.events.DataReceived):
                    st["data"] += ev.data
                    self.conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                    if st["headers"] and st["headers"][b":status"] == b"200":
                        if st["ws"].state.name == "CLOSED":
                            st["after_close"] = st.get("after_close", b"") + ev.data
                            continue
                        st["ws"].receive_data(ev.data)
                        st["events"] += list(st["ws"].events())
                elif isinstance(ev, h2.events.StreamEnded):
                    st["ended"] = True
                elif isinstance(ev, h2.events.StreamReset):
                    st["reset"] = ev.error_code
                    st["ended"] = True
            self.flush()
        return until()

    def receive(self, data):
        """h2's events for `data`, a frame at a time: python3-h2 closes its
        whole connection on GOAWAY, while RFC 9113 §6.8 lets the streams it
        covers go on (the server's drain sends GOAWAY, then each session's
        Close 1001), so the connection is reopened after one."""
        self.buf = getattr(self, "buf", b"") + data
        events = []
        while len(self.buf) >= 9:
            n = 9 + int.from_bytes(self.buf[:3], "big")
            if len(self.buf) < n:
                break
            frame, self.buf = self.buf[:n], self.buf[n:]
            evs = self.conn.receive_data(frame)
            if any(isinstance(e, h2.events.ConnectionTerminated) for e in evs):
                self.goaway = True
                self.conn.state_machine.state = h2.connection.ConnectionState.CLIENT_OPEN
            events += evs
        return events

    def send_ws(self, sid, event, end=False):
        self.conn.send_data(sid, self.streams[sid]["ws"].send(event), end_stream=end)
        self.flush()

    def close(self):
        self.sock.close()


@pytest.fixture
def c(srv):
    w = WsOverH2(srv.port)
    yield w
    w.close()


def status(c, sid):
    assert c.pump(lambda: c.streams[sid]["headers"] is not None or c.streams[sid]["ended"])
    return int(c.streams[sid]["headers"][b":status"])


def test_settings_enable_connect_protocol(c):
    assert c.pump(lambda: h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL in c.settings)
    assert c.settings[h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL] == 1


def test_echo_text_binary_ping(c):
    sid = c.open("/websocket/echo")
    assert status(c, sid) == 200
    h = c.streams[sid]["headers"]
    assert b"sec-websocket-accept" not in h and b"content-length" not in h  # RFC 8441 §5
    st = c.streams[sid]
    c.send_ws(sid, Message(data="hello over h2"))
    assert c.pump(lambda: any(isinstance(e, TextMessage) for e in st["events"]))
    c.send_ws(sid, Message(data=b"\x00\x01\x02" * 1000))
    assert c.pump(lambda: any(isinstance(e, BytesMessage) for e in st["events"]))
    c.send_ws(sid, Ping(payload=b"p"))
    assert c.pump(lambda: any(isinstance(e, Pong) for e in st["events"]))
    texts = [e.data for e in st["events"] if isinstance(e, TextMessage)]
    data = b"".join(e.data for e in st["events"] if isinstance(e, BytesMessage))
    assert texts == ["hello over h2"] and data == b"\x00\x01\x02" * 1000
    # a normal close: the server answers Close and ends its side of the stream
    c.send_ws(sid, CloseConnection(code=1000, reason="bye"))
    assert c.pump(lambda: st["ended"])
    closes = [e for e in st["events"] if isinstance(e, CloseConnection)]
    assert closes and closes[0].code == 1000


def test_two_sessions_and_a_request_on_one_connection(c):
    a = c.open("/websocket/echo")
    b = c.open("/websocket/echo?only=text")
    assert status(c, a) == 200 and status(c, b) == 200
    g = c.conn.get_next_available_stream_id()
    c.conn.send_headers(g, [(":method", "GET"), (":scheme", "http"), (":path", "/status/418"),
                            (":authority", "t")], end_stream=True)
    c.streams[g] = {"headers": None, "data": b"", "ended": False, "reset": None, "ws": None,
                    "events": []}
    c.flush()
    c.send_ws(a, Message(data="to a"))
    c.send_ws(b, Message(data=b"binary to text-only"))
    sb = c.streams[b]
    assert c.pump(lambda: c.streams[g]["ended"] and c.streams[a]["events"]
                  and any(isinstance(e, CloseConnection) for e in sb["events"]))
    assert int(c.streams[g]["headers"][b":status"]) == 418
    assert [e.data for e in c.streams[a]["events"]] == ["to a"]
    close = next(e for e in sb["events"] if isinstance(e, CloseConnection))
    assert close.code == 1003  # as over HTTP/1.1: ?only=text refuses binary
    c.send_ws(b, close.response())
    assert c.pump(lambda: sb["ended"])
    c.send_ws(a, Message(data="a lives on"))  # the other session is not disturbed
    assert c.pump(lambda: len(c.streams[a]["events"]) == 2)


def test_close_1008(c):
    sid = c.open("/websocket/close/1008?reason=policy")
    assert status(c, sid) == 200
    st = c.streams[sid]
    assert c.pump(lambda: any(isinstance(e, CloseConnection) for e in st["events"]))
    close = next(e for e in st["events"] if isinstance(e, CloseConnection))
    assert close.code == 1008 and close.reason == "policy"
    c.send_ws(sid, close.response())
    assert c.pump(lambda: st["ended"])


def test_refusals(c):
    bad = c.open("/websocket/close/1005")  # a code never sent on the wire
    assert status(c, bad) == 400
    get = c.open("/websocket/echo", method="GET", protocol=None)
    assert status(c, get) == 400
    assert c.pump(lambda: c.streams[get]["ended"])
    assert b"extended CONNECT" in c.streams[get]["data"]  # not "this request is HTTP/1.0"
    other = c.open("/get")  # extended CONNECT where no tunnel is offered
    assert status(c, other) == 405
    plain = c.open("/websocket/echo", protocol=None)  # CONNECT without :protocol
    assert c.pump(lambda: c.streams[plain]["ended"])
    h = c.streams[plain]["headers"]
    assert h is None or int(h[b":status"]) in (400, 501)


def test_client_vanishes_mid_session(srv):
    # the stream's session is freed with the connection (ASan checks the leak)
    w = WsOverH2(srv.port)
    sid = w.open("/websocket/echo")
    assert status(w, sid) == 200
    w.send_ws(sid, Message(data="x" * 5000))
    w.close()
    w2 = WsOverH2(srv.port)  # the server is still fine
    sid = w2.open("/websocket/echo")
    assert status(w2, sid) == 200
    w2.close()


def test_shutdown_says_going_away(make_server):
    from conftest import DEFAULT_ARGS
    s = make_server(*DEFAULT_ARGS)
    w = WsOverH2(s.port)
    sid = w.open("/websocket/echo")
    assert status(w, sid) == 200
    st = w.streams[sid]
    s.send_signal()
    assert w.pump(lambda: any(isinstance(e, CloseConnection) for e in st["events"]))
    close = next(e for e in st["events"] if isinstance(e, CloseConnection))
    assert close.code == 1001  # RFC 6455 §7.4.1, as over HTTP/1.1
    assert w.goaway  # no new streams (RFC 9113 §6.8)
    w.send_ws(sid, close.response())
    w.pump(lambda: st["ended"])
    w.close()
    assert s.stop() == 0


def test_idle_session_says_going_away(make_server):
    # as over HTTP/1.1: a silent session outlives no idle timeout; it is told
    # Close 1001, and the connection does not spin meanwhile
    s = make_server("--idle-timeout", "1s")
    w = WsOverH2(s.port)
    sid = w.open("/websocket/echo")
    assert status(w, sid) == 200
    st = w.streams[sid]
    assert w.pump(lambda: any(isinstance(e, CloseConnection) for e in st["events"]), 6)
    close = next(e for e in st["events"] if isinstance(e, CloseConnection))
    assert close.code == 1001
    w.send_ws(sid, close.response())
    assert w.pump(lambda: st["ended"])
    w.close()
