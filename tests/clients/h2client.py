"""The HTTP/2 client of every Python test suite, over a raw socket with
python3-h2 (tests/integration, tests/httpbin_diff):

  H2         one connection, streams, frames seen as they come (trailers,
             interim responses, resets, GOAWAY)
  RawFrames  HTTP/2 at the frame level, for clients that break the rules
  send(...)  one request with prior knowledge, answered as a rawhttp.Response
             (the shape HTTP/1.1's send() gives, so one comparison applies)
"""
import socket
import time

import h2.config
import h2.connection
import h2.events

from rawhttp import HTTPError, Response


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


# ---- send(): one request, as a rawhttp.Response ----

# fields HTTP/2 does not carry (RFC 9113 §8.2.2); Host becomes :authority
CONNECTION_SPECIFIC = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
                       "upgrade", "host"}


def send(host, port, method, target, headers, body=b"", timeout=20.0):
    deadline = time.monotonic() + timeout
    authority = next((v for k, v in headers if k.lower() == "host"), "%s:%d" % (host, port))
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True,
                                                                header_encoding="latin-1"))
    sock = socket.create_connection((host, port), timeout=timeout)
    try:
        conn.initiate_connection()
        hdrs = [(":method", method), (":path", target), (":scheme", "http"),
                (":authority", authority)]
        hdrs += [(k.lower(), v) for k, v in headers if k.lower() not in CONNECTION_SPECIFIC
                 and not (k.lower() == "te" and v.lower() != "trailers")]
        sid = conn.get_next_available_stream_id()
        conn.send_headers(sid, hdrs, end_stream=not body)
        sock.sendall(conn.data_to_send())
        resp = Response(status=0, reason="", headers=[], body=b"")
        t0 = time.monotonic()
        ended = False
        sent = 0
        while not ended:
            while sent < len(body):  # as much as flow control lets through
                n = min(len(body) - sent, conn.local_flow_control_window(sid),
                        conn.max_outbound_frame_size)
                if n <= 0:
                    break
                conn.send_data(sid, body[sent:sent + n], end_stream=sent + n == len(body))
                sent += n
                sock.sendall(conn.data_to_send())
            left = deadline - time.monotonic()
            if left <= 0:
                raise HTTPError("timeout while reading the HTTP/2 response")
            sock.settimeout(left)
            data = sock.recv(65536)
            if not data:
                raise HTTPError("connection closed before the stream ended")
            for ev in conn.receive_data(data):
                if isinstance(ev, h2.events.InformationalResponseReceived):
                    st = int(dict(ev.headers)[":status"])
                    resp.interim.append((st, "", [(k, v) for k, v in ev.headers
                                                  if not k.startswith(":")]))
                elif isinstance(ev, h2.events.ResponseReceived):
                    resp.status = int(dict(ev.headers)[":status"])
                    resp.headers = [(k, v) for k, v in ev.headers if not k.startswith(":")]
                elif isinstance(ev, h2.events.DataReceived):
                    resp.body += ev.data
                    conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                elif isinstance(ev, h2.events.TrailersReceived):
                    resp.trailers = list(ev.headers)
                elif isinstance(ev, (h2.events.StreamEnded, h2.events.StreamReset)):
                    ended = ev.stream_id == sid or ended
            out = conn.data_to_send()
            if out:
                sock.sendall(out)
        resp.elapsed = time.monotonic() - t0
        return resp
    finally:
        sock.close()
