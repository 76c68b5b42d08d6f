"""WebSocket message memory (issue 13, item 9): the memory that large messages
hold is a server-wide budget (--ws-memory); a message that does not fit is
closed with 1013 (Try Again Later) before its bytes are buffered; what a
message held is given back once its echo has been written, and to the system
once the sessions are gone. Bounds are measured on the server's VmRSS."""
import os
import socket
import struct
import threading
import time

from wsraw import handshake, read_head

MiB = 1024 * 1024
# under ASan freed memory waits in a quarantine: RSS says nothing about it
SANITIZED = os.environ.get("HS_SANITIZED") == "1"
BINARY, CLOSE = 2, 8
ECHO = "/websocket/echo?max_message_size=16777216&max_fragment_size=1048576"


def rss(srv):
    """The server's resident memory, in bytes."""
    with open(f"/proc/{srv.proc.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


class PeakRss:
    """Samples the server's VmRSS every few milliseconds while it runs."""

    def __init__(self, srv):
        self.srv, self.peak, self.stop = srv, rss(srv), threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, rss(self.srv))
            time.sleep(0.003)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def header(n):
    """The head of one masked binary frame of n bytes (mask key 0, so the
    payload goes as it is: masking is still on, RFC 6455 §5.3)."""
    return bytes([0x80 | BINARY, 0x80 | 127]) + struct.pack(">Q", n) + b"\0\0\0\0"


def connect(srv):
    s = srv.connect(timeout=20)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
    handshake(s, srv, path=ECHO)
    head, rest = read_head(s)
    assert head.startswith("HTTP/1.1 101"), head
    return s, bytearray(rest)


def read_frame(s, buf):
    """The next server frame as (opcode, payload length, first payload bytes)."""
    def need(n):
        while len(buf) < n:
            chunk = s.recv(1 << 20)
            if not chunk:
                raise EOFError("connection closed")
            buf.extend(chunk)
    need(2)
    n, at = buf[1] & 0x7F, 2
    if n == 126:
        need(4)
        n, at = struct.unpack(">H", buf[2:4])[0], 4
    elif n == 127:
        need(10)
        n, at = struct.unpack(">Q", buf[2:10])[0], 10
    need(at + n)
    op, first = buf[0] & 0x0F, bytes(buf[at:at + min(n, 16)])
    del buf[:at + n]
    return op, n, first


def echo_or_close(s, buf, size):
    """Reads the echo of a message of `size` bytes (its fragments) or a
    Close: ("echo", bytes, first bytes) or ("close", code, reason)."""
    total, first = 0, None
    while total < size:
        op, n, head = read_frame(s, buf)
        if op == CLOSE:
            return "close", struct.unpack(">H", head[:2])[0], head[2:]
        first = head if first is None else first
        total += n
    return "echo", total, first


def test_ws_budget_bounds_memory_and_refuses_with_1013(make_server):
    """Ten clients each start a 16 MiB message with a 40 MiB budget: two fit,
    the others are closed with 1013 before their bytes are buffered; the
    server's memory grows by less than the budget and some slack (echoes are
    framed in the message's own buffer), and is given back when the sessions
    end."""
    srv = make_server("--ws-memory", "40m", "--ws-max-message", "16m", "--idle-timeout", "60s")
    size, half = 16 * MiB, 8 * MiB
    payload = bytes(range(256)) * (size // 256)
    conns = [connect(srv) for _ in range(10)]
    time.sleep(0.2)
    base = rss(srv)
    with PeakRss(srv) as peak:
        for s, _ in conns:  # every message begins before any ends,
            s.sendall(header(size) + payload[:half])
        for s, _ in conns:  # and all are complete before any echo is read
            try:
                s.sendall(payload[half:])
            except OSError:
                pass  # closed with 1013 and gone: nothing more to send
        results = [echo_or_close(s, buf, size) for s, buf in conns]
    echoes = [r for r in results if r[0] == "echo"]
    closes = [r for r in results if r[0] == "close"]
    growth = peak.peak - base
    print(f"peak RSS growth {growth / MiB:.0f} MiB, {len(echoes)} echoed, {len(closes)} closed")
    # the budget, and no second copy for the echoes (they are framed in place)
    assert SANITIZED or growth < 40 * MiB + 16 * MiB, f"RSS grew {growth / MiB:.0f} MiB"
    assert len(echoes) >= 1 and all(r[1] == size and r[2] == payload[:16] for r in echoes)
    assert len(closes) >= 1 and all(r[1] == 1013 for r in closes), closes
    for s, _ in conns:
        s.close()
    deadline = time.monotonic() + 5
    while rss(srv) - base > 16 * MiB and time.monotonic() < deadline:
        time.sleep(0.05)
    left = rss(srv) - base
    assert SANITIZED or left <= 16 * MiB, f"RSS still {left / MiB:.0f} MiB above"


def test_ws_budget_is_given_back_after_each_message(make_server):
    """With room for one 8 MiB message at a time, one client sends five in a
    row and a second client one after them: every message is echoed, so what
    each held was returned once its echo was written."""
    srv = make_server("--ws-memory", "12m", "--idle-timeout", "60s")
    size = 8 * MiB
    payload = b"\x5a" * size
    for messages in (5, 1):
        s, buf = connect(srv)
        with s:
            for _ in range(messages):
                s.sendall(header(size) + payload)
                kind, n, first = echo_or_close(s, buf, size)
                assert (kind, n, first) == ("echo", size, payload[:16])
