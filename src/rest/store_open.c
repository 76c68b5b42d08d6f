/* Picks the REST store that --state names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rest/store.h"

hs__rest_store_t *hs__rest_store_open(const char *spec, const hs__rest_limits_t *limits, char *err,
                                      size_t errlen) {
  if (!spec || strcmp(spec, "memory") == 0)
    return hs__rest_store_mem_new(limits);
  if (strncmp(spec, "sqlite:", 7) == 0 && spec[7])
    return hs__rest_store_sqlite_new(spec + 7, limits, err, errlen);
  if (strncmp(spec, "redis://", 8) == 0) {
    char host[256];
    const char *hp = spec + 8, *colon = strrchr(hp, ':');
    size_t hl = colon ? (size_t)(colon - hp) : strlen(hp);
    long port = colon ? strtol(colon + 1, NULL, 10) : 6379;
    if (hl == 0 || hl >= sizeof host || port < 1 || port > 65535) {
      snprintf(err, errlen, "%s: expected redis://HOST:PORT", spec);
      return NULL;
    }
    memcpy(host, hp, hl);
    host[hl] = '\0';
    return hs__rest_store_redis_new(host, (int)port, limits);
  }
  snprintf(err, errlen, "%s: expected memory, sqlite:PATH or redis://HOST:PORT", spec);
  return NULL;
}
