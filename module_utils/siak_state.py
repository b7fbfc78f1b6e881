# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The state kept between rounds, checked before it is used (pure Python).

A host's state (from ``siak_host_check``)::

    {"time": 1714650000.5, "boot_time": 1714600000,
     "logs": {"source": "file", "path": "/var/log/syslog", "inode": 1234, "offset": 56789, "time": ...}}
     (or "logs": {"source": "journal", "cursor": "s=...", "time": ...})

A switch's state (from ``siak_switch_check``)::

    {"schema": 1, "platform": "cisco_ios", "uptime": {"ts": ..., "uptime_s": 123},
     "counters": {"ts": ..., "ports": {"Gi0/1": {"in_packets": 1, "in_errors": 0, ...}}}}

``state_problems(kind, state)`` lists what is wrong (kind "host", "switch", or "hardware":
step 2's hardware snapshot); a state with any problem is discarded as a whole (the next
round is a first round for that target), never half-used. ``parse_state(text, name,
problems)`` reads a state file's text that way, on the admin machine.
"""

from __future__ import annotations

import json

SWITCH_STATE_SCHEMA = 1


def _number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _host_problems(state):
    problems = []
    for key in ("time", "boot_time"):
        if key in state and not _number(state[key]):
            problems.append("%s is not a number" % key)
    logs = state.get("logs")
    if logs is not None:
        if not isinstance(logs, dict):
            return problems + ["logs is not an object"]
        if logs.get("source") not in ("file", "journal"):
            problems.append("logs.source is not file or journal")
        if logs.get("source") == "file":
            if not isinstance(logs.get("path"), str):
                problems.append("logs.path is not text")
            for key in ("inode", "offset"):
                if not _count(logs.get(key)):
                    problems.append("logs.%s is not a whole number" % key)
        if "cursor" in logs and logs["cursor"] is not None and not isinstance(logs["cursor"], str):
            problems.append("logs.cursor is not text")
        if "time" in logs and not _number(logs["time"]):
            problems.append("logs.time is not a number")
    return problems


def _switch_problems(state):
    problems = []
    if state.get("schema") != SWITCH_STATE_SCHEMA:
        problems.append("schema is not %d" % SWITCH_STATE_SCHEMA)
    if "platform" in state and not isinstance(state["platform"], str):
        problems.append("platform is not text")
    uptime = state.get("uptime")
    if uptime is not None and not (isinstance(uptime, dict) and _number(uptime.get("ts"))
                                   and _number(uptime.get("uptime_s"))):
        problems.append("uptime is not {ts, uptime_s} numbers")
    counters = state.get("counters")
    if counters is not None:
        if not (isinstance(counters, dict) and _number(counters.get("ts")) and isinstance(counters.get("ports"), dict)):
            return problems + ["counters is not {ts, ports}"]
        for name, values in counters["ports"].items():
            if not isinstance(values, dict) or not all(_count(v) for v in values.values()):
                problems.append("counters of port %s are not whole numbers" % name)
                break
    return problems


def _hardware_problems(state):
    """Step 2's hardware state: an object whose ``hardware`` (when there) is an object.

    The hardware module owns the rest of its shape and reads it defensively; a state that
    is not even that is discarded as a whole (a first round for the hardware comparison).
    """
    if "hardware" in state and state["hardware"] is not None and not isinstance(state["hardware"], dict):
        return ["hardware is not an object"]
    return []


def state_problems(kind, state):
    """What is wrong with a ``kind`` ("host" or "switch") state; [] when it can be used."""
    if not isinstance(state, dict):
        return ["the state is not an object"]
    if kind == "host":
        return _host_problems(state)
    if kind == "switch":
        return _switch_problems(state)
    if kind == "hardware":
        return _hardware_problems(state)
    raise ValueError("unknown state kind %r" % (kind,))


def parse_state(text, name, problems):
    """A state file's text -> (state, warning): ({}, None) when there is no text, ({}, why)
    when it is not JSON or ``problems(state)`` lists anything (the target's next round is a
    first round; the warning names it), else (state, None). Never raises on bad content."""
    if not text:
        return {}, None
    try:
        data = json.loads(text)
    except ValueError:
        return {}, "state of %s is not valid JSON: discarded (this round counts as a first round)" % name
    found = problems(data)
    if found:
        return {}, "state of %s discarded (this round counts as a first round): %s" % (name, "; ".join(found[:3]))
    return data, None
