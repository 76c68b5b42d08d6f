/* Per-worker context: pools, Date cache (RFC 9110 §6.6.1), random numbers. */
#include "http/ctx.h"

#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/time.h>

#include "http/render.h"
#include "http/request.h"
#include "http/response.h"
#include "http/status_table.h"

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

/* Large buffers (WebSocket messages, big bodies) are mapped on their own and
 * unmapped when freed. glibc's default threshold rises to the size of the
 * largest block freed, after which blocks of up to 32 MiB come from the heap
 * and stay in the process: 50 echoed 16 MiB messages left 0.5-1 GB behind.
 * Setting the thresholds turns that adjustment off. */
static void return_large_blocks(void) {
#ifdef M_MMAP_THRESHOLD
  mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 2 * 1024 * 1024);
#endif
}

static void global_init_once(void) {
  return_large_blocks();
  hs__status_table_init();
  hs__render_global_init();
}

void hs__global_init(void) { pthread_once(&global_once, global_init_once); }

size_t hs__ctx_hdr_block(const hs__config_t *cfg) { return cfg->max_headers * sizeof(hs__hdr_t); }

void hs__ctx_init(hs__ctx_t *ctx, const hs__config_t *cfg, const struct hs_route_s *const *routes) {
  hs__global_init();
  memset(ctx, 0, sizeof(*ctx));
  ctx->cfg = cfg;
  ctx->routes = routes;
  hs__pool_init(&ctx->rpool, 4096, 256);
  hs__pool_init(&ctx->hpool, hs__ctx_hdr_block(cfg), 256);
  hs__pool_init(&ctx->opool, 16384, 128);
  hs__buf_init(&ctx->scratch, NULL);
  struct timeval tv;
  gettimeofday(&tv, NULL);
  ctx->rng = ((uint64_t)tv.tv_sec * 1000003u) ^ (uint64_t)tv.tv_usec ^ (uint64_t)(uintptr_t)ctx;
  if (!ctx->rng)
    ctx->rng = 0x9E3779B97F4A7C15ull;
  ctx->date_sec = (time_t)-1;
  hs__ctx_tick(ctx);
}

void hs__ctx_free(hs__ctx_t *ctx) {
  hs__buf_release(&ctx->scratch);
  hs__pool_destroy(&ctx->rpool);
  hs__pool_destroy(&ctx->hpool);
  hs__pool_destroy(&ctx->opool);
}

static const char wday[7][4] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
static const char mon[12][4] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

/* RFC 9110 §5.6.7: IMF-fixdate, always GMT. Recomputed at most once a second. */
void hs__ctx_tick(hs__ctx_t *ctx) {
  time_t now = time(NULL);
  if (now == ctx->date_sec)
    return;
  ctx->date_sec = now;
  struct tm tm;
  gmtime_r(&now, &tm);
  int n = snprintf(ctx->date, sizeof(ctx->date), "%s, %02d %s %04d %02d:%02d:%02d GMT",
                   wday[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour,
                   tm.tm_min, tm.tm_sec);
  ctx->date_len = n > 0 ? (size_t)n : 0;
  snprintf(ctx->clf_time, sizeof(ctx->clf_time), "%02d/%s/%04d:%02d:%02d:%02d +0000", tm.tm_mday,
           mon[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  snprintf(ctx->iso_time, sizeof(ctx->iso_time), "%04d-%02d-%02dT%02d:%02d:%02dZ",
           tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

double hs__ctx_random(hs__ctx_t *ctx) {
  uint64_t x = ctx->rng;
  x ^= x >> 12;
  x ^= x << 25;
  x ^= x >> 27;
  ctx->rng = x;
  return (double)((x * 0x2545F4914F6CDD1Dull) >> 11) / 9007199254740992.0;
}
