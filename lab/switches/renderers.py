"""Vendor renderer modules by netmiko device type, one per platform of the platform table.

The platforms are the checks' own (``PLATFORMS`` in module_utils/siak_switch_platforms.py,
read by file path: that module imports nothing from Ansible); the renderer of platform P
is the module ``lab.switches.P``. Each has ``PROFILE`` (prompt, login banner, session,
privilege and exit commands, the answer to an unknown command), ``COMMANDS`` (exact
command -> ``render(state, now) -> str``) and ``COUNTER_OUTPUTS`` (the commands whose
output carries the error counters). tests/unit/test_switch_render.py checks that the
commands are exactly the platform table's.
"""

from __future__ import annotations

import importlib
import importlib.util
from pathlib import Path

_PLATFORMS_FILE = Path(__file__).resolve().parents[2] / "module_utils" / "siak_switch_platforms.py"


def _load_platforms():
    spec = importlib.util.spec_from_file_location("lab_siak_switch_platforms", _PLATFORMS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


PLATFORM_TABLE = _load_platforms()
PLATFORMS: tuple[str, ...] = PLATFORM_TABLE.PLATFORMS

RENDERERS = {platform: importlib.import_module(f"lab.switches.{platform}") for platform in PLATFORMS}


def render(state: dict, command: str, now: float) -> str:
    """Render ``command`` for a switch state (raises KeyError for a command not simulated)."""
    return RENDERERS[state["platform"]].COMMANDS[command](state, now)
