"""Admission (issue 17) over the wire: every row of tests/admission/cases.txt
(the table tests/unit/test_admission.c runs through the in-memory exchange)
sent over HTTP/1.1 and over HTTP/2, by a client that behaves as curl does
with Expect: 100-continue (the content goes only after a 100, or after a
second without an answer). Both protocols must give the row's answer: the
same final status, a 100 only where the row says so, the same Allow.

One row, one protocol: pytest -k 'expect-100-no-route and h2' tests/integration/test_admission.py
"""
import socket
import ssl
import time
from pathlib import Path

import h2.config
import h2.connection
import h2.events
import pytest
from conftest import DEFAULT_ARGS, Server
from rawhttp import parse

CASES = Path(__file__).resolve().parents[1] / "admission" / "cases.txt"
WAIT_100 = 1.0  # how long a client waits for a 100 before sending anyway (curl: 1 s)


def load():
    rows = []
    for line in CASES.read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split(" | ")]
        assert len(cols) == 9, line
        name, method, target, fields, body, status, want100, allow, where = cols
        rows.append(dict(name=name, method=method, target=target, fields=fields, body=body,
                         status=status, want100=want100 == "1", allow=allow, where=where))
    return rows


ROWS = load()


def content(row):
    body = row["body"]
    streamed = body.startswith("~")
    body = body.lstrip("~")
    if body == "-":
        return None, False
    if body[:-1].isdigit():
        return body[-1].encode() * int(body[:-1]), streamed
    return body.encode(), streamed


def fields(row, default_host):
    """(host or None, other fields) of a row."""
    f = row["fields"]
    if f == "!host":
        return None, []
    out = [] if f == "-" else [tuple(x.split(": ", 1)) for x in f.split(" ^ ")]
    host = next((v for k, v in out if k.lower() == "host"), default_host)
    return host, [(k, v) for k, v in out if k.lower() != "host"]


@pytest.fixture(scope="module")
def srv(tmp_path_factory):
    d = tmp_path_factory.mktemp("adm")
    args = [a if a != "4096" or i != DEFAULT_ARGS.index("--max-body") + 1 else "32"
            for i, a in enumerate(DEFAULT_ARGS)]
    s = Server(*args, "--tls-listen", "127.0.0.1:0", "--tls-dir", str(d / "state"))
    s.tls_port = s.port_of("https")
    s.ca = str(d / "state" / "ca.pem")
    yield s
    s.close()


def connect(srv, row, alpn):
    if row["where"] != "tls":
        return socket.create_connection(("127.0.0.1", srv.port), timeout=5), "t"
    ctx = ssl.create_default_context(cafile=srv.ca)
    ctx.set_alpn_protocols([alpn])
    raw = socket.create_connection(("127.0.0.1", srv.tls_port), timeout=5)
    s = ctx.wrap_socket(raw, server_hostname="localhost")
    assert s.selected_alpn_protocol() == alpn
    return s, "localhost"


def recv_until(s, buf, done, limit):
    end = time.monotonic() + limit
    while not done(buf) and time.monotonic() < end:
        s.settimeout(max(0.01, end - time.monotonic()))
        try:
            b = s.recv(65536)
        except (socket.timeout, ssl.SSLError):
            break
        except ConnectionResetError:
            break
        if not b:
            break
        buf += b
    return buf


def finals(buf, head):
    try:
        rs = parse(buf, head=[0] if head else [], partial_ok=True)
    except ValueError:
        return [], []
    return [r for r in rs if r.status < 200], [r for r in rs if r.status >= 200]


def over_h1(srv, row):
    s, default_host = connect(srv, row, "http/1.1")
    host, extra = fields(row, default_host)
    body, streamed = content(row)
    head = f"{row['method']} {row['target']} HTTP/1.1\r\n"
    if host is not None:
        head += f"Host: {host}\r\n"
    head += "".join(f"{k}: {v}\r\n" for k, v in extra)
    if body is not None:
        head += "Transfer-Encoding: chunked\r\n" if streamed else f"Content-Length: {len(body)}\r\n"
    head += "Connection: close\r\n\r\n"
    wire = b"" if body is None else (b"%x\r\n%s\r\n0\r\n\r\n" % (len(body), body) if streamed else body)
    is_head = row["method"] == "HEAD"
    expects = any(k.lower() == "expect" for k, _ in extra)
    with s:
        s.sendall(head.encode())
        buf = b""
        if expects and body is not None:  # as curl: wait for a 100 (or the answer)
            buf = recv_until(s, buf, lambda b: b"\r\n\r\n" in b, WAIT_100)
            interim, final = finals(buf, is_head)
            if not final:
                s.sendall(wire)
        elif wire:
            try:
                s.sendall(wire)
            except OSError:
                pass  # refused and closed already
        buf = recv_until(s, buf, lambda b: finals(b, is_head)[1], 5)
    interim, final = finals(buf, is_head)
    assert final, f"no final response: {buf!r}"
    r = final[0]
    return (r.status, any(i.status == 100 for i in interim), r.header("allow"),
            r.body, None)


def over_h2(srv, row):
    s, default_host = connect(srv, row, "h2")
    host, extra = fields(row, default_host)
    body, streamed = content(row)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(
        client_side=True, validate_outbound_headers=False, normalize_outbound_headers=False))
    conn.initiate_connection()
    hdrs = [(":method", row["method"])]
    if row["method"] == "CONNECT":
        hdrs.append((":authority", row["target"]))
    else:
        hdrs += [(":scheme", "https" if row["where"] == "tls" else "http"),
                 (":path", row["target"])]
        if host is not None:
            hdrs.append((":authority", host))
    hdrs += [(k.lower(), v) for k, v in extra]
    if body is not None and not streamed:
        hdrs.append(("content-length", str(len(body))))
    sid = conn.get_next_available_stream_id()
    conn.send_headers(sid, hdrs, end_stream=body is None)
    st = {"headers": None, "interim": [], "data": b"", "ended": False, "reset": None}
    s.sendall(conn.data_to_send())

    def pump(limit):
        end = time.monotonic() + limit
        while not st["ended"] and time.monotonic() < end:
            s.settimeout(max(0.01, end - time.monotonic()))
            try:
                data = s.recv(65536)
            except (socket.timeout, ssl.SSLError):
                return
            if not data:
                st["ended"] = True
                return
            for ev in conn.receive_data(data):
                if isinstance(ev, h2.events.InformationalResponseReceived):
                    st["interim"].append(dict(ev.headers))
                    return  # a 100: the content may go now
                if isinstance(ev, h2.events.ResponseReceived):
                    st["headers"] = dict(ev.headers)
                elif isinstance(ev, h2.events.DataReceived):
                    st["data"] += ev.data
                    conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                elif isinstance(ev, h2.events.StreamEnded):
                    st["ended"] = True
                elif isinstance(ev, h2.events.StreamReset):
                    st["reset"] = ev.error_code
                    st["ended"] = True
            out = conn.data_to_send()
            if out:
                s.sendall(out)

    with s:
        if body is not None:
            if any(k.lower() == "expect" for k, _ in extra):
                pump(WAIT_100)
            if st["headers"] is None and not st["ended"]:
                conn.send_data(sid, body, end_stream=True)
                s.sendall(conn.data_to_send())
        while not st["ended"]:
            before = (st["headers"], len(st["data"]), len(st["interim"]))
            pump(5)
            if (st["headers"], len(st["data"]), len(st["interim"])) == before and not st["ended"]:
                break
    if st["headers"] is None:
        return ("reset", False, None, b"", st["reset"])
    h = st["headers"]
    allow = h.get(b"allow")
    return (int(h[b":status"]), any(i.get(b":status") == b"100" for i in st["interim"]),
            allow.decode() if allow else None, st["data"], st["reset"])


@pytest.mark.parametrize("proto", ["h1", "h2"])
@pytest.mark.parametrize("row", ROWS, ids=[r["name"] for r in ROWS])
def test_admission(srv, row, proto):
    status, got100, allow, body, _ = (over_h1 if proto == "h1" else over_h2)(srv, row)
    want = row["status"].split("/")
    want = want[0] if proto == "h1" or len(want) == 1 else want[1]
    assert str(status) == want, f"{row['name']} over {proto}: {status}"
    assert got100 == row["want100"], f"{row['name']} over {proto}: 100 sent: {got100}"
    if row["allow"] != "-":
        assert allow == row["allow"]
    if row["method"] == "HEAD":
        assert body == b""
