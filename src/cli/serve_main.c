/* `httpstatus-serve`: the server binary that `httpstatus serve` execs. Also
 * usable directly: `httpstatus-serve --listen 127.0.0.1:8080`. */
#include "server/serve.h"

int main(int argc, char **argv) {
  static char name[] = "serve";
  argv[0] = name; /* hs_serve_main() expects argv[0] == "serve" */
  return hs_serve_main(argc, argv);
}
