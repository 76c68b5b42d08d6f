"""The nginx.conf of a test's own Debian nginx: one process in the
foreground (daemon and master process off), its pid, error log and temporary
files all under the test's folder, no access log. The caller gives what goes
into the http block (its server blocks and directives)."""


def nginx_conf(d, http_body, connections=64):
    temps = "".join(f"  {k}_temp_path {d}/{k};\n"
                    for k in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    return f"""
daemon off;
master_process off;
worker_processes 1;
pid {d}/nginx.pid;
error_log {d}/error.log;
events {{ worker_connections {connections}; }}
http {{
  access_log off;
{temps}{http_body}}}
"""
