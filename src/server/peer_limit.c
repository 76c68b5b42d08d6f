/* Per-address connection counts (--max-connections-per-ip): a chained hash
 * table under one mutex, taken once per accept and once per close. An entry
 * exists only while its address has a connection open, so the memory follows
 * the number of distinct clients connected. */
#include "server/peer_limit.h"

#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct peer_s {
  struct peer_s *next;
  hs__peer_key_t key;
  unsigned count;
} peer_t;

struct hs_peer_limit_s {
  pthread_mutex_t lock;
  unsigned per_peer;
  size_t mask; /* buckets - 1 (a power of two) */
  peer_t **buckets;
};

int hs__peer_key(const struct sockaddr *sa, hs__peer_key_t *key) {
  memset(key, 0, sizeof(*key));
  if (sa->sa_family == AF_INET) {
    key->b[10] = key->b[11] = 0xff; /* ::ffff:a.b.c.d */
    memcpy(key->b + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
    return 0;
  }
  if (sa->sa_family == AF_INET6) {
    memcpy(key->b, &((const struct sockaddr_in6 *)sa)->sin6_addr, 16);
    return 0;
  }
  return -1;
}

hs__peer_limit_t *hs__peer_limit_new(unsigned per_peer, unsigned max_conns) {
  hs__peer_limit_t *t = calloc(1, sizeof(*t));
  if (!t)
    return NULL;
  size_t n = 1024; /* about 4 connections per bucket, within [1024, 65536] */
  while (n < 65536 && n * 4 < max_conns)
    n *= 2;
  t->buckets = calloc(n, sizeof(*t->buckets));
  if (!t->buckets) {
    free(t);
    return NULL;
  }
  t->mask = n - 1;
  t->per_peer = per_peer;
  pthread_mutex_init(&t->lock, NULL);
  return t;
}

void hs__peer_limit_free(hs__peer_limit_t *t) {
  if (!t)
    return;
  for (size_t i = 0; i <= t->mask; i++)
    for (peer_t *p = t->buckets[i], *next; p; p = next) {
      next = p->next;
      free(p);
    }
  pthread_mutex_destroy(&t->lock);
  free(t->buckets);
  free(t);
}

/* FNV-1a over the 16 bytes: the bucket of `key`. */
static peer_t **bucket_of(hs__peer_limit_t *t, const hs__peer_key_t *key) {
  uint64_t h = 1469598103934665603ull;
  for (int i = 0; i < 16; i++)
    h = (h ^ key->b[i]) * 1099511628211ull;
  return &t->buckets[(h ^ (h >> 29)) & t->mask];
}

int hs__peer_limit_take(hs__peer_limit_t *t, const hs__peer_key_t *key) {
  int ok = 0;
  pthread_mutex_lock(&t->lock);
  peer_t **b = bucket_of(t, key), *p = *b;
  while (p && memcmp(&p->key, key, sizeof(*key)) != 0)
    p = p->next;
  if (p) {
    if (p->count < t->per_peer) {
      p->count++;
      ok = 1;
    }
  } else if ((p = malloc(sizeof(*p))) != NULL) {
    p->key = *key;
    p->count = 1;
    p->next = *b;
    *b = p;
    ok = 1;
  }
  pthread_mutex_unlock(&t->lock);
  return ok;
}

void hs__peer_limit_release(hs__peer_limit_t *t, const hs__peer_key_t *key) {
  pthread_mutex_lock(&t->lock);
  for (peer_t **pp = bucket_of(t, key); *pp; pp = &(*pp)->next) {
    peer_t *p = *pp;
    if (memcmp(&p->key, key, sizeof(*key)) != 0)
      continue;
    if (--p->count == 0) {
      *pp = p->next;
      free(p);
    }
    break;
  }
  pthread_mutex_unlock(&t->lock);
}
