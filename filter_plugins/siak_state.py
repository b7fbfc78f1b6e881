# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""State kept on the admin machine between rounds.

    siak_state_load(text, kind, name)   a state file's text -> dict; {} (a first round for that
                                        target) when it is empty, not JSON, or has the wrong shape
                                        or types, with a warning naming the file's target
                                        (kinds "host", "switch", "hardware": state_problems in
                                        module_utils/siak_state.py; kind "perf": step 4's figures
                                        of earlier rounds, perf_state_problems)
    siak_pending_states(hostvars, targets)
                                        every target's new state (the ``siak_<role>_state_new``
                                        facts), for siak_write_files once the round's results
                                        are written
"""

from __future__ import annotations

import os
import re

import ansible.module_utils as _ansible_module_utils
from ansible.utils.display import Display

_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

from ansible.module_utils.siak_probe import perf_state_problems  # noqa: E402  pylint: disable=wrong-import-position
from ansible.module_utils.siak_state import parse_state, state_problems  # noqa: E402  pylint: disable=wrong-import-position

display = Display()

# Every role keeps the state its target should carry to the next round in its own host
# fact, siak_<role>_state_new: {"path": <file on the admin machine>, "state": {...}}.
STATE_FACT = re.compile(r"^siak_[a-z0-9_]+_state_new$")


# Step 2 keeps each target's hardware (siak_host_hardware, siak_switch_check environment) in
# a file of its own (roles/siak_assess), apart from step 3's state: both are written by the
# same report, and one file for both would keep only the step that wrote last.
HARDWARE_KIND = "hardware"

# Step 4 keeps the median times of its last rounds (roles/siak_perf, module_utils/siak_probe.py).
PERF_KIND = "perf"


def siak_state_load(text, kind="host", name=""):
    """Parse a state file's JSON text; {} when it is empty, not JSON, or not a usable state.

    A damaged file or one with wrong types costs one "first round" for that target (a
    warning says so) and never fails the round.
    """
    if kind == PERF_KIND:
        problems = perf_state_problems
    else:
        def problems(data):
            return state_problems(kind, data)
    data, warning = parse_state(text, name or kind, problems)
    if warning:
        display.warning(warning)
    return data


def siak_pending_states(hostvars, targets):
    """The new state of every target, as [{path, state}] for siak_write_files."""
    out = []
    for target in targets:
        try:
            host_vars = hostvars[target]
            names = sorted(n for n in host_vars if STATE_FACT.match(n))
            for name in names:
                value = host_vars[name]
                if isinstance(value, dict) and value.get("path") and isinstance(value.get("state"), dict):
                    out.append({"path": str(value["path"]), "state": value["state"]})
        except (KeyError, AttributeError):
            continue
    return out


class FilterModule:
    """State filters."""

    def filters(self):
        return {"siak_state_load": siak_state_load, "siak_pending_states": siak_pending_states}
