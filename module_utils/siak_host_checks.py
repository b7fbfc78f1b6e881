# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The table of host checks (SOP step 3) and the pass that runs them.

``CHECKS`` is the one list of the checks of ``siak_host_check``, in the order they run:
each row names the check, the categories of its records (the first is the category of
the UNKNOWN record when the check fails or finds nothing), its collector
(``siak_host_collect``), its judge (``siak_host_judge``) and the key of the state it
keeps for the next round. The module's ``checks`` option, its documentation, the role's
``meta/argument_specs.yml`` and README follow this table (tests/unit/test_siak_host_checks.py).
"""

from __future__ import annotations

import traceback
from collections import namedtuple

from ansible.module_utils.siak_result import unknown
from ansible.module_utils import siak_host_collect as C
from ansible.module_utils import siak_host_judge as J

Check = namedtuple("Check", "name categories collect judge state")

CHECKS = (
    Check("disk", ("disk", "inode"), C.collect_disk, J.judge_disk, None),
    Check("memory", ("memory", "swap"), C.collect_memory, J.judge_memory, None),
    Check("load", ("load",), C.collect_load, J.judge_load, None),
    Check("uptime", ("uptime",), C.collect_uptime, J.judge_uptime, "boot_time"),
    Check("services", ("service",), C.collect_services, J.judge_services, None),
    Check("ports", ("listen",), C.collect_ports, J.judge_ports, None),
    Check("time", ("time",), C.collect_time, J.judge_time, None),
    Check("logs", ("log",), C.collect_logs, J.judge_logs, "logs"),
    Check("backups", ("backup",), C.collect_backups, J.judge_backups, None),
    Check("updates", ("update",), C.collect_updates, J.judge_updates, None),
    Check("raid", ("raid",), C.collect_raid, J.judge_raid, None),
)
NAMES = tuple(check.name for check in CHECKS)


def run_check(check, host, params, state_in):
    """(records, state for the next round or None) of one check; records is None when it does not apply."""
    raw = check.collect(host, params, state_in)
    if raw is C.NOT_APPLICABLE:
        return None, None
    new_state = raw.pop("state", None) if isinstance(raw, dict) else None
    return check.judge(raw, params), new_state


def run_checks(host, params, state_in, warn=lambda text: None):
    """Run the checks named in ``params['checks']`` in table order.

    Returns {records, state, checks, not_applicable}. One broken check does not hide the
    others: it becomes an UNKNOWN record (and a warning through ``warn``); a check that
    applies and returns no record is UNKNOWN too, never silently green. The state of a
    check that did not run this round is carried forward.
    """
    records = []
    not_applicable = []
    ran = []
    state_out = {}
    for check in CHECKS:
        if check.name not in params["checks"]:
            continue
        ran.append(check.name)
        category = check.categories[0]
        try:
            found, new_state = run_check(check, host, params, state_in)
        except Exception as exc:  # pylint: disable=broad-except
            warn("check %s failed: %s" % (check.name, traceback.format_exc(limit=3)))
            found, new_state = [unknown(category, check.name,
                                        "Pemeriksaan %s gagal: %s: %s" % (check.name, type(exc).__name__, exc),
                                        "The %s check failed: %s: %s" % (check.name, type(exc).__name__, exc))], None
        if found is None:
            not_applicable.append(check.name)
            continue
        if not found:
            found = [unknown(category, check.name,
                             "Pemeriksaan %s tidak menghasilkan data" % check.name,
                             "The %s check returned no result" % check.name)]
        if new_state is not None:
            state_out[check.state] = new_state
        records.extend(found)
    for check in CHECKS:
        if check.state and check.state not in state_out and check.state in state_in:
            state_out[check.state] = state_in[check.state]
    return {"records": records, "state": state_out, "checks": ran, "not_applicable": not_applicable}
