"""The web reference (issue 10, docs/web.md): a page for every record of every
namespace, in HTML, JSON and plain text, English and Chinese, negotiated by
Accept / ?lang= / Accept-Language, with ETag/304, HEAD, Vary, gzip and brotli.
The records come from the CLI of the same build (`httpstatus --json list all`),
so the pages are checked against the registry, not against themselves."""
import ctypes
import ctypes.util
import gzip
import html
import json
import re
import subprocess

import jsonschema
import pytest
import requests

from conftest import BIN

HTML = {"Accept": "text/html"}
JSON = {"Accept": "application/json"}
TEXT = {"Accept": "text/plain"}


def _cli(*args):
    out = subprocess.run([BIN, "--json", *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out)[0]


@pytest.fixture(scope="module")
def records():
    return _cli("list", "all")["records"]


@pytest.fixture(scope="module")
def classes():
    return _cli("list", "classes")["classes"]


def page_url(r):
    """Where docs/web.md says a record's page is."""
    ns, code = r["namespace"], r["code"]
    if ns == "http":
        return "/codes/%d" % code
    if ns == "http-vendor":
        return "/codes/%d/%s" % (code, re.search(r"\((.+)\)", r["key"]).group(1))
    if ns == "iis":
        return "/codes/iis/%s" % r["key"]
    return "/codes/%s/%d" % (ns, code)


def class_url(c):
    if c["namespace"] == "ws":
        return "/codes/ws/%d-%d" % (c["value"], c["high"])
    return "/codes/%s%dxx" % ("ftp/" if c["namespace"] == "ftp" else "", c["value"])


# The JSON schema of a record page, as documented in docs/web.md.
TEXT_PAIR = {"type": "object", "required": ["en", "zh"],
             "properties": {"en": {"type": ["string", "null"]}, "zh": {"type": ["string", "null"]}}}
RECORD_SCHEMA = {
    "type": "object",
    "required": ["namespace", "code", "key", "constant", "phrase", "phrase_zh", "aliases", "class",
                 "state", "vendor", "spec", "url", "registered", "expires", "retryable", "summary", "detail",
                 "scenarios", "related"],
    "properties": {
        "namespace": {"enum": ["http", "http-vendor", "iis", "ftp", "ws"]},
        "code": {"type": "integer", "minimum": 100, "maximum": 4999},
        "sub": {"type": "integer"},
        "key": {"type": "string"},
        "constant": {"type": "string"},
        "phrase": {"type": "string"},
        "phrase_zh": {"type": ["string", "null"]},
        "aliases": {"type": "array", "items": {"type": "string"}},
        "class": {"type": ["string", "null"], "pattern": "^[1-6]xx$"},
        "state": {"enum": ["standard", "temporary", "deprecated", "unused", "obsolete",
                           "reserved", "unofficial", "experimental", "historic"]},
        "vendor": {"type": ["string", "null"]},
        "spec": {"type": ["string", "null"]},
        "url": {"type": ["string", "null"]},
        "registered": {"type": ["string", "null"]},
        "expires": {"type": ["string", "null"], "pattern": "^\\d{4}-\\d{2}-\\d{2}$"},
        "retryable": {"enum": ["yes", "no", "with-retry-after"]},
        "cacheable": {"type": "boolean"},
        "body_allowed": {"type": "boolean"},
        "requires": {"type": "array", "items": {"type": "string"}},
        "expects": {"type": "array", "items": {"type": "string"}},
        "on_wire": {"type": "boolean"},
        "summary": TEXT_PAIR,
        "detail": TEXT_PAIR,
        "scenarios": {"type": "object", "required": ["en", "zh"]},
        "related": {"type": "array", "items": {
            "type": "object", "required": ["namespace", "key", "code", "phrase", "phrase_zh"]}},
        # HTTP codes: the example exchange as raw HTTP/1.1 (test_reference_examples.py)
        "example": {"type": "object", "required": ["request", "response"],
                    "properties": {"request": {"type": "string"},
                                   "response": {"type": "string"}},
                    "additionalProperties": False},
    },
    "additionalProperties": False,
}
REF_SCHEMA = {
    "type": "object",
    "required": ["namespace", "key", "code", "phrase", "phrase_zh", "state", "url"],
    "properties": {"url": {"type": "string", "pattern": "^/codes/"}},
}


def test_every_record_has_a_page_in_both_languages(srv, records):
    assert len(records) > 250
    with requests.Session() as s:
        for r in records:
            url = srv.url + page_url(r)
            en = s.get(url + "?lang=en", headers=HTML, timeout=10)
            zh = s.get(url + "?lang=zh", headers=HTML, timeout=10)
            assert en.status_code == 200 and zh.status_code == 200, url
            assert '<html lang="en">' in en.text and '<html lang="zh">' in zh.text
            en_text, zh_text = html.unescape(en.text), html.unescape(zh.text)
            assert r["phrase"] in en_text, url
            if r["phrase_zh"]:
                assert r["phrase_zh"] in zh_text, url
            assert r["summary"]["en"] and r["summary"]["en"] in en_text
            if r["summary"]["zh"]:
                assert r["summary"]["zh"] in zh_text


def test_record_json_is_the_cli_record(srv, records):
    # same fields, same values as `httpstatus --json`: one shape for both
    # (plus the example exchange of an HTTP code)
    with requests.Session() as s:
        for r in records:
            got = s.get(srv.url + page_url(r), headers=JSON, timeout=10)
            assert got.status_code == 200
            assert got.headers["Content-Type"] == "application/json"
            doc = got.json()
            jsonschema.validate(doc, RECORD_SCHEMA)
            # the page adds the example exchange of an HTTP code, nothing else
            assert ("example" in doc) == (r["namespace"] in ("http", "http-vendor"))
            doc.pop("example", None)
            if r["namespace"] != "http-vendor" or page_url(r).count("/") == 3:
                assert doc == r, page_url(r)


def test_http_number_page_lists_every_vendor_meaning(srv, records):
    vendor = [r for r in records if r["namespace"] == "http-vendor"]
    for r in vendor:
        page = requests.get(srv.url + "/codes/%d" % r["code"], headers=HTML, timeout=5)
        assert page.status_code == 200
        assert 'href="%s"' % page_url(r) in page.text
    # a number with only vendor meanings: its page is the first of them
    only = [r for r in vendor if not any(o["namespace"] == "http" and o["code"] == r["code"]
                                         for o in records)]
    assert only
    doc = requests.get(srv.url + "/codes/%d" % only[0]["code"], headers=JSON, timeout=5).json()
    assert doc["namespace"] == "http-vendor" and doc["code"] == only[0]["code"]


def test_class_range_and_namespace_pages(srv, classes, records):
    pages = [c for c in classes if c["kind"] != "digit"]
    assert len(pages) == 5 + 6 + 4
    for c in pages:
        for lang in ("en", "zh"):
            r = requests.get(srv.url + class_url(c) + "?lang=" + lang, headers=HTML, timeout=5)
            assert r.status_code == 200, class_url(c)
        doc = requests.get(srv.url + class_url(c), headers=JSON, timeout=5).json()
        assert doc["class"] == c
        for ref in doc["records"]:
            jsonschema.validate(ref, REF_SCHEMA)
    for ns, name in (("vendor", "http-vendor"), ("iis", "iis"), ("ftp", "ftp"), ("ws", "ws")):
        doc = requests.get(srv.url + "/codes/" + ns, headers=JSON, timeout=5).json()
        assert doc["namespace"] == name
        assert [x["key"] for x in doc["records"]] == [
            r["key"] for r in records if r["namespace"] == name]


def test_home_maps_every_http_number(srv, records):
    r = requests.get(srv.url + "/", headers=HTML, timeout=5)
    cells = re.findall(r'<li><a class="([ruv])" href="(/codes/[^"]+)"[^>]*>(\d{3})</a></li>', r.text)
    assert [int(c[2]) for c in cells] == list(range(100, 600))
    official = {x["code"] for x in records if x["namespace"] == "http"}
    for cls, href, code in cells:
        code = int(code)
        if code in official:
            assert cls == "r" and href == "/codes/%d" % code
        elif cls == "u":
            assert href == "/codes/%dxx" % (code // 100)
    for href in ("/codes/vendor", "/codes/iis", "/codes/ftp", "/codes/ws", "/api"):
        assert 'href="%s' % href in r.text
    doc = requests.get(srv.url + "/", headers=JSON, timeout=5).json()
    assert {n["namespace"] for n in doc["namespaces"]} == {"http", "http-vendor", "iis", "ftp", "ws"}


def test_plain_text_form(srv):
    r = requests.get(srv.url + "/codes/404?lang=zh", headers=TEXT, timeout=5)
    assert r.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert r.text.startswith("404 未找到\n") and "GET /no-such-page HTTP/1.1" in r.text


def test_temporary_registration_shows_its_expiry(srv, records):
    temporary = [r for r in records if r["state"] == "temporary"]
    assert [r["key"] for r in temporary] == ["104"]
    for r in records:
        assert (r["expires"] is not None) == (r["state"] == "temporary"), r["key"]
    html = requests.get(srv.url + "/codes/104", headers=HTML, timeout=5).text
    assert "expires 2026-11-13" in html
    zh = requests.get(srv.url + "/codes/104?lang=zh", headers=TEXT, timeout=5).text
    assert "2026-11-13 到期" in zh
    js = requests.get(srv.url + "/codes/104", headers={"Accept": "application/json"}, timeout=5)
    assert js.json()["expires"] == "2026-11-13"


def test_406_names_the_offered_types(srv):
    for url in ("/", "/codes/404", "/codes/ws/1008", "/search?q=x"):
        r = requests.get(srv.url + url, headers={"Accept": "image/png"}, timeout=5)
        assert r.status_code == 406, url
        for t in ("text/html", "application/json", "text/plain"):
            assert t in r.text
    r = requests.get(srv.url + "/codes/404", headers={"Accept": "text/html;q=0, */*;q=0.1"},
                     timeout=5)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"


def test_language_by_query_then_accept_language(srv):
    r = requests.get(srv.url + "/codes/404", headers={**HTML, "Accept-Language": "zh-CN,zh;q=0.9"},
                     timeout=5)
    assert '<html lang="zh">' in r.text and r.headers["Content-Language"] == "zh"
    r = requests.get(srv.url + "/codes/404?lang=en", headers={**HTML, "Accept-Language": "zh"},
                     timeout=5)
    assert '<html lang="en">' in r.text and r.headers["Content-Language"] == "en"
    assert '<link rel="alternate" hreflang="zh" href="?lang=zh">' in r.text
    assert 'href="?lang=zh" hreflang="zh"' in r.text  # the visible switch keeps the page


def test_vary_cache_control_and_etag(srv):
    r = requests.get(srv.url + "/codes/404", timeout=5)
    vary = [v.strip() for v in r.headers["Vary"].split(",")]
    assert "Accept" in vary and "Accept-Language" in vary and "Accept-Encoding" in vary
    assert "max-age=" in r.headers["Cache-Control"]
    assert re.fullmatch(r'"[0-9a-f]{16}(-gz|-br)?"', r.headers["ETag"])


def test_304_for_a_matching_etag(srv):
    h = {**HTML, "Accept-Encoding": "identity"}
    r = requests.get(srv.url + "/codes/418", headers=h, timeout=5)
    etag = r.headers["ETag"]
    for inm in (etag, "W/" + etag, '"nope", ' + etag, "*"):
        c = requests.get(srv.url + "/codes/418", headers={**h, "If-None-Match": inm}, timeout=5)
        assert c.status_code == 304 and c.content == b"", inm
        assert c.headers["ETag"] == etag and "Vary" in c.headers
    c = requests.get(srv.url + "/codes/418", headers={**h, "If-None-Match": '"other"'}, timeout=5)
    assert c.status_code == 200
    # another variant (language, format, coding) has another validator
    zh = requests.get(srv.url + "/codes/418?lang=zh", headers=h, timeout=5).headers["ETag"]
    js = requests.get(srv.url + "/codes/418", headers={"Accept": "application/json",
                                                       "Accept-Encoding": "identity"},
                      timeout=5).headers["ETag"]
    gz = requests.get(srv.url + "/codes/418", headers={**HTML, "Accept-Encoding": "gzip"},
                      timeout=5).headers["ETag"]
    assert len({etag, zh, js, gz}) == 4


def test_head_has_the_get_head_and_no_body(srv):
    for url in ("/", "/codes/404", "/codes/ftp/530"):
        g = requests.get(srv.url + url, timeout=5)
        h = requests.head(srv.url + url, timeout=5)
        assert h.status_code == 200 and h.content == b""
        for name in ("Content-Type", "Content-Length", "ETag", "Vary", "Content-Encoding"):
            assert h.headers.get(name) == g.headers.get(name), name


def _brotli_decode(data):
    name = ctypes.util.find_library("brotlidec")
    if not name:
        pytest.fail("libbrotlidec not found (Debian libbrotli1)")
    lib = ctypes.CDLL(name)
    size = ctypes.c_size_t(1 << 20)
    out = ctypes.create_string_buffer(size.value)
    ok = lib.BrotliDecoderDecompress(ctypes.c_size_t(len(data)), data, ctypes.byref(size), out)
    assert ok == 1
    return out.raw[:size.value]


def test_gzip_and_brotli_by_accept_encoding(srv):
    url = srv.url + "/"
    plain = requests.get(url, headers={"Accept-Encoding": "identity"}, timeout=5)
    assert "Content-Encoding" not in plain.headers
    gz = requests.get(url, headers={"Accept-Encoding": "gzip"}, timeout=5, stream=True)
    assert gz.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(gz.raw.read()) == plain.content
    br = requests.get(url, headers={"Accept-Encoding": "gzip, br"}, timeout=5, stream=True)
    assert br.headers["Content-Encoding"] == "br"
    raw = br.raw.read()
    assert len(raw) < len(plain.content) / 3
    assert _brotli_decode(raw) == plain.content


def test_assets_are_embedded_and_immutable(srv):
    page = requests.get(srv.url + "/codes/404", timeout=5).text
    css = re.search(r'href="(/assets/ref-[0-9a-f]{8}\.css)"', page).group(1)
    js = re.search(r'src="(/assets/ref-[0-9a-f]{8}\.js)"', page).group(1)
    for url, ctype in ((css, "text/css"), (js, "text/javascript")):
        r = requests.get(srv.url + url, timeout=5)
        assert r.status_code == 200 and r.headers["Content-Type"].startswith(ctype)
        assert "immutable" in r.headers["Cache-Control"]
    assert requests.get(srv.url + "/assets/ref-00000000.css", timeout=5).status_code == 404


def test_pages_load_nothing_from_elsewhere(srv):
    for url in ("/", "/codes/404", "/codes/ws/1008", "/search?q=timeout"):
        text = requests.get(srv.url + url, headers=HTML, timeout=5).text
        for tag in re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", text):
            assert not re.search(r'(?:src|href)="(?:https?:)?//', tag), tag


def test_unknown_reference_pages_are_404(srv):
    for url in ("/codes/432", "/codes/999", "/codes/404/nosuchvendor", "/codes/ftp/999",
                "/codes/ws/999", "/codes/iis/403.999", "/codes/7xx", "/codes/ws/1000-1999"):
        assert requests.get(srv.url + url, timeout=5).status_code == 404, url


@pytest.mark.parametrize("query,expect", [("timeout", "408"), ("超时", "408"), ("teepot", "418"),
                                          ("ws 1008", "1008"), ("403.14", "403.14")])
def test_search_finds_by_word_chinese_typo_and_number(srv, query, expect):
    r = requests.get(srv.url + "/search", params={"q": query}, headers=JSON, timeout=5)
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    keys = [x["key"] for x in r.json()["results"]]
    assert expect in keys[:5], keys
    for x in r.json()["results"]:
        jsonschema.validate(x, REF_SCHEMA)


def test_search_form_without_script_gets_html(srv):
    r = requests.get(srv.url + "/search", params={"q": "teapot", "lang": "zh"}, headers=HTML,
                     timeout=5)
    assert r.headers["Content-Type"].startswith("text/html")
    assert 'href="/codes/418?lang=zh"' in r.text and "我是茶壶" in r.text


def test_status_endpoint_is_unchanged(srv):
    # /status/{code} keeps httpbin's behaviour: the reference lives elsewhere
    r = requests.get(srv.url + "/status/404", timeout=5)
    assert r.status_code == 404 and "ETag" not in r.headers
    r = requests.get(srv.url + "/status/418", headers=JSON, timeout=5)
    assert r.status_code == 418 and r.json()["code"] == 418
