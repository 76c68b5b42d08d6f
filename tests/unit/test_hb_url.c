/* url: the `url` member as httpbin 0.7 behind gunicorn shows it. Each vector
 * is (Host field, request-target, url from httpbin's JSON), captured from
 * `gunicorn httpbin:app` on Debian 12 over a raw socket. */
#include <stdlib.h>
#include <string.h>

#include "hs_test.h"
#include "httpbin/url.h"

#define Z(s) ((hs__str_t){(s), strlen(s)})

/* Each vector: (Host, request-target) → url, as httpbin behind gunicorn. */
HS_TEST(vectors) {
  static const struct {
    const char *host, *target, *url;
  } V[] = {
      {"127.0.0.1:18777", "/get", "http://127.0.0.1:18777/get"},
      {"127.0.0.1:18777", "/get?a=1&a=2&b=%C3%A9", "http://127.0.0.1:18777/get?a=1&a=2&b=\303\251"},
      {"h", "/anything/a%2Fb/%41%7e%20x?q=%2f%2F%20%22%e2%82%ac%E2%82%ac%e2%82&x=\303\251\377",
       "http://h/anything/a/b/A~%20x?q=%2f%2F%20%22\342\202\254\342\202\254%E2%82&x=\303\251%FF"},
      {"h", "/anything/x?a=<>", "http://h/anything/x?a=%3C%3E"},
      {"h", "/anything/x?a=b#c", "http://h/anything/x?a=b"},
      {"h", "/anything/\377\376/%e2%82", "http://h/anything/\303\277\303\276/\357\277\275"},
      {"h", "/anything/x?a={}|^`[]\\", "http://h/anything/x?a=%7B%7D%7C%5E%60%5B%5D%5C"},
      {"h", "/anything/{}|^`[]\\@:", "http://h/anything/%7B%7D%7C%5E%60%5B%5D%5C%40:"},
      {"h", "/anything/%3a%40%2c%5B", "http://h/anything/:%40,%5B"},
      {"h", "/anything/;a=b,c/(x)!$*~", "http://h/anything/;a%3Db,c/(x)!$*~"},
      {"h", "/anything?", "http://h/anything"},
      {"h", "/anything/%00?%00", "http://h/anything/%00?%00"},
      {"h", "/anything/%25/%2525?%2525", "http://h/anything/%25/%2525?%2525"},
      {"h", "//anything/x", "http://h/anything/x"},
      {"h", "/anything?%", "http://h/anything?%"},
      {"h", "/anything?a=%zz%4", "http://h/anything?a=%zz%4"},
      {"h:80", "/get", "http://h/get"},
      {"h:080", "/get", "http://h:80/get"},
      {"h:x", "/get", "http://h/get"},
      {"h:99999", "/get", "http://h/get"},
      {"[::1]:8080", "/get", "http://[::1]:8080/get"},
      {"\303\251.com:81", "/get", "http://\303\203\302\251.com:81/get"},
      {"h", "http://other.example/anything/x?y=1", "http://h/anything/x?y=1"},
  };
  for (size_t i = 0; i < sizeof V / sizeof V[0]; i++) {
    size_t n;
    char *u = hb_request_url(Z("http"), Z(V[i].host), Z(V[i].target), &n);
    CHECK(u && n == strlen(V[i].url) && !strcmp(u, V[i].url), "%s %s:\n got  %s\n want %s",
          V[i].host, V[i].target, u ? u : "(null)", V[i].url);
    free(u);
  }
}

HS_TEST(https_ports) {
  char *u = hb_request_url(Z("https"), Z("h:443"), Z("/x"), NULL);
  CHECK_EQ_STR(u, "https://h/x", "https default port");
  free(u);
  u = hb_request_url(Z("https"), Z("h:80"), Z("/x"), NULL);
  CHECK_EQ_STR(u, "https://h:80/x", "port 80 kept for https");
  free(u);
}

HS_TEST(empty_target) {
  char *u = hb_request_url(Z("http"), Z("h"), (hs__str_t){NULL, 0}, NULL);
  CHECK_EQ_STR(u, "http://h/", "empty target");
  free(u);
}

static const hs_test_case_t cases[] = {
    HS_CASE(vectors),
    HS_CASE(https_ports),
    HS_CASE(empty_target),
};

int main(int argc, char **argv) { return hs_test_main(argc, argv, cases, HS_COUNT(cases)); }
