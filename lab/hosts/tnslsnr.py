#!/usr/bin/python3
"""Stand-in for the Oracle TNS listener of a SIAK database server (lab only).

Listens on TCP port 1521 of the lab host it runs in, answers every connection with a
short banner and closes it. Its command line contains ``tnslsnr`` so that process checks
find it; with ``--daemon`` it detaches and writes ``/run/tnslsnr.pid`` (removed on exit),
so ``start-stop-daemon --pidfile /run/tnslsnr.pid`` can stop it.
"""

from __future__ import annotations

import argparse
import socket
import sys

from labdaemon import daemonize, keep_pidfile  # beside this script (lab/hosts/, the lab's bin/)

PIDFILE = "/run/tnslsnr.pid"
BANNER = b"TNSLSNR for Linux: Version 19.0.0.0.0 - Production (SIAK lab stand-in)\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=1521)
    parser.add_argument("--daemon", action="store_true")
    args = parser.parse_args(argv)

    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("0.0.0.0", args.port))
    server.listen(64)
    if args.daemon:
        daemonize()
    keep_pidfile(PIDFILE)
    while True:
        conn, _addr = server.accept()
        conn.settimeout(1.0)
        try:
            conn.sendall(BANNER)
        except OSError:
            pass
        finally:
            conn.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
