/* form: query strings, urlencoded and multipart bodies → httpbin's args, form,
 * files and data. Expected JSON texts are what httpbin 0.7 (Debian 12,
 * Werkzeug 2.2) answered for the same input, serialised with jsonify's rules. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "hs_test.h"
#include "httpbin/form.h"
#include "httpbin/jsonfmt.h"

#define S(lit) ((hs__str_t){(lit), sizeof(lit) - 1})

/* Compares the compact sorted dump of v (without newline) with want. */
static int json_is(const json_t *v, const char *want) {
  char *s = hb_json_dumps(v, HB_JSON_COMPACT | HB_JSON_SORT_KEYS, NULL);
  int ok = s && strcmp(s, want) == 0;
  if (!ok)
    fprintf(stderr, "  got  %s\n  want %s\n", s ? s : "(null)", want);
  free(s);
  return ok;
}

HS_TEST(args) {
  json_t *a = hb_form_args(S("b=2&a=1&a=%ZZ&c&=v&d=%C3%28+x%2B"));
  CHECK(
      json_is(a, "{\"\":\"v\",\"a\":[\"1\",\"%ZZ\"],\"b\":\"2\",\"c\":\"\",\"d\":\"\\ufffd( x+\"}"),
      "args with repeats, bare key, empty key, bad escape");
  json_decref(a);
  a = hb_form_args(S(""));
  CHECK(json_is(a, "{}"), "empty query");
  json_decref(a);
  a = hb_form_args(S("&&x=1&&x=2&x=3&%41%62=%e2%82%ac&%=%%&%4"));
  CHECK(json_is(a, "{\"%\":\"%%\",\"%4\":\"\",\"Ab\":\"\\u20ac\",\"x\":[\"1\",\"2\",\"3\"]}"),
        "three repeats, hex case, truncated escapes");
  json_decref(a);
  a = hb_form_args((hs__str_t){"k=a\0b", 5});
  CHECK(json_is(a, "{\"k\":\"a\\u0000b\"}"), "NUL kept");
  json_decref(a);
  /* Insertion order is first-seen order (for unsorted dumps). */
  a = hb_form_args(S("z=1&a=2&z=3"));
  char *s = hb_json_dumps(a, HB_JSON_PYDUMPS, NULL);
  CHECK_EQ_STR(s, "{\"z\": [\"1\", \"3\"], \"a\": \"2\"}", "order");
  free(s);
  json_decref(a);
}

HS_TEST(urlencoded_body) {
  json_t *form, *files, *data;
  const char body[] = "k=1&k=2&z=%E2%82%AC&w";
  int rc = hb_form_body(S("application/x-www-form-urlencoded"), body, sizeof body - 1, NULL, 0,
                        &form, &files, &data);
  CHECK_EQ_INT(rc, HB_FORM_OK, "rc");
  CHECK(json_is(form, "{\"k\":[\"1\",\"2\"],\"w\":\"\",\"z\":\"\\u20ac\"}"), "form");
  CHECK(json_is(files, "{}") && json_is(data, "\"\""), "files/data");
  json_decref(form), json_decref(files), json_decref(data);

  const char raw[] = "a=\xff\xfe"
                     "b\xc3&c=\xe2\x82";
  rc = hb_form_body(S("Application/X-WWW-Form-Urlencoded; charset=latin-1"), raw, sizeof raw - 1,
                    NULL, 0, &form, &files, &data);
  CHECK(rc == HB_FORM_OK && json_is(form, "{\"a\":\"\\ufffd\\ufffdb\\ufffd\",\"c\":\"\\ufffd\"}"),
        "invalid UTF-8 replaced (charset parameter ignored, as Werkzeug)");
  json_decref(form), json_decref(files), json_decref(data);
}

HS_TEST(other_body) {
  json_t *form, *files, *data;
  hb_form_body(S("application/octet-stream"), "\x00\xff\xfe", 3, NULL, 0, &form, &files, &data);
  CHECK(json_is(data, "\"data:application/octet-stream;base64,AP/+\""), "binary data URL");
  CHECK(json_is(form, "{}") && json_is(files, "{}"), "no form");
  json_decref(form), json_decref(files), json_decref(data);
  static const char txt[] = "{\"a\": \"\xc3\xa9\"}";
  hb_form_body((hs__str_t){NULL, 0}, txt, sizeof txt - 1, NULL, 0, &form, &files, &data);
  CHECK(json_is(data, "\"{\\\"a\\\": \\\"\\u00e9\\\"}\""), "text body kept");
  json_decref(form), json_decref(files), json_decref(data);
  hb_form_body(S("text/plain"), "", 0, NULL, 0, &form, &files, &data);
  CHECK(json_is(data, "\"\""), "empty body");
  json_decref(form), json_decref(files), json_decref(data);
  json_t *j = hb_json_safe("\x80", 1, S("image/x-y; q=1"));
  CHECK(json_is(j, "\"data:image/x-y; q=1;base64,gA==\""), "content type as sent");
  json_decref(j);
}

/* The body curl -F builds for: -F a=1 -F a=2 -F f=@hostname -F f=@bin1
 * -F 'g=@hostname;type=text/x-foo' -F 'bin=@bin1;filename=' -F
 * 'bin2=@bin1;type=image/x-y' -F e=é, with hostname = "vm\n" and
 * bin1 = "hi\xff". */
static const char CURL_BODY[] =
    "--------------------------78207e0fcd9b068a\r\n"
    "Content-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
    "--------------------------78207e0fcd9b068a\r\n"
    "Content-Disposition: form-data; name=\"a\"\r\n\r\n2\r\n"
    "--------------------------78207e0fcd9b068a\r\n"
    "Content-Disposition: form-data; name=\"f\"; filename=\"hostname\"\r\n"
    "Content-Type: application/octet-stream\r\n\r\nvm\n\r\n"
    "--------------------------78207e0fcd9b068a\r\n"
    "Content-Disposition: form-data; name=\"f\"; filename=\"bin1\"\r\n"
    "Content-Type: application/octet-stream\r\n\r\nhi\xff\r\n"
    "--------------------------78207e0fcd9b068a\r\n"
    "Content-Disposition: form-data; name=\"g\"; filename=\"hostname\"\r\n"
    "Content-Type: text/x-foo\r\n\r\nvm\n\r\n"
    "--------------------------78207e0fcd9b068a\r\n"
    "Content-Disposition: form-data; name=\"bin\"; filename=\"\"\r\n"
    "Content-Type: application/octet-stream\r\n\r\nhi\xff\r\n"
    "--------------------------78207e0fcd9b068a\r\n"
    "Content-Disposition: form-data; name=\"bin2\"; filename=\"bin1\"\r\n"
    "Content-Type: image/x-y\r\n\r\nhi\xff\r\n"
    "--------------------------78207e0fcd9b068a\r\n"
    "Content-Disposition: form-data; name=\"e\"\r\n\r\n\xc3\xa9\r\n"
    "--------------------------78207e0fcd9b068a--\r\n";
#define CURL_CT S("multipart/form-data; boundary=------------------------78207e0fcd9b068a")

static int parse(hs__str_t ct, const char *body, size_t len, unsigned flags,
                 const hb_form_limits_t *lim, const char *want_form, const char *want_files) {
  json_t *form = json_object(), *files = json_object();
  int rc = hb_form_multipart(ct, body, len, lim, flags, form, files);
  int ok = json_is(form, want_form) & json_is(files, want_files);
  json_decref(form);
  json_decref(files);
  return ok ? rc : -100;
}

HS_TEST(multipart) {
  int rc = parse(CURL_CT, CURL_BODY, sizeof CURL_BODY - 1, 0, NULL,
                 "{\"a\":[\"1\",\"2\"],\"e\":\"\\u00e9\"}",
                 "{\"bin\":\"data:application/octet-stream;base64,aGn/\",\"bin2\":\"data:image/"
                 "x-y;base64,aGn/\",\"f\":\"vm\\n\",\"g\":\"vm\\n\"}");
  CHECK_EQ_INT(rc, HB_FORM_OK, "curl body");
  rc = parse(CURL_CT, CURL_BODY, sizeof CURL_BODY - 1, HB_FORM_FILES_MULTI, NULL,
             "{\"a\":[\"1\",\"2\"],\"e\":\"\\u00e9\"}",
             "{\"bin\":\"data:application/octet-stream;base64,aGn/\",\"bin2\":\"data:image/"
             "x-y;base64,aGn/\",\"f\":[\"vm\\n\",\"data:application/octet-stream;base64,aGn/\"],"
             "\"g\":\"vm\\n\"}");
  CHECK_EQ_INT(rc, HB_FORM_OK, "files as lists");

  /* A field and a file of the same name; filename="" is a file. */
  const char b2[] =
      "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv1\r\n"
      "--XX\r\nContent-Disposition: form-data; name=\"a\"; filename=\"\"\r\n\r\nfv\r\n"
      "--XX--\r\n";
  rc = parse(S("multipart/form-data; boundary=XX"), b2, sizeof b2 - 1, 0, NULL, "{\"a\":\"v1\"}",
             "{\"a\":\"fv\"}");
  CHECK_EQ_INT(rc, HB_FORM_OK, "same name field and file");

  /* Truncated (no close delimiter): everything is dropped. */
  const char b3[] = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv1\r\n"
                    "--XX\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nv2";
  rc = parse(S("multipart/form-data; boundary=XX"), b3, sizeof b3 - 1, 0, NULL, "{}", "{}");
  CHECK_EQ_INT(rc, HB_FORM_EMALFORMED, "truncated");

  /* LF line breaks, preamble, quoted boundary with a space, blanks after the
   * delimiter, epilogue, close delimiter without a final line break. */
  const char b4[] = "preamble\n--a b \t\nContent-Disposition: form-data; name=x\n\nline1\nline2\n"
                    "--a b\nContent-Disposition: form-data; name=\"y\"\n\n\n--a b--";
  rc = parse(S("multipart/form-data; boundary=\"a b\""), b4, sizeof b4 - 1, 0, NULL,
             "{\"x\":\"line1\\nline2\",\"y\":\"\"}", "{}");
  CHECK_EQ_INT(rc, HB_FORM_OK, "LF body");

  /* "--XX" inside content that is not a delimiter line stays content. */
  const char b5[] = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n--XXY\r\n--XX z\r\n"
                    "--XX--";
  rc = parse(S("multipart/form-data; boundary=XX"), b5, sizeof b5 - 1, 0, NULL,
             "{\"a\":\"--XXY\\r\\n--XX z\"}", "{}");
  CHECK_EQ_INT(rc, HB_FORM_OK, "delimiter look-alikes");

  /* Missing Content-Disposition, missing boundary, header line without ':'. */
  const char b6[] = "--XX\r\nContent-Type: text/plain\r\n\r\nv\r\n--XX--\r\n";
  CHECK_EQ_INT(parse(S("multipart/form-data; boundary=XX"), b6, sizeof b6 - 1, 0, NULL, "{}", "{}"),
               HB_FORM_EMALFORMED, "no Content-Disposition");
  CHECK_EQ_INT(parse(S("multipart/form-data"), b6, sizeof b6 - 1, 0, NULL, "{}", "{}"),
               HB_FORM_ENOBOUNDARY, "no boundary");
  CHECK_EQ_INT(parse(S("multipart/form-data; boundary="), b6, sizeof b6 - 1, 0, NULL, "{}", "{}"),
               HB_FORM_ENOBOUNDARY, "empty boundary");
  const char b7[] = "--XX\r\nContent-Disposition: form-data; name=a\r\nbogus\r\n\r\nv\r\n--XX--";
  CHECK_EQ_INT(parse(S("multipart/form-data; boundary=XX"), b7, sizeof b7 - 1, 0, NULL, "{}", "{}"),
               HB_FORM_EMALFORMED, "header line without colon");
  CHECK_EQ_INT(parse(S("multipart/form-data; boundary=XX"), "", 0, 0, NULL, "{}", "{}"),
               HB_FORM_EMALFORMED, "empty body");
  CHECK_EQ_INT(parse(S("multipart/form-data; boundary=XX"), "--XX--", 6, 0, NULL, "{}", "{}"),
               HB_FORM_OK, "empty form");

  /* Folded header, part charset, filename* only, nameless part skipped. */
  const char b8[] = "--XX\r\nContent-Disposition: form-data;\r\n name=\"lat\"\r\n"
                    "Content-Type: text/plain; charset=ISO-8859-1\r\n\r\ncaf\xe9\r\n"
                    "--XX\r\ncontent-disposition: form-data; name=\"up\"; "
                    "filename*=UTF-8''%E2%82%AC.txt\r\n\r\nok\r\n"
                    "--XX\r\nContent-Disposition: form-data\r\n\r\nnobody\r\n--XX--\r\n";
  rc = parse(S("multipart/form-data; boundary=XX"), b8, sizeof b8 - 1, 0, NULL,
             "{\"lat\":\"caf\\u00e9\"}", "{\"up\":\"ok\"}");
  CHECK_EQ_INT(rc, HB_FORM_OK, "folded/charset/filename*");

  /* Werkzeug details: "filename=" without a value is no filename (a field);
   * a filename* that does not decode in its charset spoils the whole body;
   * charset names are matched like CPython's codec aliases ("latin-" → latin). */
  const char b11[] = "--XX\r\nContent-Disposition: form-data; name=\"a\"; filename=;x\r\n\r\n1\r\n"
                     "--XX\r\nContent-Disposition: form-data; name=\"b\"\r\n"
                     "Content-Type: text/plain; charset=LATIN-\r\n\r\n\xe9\r\n--XX--\r\n";
  rc = parse(S("multipart/form-data; boundary=XX"), b11, sizeof b11 - 1, 0, NULL,
             "{\"a\":\"1\",\"b\":\"\\u00e9\"}", "{}");
  CHECK_EQ_INT(rc, HB_FORM_OK, "valueless filename, charset alias");
  const char b12[] = "--XX\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
                     "--XX\r\nContent-Disposition: form-data; name=\"f\"; "
                     "filename*=UTF-8''%2%82.txt\r\n\r\nx\r\n--XX--\r\n";
  rc = parse(S("multipart/form-data; boundary=XX"), b12, sizeof b12 - 1, 0, NULL, "{}", "{}");
  CHECK_EQ_INT(rc, HB_FORM_EMALFORMED, "undecodable filename*");

  /* Limits: parts and header size. */
  hb_form_limits_t lim = {2, 64};
  const char b9[] = "--XX\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
                    "--XX\r\nContent-Disposition: form-data; name=a\r\n\r\n2\r\n"
                    "--XX\r\nContent-Disposition: form-data; name=a\r\n\r\n3\r\n--XX--\r\n";
  CHECK_EQ_INT(parse(S("multipart/form-data; boundary=XX"), b9, sizeof b9 - 1, 0, &lim, "{}", "{}"),
               HB_FORM_ELIMIT, "max_parts");
  lim.max_parts = 3;
  CHECK_EQ_INT(parse(S("multipart/form-data; boundary=XX"), b9, sizeof b9 - 1, 0, &lim,
                     "{\"a\":[\"1\",\"2\",\"3\"]}", "{}"),
               HB_FORM_OK, "exactly max_parts");
  const char b10[] = "--XX\r\nContent-Disposition: form-data; name=a; x=\"0123456789012345678901"
                     "23456789012345678901234567890123456789\"\r\n\r\n1\r\n--XX--\r\n";
  CHECK_EQ_INT(
      parse(S("multipart/form-data; boundary=XX"), b10, sizeof b10 - 1, 0, &lim, "{}", "{}"),
      HB_FORM_ELIMIT, "max_part_header");

  /* hb_form_body: malformed multipart still gives data "" and empty objects. */
  json_t *form, *files, *data;
  rc = hb_form_body(S("multipart/form-data"), "a=1", 3, NULL, 0, &form, &files, &data);
  CHECK(rc == HB_FORM_ENOBOUNDARY && json_is(form, "{}") && json_is(files, "{}") &&
            json_is(data, "\"\""),
        "form_body no boundary");
  json_decref(form), json_decref(files), json_decref(data);
}

HS_TEST(params_and_kind) {
  size_t n;
  char *v = hb_header_param(S("form-data; name=\"a\\\"b\\\\c\\d\"; filename=x.txt"), "NAME", &n);
  CHECK_EQ_STR(v, "a\"b\\c\\d", "quoted name");
  free(v);
  v = hb_header_param(S("form-data; filename=\"a.txt\"; filename*=UTF-8''%C3%A9.txt"), "filename",
                      &n);
  CHECK_EQ_STR(v, "\xc3\xa9.txt", "filename*");
  free(v);
  v = hb_header_param(S("form-data; filename*0=\"ab\"; filename*1=\"cd\""), "filename", &n);
  CHECK_EQ_STR(v, "abcd", "continuations");
  free(v);
  CHECK(hb_header_param(S("form-data ; name=x"), "name", NULL) == NULL,
        "blank before ';' hides the parameters (Werkzeug)");
  CHECK(hb_header_param(S("form-data; name"), "name", NULL) == NULL, "valueless = absent");
  v = hb_header_param(S("text/plain;charset=utf-8 ;q=1"), "charset", NULL);
  CHECK_EQ_STR(v, "utf-8 ", "token keeps trailing blank like Werkzeug");
  free(v);
  CHECK_EQ_INT(hb_form_kind(S("multipart/form-data; boundary=x")), HB_BODY_MULTIPART, "kind mp");
  CHECK_EQ_INT(hb_form_kind(S("application/x-url-encoded")), HB_BODY_URLENCODED, "kind url2");
  CHECK_EQ_INT(hb_form_kind(S("application/x-www-form-urlencodedX")), HB_BODY_OTHER, "kind other");
  CHECK_EQ_INT(hb_form_kind((hs__str_t){NULL, 0}), HB_BODY_OTHER, "kind none");
}

static const hs_test_case_t cases[] = {
    HS_CASE(args),      HS_CASE(urlencoded_body), HS_CASE(other_body),
    HS_CASE(multipart), HS_CASE(params_and_kind),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
