"""CORS like httpbin (issue 4): every response carries Access-Control-Allow-Origin
(the request's Origin, or *) and Access-Control-Allow-Credentials: true; OPTIONS
is answered with Allow and the preflight fields (methods, max-age, the requested
headers). Checked with requests, httpx, curl and raw sockets, including error
answers produced before a request was fully parsed."""
import subprocess

import httpx
import pytest
import requests

from rawhttp import exchange, parse, request

PREFLIGHT_METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"}


def methods(v):
    return {m.strip() for m in v.split(",")}


@pytest.mark.parametrize("path,status", [
    ("/status/418", 418), ("/status/200", 200), ("/no/such/path", 404), ("/delay/abc", 400),
    ("/delay/0", 200), ("/stream/1", 200), ("/stream-bytes/3", 200), ("/drip?numbytes=1&duration=0", 200),
    ("/trailers", 200), ("/", 200)])
def test_every_response_allows_any_origin(srv, path, status):
    r = requests.get(srv.url + path, timeout=5)
    assert r.status_code == status
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Access-Control-Allow-Credentials"] == "true"
    assert "Access-Control-Allow-Methods" not in r.headers  # preflight only


def test_origin_is_echoed(srv):
    for path in ("/status/201", "/nope", "/stream/1"):
        r = requests.get(srv.url + path, headers={"Origin": "https://app.example"}, timeout=5)
        assert r.headers["Access-Control-Allow-Origin"] == "https://app.example"
        assert r.headers["Access-Control-Allow-Credentials"] == "true"
    r = requests.post(srv.url + "/status/405", data=b"x", headers={"Origin": "http://a.b"}, timeout=5)
    assert r.status_code == 405 and r.headers["Access-Control-Allow-Origin"] == "http://a.b"
    # the first Origin counts; an empty one is echoed empty, as httpbin does
    raw, _ = exchange(srv.port, request("GET", "/status/200", headers=[
        ("Origin", "http://one"), ("Origin", "http://two"), ("Connection", "close")]))
    assert parse(raw)[0].header("access-control-allow-origin") == "http://one"
    raw, _ = exchange(srv.port, request("GET", "/status/200", headers=[("Origin", ""), ("Connection", "close")]))
    assert parse(raw)[0].header("access-control-allow-origin") == ""


@pytest.mark.parametrize("path,allow", [
    ("/status/418", "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH"),
    ("/drip", "GET, HEAD, OPTIONS"), ("/delay/3", "GET, HEAD, OPTIONS"), ("/stream/2", "GET, HEAD, OPTIONS"),
    ("/trailers", "GET, HEAD, POST, PUT, DELETE, OPTIONS, TRACE, PATCH")])
def test_preflight(srv, path, allow):
    r = requests.options(srv.url + path, headers={
        "Origin": "http://example.com", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "X-Foo, Content-Type"}, timeout=5)
    assert r.status_code == 200 and r.content == b""
    assert r.headers["Content-Length"] == "0"
    assert r.headers["Access-Control-Allow-Origin"] == "http://example.com"
    assert r.headers["Access-Control-Allow-Credentials"] == "true"
    assert methods(r.headers["Access-Control-Allow-Methods"]) == PREFLIGHT_METHODS
    assert r.headers["Access-Control-Max-Age"] == "3600"
    assert r.headers["Access-Control-Allow-Headers"] == "X-Foo, Content-Type"
    assert r.headers["Allow"] == allow


def test_preflight_with_httpx_and_curl(srv):
    with httpx.Client(timeout=5) as c:
        r = c.request("OPTIONS", srv.url + "/status/418", headers={
            "Origin": "http://x.test", "Access-Control-Request-Method": "GET"})
    assert r.status_code == 200
    assert "access-control-allow-headers" not in r.headers  # none requested
    assert methods(r.headers["access-control-allow-methods"]) == PREFLIGHT_METHODS
    out = subprocess.run(["curl", "-s", "-i", "-X", "OPTIONS", "-H", "Origin: http://c.test",
                          "-H", "Access-Control-Request-Method: PUT", srv.url + "/stream/1"],
                         capture_output=True, timeout=10).stdout
    assert out.startswith(b"HTTP/1.1 200 OK\r\n")
    assert b"Access-Control-Allow-Origin: http://c.test\r\n" in out
    assert b"Access-Control-Max-Age: 3600\r\n" in out


def test_plain_options(srv):
    # an httpbin endpoint: 200 with Allow and the CORS preflight fields, as Flask sends
    r = requests.options(srv.url + "/drip", timeout=5)
    assert r.status_code == 200 and r.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert r.headers["Access-Control-Max-Age"] == "3600"
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    # /status/{code} answers OPTIONS itself when it is not a preflight
    r = requests.options(srv.url + "/status/202", timeout=5)
    assert r.status_code == 202 and r.headers["Access-Control-Max-Age"] == "3600"
    # the server's own pages keep 204
    r = requests.options(srv.url + "/", timeout=5)
    assert r.status_code == 204 and "Access-Control-Allow-Methods" in r.headers
    raw, _ = exchange(srv.port, request("OPTIONS", "*", headers=[("Connection", "close")]))
    assert parse(raw)[0].status == 204
    # an unknown path is 404, with CORS
    r = requests.options(srv.url + "/no/such", headers={"Origin": "http://a.b",
                                                         "Access-Control-Request-Method": "GET"}, timeout=5)
    assert r.status_code == 404 and r.headers["Access-Control-Allow-Origin"] == "http://a.b"


def test_errors_before_parsing_carry_cors(srv):
    raw, closed = exchange(srv.port, b"GET / HTTP/1.1\r\nHost: t\r\nX: a\rb\r\n\r\n")
    r = parse(raw)[0]
    assert r.status == 400 and closed
    assert r.header("access-control-allow-origin") == "*"
    raw, _ = exchange(srv.port, b"GET / HTTP/3.7\r\nHost: t\r\n\r\n")
    assert parse(raw)[0].header("access-control-allow-credentials") == "true"


def test_head_and_interim_responses(srv):
    r = requests.head(srv.url + "/status/200", headers={"Origin": "http://h"}, timeout=5)
    assert r.headers["Access-Control-Allow-Origin"] == "http://h"
    raw, _ = exchange(srv.port, request("GET", "/status/103", headers=[("Connection", "close")]))
    interim, final = parse(raw)
    assert interim.status == 103 and interim.header("access-control-allow-origin") is None
    assert final.header("access-control-allow-origin") == "*"
