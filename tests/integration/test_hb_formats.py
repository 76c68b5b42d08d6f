"""httpbin fixed formats (issue 4): /html, /json, /xml, /robots.txt, /deny,
/encoding/utf8, /forms/post, /links, /base64 (httpbin's and go-httpbin's
encode/decode), /image by Accept and /image/{png,jpeg,webp,svg} — with
requests, httpx, curl and raw sockets."""
import json
import re
import subprocess
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import httpx
import pytest
import requests

from rawhttp import exchange, parse, request

T = 5


class Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs, self.text, self.tags = [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])

    def handle_data(self, data):
        self.text.append(data)


def html(body):
    p = Links()
    p.feed(body.decode("utf-8"))
    return p


def test_html_page(srv):
    r = requests.get(srv.url + "/html", timeout=T)
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/html; charset=utf-8"
    p = html(r.content)
    assert "h1" in p.tags and "Herman Melville - Moby-Dick" in "".join(p.text)


def test_json_and_xml_are_twins(srv):
    r = httpx.get(srv.url + "/json", timeout=T)
    assert r.headers["Content-Type"] == "application/json"
    j = r.json()
    assert r.content == (json.dumps(j, indent=2, sort_keys=True) + "\n").encode()
    show = j["slideshow"]
    assert show["title"] == "Sample Slide Show" and len(show["slides"]) == 2
    r = requests.get(srv.url + "/xml", timeout=T)
    assert r.headers["Content-Type"] == "application/xml"
    assert r.content.startswith(b"<?xml version='1.0' encoding='us-ascii'?>")
    root = ET.fromstring(r.content)
    assert root.tag == "slideshow" and root.get("title") == show["title"]
    slides = root.findall("slide")
    assert [s.find("title").text for s in slides] == [s["title"] for s in show["slides"]]
    assert len(slides[1].findall("item")) == 3


def test_robots_and_deny(srv):
    r = requests.get(srv.url + "/robots.txt", timeout=T)
    assert r.headers["Content-Type"] == "text/plain" and r.content == b"User-agent: *\nDisallow: /deny\n"
    r = requests.get(srv.url + "/deny", timeout=T)
    assert r.headers["Content-Type"] == "text/plain" and r.content.endswith(b"YOU SHOULDN'T BE HERE\n")


def test_encoding_utf8(srv):
    out = subprocess.run(["curl", "-s", "-i", "--max-time", str(T), srv.url + "/encoding/utf8"],
                         capture_output=True, timeout=T + 5, check=True).stdout
    head, _, body = out.partition(b"\r\n\r\n")
    assert b"Content-Type: text/html; charset=utf-8" in head
    text = body.decode("utf-8")
    assert any(ord(c) > 0xFFFF for c in text) and any(0x800 <= ord(c) <= 0xFFFF for c in text)


def test_forms_post(srv):
    r = requests.get(srv.url + "/forms/post", timeout=T)
    assert r.headers["Content-Type"] == "text/html; charset=utf-8"
    b = r.content.decode()
    assert 'action="/post"' in b and 'method="post"' in b
    assert 'name="firstname"' in b and 'name="lastname"' in b and 'type="submit"' in b


def test_links(srv):
    p = html(requests.get(srv.url + "/links/3/1", timeout=T).content)
    assert p.hrefs == ["/links/3/0", "/links/3/2"] and " ".join(p.text).split() == ["Links", "0", "1", "2"]
    assert len(html(requests.get(srv.url + "/links/300/0", timeout=T).content).hrefs) == 199
    assert html(requests.get(srv.url + "/links/0/0", timeout=T).content).hrefs == []
    assert len(html(requests.get(srv.url + "/links/3/99999999999999999999", timeout=T).content).hrefs) == 3
    r = requests.get(srv.url + "/links/007", allow_redirects=False, timeout=T)
    assert r.status_code == 302 and r.headers["Location"] == "/links/7/0"
    r = requests.get(srv.url + "/links/4", timeout=T)     # followed
    assert r.url.endswith("/links/4/0") and len(html(r.content).hrefs) == 3
    for bad in ("/links/x", "/links/-1", "/links/3/", "/links/3/1/2", "/links/", "/links/1.5"):
        assert requests.get(srv.url + bad, timeout=T).status_code == 404, bad


@pytest.mark.parametrize("value,decoded", [
    ("SFRUUEJJTiBpcyBhd2Vzb21l", b"HTTPBIN is awesome"),
    ("aGVsbG8_d29ybGQ-", b"hello?world>"),
    ("aGk9", b"hi="),
    ("!!!", b""),
])
def test_base64_httpbin(srv, value, decoded):
    r = requests.get(srv.url + "/base64/" + value, timeout=T)
    assert r.status_code == 200 and r.headers["Content-Type"] == "text/html; charset=utf-8"
    assert r.content == decoded


@pytest.mark.parametrize("value", ["aGk", "_w==", "a"])
def test_base64_bad_input_is_400(srv, value):
    r = requests.get(srv.url + "/base64/" + value, timeout=T)
    assert r.status_code == 400


def test_base64_go_encode_decode(srv):
    r = httpx.get(srv.url + "/base64/encode/hello%20world%3F", timeout=T)
    assert r.status_code == 200 and r.content == b"aGVsbG8gd29ybGQ_"
    assert r.headers["Content-Type"].startswith("text/plain")
    assert httpx.get(srv.url + "/base64/decode/aGVsbG8gd29ybGQ_", timeout=T).content == b"hello world?"
    assert httpx.get(srv.url + "/base64/decode/aGVsbG8gd29ybGQ%2F", timeout=T).content == b"hello world?"
    for bad in ("/base64/decode/%21%21%21", "/base64/frobnicate/aGk=", "/base64/encode/", "/base64/decode/"):
        assert httpx.get(srv.url + bad, timeout=T).status_code == 400, bad
    assert httpx.get(srv.url + "/base64/", timeout=T).status_code == 404


MAGIC = {
    "image/png": lambda b: b.startswith(b"\x89PNG\r\n\x1a\n"),
    "image/jpeg": lambda b: b.startswith(b"\xff\xd8\xff"),
    "image/webp": lambda b: b[:4] == b"RIFF" and b[8:12] == b"WEBP",
    "image/svg+xml": lambda b: ET.fromstring(b).tag.endswith("svg"),
}


@pytest.mark.parametrize("kind,ctype", [("png", "image/png"), ("jpeg", "image/jpeg"),
                                        ("webp", "image/webp"), ("svg", "image/svg+xml")])
def test_image_kinds(srv, kind, ctype):
    r = requests.get(srv.url + "/image/" + kind, timeout=T)
    assert r.status_code == 200 and r.headers["Content-Type"] == ctype
    assert MAGIC[ctype](r.content) and int(r.headers["Content-Length"]) == len(r.content)
    h = requests.head(srv.url + "/image/" + kind, timeout=T)
    assert h.content == b"" and h.headers["Content-Length"] == r.headers["Content-Length"]


@pytest.mark.parametrize("accept,ctype", [
    ("image/webp", "image/webp"), ("image/svg+xml", "image/svg+xml"), ("image/jpeg", "image/jpeg"),
    ("image/png", "image/png"), ("image/*", "image/png"), ("IMAGE/AVIF,image/webp,*/*;q=0.8", "image/webp"),
    (None, "image/png"),
])
def test_image_by_accept(srv, accept, ctype):
    hdrs = [("Accept", accept)] if accept is not None else []
    data, _ = exchange(srv.port, request("GET", "/image", headers=hdrs), timeout=T, read_for=0.5)
    (r,) = parse(data)
    assert r.status == 200 and r.header("Content-Type") == ctype and MAGIC[ctype](r.body)


@pytest.mark.parametrize("accept", ["text/html", "*/*", "application/json"])
def test_image_406(srv, accept):
    r = requests.get(srv.url + "/image", headers={"Accept": accept}, timeout=T)
    assert r.status_code == 406 and r.headers["Content-Type"] == "application/json"
    assert r.json() == {"message": "Client did not request a supported media type.",
                        "accept": ["image/webp", "image/svg+xml", "image/jpeg", "image/png", "image/*"]}


def test_image_unknown_and_methods(srv):
    assert requests.get(srv.url + "/image/gif", timeout=T).status_code == 404
    assert requests.get(srv.url + "/image/", timeout=T).status_code == 404
    r = requests.post(srv.url + "/image/png", timeout=T)
    assert r.status_code == 405 and "GET" in r.headers["Allow"]


@pytest.mark.parametrize("path", ["/html", "/json", "/xml", "/robots.txt", "/deny", "/encoding/utf8",
                                  "/forms/post", "/links/5/2", "/base64/aGk9"])
def test_head_matches_get(srv, path):
    g = requests.get(srv.url + path, timeout=T)
    h = requests.head(srv.url + path, timeout=T)
    assert g.status_code == h.status_code == 200 and h.content == b""
    assert h.headers["Content-Length"] == g.headers["Content-Length"] == str(len(g.content))


def test_raw_odd_targets(srv):
    for target in ("/base64/%", "/base64/%zz", "/base64/encode/%ff%fe", "/links/" + "9" * 200,
                   "/links/1/" + "9" * 200, "/image/png%00"):
        data, _ = exchange(srv.port, request("GET", target), timeout=T, read_for=0.3)
        (r,) = parse(data)
        assert r.status in (200, 400, 404), (target, r)
