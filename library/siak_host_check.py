#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_host_check
short_description: Check a SIAK server or workstation in one pass (SOP step 3)
description:
  - Collects, in one call, the host's disks and inodes (and a filesystem mounted read-only where
    /etc/fstab mounts it read-write), memory and swap, load per core,
    uptime and reboots, expected services and listening ports, clock synchronisation,
    error lines in the system log, the newest file of each backup location, pending
    package updates (and a restart installed updates wait for) and software RAID, and judges
    each finding OK / WARNING / CRITICAL
    / UNKNOWN against the thresholds.
  - Returns result records (see C(module_utils/siak_result.py)) without C(step) and
    C(target); the C(siak_task_records) filter stamps them.
  - Never changes the host. State between rounds (boot time, log position) comes in
    through O(state) and goes out as RV(state); the caller keeps it on the admin machine.
  - Commands run from argv lists, in the C locale, each with a timeout. A missing tool
    gives an UNKNOWN record with the reason. Package repositories are probed with a
    short TCP connect first, so an unreachable repository gives UNKNOWN within seconds.
version_added: "1.0.0"
options:
  checks:
    description:
      - Which checks to run (a quick subset for SOP step 2); all of them when not given. They
        run in the order of the choices, the table C(CHECKS) of C(module_utils/siak_host_checks.py).
    type: list
    elements: str
    choices: [disk, memory, load, uptime, services, ports, time, logs, backups, updates, raid]
  state:
    description: What the previous round returned as RV(state) (boot time, log position); empty on the first round.
    type: dict
    default: {}
  disk_warn:
    description: Warning threshold, percent of space used.
    type: float
    default: 80
  disk_crit:
    description: Critical threshold, percent of space used.
    type: float
    default: 90
  inode_warn:
    description: Warning threshold, percent of inodes used.
    type: float
    default: 90
  inode_crit:
    description: Critical threshold, percent of inodes used.
    type: float
    default: 95
  disk_exclude:
    description: Mount points not to check (exact path, or a prefix ending in C(*)).
    type: list
    elements: str
    default: []
  disk_exclude_fstypes:
    description: Filesystem types not to check, on top of the built-in pseudo filesystems.
    type: list
    elements: str
    default: []
  memory_warn:
    description: Warning threshold, percent of memory used (MemTotal - MemAvailable).
    type: float
    default: 80
  memory_crit:
    description: Critical threshold, percent of memory used.
    type: float
    default: 90
  swap_warn:
    description: Warning threshold, percent of swap used.
    type: float
    default: 50
  swap_crit:
    description: Critical threshold, percent of swap used.
    type: float
    default: 80
  load_warn:
    description: Warning threshold, load average per CPU core.
    type: float
    default: 1.5
  load_crit:
    description: Critical threshold, load average per CPU core.
    type: float
    default: 3.0
  load_period:
    description: Which load average is judged, in minutes.
    type: int
    default: 15
    choices: [1, 5, 15]
  reboot_status:
    description: Status of a reboot since the previous round (OK for workstations switched off at night).
    type: str
    default: WARNING
    choices: [OK, WARNING, CRITICAL]
  services:
    description:
      - Services expected to run. A name, or a dict with C(name), C(units) (systemd
        unit / SysV script names to try, e.g. C([sshd, ssh])) and C(process) (command
        name for the process fallback).
    type: list
    elements: raw
    default: []
  ports:
    description: Ports expected to listen, as C(80), C(tcp/80) or C(udp/123).
    type: list
    elements: raw
    default: []
  time_offset_warn:
    description: Warning threshold on the absolute clock offset, seconds.
    type: float
    default: 1.0
  time_offset_crit:
    description: Critical threshold on the absolute clock offset, seconds.
    type: float
    default: 60.0
  time_zone:
    description:
      - The time zone the host should keep, an IANA name such as C(Asia/Makassar) (C('') the admin
        machine's own), compared with the host's local time zone now (record C(time)/C(zone)).
      - Omitted, the time zone is not compared.
    type: str
  time_zone_offset:
    description:
      - Seconds east of UTC of O(time_zone) now, computed on the admin machine (the host may have
        no time zone data of its own). Omitted while O(time_zone) is given, the time zone record is
        UNKNOWN, naming O(time_zone) as a zone the admin machine does not know.
    type: int
  logs_source:
    description: Where to read the system log; C(auto) takes the journal when systemd runs, else the first of O(logs_files).
    type: str
    default: auto
    choices: [auto, journal, file]
  logs_files:
    description: System log files, the first that exists is read.
    type: list
    elements: path
    default: [/var/log/syslog, /var/log/messages]
  logs_first_hours:
    description: Without a previous round, how many hours of log to read.
    type: float
    default: 24
  logs_warn:
    description: Warning threshold, number of error lines.
    type: int
    default: 1
  logs_crit:
    description: Critical threshold, number of error lines (none by default).
    type: int
  logs_crit_lines:
    description: Number of critical lines (crit, alert, emerg, panic) that makes the finding CRITICAL.
    type: int
    default: 1
  logs_error_pattern:
    description: Regular expression of an error line in a text log.
    type: str
  logs_critical_pattern:
    description: Regular expression of a critical line in a text log.
    type: str
  logs_ignore_pattern:
    description: Regular expression of lines never to count.
    type: str
  logs_keep_lines:
    description:
      - How many of the last matching lines to keep in the record (at most 20, whatever is
        asked). Each is cut to 200 characters and 16-digit numbers (a possible NIK) are
        masked.
    type: int
    default: 5
  logs_max_bytes:
    description: Most bytes of log read in one round (the newest are read).
    type: int
    default: 16777216
  backup_paths:
    description: Backup locations (directories, searched 3 levels deep, or files).
    type: list
    elements: path
    default: []
  backup_warn_hours:
    description: Warning threshold, age of the newest backup in hours.
    type: float
    default: 26
  backup_crit_hours:
    description: Critical threshold, age of the newest backup in hours.
    type: float
    default: 72
  backup_min_size:
    description: A newest backup smaller than this many bytes is CRITICAL.
    type: int
    default: 1
  backup_shrink_pct:
    description:
      - A newest backup smaller than this percentage of the previous backup of its kind is at least
        a WARNING (a dump cut short). Its kind is its file name with the numbers blanked
        (C(siak-db-20261203.dmp) follows C(siak-db-20261202.dmp)). C(0) does not compare.
    type: float
    default: 50.0
  updates_warn:
    description: Warning threshold, number of pending updates.
    type: int
    default: 1
  updates_crit:
    description: Critical threshold, number of pending updates (none by default).
    type: int
  security_warn:
    description: Warning threshold, number of pending security updates (none by default).
    type: int
  security_crit:
    description: Critical threshold, number of pending security updates.
    type: int
    default: 1
  updates_cache_max_days:
    description: Package lists older than this many days give UNKNOWN (the count would be stale).
    type: float
    default: 7
  updates_probe_timeout:
    description: Seconds allowed for probing all package repositories (TCP connect).
    type: float
    default: 5
  command_timeout:
    description: Timeout of each command, seconds.
    type: float
    default: 30
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
author:
  - SIAK maintenance project
"""

EXAMPLES = r"""
- name: Check the application server in one pass
  siak_host_check:
    services:
      - {name: sshd, units: [sshd, ssh], process: sshd}
      - nginx
    ports: [22, 80]
    backup_paths: [/srv/backup]
    state: "{{ previous_state | default({}) }}"
  register: result

- name: Quick condition check for SOP step 2
  siak_host_check:
    checks: [disk, memory, load, services]
    services: [nginx]
"""

RETURN = r"""
records:
  description: Result records without step and target (see module_utils/siak_result.py).
  returned: always
  type: list
  elements: dict
  sample:
    - {category: disk, item: /srv/data, status: WARNING, value: 85.0, unit: "%", warn: 80.0, crit: 90.0,
       message: "Ruang disk /srv/data (/dev/labdata) terpakai 85,0%, sisa 9,6 MiB dari 64,0 MiB."}
state:
  description: State to keep on the admin machine and pass as O(state) next round.
  returned: always
  type: dict
  sample: {boot_time: 1714600000, time: 1714650000.5, logs: {source: file, path: /var/log/syslog, inode: 1234, offset: 56789}}
checks:
  description: The checks that ran.
  returned: always
  type: list
  elements: str
not_applicable:
  description:
    - The checks that do not apply to this host (nothing configured for them, or no md
      driver for RAID); they give no record. A check that applies and finds nothing is an
      UNKNOWN record instead.
  returned: always
  type: list
  elements: str
  sample: [backups, raid]
duration:
  description: Seconds the whole pass took on the host.
  returned: always
  type: float
unknown:
  description: Number of records with the status UNKNOWN.
  returned: always
  type: int
  sample: 0
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.siak_result import UNKNOWN, threshold_problems
from ansible.module_utils.siak_host_checks import NAMES, run_checks
from ansible.module_utils.siak_host_collect import Host
from ansible.module_utils.siak_host_judge import DEFAULTS as D, normalize_service
from ansible.module_utils.siak_host_parse import parse_port_spec

# The module's options (thresholds from siak_host_judge.DEFAULTS, check names from
# siak_host_checks.CHECKS); DOCUMENTATION describes the same (tests/unit/test_module_docs.py).
ARGUMENT_SPEC = dict(
    checks=dict(type="list", elements="str", choices=list(NAMES)),
    state=dict(type="dict", default={}),
    disk_warn=dict(type="float", default=D["disk_warn"]), disk_crit=dict(type="float", default=D["disk_crit"]),
    inode_warn=dict(type="float", default=D["inode_warn"]), inode_crit=dict(type="float", default=D["inode_crit"]),
    disk_exclude=dict(type="list", elements="str", default=[]),
    disk_exclude_fstypes=dict(type="list", elements="str", default=[]),
    memory_warn=dict(type="float", default=D["memory_warn"]), memory_crit=dict(type="float", default=D["memory_crit"]),
    swap_warn=dict(type="float", default=D["swap_warn"]), swap_crit=dict(type="float", default=D["swap_crit"]),
    load_warn=dict(type="float", default=D["load_warn"]), load_crit=dict(type="float", default=D["load_crit"]),
    load_period=dict(type="int", default=D["load_period"], choices=[1, 5, 15]),
    reboot_status=dict(type="str", default=D["reboot_status"], choices=["OK", "WARNING", "CRITICAL"]),
    services=dict(type="list", elements="raw", default=[]),
    ports=dict(type="list", elements="raw", default=[]),
    time_offset_warn=dict(type="float", default=D["time_offset_warn"]), time_offset_crit=dict(type="float", default=D["time_offset_crit"]),
    time_zone=dict(type="str"), time_zone_offset=dict(type="int"),
    logs_source=dict(type="str", default="auto", choices=["auto", "journal", "file"]),
    logs_files=dict(type="list", elements="path", default=["/var/log/syslog", "/var/log/messages"]),
    logs_first_hours=dict(type="float", default=24.0),
    logs_warn=dict(type="int", default=D["logs_warn"]), logs_crit=dict(type="int"),
    logs_crit_lines=dict(type="int", default=D["logs_crit_lines"]),
    logs_error_pattern=dict(type="str"), logs_critical_pattern=dict(type="str"), logs_ignore_pattern=dict(type="str"),
    logs_keep_lines=dict(type="int", default=5),
    logs_max_bytes=dict(type="int", default=16 * 1024 * 1024),
    backup_paths=dict(type="list", elements="path", default=[]),
    backup_warn_hours=dict(type="float", default=D["backup_warn_hours"]), backup_crit_hours=dict(type="float", default=D["backup_crit_hours"]),
    backup_min_size=dict(type="int", default=D["backup_min_size"]),
    backup_shrink_pct=dict(type="float", default=D["backup_shrink_pct"]),
    updates_warn=dict(type="int", default=D["updates_warn"]), updates_crit=dict(type="int"),
    security_warn=dict(type="int"), security_crit=dict(type="int", default=D["security_crit"]),
    updates_cache_max_days=dict(type="float", default=D["updates_cache_max_days"]),
    updates_probe_timeout=dict(type="float", default=5.0),
    command_timeout=dict(type="float", default=30.0),
)

# The warning and critical thresholds that come in pairs (higher is worse for all of them).
THRESHOLD_PAIRS = ("disk", "inode", "memory", "swap", "load", "time_offset", "logs", "backup_%s_hours", "updates",
                   "security")


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    started = time.time()
    # Validate expectations before touching anything.
    try:
        for spec in params["services"]:
            normalize_service(spec)
        for spec in params["ports"]:
            parse_port_spec(spec)
    except ValueError as exc:
        module.fail_json(msg=str(exc))
    # A warning above its critical threshold (memory_warn 90, memory_crit 70) would never show.
    problems = threshold_problems(params, THRESHOLD_PAIRS)
    if not 0 <= params["backup_shrink_pct"] <= 100:
        problems.append("backup_shrink_pct (%s) must be 0 to 100" % params["backup_shrink_pct"])
    if problems:
        module.fail_json(msg="; ".join(problems))

    if params["checks"] is None:
        params["checks"] = list(NAMES)
    result = run_checks(Host(module.get_bin_path, params["command_timeout"]), params, params["state"] or {}, module.warn)
    state = dict({"time": started}, **result["state"])
    records = result["records"]
    module.exit_json(changed=False, records=records, state=state, checks=result["checks"],
                     not_applicable=result["not_applicable"], duration=round(time.time() - started, 3),
                     unknown=sum(1 for r in records if r["status"] == UNKNOWN))


if __name__ == "__main__":
    main()
