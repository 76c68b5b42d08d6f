/* What the server needs to know about each HTTP status code 100-599, read
 * from the registry once at start-up: the reason phrase it sends, the
 * registry's flags (no content, no Content-Length, interim...) and the header
 * fields the code requires or expects (RFC 9110 §15). Codes the registry does
 * not describe get RFC 9110's defaults for their class. */
#ifndef HS_HTTP_STATUS_TABLE_H
#define HS_HTTP_STATUS_TABLE_H

#include <stdint.h>

#include "httpstatus/registry.h"

/* Builds the table (called once through hs__global_init). */
void hs__status_table_init(void);

/* The record describing `code`: official, else its most common vendor meaning
 * (the data's rank: 499 → nginx), else NULL (and NULL outside 100-599). */
const hs_status_t *hs__status_record(int code);

/* The reason phrase sent for `code` (the registry's phrase; for "(Unused)"
 * codes, their historical name; "Unknown" outside 100-599). */
const char *hs__status_reason(int code);

/* Registry flags (HS_F_*) and required / expected headers (HS_HBIT masks). */
uint32_t hs__status_flags(int code);
uint32_t hs__status_requires(int code);
uint32_t hs__status_expects(int code);

#endif
