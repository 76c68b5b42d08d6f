"""/status/{code}: every code 100-599, for every method, obeys the registry:
reason phrase, required headers, no content for 1xx/204/205/304, no
Content-Length for 1xx/204, interim 1xx followed by a final response; weighted
choice; Retry-After override; content negotiation."""
import collections
import http.client
import json
import socket

import pytest
import requests

from rawhttp import exchange, parse, read_responses_from, request

HEADER_NAMES = {
    "Allow": "allow", "WWW-Authenticate": "www-authenticate", "Proxy-Authenticate": "proxy-authenticate",
    "Location": "location", "Content-Range": "content-range", "Upgrade": "upgrade", "Retry-After": "retry-after",
    "Link": "link", "ETag": "etag", "Content-Location": "content-location", "Vary": "vary",
    "Cache-Control": "cache-control", "Date": "date", "Expires": "expires", "Accept-Patch": "accept-patch",
    "Accept-Post": "accept-post", "Accept-Encoding": "accept-encoding", "Accept-Ranges": "accept-ranges",
    "Content-Type": "content-type", "Content-Length": "content-length",
}


def expected_reason(registry, code):
    rec = registry.get(code)
    if rec is None:
        return None
    phrase = rec["phrase"]
    if phrase.startswith("(") and rec.get("aliases"):
        return rec["aliases"][0]
    return phrase


def check_final(resp, code, registry, method="GET"):
    rec = registry.get(code)
    assert resp.status == code
    reason = expected_reason(registry, code)
    if reason:
        assert resp.reason == reason, (code, resp.reason)
    assert resp.has("date") and resp.has("server")
    no_content = code in (204, 205, 304) or (rec is not None and not rec["body_allowed"])
    if code == 204:
        assert not resp.has("content-length")
    if no_content or method == "HEAD":
        assert resp.body == b""
    else:
        assert int(resp.header("content-length")) == len(resp.body) > 0
    if code == 205:
        assert resp.header("content-length") == "0"
    if rec:
        for h in rec["requires"]:
            assert resp.has(HEADER_NAMES[h]), (code, h, resp.headers)
    # the list, independent of the registry data
    if 300 <= code < 400 and code not in (304, 305):
        assert resp.has("location"), code
    for c, h in ((401, "www-authenticate"), (407, "proxy-authenticate"), (405, "allow"),
                 (416, "content-range"), (426, "upgrade"), (429, "retry-after"), (503, "retry-after")):
        if code == c:
            assert resp.has(h), (code, h)
    if code == 416:
        assert resp.header("content-range").startswith("bytes */")
    if code == 426:
        assert "upgrade" in resp.header("connection").lower()


def test_every_code_100_to_599(srv, registry):
    s = srv.connect()
    for code in range(100, 600):
        if code == 101:
            continue
        s.sendall(request("GET", f"/status/{code}"))
        resps = read_responses_from(s, 1)
        if code < 200:
            assert [r.status for r in resps] == [code, 200], (code, resps)
            interim = resps[0]
            assert interim.body == b"" and not interim.has("content-length")
            if code == 103:
                assert interim.has("link")
            check_final(resps[1], 200, registry)
        else:
            assert len(resps) == 1, (code, resps)
            check_final(resps[0], code, registry)
    s.close()


@pytest.mark.parametrize("method", ["HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"])
def test_every_code_every_method(srv, registry, method):
    s = srv.connect()
    for code in list(range(100, 600, 7)) + [204, 205, 304, 401, 405, 407, 416, 426, 429, 503]:
        if code == 101:
            continue
        body = b"abc" if method in ("POST", "PUT", "PATCH") else b""
        s.sendall(request(method, f"/status/{code}", body=body))
        head = (0,) if method == "HEAD" else ()
        resps = read_responses_from(s, 1, head=head)
        final = resps[-1]
        if code < 200:
            assert [r.status for r in resps] == [code, 200]
            check_final(final, 200, registry, method)
        else:
            check_final(final, code, registry, method)
    s.close()


def test_101_needs_upgrade_request(srv):
    raw, _ = exchange(srv.port, request("GET", "/status/101", headers=[("Connection", "close")]))
    r = parse(raw)[0]
    assert r.status == 400 and b"Upgrade" in r.body
    raw, closed = exchange(srv.port, request("GET", "/status/101", headers=[("Connection", "upgrade"),
                                                                          ("Upgrade", "websocket")]))
    (r,) = parse(raw)
    assert r.status == 101 and r.header("upgrade") == "websocket"
    assert "upgrade" in r.header("connection").lower()
    assert closed


def test_interim_103_with_http_client(srv):
    # http.client reports the first response it reads: a real 103 is an interim
    # response with Link, and no content
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    c.request("GET", "/status/103")
    r = c.getresponse()
    assert r.status == 103 and r.reason == "Early Hints"
    assert r.getheader("Link")
    assert r.read() == b""
    c.close()


def test_interim_100_skipped_by_http_client(srv):
    # http.client skips 100 Continue itself and returns the final 200
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    c.request("GET", "/status/100")
    r = c.getresponse()
    assert r.status == 200
    assert json.loads(r.read())["code"] == 100
    c.close()


def test_interim_then_final_raw(srv):
    raw, _ = exchange(srv.port, request("GET", "/status/102", headers=[("Connection", "close")]))
    assert raw.startswith(b"HTTP/1.1 102 Processing\r\n\r\nHTTP/1.1 200 OK\r\n")


def test_requests_follows_1xx_to_final(srv):
    # urllib3/requests read past interim responses to the final one
    r = requests.get(f"{srv.url}/status/100", timeout=5)
    assert r.status_code == 200


def test_3xx_location_including_300_and_308(srv):
    # the default target is httpbin's: /redirect/1 (which ends at /get)
    for code in (300, 301, 302, 303, 305, 307, 308):
        r = requests.get(f"{srv.url}/status/{code}", allow_redirects=False, timeout=5)
        assert r.status_code == code and r.headers["Location"] == "/redirect/1"
    r = requests.put(f"{srv.url}/status/308?location=/status/200", data=b"x", timeout=5)
    assert r.status_code == 200 and len(r.history) == 1  # followed, method kept
    assert r.request.method == "PUT"


def test_location_override_is_same_site_only(srv):
    r = requests.get(f"{srv.url}/status/307?location=/status/201", allow_redirects=False, timeout=5)
    assert r.headers["Location"] == "/status/201"
    for bad in ("//evil.example/", "http://evil.example/", "%0d%0aSet-Cookie:x=1"):
        r = requests.get(f"{srv.url}/status/307?location={bad}", allow_redirects=False, timeout=5)
        assert r.status_code == 400, bad


def test_auth_challenges(srv):
    r = requests.get(f"{srv.url}/status/401", timeout=5)
    assert r.headers["WWW-Authenticate"] == 'Basic realm="Fake Realm"'
    r = requests.get(f"{srv.url}/status/407", timeout=5)
    assert r.headers["Proxy-Authenticate"].startswith("Basic ")


def test_416_content_range(srv):
    r = requests.get(f"{srv.url}/status/416", timeout=5)
    assert r.headers["Content-Range"] == f"bytes */{len(r.content)}"


def test_retry_after_default_and_override(srv):
    assert requests.get(f"{srv.url}/status/429", timeout=5).headers["Retry-After"] == "5"
    assert requests.get(f"{srv.url}/status/503?retry_after=120", timeout=5).headers["Retry-After"] == "120"
    date = "Wed, 21 Oct 2026 07:28:00 GMT"
    r = requests.get(f"{srv.url}/status/503", params={"retry_after": date}, timeout=5)
    assert r.headers["Retry-After"] == date
    assert requests.get(f"{srv.url}/status/301?retry_after=3", allow_redirects=False,
                        timeout=5).headers["Retry-After"] == "3"
    assert requests.get(f"{srv.url}/status/503?retry_after=soon", timeout=5).status_code == 400


def test_weighted_choice(srv):
    counts = collections.Counter()
    with requests.Session() as s:
        for _ in range(200):
            counts[s.get(f"{srv.url}/status/200:0.7,503:0.3", timeout=5).status_code] += 1
    assert set(counts) == {200, 503}
    assert 100 < counts[200] < 180
    with requests.Session() as s:
        codes = {s.get(f"{srv.url}/status/201,202", timeout=5).status_code for _ in range(60)}
    assert codes == {201, 202}
    assert requests.get(f"{srv.url}/status/200:0,404:1", timeout=5).status_code == 404
    assert requests.get(f"{srv.url}/status/200%2C404:0", timeout=5).status_code == 200


@pytest.mark.parametrize("spec", ["abc", "99", "600", "1000", "20", "200:x", "200:-1", "200:0,404:0", "200,",
                                  "200/1", "", "2OO", "200:1e999"])
def test_invalid_input_is_400_with_help(srv, spec):
    r = requests.get(f"{srv.url}/status/{spec}", timeout=5)
    assert r.status_code == 400
    body = r.json()
    assert body["code"] == 400 and "/status/" in body["error"]


def test_status_without_code(srv):
    r = requests.get(f"{srv.url}/status", timeout=5)
    assert r.status_code == 400


def test_negotiation_json_text_html(srv):
    r = requests.get(f"{srv.url}/status/404", timeout=5)
    assert r.headers["Content-Type"] == "application/json"
    j = r.json()
    assert j["code"] == 404 and j["phrase"] == "Not Found" and j["summary"]
    assert list(j) == sorted(j)  # httpbin style: sorted keys
    r = requests.get(f"{srv.url}/status/404", headers={"Accept": "text/plain"}, timeout=5)
    assert r.headers["Content-Type"].startswith("text/plain") and r.text.startswith("404 Not Found\n")
    r = requests.get(f"{srv.url}/status/404", headers={
        "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}, timeout=5)
    assert r.headers["Content-Type"].startswith("text/html") and "<title>404 Not Found</title>" in r.text
    r = requests.get(f"{srv.url}/status/404", headers={"Accept": "application/json;q=0.1, text/plain"}, timeout=5)
    assert r.headers["Content-Type"].startswith("text/plain")
    r = requests.get(f"{srv.url}/status/404", headers={"Accept": "image/png"}, timeout=5)
    assert r.headers["Content-Type"] == "application/json"
    assert r.headers["Vary"] == "Accept, Accept-Language"


def test_negotiation_chinese(srv, registry):
    r = requests.get(f"{srv.url}/status/404", headers={"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"}, timeout=5)
    j = r.json()
    assert j["lang"] == "zh"
    assert j["phrase"] == registry[404]["phrase_zh"]
    assert j["summary"] == registry[404]["summary"]["zh"]
    assert r.reason == "Not Found"  # the status line stays English
    r = requests.get(f"{srv.url}/status/404", headers={"Accept-Language": "en-GB, zh;q=0.5"}, timeout=5)
    assert r.json()["lang"] == "en"
    assert r.json()["summary"] == registry[404]["summary"]["en"]


def test_unregistered_code_uses_class_phrase(srv, registry):
    code = next(c for c in range(599, 500, -1) if c not in registry)
    r = requests.get(f"{srv.url}/status/{code}", timeout=5)
    assert r.status_code == code
    assert r.json()["code"] == code
