"""A small, strict HTTP/1.1 client over a raw socket.

Used instead of requests/httpx for sending because the differential test needs
to see the exchange exactly as it happened: interim 1xx responses, every header
line with its repetitions (Set-Cookie), trailers after a chunked body, and the
body bytes before any content decoding.  One request per connection
("Connection: close" is not added: the server decides, both sides get the same
request bytes).
"""
import socket
import time
from dataclasses import dataclass, field


class HTTPError(Exception):
    pass


@dataclass
class Response:
    status: int
    reason: str
    headers: list            # [(name, value)] in wire order, names as sent
    body: bytes              # de-chunked, NOT content-decoded
    trailers: list = field(default_factory=list)
    interim: list = field(default_factory=list)   # [(status, reason, headers)]
    chunked: bool = False
    elapsed: float = 0.0
    raw_head: bytes = b""

    def header(self, name, default=None):
        """Last value of a header (case-insensitive), or default."""
        name = name.lower()
        val = default
        for k, v in self.headers:
            if k.lower() == name:
                val = v
        return val

    def header_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    def has(self, name):
        return any(k.lower() == name.lower() for k, _ in self.headers)

    def trailer(self, name, default=None):
        name = name.lower()
        for k, v in self.trailers:
            if k.lower() == name:
                return v
        return default

    @property
    def content_type(self):
        return self.header("Content-Type", "")

    @property
    def mime(self):
        return self.content_type.split(";")[0].strip().lower()


class _Reader:
    def __init__(self, sock, deadline):
        self.sock = sock
        self.buf = b""
        self.eof = False
        self.deadline = deadline

    def _fill(self):
        if self.eof:
            return False
        left = self.deadline - time.monotonic()
        if left <= 0:
            raise HTTPError("timeout while reading the response")
        self.sock.settimeout(left)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            raise HTTPError("timeout while reading the response")
        except ConnectionResetError:
            data = b""
        if not data:
            self.eof = True
            return False
        self.buf += data
        return True

    def line(self, limit=65536):
        while b"\r\n" not in self.buf:
            if len(self.buf) > limit:
                raise HTTPError("line too long")
            if not self._fill():
                raise HTTPError("connection closed in the middle of a line: %r" % self.buf[:200])
        ln, self.buf = self.buf.split(b"\r\n", 1)
        return ln

    def exactly(self, n):
        while len(self.buf) < n:
            if not self._fill():
                raise HTTPError("connection closed after %d of %d body bytes" % (len(self.buf), n))
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def rest(self):
        while self._fill():
            pass
        out, self.buf = self.buf, b""
        return out


def _read_head(rd):
    status_line = rd.line()
    raw = status_line + b"\r\n"
    parts = status_line.decode("latin-1").split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
        raise HTTPError("bad status line %r" % status_line)
    status = int(parts[1])
    reason = parts[2] if len(parts) > 2 else ""
    headers = []
    while True:
        ln = rd.line()
        raw += ln + b"\r\n"
        if not ln:
            break
        if b":" not in ln:
            raise HTTPError("bad header line %r" % ln)
        k, v = ln.split(b":", 1)
        headers.append((k.decode("latin-1"), v.strip().decode("latin-1")))
    return status, reason, headers, raw


def _read_chunked(rd):
    body = b""
    while True:
        size_line = rd.line().split(b";", 1)[0].strip()
        size = int(size_line, 16)
        if size == 0:
            break
        body += rd.exactly(size)
        if rd.exactly(2) != b"\r\n":
            raise HTTPError("chunk not followed by CRLF")
    trailers = []
    while True:
        ln = rd.line()
        if not ln:
            break
        k, v = ln.split(b":", 1)
        trailers.append((k.decode("latin-1"), v.strip().decode("latin-1")))
    return body, trailers


def request(host, port, method, target, headers, body=b"", timeout=20.0):
    """Sends one request and reads the response (and any 1xx before it).

    headers: list of (name, value); Host is added first when missing.
    """
    if not any(k.lower() == "host" for k, _ in headers):
        headers = [("Host", "%s:%d" % (host, port))] + list(headers)
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers):
        headers = list(headers) + [("Content-Length", str(len(body)))]
    head = "%s %s HTTP/1.1\r\n" % (method, target)
    head += "".join("%s: %s\r\n" % (k, v) for k, v in headers) + "\r\n"
    data = head.encode("latin-1") + (body or b"")
    t0 = time.monotonic()
    deadline = t0 + timeout
    with socket.create_connection((host, port), timeout=timeout) as s:
        s.sendall(data)
        rd = _Reader(s, deadline)
        interim = []
        while True:
            status, reason, hdrs, raw = _read_head(rd)
            framed = any(k.lower() in ("content-length", "transfer-encoding") for k, _ in hdrs)
            if 100 <= status < 200 and status != 101 and not framed:
                interim.append((status, reason, hdrs))
                continue
            # A 1xx carrying body framing is a server sending 1xx as the final
            # status (httpbin does): read it as a final response.
            break
        resp = Response(status, reason, hdrs, b"", interim=interim, raw_head=raw)
        te = resp.header("Transfer-Encoding", "")
        cl = resp.header("Content-Length")
        if method == "HEAD" or status in (204, 304) or (status < 200 and not
                                                         ("chunked" in te.lower() or cl is not None)):
            pass
        elif "chunked" in te.lower():
            resp.body, resp.trailers = _read_chunked(rd)
            resp.chunked = True
        elif cl is not None:
            resp.body = rd.exactly(int(cl))
        else:
            resp.body = rd.rest()
    resp.elapsed = time.monotonic() - t0
    return resp
