/* Internal to the project (not installed, not exported from the shared library):
 * the JSON form of a registry record, shared by the CLI (`httpstatus --json`) and
 * the server's web reference so both print one shape (docs/web.md). */
#ifndef HS_REGISTRY_RECORD_JSON_H
#define HS_REGISTRY_RECORD_JSON_H

#include <stdio.h>

#include "httpstatus/registry.h"

/* Writes `s` as a JSON string (RFC 8259 §7), or null for NULL. */
void hs__json_string(FILE *out, const char *s);

/* Writes record `r` as a JSON object, both languages included, its lines
 * indented by `indent` spaces (the opening brace too). */
void hs__json_record(FILE *out, const hs_status_t *r, int indent);

/* Writes the start of a short reference to record `r`: `{"namespace": …,
 * "key": …, "code": …, "phrase": …, "phrase_zh": …` with no closing brace,
 * so that the caller may add fields before it. */
void hs__json_record_ref_open(FILE *out, const hs_status_t *r);

/* Writes a class / digit / range explanation the same way. */
void hs__json_class(FILE *out, const hs_class_t *c, int indent);

#endif
