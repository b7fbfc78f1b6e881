#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_host_hardware
short_description: Read a host's hardware for the hardware assessment checklist (SOP step 2)
description:
  - Reads, in one fast call, what the checklist "Ceklis Penilaian Perangkat Keras" needs of
    a Linux host, and judges each item OK / WARNING / CRITICAL / UNKNOWN.
  - "System: vendor, model and serial from DMI (C(/sys/class/dmi/id), or C(dmidecode));
    whether it is a virtual machine. CPU: model, sockets, cores, threads (C(/proc/cpuinfo)).
    RAM total (C(/proc/meminfo))."
  - "Disks: every physical disk of C(/sys/block) with model, size and SMART health through
    smartctl (overall health, reallocated, pending and uncorrectable sectors, temperature,
    NVMe critical warning and percentage used). JSON of smartctl 7 and later, the text of
    older versions. A paravirtual disk (C(vd*), C(xvd*)) or a device without SMART is not
    applicable; a physical disk without smartctl is UNKNOWN."
  - "Software RAID from C(/proc/mdstat) (the same judge as the step 3 C(raid) check);
    temperatures from C(/sys/class/hwmon) and C(/sys/class/thermal) against each sensor's own
    high and critical points; physical network interfaces (those with a C(device) in
    C(/sys/class/net)) with link, speed, duplex and error counters; UPS state and battery
    through NUT's C(upsc) for the names in O(ups)."
  - Compares with the previous round's snapshot (O(state)); a disk that is gone is
    CRITICAL; RAM that shrank, fewer cores, grown interface errors and a link that went
    down are WARNING.
  - Returns result records without C(step) and C(target) (see C(module_utils/siak_result.py)),
    the C(hardware) inventory, and what does not apply to this host (C(not_applicable), no
    record). Never changes the host. smartctl needs root (C(become)); without it, each
    disk is UNKNOWN naming that.
version_added: "1.0.0"
options:
  state:
    description: What the previous round returned as RV(state) (its hardware snapshot); empty on the first round.
    type: dict
    default: {}
  ups:
    description: NUT names of the UPS units that power this host (C(ups@localhost)); none configured makes the UPS item not applicable.
    type: list
    elements: str
    default: []
  smartctl:
    description: The smartctl to run, a path or a name looked up in PATH and C(/usr/sbin), C(/sbin), C(/usr/local/sbin).
    type: str
    default: smartctl
  command_timeout:
    description: Timeout of each command (smartctl, upsc, dmidecode), seconds.
    type: int
    default: 10
  temp_margin:
    description: A sensor with a critical point but no high point is WARNING this many degrees C below the critical point.
    type: float
    default: 5
  battery_warn:
    description: A UPS battery charge below this percentage is WARNING.
    type: float
    default: 50
  battery_crit:
    description: A UPS battery charge below this percentage is CRITICAL.
    type: float
    default: 20
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
author:
  - SIAK maintenance project
"""

EXAMPLES = r"""
- name: Read the hardware of the host for the checklist
  siak_host_hardware:
    state: "{{ previous_hardware_state | default({}) }}"
  become: true
  register: result

- name: Read the hardware and the UPS that powers the server room
  siak_host_hardware:
    ups: [ups@localhost]
    battery_warn: 60
"""

RETURN = r"""
records:
  description: Result records without step and target (categories hw-system, hw-cpu, hw-memory, hw-disk, raid, hw-temp, hw-net, hw-ups).
  returned: always
  type: list
  elements: dict
  sample:
    - {category: hw-disk, item: sda, status: WARNING, value: passed, unit: null, warn: null, crit: null,
       message: "Disk sda (ST3500418AS, 500,1 GB): sektor dialokasikan ulang 304, suhu 33,0 C."}
hardware:
  description: What was found (system, cpu, memory, disks, raid, sensors, nics, ups).
  returned: always
  type: dict
  sample: {system: {vendor: Dell Inc., model: PowerEdge R6515, serial: 7N62AI2, virtual: false},
           cpu: {model: AMD EPYC 7302P, sockets: 1, cores: 16, threads: 32}, memory: {total_bytes: 68719476736},
           disks: [], raid: [], sensors: [], nics: [], ups: []}
previous_hardware:
  description: The snapshot of the previous round that this round was compared with (null on a first round).
  returned: always
  type: dict
not_applicable:
  description: Checks that do not apply to this host (no record), each with category, item, reason and reason_en.
  returned: always
  type: list
  elements: dict
  sample: [{category: hw-ups, item: ups, reason: UPS tidak dikonfigurasi, reason_en: no UPS configured}]
state:
  description: State to keep on the admin machine and pass as O(state) next round (the hardware snapshot).
  returned: always
  type: dict
duration:
  description: Seconds the whole pass took on the host.
  returned: always
  type: float
unknown:
  description: Number of records with the status UNKNOWN.
  returned: always
  type: int
"""

import time

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.siak_result import UNKNOWN, threshold_problems
from ansible.module_utils.siak_hw_collect import HwHost, collect
from ansible.module_utils.siak_hw_judge import DEFAULTS as D, judge_hardware

# The module's options; DOCUMENTATION describes the same (tests/unit/test_module_docs.py).
ARGUMENT_SPEC = dict(
    state=dict(type="dict", default={}),
    ups=dict(type="list", elements="str", default=[]),
    smartctl=dict(type="str", default="smartctl"),
    command_timeout=dict(type="int", default=10),
    temp_margin=dict(type="float", default=D["temp_margin"]),
    battery_warn=dict(type="float", default=D["battery_warn"]),
    battery_crit=dict(type="float", default=D["battery_crit"]),
)


def previous_snapshot(state):
    """The previous round's hardware snapshot from ``state`` (None: a first round, or a state of another shape)."""
    snapshot = (state or {}).get("hardware")
    return snapshot if isinstance(snapshot, dict) and isinstance(snapshot.get("disks", []), list) else None


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    started = time.time()
    # A UPS's charge: lower is worse, so the warning must not be below the critical threshold.
    problems = threshold_problems(params, ("battery",), lower_is_worse=("battery",))
    if problems:
        module.fail_json(msg="; ".join(problems))
    previous = previous_snapshot(params["state"])
    host = HwHost(module.get_bin_path, params["command_timeout"])
    raw = collect(host, params)
    records, hardware, not_applicable = judge_hardware(raw, params, previous)
    module.exit_json(changed=False, records=records, hardware=hardware, previous_hardware=previous,
                     not_applicable=not_applicable, state={"time": started, "hardware": hardware},
                     duration=round(time.time() - started, 3),
                     unknown=sum(1 for r in records if r["status"] == UNKNOWN))


if __name__ == "__main__":
    main()
