"""Issue 18, the second hardening pass: each test is one acceptance point
(an HPACK bomb, a stalled log pipe, a log sink that fails, a zero window,
obs-fold and OWS, TLS and h2c at the connection limit, a restart under HTTP/2
load, WebSocket limits). Each prints the figures it measured (run with -s).
Run one alone: python3 -m pytest -q tests/integration/test_hardening2.py -k bomb"""
import os
import socket
import time

from h2raw import RawFrames
from hyperframe.frame import GoAwayFrame, HeadersFrame, RstStreamFrame

SANITIZED = os.environ.get("HS_SANITIZED") == "1"
ENHANCE_YOUR_CALM = 0xB
TICK = os.sysconf("SC_CLK_TCK")


def cpu_s(pid):
    """User + system CPU time of a process so far, in seconds (/proc/PID/stat)."""
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_kib(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def bomb_frame(c, sid):
    """A 16 KB HEADERS frame that decodes to ~64 MB: one 4 KB value put in the
    dynamic table, then one-byte references to it (RFC 7541 §7.3)."""
    h = HeadersFrame(sid)
    big = c.enc.encode([("x-bomb", "b" * 4000)]) if sid == 1 else b""
    head = c.enc.encode([(":method", "GET"), (":path", "/get"), (":scheme", "http"),
                         (":authority", "t")])
    h.data = head + big + bytes([0xBE]) * (16000 - len(head) - len(big))  # index 62
    h.flags.add("END_HEADERS")
    h.flags.add("END_STREAM")
    return h.serialize()


def test_hpack_bomb_costs_little_cpu_and_ends_the_connection(make_server):
    # 100 bomb frames on one connection: the server must stop decoding each
    # block once it is over the limit and end the connection with GOAWAY
    # ENHANCE_YOUR_CALM, not decode 64 MB per frame
    s = make_server()
    c = RawFrames("127.0.0.1", s.port)
    frames = 100
    cpu0 = cpu_s(s.proc.pid)
    t0 = time.monotonic()
    sent = 0
    try:
        for i in range(frames):
            c.send(bomb_frame(c, 1 + 2 * i))
            sent += 1
    except (BrokenPipeError, ConnectionResetError):
        pass
    code, closed = None, False
    try:
        for f, _ in c.frames(lambda f: False, limit=20):
            if isinstance(f, GoAwayFrame):
                code = f.error_code
        else:
            closed = True
    except (TimeoutError, socket.timeout):  # the server neither answers nor closes
        pass
    cpu = cpu_s(s.proc.pid) - cpu0
    print(f"\nHPACK bomb: {sent} frames of 16 KB sent, server CPU {cpu * 1000:.0f} ms "
          f"({cpu * 1000 / frames:.2f} ms per frame), wall {time.monotonic() - t0:.2f} s, "
          f"GOAWAY code {code}")
    c.close()
    assert code == ENHANCE_YOUR_CALM and closed
    assert cpu / frames < 0.005, f"{cpu * 1000 / frames:.1f} ms of CPU per bomb frame"
    assert s.proc.poll() is None


FOLDS = [  # RFC 9112 §5.2: obs-fold refused, whatever the first line holds
    b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: \r\n chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length:\r\n 5\r\n\r\nhello",
    b"GET /get HTTP/1.1\r\nHost: x\r\nX-A: b\r\n c\r\n\r\n",
    b"GET /get HTTP/1.1\r\nHost: x\r\nX-A:\r\n\tc\r\n\r\n",
    b"GET /get HTTP/1.1\r\nHost:\r\n x\r\n\r\n",
    b"GET /get HTTP/1.1\r\n X-A: c\r\nHost: x\r\n\r\n",
    b"GET /get HTTP/1.1\r\nHost: x\r\nX-A: \r\n \r\n\r\n",
]
OWS = [  # RFC 9110 §5.5: OWS is SP or HTAB, around these values too
    b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\t\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /post HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\tchunked \t\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length: 5\t\r\n\r\nhello",
    b"POST /post HTTP/1.1\r\nHost: x\r\nContent-Length:\t5 \t\r\n\r\nhello",
]


def status_of(port, req):
    with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
        s.sendall(req)
        data = b""
        while b"\r\n" not in data:
            d = s.recv(4096)
            if not d:
                break
            data += d
        return int(data.split(b" ", 2)[1]), data


def test_obs_fold_refused_in_every_form_and_htab_ows_accepted(srv):
    got = [status_of(srv.port, r)[0] for r in FOLDS]
    print(f"\nobs-fold cases: {got}")
    assert got == [400] * len(FOLDS)
    answers = [status_of(srv.port, r) for r in OWS]
    print(f"OWS cases: {[a[0] for a in answers]}")
    for code, data in answers:
        assert code == 200 and b'"data": "hello"' in data
