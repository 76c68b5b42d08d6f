"""httpbin cookies: /cookies, /cookies/set?..., /cookies/set/{name}/{value},
/cookies/delete?... with requests and httpx sessions, curl's cookie jar and
raw sockets (exact Set-Cookie lines, Werkzeug's parsing and quoting)."""
import json
import subprocess

import httpx
import pytest
import requests

from rawhttp import read_responses_from, request

T = 5


def raw(srv, target, headers=(), host="t"):
    with srv.connect(timeout=T) as s:
        s.sendall(request("GET", target, host=host, headers=headers))
        (r,) = read_responses_from(s, 1, timeout=T)
    return r


def test_requests_session_set_then_delete(srv):
    with requests.Session() as s:
        r = s.get(srv.url + "/cookies/set", params=[("a", "1"), ("b", "two words")], timeout=T)
        assert r.status_code == 200 and r.url == srv.url + "/cookies"
        assert r.history[0].status_code == 302 and r.history[0].headers["Location"] == "/cookies"
        assert r.json() == {"cookies": {"a": "1", "b": "two words"}}
        assert s.cookies.get("b") == "\"two words\""   # the jar keeps the quoted form
        r = s.get(srv.url + "/cookies/set/c/3", timeout=T)
        assert r.json() == {"cookies": {"a": "1", "b": "two words", "c": "3"}}
        r = s.get(srv.url + "/cookies/delete?a&c=ignored", timeout=T)
        assert r.json() == {"cookies": {"b": "two words"}}
        assert "a" not in s.cookies and "c" not in s.cookies


def test_httpx_client_round_trip(srv):
    with httpx.Client(timeout=T, follow_redirects=True) as c:
        r = c.get(srv.url + "/cookies/set", params={"k": "v=1;2", "u": "é"})
        assert r.json() == {"cookies": {"k": "v=1;2", "u": "é"}}
        r = c.get(srv.url + "/cookies/delete", params={"k": ""})
        assert r.json() == {"cookies": {"u": "é"}}


def test_curl_cookie_jar(srv, tmp_path):
    jar = tmp_path / "jar.txt"
    base = ["curl", "-s", "--max-time", str(T), "-b", str(jar), "-c", str(jar), "-L"]
    out = subprocess.run(base + [srv.url + "/cookies/set/session/abc123"], capture_output=True,
                         timeout=T + 2, check=True).stdout
    assert json.loads(out) == {"cookies": {"session": "abc123"}}
    out = subprocess.run(base + [srv.url + "/cookies"], capture_output=True, timeout=T + 2, check=True).stdout
    assert json.loads(out) == {"cookies": {"session": "abc123"}}
    out = subprocess.run(base + [srv.url + "/cookies/delete?session"], capture_output=True,
                         timeout=T + 2, check=True).stdout
    assert json.loads(out) == {"cookies": {}}


@pytest.mark.parametrize("query,lines", [
    ("a=1&b=2", ["a=1; Path=/", "b=2; Path=/"]),
    ("a=1&a=2&b=3", ["a=1; Path=/", "b=3; Path=/"]),            # first value of a repeated name
    ("k=a%20b", ['k="a b"; Path=/']),                              # Werkzeug quotes, keeps the space
    ("k=x%3By%2Cz", ['k="x\\073y\\054z"; Path=/']),                # ; and , as octal escapes
    ("k=%22q%22%5C", ['k="\\"q\\"\\\\"; Path=/']),                 # " and \\ backslash-escaped
    ("k=%C3%A9", ['k="\\303\\251"; Path=/']),                      # UTF-8 bytes as octal
    ("k=%FF", ['k="\\357\\277\\275"; Path=/']),                    # invalid UTF-8 → U+FFFD
    ("k=a:b/c%3Dd!%23$%26'*%2B-.%5E_%60%7C~", ["k=a:b/c=d!#$&'*+-.^_`|~; Path=/"]),  # all legal
    ("k=", ["k=; Path=/"]),
    ("", []),
])
def test_set_cookie_lines(srv, query, lines):
    r = raw(srv, "/cookies/set?" + query)
    assert r.status == 302 and r.header("Location") == "/cookies"
    assert r.header_all("Set-Cookie") == lines


def test_set_cookie_secure_behind_https_proxy(srv):
    r = raw(srv, "/cookies/set?a=1", headers=(("X-Forwarded-Proto", "https"),))
    assert r.header_all("Set-Cookie") == ["a=1; Secure; Path=/"]
    r = raw(srv, "/cookies/set/n/v", headers=(("X-Forwarded-Ssl", "on"),))
    assert r.header_all("Set-Cookie") == ["n=v; Secure; Path=/"]
    r = raw(srv, "/cookies/delete?a", headers=(("X-Forwarded-Proto", "https"),))
    assert r.header_all("Set-Cookie") == ["a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"]


def test_set_path_form_decodes_segments(srv):
    r = raw(srv, "/cookies/set/na%2Dme/va%20lue")
    assert r.header_all("Set-Cookie") == ['na-me="va lue"; Path=/']
    assert b"Redirecting..." in r.body and r.header("Content-Type") == "text/html; charset=utf-8"


def test_delete_lines(srv):
    r = raw(srv, "/cookies/delete?a&b=2&a")
    assert r.header_all("Set-Cookie") == [
        "a=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/",
        "b=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; Path=/"]
    assert raw(srv, "/cookies/delete").header_all("Set-Cookie") == []


@pytest.mark.parametrize("target", ["/cookies/set?a%20b=1", "/cookies/set?a;b=1", "/cookies/set/a%3Db/1",
                                    "/cookies/delete?%0d%0aX:y", "/cookies/set?%C3%A9=1"])
def test_invalid_cookie_names(srv, target):
    r = raw(srv, target)
    assert r.status == 400 and b"cookie name" in r.body and not r.has("Set-Cookie")


@pytest.mark.parametrize("target", ["/cookies/set/a", "/cookies/set/a/", "/cookies/set//b", "/cookies/set/a/b/c",
                                    "/cookies/", "/cookies/x"])
def test_path_form_404(srv, target):
    assert raw(srv, target).status == 404


@pytest.mark.parametrize("cookie,want", [
    ("a=1; b=two", {"a": "1", "b": "two"}),
    ("a=1;b=2;;c", {"a": "1", "b": "2", "c": ""}),
    ("a=1; a=2", {"a": "1"}),                                      # first wins
    ('q="x\\073y\\"z"', {"q": 'x;y"z'}),                           # quoted: escapes decoded
    ('q="unterminated', {"q": '"unterminated'}),
    ("  sp  =  v w  ; x=", {"sp": "v w", "x": ""}),
    ("eq=a=b=c", {"eq": "a=b=c"}),
    ("=lead; z=1", {"z": "1"}),                                    # empty name: skipped
    ("a=1; =; ;b=2", {"a": "1", "b": "2"}),
    ('a="b"c; d=1', {"a": '"b"c', "d": "1"}),
    ("u=%C3%A9", {"u": "%C3%A9"}),                                 # no percent-decoding
])
def test_cookie_parsing(srv, cookie, want):
    r = raw(srv, "/cookies", headers=(("Cookie", cookie),))
    assert r.status == 200 and r.header("Content-Type") == "application/json"
    assert json.loads(r.body) == {"cookies": want}


def test_cookie_raw_utf8_and_invalid_bytes(srv):
    with srv.connect(timeout=T) as s:
        s.sendall(b"GET /cookies HTTP/1.1\r\nHost: t\r\nCookie: u=\xc3\xa9; v=\xff\r\n\r\n")
        (r,) = read_responses_from(s, 1, timeout=T)
    assert json.loads(r.body) == {"cookies": {"u": "é", "v": "\ufffd"}}


def test_several_cookie_fields(srv):
    r = raw(srv, "/cookies", headers=(("Cookie", "a=1"), ("Cookie", "b=2; a=3")))
    assert json.loads(r.body) == {"cookies": {"a": "1", "b": "2"}}


def test_env_cookies_hidden_unless_show_env(srv):
    c = "a=1; __utma=x; __utmb=y; __utmz=z; _gauges_unique=1; _gauges_unique_hour=2"
    assert json.loads(raw(srv, "/cookies", headers=(("Cookie", c),)).body) == {"cookies": {"a": "1"}}
    got = json.loads(raw(srv, "/cookies?show_env", headers=(("Cookie", c),)).body)["cookies"]
    assert set(got) == {"a", "__utma", "__utmb", "__utmz", "_gauges_unique", "_gauges_unique_hour"}


def test_cookies_json_layout_and_head(srv):
    r = requests.get(srv.url + "/cookies", cookies={"b": "2", "a": "1"}, timeout=T)
    assert r.text == '{\n  "cookies": {\n    "a": "1",\n    "b": "2"\n  }\n}\n'
    h = requests.head(srv.url + "/cookies", cookies={"b": "2", "a": "1"}, timeout=T)
    assert h.status_code == 200 and h.content == b""
    assert int(h.headers["Content-Length"]) == len(r.content)
    assert requests.post(srv.url + "/cookies", timeout=T).status_code == 405
