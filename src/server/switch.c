/* Protocol handover (switch.h). */
#include "server/switch.h"

#include "server/http2/h2.h"

unsigned hs__proto_switch(hs__ctx_t *ctx, const char *peer, hs__str_t scheme,
                          const hs__proto_ops_t **ops, void **p) {
  hs__handover_t ho;
  (*ops)->handover(*p, &ho);
  if (ho.kind == HS_HANDOVER_NONE)
    return HS_PROTO_CLOSE;
  hs__h2_t *h2 = hs__h2_new(ctx, peer, scheme);
  if (!h2)
    return HS_PROTO_CLOSE;
  unsigned flags = 0;
  if (ho.refuse)
    hs__h2_refuse(h2);
  if (ho.kind == HS_HANDOVER_H2C && hs__h2_upgrade(h2, ho.settings, ho.req) != 0)
    flags = HS_PROTO_CLOSE; /* the 101 is out: all we can do is close */
  else
    flags = hs__h2_feed_bytes(h2, ho.rest.ptr ? ho.rest.ptr : "", ho.rest.len);
  (*ops)->free(*p); /* the request and bytes above were copied or consumed */
  *ops = &hs__h2_proto;
  *p = h2;
  return flags;
}
