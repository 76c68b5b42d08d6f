/* Stable accessors and predicates over registry records (libhttpstatus). Programs
 * that use only these keep working when later versions append fields to
 * hs_status_t or add languages. */
#include "registry_data.h"

/* Text of one language, falling back to English when the record lacks it. */
static const char *lang_text(const char *const *v, hs_lang_t lang) {
  if ((unsigned)lang < HS_LANG_COUNT && v[lang])
    return v[lang];
  return v[HS_LANG_EN];
}

const char *hs_status_text(const hs_status_t *r, hs_text_t what, hs_lang_t lang) {
  if (!r)
    return NULL;
  switch (what) {
  case HS_TEXT_KEY:
    return r->key;
  case HS_TEXT_CONSTANT:
    return r->constant;
  case HS_TEXT_PHRASE:
    return lang == HS_LANG_ZH && r->phrase_zh ? r->phrase_zh : r->phrase;
  case HS_TEXT_SUMMARY:
    return lang_text(r->summary, lang);
  case HS_TEXT_DETAIL:
    return lang_text(r->detail, lang);
  case HS_TEXT_SPEC:
    return r->spec;
  case HS_TEXT_URL:
    return r->url;
  case HS_TEXT_VENDOR:
    return r->vendor;
  case HS_TEXT_VENDOR_KEY:
    return r->vendor_key;
  case HS_TEXT_REGISTERED:
    return r->registered;
  case HS_TEXT_EXPIRES:
    return r->version >= 3 ? r->expires : NULL;
  default:
    return NULL;
  }
}

/* The i-th entry of a NULL-terminated list, or NULL past its end. */
static const char *nth(const char *const *list, size_t i) {
  if (!list)
    return NULL;
  for (size_t k = 0; k < i; k++)
    if (!list[k])
      return NULL;
  return list[i];
}

const char *hs_status_alias(const hs_status_t *r, size_t i) {
  return r ? nth(r->aliases, i) : NULL;
}

const hs_status_t *hs_status_related(const hs_status_t *r, size_t i) {
  if (!r || r < hs__records || r >= hs__records + hs__record_count)
    return NULL;
  const hs__slice_t *sl = &hs__related[r - hs__records];
  return i < sl->count ? &hs__records[hs__related_list[sl->start + i]] : NULL;
}

const char *hs_status_scenario(const hs_status_t *r, hs_lang_t lang, size_t i) {
  if (!r)
    return NULL;
  const char *const *l = (unsigned)lang < HS_LANG_COUNT ? r->scenarios[lang] : NULL;
  if (!l || !l[0])
    l = r->scenarios[HS_LANG_EN];
  return nth(l, i);
}

hs_namespace_t hs_status_ns(const hs_status_t *r) { return r ? r->ns : HS_NS_COUNT; }
int hs_status_code(const hs_status_t *r) { return r ? r->code : -1; }
int hs_status_sub(const hs_status_t *r) { return r ? r->sub : -1; }
hs_state_t hs_status_state(const hs_status_t *r) { return r ? r->state : HS_STATE_COUNT; }
uint32_t hs_status_flags(const hs_status_t *r) { return r ? r->flags : 0; }
uint32_t hs_status_requires(const hs_status_t *r) { return r ? r->requires : 0; }
uint32_t hs_status_expects(const hs_status_t *r) { return r ? r->expects : 0; }

const hs_status_t *hs_record_at(hs_namespace_t ns, size_t i) {
  if ((unsigned)ns >= HS_NS_COUNT || i >= hs__ns_slices[ns].count)
    return NULL;
  return &hs__records[hs__ns_slices[ns].start + i];
}

/* The data marks transient conditions (retry: yes) and those that are transient
 * only when the server said when (retry: with-retry-after); FTP 4yz is transient
 * by definition (RFC 959 §4.2). */
int hs_status_retryable(const hs_status_t *r, int has_retry_after) {
  if (!r)
    return 0;
  if (r->flags & HS_F_RETRY)
    return 1;
  return (r->flags & HS_F_RETRY_AFTER) && has_retry_after;
}

/* RFC 6455 §7.4.1-7.4.2: 1005, 1006 and 1015 are for local use only, 1004 is
 * reserved, unregistered codes below 3000 are reserved for the protocol, and 0-999
 * are not used; 3000-3999 (registered libraries) and 4000-4999 (private) may be
 * sent. */
int hs_ws_close_sendable(int code) {
  if (code >= 3000 && code <= 4999)
    return 1;
  const hs_status_t *r = hs_lookup(HS_NS_WS, code);
  return r && !(r->flags & HS_F_NOT_ON_WIRE) && r->state != HS_STATE_RESERVED;
}
