/* Lookup by number, iteration, flags and names of enums (libhttpstatus). */
#include "registry_data.h"

static const hs_status_t *rec_at(uint16_t v) { return v ? &hs__records[v - 1] : NULL; }

/* O(1): one bounds check and one table load per namespace. */
const hs_status_t *hs_lookup(hs_namespace_t ns, int code) {
  switch (ns) {
  case HS_NS_HTTP:
    return (code >= 100 && code <= 599) ? rec_at(hs__idx_http[code - 100]) : NULL;
  case HS_NS_HTTP_VENDOR:
    return (code >= 100 && code <= 599) ? rec_at(hs__idx_vendor[code - 100]) : NULL;
  case HS_NS_FTP:
    return (code >= 100 && code <= 699) ? rec_at(hs__idx_ftp[code - 100]) : NULL;
  case HS_NS_WS:
    return (code >= 1000 && code <= 4999) ? rec_at(hs__idx_ws[code - 1000]) : NULL;
  case HS_NS_IIS:
    return (code >= 400 && code <= 599) ? rec_at(hs__idx_iis0[code - 400]) : NULL;
  default:
    return NULL;
  }
}

/* O(1) expected: open addressing with linear probing over a table at most half full. */
const hs_status_t *hs_lookup_iis(int code, int sub) {
  if (code < 400 || code > 599 || sub < 0 || sub > 999)
    return NULL;
  uint32_t mask = (1u << HS__IIS_HASH_BITS) - 1;
  uint32_t h = hs__iis_slot((uint32_t)(code * 1000 + sub));
  for (uint32_t n = 0; n <= mask; n++, h = (h + 1) & mask) {
    uint16_t v = hs__iis_hash[h];
    if (!v)
      return NULL;
    const hs_status_t *r = &hs__records[v - 1];
    if (r->code == code && r->sub == sub)
      return r;
  }
  return NULL;
}

static const char *const generic_phrase[6] = {"Unknown",     "Informational", "Success",
                                              "Redirection", "Client Error",  "Server Error"};

const char *hs_reason_phrase(int code) {
  const hs_status_t *r = hs_lookup(HS_NS_HTTP, code);
  /* "(Unused)" (306, 418) names a registry state, not a phrase to send: the
   * best-known historical name (the first alias) goes on the wire instead. */
  if (r && r->phrase[0] == '(' && r->aliases && r->aliases[0])
    return r->aliases[0];
  if (r)
    return r->phrase;
  if (code >= 100 && code <= 599)
    return generic_phrase[code / 100];
  return generic_phrase[0];
}

/* Vendor records are sorted by code, so all meanings of one code are adjacent. */
size_t hs_vendor_meanings(int code, const hs_status_t **out, size_t max) {
  const hs_status_t *first = hs_lookup(HS_NS_HTTP_VENDOR, code);
  if (!first)
    return 0;
  const hs__slice_t *sl = &hs__ns_slices[HS_NS_HTTP_VENDOR];
  const hs_status_t *end = &hs__records[sl->start + sl->count];
  size_t n = 0;
  for (const hs_status_t *r = first; r < end && r->code == code; r++, n++)
    if (n < max)
      out[n] = r;
  return n;
}

const hs_status_t *hs_records(hs_namespace_t ns, size_t *count) {
  if ((unsigned)ns >= HS_NS_COUNT) {
    if (count)
      *count = 0;
    return NULL;
  }
  if (count)
    *count = hs__ns_slices[ns].count;
  return &hs__records[hs__ns_slices[ns].start];
}

const hs_class_t *hs_classes(size_t *count) {
  if (count)
    *count = hs__class_count;
  return hs__classes;
}

const hs_class_t *hs_class_of(hs_namespace_t ns, int v) {
  hs_namespace_t want = ns == HS_NS_HTTP_VENDOR || ns == HS_NS_IIS ? HS_NS_HTTP : ns;
  for (size_t i = 0; i < hs__class_count; i++) {
    const hs_class_t *c = &hs__classes[i];
    if (c->ns != want)
      continue;
    if (want == HS_NS_WS) {
      if (c->kind == 2 && v >= c->value && v <= c->high)
        return c;
    } else if (c->kind == 0 && c->value == v) {
      return c;
    }
  }
  return NULL;
}

/* RFC 9110 §15.2 (1xx), §15.3.5 (204), §15.3.6 (205: MUST NOT generate content),
 * §15.4.5 (304). */
int hs_body_allowed(int code) {
  if (code >= 100 && code < 200)
    return 0;
  return !(code == 204 || code == 205 || code == 304);
}

int hs_cacheable(int code) {
  const hs_status_t *r = hs_lookup(HS_NS_HTTP, code);
  return r ? (r->flags & HS_F_CACHEABLE) != 0 : 0;
}

static const char *const header_names[HS_H_COUNT] = {"Allow",
                                                     "WWW-Authenticate",
                                                     "Proxy-Authenticate",
                                                     "Location",
                                                     "Content-Range",
                                                     "Upgrade",
                                                     "Retry-After",
                                                     "Link",
                                                     "ETag",
                                                     "Content-Location",
                                                     "Vary",
                                                     "Cache-Control",
                                                     "Date",
                                                     "Expires",
                                                     "Accept-Patch",
                                                     "Accept-Post",
                                                     "Accept-Encoding",
                                                     "Accept-Ranges",
                                                     "Content-Type",
                                                     "Content-Length"};

const char *hs_header_name(hs_header_t h) {
  return (unsigned)h < HS_H_COUNT ? header_names[h] : NULL;
}

const char *hs_namespace_name(hs_namespace_t ns) {
  static const char *const names[HS_NS_COUNT] = {"http", "http-vendor", "iis", "ftp", "ws"};
  return (unsigned)ns < HS_NS_COUNT ? names[ns] : "unknown";
}

const char *hs_state_name(hs_state_t st) {
  static const char *const names[HS_STATE_COUNT] = {"standard",   "temporary",    "deprecated",
                                                    "unused",     "obsolete",     "reserved",
                                                    "unofficial", "experimental", "historic"};
  return (unsigned)st < HS_STATE_COUNT ? names[st] : "unknown";
}

const char *hs_version(void) { return HS_VERSION_STRING; }

int hs_version_number(void) { return HS_VERSION_NUMBER; }
