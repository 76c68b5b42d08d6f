"""Gateway mode (issue 19): /gateway/{kind} proxies to misbehaving upstreams the
server runs on the loopback, and each failure gets the code nginx, Cloudflare or
Envoy really gives, over HTTP/1.1 (requests), HTTP/2 (curl, prior knowledge and
TLS with ALPN h2). A failure after the head cuts the connection (HTTP/1.1) or
resets the stream (HTTP/2): never a second status.

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_gateway.py [-k refuse]
"""
import http.client
import json
import subprocess

import pytest
import requests

from conftest import BIN, DEFAULT_ARGS, Server

# kind (with its query) → (cause named in X-Gateway-Failure, nginx, cloudflare, envoy)
FAILURES = {
    "refuse": ("refused", 502, 521, 503),
    "reset": ("reset", 502, 521, 503),
    "hang?timeout=0.2": ("header-timeout", 504, 524, 504),
    "blackhole?timeout=0.2": ("connect-timeout", 504, 522, 504),
    "slow-headers?after=3&timeout=0.2": ("header-timeout", 504, 524, 504),
    "garbage": ("malformed", 502, 520, 503),
    "unresolvable": ("unresolvable", 502, 530, 503),
    "loop": ("loop", 508, 508, 502),
    "bad-tls": ("tls-handshake", 502, 525, 503),
    "expired-cert": ("tls-certificate", 502, 526, 503),
    "wrong-host-cert": ("tls-certificate", 502, 526, 503),
}
VENDORS = ["nginx", "cloudflare", "envoy"]


@pytest.fixture(scope="module")
def gw(tmp_path_factory):
    d = tmp_path_factory.mktemp("gw")
    s = Server(*DEFAULT_ARGS, "--tls-listen", "127.0.0.1:0", "--tls-dir", str(d / "state"),
               workers=2)
    s.https = f"https://localhost:{s.port_of('https')}"
    s.ca = str(d / "state" / "ca.pem")
    yield s
    s.close()


def with_as(kind, vendor):
    return kind + ("&" if "?" in kind else "?") + "as=" + vendor


def curl(*args, timeout=20):
    return subprocess.run(["curl", "-sS", *args], capture_output=True, timeout=timeout)


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("kind", list(FAILURES))
def test_failure_http1_requests(gw, kind, vendor):
    cause, *codes = FAILURES[kind]
    want = codes[VENDORS.index(vendor)]
    r = requests.get(f"{gw.url}/gateway/{with_as(kind, vendor)}",
                     headers={"Accept": "application/json"}, timeout=10)
    assert r.status_code == want, r.text
    assert r.headers["X-Gateway-Failure"] == cause
    assert r.headers["X-Gateway-Codes"] == \
        f"nginx={codes[0]}, cloudflare={codes[1]}, envoy={codes[2]}"
    body = r.json()
    assert body["code"] == want
    # the body says what the other two gateways would have answered
    text = str(body)
    for v, c in zip(VENDORS, codes):
        assert f"{v}={c}" in text


@pytest.mark.parametrize("vendor", VENDORS)
@pytest.mark.parametrize("kind", list(FAILURES))
def test_failure_http2_curl(gw, kind, vendor):
    cause, *codes = FAILURES[kind]
    want = codes[VENDORS.index(vendor)]
    r = curl("--http2-prior-knowledge", "-i", "-H", "Accept: text/plain",
             f"{gw.url}/gateway/{with_as(kind, vendor)}")
    assert r.returncode == 0, r.stderr
    head = r.stdout.decode().split("\r\n\r\n")[0]
    assert head.startswith(f"HTTP/2 {want}"), head
    assert f"x-gateway-failure: {cause}" in head


@pytest.mark.parametrize("kind", ["refuse", "hang?timeout=0.2", "garbage"])
def test_failure_over_tls_h2(gw, kind):
    cause, nginx, *_ = FAILURES[kind]
    r = curl("--cacert", gw.ca, "--http2", "-i", "-w", "%{http_version}",
             f"{gw.https}/gateway/{kind}")
    assert r.returncode == 0, r.stderr
    out = r.stdout.decode()
    assert out.startswith(f"HTTP/2 {nginx}") and out.endswith("2"), out[:200]
    assert f"x-gateway-failure: {cause}" in out


def test_gateway_codes_option_sets_the_default(make_server):
    s = make_server(*DEFAULT_ARGS, "--gateway-codes", "cloudflare")
    assert requests.get(s.url + "/gateway/refuse", timeout=5).status_code == 521
    assert requests.get(s.url + "/gateway/refuse?as=envoy", timeout=5).status_code == 503
    bad = subprocess.run([BIN, "serve", "--gateway-codes", "haproxy"], capture_output=True,
                         text=True)
    assert bad.returncode == 2 and "--gateway-codes" in bad.stderr


def test_body_in_chinese_by_negotiation(gw):
    r = requests.get(gw.url + "/gateway/refuse",
                     headers={"Accept": "text/plain", "Accept-Language": "zh"}, timeout=5)
    assert r.status_code == 502
    assert "上游拒绝了 TCP 连接" in r.text and "cloudflare=521" in r.text
    r = requests.get(gw.url + "/gateway/refuse", headers={"Accept": "text/plain"}, timeout=5)
    assert "The upstream refused the TCP connection" in r.text


def test_bad_queries(gw):
    assert requests.get(gw.url + "/gateway/nonsense", timeout=5).status_code == 404
    assert requests.get(gw.url + "/gateway/refuse?as=haproxy", timeout=5).status_code == 400
    assert requests.get(gw.url + "/gateway/hang?timeout=abc", timeout=5).status_code == 400


@pytest.mark.parametrize("proto", ["http1", "h2"])
def test_working_upstreams_pass_through(gw, proto):
    h2 = ["--http2-prior-knowledge"] if proto == "h2" else []
    r = curl(*h2, "-i", gw.url + "/gateway/ok")
    out = r.stdout.decode()
    assert r.returncode == 0 and out.endswith("\r\n\r\nupstream ok\n"), out
    assert "via: 1.1 httpstatus" in out.lower()
    r = curl(*h2, gw.url + "/gateway/slow-headers?after=0.1&timeout=2")
    assert r.returncode == 0 and r.stdout == b"slow headers ok\n"
    r = curl(*h2, gw.url + "/gateway/slow-body?rate=2000&timeout=2")
    assert r.returncode == 0 and r.stdout == b"x" * 4000
    r = curl(*h2, gw.url + "/gateway/ok-tls")  # TLS to the upstream, verified
    assert r.returncode == 0 and r.stdout == b"tls upstream ok\n"


def test_head_request_gets_head_only(gw):
    r = requests.head(gw.url + "/gateway/ok", timeout=5)
    assert r.status_code == 200 and r.headers["Content-Length"] == "12" and r.content == b""


@pytest.mark.parametrize("kind", ["truncate", "slow-body?rate=5&idle=0.1"])
def test_death_mid_body_cuts_http1(gw, kind):
    """The head (200) went out; the upstream dies: the client's connection is
    cut short of Content-Length, and no second status follows."""
    conn = http.client.HTTPConnection("127.0.0.1", gw.port, timeout=10)
    conn.request("GET", "/gateway/" + kind)
    resp = conn.getresponse()
    assert resp.status == 200
    with pytest.raises(http.client.IncompleteRead):
        resp.read()
    conn.close()
    # requests (urllib3 1.26 does not enforce Content-Length): short content
    try:
        r = requests.get(gw.url + "/gateway/" + kind, timeout=10)
        assert r.status_code == 200
        assert len(r.content) < int(r.headers["Content-Length"])
    except requests.exceptions.ChunkedEncodingError:
        pass


@pytest.mark.parametrize("kind", ["truncate", "slow-body?rate=5&idle=0.1"])
def test_death_mid_body_resets_h2_stream(gw, kind):
    r = curl("--http2-prior-knowledge", "-i", gw.url + "/gateway/" + kind)
    # curl: HTTP/2 stream was not closed cleanly (RST_STREAM)
    assert r.returncode == 92 and b"INTERNAL_ERROR" in r.stderr, (r.returncode, r.stderr)
    assert r.stdout.count(b"HTTP/2 ") <= 1
    # nghttp shows the frames: one HEADERS (200), the content sent, then RST_STREAM
    out = subprocess.run(["nghttp", "-v", gw.url + "/gateway/" + kind], capture_output=True,
                         text=True, timeout=20).stdout
    assert out.count(":status:") == 1 and ":status: 200" in out, out
    assert "recv RST_STREAM" in out and "INTERNAL_ERROR" in out, out
    assert out.index(":status: 200") < out.index("recv RST_STREAM")


def test_keepalive_after_failures(gw):
    """Failures leave the client's connection usable (HTTP/1.1 keep-alive)."""
    with requests.Session() as s:
        for kind in ["refuse", "reset", "garbage", "ok", "loop", "ok"]:
            r = s.get(f"{gw.url}/gateway/{kind}", timeout=5)
            assert r.status_code in (200, 502, 508)
        assert s.get(gw.url + "/status/418", timeout=5).status_code == 418


def test_access_log_records_upstream_cause_and_timings(make_server):
    s = make_server(*DEFAULT_ARGS, access_log="json")
    for kind in ["ok", "refuse", "hang?timeout=0.15", "truncate", "loop"]:
        requests.get(f"{s.url}/gateway/{kind}", timeout=5)
    requests.get(s.url + "/get", timeout=5)
    s.stop()
    lines = {(j["target"], j["status"]): j for j in map(json.loads, s.access_log().splitlines())}
    ok = lines["/gateway/ok", 200]
    assert ok["upstream"].startswith("127.0.0.1:") and ok["upstream_status"] == 200
    assert ok["upstream_cause"] == "-" and ok["upstream_connect_ms"] >= 0
    assert ok["upstream_header_ms"] >= 0 and ok["upstream_total_ms"] >= 0
    ref = lines["/gateway/refuse", 502]
    assert ref["upstream_cause"] == "refused" and ref["upstream_connect_ms"] == -1
    hang = lines["/gateway/hang?timeout=0.15", 504]
    assert hang["upstream_cause"] == "header-timeout" and hang["upstream_total_ms"] >= 150
    cut = lines["/gateway/truncate", 200]  # 200 sent, then cut: the cause says so
    assert cut["upstream_cause"] == "body-closed" and cut["bytes"] == 100
    # /gateway/loop: the inner request is refused 508 (loop), the outer relays it
    loops = [j for j in map(json.loads, s.access_log().splitlines())
             if j["target"] == "/gateway/loop"]
    assert sorted(j["upstream_cause"] for j in loops) == ["-", "loop"]
    assert "upstream" not in lines["/get", 200]


@pytest.mark.parametrize("code,path,kind", [(502, "/codes/502", "refuse"),
                                            (504, "/codes/504", "hang"),
                                            (521, "/codes/521/cloudflare", "refuse"),
                                            (526, "/codes/526/cloudflare", "expired-cert")])
def test_reference_pages_show_the_real_failures(gw, code, path, kind):
    html = requests.get(gw.url + path, timeout=5).text
    section = html[html.index('<section id="gateway"'):]
    section = section[:section.index("</section>")]
    assert f"/gateway/{kind}?" in section and "nginx error log" in section
    for other in ("/codes/508", "/codes/520/cloudflare", "/codes/530/cloudflare"):
        if not path.startswith(other):
            assert f'href="{other}"' in section
    # the page's own "try it" makes the failure happen: same code, for real
    url = html.split('class="try"')[1].split('data-url="')[1].split('"')[0].replace("&amp;", "&")
    assert url.startswith("/gateway/")
    assert requests.get(gw.url + url, timeout=10).status_code == code


def test_reference_pages_of_nginx_tls_codes_link_each_other(gw):
    html = requests.get(gw.url + "/codes/497/nginx", timeout=5).text
    assert "The plain HTTP request was sent to HTTPS port" in html
    assert 'href="/codes/495/nginx"' in html and 'href="/codes/496/nginx"' in html
