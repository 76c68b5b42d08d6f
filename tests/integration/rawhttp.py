"""Raw-socket HTTP/1.1 helpers: send exact bytes, read everything back, split
the bytes into responses (interim 1xx included)."""
import socket
import time


class Response:
    def __init__(self, status, reason, headers, body, raw_head):
        self.status = status
        self.reason = reason
        self.headers = headers  # list of (name, value)
        self.body = body
        self.raw_head = raw_head

    def header(self, name, default=None):
        name = name.lower()
        for k, v in self.headers:
            if k.lower() == name:
                return v
        return default

    def header_all(self, name):
        name = name.lower()
        return [v for k, v in self.headers if k.lower() == name]

    def has(self, name):
        return self.header(name) is not None

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
        r = Response(status, reason, headers, b"", head_bytes)
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
