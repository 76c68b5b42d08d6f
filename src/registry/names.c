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

/* Index of the first entry of the sorted name table equal to `key`'s normalised
 * form (its end when there is none); *key receives that form. */
static size_t first_of(const char *name, char *key, size_t cap) {
  if (!name || hs__norm_name(name, key, cap) <= 0)
    return hs__name_count;
  size_t lo = 0, hi = hs__name_count;
  while (lo < hi) {
    size_t mid = lo + (hi - lo) / 2;
    if (strcmp(hs__names[mid].name, key) < 0)
      lo = mid + 1;
    else
      hi = mid;
  }
  return lo;
}

/* Among equal names the generator put official HTTP first, then by namespace and
 * code, so the first match in the wanted namespace wins. */
const hs_status_t *hs_find_name(const char *name, int ns) {
  const hs_status_t *r = NULL;
  return hs_find_names(name, ns, &r, 1) ? r : NULL;
}

/* Chinese names (phrase.zh) have no ASCII form: an exact match, surrounding spaces
 * ignored, by a scan of the records in table order (official HTTP first). */
static size_t find_zh_names(const char *name, int ns, const hs_status_t **out, size_t max) {
  while (*name == ' ')
    name++;
  size_t len = strlen(name);
  while (len && name[len - 1] == ' ')
    len--;
  size_t n = 0;
  for (size_t i = 0; len && i < hs__record_count; i++) {
    const hs_status_t *r = &hs__records[i];
    if ((ns >= 0 && (int)r->ns != ns) || !r->phrase_zh || strlen(r->phrase_zh) != len ||
        memcmp(r->phrase_zh, name, len) != 0)
      continue;
    if (n < max && out)
      out[n] = r;
    n++;
  }
  return n;
}

size_t hs_find_names(const char *name, int ns, const hs_status_t **out, size_t max) {
  char key[128];
  size_t n = 0;
  for (size_t i = first_of(name, key, sizeof key);
       i < hs__name_count && strcmp(hs__names[i].name, key) == 0; i++) {
    const hs_status_t *r = &hs__records[hs__names[i].record];
    if (ns >= 0 && (int)r->ns != ns)
      continue;
    if (n < max && out)
      out[n] = r;
    n++;
  }
  if (n == 0 && name) /* "I’m a teapot" matched above; "未找到" has no ASCII form */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++)
      if (*p >= 0x80)
        return find_zh_names(name, ns, out, max);
  return n;
}
