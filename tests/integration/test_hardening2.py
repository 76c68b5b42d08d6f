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
