/* httpstatus-check: the companion binary behind `httpstatus check` and
 * `httpstatus lint` (argv[1] names the command). */
#include <stdio.h>
#include <string.h>

#include "cli/companion.h"

int main(int argc, char **argv) {
  if (argc >= 2 && !strcmp(argv[1], "lint"))
    return hs__cmd_lint(argc - 1, argv + 1);
  if (argc >= 2 && !strcmp(argv[1], "check"))
    return hs__cmd_check(argc - 1, argv + 1);
  fprintf(stderr, "usage: httpstatus-check check URL | lint [FILE]  (run as `httpstatus check`)\n");
  return HS_EXIT_FAILURE;
}
