#!/usr/bin/python3
"""Stand-in for the Oracle database instance of a SIAK database server (lab only).

A running Oracle instance shows its background processes by name, ``ora_pmon_<SID>``
first (the process monitor: the instance is up while it runs). The listener (tnslsnr)
answers on port 1521 whether or not the instance behind it is up, so a check of the
listener alone reads a dead database as healthy. This stand-in sets its own process name
(comm, as ``ps -e`` shows it) to ``ora_pmon_SIAK`` and sleeps; with ``--daemon`` it
detaches and writes ``/run/ora_pmon.pid`` (removed on exit), so ``start-stop-daemon
--pidfile /run/ora_pmon.pid`` can stop it.
"""

from __future__ import annotations

import argparse
import ctypes
import sys
import time

from labdaemon import daemonize, keep_pidfile  # beside this script (lab/hosts/, the lab's bin/)

PIDFILE = "/run/ora_pmon.pid"
PR_SET_NAME = 15


def _set_comm(name: str) -> None:
    """The process's name in /proc/<pid>/comm (15 bytes at most), as Oracle's own."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_NAME, name.encode("ascii")[:15], 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NAME) failed")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sid", default="SIAK")
    parser.add_argument("--daemon", action="store_true")
    args = parser.parse_args(argv)
    if args.daemon:
        daemonize()
    _set_comm("ora_pmon_" + args.sid)
    keep_pidfile(PIDFILE)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
