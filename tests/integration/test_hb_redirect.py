"""httpbin redirects: /redirect/{n} (?absolute=true), /relative-redirect/{n},
/absolute-redirect/{n}, /redirect-to (every method, any 3xx) and the
--redirect-allow allow-list, with requests, httpx, curl and raw sockets."""
import subprocess

import httpx
import pytest
import requests

from rawhttp import read_responses_from, request

T = 5  # seconds, every client call


def raw(srv, target, method="GET", headers=(), body=b"", host=None):
    """One request on its own connection; the parsed response."""
    with srv.connect(timeout=T) as s:
        s.sendall(request(method, target, host=host or f"127.0.0.1:{srv.port}", headers=headers, body=body))
        resps = read_responses_from(s, 1, head=(0,) if method == "HEAD" else (), timeout=T)
    assert len(resps) == 1, resps
    return resps[0]


# ---- /redirect/{n}, /relative-redirect/{n}, /absolute-redirect/{n}

def test_requests_follows_redirect_chain(srv):
    r = requests.get(srv.url + "/redirect/3", timeout=T)
    assert r.status_code == 200 and r.url == srv.url + "/get"
    assert [h.status_code for h in r.history] == [302, 302, 302]
    assert [h.headers["Location"] for h in r.history] == [
        "/relative-redirect/2", "/relative-redirect/1", "/get"]
    assert r.history[0].headers["Content-Type"] == "text/html; charset=utf-8"
    assert b"Redirecting..." in r.history[0].content


def test_httpx_absolute_chain(srv):
    with httpx.Client(timeout=T, follow_redirects=True) as c:
        r = c.get(srv.url + "/redirect/3", params={"absolute": "TRUE"})
    assert r.status_code == 200 and str(r.url) == srv.url + "/get"
    assert [h.headers["location"] for h in r.history] == [
        srv.url + "/absolute-redirect/2", srv.url + "/absolute-redirect/1", srv.url + "/get"]


@pytest.mark.parametrize("value,loc", [
    ("true", "http://h.test/absolute-redirect/1"), ("True", "http://h.test/absolute-redirect/1"),
    ("false", "/relative-redirect/1"), ("1", "/relative-redirect/1"), ("", "/relative-redirect/1")])
def test_redirect_absolute_flag(srv, value, loc):
    r = raw(srv, "/redirect/2?absolute=" + value, host="h.test")
    assert r.status == 302 and r.header("Location") == loc


def test_redirect_one_absolute_goes_to_get(srv):
    r = raw(srv, "/redirect/1?absolute=true", host="example.com:8080")
    assert r.header("Location") == "http://example.com:8080/get"


def test_relative_redirect_has_empty_body(srv):
    r = raw(srv, "/relative-redirect/3")
    assert r.status == 302 and r.header("Location") == "/relative-redirect/2"
    assert r.body == b"" and r.header("Content-Type") == "text/html; charset=utf-8"
    assert raw(srv, "/relative-redirect/1").header("Location") == "/get"


def test_absolute_redirect_uses_host_header_and_forwarded_scheme(srv):
    r = raw(srv, "/absolute-redirect/2", host="example.com")
    assert r.header("Location") == "http://example.com/absolute-redirect/1"
    r = raw(srv, "/absolute-redirect/1", host="example.com", headers=(("X-Forwarded-Proto", "https"),))
    assert r.header("Location") == "https://example.com/get"
    for name, value in (("X-Forwarded-Protocol", "ssl"), ("X-Forwarded-Ssl", "on")):
        r = raw(srv, "/absolute-redirect/1", host="h", headers=((name, value),))
        assert r.header("Location") == "https://h/get"
    for name, value in (("X-Forwarded-Proto", "HTTPS"), ("X-Forwarded-Ssl", "1"), ("X-Forwarded-Proto", "http")):
        r = raw(srv, "/absolute-redirect/1", host="h", headers=((name, value),))
        assert r.header("Location") == "http://h/get"   # gunicorn compares the values exactly
    r = raw(srv, "/absolute-redirect/1", host="example.com:80")
    assert r.header("Location") == "http://example.com/get"   # default port dropped, like Werkzeug


def test_curl_follows_absolute_redirects(srv):
    out = subprocess.run(["curl", "-s", "-L", "-o", "/dev/null", "-w", "%{http_code} %{num_redirects} %{url_effective}",
                          "--max-time", str(T), srv.url + "/absolute-redirect/4"],
                         capture_output=True, text=True, timeout=T + 2).stdout
    assert out == f"200 4 {srv.url}/get"


@pytest.mark.parametrize("target,loc", [
    ("/redirect/010", "/relative-redirect/9"), ("/relative-redirect/100", "/relative-redirect/99"),
    ("/redirect/123456789012345678901234567890", "/relative-redirect/123456789012345678901234567889"),
    ("/redirect/0001", "/get")])
def test_redirect_numbers(srv, target, loc):
    assert raw(srv, target).header("Location") == loc


@pytest.mark.parametrize("target,status", [
    ("/redirect/0", 400), ("/relative-redirect/0", 400), ("/absolute-redirect/000", 400),
    ("/redirect/-1", 404), ("/redirect/x", 404), ("/redirect/", 404), ("/redirect/1.5", 404),
    ("/redirect/1/", 404), ("/redirect/" + "9" * 100, 400)])
def test_redirect_bad_numbers(srv, target, status):
    r = raw(srv, target)
    assert r.status == status and not r.has("Location")
    if status == 400:
        assert b"redirect" in r.body


def test_redirect_head_and_methods(srv):
    r = raw(srv, "/redirect/2", method="HEAD")
    assert r.status == 302 and r.body == b"" and int(r.header("Content-Length")) > 0
    r = raw(srv, "/redirect/2", method="POST")
    assert r.status == 405 and set(map(str.strip, r.header("Allow").split(","))) >= {"GET", "HEAD"}


# ---- /redirect-to

@pytest.mark.parametrize("code", [300, 301, 302, 303, 304, 305, 307, 308, 399])
def test_redirect_to_status_codes(srv, code):
    r = requests.get(srv.url + "/redirect-to", params={"url": "/get", "status_code": code},
                     allow_redirects=False, timeout=T)
    assert r.status_code == code and r.headers["Location"] == "/get"


@pytest.mark.parametrize("sc", ["200", "400", "-302", "1000", " 307 "])
def test_redirect_to_status_out_of_range_or_spaced(srv, sc):
    r = requests.get(srv.url + "/redirect-to", params={"url": "/get", "status_code": sc},
                     allow_redirects=False, timeout=T)
    assert r.status_code == (307 if sc.strip() == "307" else 302)


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE", "HEAD"])
def test_redirect_to_every_method(srv, method):
    r = requests.request(method, srv.url + "/redirect-to?url=/status/201&status_code=307",
                         allow_redirects=False, timeout=T)
    assert r.status_code == 307 and r.headers["Location"] == "/status/201"


def test_redirect_to_307_keeps_method_and_body(srv):
    with httpx.Client(timeout=T, follow_redirects=True) as c:
        r = c.post(srv.url + "/redirect-to", params={"url": "/status/201", "status_code": "307"},
                   content=b"payload")
    assert r.status_code == 201 and r.request.method == "POST" and r.history[0].status_code == 307
    r = requests.post(srv.url + "/redirect-to?url=/status/201&status_code=303", data=b"x", timeout=T)
    assert r.status_code == 201 and r.request.method == "GET"   # 303: the client switches to GET


def test_redirect_to_case_insensitive_params_and_verbatim_url(srv):
    r = raw(srv, "/redirect-to?URL=http%3A%2F%2Fexample.com%2Fa%3Fb%3D1%26c&STATUS_CODE=301")
    assert r.status == 301 and r.header("Location") == "http://example.com/a?b=1&c"
    r = raw(srv, "/redirect-to?url=/x&url=/y")                 # first value of a repeated key
    assert r.header("Location") == "/x"
    r = raw(srv, "/redirect-to?URL=/x&url=/y&Url=/z")          # first matching name, like httpbin
    assert r.header("Location") == "/x"


@pytest.mark.parametrize("query,loc", [
    ("url=a+b%20c", "a%20b%20c"),                                # whitespace written %XX, like Werkzeug
    ("url=%20%09/x%20", "/x"),                                   # surrounding whitespace dropped
    ("url=/a%0d%0aSet-Cookie:%20x=1", "/a%0D%0ASet-Cookie:%20x=1"),  # no header injection
    ("url=/a%00b%7f", "/a%00b%7F"),
    ("url=/%3Ca%3E%22q%22", '/<a>"q"'),                          # other ASCII as given
])
def test_redirect_to_location_encoding(srv, query, loc):
    r = raw(srv, "/redirect-to?" + query)
    assert r.status == 302 and r.header("Location") == loc and not r.has("Set-Cookie")


def test_redirect_to_utf8_location(srv):
    r = raw(srv, "/redirect-to?url=http%3A%2F%2Fexample.com%2F%C3%A9")
    assert b"\r\nLocation: http://example.com/\xc3\xa9\r\n" in r.raw_head


@pytest.mark.parametrize("query,needle", [
    ("", b"url"), ("status_code=301", b"url"), ("url=/get&status_code=abc", b"status_code"),
    ("url=/get&status_code=3.0", b"status_code")])
def test_redirect_to_bad_input(srv, query, needle):
    r = raw(srv, "/redirect-to?" + query)
    assert r.status == 400 and needle in r.body and not r.has("Location") and not r.has("Set-Cookie")


def test_redirect_to_options_lists_methods(srv):
    r = requests.options(srv.url + "/redirect-to", timeout=T)
    allow = {m.strip() for m in r.headers["Allow"].split(",")}
    assert allow >= {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS"}


def test_redirect_to_default_allows_anything(srv):
    for url in ("http://evil.example/", "//evil.example", "javascript:alert(1)"):
        r = requests.get(srv.url + "/redirect-to", params={"url": url}, allow_redirects=False, timeout=T)
        assert r.status_code == 302 and r.headers["Location"] == url


# ---- the allow-list (serve --redirect-allow HOSTS)

@pytest.fixture(scope="module")
def allow_srv():
    from conftest import DEFAULT_ARGS, Server
    s = Server(*DEFAULT_ARGS, "--redirect-allow", "example.com, *.trusted.test,[::1]")
    yield s
    s.close()


ALLOWED = ["/get", "get?x=1", "#frag", "?q=1", "http://example.com/", "HTTPS://EXAMPLE.COM:8443/x",
           "http://example.com./", "//example.com/p", "http://user:pw@example.com/",
           "https://a.trusted.test/", "https://a.b.trusted.test:1/", "http://[::1]:8080/",
           "http://%65xample.com/", "/%2F%2Fevil.test"]
REFUSED = ["http://evil.test/", "//evil.test", "///evil.test", "/\\evil.test", "\\\\evil.test",
           "http:evil.test", "http:/evil.test", "https:\\\\evil.test", "http://example.com@evil.test/",
           "http://example.com.evil.test/", "http://evilexample.com/", "https://trusted.test/",
           "http://%65vil.test/", "javascript:alert(1)", "data:text/html,x", "ftp://example.com/",
           " http://evil.test", "http://evil.test\\@example.com/", "http://[::2]/", "http://"]


@pytest.mark.parametrize("url", ALLOWED)
def test_allowlist_admits(allow_srv, url):
    r = requests.get(allow_srv.url + "/redirect-to", params={"url": url}, allow_redirects=False, timeout=T)
    assert r.status_code == 302 and r.headers["Location"] == url


@pytest.mark.parametrize("url", REFUSED)
def test_allowlist_refuses(allow_srv, url):
    r = requests.get(allow_srv.url + "/redirect-to", params={"url": url, "status_code": "307"},
                     allow_redirects=False, timeout=T)
    assert r.status_code == 403 and "Location" not in r.headers
    assert r.headers["Content-Type"].startswith("text/plain")
    assert "Forbidden redirect URL" in r.text and "- example.com" in r.text
    assert "- *.trusted.test" in r.text


def test_allowlist_leaves_other_redirects_alone(allow_srv):
    r = requests.get(allow_srv.url + "/redirect/2?absolute=true", allow_redirects=False, timeout=T)
    assert r.status_code == 302 and r.headers["Location"].startswith(allow_srv.url)
