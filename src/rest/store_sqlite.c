/* The SQLite REST store (--state sqlite:PATH): the same model as the memory
 * store in four tables, so that the playground survives a restart. Every
 * operation is one transaction (BEGIN IMMEDIATE) under the store's lock;
 * SQLite works on a local file, and a busy or broken database answers
 * HS__REST_EUNAVAIL after at most its busy timeout (250 ms): the caller
 * gives 503 rather than waiting. */
#include <pthread.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rest/store.h"

typedef struct lite_s {
  hs__rest_store_t base;
  pthread_mutex_t mu;
  sqlite3 *db;
  int64_t next_sweep;
} lite_t;

static const char schema_sql[] =
    "PRAGMA journal_mode=WAL;"
    "PRAGMA synchronous=NORMAL;"
    "CREATE TABLE IF NOT EXISTS spaces(ns TEXT PRIMARY KEY, used INTEGER, bytes INTEGER,"
    " n INTEGER);"
    "CREATE TABLE IF NOT EXISTS colls(ns TEXT, coll TEXT, cfg TEXT, seq INTEGER,"
    " PRIMARY KEY(ns, coll));"
    "CREATE TABLE IF NOT EXISTS items(ns TEXT, coll TEXT, id TEXT, doc BLOB, etag TEXT,"
    " mtime INTEGER, gone INTEGER, seq INTEGER, vis INTEGER, PRIMARY KEY(ns, coll, id));"
    "CREATE TABLE IF NOT EXISTS hits(k TEXT PRIMARY KEY, w INTEGER, e INTEGER, n INTEGER);";

/* Prepares and binds a statement: `types` says what each argument is
 * ('t' text, 'i' int64, 'b' blob as pointer + size_t). NULL on error. */
static sqlite3_stmt *q(lite_t *l, const char *sql, const char *types, ...) {
  sqlite3_stmt *st;
  if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
    return NULL;
  va_list ap;
  va_start(ap, types);
  for (int i = 0; types[i]; i++) {
    if (types[i] == 't')
      sqlite3_bind_text(st, i + 1, va_arg(ap, const char *), -1, SQLITE_TRANSIENT);
    else if (types[i] == 'i')
      sqlite3_bind_int64(st, i + 1, va_arg(ap, int64_t));
    else {
      const char *p = va_arg(ap, const char *);
      size_t n = va_arg(ap, size_t);
      sqlite3_bind_blob64(st, i + 1, p, n, SQLITE_TRANSIENT);
    }
  }
  va_end(ap);
  return st;
}

/* Runs a statement that returns no rows; 0 or -1. */
static int run(sqlite3_stmt *st) {
  int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
  sqlite3_finalize(st);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : -1;
}

/* One integer from a query (or `dflt` when no row); *err set on error. */
static int64_t one(sqlite3_stmt *st, int64_t dflt, int *err) {
  int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
  int64_t v = dflt;
  if (rc == SQLITE_ROW)
    v = sqlite3_column_int64(st, 0);
  else if (rc != SQLITE_DONE)
    *err = HS__REST_EUNAVAIL;
  sqlite3_finalize(st);
  return v;
}

static int begin(lite_t *l) {
  pthread_mutex_lock(&l->mu);
  if (sqlite3_exec(l->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
    pthread_mutex_unlock(&l->mu);
    return HS__REST_EUNAVAIL;
  }
  return 0;
}

/* Commits when rc is 0, else rolls back; returns rc (or EUNAVAIL). */
static int end(lite_t *l, int rc) {
  if (rc == 0 && sqlite3_exec(l->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    rc = HS__REST_EUNAVAIL;
  if (rc)
    sqlite3_exec(l->db, "ROLLBACK", NULL, NULL, NULL);
  pthread_mutex_unlock(&l->mu);
  return rc;
}

/* Once a second (inside a transaction): idle namespaces, expired
 * tombstones and rate-limit windows go. */
static void sweep(lite_t *l, int64_t now) {
  if (now < l->next_sweep)
    return;
  l->next_sweep = now + 1;
  int64_t old = now - l->base.limits.ns_ttl;
  run(q(l, "DELETE FROM items WHERE ns IN (SELECT ns FROM spaces WHERE used <= ?)", "i", old));
  run(q(l, "DELETE FROM colls WHERE ns IN (SELECT ns FROM spaces WHERE used <= ?)", "i", old));
  run(q(l, "DELETE FROM spaces WHERE used <= ?", "i", old));
  run(q(l, "DELETE FROM items WHERE doc IS NULL AND gone <= ?", "i", now));
  run(q(l, "DELETE FROM hits WHERE e <= ?", "i", now));
}

/* Marks namespace ns used (creating it when `create`); returns 0, 1 if it
 * does not exist, or an error. */
static int ns_touch(lite_t *l, const char *ns, int64_t now, int create) {
  int err = 0;
  sweep(l, now);
  int64_t have = one(q(l, "SELECT 1 FROM spaces WHERE ns = ?", "t", ns), 0, &err);
  if (err)
    return err;
  if (!have) {
    if (!create)
      return 1;
    int64_t n = one(q(l, "SELECT count(*) FROM spaces", ""), 0, &err);
    if (err)
      return err;
    if ((size_t)n >= l->base.limits.max_namespaces)
      return HS__REST_ENSPACES;
    if (run(q(l, "INSERT INTO spaces VALUES(?, ?, 0, 0)", "ti", ns, now)))
      return HS__REST_EUNAVAIL;
    return 0;
  }
  return run(q(l, "UPDATE spaces SET used = ? WHERE ns = ?", "it", now, ns)) ? HS__REST_EUNAVAIL
                                                                             : 0;
}

/* Makes sure collection coll exists in ns (counted against max_colls). */
static int coll_make(lite_t *l, const char *ns, const char *coll) {
  int err = 0;
  int64_t have =
      one(q(l, "SELECT 1 FROM colls WHERE ns = ? AND coll = ?", "tt", ns, coll), 0, &err);
  if (err || have)
    return err;
  int64_t n = one(q(l, "SELECT count(*) FROM colls WHERE ns = ?", "t", ns), 0, &err);
  if (err)
    return err;
  if ((size_t)n >= l->base.limits.max_colls)
    return HS__REST_ECOLLS;
  return run(q(l, "INSERT INTO colls VALUES(?, ?, NULL, 1)", "tt", ns, coll)) ? HS__REST_EUNAVAIL
                                                                              : 0;
}

/* Reads the item row of k into *out (doc copied); returns 0 (live),
 * EGONE, ENOENT (also for rows not readable yet unless `any`), EUNAVAIL. */
static int read_item(lite_t *l, const hs__rest_key_t *k, int64_t now, int any,
                     hs__rest_item_t *out) {
  memset(out, 0, sizeof *out);
  sqlite3_stmt *st = q(l,
                       "SELECT doc, etag, mtime, gone, seq, vis FROM items"
                       " WHERE ns = ? AND coll = ? AND id = ?",
                       "ttt", k->ns, k->coll, k->id);
  int rc = st ? sqlite3_step(st) : SQLITE_ERROR;
  int r = HS__REST_ENOENT;
  if (rc == SQLITE_ROW) {
    snprintf(out->etag, sizeof out->etag, "%s", (const char *)sqlite3_column_text(st, 1));
    out->mtime = sqlite3_column_int64(st, 2);
    out->gone = sqlite3_column_int64(st, 3);
    out->seq = (uint64_t)sqlite3_column_int64(st, 4);
    int64_t vis = sqlite3_column_int64(st, 5);
    if (sqlite3_column_type(st, 0) == SQLITE_NULL)
      r = out->gone > now ? HS__REST_EGONE : HS__REST_ENOENT;
    else if (vis > now && !any)
      r = HS__REST_ENOENT;
    else {
      out->len = (size_t)sqlite3_column_bytes(st, 0);
      out->doc = malloc(out->len + 1);
      r = out->doc ? 0 : HS__REST_ENOMEM;
      if (out->doc) {
        memcpy(out->doc, sqlite3_column_blob(st, 0), out->len);
        out->doc[out->len] = '\0';
      }
    }
  } else if (rc != SQLITE_DONE)
    r = HS__REST_EUNAVAIL;
  sqlite3_finalize(st);
  return r;
}

static int l_get(hs__rest_store_t *s, const hs__rest_key_t *k, int64_t now, hs__rest_item_t *out) {
  lite_t *l = (lite_t *)s;
  int rc = begin(l);
  if (rc)
    return rc;
  int t = ns_touch(l, k->ns, now, 0);
  rc = t < 0 ? t : t == 1 ? HS__REST_ENOENT : read_item(l, k, now, 0, out);
  end(l, rc < 0 && rc != HS__REST_EUNAVAIL ? 0 : rc); /* keep the touch */
  if (rc == HS__REST_ENOENT)
    memset(out, 0, sizeof *out);
  return rc;
}

static int cond_ok(int rc, const hs__rest_item_t *cur, hs__rest_cond_t cond, const char *etag) {
  switch (cond) {
  case HS__REST_IF_ABSENT:
    return rc != 0;
  case HS__REST_IF_PRESENT:
    return rc == 0;
  case HS__REST_IF_ETAG:
    return rc == 0 && strcmp(cur->etag, etag) == 0;
  default:
    return 1;
  }
}

static int l_put(hs__rest_store_t *s, const hs__rest_key_t *k, const char *doc, size_t len,
                 const char *etag, int64_t now, int64_t from, hs__rest_cond_t cond,
                 const char *if_etag, int *created) {
  lite_t *l = (lite_t *)s;
  int rc = begin(l);
  if (rc)
    return rc;
  hs__rest_item_t cur = {0};
  int err = ns_touch(l, k->ns, now, 1);
  if (!err)
    err = coll_make(l, k->ns, k->coll);
  int have = err ? 0 : read_item(l, k, now, 1, &cur);
  if (!err && (have == HS__REST_EUNAVAIL || have == HS__REST_ENOMEM))
    err = have;
  if (!err && !cond_ok(have, &cur, cond, if_etag))
    err = HS__REST_EPRECOND;
  size_t old = have == 0 ? cur.len + strlen(k->id) : 0;
  int64_t bytes = err ? 0 : one(q(l, "SELECT bytes FROM spaces WHERE ns = ?", "t", k->ns), 0, &err);
  int64_t n = err ? 0 : one(q(l, "SELECT n FROM spaces WHERE ns = ?", "t", k->ns), 0, &err);
  size_t nb = (size_t)bytes - old + len + strlen(k->id);
  if (!err && nb > s->limits.max_bytes)
    err = HS__REST_EBYTES;
  if (!err && have != 0 && (size_t)n >= s->limits.max_items)
    err = HS__REST_EITEMS;
  int64_t seq = have == 0 ? (int64_t)cur.seq : 0;
  if (!err && have != 0) {
    seq =
        one(q(l, "SELECT seq FROM colls WHERE ns = ? AND coll = ?", "tt", k->ns, k->coll), 1, &err);
    if (!err &&
        run(q(l, "UPDATE colls SET seq = seq + 1 WHERE ns = ? AND coll = ?", "tt", k->ns, k->coll)))
      err = HS__REST_EUNAVAIL;
  }
  if (!err && run(q(l, "INSERT OR REPLACE INTO items VALUES(?, ?, ?, ?, ?, ?, 0, ?, ?)", "tttbtiii",
                    k->ns, k->coll, k->id, doc, len, etag, now, seq, from)))
    err = HS__REST_EUNAVAIL;
  if (!err && run(q(l, "UPDATE spaces SET bytes = ?, n = n + ? WHERE ns = ?", "iit", (int64_t)nb,
                    (int64_t)(have != 0), k->ns)))
    err = HS__REST_EUNAVAIL;
  free(cur.doc);
  if (!err)
    *created = have != 0;
  return end(l, err);
}

static int l_del(hs__rest_store_t *s, const hs__rest_key_t *k, int64_t now, hs__rest_cond_t cond,
                 const char *if_etag) {
  lite_t *l = (lite_t *)s;
  int rc = begin(l);
  if (rc)
    return rc;
  hs__rest_item_t cur = {0};
  int t = ns_touch(l, k->ns, now, 0);
  int err = t < 0 ? t : t == 1 ? HS__REST_ENOENT : read_item(l, k, now, 0, &cur);
  if (!err && !cond_ok(0, &cur, cond, if_etag))
    err = HS__REST_EPRECOND;
  if (!err &&
      (run(q(
           l,
           "UPDATE items SET doc = NULL, gone = ?, mtime = ? WHERE ns = ? AND coll = ? AND id = ?",
           "iittt", now + s->limits.tomb_ttl, now, k->ns, k->coll, k->id)) ||
       run(q(l, "UPDATE spaces SET bytes = bytes - ?, n = n - 1 WHERE ns = ?", "it",
             (int64_t)(cur.len + strlen(k->id)), k->ns))))
    err = HS__REST_EUNAVAIL;
  free(cur.doc);
  return end(l, err);
}

static int l_list(hs__rest_store_t *s, const char *ns, const char *coll, int64_t now,
                  hs__rest_item_t **items, size_t *n) {
  lite_t *l = (lite_t *)s;
  *items = NULL;
  *n = 0;
  int rc = begin(l);
  if (rc)
    return rc;
  int t = ns_touch(l, ns, now, 0);
  if (t) {
    end(l, 0);
    return t < 0 ? t : 0;
  }
  sqlite3_stmt *st = q(l,
                       "SELECT id, doc, etag, mtime, seq FROM items WHERE ns = ? AND coll = ?"
                       " AND doc IS NOT NULL AND vis <= ? ORDER BY seq",
                       "tti", ns, coll, now);
  size_t cap = 0, k = 0;
  hs__rest_item_t *v = NULL;
  int err = st ? 0 : HS__REST_EUNAVAIL, step;
  while (!err && (step = sqlite3_step(st)) == SQLITE_ROW) {
    if (k == cap) {
      cap = cap ? cap * 2 : 16;
      hs__rest_item_t *nv = realloc(v, cap * sizeof *v);
      if (!nv) {
        err = HS__REST_ENOMEM;
        break;
      }
      v = nv;
    }
    hs__rest_item_t *it = &v[k];
    memset(it, 0, sizeof *it);
    it->id = strdup((const char *)sqlite3_column_text(st, 0));
    it->len = (size_t)sqlite3_column_bytes(st, 1);
    it->doc = malloc(it->len + 1);
    k++;
    if (!it->id || !it->doc) {
      err = HS__REST_ENOMEM;
      break;
    }
    memcpy(it->doc, sqlite3_column_blob(st, 1), it->len);
    it->doc[it->len] = '\0';
    snprintf(it->etag, sizeof it->etag, "%s", (const char *)sqlite3_column_text(st, 2));
    it->mtime = sqlite3_column_int64(st, 3);
    it->seq = (uint64_t)sqlite3_column_int64(st, 4);
  }
  if (!err && step != SQLITE_DONE)
    err = HS__REST_EUNAVAIL;
  sqlite3_finalize(st);
  end(l, 0);
  if (err) {
    hs__rest_items_free(v, k);
    return err;
  }
  *items = v;
  *n = k;
  return 0;
}

static int l_config_get(hs__rest_store_t *s, const char *ns, const char *coll, int64_t now,
                        char **json) {
  lite_t *l = (lite_t *)s;
  *json = NULL;
  int rc = begin(l);
  if (rc)
    return rc;
  sqlite3_stmt *st = q(l, "SELECT cfg FROM colls WHERE ns = ? AND coll = ?", "tt", ns, coll);
  int step = st ? sqlite3_step(st) : SQLITE_ERROR;
  if (step == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
    rc = (*json = strdup((const char *)sqlite3_column_text(st, 0))) ? 0 : HS__REST_ENOMEM;
  else if (step != SQLITE_ROW && step != SQLITE_DONE)
    rc = HS__REST_EUNAVAIL;
  sqlite3_finalize(st);
  end(l, 0);
  return rc;
}

static int l_config_put(hs__rest_store_t *s, const char *ns, const char *coll, const char *json,
                        int64_t now) {
  lite_t *l = (lite_t *)s;
  int rc = begin(l);
  if (rc)
    return rc;
  int err = ns_touch(l, ns, now, 1);
  if (!err)
    err = coll_make(l, ns, coll);
  if (!err &&
      run(q(l, "UPDATE colls SET cfg = ? WHERE ns = ? AND coll = ?", "ttt", json, ns, coll)))
    err = HS__REST_EUNAVAIL;
  return end(l, err);
}

static int l_hit(hs__rest_store_t *s, const char *key, int64_t now, int64_t window, uint64_t *count,
                 int64_t *reset) {
  lite_t *l = (lite_t *)s;
  int64_t start = now - now % window;
  int rc = begin(l);
  if (rc)
    return rc;
  int err = 0;
  if (run(q(l,
            "INSERT INTO hits VALUES(?, ?, ?, 1) ON CONFLICT(k) DO UPDATE SET"
            " n = CASE WHEN w = excluded.w THEN n + 1 ELSE 1 END, w = excluded.w, e = excluded.e",
            "tii", key, start, start + window)))
    err = HS__REST_EUNAVAIL;
  int64_t c = err ? 0 : one(q(l, "SELECT n FROM hits WHERE k = ?", "t", key), 0, &err);
  rc = end(l, err);
  *count = (uint64_t)c;
  *reset = start + window - now;
  return rc;
}

static void l_destroy(hs__rest_store_t *s) {
  lite_t *l = (lite_t *)s;
  sqlite3_close(l->db);
  pthread_mutex_destroy(&l->mu);
  free(l);
}

static const hs__rest_store_ops_t lite_ops = {l_get,        l_put,        l_del, l_list,
                                              l_config_get, l_config_put, l_hit, l_destroy};

hs__rest_store_t *hs__rest_store_sqlite_new(const char *path, const hs__rest_limits_t *limits,
                                            char *err, size_t errlen) {
  lite_t *l = calloc(1, sizeof *l);
  if (!l)
    return NULL;
  l->base.ops = &lite_ops;
  l->base.limits = *limits;
  pthread_mutex_init(&l->mu, NULL);
  if (sqlite3_open_v2(path, &l->db,
                      SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX,
                      NULL) != SQLITE_OK ||
      sqlite3_busy_timeout(l->db, 250) != SQLITE_OK ||
      sqlite3_exec(l->db, schema_sql, NULL, NULL, NULL) != SQLITE_OK) {
    snprintf(err, errlen, "%s: %s", path, l->db ? sqlite3_errmsg(l->db) : "out of memory");
    l_destroy(&l->base);
    return NULL;
  }
  return &l->base;
}
