# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Filters that turn module output and task results into result records.

The logic lives in module_utils/siak_outcome.py (pure Python, shared with the step actions
of action_plugins/); see its docstring for each filter. ``siak_records`` raises
AnsibleFilterError for records that break the result contract.
"""

from __future__ import annotations

import os

import ansible.module_utils as _ansible_module_utils
from ansible.errors import AnsibleFilterError

# Make the project's module_utils importable on the controller as
# ansible.module_utils.<name>, exactly as modules import them on the targets.
_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

# pylint: disable=wrong-import-position,unused-import
from ansible.module_utils import siak_outcome  # noqa: E402
from ansible.module_utils.siak_outcome import (  # noqa: E402,F401
    HW_IDENTITY, MAX_REASON_CHARS, failure_reason, siak_hardware_records, siak_probe_groups, siak_probe_records,
    siak_probe_split, siak_reach_reason, siak_reach_records, siak_skip_record, siak_step_failed_records, siak_task_records)
from ansible.module_utils.siak_step import outcome_or_failure  # noqa: E402


def siak_records(findings, step, target):
    """Stamp step and target on a list of records and check them against the contract."""
    try:
        return siak_outcome.siak_records(findings, step, target)
    except ValueError as exc:
        raise AnsibleFilterError(str(exc)) from exc


class FilterModule:
    """Result-record filters."""

    def filters(self):
        return {
            "siak_records": siak_records,
            "siak_task_records": siak_task_records,
            "siak_step_failed_records": siak_step_failed_records,
            "siak_reach_records": siak_reach_records,
            "siak_probe_groups": siak_probe_groups,
            "siak_probe_split": siak_probe_split,
            "siak_probe_records": siak_probe_records,
            "siak_skip_record": siak_skip_record,
            "siak_reach_reason": siak_reach_reason,
            "siak_hardware_records": siak_hardware_records,
            "siak_step_outcome": outcome_or_failure,
        }
