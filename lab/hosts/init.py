#!/usr/bin/python3
"""Minimal PID 1 for a lab namespace that runs no sshd (the data-centre stand-in).

Reaps every child that is reparented to it and exits on SIGTERM/SIGINT; when it exits,
the kernel ends every other process of its PID namespace.
"""

from __future__ import annotations

import os
import signal
import sys


def _reap(*_args) -> None:
    while True:
        try:
            pid, _status = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main() -> int:
    signal.signal(signal.SIGCHLD, _reap)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    signal.signal(signal.SIGINT, lambda *_: sys.exit(0))
    _reap()
    while True:
        signal.pause()


if __name__ == "__main__":
    sys.exit(main())
