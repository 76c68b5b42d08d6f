"""The raw-socket HTTP/1.1 client of every Python test suite (tests/integration,
tests/httpbin_diff): exact bytes out, the exchange exactly as it happened back
(interim 1xx responses, every header line with its repetitions, trailers after
a chunked body, content before any decoding).

  request(...)        the bytes of one request (a builder: pipelining is joining)
  exchange(port, b)   sends bytes, reads until the server closes or goes quiet
  parse(bytes)        splits what came back into Responses
  send(host, port, method, target, headers, body)
                      one request on a connection of its own, read strictly
                      (framing checked, chunked content de-chunked): a Response
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
    interim: list = field(default_factory=list)   # [(status, reason, headers)] (send)
    chunked: bool = False
    elapsed: float = 0.0
    raw_head: bytes = b""

    def header(self, name, default=None):
        """The first value of a header (case-insensitive), or default."""
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

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

    def __repr__(self):
        return f"<Response {self.status} {self.reason!r} {self.headers} body={self.body[:60]!r}>"


def exchange(port, data, timeout=3.0, shut_wr=False, read_for=None, host="127.0.0.1"):
    """Sends `data`, then reads until the server closes, `timeout` passes, or (if
    read_for is set) that many seconds pass. Returns (bytes, closed_by_server)."""
    s = socket.create_connection((host, port), timeout=timeout)
    try:
        if data:
            s.sendall(data)
        if shut_wr:
            s.shutdown(socket.SHUT_WR)
        return read_all(s, timeout=timeout, read_for=read_for)
    finally:
        s.close()


def read_all(s, timeout=3.0, read_for=None):
    chunks = []
    closed = False
    deadline = time.monotonic() + (read_for if read_for is not None else timeout)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            b = s.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            closed = True
            break
        if not b:
            closed = True
            break
        chunks.append(b)
    return b"".join(chunks), closed


def read_responses_from(s, n, head=(), timeout=3.0):
    """Reads exactly n final responses (plus interims) from socket s."""
    buf = b""
    deadline = time.monotonic() + timeout
    out = []
    while True:
        try:
            out = parse(buf, head=head, partial_ok=True)
        except ValueError:
            out = []
        finals = [r for r in out if r.status >= 200 or r.status == 101]
        if len(finals) >= n:
            return out
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"only {len(finals)} of {n} responses: {buf!r}")
        s.settimeout(left)
        b = s.recv(65536)
        if not b:
            raise ConnectionError(f"closed after {len(finals)} of {n} responses: {buf!r}")
        buf += b


def parse(data, head=(), partial_ok=False):
    """Splits bytes into responses. `head` holds the indexes (among final
    responses) of requests that were HEAD, whose responses have no content."""
    out = []
    pos = 0
    nfinal = 0
    while pos < len(data):
        end = data.find(b"\r\n\r\n", pos)
        if end < 0:
            if partial_ok:
                break
            raise ValueError(f"incomplete head: {data[pos:]!r}")
        head_bytes = data[pos:end]
        lines = head_bytes.split(b"\r\n")
        parts = lines[0].split(b" ", 2)
        if len(parts) < 2 or not parts[0].startswith(b"HTTP/"):
            raise ValueError(f"bad status line: {lines[0]!r}")
        status = int(parts[1])
        reason = parts[2].decode("latin-1") if len(parts) > 2 else ""
        headers = []
        for line in lines[1:]:
            k, _, v = line.partition(b":")
            headers.append((k.decode("latin-1"), v.strip().decode("latin-1")))
        pos = end + 4
        r = Response(status, reason, headers, b"", raw_head=head_bytes)
        if status < 200 and status != 101:
            out.append(r)
            continue
        no_body = status in (204, 304) or nfinal in head or status == 101
        cl = r.header("content-length")
        if no_body:
            body = b""
        elif cl is not None:
            n = int(cl)
            if pos + n > len(data):
                if partial_ok:
                    break
                raise ValueError("incomplete body")
            body = data[pos:pos + n]
            pos += n
        else:
            body = data[pos:]
            pos = len(data)
        r.body = body
        out.append(r)
        nfinal += 1
    return out


def request(method="GET", target="/", host="t", headers=(), body=b"", version="HTTP/1.1"):
    lines = [f"{method} {target} {version}"]
    if host is not None:
        lines.append(f"Host: {host}")
    for k, v in headers:
        lines.append(f"{k}: {v}")
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in headers):
        lines.append(f"Content-Length: {len(body)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


# ---- send(): one request, read strictly ----

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


def send(host, port, method, target, headers, body=b"", timeout=20.0):
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
