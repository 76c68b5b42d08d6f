/* Lookup by constant name, phrase or alias (libhttpstatus). */
#include <string.h>

#include "registry_data.h"

int hs__norm_name(const char *in, char *out, size_t cap) {
  size_t n = 0;
  for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
    unsigned char c = *p;
    if (c >= 'A' && c <= 'Z')
      c = (unsigned char)(c - 'A' + 'a');
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
      continue;
    if (n + 1 >= cap)
      return -1;
    out[n++] = (char)c;
  }
  out[n] = '\0';
  return (int)n;
}

/* Binary search over the sorted name table; among equal names the generator put
 * official HTTP first, so the first match in the wanted namespace wins. */
const hs_status_t *hs_find_name(const char *name, int ns) {
  char key[128];
  if (!name || hs__norm_name(name, key, sizeof key) <= 0)
    return NULL;
  size_t lo = 0, hi = hs__name_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(hs__names[mid].name, key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  for (size_t i = lo; i < hs__name_count && strcmp(hs__names[i].name, key) == 0; i++) {
    const hs_status_t *r = &hs__records[hs__names[i].record];
    if (ns < 0 || (int)r->ns == ns)
      return r;
  }
  return NULL;
}
