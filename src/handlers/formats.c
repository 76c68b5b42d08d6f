/* httpbin-compatible fixed formats (issue 4; docs/httpbin-compat.md §3, §4):
 * /html, /json, /xml, /robots.txt, /deny, /encoding/utf8, /forms/post,
 * /links/{n}[/{offset}], /base64/{value}, /base64/{encode,decode}/{value},
 * /image and /image/{png,jpeg,webp,svg}. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/b64.h"
#include "base/sbuf.h"
#include "base/utf8.h"
#include "handlers/hb_request.h"
#include "handlers/hb_send.h"
#include "handlers/routes.h"
#include "http/ctx.h"
#include "httpbin/images.h"

#define CT_HTML "text/html; charset=utf-8"
#define CT_TEXT_UTF8 "text/plain; charset=utf-8"

/* ---- fixed texts (ours; same structure and types as httpbin's) ---------- */

/* /html: a page with a passage of Moby-Dick (1851, public domain). */
static const char html_page[] =
    "<!DOCTYPE html>\n<html>\n  <head>\n    <meta charset=\"utf-8\">\n  </head>\n  <body>\n"
    "    <h1>Herman Melville - Moby-Dick</h1>\n\n    <div>\n      <p>\n"
    "        Call me Ishmael. Some years ago&#8212;never mind how long precisely&#8212;having\n"
    "        little or no money in my purse, and nothing particular to interest me on shore, I\n"
    "        thought I would sail about a little and see the watery part of the world. It is a\n"
    "        way I have of driving off the spleen and regulating the circulation. Whenever I\n"
    "        find myself growing grim about the mouth; whenever it is a damp, drizzly November\n"
    "        in my soul; whenever I find myself involuntarily pausing before coffin warehouses,\n"
    "        and bringing up the rear of every funeral I meet; and especially whenever my hypos\n"
    "        get such an upper hand of me, that it requires a strong moral principle to prevent\n"
    "        me from deliberately stepping into the street, and methodically knocking people's\n"
    "        hats off&#8212;then, I account it high time to get to sea as soon as I can. This is\n"
    "        my substitute for pistol and ball. With a philosophical flourish Cato throws\n"
    "        himself upon his sword; I quietly take to the ship. There is nothing surprising in\n"
    "        this. If they but knew it, almost all men in their degree, some time or other,\n"
    "        cherish very nearly the same feelings towards the ocean with me.\n"
    "      </p>\n    </div>\n  </body>\n</html>\n";

/* /json (go-httpbin): the JSON twin of /xml, in our layout. */
static const char json_doc[] =
    "{\n  \"slideshow\": {\n    \"author\": \"Yours Truly\",\n"
    "    \"date\": \"date of publication\",\n    \"slides\": [\n      {\n"
    "        \"title\": \"Wake up to WonderWidgets!\",\n        \"type\": \"all\"\n      },\n"
    "      {\n        \"items\": [\n          \"Why <em>WonderWidgets</em> are great\",\n"
    "          \"Who <em>buys</em> WonderWidgets\"\n        ],\n"
    "        \"title\": \"Overview\",\n        \"type\": \"all\"\n      }\n    ],\n"
    "    \"title\": \"Sample Slide Show\"\n  }\n}\n";

/* /xml: the "sample slideshow" document. */
static const char xml_doc[] =
    "<?xml version='1.0' encoding='us-ascii'?>\n\n"
    "<!-- A sample slide show, the XML twin of /json -->\n\n"
    "<slideshow\n    title=\"Sample Slide Show\"\n    date=\"Date of publication\"\n"
    "    author=\"Yours Truly\"\n    >\n\n"
    "    <!-- the title slide -->\n    <slide type=\"all\">\n"
    "      <title>Wake up to WonderWidgets!</title>\n    </slide>\n\n"
    "    <!-- the overview -->\n    <slide type=\"all\">\n        <title>Overview</title>\n"
    "        <item>Why <em>WonderWidgets</em> are great</item>\n        <item/>\n"
    "        <item>Who <em>buys</em> WonderWidgets</item>\n    </slide>\n\n</slideshow>";

/* /robots.txt: exactly httpbin's two lines. */
static const char robots_txt[] = "User-agent: *\nDisallow: /deny\n";

/* /deny: an ASCII-art face and the sentence clients test for. */
static const char deny_txt[] = "\n"
                               "            .-\"\"\"\"\"\"\"\"-.\n"
                               "          .'            '.\n"
                               "         /   \\\\      //   \\\n"
                               "        |    (o)    (o)    |\n"
                               "        |                  |\n"
                               "        |     .------.     |\n"
                               "         \\   /        \\   /\n"
                               "          '.            .'\n"
                               "            '-........-'\n"
                               "\n"
                               "     YOU SHOULDN'T BE HERE\n";

/* /encoding/utf8: our own UTF-8 sample page (scripts, symbols, 4-byte
 * characters, combining marks). */
static const char utf8_page[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
    "<title>UTF-8 sample</title>\n</head>\n<body>\n<h1>UTF-8 sample</h1>\n"
    "<p>Text in many scripts, encoded as UTF-8 (RFC 3629).</p>\n<pre>\n"
    "Greek        Καλημέρα κόσμε\n"
    "Russian      Здравствуй, мир\n"
    "Georgian     გამარჯობა, მსოფლიო\n"
    "Armenian     Բարեւ, աշխարհ\n"
    "Hebrew       שלום עולם\n"
    "Arabic       مرحبا بالعالم\n"
    "Hindi        नमस्ते दुनिया\n"
    "Thai         สวัสดีชาวโลก\n"
    "Amharic      ሰላም ለዓለም\n"
    "Chinese      你好，世界\n"
    "Japanese     こんにちは、世界\n"
    "Korean       안녕하세요, 세계\n"
    "\n"
    "Mathematics  ∀x∈ℝ: ⌈x⌉ = −⌊−x⌋     ∑ᵢ₌₁ⁿ i = n(n+1)/2     ∫₀^∞ e^(−x²) dx = √π/2\n"
    "Logic        ¬(p ∧ q) ⇔ (¬p ∨ ¬q)     ∅ ⊂ A ⊆ A ∪ B\n"
    "Arrows       ← ↑ → ↓ ↔ ↕ ⇐ ⇒ ⇔\n"
    "Currency     € £ ¥ ₹ ₩ ₽ ₿ ¢\n"
    "Typography   “double” ‘single’ «guillemets» — en–dash … • † ‡ § ¶ ©\n"
    "Combining    é = e + U+0301: é     ñ = n + U+0303: ñ\n"
    "Beyond BMP   𝄞 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🫖 ☕ 🍵\n"
    "\n"
    "Box drawing  ┌──────┬──────┐\n"
    "             │ tea  │ pot  │\n"
    "             ├──────┼──────┤\n"
    "             │ 418  │ 🫖   │\n"
    "             └──────┴──────┘\n"
    "Blocks       ░░▒▒▓▓██ ▁▂▃▄▅▆▇█\n"
    "</pre>\n</body>\n</html>\n";

/* /forms/post: a form posting firstname and lastname to /post, like httpbin's. */
static const char forms_page[] =
    "<!DOCTYPE html>\n<html lang=\"en\">\n  <head>\n    <meta charset=\"utf-8\">\n"
    "    <title>Form</title>\n  </head>\n  <body>\n"
    "    <form method=\"post\" action=\"/post\">\n"
    "      <p><label>First name: <input type=\"text\" name=\"firstname\"></label></p>\n"
    "      <p><label>Last name: <input type=\"text\" name=\"lastname\"></label></p>\n"
    "      <p><input type=\"submit\" value=\"Send\"></p>\n"
    "    </form>\n  </body>\n</html>\n";

#define FIXED(s) (s), sizeof(s) - 1

/* A complete 200 response with a fixed body. */
static void send_fixed(hs__exchange_t *x, const char *ctype, const char *body, size_t len) {
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  hs__resp_end(&r, ctype, body, len);
}

static void html_handler(hs__exchange_t *x) { send_fixed(x, CT_HTML, FIXED(html_page)); }
static void json_handler(hs__exchange_t *x) { send_fixed(x, "application/json", FIXED(json_doc)); }
static void xml_handler(hs__exchange_t *x) { send_fixed(x, "application/xml", FIXED(xml_doc)); }
static void robots_handler(hs__exchange_t *x) { send_fixed(x, "text/plain", FIXED(robots_txt)); }
static void deny_handler(hs__exchange_t *x) { send_fixed(x, "text/plain", FIXED(deny_txt)); }
static void utf8_handler(hs__exchange_t *x) { send_fixed(x, CT_HTML, FIXED(utf8_page)); }
static void forms_handler(hs__exchange_t *x) { send_fixed(x, CT_HTML, FIXED(forms_page)); }

/* ---- /links ------------------------------------------------------------- */

/* Werkzeug's <int:> path parameter: one or more ASCII digits. Returns 1 and
 * sets *v (saturated at UINT32_MAX, which is beyond every limit used here),
 * or 0 if s is not such a number. */
static int parse_uint(const char *s, size_t n, uint64_t *v) {
  if (!n)
    return 0;
  uint64_t r = 0;
  for (size_t i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return 0;
    if (r < UINT32_MAX)
      r = r * 10 + (uint64_t)(s[i] - '0');
  }
  *v = r > UINT32_MAX ? UINT32_MAX : r;
  return 1;
}

/* GET /links/{n}: 302 to /links/{n}/0 (n printed as a number, as url_for
 * does). GET /links/{n}/{offset}: a page of min(max(n, 1), 200) links, link i
 * pointing at /links/{n}/{i}, except at `offset` where the bare number stands
 * (exactly httpbin's markup). Anything else under /links/ is 404. */
static void links_handler(hs__exchange_t *x) {
  hs__str_t t = x->tail;
  const char *slash = memchr(t.ptr, '/', t.len);
  size_t nl = slash ? (size_t)(slash - t.ptr) : t.len;
  uint64_t n, off;
  if (!parse_uint(t.ptr, nl, &n) || (slash && !parse_uint(slash + 1, t.len - nl - 1, &off))) {
    hs__resp_error(x, 404, "No such endpoint: use /links/{n} or /links/{n}/{offset} with numbers.",
                   NULL);
    return;
  }
  hs__buf_t *b = &x->ctx->scratch;
  b->len = 0;
  hs__resp_t r;
  if (!slash) {
    /* the number without leading zeros, however long */
    size_t z = 0;
    while (z + 1 < nl && t.ptr[z] == '0')
      z++;
    char loc[64];
    size_t ll = nl - z > 40
                    ? 0
                    : (size_t)snprintf(loc, sizeof loc, "/links/%.*s/0", (int)(nl - z), t.ptr + z);
    if (!ll) {
      hs__resp_error(x, 404, "The number of links is far too large.", NULL);
      return;
    }
    hs__buf_lit(b, "<!doctype html>\n<html lang=en>\n<title>Redirecting...</title>\n"
                   "<h1>Redirecting...</h1>\n<p>Go on to <a href=\"");
    hs__buf_append(b, loc, ll);
    hs__buf_lit(b, "\">");
    hs__buf_append(b, loc, ll);
    hs__buf_lit(b, "</a>.\n");
    hs__resp_begin(&r, x, 302);
    hs__resp_hdr(&r, HS_H_LOCATION, loc, ll);
    hs__resp_end(&r, CT_HTML, b->base, b->len);
    return;
  }
  if (n < 1)
    n = 1;
  if (n > 200)
    n = 200;
  hs__buf_lit(b, "<html><head><title>Links</title></head><body>");
  for (uint64_t i = 0; i < n; i++) {
    if (i == off) {
      hs__buf_u64(b, i);
      hs__buf_lit(b, " ");
    } else {
      hs__buf_lit(b, "<a href='/links/");
      hs__buf_u64(b, n);
      hs__buf_lit(b, "/");
      hs__buf_u64(b, i);
      hs__buf_lit(b, "'>");
      hs__buf_u64(b, i);
      hs__buf_lit(b, "</a> ");
    }
  }
  hs__buf_lit(b, "</body></html>");
  hs__resp_begin(&r, x, 200);
  hs__resp_end(&r, CT_HTML, b->base, b->len);
}

/* ---- /base64 ------------------------------------------------------------ */

/* Percent-decodes a path segment into a malloc'd buffer (*out, *len); invalid
 * escapes are kept as they are. Returns 0, or -1 if out of memory. */
static int seg_decode(hs__str_t s, char **out, size_t *len) {
  char *d = malloc(s.len + 1);
  if (!d)
    return -1;
  size_t k = 0;
  for (size_t i = 0; i < s.len; i++) {
    int h, l;
    char c = s.ptr[i];
    if (c == '%' && i + 2 < s.len && (h = hs__hexval((unsigned char)s.ptr[i + 1])) >= 0 &&
        (l = hs__hexval((unsigned char)s.ptr[i + 2])) >= 0) {
      c = (char)(h << 4 | l);
      i += 2;
    }
    d[k++] = c;
  }
  d[k] = 0;
  *out = d;
  *len = k;
  return 0;
}

/* Sends decoded bytes: text/html (httpbin) or text/plain (go-httpbin) when
 * they are UTF-8 text. */
static void send_decoded(hs__exchange_t *x, const char *ctype, const uint8_t *p, size_t n) {
  send_fixed(x, ctype, (const char *)p, n);
}

/* /base64/{value} (httpbin): urlsafe_b64decode, lenient as CPython (non-alphabet
 * characters skipped), answered as text/html; bad padding or a result that is
 * not UTF-8 → 400 (httpbin: 500, difference 7).
 * /base64/encode/{v}, /base64/decode/{v} (go-httpbin): text/plain; strict
 * decoding, URL-safe alphabet first, then the standard one; other operations,
 * undecodable or empty input → 400. */
static void base64_handler(hs__exchange_t *x) {
  hs__str_t t = x->tail;
  const char *slash = memchr(t.ptr, '/', t.len);
  hs__str_t op = {t.ptr, slash ? (size_t)(slash - t.ptr) : t.len};
  hs__str_t val = slash ? (hs__str_t){slash + 1, t.len - op.len - 1} : op;
  if (!op.len || (slash && memchr(val.ptr, '/', val.len))) {
    hs__resp_error(x, 404,
                   "No such endpoint: use /base64/{value}, /base64/encode/{value} or "
                   "/base64/decode/{value}.",
                   NULL);
    return;
  }
  char *in;
  size_t inlen;
  if (seg_decode(val, &in, &inlen))
    goto oom;
  uint8_t *dec = NULL;
  if (!slash) {
    dec = malloc(hs__b64_decoded_max(inlen));
    if (!dec)
      goto oom_in;
    long n = hs__b64_decode(in, inlen, dec, HS_B64_URL | HS_B64_LENIENT);
    if (n < 0)
      hs__resp_error(x, 400,
                     "The value is not valid base64: the last group of characters is "
                     "incomplete (incorrect padding).",
                     NULL);
    else if (!hs__utf8_valid((const char *)dec, (size_t)n))
      hs__resp_error(x, 400, "The decoded value is not UTF-8 text.", NULL);
    else
      send_decoded(x, CT_HTML, dec, (size_t)n);
  } else if (op.len == 6 && !memcmp(op.ptr, "encode", 6)) {
    if (!inlen) {
      hs__resp_error(x, 400, "Nothing to encode: use /base64/encode/{value}.", NULL);
    } else {
      size_t n;
      char *enc = hs__b64_encode_alloc(in, inlen, HS_B64_URL, &n);
      if (!enc)
        goto oom_in;
      send_fixed(x, CT_TEXT_UTF8, enc, n);
      free(enc);
    }
  } else if (op.len == 6 && !memcmp(op.ptr, "decode", 6)) {
    dec = malloc(hs__b64_decoded_max(inlen));
    if (!dec)
      goto oom_in;
    long n = inlen ? hs__b64_decode(in, inlen, dec, HS_B64_URL) : -1;
    if (n < 0 && inlen)
      n = hs__b64_decode(in, inlen, dec, 0);
    if (n < 0 && inlen)
      n = hs__b64_decode(in, inlen, dec, HS_B64_URL | HS_B64_NOPAD);
    if (n < 0 && inlen)
      n = hs__b64_decode(in, inlen, dec, HS_B64_NOPAD);
    if (n < 0)
      hs__resp_error(x, 400, "The value is not valid base64 (RFC 4648 §4 or §5).", NULL);
    else
      send_decoded(x,
                   hs__utf8_valid((const char *)dec, (size_t)n) ? CT_TEXT_UTF8
                                                                : "application/octet-stream",
                   dec, (size_t)n);
  } else {
    hs__resp_error(x, 400,
                   "Unknown base64 operation: use /base64/encode/{value} or "
                   "/base64/decode/{value}.",
                   NULL);
  }
  free(dec);
  free(in);
  return;
oom_in:
  free(in);
oom:
  hs__resp_error(x, 500, "The response could not be produced (out of memory).", NULL);
}

/* ---- /image ------------------------------------------------------------- */

static void send_image(hs__exchange_t *x, const hb_image_t *im, int vary) {
  hs__resp_t r;
  hs__resp_begin(&r, x, 200);
  if (vary)
    hs__resp_hdr(&r, HS_H_VARY, "Accept", 6);
  hs__resp_end(&r, im->content_type, (const char *)im->data, im->len);
}

/* GET /image: the picture chosen from Accept the way httpbin does (substring
 * tests: webp, svg+xml, jpeg, then png or image/"*"; PNG without Accept);
 * otherwise 406 with the list of offered types (our JSON layout). */
static void image_handler(hs__exchange_t *x) {
  const hs__req_t *req = x->req;
  hs__sbuf_t all = HS_SBUF_INIT;
  int present = 0;
  for (size_t i = 0; i < req->nheaders; i++) {
    if (!hs__str_ieq(req->headers[i].name, "Accept", 6))
      continue;
    if (present++)
      hs__sbuf_addc(&all, ',');
    hs__sbuf_add(&all, req->headers[i].value.ptr, req->headers[i].value.len);
  }
  if (all.oom) {
    hs__sbuf_free(&all);
    hs__resp_error(x, 500, "The response could not be produced (out of memory).", NULL);
    return;
  }
  const hb_image_t *im = hb_image_for_accept((hs__str_t){all.p ? all.p : "", all.len}, present);
  hs__sbuf_free(&all);
  if (im) {
    send_image(x, im, 1);
    return;
  }
  static const char body[] =
      "{\n  \"accept\": [\n    \"image/webp\",\n    \"image/svg+xml\",\n    \"image/jpeg\",\n"
      "    \"image/png\",\n    \"image/*\"\n  ],\n"
      "  \"message\": \"Client did not request a supported media type.\"\n}\n";
  hs__resp_t r;
  hs__resp_begin(&r, x, 406);
  hs__resp_hdr(&r, HS_H_VARY, "Accept", 6);
  hs__resp_end(&r, "application/json", body, sizeof body - 1);
}

/* GET /image/{png,jpeg,webp,svg}: that picture; other names → 404. */
static void image_kind_handler(hs__exchange_t *x) {
  const hb_image_t *im = hb_image_find(x->tail.ptr, x->tail.len);
  if (!im) {
    hs__resp_error(x, 404, "No such image: use /image/png, /image/jpeg, /image/webp or /image/svg.",
                   NULL);
    return;
  }
  send_image(x, im, 0);
}

const hs__route_t hs__routes_formats[] = {
    HS_GET_ROUTE("/html", html_handler, "/html", "an HTML document"),
    HS_GET_ROUTE("/json", json_handler, "/json", "a JSON document"),
    HS_GET_ROUTE("/xml", xml_handler, "/xml", "an XML document"),
    HS_GET_ROUTE("/robots.txt", robots_handler, "/robots.txt", "robots.txt rules"),
    HS_GET_ROUTE("/deny", deny_handler, "/deny", "the page robots.txt denies"),
    HS_GET_ROUTE("/encoding/utf8", utf8_handler, "/encoding/utf8", "a UTF-8 text in many scripts"),
    HS_GET_ROUTE("/forms/post", forms_handler, "/forms/post", "an HTML form that posts to /post"),
    HS_ROUTE("/links/", 1, HS_M_GET_HEAD, links_handler, "/links/{n}/{offset}",
             "a page of n links"),
    HS_ROUTE("/base64/", 1, HS_M_GET_HEAD, base64_handler,
             "/base64/{value} /base64/encode/{v} /base64/decode/{v}",
             "base64 decoding and encoding"),
    HS_GET_ROUTE("/image", image_handler, "/image", "an image chosen by Accept (406 otherwise)"),
    HS_ROUTE("/image/", 1, HS_M_GET_HEAD, image_kind_handler,
             "/image/png /image/jpeg /image/webp /image/svg", "our own picture in each format"),
    HS_ROUTE_END,
};
