#!/usr/bin/python3
"""Stand-in for the Oracle TNS listener of a SIAK database server (lab only).

Listens on TCP port 1521 of the lab host it runs in, answers every connection with a
short banner and closes it. Its command line contains ``tnslsnr`` so that process checks
find it; with ``--daemon`` it detaches and writes ``/run/tnslsnr.pid`` (removed on exit),
so ``start-stop-daemon --pidfile /run/tnslsnr.pid`` can stop it.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import sys

PIDFILE = "/run/tnslsnr.pid"
BANNER = b"TNSLSNR for Linux: Version 19.0.0.0.0 - Production (SIAK lab stand-in)\n"


def _daemonize() -> None:
    """Detach fully (double fork, new session, stdio on /dev/null)."""
    if os.fork():
        os._exit(0)
    os.setsid()
    if os.fork():
        os._exit(0)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.chdir("/")


def _remove_pidfile(*_args) -> None:
    try:
        with open(PIDFILE, encoding="ascii") as handle:
            if handle.read().strip() == str(os.getpid()):
                os.unlink(PIDFILE)
    except OSError:
        pass
    os._exit(0)


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
        _daemonize()
    with open(PIDFILE, "w", encoding="ascii") as handle:
        handle.write(f"{os.getpid()}\n")
    signal.signal(signal.SIGTERM, _remove_pidfile)
    signal.signal(signal.SIGINT, _remove_pidfile)
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
