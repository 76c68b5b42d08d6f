"""Example exchanges that cannot lie (issue 17): every HTTP code's record in
JSON (/codes/{code}, Accept: application/json) carries example.request and
example.response as raw HTTP/1.1, made by running the request through the
server's own pipeline. Each request is replayed here against the server over
a socket: the status line and the header-field names must be the ones the
record shows.

One code: pytest -k 418 tests/integration/test_reference_examples.py
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


def http_codes():
    """The codes of the home page's HTTP list (read once, from a server of its own)."""
    s = Server(*DEFAULT_ARGS)
    try:
        return [(e["code"], e["url"]) for e in get_json(s, "/")["http"]]
    finally:
        s.close()


CODES = http_codes()


def heads(raw, is_head):
    """[(status line, [field names])] of the responses in raw bytes, interim
    ones (1xx) included."""
    return [(r.raw_head.split(b"\r\n", 1)[0], [k for k, _ in r.headers])
            for r in parse(raw, head=[0] if is_head else [], partial_ok=True)]


def test_every_http_record_has_an_example():
    assert len(CODES) > 60


@pytest.mark.parametrize("code,url", CODES, ids=[str(c) for c, _ in CODES])
def test_example_replays(ref_srv, code, url):
    rec = get_json(ref_srv, url)
    ex = rec["example"]
    assert set(ex) == {"request", "response"}
    request, response = ex["request"].encode("utf-8"), ex["response"].encode("utf-8")
    assert request.endswith(b"\r\n\r\n")
    is_head = request.startswith(b"HEAD ")
    want = heads(response, is_head)
    assert want and int(want[0][0].split(b" ")[1]) == code, \
        f"the example of {code} answers {want[0][0]!r}"
    with socket.create_connection(("127.0.0.1", ref_srv.port), timeout=5) as s:
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
    assert heads(data, is_head) == want
