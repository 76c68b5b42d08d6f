/* The small limits every server-path fuzz harness runs with, so that inputs
 * of a few KiB reach the limit checks (414, 431, 413, --max-delay). */
#ifndef HS_FUZZ_CONFIG_H
#define HS_FUZZ_CONFIG_H

#include "handlers/routes.h"
#include "http/ctx.h"

/* Fills cfg with the fuzzing limits and prepares ctx with every route. */
static inline void hs_fuzz_setup(hs_config_t *cfg, hs__ctx_t *ctx) {
  hs__config_defaults(cfg);
  cfg->max_uri = 256;
  cfg->max_header_size = 1024;
  cfg->max_headers = 16;
  cfg->max_body = 512;
  cfg->max_chunk_ext = 64;
  cfg->max_delay_ms = 2000;
  cfg->access_log = HS_ALOG_OFF;
  hs__ctx_init(ctx, cfg, hs__handler_routes);
}

#endif
