/* The per-code table of status_table.h. */
#include "http/status_table.h"

#include "httpstatus/registry.h"

typedef struct {
  const hs_status_t *rec; /* official, else the most common vendor meaning, else NULL */
  const char *reason;
  uint32_t flags;
  uint32_t requires;
  uint32_t expects;
} status_info_t;

static status_info_t info[500];

/* RFC 9110 facts for codes the registry does not describe. */
static uint32_t default_flags(int code) {
  if (code < 200)
    return HS_F_NO_BODY | HS_F_NO_CLENGTH | HS_F_INTERIM;
  if (code == 204)
    return HS_F_NO_BODY | HS_F_NO_CLENGTH;
  if (code == 205 || code == 304)
    return HS_F_NO_BODY;
  return 0;
}

void hs__status_table_init(void) {
  for (int code = 100; code <= 599; code++) {
    const char *phrase = hs_reason_phrase(code);
    const hs_status_t *st = hs_lookup(HS_NS_HTTP, code), *rec = st;
    /* a number only vendors use: the most common meaning (the registry orders
     * them by rank), whose phrase is sent (499 Client Closed Request), not the
     * class text */
    if (!st && hs_vendor_meanings(code, &rec, 1) == 0)
      rec = NULL;
    if (!st && rec && rec->phrase)
      phrase = rec->phrase;
    /* a reason phrase is HTAB / SP / VCHAR / obs-text (RFC 9112 §4) */
    for (const unsigned char *p = (const unsigned char *)phrase; *p; p++)
      if (*p < 0x20 && *p != '\t')
        phrase = "Unknown";
    status_info_t *si = &info[code - 100];
    si->rec = rec;
    si->reason = phrase;
    si->flags = st ? st->flags : default_flags(code);
    if (!hs_body_allowed(code))
      si->flags |= HS_F_NO_BODY;
    si->requires = st ? st->requires : 0;
    si->expects = st ? st->expects : 0;
  }
}

const hs_status_t *hs__status_record(int code) {
  return code >= 100 && code <= 599 ? info[code - 100].rec : NULL;
}

const char *hs__status_reason(int code) {
  return code >= 100 && code <= 599 ? info[code - 100].reason : "Unknown";
}

uint32_t hs__status_flags(int code) {
  return code >= 100 && code <= 599 ? info[code - 100].flags : 0;
}

uint32_t hs__status_requires(int code) {
  return code >= 100 && code <= 599 ? info[code - 100].requires : 0;
}

uint32_t hs__status_expects(int code) {
  return code >= 100 && code <= 599 ? info[code - 100].expects : 0;
}
