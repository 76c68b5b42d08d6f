"""Raw-socket WebSocket helpers for the integration tests: what a client
library hides (unmasked frames, reserved bits, broken handshakes)."""
import base64
import os
import struct

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def handshake(s, srv, path="/websocket/echo", extra=b"", key=None, version=b"13", headers=b""):
    """Sends an opening handshake (and `extra` bytes right behind it)."""
    key = key or base64.b64encode(os.urandom(16))
    req = (b"GET " + path.encode() + b" HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\n"
           b"Connection: Upgrade\r\nSec-WebSocket-Key: " + key +
           b"\r\nSec-WebSocket-Version: " + version + b"\r\n" + headers + b"\r\n")
    s.sendall(req + extra)
    return key


def read_head(s):
    """The response head (text) and the bytes after it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            break
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1"), rest


def head_fields(head):
    lines = head.split("\r\n")
    return {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:]}


def frame(opcode, payload, fin=True, mask=True, rsv=0):
    """A client frame; rsv is the 3 reserved bits (4 = RSV1)."""
    b0 = (0x80 if fin else 0) | (rsv << 4) | opcode
    m = os.urandom(4)
    n = len(payload)
    mbit = 0x80 if mask else 0
    if n < 126:
        hdr = bytes([b0, mbit | n])
    elif n < 65536:
        hdr = bytes([b0, mbit | 126]) + struct.pack(">H", n)
    else:
        hdr = bytes([b0, mbit | 127]) + struct.pack(">Q", n)
    if not mask:
        return hdr + payload
    return hdr + m + bytes(c ^ m[i % 4] for i, c in enumerate(payload))


class FrameReader:
    """Reads server frames from a socket (after the handshake's head)."""

    def __init__(self, s, buf=b""):
        self.s, self.buf = s, buf

    def exactly(self, n):
        while len(self.buf) < n:
            chunk = self.s.recv(65536)
            if not chunk:
                raise EOFError("connection closed")
            self.buf += chunk
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def next(self):
        b0, b1 = self.exactly(2)
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack(">H", self.exactly(2))[0]
        elif n == 127:
            n = struct.unpack(">Q", self.exactly(8))[0]
        assert not b1 & 0x80, "server frames are never masked"
        return b0 & 0x80, b0 & 0x0F, self.exactly(n)

    def close_frame(self):
        """The next frame, which must be a Close: (code, reason)."""
        fin, op, data = self.next()
        assert op == 8, f"expected Close, got opcode {op} {data!r}"
        if not data:
            return None, ""
        return struct.unpack(">H", data[:2])[0], data[2:].decode()

    def eof(self, timeout=5):
        """Does the server close the TCP connection (within timeout)?"""
        self.s.settimeout(timeout)
        try:
            while True:
                self.next()
        except EOFError:
            return True
        except ConnectionResetError:
            return True


def opened(srv, path="/websocket/echo", headers=b"", extra=b""):
    """A socket after a successful handshake, with its FrameReader and head."""
    s = srv.connect()
    handshake(s, srv, path=path, headers=headers, extra=extra)
    head, rest = read_head(s)
    assert head.startswith("HTTP/1.1 101"), head
    return s, FrameReader(s, rest), head
