/* Entry point of `httpstatus serve` (called by the CLI). */
#ifndef HS_SERVER_SERVE_H
#define HS_SERVER_SERVE_H

/* Runs the HTTP server. argv[0] is "serve". Prints its own --help.
 * Returns a process exit status: 0 after a clean shutdown (or --help), 1 on a
 * runtime failure (cannot listen, ...), 2 on a usage error. */
int hs_serve_main(int argc, char **argv);

#endif
