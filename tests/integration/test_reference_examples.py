"""Example exchanges that cannot lie (issue 17): every HTTP code's record in
JSON (/codes/{code}, Accept: application/json) carries example.request and
example.response as raw HTTP/1.1, made by running the request through the
server's own pipeline. Each request is replayed here against the server over
a socket: the status line and the header-field names must be the ones the
record shows.

Run: pytest tests/integration/test_reference_examples.py (each differing code
is named in the failure).
"""
import json
import socket
import urllib.request

import pytest
from conftest import DEFAULT_ARGS, Server
from rawhttp import parse


@pytest.fixture(scope="module")
def ref_srv():
    s = Server(*DEFAULT_ARGS)
    yield s
    s.close()


def get_json(srv, path):
    req = urllib.request.Request(srv.url + path, headers={"Accept": "application/json"})
    with urllib.request.urlopen(req, timeout=10) as r:
        return json.loads(r.read())


def heads(raw, is_head):
    """[(status line, [field names])] of the responses in raw bytes, interim
    ones (1xx) included."""
    return [(r.raw_head.split(b"\r\n", 1)[0], [k for k, _ in r.headers])
            for r in parse(raw, head=[0] if is_head else [], partial_ok=True)]


def replay(srv, code, url):
    """None when the example of `code` replays as shown, else what differs."""
    ex = get_json(srv, url).get("example")
    if not ex or set(ex) != {"request", "response"}:
        return f"{url}: no example {{request, response}}"
    request, response = ex["request"].encode("utf-8"), ex["response"].encode("utf-8")
    if not request.endswith(b"\r\n\r\n"):
        return f"{url}: the request is not raw HTTP/1.1"
    is_head = request.startswith(b"HEAD ")
    want = heads(response, is_head)
    if not want or int(want[0][0].split(b" ")[1]) != code:
        return f"{url}: the example answers {want[0][0] if want else None!r}"
    with socket.create_connection(("127.0.0.1", srv.port), timeout=5) as s:
        s.sendall(request)
        data = b""
        while len(heads(data, is_head)) < len(want) or not data.endswith(response[-8:]):
            try:
                b = s.recv(65536)
            except socket.timeout:
                break
            if not b:
                break
            data += b
    got = heads(data, is_head)
    return None if got == want else f"{url}: shown {want}, sent {got}"


def test_every_http_example_replays(ref_srv):
    codes = [(e["code"], e["url"]) for e in get_json(ref_srv, "/")["http"]]
    assert len(codes) > 60
    wrong = [w for w in (replay(ref_srv, c, u) for c, u in codes) if w]
    assert not wrong, "\n".join(wrong)
