"""The web and the CLI answer the same questions (issue 25): one list of queries is
put to `httpstatus --json` and to the server's /codes/{query} and /search?q=, and
the answers are compared.

    /usr/bin/python3 -m pytest -q tests/integration/test_web_cli_parity.py
"""
import json
import subprocess
from urllib.parse import quote

import pytest
import requests

from conftest import BIN

ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}


def cli(*args):
    p = subprocess.run([BIN, "--json", *args], capture_output=True, env=ENV, timeout=30)
    assert p.returncode in (0, 1), p.stderr
    return json.loads(p.stdout)[0]


def page_of(rec):
    """The reference URL of a CLI record (docs/web.md)."""
    ns, code = rec["namespace"], rec["code"]
    if ns == "http":
        return f"/codes/{code}"
    if ns == "http-vendor":
        return f"/codes/{code}/{rec['key'].split('(')[1].rstrip(')')}"
    if ns == "iis":
        return f"/codes/iis/{rec['key']}"
    return f"/codes/{ns}/{code}"


# Queries typed into the CLI that name one record: the page the web shows for
# /codes/{query} must be that record's page (after at most one redirect).
LOOKUPS = ["404", "1008", "403.14", "331", "499", "420", "530", "418", "1006", "226"]


@pytest.mark.parametrize("query", LOOKUPS)
def test_codes_url_shows_the_record_the_cli_shows(srv, query):
    rec = cli(query)["records"][0]
    r = requests.get(f"{srv.url}/codes/{query}", headers={"Accept": "application/json"}, timeout=5)
    assert r.status_code == 200, (query, r.status_code)
    assert len(r.history) <= 1
    # the page is the record's own, or (a number vendors share) the number's page
    # headed by the same record the CLI shows first
    assert r.url in (srv.url + page_of(rec), f"{srv.url}/codes/{rec['code']}"), (query, r.url)
    assert (r.json()["namespace"], r.json()["key"]) == (rec["namespace"], rec["key"]), query


@pytest.mark.parametrize("query,page", [("5XX", "/codes/5xx"), ("4xx", "/codes/4xx")])
def test_classes(srv, query, page):
    assert cli(query)["kind"] == "pattern"
    r = requests.get(f"{srv.url}/codes/{query}", timeout=5)
    assert r.status_code == 200 and r.url == srv.url + page


def test_codes_itself_is_the_index(srv):
    r = requests.get(f"{srv.url}/codes", timeout=5, allow_redirects=False)
    assert r.status_code == 308 and r.headers["Location"] == "/"


def test_redirect_keeps_the_language(srv):
    r = requests.get(f"{srv.url}/codes/1008?lang=zh", timeout=5, allow_redirects=False)
    assert r.status_code == 308 and r.headers["Location"] == "/codes/ws/1008?lang=zh"


@pytest.mark.parametrize("query", ["432", "299", "600"])
def test_unassigned_numbers_point_to_their_class(srv, query):
    res = cli(query)
    assert not res["found"]
    r = requests.get(f"{srv.url}/codes/{query}", headers={"Accept": "application/json"}, timeout=5)
    assert r.status_code == 404
    if res["classes"]:
        cls = res["classes"][0]["value"]
        assert f"/codes/{cls}xx" in r.json()["error"]
        for s in res["suggestions"]:
            assert f"/codes/{s['code']}" in r.json()["error"]


# Searches: the first result and the language of the answer are the same.
SEARCHES = ["too many requests", "超时", "teapot", "gateway timeout", "网关", "client closed request",
            "E404", "redirect"]


@pytest.mark.parametrize("query", SEARCHES)
def test_search_ranks_the_same(srv, query):
    want = cli("search", query)["records"]
    got = requests.get(f"{srv.url}/search?q={quote(query)}", timeout=5).json()["results"]
    assert [(r["namespace"], r["key"]) for r in got[:3]] == \
        [(r["namespace"], r["key"]) for r in want[:3]], query


def test_chinese_query_is_answered_in_chinese(srv):
    got = requests.get(f"{srv.url}/search?q={quote('超时')}", timeout=5).json()["results"][0]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in got["summary"])
    got = requests.get(f"{srv.url}/search?q={quote('超时')}&lang=en", timeout=5).json()["results"][0]
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in got["summary"])


def test_search_text_labels_the_namespace(srv):
    r = requests.get(f"{srv.url}/search?q={quote('HTTP/1.1 503')}", headers={"Accept": "text/plain"},
                     timeout=5)
    lines = r.text.splitlines()
    assert any(ln.startswith("ftp ") and " 503 " in ln for ln in lines), lines
    assert any(ln.startswith("iis ") for ln in lines), lines


def test_same_number_elsewhere_on_the_ftp_page(srv):
    html = requests.get(f"{srv.url}/codes/ftp/530", timeout=5).text
    assert 'href="/codes/530/cloudflare"' in html and 'href="/codes/530/pantheon"' in html


def test_chinese_labels_use_full_width_colons(srv):
    html = requests.get(f"{srv.url}/codes/503?lang=zh", timeout=5).text
    assert "上一个：" in html and "上一个:" not in html


def test_gateway_pages_link_each_other(srv):
    """502's prose links 504, and its related list holds 504 and the CDN 52x (data: related)."""
    html = requests.get(f"{srv.url}/codes/502", timeout=5).text
    prose = html.split('id="explanation"')[1].split("</section>")[0]
    assert '<a href="/codes/504">504</a>' in prose
    rel = html.split('id="related"')[1].split("</section>")[0]
    for href in ("/codes/504", "/codes/520/cloudflare", "/codes/526/cloudflare", "/codes/iis/502.3"):
        assert f'href="{href}"' in rel, href
    rec = requests.get(f"{srv.url}/codes/504", headers={"Accept": "application/json"}, timeout=5).json()
    assert rec["related"][0]["key"] == "502"
    assert "proxy_connect_timeout" in rec["detail"]["en"]
    cli_rel = [r["key"] for r in cli("504")["records"][0]["related"]]
    assert cli_rel == [r["key"] for r in rec["related"]]


def test_vendors_page_lists_what_the_cli_lists(srv):
    """`httpstatus vendors` and the vendor page's list of vendors agree (issue 25)."""
    cli_v = json.loads(subprocess.run([BIN, "--json", "vendors"], capture_output=True, env=ENV,
                                      timeout=30).stdout)
    r = requests.get(f"{srv.url}/codes/vendors", timeout=5, allow_redirects=False)
    assert r.status_code == 308 and r.headers["Location"] == "/codes/vendor#vendors"
    web = requests.get(f"{srv.url}/codes/vendor", headers={"Accept": "application/json"},
                       timeout=5).json()["vendors"]
    assert [(v["key"], v["codes"]) for v in web] == [(v["key"], v["codes"]) for v in cli_v]
    html = requests.get(f"{srv.url}/codes/vendor?lang=zh", timeout=5).text
    assert 'id="vendor-aws"' in html and 'href="/codes/463/aws?lang=zh"' in html and "厂商" in html
