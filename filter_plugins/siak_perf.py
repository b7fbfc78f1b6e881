# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters of SOP step 4 (roles/siak_perf); the logic is in module_utils/siak_probe.py.

    (siak_probe_groups and siak_probe_records, which make the records, are in siak_records.py)
    siak_perf_compare(records, state, rounds, slower_pct, min_ms)
                                        the records compared with the median of earlier rounds
    siak_perf_state_next(state, records, rounds, now)
                                        the state kept for the next round
"""

from __future__ import annotations

import os

import ansible.module_utils as _ansible_module_utils

_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

# pylint: disable=wrong-import-position
from ansible.module_utils.siak_probe import compare_with_baseline, next_perf_state  # noqa: E402


def siak_perf_compare(records, state, rounds, slower_pct, min_ms):
    return compare_with_baseline(records or [], state or {}, int(rounds), float(slower_pct), float(min_ms))


def siak_perf_state_next(state, records, rounds, now):
    return next_perf_state(state or {}, records or [], int(rounds), float(now))


class FilterModule:
    """Step 4 filters."""

    def filters(self):
        return {"siak_perf_compare": siak_perf_compare, "siak_perf_state_next": siak_perf_state_next}
