"""pyftpdlib (Debian python3-pyftpdlib) for bench/bench_ftp.sh: one process,
anonymous read-only on ROOT, on 127.0.0.1:PORT, no logging.

    /usr/bin/python3 bench/pyftpdlib_server.py PORT ROOT"""
import logging
import sys

from pyftpdlib.authorizers import DummyAuthorizer
from pyftpdlib.handlers import FTPHandler
from pyftpdlib.servers import FTPServer

logging.disable(logging.CRITICAL)
auth = DummyAuthorizer()
auth.add_anonymous(sys.argv[2])
FTPHandler.authorizer = auth
server = FTPServer(("127.0.0.1", int(sys.argv[1])), FTPHandler)
server.max_cons = 0
server.serve_forever(handle_exit=True)
