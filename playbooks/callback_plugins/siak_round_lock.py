# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One round at a time: a lock held by the ansible-playbook process of a round.

Ansible loads this callback for every playbook in ``playbooks/`` (it sits in the
playbooks' own ``callback_plugins`` folder), with ansible-playbook and ansible-runner
alike. At the start of the run it takes an exclusive ``flock`` on ``round.lock`` in the
state folder; the lock lives as long as the process, so a round that dies (Ctrl-C,
SIGTERM, SIGKILL, a power cut) never leaves a stale lock behind. A second round that
finds the lock taken stops at once, before touching any target, with a message naming
the round that holds it and the exit status 75 (EX_TEMPFAIL: try again later).
"""

from __future__ import annotations

DOCUMENTATION = r"""
name: siak_round_lock
type: aggregate
short_description: Only one SIAK maintenance round runs at a time
description:
  - Takes an exclusive lock for the whole run of a playbook of this project; a second run
    exits at once with status 75 and a message naming the run that holds the lock.
options:
  lock_file:
    description:
      - The lock file. By default C(round.lock) in the state folder given with
        C(-e siak_state_dir=...), else in the project's C(state/) folder.
    type: path
    env:
      - name: SIAK_ROUND_LOCK
"""

import fcntl
import json
import os
import socket
import sys
import time

from ansible.plugins.callback import CallbackBase
from ansible.utils.display import Display
from ansible.utils.vars import load_extra_vars

display = Display()

# sysexits.h EX_TEMPFAIL: a temporary failure, the caller should try again later.
EXIT_LOCKED = 75
LOCK_NAME = "round.lock"
PROJECT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

# The open lock file: kept for the life of the process (the flock goes with it).
_HELD = {}


def default_lock_file(extra_vars):
    """round.lock in the state folder of -e siak_state_dir (when it is a plain path), else PROJECT/state."""
    state_dir = extra_vars.get("siak_state_dir") if isinstance(extra_vars, dict) else None
    if not isinstance(state_dir, str) or not state_dir or "{" in state_dir:
        state_dir = os.path.join(PROJECT, "state")
    return os.path.join(os.path.expanduser(state_dir), LOCK_NAME)


def take(path, holder):
    """Take the lock at ``path``; return None, or the holder's description when it is taken."""
    os.makedirs(os.path.dirname(path), mode=0o750, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o640)
    handle = os.fdopen(fd, "r+", encoding="utf-8")  # held until the process exits
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.seek(0)
        text = handle.read()
        handle.close()
        try:
            info = json.loads(text)
        except ValueError:
            info = {}
        return info if isinstance(info, dict) else {}
    handle.seek(0)
    handle.truncate()
    handle.write(json.dumps(holder) + "\n")
    handle.flush()
    _HELD[path] = handle
    return None


class CallbackModule(CallbackBase):
    """Hold the round lock for the life of this ansible-playbook process."""

    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "siak_round_lock"
    CALLBACK_NEEDS_ENABLED = False

    def v2_playbook_on_start(self, playbook):
        path = self.get_option("lock_file") or default_lock_file(load_extra_vars(playbook._loader))  # pylint: disable=protected-access
        holder = {"pid": os.getpid(), "user": os.environ.get("USER") or str(os.getuid()),
                  "host": socket.gethostname(), "playbook": os.path.basename(playbook._file_name),  # pylint: disable=protected-access
                  "since": time.strftime("%Y-%m-%dT%H:%M:%S")}
        try:
            other = take(path, holder)
        except OSError as exc:
            display.error("siak_round_lock: cannot use the lock file %s: %s" % (path, exc.strerror))
            sys.exit(EXIT_LOCKED)
        if other is not None:
            who = ", ".join("%s %s" % (k, other[k]) for k in ("playbook", "pid", "user", "since") if k in other)
            display.error("Putaran pemeliharaan lain sedang berjalan (%s); putaran ini tidak dimulai. "
                          "Another maintenance round is running (%s); this one did not start. Lock: %s"
                          % (who or "?", who or "?", path))
            sys.exit(EXIT_LOCKED)
