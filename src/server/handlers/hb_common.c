/* Pieces shared by the httpbin-compatible handlers (see hb_common.h). Being
 * written. */
#include "hb_common.h"
