# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""State kept on the admin machine between rounds.

    siak_state_load(text)   a state file's text -> dict; {} when empty, unreadable or not an object,
                            so that a damaged state file costs one "first round" and never fails a host.
"""

from __future__ import annotations

import json


def siak_state_load(text):
    """Parse a state file's JSON text; {} when it is empty, not JSON, or not an object."""
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class FilterModule:
    """State filters."""

    def filters(self):
        return {"siak_state_load": siak_state_load}
