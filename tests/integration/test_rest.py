"""The REST playground (issue 20, docs/rest.md): every code comes from the
state the server holds. Driven by requests (HTTP/1.1) and httpx (HTTP/2 by
prior knowledge); each test runs in a namespace of its own (Playground), and
the whole file runs once per store: memory, SQLite (a file in a temporary
directory) and Redis (a real redis-server started here).

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_rest.py
"""
import email.utils
import http.client
import json
import tempfile
import time
import uuid

import httpx
import pytest
import requests
from conftest import DEFAULT_ARGS, Server
from rest_redis import RedisServer

REST_ARGS = [*DEFAULT_ARGS, "--max-body", "64k", "--max-uri", "16k", "--max-header-size", "32k",
             "--rest-max-bytes", "40k", "--rest-max-items", "50", "--rest-max-collections", "8",
             "--rest-tombstone-ttl", "2s", "--json-max-depth", "64"]


@pytest.fixture(scope="module", params=["memory", "sqlite", "redis"])
def rsrv(request):
    with tempfile.TemporaryDirectory(prefix="hs-rest-") as tmp:
        redis = None
        if request.param == "memory":
            state = "memory"
        elif request.param == "sqlite":
            state = f"sqlite:{tmp}/rest.db"
        else:
            redis = RedisServer()
            state = redis.url
        s = Server(*REST_ARGS, "--state", state)
        yield s
        s.close()
        if redis:
            redis.stop()


class Client:
    """One protocol's client in one namespace: .req(method, path, ...)."""

    def __init__(self, base, proto, ns):
        self.base, self.proto, self.ns = base, proto, ns
        self.c = requests.Session() if proto == "h1" else httpx.Client(http1=False, http2=True)

    def req(self, method, path, doc=None, body=None, ctype=None, headers=None, ns=True):
        h = {"Playground": self.ns} if ns else {}
        if doc is not None:
            body = json.dumps(doc).encode()
            ctype = ctype or "application/json"
        if ctype:
            h["Content-Type"] = ctype
        h.update(headers or {})
        if self.proto == "h1":
            r = self.c.request(method, self.base + path, data=body, headers=h, timeout=10,
                               allow_redirects=False)
        else:
            r = self.c.request(method, self.base + path, content=body, headers=h, timeout=10)
            assert r.http_version == "HTTP/2"
        return r

    def close(self):
        self.c.close()


@pytest.fixture(params=["h1", "h2"])
def cl(request, rsrv):
    c = Client(rsrv.url, request.param, "t" + uuid.uuid4().hex[:12])
    yield c
    c.close()


def problem(r, status):
    assert r.status_code == status, (r.status_code, r.text)
    assert r.headers["Content-Type"] == "application/problem+json"
    p = r.json()
    assert p["status"] == status and p["type"].startswith("/rest/problems/")
    assert p["title"] and p["detail"]
    return p


def test_post_creates_201_with_location_etag_and_document(cl):
    r = cl.req("POST", "/rest/users", {"name": "Ada", "age": 36})
    assert r.status_code == 201
    loc, etag = r.headers["Location"], r.headers["ETag"]
    assert loc.startswith("/rest/users/") and etag.startswith('"') and etag.endswith('"')
    doc = r.json()
    assert doc["name"] == "Ada" and loc == "/rest/users/" + doc["id"]
    g = cl.req("GET", loc)
    assert g.status_code == 200 and g.json() == doc and g.headers["ETag"] == etag
    assert email.utils.parsedate_to_datetime(g.headers["Last-Modified"])


def test_post_with_existing_id_409_names_it(cl):
    assert cl.req("POST", "/rest/users", {"id": "ada"}).status_code == 201
    p = problem(cl.req("POST", "/rest/users", {"id": "ada", "x": 1}), 409)
    assert p["conflict"] == "/rest/users/ada" and "/rest/users/ada" in p["detail"]
    assert cl.req("GET", "/rest/users/ada").json() == {"id": "ada"}  # nothing changed


def test_put_creates_201_then_replaces_200_or_204(cl):
    r = cl.req("PUT", "/rest/things/t1", {"v": 1})
    assert r.status_code == 201 and r.headers["Location"] == "/rest/things/t1"
    r = cl.req("PUT", "/rest/things/t1", {"v": 2})
    assert r.status_code == 200 and r.json() == {"v": 2, "id": "t1"}
    r = cl.req("PUT", "/rest/things/t1", {"v": 3}, headers={"Prefer": "return=minimal"})
    assert r.status_code == 204 and r.content == b""
    assert r.headers["Preference-Applied"] == "return=minimal" and r.headers["ETag"]
    r = cl.req("PUT", "/rest/things/t1", {"v": 4}, headers={"Prefer": "return=representation"})
    assert r.status_code == 200 and r.json()["v"] == 4
    assert r.headers["Preference-Applied"] == "return=representation"


def test_conditional_get_304_and_head(cl):
    etag = cl.req("PUT", "/rest/c/x", {"a": 1}).headers["ETag"]
    g = cl.req("GET", "/rest/c/x")
    r = cl.req("GET", "/rest/c/x", headers={"If-None-Match": f'"nope", {etag}'})
    assert r.status_code == 304 and r.content == b"" and r.headers["ETag"] == etag
    r = cl.req("GET", "/rest/c/x", headers={"If-None-Match": "W/" + etag})  # weak comparison
    assert r.status_code == 304
    r = cl.req("GET", "/rest/c/x", headers={"If-Modified-Since": g.headers["Last-Modified"]})
    assert r.status_code == 304
    r = cl.req("GET", "/rest/c/x", headers={"If-Modified-Since": "Sat, 01 Jan 2000 00:00:00 GMT"})
    assert r.status_code == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2)
    r = cl.req("GET", "/rest/c/x", headers={"If-None-Match": '"other"',
                                            "If-Modified-Since": g.headers["Last-Modified"]})
    assert r.status_code == 200
    h = cl.req("HEAD", "/rest/c/x")
    assert h.status_code == 200 and h.content == b"" and h.headers["ETag"] == etag
    assert h.headers["Content-Length"] == g.headers["Content-Length"]


def test_if_match_412_and_if_none_match_star(cl):
    etag = cl.req("PUT", "/rest/c/y", {"a": 1}).headers["ETag"]
    p = problem(cl.req("PUT", "/rest/c/y", {"a": 2}, headers={"If-Match": '"stale"'}), 412)
    assert "c/y" in p["detail"]
    r = cl.req("PUT", "/rest/c/y", {"a": 2}, headers={"If-Match": etag})
    assert r.status_code == 200 and r.headers["ETag"] != etag
    problem(cl.req("PATCH", "/rest/c/y", {"a": 3}, ctype="application/merge-patch+json",
                   headers={"If-Match": etag}), 412)
    problem(cl.req("DELETE", "/rest/c/y", headers={"If-Match": etag}), 412)
    problem(cl.req("PUT", "/rest/c/y", {"a": 9}, headers={"If-None-Match": "*"}), 412)
    problem(cl.req("PUT", "/rest/c/new", {"a": 9}, headers={"If-Match": "*"}), 412)
    assert cl.req("PUT", "/rest/c/new", {}, headers={"If-None-Match": "*"}).status_code == 201
    assert cl.req("GET", "/rest/c/y").json()["a"] == 2


def test_require_if_match_428(cl):
    r = cl.req("PUT", "/rest/_collections/strict", {"require_if_match": True})
    assert r.status_code == 200 and r.json() == {"require_if_match": True}
    assert cl.req("GET", "/rest/_collections/strict").json() == {"require_if_match": True}
    assert cl.req("POST", "/rest/strict", {"id": "s"}).status_code == 201
    for m, doc, ct in [("PUT", {"a": 1}, None), ("PATCH", {"a": 1}, "application/merge-patch+json"),
                       ("DELETE", None, None)]:
        p = problem(cl.req(m, "/rest/strict/s", doc, ctype=ct), 428)
        assert "If-Match" in p["detail"]
    etag = cl.req("GET", "/rest/strict/s").headers["ETag"]
    assert cl.req("PUT", "/rest/strict/s", {"a": 1}, headers={"If-Match": etag}).status_code == 200
    # a create by PUT is conditional with If-None-Match: *
    assert cl.req("PUT", "/rest/strict/t", {}, headers={"If-None-Match": "*"}).status_code == 201
    problem(cl.req("PUT", "/rest/strict/t", {}, headers={"If-None-Match": "*"}), 412)


def test_delete_204_then_410_then_404(cl, rsrv):
    assert cl.req("PUT", "/rest/c/d", {"a": 1}).status_code == 201
    r = cl.req("DELETE", "/rest/c/d")
    assert r.status_code == 204 and r.content == b""
    problem(cl.req("GET", "/rest/c/d"), 410)
    problem(cl.req("DELETE", "/rest/c/d"), 410)
    problem(cl.req("GET", "/rest/c/never"), 404)
    problem(cl.req("DELETE", "/rest/c/never"), 404)
    assert cl.req("GET", "/rest/c").json() == []
    if cl.proto == "h1":  # the tombstone expires (--rest-tombstone-ttl 2s)
        time.sleep(3.1)
        problem(cl.req("GET", "/rest/c/d"), 404)
    # a new PUT on a deleted id creates it again
    assert cl.req("PUT", "/rest/c/d", {"b": 2}).status_code == 201


def test_list_filters_sort_pages_link_total(cl):
    for i, (name, age) in enumerate([("a", 30), ("b", 20), ("c", 40), ("d", 20), ("e", 50)]):
        assert cl.req("POST", "/rest/people", {"id": f"p{i}", "name": name, "age": age,
                                               "team": "x" if i % 2 else "y"}).status_code == 201
    r = cl.req("GET", "/rest/people")
    assert [d["name"] for d in r.json()] == list("abcde") and r.headers["X-Total-Count"] == "5"
    r = cl.req("GET", "/rest/people?age=20")
    assert [d["name"] for d in r.json()] == ["b", "d"] and r.headers["X-Total-Count"] == "2"
    r = cl.req("GET", "/rest/people?team=y&_sort=-age")
    assert [d["name"] for d in r.json()] == ["e", "c", "a"]
    r = cl.req("GET", "/rest/people?_sort=age&_page=2&_per_page=2")
    assert [d["name"] for d in r.json()] == ["a", "c"] and r.headers["X-Total-Count"] == "5"
    links = requests.utils.parse_header_links(r.headers["Link"])
    rel = {l["rel"]: l["url"] for l in links}
    assert rel == {"first": "/rest/people?_sort=age&_page=1&_per_page=2",
                   "prev": "/rest/people?_sort=age&_page=1&_per_page=2",
                   "next": "/rest/people?_sort=age&_page=3&_per_page=2",
                   "last": "/rest/people?_sort=age&_page=3&_per_page=2"}
    assert [d["name"] for d in cl.req("GET", rel["last"]).json()] == ["e"]
    assert cl.req("GET", "/rest/people?_page=9").json() == []
    problem(cl.req("GET", "/rest/people?_page=0"), 400)
    problem(cl.req("GET", "/rest/people?_per_page=x"), 400)
    h = cl.req("HEAD", "/rest/people?age=20")
    assert h.status_code == 200 and h.content == b"" and h.headers["X-Total-Count"] == "2"


def test_namespaces_are_isolated(rsrv):
    a = Client(rsrv.url, "h1", "alice" + uuid.uuid4().hex[:8])
    b = Client(rsrv.url, "h2", "bob" + uuid.uuid4().hex[:8])
    assert a.req("PUT", "/rest/notes/n1", {"secret": 1}).status_code == 201
    problem(b.req("GET", "/rest/notes/n1"), 404)
    assert b.req("GET", "/rest/notes").json() == []
    assert b.req("PUT", "/rest/notes/n1", {"mine": 2}).status_code == 201  # its own n1
    assert a.req("GET", "/rest/notes/n1").json() == {"secret": 1, "id": "n1"}
    problem(a.req("GET", "/rest/notes", headers={"Playground": "../x"}), 400)
    # without the header: the server's cookie names a namespace of one's own
    s = requests.Session()
    r = s.post(rsrv.url + "/rest/notes", json={"in": "public"}, timeout=5)
    assert r.status_code == 201 and "playground" in s.cookies
    r2 = s.post(rsrv.url + "/rest/notes", json={"in": "cookie"}, timeout=5)
    assert "Set-Cookie" not in r2.headers
    assert [d["in"] for d in s.get(rsrv.url + "/rest/notes", timeout=5).json()] == ["cookie"]
    pub = requests.get(rsrv.url + "/rest/notes", timeout=5).json()  # no cookie: public
    assert "public" in [d["in"] for d in pub] and "cookie" not in [d["in"] for d in pub]
    a.close()
    b.close()


def test_problems_in_chinese(cl):
    r = cl.req("GET", "/rest/c/none", headers={"Accept-Language": "zh-CN, en;q=0.5"})
    p = problem(r, 404)
    assert r.headers["Content-Language"] == "zh" and p["title"] == "资源不存在"
    r = cl.req("GET", "/rest/c/none", headers={"Accept-Language": "en"})
    assert r.headers["Content-Language"] == "en" and problem(r, 404)["title"] == "Resource not found"


SCHEMA = {"type": "object", "required": ["name", "age"], "additionalProperties": False,
          "properties": {"id": {"type": "string"},
                         "name": {"type": "string", "minLength": 2, "maxLength": 5,
                                  "pattern": "^[a-z]+$"},
                         "age": {"type": "integer", "minimum": 0, "maximum": 150},
                         "role": {"enum": ["admin", "user"]},
                         "tags": {"type": "array", "items": {"type": "string"}}}}


def test_schema_422_lists_each_error_with_its_pointer(cl):
    assert cl.req("PUT", "/rest/_collections/v", {"schema": SCHEMA}).status_code == 200
    assert cl.req("POST", "/rest/v", {"name": "ann", "age": 3}).status_code == 201
    bad = {"name": "A", "age": 200, "role": "root", "tags": ["x", 1], "extra": True}
    p = problem(cl.req("POST", "/rest/v", bad), 422)
    got = {(e["pointer"], e["detail"].split()[1]) for e in p["errors"]}
    assert {e["pointer"] for e in p["errors"]} == {"/name", "/age", "/role", "/tags/1", "/extra"}
    assert len(p["errors"]) == 6, p  # /name breaks minLength and pattern
    assert got
    p = problem(cl.req("POST", "/rest/v", {"age": "x"}), 422)
    assert {e["pointer"] for e in p["errors"]} == {"/name", "/age"}
    assert cl.req("GET", "/rest/v").headers["X-Total-Count"] == "1"  # nothing stored
    # a schema outside the subset is refused when the collection is configured
    p = problem(cl.req("PUT", "/rest/_collections/v2", {"schema": {"oneOf": []}}), 422)
    assert "subset" in p["detail"]
    problem(cl.req("PUT", "/rest/_collections/v2", {"bogus": 1}), 422)


def test_malformed_json_400_with_line_and_column(cl):
    p = problem(cl.req("POST", "/rest/c", body=b'{\n  "a": 1,\n  "b": }', ctype="application/json"),
                400)
    assert p["line"] == 3 and p["column"] >= 8 and "line 3" in p["detail"]
    problem(cl.req("POST", "/rest/c", body=b'{"a": 1, "a": 2}', ctype="application/json"), 400)
    problem(cl.req("POST", "/rest/c", body=b'{"a": "\xff\xfe"}', ctype="application/json"), 400)
    problem(cl.req("POST", "/rest/c", body=b'', ctype="application/json"), 400)
    problem(cl.req("POST", "/rest/c", body=b"[" * 65 + b"]" * 65, ctype="application/json"), 400)
    problem(cl.req("POST", "/rest/c", body=b'[1, 2]', ctype="application/json"), 422)
    assert cl.req("GET", "/rest/c").json() == []


def test_not_json_415_with_accept_post_and_accept_patch(cl):
    r = cl.req("POST", "/rest/c", body=b"a=1", ctype="application/x-www-form-urlencoded")
    problem(r, 415)
    assert r.headers["Accept-Post"] == "application/json"
    problem(cl.req("POST", "/rest/c", body=b"{}"), 415)  # no Content-Type at all
    cl.req("PUT", "/rest/c/p", {"a": 1})
    r = cl.req("PATCH", "/rest/c/p", body=b"<a/>", ctype="text/xml")
    problem(r, 415)
    assert r.headers["Accept-Patch"] == \
        "application/merge-patch+json, application/json-patch+json"


def test_merge_patch_and_json_patch(cl):
    cl.req("PUT", "/rest/c/m", {"a": 1, "b": {"c": 2, "d": 3}, "e": [1, 2]})
    r = cl.req("PATCH", "/rest/c/m", {"a": None, "b": {"c": 9}, "f": "new"},
               ctype="application/merge-patch+json")  # RFC 7396
    assert r.status_code == 200 and r.json() == {"b": {"c": 9, "d": 3}, "e": [1, 2], "id": "m",
                                                  "f": "new"}
    etag = r.headers["ETag"]
    ops = [{"op": "test", "path": "/b/c", "value": 9}, {"op": "add", "path": "/e/-", "value": 3},
           {"op": "remove", "path": "/b/d"}, {"op": "move", "from": "/f", "path": "/g"},
           {"op": "copy", "from": "/e/0", "path": "/h"}, {"op": "replace", "path": "/b/c",
                                                          "value": "x"}]
    r = cl.req("PATCH", "/rest/c/m", ops, ctype="application/json-patch+json",
               headers={"If-Match": etag})
    assert r.status_code == 200, r.text
    assert r.json() == {"b": {"c": "x"}, "e": [1, 2, 3], "id": "m", "g": "new", "h": 1}
    # a failed test → 409 and nothing applied (RFC 6902 §5)
    p = problem(cl.req("PATCH", "/rest/c/m", [{"op": "remove", "path": "/h"},
                                               {"op": "test", "path": "/g", "value": "old"}],
                       ctype="application/json-patch+json"), 409)
    assert "test" in p["detail"]
    problem(cl.req("PATCH", "/rest/c/m", [{"op": "remove", "path": "/nope"}],
                   ctype="application/json-patch+json"), 409)
    problem(cl.req("PATCH", "/rest/c/m", {"op": "add"}, ctype="application/json-patch+json"), 400)
    problem(cl.req("PATCH", "/rest/c/m", [{"op": "jump", "path": "/a"}],
                   ctype="application/json-patch+json"), 400)
    assert cl.req("GET", "/rest/c/m").json()["h"] == 1
    problem(cl.req("PATCH", "/rest/c/zz", {"a": 1}, ctype="application/merge-patch+json"), 404)


def test_moved_collection_308_and_301_legacy(cl):
    assert cl.req("PUT", "/rest/_collections/old", {"moved_to": "new"}).status_code == 200
    r = cl.req("GET", "/rest/old/7?x=1")
    assert r.status_code == 308 and r.headers["Location"] == "/rest/new/7?x=1"
    r = cl.req("POST", "/rest/old", {"a": 1})
    assert r.status_code == 308 and r.headers["Location"] == "/rest/new"
    r = cl.req("GET", "/rest/old/7?legacy=1")
    assert r.status_code == 301 and r.headers["Location"] == "/rest/new/7?legacy=1"
    r = cl.req("PUT", "/rest/old/7?legacy=1", {"a": 1})
    assert r.status_code == 308


def test_bearer_auth_401_403(cl):
    assert cl.req("PUT", "/rest/_collections/sec", {"auth": "bearer"}).status_code == 200
    r = cl.req("GET", "/rest/sec")
    problem(r, 401)
    assert r.headers["WWW-Authenticate"] == 'Bearer realm="rest"'
    r = cl.req("GET", "/rest/sec", headers={"Authorization": "Bearer wrong"})
    problem(r, 401)
    assert 'error="invalid_token"' in r.headers["WWW-Authenticate"]
    read = {"Authorization": "Bearer playground-read"}
    write = {"Authorization": "Bearer playground-write"}
    assert cl.req("GET", "/rest/sec", headers=read).status_code == 200
    r = cl.req("POST", "/rest/sec", {"a": 1}, headers=read)
    problem(r, 403)
    assert 'error="insufficient_scope"' in r.headers["WWW-Authenticate"]
    assert cl.req("POST", "/rest/sec", {"a": 1}, headers=write).status_code == 201


def test_rate_limit_429_with_ratelimit_fields(cl):
    cfg = {"rate_limit": {"limit": 3, "window": 60}}
    assert cl.req("PUT", "/rest/_collections/rl", cfg).status_code == 200
    for left in (2, 1, 0):
        r = cl.req("GET", "/rest/rl")
        assert r.status_code == 200
        assert r.headers["RateLimit-Policy"] == '"default";q=3;w=60'
        assert r.headers["RateLimit"].startswith(f'"default";r={left};t=')
    r = cl.req("GET", "/rest/rl")
    problem(r, 429)
    t = int(r.headers["RateLimit"].rsplit("t=", 1)[1])
    assert 0 < int(r.headers["Retry-After"]) == t <= 60
    assert r.headers["RateLimit"].startswith('"default";r=0;')


def test_quotas_507(cl):
    big = "x" * 15000
    assert cl.req("PUT", "/rest/q/1", {"v": big}).status_code == 201
    assert cl.req("PUT", "/rest/q/2", {"v": big}).status_code == 201
    p = problem(cl.req("PUT", "/rest/q/3", {"v": big}), 507)  # --rest-max-bytes 40k
    assert "bytes" in p["detail"]
    problem(cl.req("GET", "/rest/q/3"), 404)
    assert cl.req("DELETE", "/rest/q/1").status_code == 204  # room again
    assert cl.req("PUT", "/rest/q/3", {"v": big}).status_code == 201
    for i in range(8):  # --rest-max-collections 8 (q is one)
        r = cl.req("PUT", f"/rest/k{i}/a", {})
        assert r.status_code == (201 if i < 7 else 507), (i, r.text)


def test_item_quota_507(rsrv):
    c = Client(rsrv.url, "h1", "items" + uuid.uuid4().hex[:8])
    for i in range(50):
        assert c.req("POST", "/rest/many", {"i": i}).status_code == 201
    p = problem(c.req("POST", "/rest/many", {"i": 50}), 507)
    assert "50 items" in p["detail"]
    assert c.req("GET", "/rest/many").headers["X-Total-Count"] == "50"
    c.close()


def test_method_not_allowed_405(cl):
    r = cl.req("POST", "/rest/c/x", {"a": 1})
    problem(r, 405)
    assert r.headers["Allow"] == "GET, HEAD, PUT, PATCH, DELETE, OPTIONS"
    r = cl.req("DELETE", "/rest/c")
    problem(r, 405)
    assert r.headers["Allow"] == "GET, HEAD, POST, OPTIONS"


def raw(rsrv, method, target, body=b"", ctype="application/json", ns="rawtest"):
    c = http.client.HTTPConnection("127.0.0.1", rsrv.port, timeout=10)
    c.putrequest(method, target, skip_accept_encoding=True)
    c.putheader("Playground", ns)
    if body:
        c.putheader("Content-Type", ctype)
    c.putheader("Content-Length", str(len(body)))
    c.endheaders(body)
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, data


@pytest.mark.parametrize("target", ["/rest/c/..", "/rest/c/.", "/rest/../c", "/rest/c/a%2Fb",
                                    "/rest/c%2Fd/1", "/rest/c/" + "x" * 10240, "/rest/c/a/b",
                                    "/rest/c/a%20b", "/rest/c/%00", "/rest/c/%C3%A9"])
def test_odd_ids_are_clear_4xx_and_store_nothing(rsrv, target):
    ns = "odd" + uuid.uuid4().hex[:8]
    status, data = raw(rsrv, "PUT", target, b'{"a": 1}', ns=ns)
    assert status in (400, 404), (status, data)
    assert json.loads(data)["status"] == status
    status, data = raw(rsrv, "GET", "/rest/c", ns=ns)
    assert status == 200 and data == b"[]"


def test_huge_body_413_nothing_stored(rsrv):
    ns = "huge" + uuid.uuid4().hex[:8]
    status, _ = raw(rsrv, "POST", "/rest/c", b'{"a": "' + b"x" * 70000 + b'"}', ns=ns)
    assert status == 413
    assert raw(rsrv, "GET", "/rest/c", ns=ns) == (200, b"[]")


def test_async_create_202_job_running_then_303(cl):
    r = cl.req("POST", "/rest/slow?async=2", {"id": "s1", "v": 1})
    assert r.status_code == 202 and r.headers["Retry-After"] == "2"
    job = r.headers["Location"]
    assert job.startswith("/rest/_jobs/") and r.json() == {"status": "running", "job": job}
    r = cl.req("GET", job)
    assert r.status_code == 200 and r.json() == {"status": "running"}
    assert 1 <= int(r.headers["Retry-After"]) <= 2
    problem(cl.req("GET", "/rest/slow/s1"), 404)  # not there yet
    problem(cl.req("POST", "/rest/slow?async=1", {"id": "s1"}), 409)  # but its id is taken
    time.sleep(2.2)
    r = cl.req("GET", job)
    assert r.status_code == 303 and r.headers["Location"] == "/rest/slow/s1"
    assert cl.req("GET", "/rest/slow/s1").json() == {"id": "s1", "v": 1}
    problem(cl.req("POST", "/rest/slow?async=x", {}), 400)
    problem(cl.req("GET", "/rest/_jobs/nope"), 404)
    problem(cl.req("GET", "/rest/_other"), 404)


def test_openapi_describes_every_code(cl):
    r = cl.req("GET", "/rest/openapi.json")
    assert r.status_code == 200 and r.headers["Content-Type"] == "application/json"
    doc = r.json()
    assert doc["openapi"] == "3.1.0"

    def refs(v):
        if isinstance(v, dict):
            if "$ref" in v:
                yield v["$ref"]
            for x in v.values():
                yield from refs(x)
        elif isinstance(v, list):
            for x in v:
                yield from refs(x)

    for ref in refs(doc):  # every reference resolves
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
    codes = {c for p in doc["paths"].values() for op in p.values() if isinstance(op, dict)
             for c in op.get("responses", {})}
    assert {"200", "201", "202", "204", "301", "303", "304", "308", "400", "401", "403", "404",
            "409", "410", "412", "415", "422", "428", "429", "503", "507"} <= codes
    problem(cl.req("POST", "/rest/openapi.json", {}), 405)


def test_state_machine_page_in_english_and_chinese(cl):
    en = cl.req("GET", "/rest")
    assert en.status_code == 200 and en.headers["Content-Type"] == "text/html; charset=utf-8"
    assert '<html lang="en">' in en.text and "codes from real state" in en.text
    zh = cl.req("GET", "/rest?lang=zh")
    assert '<html lang="zh">' in zh.text and "状态码来自真实状态" in zh.text
    assert cl.req("GET", "/rest", headers={"Accept-Language": "zh"}).headers[
        "Content-Language"] == "zh"
    for code in ("201", "304", "409", "410", "412", "415", "422", "428", "429", "507", "503"):
        assert f"<td>{code}" in en.text and f"<td>{code}" in zh.text
    api = cl.req("GET", "/api", headers={"Accept": "text/html"}).text
    assert "/rest/{collection}/{id}" in api and "/rest?lang=zh" in api


def test_bad_input_loses_nothing(cl):
    r = cl.req("PUT", "/rest/keep/k", {"v": "original"})
    etag = r.headers["ETag"]
    bad = [(b'{"v": ', "application/json", 400), (b'{"v": 1, "v": 2}', "application/json", 400),
           (b'{"v": "\xc3\x28"}', "application/json", 400), (b"[" * 100 + b"]" * 100,
                                                              "application/json", 400),
           (b"v=1", "text/plain", 415), (b"[1]", "application/json", 422),
           (b'{"id": "other"}', "application/json", 422)]
    for body, ct, code in bad:
        problem(cl.req("PUT", "/rest/keep/k", body=body, ctype=ct), code)
        if code in (400, 415):  # the same bytes as a merge patch
            patch_ct = "application/merge-patch+json" if code == 400 else ct
            problem(cl.req("PATCH", "/rest/keep/k", body=body, ctype=patch_ct), code)
    g = cl.req("GET", "/rest/keep/k")
    assert g.json() == {"v": "original", "id": "k"} and g.headers["ETag"] == etag
    assert cl.req("GET", "/rest/keep").headers["X-Total-Count"] == "1"
