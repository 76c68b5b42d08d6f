/* The words of the reference pages in both languages (i18n.c). */
#ifndef HS_REFERENCE_I18N_H
#define HS_REFERENCE_I18N_H

#include "httpstatus/registry.h"

typedef enum hs__ref_word_e {
  HS_W_SITE,
  HS_W_SKIP,
  HS_W_SEARCH,
  HS_W_SEARCH_HINT,
  HS_W_LANGUAGE,
  HS_W_HOME,
  HS_W_API,
  HS_W_NS_HTTP,
  HS_W_NS_VENDOR,
  HS_W_NS_IIS,
  HS_W_NS_FTP,
  HS_W_NS_WS,
  HS_W_GLANCE,
  HS_W_STATE,
  HS_W_VENDOR,
  HS_W_SPEC,
  HS_W_CACHEABLE,
  HS_W_BODY,
  HS_W_REQUIRES,
  HS_W_EXPECTS,
  HS_W_ALIASES,
  HS_W_REGISTERED,
  HS_W_EXPIRES,
  HS_W_RETRY,
  HS_W_ON_WIRE,
  HS_W_YES,
  HS_W_NO,
  HS_W_NONE,
  HS_W_BODY_YES,
  HS_W_BODY_NO,
  HS_W_RETRY_AFTER,
  HS_W_EXPLANATION,
  HS_W_SCENARIOS,
  HS_W_VENDOR_MEANINGS,
  HS_W_EXAMPLE,
  HS_W_REQUEST,
  HS_W_RESPONSE,
  HS_W_TRY,
  HS_W_TRY_BUTTON,
  HS_W_TRY_NOTE,
  HS_W_TRY_WS,
  HS_W_EXAMPLE_ONLY,
  HS_W_RELATED,
  HS_W_CODES_IN,
  HS_W_MAP,
  HS_W_MAP_HINT,
  HS_W_LEGEND_STD,
  HS_W_LEGEND_VENDOR,
  HS_W_LEGEND_UNASSIGNED,
  HS_W_NAMESPACES,
  HS_W_RESULTS,
  HS_W_NO_RESULTS,
  HS_W_FOOTER,
  HS_W_DIGITS,
  HS_W_SAME_NUMBER,
  HS_W_PREV,
  HS_W_NEXT,
  HS_W_TAGLINE,
  HS_W_IIS_NOTE,
  HS_W_FRAME,
  HS_W_FTP_NOTE,
  HS_W_COLON, /* ": " or the full-width "：" after a label */
  HS_W_SEE_ALSO,
  HS_W_VENDORS,
  HS_W_RETRY_IDEMPOTENT,
  HS_W_COUNT
} hs__ref_word_t;

/* The word `w` in `lang` (never NULL). */
const char *hs__ref_word(hs__ref_word_t w, hs_lang_t lang);
/* A registration state in `lang` ("standard" / "标准"). */
const char *hs__ref_state_word(hs_state_t st, hs_lang_t lang);
/* A namespace's display name in `lang`. */
const char *hs__ref_ns_word(hs_namespace_t ns, hs_lang_t lang);

#endif
