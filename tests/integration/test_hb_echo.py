"""httpbin echo endpoints (issue 4): /get, /anything, /post, /put, /patch,
/delete, /headers, /ip, /user-agent, /uuid, /response-headers, and
go-httpbin's /head, /hostname, /upload, /env, /dump/request — with real
clients (requests, httpx, curl) and raw sockets for malformed input."""
import json
import re
import subprocess

import httpx
import pytest
import requests

from rawhttp import exchange, parse, request

T = 5  # seconds, every client call


def layout_ok(body):
    """Our JSON layout: sorted keys, 2-space indent, one trailing newline."""
    obj = json.loads(body)
    assert body == (json.dumps(obj, indent=2, sort_keys=True) + "\n").encode(), body[:200]
    return obj


def get_json(resp):
    assert resp.headers["Content-Type"] == "application/json"
    return layout_ok(resp.content)


# ---------------------------------------------------------------- /get


def test_get_args_headers_origin_url(srv):
    r = requests.get(srv.url + "/get?a=1&a=2&b=x&c&d=%20x+y", headers={"X-Custom-Thing": "v"}, timeout=T)
    assert r.status_code == 200
    j = get_json(r)
    assert set(j) == {"args", "headers", "origin", "url"}
    assert j["args"] == {"a": ["1", "2"], "b": "x", "c": "", "d": " x y"}
    assert j["headers"]["X-Custom-Thing"] == "v"
    assert j["headers"]["Host"] == "127.0.0.1:%d" % srv.port
    assert j["origin"] == "127.0.0.1"
    assert j["url"] == srv.url + "/get?a=1&a=2&b=x&c&d=%20x+y"


def test_get_httpx_and_curl(srv):
    j = get_json(httpx.get(srv.url + "/get", params={"k": "é"}, timeout=T))
    assert j["args"] == {"k": "é"}
    out = subprocess.run(["curl", "-s", "--max-time", str(T), srv.url + "/get?z=9"],
                         capture_output=True, timeout=T + 5, check=True).stdout
    j = layout_ok(out)
    assert j["args"] == {"z": "9"} and j["headers"]["User-Agent"].startswith("curl/")


def test_get_header_rules(srv):
    raw = request("GET", "/get", host="h.test", headers=[
        ("x-lower-case", "1"), ("TE", "trailers"), ("X-Dup", "1"), ("X-Dup", "2"),
        ("X-Empty", ""), ("x_under", "u"), ("X-Latin", "caf\u00e9".encode("utf-8").decode("latin-1")),
        ("X-Forwarded-For", "1.2.3.4"), ("Via", "1.1 proxy")])
    data, _ = exchange(srv.port, raw, timeout=T, read_for=0.5)
    (resp,) = parse(data)
    h = layout_ok(resp.body)["headers"]
    assert h["X-Lower-Case"] == "1" and h["Te"] == "trailers"
    assert h["X-Dup"] == "1,2" and h["X-Empty"] == "" and h["X-Under"] == "u"
    assert h["X-Latin"] == "caf\u00c3\u00a9"     # raw bytes read as ISO-8859-1
    assert "X-Forwarded-For" not in h and "Via" not in h   # hidden without show_env


def test_get_show_env_and_forwarded(srv):
    r = requests.get(srv.url + "/get?show_env=1", headers={
        "X-Forwarded-For": "10.0.0.1, 10.0.0.2", "X-Forwarded-Proto": "https"}, timeout=T)
    j = get_json(r)
    assert j["headers"]["X-Forwarded-For"] == "10.0.0.1, 10.0.0.2"
    assert j["origin"] == "10.0.0.1, 10.0.0.2"
    assert j["url"].startswith("https://")
    j = get_json(requests.get(srv.url + "/get", headers={"X-Forwarded-Ssl": "on"}, timeout=T))
    assert j["url"].startswith("https://")


def test_get_head_same_length(srv):
    g = requests.get(srv.url + "/get", headers={"User-Agent": "same"}, timeout=T)
    h = requests.head(srv.url + "/get", headers={"User-Agent": "same"}, timeout=T)
    assert h.status_code == 200 and h.content == b""
    assert h.headers["Content-Length"] == g.headers["Content-Length"]


def test_get_wrong_method_and_paths(srv):
    r = requests.post(srv.url + "/get", timeout=T)
    assert r.status_code == 405
    assert {m.strip() for m in r.headers["Allow"].split(",")} >= {"GET", "HEAD"}
    assert requests.get(srv.url + "/get/", timeout=T).status_code == 404
    assert requests.get(srv.url + "/anything/", timeout=T).status_code == 404


# ---------------------------------------------------------------- /anything, bodies


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE", "TRACE"])
def test_anything_methods(srv, method):
    r = requests.request(method, srv.url + "/anything/a/b?x=1", timeout=T)
    j = get_json(r)
    assert j["method"] == method
    assert set(j) == {"args", "data", "files", "form", "headers", "json", "method", "origin", "url"}
    assert j["url"].endswith("/anything/a/b?x=1")


def test_anything_head(srv):
    r = requests.head(srv.url + "/anything", timeout=T)
    assert r.status_code == 200 and r.content == b"" and int(r.headers["Content-Length"]) > 0


def test_post_json(srv):
    j = get_json(requests.post(srv.url + "/post", json={"k": [1, 2.5, None, True], "s": "é"}, timeout=T))
    assert j["json"] == {"k": [1, 2.5, None, True], "s": "é"}
    assert j["data"] == '{"k": [1, 2.5, null, true], "s": "\\u00e9"}'
    assert "method" not in j and j["form"] == {} and j["files"] == {}


def test_post_json_any_content_type_and_invalid(srv):
    j = get_json(requests.post(srv.url + "/post", data="[1, 2]", headers={"Content-Type": "text/plain"}, timeout=T))
    assert j["json"] == [1, 2]
    j = get_json(requests.post(srv.url + "/post", data="{bad", headers={"Content-Type": "application/json"}, timeout=T))
    assert j["json"] is None and j["data"] == "{bad"


def test_post_json_numbers_beyond_jansson(srv):
    # Python keeps big integers exact and writes infinities and NaN as bare words
    body = ('{"big": 123456789012345678901234567890, "f": 1e400, "lits": [NaN, Infinity, -Infinity], '
            '"s": "\\u0000abcdefghijklmnop123", "t": "1e400"}')
    r = requests.post(srv.url + "/post", data=body, headers={"Content-Type": "application/json"}, timeout=T)
    text = r.content.decode()
    assert '"big": 123456789012345678901234567890,' in text
    assert '"f": Infinity,' in text
    assert '"lits": [\n      NaN,\n      Infinity,\n      -Infinity\n    ],' in text
    j = json.loads(text)["json"]  # Python's json reads what Python's json wrote
    assert j["big"] == 123456789012345678901234567890 and j["f"] == float("inf")
    assert j["s"] == "\x00abcdefghijklmnop123" and j["t"] == "1e400"  # strings stay strings


def test_post_json_integer_digit_limit(make_server):
    big = make_server("--max-body", "65536")
    ok = requests.post(big.url + "/post", data="[" + "1" * 4300 + "]", timeout=T).json()
    assert ok["json"] == [int("1" * 4300)]
    too_long = requests.post(big.url + "/post", data="[" + "1" * 4301 + "]", timeout=T).json()
    assert too_long["json"] is None  # Python refuses more than 4300 digits


def test_post_form_urlencoded(srv):
    j = get_json(httpx.post(srv.url + "/post?q=1&q=2", data={"a": ["1", "2"], "b": "é"}, timeout=T))
    assert j["form"] == {"a": ["1", "2"], "b": "é"} and j["data"] == "" and j["json"] is None
    assert j["args"] == {"q": ["1", "2"]}


def test_post_multipart(srv):
    files = [("f", ("a.txt", b"one", "text/plain")), ("f", ("b.txt", b"two", "text/plain")),
             ("bin", ("x.bin", b"\xff\x00", "application/octet-stream"))]
    j = get_json(requests.post(srv.url + "/post", data={"n": ["1", "2"]}, files=files, timeout=T))
    assert j["form"] == {"n": ["1", "2"]}
    assert j["files"] == {"f": "one", "bin": "data:application/octet-stream;base64,/wA="}


def test_post_binary_body(srv):
    j = get_json(requests.post(srv.url + "/post", data=b"\x00\xff\xfe binary",
                               headers={"Content-Type": "image/png"}, timeout=T))
    assert j["data"] == "data:application/octet-stream;base64,AP/+IGJpbmFyeQ=="
    assert j["json"] is None


def test_post_chunked_body(srv):
    def gen():
        yield b"hello"
        yield b" world"
    j = get_json(requests.post(srv.url + "/post", data=gen(), timeout=T))
    assert j["data"] == "hello world"
    assert j["headers"]["Transfer-Encoding"] == "chunked"


def test_put_patch_delete(srv):
    assert get_json(requests.put(srv.url + "/put", data={"a": "1"}, timeout=T))["form"] == {"a": "1"}
    assert get_json(requests.patch(srv.url + "/patch", json={"op": "x"}, timeout=T))["json"] == {"op": "x"}
    assert get_json(requests.delete(srv.url + "/delete?q=1", timeout=T))["args"] == {"q": "1"}
    for path, bad in (("/post", "GET"), ("/put", "POST"), ("/patch", "PUT"), ("/delete", "PATCH")):
        r = requests.request(bad, srv.url + path, timeout=T)
        assert r.status_code == 405 and "Allow" in r.headers


def test_malformed_multipart_is_empty_form(srv):
    r = requests.post(srv.url + "/post", data=b"--x\r\nnot a part",
                      headers={"Content-Type": "multipart/form-data; boundary=x"}, timeout=T)
    j = get_json(r)
    assert j["form"] == {} and j["files"] == {}


def test_deep_json(make_server):
    s = make_server("--max-body", "64k")
    body = "[" * 500 + "]" * 500
    r = requests.post(s.url + "/post", data=body, timeout=T)
    assert r.status_code == 200 and b'"json": null' not in r.content
    # deeper than Python's recursion limit (httpbin: 500): a clear 400
    for path in ("/post", "/anything"):
        r = requests.post(s.url + path, data="[" * 3000 + "]" * 3000, timeout=T)
        assert r.status_code == 400 and b"nested too deeply" in r.content


def test_json_expansion_999_nested_brackets_bounded(srv):
    # 999 nested '[' in 2 KB used to come back as a 2 MB indented echo (issue 13)
    body = "[" * 999 + "]" * 999
    for method, path in (("POST", "/post"), ("PUT", "/anything"), ("PATCH", "/patch")):
        r = requests.request(method, srv.url + path, data=body, timeout=T,
                             headers={"Content-Type": "application/json"})
        assert r.status_code == 400, (path, r.status_code, len(r.content))
        assert len(r.content) < 4096
        msg = r.json()["error"]
        assert "indented" in msg and "--json-max-expansion" in msg and "1998" in msg, msg


def test_json_max_depth_option(make_server):
    s = make_server("--json-max-depth", "10")
    ok = requests.post(s.url + "/post", data="[" * 10 + "]" * 10, timeout=T)
    assert ok.status_code == 200 and get_json(ok)["json"] is not None
    r = requests.post(s.url + "/post", data="[" * 11 + "]" * 11, timeout=T)
    assert r.status_code == 400
    msg = r.json()["error"]
    assert "11 levels" in msg and "at most 10" in msg and "--json-max-depth" in msg, msg
    # the streaming echo cannot answer 400 (its head is the same for every line): "json" is null
    lines = requests.post(s.url + "/anything", data="[" * 11 + "]" * 11, timeout=T)
    assert lines.status_code == 400


def test_json_max_expansion_option(make_server):
    # 400 KB of numbers three levels deep: 4.5x once indented, 1.8 MB
    body = json.dumps([[[1] * 200000]]).replace(" ", "")
    tight = make_server("--json-max-expansion", "2")
    r = requests.post(tight.url + "/post", data=body, timeout=T)
    assert r.status_code == 400 and "--json-max-expansion" in r.json()["error"]
    roomy = make_server("--json-max-expansion", "8")
    r = requests.post(roomy.url + "/post", data=body, timeout=T)
    assert r.status_code == 200 and get_json(r)["json"] == [[[1] * 200000]]


def test_json_usual_documents_unaffected(make_server):
    # records a few levels deep, as APIs send them: echoed whole under the defaults
    s = make_server()
    doc = [{"id": i, "name": "user%d" % i, "score": i * 1.5, "tags": ["a", "b"],
            "pos": {"x": i, "y": [1, 2, {"z": None}]}} for i in range(3000)]
    r = requests.post(s.url + "/post", json=doc, timeout=T)
    assert r.status_code == 200 and get_json(r)["json"] == doc


# ---------------------------------------------------------------- small ones


def test_headers_ip_user_agent(srv):
    j = get_json(requests.get(srv.url + "/headers", headers={"ACCEPT-LANGUAGE": "en"}, timeout=T))
    assert set(j) == {"headers"} and j["headers"]["Accept-Language"] == "en"
    j = get_json(requests.get(srv.url + "/ip", headers={"X-Forwarded-For": "1.2.3.4, 5.6.7.8"}, timeout=T))
    assert j == {"origin": "1.2.3.4, 5.6.7.8"}
    assert get_json(requests.get(srv.url + "/ip", timeout=T)) == {"origin": "127.0.0.1"}
    assert get_json(requests.get(srv.url + "/user-agent", headers={"User-Agent": "ua/1"}, timeout=T)) == {"user-agent": "ua/1"}
    data, _ = exchange(srv.port, request("GET", "/user-agent"), timeout=T, read_for=0.5)
    assert layout_ok(parse(data)[0].body) == {"user-agent": None}


def test_uuid(srv):
    seen = set()
    for _ in range(5):
        u = get_json(requests.get(srv.url + "/uuid", timeout=T))["uuid"]
        assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", u)
        seen.add(u)
    assert len(seen) == 5


def test_hostname_head_upload(srv, make_server):
    assert isinstance(get_json(requests.get(srv.url + "/hostname", timeout=T))["hostname"], str)
    h = requests.head(srv.url + "/head", timeout=T)
    assert h.status_code == 200 and h.headers["Content-Type"] == "application/json" and h.content == b""
    assert requests.get(srv.url + "/head", timeout=T).status_code == 405
    big = make_server("--max-body", "200000")
    j = get_json(requests.put(big.url + "/upload?a=1", data=b"\x00" * 70000, timeout=T))
    assert j["bytes_received"] == 70000 and j["method"] == "PUT" and j["args"] == {"a": "1"}
    assert requests.get(big.url + "/upload", timeout=T).status_code == 405


def test_env_shows_only_httpbin_env(make_server, monkeypatch):
    monkeypatch.setenv("HTTPBIN_ENV_GREETING", "hi")
    monkeypatch.setenv("SECRET_NOT_SHOWN", "x")
    s = make_server()
    assert get_json(requests.get(s.url + "/env", timeout=T)) == {"env": {"HTTPBIN_ENV_GREETING": "hi"}}


# ---------------------------------------------------------------- /response-headers


def test_response_headers(srv):
    r = requests.get(srv.url + "/response-headers?a=1&a=2&freeform=hello", timeout=T)
    j = get_json(r)
    assert j == {"Content-Length": str(len(r.content)), "Content-Type": "application/json",
                 "a": ["1", "2"], "freeform": "hello"}
    assert r.raw.headers.getlist("a") == ["1", "2"] and r.headers["freeform"] == "hello"
    r = requests.post(srv.url + "/response-headers?x=y", timeout=T)
    assert r.headers["x"] == "y" and get_json(r)["Content-Length"] == str(len(r.content))
    r = httpx.get(srv.url + "/response-headers", timeout=T)
    assert layout_ok(r.content)["Content-Length"] == str(len(r.content))


def test_response_headers_content_type(srv):
    r = requests.get(srv.url + "/response-headers?Content-Type=text/plain", timeout=T)
    assert r.raw.headers.getlist("Content-Type") == ["text/plain"]
    assert json.loads(r.content)["Content-Type"] == "text/plain"


@pytest.mark.parametrize("query", ["Content-Length=5", "transfer-encoding=chunked", "a%0d%0aX-Evil=1",
                                   "X-Evil=a%0d%0aSet-Cookie:%20x", "bad%20name=1", "=v", "x=%00",
                                   "Content-Type="])
def test_response_headers_rejects_unsafe(srv, query):
    r = requests.get(srv.url + "/response-headers?" + query, timeout=T)
    assert r.status_code == 400
    assert "X-Evil" not in r.headers and "Set-Cookie" not in r.headers


# ---------------------------------------------------------------- /dump/request


def test_dump_request(srv):
    r = requests.get(srv.url + "/dump/request?foo=bar", headers={"x-test": "dump", "User-Agent": "u"}, timeout=T)
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/plain; charset=utf-8"
    b = r.content
    assert b.startswith(b"GET /dump/request?foo=bar HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n" % srv.port)
    assert b"\r\nX-Test: dump\r\n" in b and b.endswith(b"\r\n\r\n")
    names = [line.split(b":")[0] for line in b.split(b"\r\n\r\n")[0].split(b"\r\n")[2:]]
    assert names == sorted(names)
    r = requests.post(srv.url + "/dump/request", data="a=1&b=2", timeout=T)
    assert r.content.startswith(b"POST /dump/request HTTP/1.1\r\n") and r.content.endswith(b"\r\n\r\na=1&b=2")


# ------------------------------------------- /get's direct writer vs jansson
# /get (and /head) write their JSON straight into the output buffer
# (hb_getdict.c); /cache builds the same members as a jansson object and lays
# it out with jsonfmt. Both must give the same bytes for every request.

DICT_CASES = [
    ("/?", ()),
    ("/", (("X-Custom", "v"), ("x-custom", "w"), ("X_CUSTOM", "u"))),          # joined with ","
    ("/", (("ACCEPT", "*/*"), ("a", "1"), ("B", "2"), ("aa", "3"), ("Zz-Top", "x"))),  # sorting
    ("/", (("X-Forwarded-For", "1.2.3.4"), ("X-Real-Ip", "5.6.7.8"), ("Via", "1.1 p"))),  # hidden
    ("/?show_env=1", (("X-Forwarded-For", "1.2.3.4"), ("X-Request-Id", "abc"))),   # shown
    ("/", (("Content-Type", ""), ("Content-Length", "0"), ("X-Empty", ""))),
    ("/", (("X-Latin", "caf\xe9 \xff"), ("X-Quote", 'a"b\\c'), ("X-Tab", "a\tb"))),
    ("/?a=1&a=2&b=%C3%A9&c&d=x+y&e=%FF", ()),
    ("/?q=%22quoted%22&emoji=%F0%9F%98%80&sp=a%20b", (("X-Forwarded-Proto", "https"),)),
    ("/?x=%2F..%2Fc&y=a:b;c,d!e", (("X-Forwarded-Ssl", "on"),)),
    ("/", (("X-Forwarded-Protocol", "ftp"), ("X-Forwarded-For", "9.9.9.9, 8.8.8.8"), ("x_forwarded_for", "7.7.7.7"))),
]
MANY = ("/", tuple((f"X-H{i:02d}", str(i % 7)) for i in range(60)))  # more than 32 fields


def raw_get(srv, target, headers, host=None):
    data, _ = exchange(srv.port, request("GET", target, host=host or f"127.0.0.1:{srv.port}",
                                         headers=headers + (("Connection", "close"),)))
    (r,) = parse(data)
    return r


@pytest.mark.parametrize("suffix,headers", DICT_CASES)
def test_get_direct_writer_matches_jansson_path(srv, suffix, headers):
    query = suffix.partition("?")[2]
    q = "?" + query if query else ""
    g = raw_get(srv, "/get" + q, headers)
    c = raw_get(srv, "/cache" + q, headers)
    assert g.status == 200 and c.status == 200
    assert g.body == c.body.replace(b"/cache", b"/get")
    layout_ok(g.body)


def test_get_direct_writer_many_fields(make_server):
    big = make_server("--max-headers", "100")
    g = raw_get(big, "/get", MANY[1])
    c = raw_get(big, "/cache", MANY[1])
    assert g.status == 200 and g.body == c.body.replace(b"/cache", b"/get")
    assert len(layout_ok(g.body)["headers"]) == 62  # + Host, Connection


def test_get_direct_writer_matches_anything_members(srv):
    for suffix, headers in DICT_CASES:
        query = suffix.partition("?")[2]
        q = "?" + query if query else ""
        g = json.loads(raw_get(srv, "/get" + q, headers).body)
        a = json.loads(raw_get(srv, "/anything" + q, headers).body)
        a["url"] = a["url"].replace("/anything", "/get")
        assert g == {k: a[k] for k in ("args", "headers", "origin", "url")}


def test_head_endpoint_and_http10_without_host(srv):
    data, _ = exchange(srv.port, b"GET /get HTTP/1.0\r\n\r\n")
    (r,) = parse(data)
    body = layout_ok(r.body)
    assert body["headers"] == {} and body["url"].endswith("/get")
    data, _ = exchange(srv.port, b"GET /cache HTTP/1.0\r\n\r\n")
    (c,) = parse(data)
    assert r.body == c.body.replace(b"/cache", b"/get")
