/* What the libFuzzer harnesses share: the entry points libFuzzer calls
 * (declared here, once, for -Wmissing-prototypes), a way to cut an input in
 * two, and for the harnesses of the server path (HS_FUZZ_SERVER defined
 * before including this) the small limits they run with, so that inputs of
 * a few KiB reach the limit checks (414, 431, 413, --max-delay,
 * --json-max-depth). */
#ifndef HS_FUZZ_HARNESS_H
#define HS_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Splits data at its first '\n': *head gets what comes before it (the whole
 * input if there is none), *rest what follows, *rest_len its length. */
static inline size_t hs_fuzz_split(const uint8_t *data, size_t size, const char **rest,
                                   size_t *rest_len) {
  const uint8_t *nl = memchr(data, '\n', size);
  size_t head = nl ? (size_t)(nl - data) : size;
  *rest = (const char *)data + (nl ? head + 1 : size);
  *rest_len = nl ? size - head - 1 : 0;
  return head;
}

#ifdef HS_FUZZ_SERVER
#include "handlers/routes.h"
#include "http/ctx.h"

/* Fills cfg with the fuzzing limits and prepares ctx with every route. */
static inline void hs_fuzz_setup(hs__config_t *cfg, hs__ctx_t *ctx) {
  hs__config_defaults(cfg);
  cfg->max_uri = 256;
  cfg->max_header_size = 1024;
  cfg->max_headers = 16;
  cfg->max_body = 512;
  cfg->max_chunk_ext = 64;
  cfg->max_delay_ms = 2000;
  cfg->json_max_depth = 32;
  cfg->access_log = HS_ALOG_OFF;
  hs__ctx_init(ctx, cfg, hs__handler_routes);
}

/* Defines the harness's config and context, prepared once by libFuzzer's
 * initialisation hook. */
#define HS_FUZZ_SERVER_STATE(cfg, ctx)                                                             \
  static hs__config_t cfg;                                                                         \
  static hs__ctx_t ctx;                                                                            \
  int LLVMFuzzerInitialize(int *argc, char ***argv) {                                              \
    (void)argc;                                                                                    \
    (void)argv;                                                                                    \
    hs_fuzz_setup(&cfg, &ctx);                                                                     \
    return 0;                                                                                      \
  }
#endif

#endif
