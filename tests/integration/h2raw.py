"""A small HTTP/2 client over a raw socket with python3-h2, for tests that need
to see frames (streams, trailers, interim responses, resets, GOAWAY)."""
import socket

import h2.config
import h2.connection
import h2.events


class H2:
    """One HTTP/2 connection (prior knowledge, or over an existing socket)."""

    def __init__(self, host, port, sock=None, timeout=5.0):
        self.sock = sock or socket.create_connection((host, port), timeout=timeout)
        self.sock.settimeout(timeout)
        self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        self.conn.initiate_connection()
        self.flush()
        self.streams = {}  # id -> {"headers": [...], "data": b"", "trailers", "interim", "ended", "reset"}
        self.goaway = None
        self.closed = False

    def flush(self):
        data = self.conn.data_to_send()
        if data:
            self.sock.sendall(data)

    def request(self, method, path, headers=(), body=None, end=True, authority="t"):
        sid = self.conn.get_next_available_stream_id()
        hdrs = [(":method", method), (":path", path), (":scheme", "http"),
                (":authority", authority)] + list(headers)
        self.conn.send_headers(sid, hdrs, end_stream=end and body is None)
        if body is not None:
            self.conn.send_data(sid, body, end_stream=end)
        self.streams[sid] = {"headers": None, "data": b"", "trailers": None, "interim": [],
                             "ended": False, "reset": None}
        self.flush()
        return sid

    def read_events(self):
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return False
        if not data:
            self.closed = True
            return False
        for ev in self.conn.receive_data(data):
            st = self.streams.get(getattr(ev, "stream_id", None))
            if isinstance(ev, h2.events.ResponseReceived):
                st["headers"] = ev.headers
            elif isinstance(ev, h2.events.InformationalResponseReceived):
                st["interim"].append(ev.headers)
            elif isinstance(ev, h2.events.DataReceived):
                st["data"] += ev.data
                self.conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, h2.events.TrailersReceived):
                st["trailers"] = ev.headers
            elif isinstance(ev, h2.events.StreamEnded):
                st["ended"] = True
            elif isinstance(ev, h2.events.StreamReset):
                if st is not None:
                    st["reset"] = ev.error_code
                    st["ended"] = True
            elif isinstance(ev, h2.events.ConnectionTerminated):
                self.goaway = ev
        self.flush()
        return True

    def wait(self, *sids, until=None):
        """Reads until every stream in sids has ended (or `until()` holds)."""
        while True:
            if until is not None and until():
                return
            if until is None and all(self.streams[s]["ended"] for s in sids):
                return
            if not self.read_events():
                if self.closed:
                    return
                raise TimeoutError("HTTP/2 stream did not end")

    def status(self, sid):
        return int(dict(self.streams[sid]["headers"])[b":status"])

    def header(self, sid, name):
        return dict(self.streams[sid]["headers"]).get(name.encode())

    def close(self):
        self.sock.close()


class RawFrames:
    """HTTP/2 at the frame level (hyperframe + hpack, under python3-h2): for
    tests that must break the client's own rules (too many streams) or keep
    reading after GOAWAY, which h2's state machine refuses."""

    PREFACE = b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

    def __init__(self, host, port, timeout=5.0):
        import hpack
        from hyperframe.frame import SettingsFrame
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.enc = hpack.Encoder()
        self.dec = hpack.Decoder()
        self.buf = b""
        self.sock.sendall(self.PREFACE + SettingsFrame(0).serialize())

    def headers(self, sid, path, method="GET", end=True):
        from hyperframe.frame import HeadersFrame
        f = HeadersFrame(sid)
        f.data = self.enc.encode([(":method", method), (":path", path), (":scheme", "http"),
                                  (":authority", "t")])
        f.flags.add("END_HEADERS")
        if end:
            f.flags.add("END_STREAM")
        return f.serialize()

    def send(self, data):
        self.sock.sendall(data)

    def frames(self, stop, limit=10.0):
        """Yields (frame, decoded headers or None) until stop(frame) or EOF."""
        import time as _t
        from hyperframe.frame import Frame, HeadersFrame, SettingsFrame
        end = _t.monotonic() + limit
        while _t.monotonic() < end:
            while len(self.buf) >= 9:
                f, length = Frame.parse_frame_header(memoryview(self.buf[:9]))
                if len(self.buf) < 9 + length:
                    break
                f.parse_body(memoryview(self.buf[9:9 + length]))
                self.buf = self.buf[9 + length:]
                hdrs = self.dec.decode(f.data) if isinstance(f, HeadersFrame) else None
                if isinstance(f, SettingsFrame) and "ACK" not in f.flags:
                    s2 = SettingsFrame(0)
                    s2.flags.add("ACK")
                    try:
                        self.sock.sendall(s2.serialize())
                    except OSError:  # the server may already have closed
                        pass
                yield f, hdrs
                if stop(f):
                    return
            try:
                data = self.sock.recv(65536)
            except ConnectionResetError:
                return
            if not data:
                return
            self.buf += data

    def close(self):
        self.sock.close()
