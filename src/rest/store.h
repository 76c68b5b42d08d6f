/* The REST playground's storage interface: items (JSON documents as text,
 * with their strong ETag, modification time and tombstone), per-collection
 * configuration, and counters for rate limits, kept per namespace. Each
 * backend (memory today) implements the operations below; the state machine
 * (rest.c) never knows which one it talks to. Every write that depends on
 * what is stored (create-only, If-Match) passes its precondition down so
 * that the backend checks and writes in one step: two instances sharing a
 * backend cannot both win a conflict. */
#ifndef HS_REST_STORE_H
#define HS_REST_STORE_H

#include <stddef.h>
#include <stdint.h>

/* Results (0 = success). */
enum {
  HS__REST_OK = 0,
  HS__REST_ENOENT = -1,   /* no such item */
  HS__REST_EGONE = -2,    /* the item was deleted; its tombstone has not expired */
  HS__REST_EPRECOND = -3, /* the write's precondition failed */
  HS__REST_EBYTES = -4,   /* the namespace's byte quota would be exceeded */
  HS__REST_EITEMS = -5,   /* ... its item quota */
  HS__REST_ECOLLS = -6,   /* ... its collection quota */
  HS__REST_ENSPACES = -7, /* no room for another namespace */
  HS__REST_EUNAVAIL = -8, /* the storage cannot be reached */
  HS__REST_ENOMEM = -9
};

/* Limits a backend enforces (from `httpstatus serve --rest-*`). */
typedef struct hs__rest_limits_s {
  size_t max_items;      /* live items per namespace */
  size_t max_bytes;      /* bytes of documents and ids per namespace */
  size_t max_colls;      /* collections per namespace */
  size_t max_namespaces; /* namespaces in the store */
  int64_t ns_ttl;        /* seconds a namespace lives after its last use */
  int64_t tomb_ttl;      /* seconds a tombstone answers 410 */
} hs__rest_limits_t;

/* Which item a call is about. Every string is NUL-terminated and validated
 * by the caller (rest_names.c): no NUL, no '/', short. */
typedef struct hs__rest_key_s {
  const char *ns, *coll, *id;
} hs__rest_key_t;

/* An item as read. `doc` is malloc'd (caller frees with hs__rest_item_free)
 * and NULL for a tombstone. */
typedef struct hs__rest_item_s {
  char *id;      /* malloc'd; set by list only */
  char *doc;     /* the stored representation (compact JSON) */
  size_t len;    /* bytes of doc */
  char etag[24]; /* strong entity tag with its quotes (RFC 9110 §8.8.3) */
  int64_t mtime; /* seconds since the epoch (Last-Modified) */
  int64_t gone;  /* tombstone: 410 until this time (0 for a live item) */
  uint64_t seq;  /* creation order within the collection */
} hs__rest_item_t;

/* A write's precondition (RFC 9110 §13.1), checked atomically with it. */
typedef enum hs__rest_cond_e {
  HS__REST_IF_ANY = 0, /* create or replace */
  HS__REST_IF_ABSENT,  /* only create (POST with an id, If-None-Match: *) */
  HS__REST_IF_PRESENT, /* only replace (If-Match: *) */
  HS__REST_IF_ETAG     /* only replace the version whose ETag is `etag` */
} hs__rest_cond_t;

typedef struct hs__rest_store_s hs__rest_store_t;

typedef struct hs__rest_store_ops_s {
  /* Reads an item. Returns 0 (live: *out filled), HS__REST_EGONE (out->gone
   * set), HS__REST_ENOENT or HS__REST_EUNAVAIL. */
  int (*get)(hs__rest_store_t *s, const hs__rest_key_t *k, int64_t now, hs__rest_item_t *out);
  /* Creates or replaces an item under `cond` (`etag` of the new version
   * given by the caller), readable from time `from` on (now, or later for
   * an asynchronous create: until then get and list do not see it, but it
   * counts as present for IF_ABSENT). Sets *created to 1 when no live item
   * was there.
   * Returns 0, HS__REST_EPRECOND, HS__REST_EBYTES/EITEMS/ECOLLS/ENSPACES,
   * HS__REST_EUNAVAIL or HS__REST_ENOMEM. */
  int (*put)(hs__rest_store_t *s, const hs__rest_key_t *k, const char *doc, size_t len,
             const char *etag, int64_t now, int64_t from, hs__rest_cond_t cond, const char *if_etag,
             int *created);
  /* Replaces a live item by a tombstone until now + tomb_ttl, under `cond`
   * (IF_ANY or IF_ETAG). Returns 0, HS__REST_ENOENT, HS__REST_EGONE,
   * HS__REST_EPRECOND or HS__REST_EUNAVAIL. */
  int (*del)(hs__rest_store_t *s, const hs__rest_key_t *k, int64_t now, hs__rest_cond_t cond,
             const char *if_etag);
  /* Every live item of a collection in creation order (*items malloc'd,
   * freed with hs__rest_items_free). Returns 0, HS__REST_EUNAVAIL or
   * HS__REST_ENOMEM. */
  int (*list)(hs__rest_store_t *s, const char *ns, const char *coll, int64_t now,
              hs__rest_item_t **items, size_t *n);
  /* A collection's configuration (JSON text, malloc'd into *json; NULL when
   * it has none). Returns 0 or HS__REST_EUNAVAIL. */
  int (*config_get)(hs__rest_store_t *s, const char *ns, const char *coll, int64_t now,
                    char **json);
  /* Sets a collection's configuration (counts as one of its collections).
   * Returns 0, HS__REST_ECOLLS/ENSPACES, HS__REST_EUNAVAIL or ENOMEM. */
  int (*config_put)(hs__rest_store_t *s, const char *ns, const char *coll, const char *json,
                    int64_t now);
  /* Counts one hit on `key` in the fixed window of `window` seconds that
   * holds `now`: sets *count (this hit included) and *reset (seconds until
   * the window ends). Returns 0 or HS__REST_EUNAVAIL. */
  int (*hit)(hs__rest_store_t *s, const char *key, int64_t now, int64_t window, uint64_t *count,
             int64_t *reset);
  void (*destroy)(hs__rest_store_t *s);
} hs__rest_store_ops_t;

struct hs__rest_store_s {
  const hs__rest_store_ops_t *ops;
  hs__rest_limits_t limits;
};

/* A new in-memory store (thread-safe: one lock), or NULL. */
hs__rest_store_t *hs__rest_store_mem_new(const hs__rest_limits_t *limits);

/* A store in the SQLite database at `path` (created if missing), or NULL
 * with the reason in err[errlen]. */
hs__rest_store_t *hs__rest_store_sqlite_new(const char *path, const hs__rest_limits_t *limits,
                                            char *err, size_t errlen);

/* A store in the Redis server at host:port, shared by every instance that
 * names it. Never NULL for an unreachable server (its operations answer
 * HS__REST_EUNAVAIL until it comes back); NULL only when out of memory. */
hs__rest_store_t *hs__rest_store_redis_new(const char *host, int port,
                                           const hs__rest_limits_t *limits);

/* The store `spec` names ("memory", "sqlite:PATH", "redis://HOST:PORT"),
 * or NULL with the reason in err[errlen]. */
hs__rest_store_t *hs__rest_store_open(const char *spec, const hs__rest_limits_t *limits, char *err,
                                      size_t errlen);

void hs__rest_item_free(hs__rest_item_t *it);
void hs__rest_items_free(hs__rest_item_t *items, size_t n);

/* The strong ETag of a representation: a quoted 64-bit FNV-1a digest of its
 * bytes in hex, into etag[24]. Equal bytes give equal tags on every
 * instance, so tags agree across a shared backend. */
void hs__rest_etag(const char *doc, size_t len, char etag[24]);

#endif
