"""httpbin caching: /cache (304 on If-Modified-Since / If-None-Match),
/cache/{n} (Cache-Control) and /etag/{etag} (RFC 9110 §13: If-Match before
If-None-Match, weak and strong comparison, lists, `*`), with requests, httpx,
curl and raw sockets."""
import email.utils
import json
import re
import subprocess

import httpx
import pytest
import requests

from rawhttp import read_responses_from, request

T = 5


def raw(srv, target, headers=(), method="GET"):
    with srv.connect(timeout=T) as s:
        s.sendall(request(method, target, host=f"127.0.0.1:{srv.port}", headers=headers))
        (r,) = read_responses_from(s, 1, head=(0,) if method == "HEAD" else (), timeout=T)
    return r


# ---- /cache

def test_cache_plain(srv):
    r = requests.get(srv.url + "/cache?a=1", timeout=T)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    body = r.json()
    assert set(body) == {"args", "headers", "origin", "url"} and body["args"] == {"a": "1"}
    assert re.fullmatch(r'"[0-9a-f]{32}"', r.headers["ETag"])
    lm = email.utils.parsedate_to_datetime(r.headers["Last-Modified"])
    assert lm.tzinfo is not None and r.headers["Last-Modified"].endswith(" GMT")
    assert requests.get(srv.url + "/cache", timeout=T).headers["ETag"] != r.headers["ETag"]


def test_cache_revalidation_with_httpx(srv):
    with httpx.Client(timeout=T) as c:
        first = c.get(srv.url + "/cache")
        r = c.get(srv.url + "/cache", headers={"If-None-Match": first.headers["etag"]})
        assert r.status_code == 304 and r.content == b""
        r = c.get(srv.url + "/cache", headers={"If-Modified-Since": first.headers["last-modified"]})
        assert r.status_code == 304


@pytest.mark.parametrize("headers,status", [
    ((("If-Modified-Since", "Sat, 01 Jan 2000 00:00:00 GMT"),), 304),
    ((("If-Modified-Since", "garbage"),), 304),             # httpbin does not look at the value
    ((("If-None-Match", '"x"'),), 304),
    ((("If-None-Match", ""),), 304),
    ((("If-Modified-Since", ""),), 200),                    # empty If-Modified-Since alone: not conditional
    ((), 200),
])
def test_cache_conditionals(srv, headers, status):
    r = raw(srv, "/cache", headers=headers)
    assert r.status == status
    if status == 304:
        assert r.body == b"" and not r.has("Content-Type") and not r.has("Content-Length")


def test_cache_304_with_curl(srv):
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", str(T),
                          "-z", "Sat, 01 Jan 2000 00:00:00 GMT", srv.url + "/cache"],
                         capture_output=True, text=True, timeout=T + 2).stdout
    assert out == "304"


def test_cache_head(srv):
    g = raw(srv, "/cache")
    h = raw(srv, "/cache", method="HEAD")
    assert h.status == 200 and h.body == b"" and h.header("Content-Length") == g.header("Content-Length")
    assert h.has("ETag") and h.has("Last-Modified")


# ---- /cache/{n}

@pytest.mark.parametrize("n,want", [("60", "60"), ("0", "0"), ("007", "7"), ("2147483648", "2147483648"),
                                    ("99999999999999999999999", "2147483648")])
def test_cache_control(srv, n, want):
    r = requests.get(srv.url + "/cache/" + n, timeout=T)
    assert r.status_code == 200 and r.headers["Cache-Control"] == f"public, max-age={want}"
    assert r.json()["url"].endswith("/cache/" + n)


@pytest.mark.parametrize("n", ["abc", "-1", "1.5", "", "1/2"])
def test_cache_control_404(srv, n):
    assert raw(srv, "/cache/" + n).status == 404


# ---- /etag/{etag}

def test_etag_plain(srv):
    r = requests.get(srv.url + "/etag/abc", timeout=T)
    assert r.status_code == 200 and r.headers["ETag"] == '"abc"'
    assert set(r.json()) == {"args", "headers", "origin", "url"}


@pytest.mark.parametrize("inm,status", [
    ('"abc"', 304), ('W/"abc"', 304), ('W/"abc", "x"', 304), ('"x", "abc"', 304), ("*", 304),
    ("abc", 304),                  # unquoted, as httpbin accepts
    ('"x",W/"abc"', 304), (' "abc" ', 304),
    ('"zzz"', 200), ('"ab"', 200), ('"abcd"', 200), ('W/"x"', 200), ('"*"', 200), ("", 200)])
def test_etag_if_none_match(srv, inm, status):
    r = raw(srv, "/etag/abc", headers=(("If-None-Match", inm),))
    assert r.status == status
    assert r.header("ETag") == '"abc"'
    if status == 304:
        assert r.body == b"" and not r.has("Content-Type")


@pytest.mark.parametrize("im,status", [
    ('"abc"', 200), ("*", 200), ('"x", "abc"', 200), ("abc", 200),
    ('"zzz"', 412), ('W/"abc"', 412),          # If-Match uses the strong comparison (RFC 9110 §13.1.1)
    ('"x", W/"abc"', 412), ("", 200), (" , ", 200)])   # an empty list is ignored, like httpbin
def test_etag_if_match(srv, im, status):
    r = raw(srv, "/etag/abc", headers=(("If-Match", im),))
    assert r.status == status
    if status == 412:
        assert r.body == b"" and not r.has("ETag")
    else:
        assert r.header("ETag") == '"abc"'


@pytest.mark.parametrize("im,inm,status", [
    ('"zzz"', '"zzz"', 412),    # If-Match first (difference 12)
    ('"abc"', '"abc"', 304),
    ('"abc"', '"zzz"', 200),
    ("*", "*", 304)])
def test_etag_precedence(srv, im, inm, status):
    r = raw(srv, "/etag/abc", headers=(("If-Match", im), ("If-None-Match", inm)))
    assert r.status == status


def test_etag_revalidation_with_clients(srv):
    url = srv.url + "/etag/v1.2-x"
    r = requests.get(url, timeout=T)
    assert r.headers["ETag"] == '"v1.2-x"'
    assert requests.get(url, headers={"If-None-Match": r.headers["ETag"]}, timeout=T).status_code == 304
    with httpx.Client(timeout=T) as c:
        assert c.get(url, headers={"If-Match": '"nope"'}).status_code == 412
        assert c.put(url).status_code == 405
    out = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", str(T),
                          "-H", 'If-None-Match: W/"v1.2-x"', url], capture_output=True, text=True,
                         timeout=T + 2).stdout
    assert out == "304"


@pytest.mark.parametrize("tag,quoted", [("%C3%A9t%C3%A9", '"\xc3\xa9t\xc3\xa9"'), ("a%2Fb", '"a/b"'),
                                        ("W", '"W"'), ("%2A", '"*"')])
def test_etag_escaped_values(srv, tag, quoted):
    r = raw(srv, "/etag/" + tag)
    assert r.status == 200 and r.header("ETag") == quoted


@pytest.mark.parametrize("tag", ["a%20b", "a%22b", "%0d%0aX:y", "%7F"])
def test_etag_invalid_values(srv, tag):
    r = raw(srv, "/etag/" + tag)
    assert r.status == 400 and not r.has("ETag") and b"etag" in r.body


@pytest.mark.parametrize("path", ["/etag/", "/etag", "/etag/a/b"])
def test_etag_404(srv, path):
    assert raw(srv, path).status == 404


def test_etag_head(srv):
    r = raw(srv, "/etag/abc", method="HEAD", headers=(("If-None-Match", '"abc"'),))
    assert r.status == 304
    r = raw(srv, "/etag/abc", method="HEAD")
    assert r.status == 200 and r.header("ETag") == '"abc"' and int(r.header("Content-Length")) > 0
    assert json.loads(raw(srv, "/etag/abc").body)["url"].endswith("/etag/abc")
