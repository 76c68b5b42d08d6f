"""The REST playground's shared and lasting state (issue 20): two instances
on one real redis-server, a SQLite file across a restart, and storage that
cannot be reached (503 + Retry-After, never a hang).

    HTTPSTATUS_BIN=$PWD/build/httpstatus /usr/bin/python3 -m pytest -q \
        -p no:cacheprovider tests/integration/test_rest_state.py
"""
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
import requests
from conftest import DEFAULT_ARGS
from rest_redis import RedisServer, free_port

H = {"Playground": "shared"}


def put(url, doc, **headers):
    return requests.put(url, json=doc, headers=H | headers, timeout=5)


def test_two_instances_share_state_through_redis(make_server):
    redis = RedisServer()
    try:
        a = make_server(*DEFAULT_ARGS, "--state", redis.url)
        b = make_server(*DEFAULT_ARGS, "--state", redis.url, workers=2)
        # create on A, read on B (HTTP/2), same ETag
        r = put(a.url + "/rest/orders/o1", {"qty": 1})
        assert r.status_code == 201
        etag = r.headers["ETag"]
        with httpx.Client(http1=False, http2=True) as h2:
            g = h2.get(b.url + "/rest/orders/o1", headers=H)
            assert g.status_code == 200 and g.headers["etag"] == etag
            assert g.json() == {"qty": 1, "id": "o1"}
            assert h2.get(b.url + "/rest/orders/o1",
                          headers=H | {"If-None-Match": etag}).status_code == 304
        # a conflict and a lost update across them
        r = requests.post(b.url + "/rest/orders", json={"id": "o1"}, headers=H, timeout=5)
        assert r.status_code == 409 and r.json()["conflict"] == "/rest/orders/o1"
        r = put(b.url + "/rest/orders/o1", {"qty": 2}, **{"If-Match": etag})
        assert r.status_code == 200
        r = put(a.url + "/rest/orders/o1", {"qty": 3}, **{"If-Match": etag})  # stale now
        assert r.status_code == 412
        assert requests.get(a.url + "/rest/orders/o1", headers=H, timeout=5).json()["qty"] == 2
        # update by patch on B, delete on B, A sees the tombstone
        r = requests.patch(b.url + "/rest/orders/o1", data=b'{"note": "x"}', timeout=5,
                           headers=H | {"Content-Type": "application/merge-patch+json"})
        assert r.status_code == 200 and r.json() == {"qty": 2, "id": "o1", "note": "x"}
        assert requests.delete(b.url + "/rest/orders/o1", headers=H, timeout=5).status_code == 204
        assert requests.get(a.url + "/rest/orders/o1", headers=H, timeout=5).status_code == 410
        # one rate limit for both instances
        cfg = {"rate_limit": {"limit": 4, "window": 60}}
        assert put(a.url + "/rest/_collections/rl", cfg).status_code == 200
        codes = [requests.get((a, b)[i % 2].url + "/rest/rl", headers=H, timeout=5).status_code
                 for i in range(6)]
        assert codes == [200, 200, 200, 200, 429, 429]
        # a list made on both, read on either
        requests.post(a.url + "/rest/l", json={"n": 1}, headers=H, timeout=5)
        requests.post(b.url + "/rest/l", json={"n": 2}, headers=H, timeout=5)
        for s in (a, b):
            assert [d["n"] for d in requests.get(s.url + "/rest/l", headers=H, timeout=5).json()] \
                == [1, 2]
    finally:
        redis.stop()


def test_sqlite_survives_a_restart(make_server, tmp_path):
    state = f"sqlite:{tmp_path}/rest.db"
    s = make_server(*DEFAULT_ARGS, "--state", state)
    r = put(s.url + "/rest/books/b1", {"title": "A"})
    etag = r.headers["ETag"]
    assert put(s.url + "/rest/_collections/strict", {"require_if_match": True}).status_code == 200
    put(s.url + "/rest/books/gone", {})
    assert requests.delete(s.url + "/rest/books/gone", headers=H, timeout=5).status_code == 204
    s.stop()
    s.check_clean()
    s2 = make_server(*DEFAULT_ARGS, "--state", state)
    g = requests.get(s2.url + "/rest/books/b1", headers=H, timeout=5)
    assert g.status_code == 200 and g.headers["ETag"] == etag and g.json()["title"] == "A"
    assert requests.get(s2.url + "/rest/books/gone", headers=H, timeout=5).status_code == 410
    assert put(s2.url + "/rest/strict/x", {}).status_code == 428
    assert put(s2.url + "/rest/books/b1", {"title": "B"}, **{"If-Match": etag}).status_code == 200


def test_sqlite_unopenable_is_503(make_server, tmp_path):
    s = make_server(*DEFAULT_ARGS, "--state", f"sqlite:{tmp_path}/no/such/dir/rest.db")
    r = requests.get(s.url + "/rest/c", headers=H, timeout=5)
    assert r.status_code == 503 and r.headers["Retry-After"]
    assert r.headers["Content-Type"] == "application/problem+json"
    assert requests.get(s.url + "/rest/openapi.json", timeout=5).status_code == 200


def test_redis_down_is_503_at_once_then_recovers(make_server):
    port = free_port()
    s = make_server(*DEFAULT_ARGS, "--state", f"redis://127.0.0.1:{port}")
    t0 = time.monotonic()
    for _ in range(5):
        r = requests.get(s.url + "/rest/c/1", headers=H, timeout=5)
        assert r.status_code == 503 and r.headers["Retry-After"] == "5"
        assert r.headers["Content-Type"] == "application/problem+json"
    assert time.monotonic() - t0 < 3  # no waiting on the dead store
    redis = RedisServer(port)
    try:
        deadline = time.monotonic() + 5  # it reconnects within a second
        while True:
            r = put(s.url + "/rest/c/1", {"a": 1})
            if r.status_code != 503 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert r.status_code == 201
        redis.stop()  # goes away while the server holds a connection
        r = requests.get(s.url + "/rest/c/1", headers=H, timeout=5)
        assert r.status_code == 503
    finally:
        redis.stop()


@pytest.mark.parametrize("store", ["memory", "sqlite", "redis"])
def test_races_have_one_winner(make_server, tmp_path, store):
    # two workers (and ThreadSanitizer in test.sh's multi-worker run): of
    # concurrent creates of one id one gets 201, the rest 409; of concurrent
    # replaces of one version one gets 200, the rest 412
    redis = RedisServer() if store == "redis" else None
    try:
        state = {"memory": "memory", "sqlite": f"sqlite:{tmp_path}/r.db"}.get(store) or redis.url
        s = make_server(*DEFAULT_ARGS, "--state", state, workers=2)

        def create(i):
            return requests.post(s.url + "/rest/race", json={"id": "one", "by": i}, headers=H,
                                 timeout=10).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = sorted(pool.map(create, range(16)))
        assert codes == [201] + [409] * 15
        etag = requests.get(s.url + "/rest/race/one", headers=H, timeout=5).headers["ETag"]

        def replace(i):
            return put(s.url + "/rest/race/one", {"by": i}, **{"If-Match": etag}).status_code

        with ThreadPoolExecutor(8) as pool:
            codes = sorted(pool.map(replace, range(16)))
        assert codes == [200] + [412] * 15
    finally:
        if redis:
            redis.stop()
