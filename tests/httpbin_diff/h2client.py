"""One request over HTTP/2 with prior knowledge (python3-h2), returned in the
shape of rawhttp.Response, so that the same comparison applies."""
import socket
import time

import h2.config
import h2.connection
import h2.events

from .rawhttp import HTTPError, Response

# fields HTTP/2 does not carry (RFC 9113 §8.2.2); Host becomes :authority
CONNECTION_SPECIFIC = {"connection", "keep-alive", "proxy-connection", "transfer-encoding",
                       "upgrade", "host"}


def request(host, port, method, target, headers, body=b"", timeout=20.0):
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
