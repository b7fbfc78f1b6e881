"""Vendor renderer modules by netmiko device type.

Each module has ``PROFILE`` (prompt, login banner, session and exit commands, the answer
to an unknown command) and ``COMMANDS`` (exact command -> ``render(state, now) -> str``).
"""

from __future__ import annotations

from lab.switches import cisco_ios, hp_comware, hp_procurve, huawei, mikrotik_routeros

RENDERERS = {
    "cisco_ios": cisco_ios,
    "huawei": huawei,
    "hp_comware": hp_comware,
    "hp_procurve": hp_procurve,
    "mikrotik_routeros": mikrotik_routeros,
}


def render(state: dict, command: str, now: float) -> str:
    """Render ``command`` for a switch state (raises KeyError for a command not simulated)."""
    return RENDERERS[state["platform"]].COMMANDS[command](state, now)
