"""Basic HTTP/1.1 behaviour with real clients: requests, http.client, curl, raw
sockets. Persistent connections, pipelining, HTTP/1.0, HEAD, OPTIONS, 405,
Date/Server, routing."""
import email.utils
import re
import http.client
import socket
import subprocess
import time

import httpx
import requests

from rawhttp import exchange, parse, read_responses_from, request


def test_requests_get(srv):
    r = requests.get(f"{srv.url}/status/200", timeout=5)
    assert r.status_code == 200
    assert r.reason == "OK"
    assert r.headers["Content-Type"] == "application/json"
    assert r.json()["code"] == 200
    assert r.headers["Server"].startswith("httpstatus/")
    assert "Accept" in r.headers["Vary"]


def test_date_header_is_imf_fixdate_and_current(srv):
    r = requests.get(f"{srv.url}/status/204", timeout=5)
    d = r.headers["Date"]
    assert d.endswith(" GMT") and len(d) == 29
    ts = email.utils.parsedate_to_datetime(d).timestamp()
    assert abs(ts - time.time()) < 5


def test_api_lists_endpoints(srv):
    # the endpoint list moved from / to /api when / became the reference's
    # home page (issue 10); it is still generated from the route table
    r = requests.get(srv.url + "/api", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<h1>" in r.text and "/digest-auth/" in r.text
    r = requests.get(srv.url + "/api", headers={"Accept": "application/json"}, timeout=5)
    endpoints = r.json()["endpoints"]
    for path in ("/status/{code}", "/anything[/{path}]", "/websocket/echo", "/bytes/{n}?seed=",
                 "/", "/codes/{code}", "/search?q=", "/api"):
        assert path in endpoints
    r = requests.get(srv.url + "/api", headers={"Accept": "text/plain"}, timeout=5)
    assert r.headers["Content-Type"].startswith("text/plain") and "/range/{n}" in r.text


def test_root_is_the_reference_home(srv):
    # a page for people by default (like httpbin's landing page), linking the API list
    r = requests.get(srv.url + "/", timeout=5)
    assert r.status_code == 200
    assert r.headers["Content-Type"].startswith("text/html")
    assert "<h1>" in r.text and 'href="/api"' in r.text and 'href="/codes/404"' in r.text


def test_api_lists_only_routes_that_exist(srv):
    # the list is generated from the route table: every entry is routable
    # (OPTIONS: the router answers it for an existing route, or the handler
    # does; only a path without a route gets 404)
    r = requests.get(srv.url + "/api", headers={"Accept": "application/json"}, timeout=5)
    endpoints = r.json()["endpoints"]
    assert len(endpoints) >= 50
    for usage in endpoints:
        for form in usage.split(" "):
            path = re.sub(r"\{[^}]*\}", "1", re.split(r"[?\[]", form)[0])
            o = requests.options(srv.url + path, timeout=5)
            assert o.status_code != 404, (usage, path, o.status_code)


def test_404_and_405_with_allow(srv):
    r = requests.get(srv.url + "/no/such/thing", timeout=5)
    assert r.status_code == 404
    r = requests.post(srv.url + "/", data=b"x", timeout=5)
    assert r.status_code == 405
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_options(srv):
    r = requests.options(srv.url + "/", timeout=5)
    assert r.status_code == 204
    assert r.headers["Allow"] == "GET, HEAD, OPTIONS"
    assert "Content-Length" not in r.headers
    data, _ = exchange(srv.port, request("OPTIONS", "*", headers=[("Connection", "close")]))
    (resp,) = parse(data)
    assert resp.status == 204
    assert "TRACE" in resp.header("allow") and "PATCH" in resp.header("allow")


def test_asterisk_only_for_options(srv):
    data, closed = exchange(srv.port, request("GET", "*"))
    assert parse(data)[0].status == 400 and closed


def test_head_has_get_headers_without_content(srv):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    c.request("GET", "/status/418")
    g = c.getresponse()
    gbody = g.read()
    c.request("HEAD", "/status/418")
    h = c.getresponse()
    assert h.read() == b""
    assert h.status == g.status == 418
    gh = {k: v for k, v in g.getheaders() if k != "Date"}
    hh = {k: v for k, v in h.getheaders() if k != "Date"}
    assert gh == hh
    assert int(h.getheader("Content-Length")) == len(gbody)
    c.close()
    data, _ = exchange(srv.port, request("HEAD", "/status/200", headers=[("Connection", "close")]))
    assert data.endswith(b"\r\n\r\n"), data


def test_keep_alive_reuses_connection(srv):
    c = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=5)
    for code in (200, 201, 404, 500, 204, 304):
        c.request("GET", f"/status/{code}")
        r = c.getresponse()
        r.read()
        assert r.status == code
        assert r.getheader("Connection") is None
    sock = c.sock
    c.request("GET", "/status/202")
    c.getresponse().read()
    assert c.sock is sock
    c.close()


def test_requests_session_many(srv):
    with requests.Session() as s:
        for i in range(50):
            assert s.get(f"{srv.url}/status/{200 + i % 7}", timeout=5).status_code == 200 + i % 7


def test_httpx_client(srv):
    with httpx.Client(base_url=srv.url, timeout=5) as c:
        r = c.get("/status/451")
        assert r.status_code == 451
        assert r.reason_phrase == "Unavailable For Legal Reasons"


def test_curl(srv):
    out = subprocess.run(["curl", "-s", "-i", "--max-time", "5", f"{srv.url}/status/503"],
                         capture_output=True, check=True).stdout.decode()
    assert out.startswith("HTTP/1.1 503 Service Unavailable\r\n")
    assert "Retry-After: 5\r\n" in out
    code = subprocess.run(["curl", "-s", "-o", "/dev/null", "-w", "%{http_code}", "--max-time", "5",
                           "-X", "DELETE", f"{srv.url}/status/410"],
                          capture_output=True, text=True, check=True).stdout
    assert code == "410"


def test_pipelining_in_order(srv):
    codes = [201, 404, 200, 503, 204, 418, 302, 500, 206, 451, 200, 202, 203, 207, 226, 400]
    reqs = b"".join(request("GET", f"/status/{c}") for c in codes)
    s = srv.connect()
    s.sendall(reqs)
    resps = read_responses_from(s, len(codes))
    assert [r.status for r in resps] == codes
    s.close()


def test_pipelining_one_byte_at_a_time_and_head(srv):
    reqs = (request("GET", "/status/200") + request("HEAD", "/status/201") +
            request("POST", "/status/202", body=b"abc") + request("GET", "/status/203"))
    s = srv.connect()
    for i in range(len(reqs)):
        s.send(reqs[i:i + 1])
    resps = read_responses_from(s, 4, head=(1,))
    assert [r.status for r in resps] == [200, 201, 202, 203]
    assert resps[1].body == b""
    s.close()


def test_pipelined_responses_leave_in_one_segment_batch(srv):
    # 16 requests in one send: all 16 responses are produced from one read and
    # must all be readable (and in order) right away.
    reqs = b"".join(request("GET", "/status/418") for _ in range(16))
    s = srv.connect()
    s.sendall(reqs)
    resps = read_responses_from(s, 16)
    assert len(resps) == 16 and all(r.status == 418 for r in resps)
    s.close()


def test_http10_closes_by_default(srv):
    data, closed = exchange(srv.port, b"GET /status/200 HTTP/1.0\r\n\r\n")
    (r,) = parse(data)
    assert r.status == 200 and closed
    assert r.header("connection") == "close"


def test_http10_keep_alive(srv):
    s = srv.connect()
    for _ in range(3):
        s.sendall(b"GET /status/200 HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
        (r,) = read_responses_from(s, 1)
        assert r.status == 200 and r.header("connection") == "keep-alive"
    s.close()


def test_http10_never_gets_1xx(srv):
    data, closed = exchange(srv.port, b"GET /status/103 HTTP/1.0\r\n\r\n")
    resps = parse(data)
    assert [r.status for r in resps] == [200]
    assert b"103" not in data.split(b"\r\n")[0]


def test_connection_close_request(srv):
    data, closed = exchange(srv.port, request("GET", "/status/200", headers=[("Connection", "close")]) +
                            request("GET", "/status/201"))
    resps = parse(data)
    assert [r.status for r in resps] == [200] and closed


def test_absolute_form_target(srv):
    data, _ = exchange(srv.port, request("GET", "http://example.org/status/202",
                                         headers=[("Connection", "close")]))
    assert parse(data)[0].status == 202


def test_chunked_request_body(srv):
    body = b"4\r\nWiki\r\n5;ext=1\r\npedia\r\n0\r\nTrailer-X: 1\r\n\r\n"
    data, _ = exchange(srv.port, request("POST", "/status/201", headers=[("Transfer-Encoding", "chunked"),
                                                                         ("Connection", "close")]) + body)
    assert parse(data)[0].status == 201


def test_chunked_request_body_with_requests(srv):
    def gen():
        yield b"hello "
        yield b"world"
    r = requests.post(f"{srv.url}/status/200", data=gen(), timeout=5)
    assert r.status_code == 200


def test_upgrade_request_is_ignored_elsewhere(srv):
    s = srv.connect()
    s.sendall(request("GET", "/status/200", headers=[("Connection", "upgrade"), ("Upgrade", "websocket")]) +
              request("GET", "/status/201"))
    resps = read_responses_from(s, 2)
    assert [r.status for r in resps] == [200, 201]
    s.close()


def test_every_method_on_status(srv):
    for m in ("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE"):
        data, _ = exchange(srv.port, request(m, "/status/409", headers=[("Connection", "close")]))
        assert parse(data)[0].status == 409, m


def test_access_log_clf(make_server):
    s = make_server("--linger", "0")
    requests.get(f"{s.url}/status/418", headers={"User-Agent": "it-test/1", "Referer": "http://r/"}, timeout=5)
    exchange(s.port, b"BAD\x01 / HTTP/1.1\r\n\r\n")
    s.stop()
    log = s.access_log()
    assert '"GET /status/418 HTTP/1.1" 418 ' in log
    assert '"http://r/" "it-test/1"' in log
    assert log.count("\n") == 2
    assert log.startswith("127.0.0.1 - - [")


def test_access_log_json(make_server):
    import json
    s = make_server(access_log="json")
    requests.get(f"{s.url}/status/201?x=\"y\"", timeout=5)
    s.stop()
    lines = [json.loads(line) for line in s.access_log().splitlines()]
    assert lines[0]["status"] == 201 and lines[0]["method"] == "GET"
    assert lines[0]["target"].startswith("/status/201?x=")


def test_access_log_off(make_server):
    s = make_server(access_log="off")
    requests.get(f"{s.url}/status/200", timeout=5)
    s.stop()
    assert s.access_log() == ""


def test_access_log_flushed_in_batches(make_server):
    # many requests, few writes: the log ends up complete after shutdown
    s = make_server()
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=5)
    for _ in range(300):
        c.request("GET", "/status/200")
        c.getresponse().read()
    c.close()
    s.stop()
    assert s.access_log().count("\n") == 300


def test_multiple_workers(make_server):
    s = make_server(workers=2)
    with requests.Session() as sess:
        for _ in range(20):
            assert sess.get(f"{s.url}/status/200", timeout=5).status_code == 200
    conns = [socket.create_connection(("127.0.0.1", s.port)) for _ in range(10)]
    for c in conns:
        c.sendall(request("GET", "/status/204", headers=[("Connection", "close")]))
    for c in conns:
        data = c.recv(4096)
        assert data.startswith(b"HTTP/1.1 204 ")
        c.close()


def test_help_and_usage_errors():
    from conftest import BIN
    r = subprocess.run([BIN, "serve", "--help"], capture_output=True, text=True)
    assert r.returncode == 0
    for opt in ("--listen", "--workers", "--access-log", "--max-uri", "--max-header-size",
                "--max-headers", "--max-body", "--header-timeout", "--body-timeout",
                "--idle-timeout", "--max-connections", "--drain-timeout"):
        assert opt in r.stdout
    r = subprocess.run([BIN, "serve", "--max-body", "lots"], capture_output=True, text=True)
    assert r.returncode == 2 and "invalid value" in r.stderr
    r = subprocess.run([BIN, "serve", "--nope"], capture_output=True, text=True)
    assert r.returncode == 2


def test_pipelining_backpressure_slow_reader(srv):
    # 3000 pipelined requests while the client does not read: the server stops
    # reading when its output backs up, then catches up; nothing lost, in order.
    import threading
    n = 3000
    reqs = b"".join(request("GET", f"/status/{200 + i % 7}") for i in range(n))
    s = srv.connect(timeout=10)
    sender = threading.Thread(target=s.sendall, args=(reqs,))
    sender.start()
    time.sleep(0.5)
    resps = read_responses_from(s, n, timeout=20)
    sender.join(timeout=10)
    assert [r.status for r in resps] == [200 + i % 7 for i in range(n)]
    s.close()
