"""Shared by the lab's daemon stand-ins (tnslsnr.py, orapmon.py; lab only): detach, keep a
pidfile that ``start-stop-daemon --pidfile`` can stop, remove it on SIGTERM/SIGINT."""

from __future__ import annotations

import os
import signal


def daemonize() -> None:
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


def keep_pidfile(pidfile: str) -> None:
    """Write this process's pid to ``pidfile``; on SIGTERM or SIGINT remove it (if it is still
    this process's) and exit."""
    with open(pidfile, "w", encoding="ascii") as handle:
        handle.write(f"{os.getpid()}\n")

    def _stop(*_args) -> None:
        try:
            with open(pidfile, encoding="ascii") as handle:
                if handle.read().strip() == str(os.getpid()):
                    os.unlink(pidfile)
        except OSError:
            pass
        os._exit(0)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
