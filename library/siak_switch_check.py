#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible module: check one switch over SSH with netmiko (SOP step 3, network)."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_switch_check
short_description: Check one switch over SSH (device, ports, error rates, CPU and memory)
description:
  - Connects once to a switch with netmiko, sends only show/display/print commands
    (the platform table in C(module_utils/siak_switch_platforms.py)), parses the output with
    ntc-templates or the project's declarative tables, and returns result records.
  - Interface errors are judged as a rate between two counter samples. The previous
    sample comes in O(state) (the role keeps it per switch on the admin machine) and the
    new one goes out in the returned C(state); with no usable earlier sample, two samples
    are taken O(first_sample_interval) seconds apart in the same session.
  - Trouble never fails the task; a wrong password, a timeout or output that does not
    parse becomes an UNKNOWN record with the reason.
  - The switch's SSH host key is checked strictly against O(known_hosts) only (paramiko's
    RejectPolicy, before any authentication). An unknown key, a changed key or a missing
    known_hosts file is one UNKNOWN record naming the cause and the fingerprints, and the
    password is never sent. Keys are collected with C(playbooks/switch_keys.yml).
  - Runs on the admin machine (C(ansible_connection=local)). The check itself is in
    C(module_utils/siak_switch_session.py); the C(siak_step) action of steps 2 and 3 runs it
    in its own process there, with this module's options and result, and no module process.
version_added: "1.0.0"
requirements:
  - netmiko
  - ntc-templates
options:
  platform:
    description: netmiko device type of the switch.
    type: str
    required: true
    choices: [cisco_ios, huawei, hp_comware, hp_procurve, mikrotik_routeros]
  host:
    description: Address of the switch.
    type: str
    required: true
  port:
    description: SSH port of the switch.
    type: int
    default: 22
  username:
    description: SSH user name.
    type: str
    required: true
  password:
    description: SSH password. Never logged, never returned.
    type: str
    required: true
  secret:
    description: Enable secret; used only when O(enable=true). Never logged, never returned.
    type: str
  enable:
    description: Enter privileged mode (Cisco C(enable)) before the show commands.
    type: bool
    default: false
  checks:
    description:
      - Which checks to run. SOP step 3 runs the default list; SOP step 2 asks for
        C([environment]) only (the hardware checklist).
      - C(environment) reads model, serial, OS version, uptime, power supplies, fans and
        temperatures where the platform's CLI tells them, and returns RV(hardware),
        RV(previous_hardware) and RV(not_applicable).
    type: list
    elements: str
    choices: [device, ports, errors, cpu, environment]
    default: [device, ports, errors, cpu]
  uplinks:
    description: Interfaces that must be up (a down uplink is CRITICAL). Short or long names.
    type: list
    elements: str
    default: []
  half_duplex_ok:
    description: Interfaces where half duplex is expected (no WARNING).
    type: list
    elements: str
    default: []
  uplink_min_mbps:
    description:
      - A required uplink (O(uplinks)) that is up at less than this many Mb/s is a WARNING (a gigabit
        link fallen back to 100 Mb/s on a damaged cable). C(0) does not compare.
    type: int
    default: 1000
  error_pct_warn:
    description: WARNING when errors reach this percent of packets between two samples.
    type: float
    default: 0.01
  error_pct_crit:
    description: CRITICAL when errors reach this percent of packets between two samples.
    type: float
    default: 0.1
  error_rate_warn:
    description: Optional WARNING threshold in errors per second.
    type: float
  error_rate_crit:
    description: Optional CRITICAL threshold in errors per second.
    type: float
  cpu_warn:
    description: CPU utilisation WARNING threshold (percent).
    type: float
    default: 80
  cpu_crit:
    description: CPU utilisation CRITICAL threshold (percent).
    type: float
    default: 90
  memory_warn:
    description: Memory use WARNING threshold (percent).
    type: float
    default: 80
  memory_crit:
    description: Memory use CRITICAL threshold (percent).
    type: float
    default: 90
  first_sample_interval:
    description:
      - Seconds between the two samples taken when there is no earlier sample, and at least
        between O(earlier_sample) and the sample it is compared with.
    type: float
    default: 30
  sample_counters:
    description:
      - Also take one sample of the error counters and return it as RV(counter_sample),
        without judging it (SOP step 2 takes it, so that step 3 of a first round need not
        wait O(first_sample_interval) between two samples of its own).
      - Only used when O(checks) has no C(errors) (which samples them anyway).
    type: bool
    default: false
  earlier_sample:
    description:
      - A sample of this switch's error counters taken earlier in this round (RV(counter_sample)
        of step 2), used when O(state) has no usable sample (a first round). When it is at least
        O(first_sample_interval) old, the counters are compared with it without waiting;
        otherwise the module waits only the rest of that time before its second sample.
      - A sample of the wrong shape, or one sharing no port with the switch's counters now, is
        ignored (two samples are taken as without it).
    type: dict
  known_hosts:
    description:
      - known_hosts file (OpenSSH format) with the switches' SSH host keys, kept with the
        inventory; the only file trusted. A switch on a port other than 22 is named
        C([host]:port) in it.
      - Filled by C(playbooks/switch_keys.yml) (module C(siak_switch_hostkey)).
    type: path
    required: true
  state:
    description:
      - What the previous round kept for this switch (its uptime and counter sample, and
        under C(hardware) the hardware snapshot of the C(environment) check), as
        returned in C(state) then; V({}) for a first round. A state of the wrong shape is
        ignored with a warning (a first round). Keys a run does not renew are returned
        unchanged.
    type: dict
    default: {}
  conn_timeout:
    description: Seconds to wait for the SSH connection and the login.
    type: int
    default: 10
  command_timeout:
    description: Seconds to wait for the output of one command.
    type: int
    default: 30
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Sends the same read-only commands; it writes nothing in any mode.
author:
  - SIAK maintenance project
"""

EXAMPLES = r"""
- name: Check a switch (all checks)
  siak_switch_check:
    platform: cisco_ios
    host: 198.18.1.10
    username: "{{ siak_switch_username }}"
    password: "{{ siak_switch_password }}"
    uplinks: [Gi1/0/1]
    known_hosts: "{{ inventory_dir }}/switch_known_hosts"
    state: "{{ lookup('ansible.builtin.file', 'state/switches/sw-core01.json') | from_json }}"
  no_log: true
  register: __siak_switch_check_result

- name: Quick look for SOP step 2 (device only)
  siak_switch_check:
    platform: huawei
    host: 198.18.1.11
    username: "{{ siak_switch_username }}"
    password: "{{ siak_switch_password }}"
    checks: [device]
    known_hosts: "{{ inventory_dir }}/switch_known_hosts"
"""

RETURN = r"""
records:
  description: Result records (without step and target); see module_utils/siak_result.py.
  returned: always
  type: list
  elements: dict
timing:
  description: Seconds spent connecting, in the whole session, and waiting between samples.
  returned: always
  type: dict
  sample: {"connect_s": 0.8, "session_s": 2.1, "waited_s": 0}
sampled_twice:
  description: True when no usable earlier sample existed and two samples were taken.
  returned: always
  type: bool
counter_sample:
  description:
    - With O(sample_counters), the error counters' sample taken, C({ts, ports}), for
      O(earlier_sample) of a later call in the same round; null when they gave no data.
  returned: when sample_counters is true and checks has no errors
  type: dict
state:
  description:
    - What to keep for the next round (uptime and counter sample); pass it as O(state)
      then. Not returned when the switch could not be reached or logged in to (the previous
      state stays the one to compare with).
  returned: when the switch answered
  type: dict
  sample: {"schema": 1, "platform": "cisco_ios", "uptime": {"ts": 1764650000.0, "uptime_s": 8640000},
           "counters": {"ts": 1764650000.0, "ports": {"GigabitEthernet0/1": {"in_packets": 1200, "in_errors": 0}}}}
hardware:
  description:
    - What the C(environment) check found (JSON-able, small); null when the switch could
      not be read. Power, fan and sensor names are the switch's own.
  returned: when environment is among checks
  type: dict
  sample: {"system": {"vendor": "Cisco", "model": "WS-C3560CX-8TC-S", "serial": "FOC2145X1AB",
                      "os_version": "15.2(7)E8", "uptime_seconds": 7535520},
           "power": [{"name": "PS 1A", "status": "ok"}], "fans": [{"name": "Fan 1/1", "status": "ok"}],
           "sensors": [{"label": "Switch 1 Inlet", "celsius": 31.0, "high": 46.0, "crit": 56.0}]}
previous_hardware:
  description: The hardware snapshot of the previous round (from O(state)), or null on a first round.
  returned: when environment is among checks
  type: dict
not_applicable:
  description:
    - Hardware checks that do not apply to this switch (its CLI tells no fans, say), each
      C({category, item, reason, reason_en}); not records. A command that failed is an
      UNKNOWN record instead.
  returned: when environment is among checks
  type: list
  elements: dict
  sample: [{"category": "hw-fan", "item": "fan", "reason": "switch tidak melaporkan kipas",
            "reason_en": "the switch reports no fans"}]
"""

from ansible.module_utils.basic import AnsibleModule
# The check itself lives in module_utils, so that the siak_step action can run it in its own
# process (tests/unit/test_siak_switch_module.py tests it there).
from ansible.module_utils.siak_switch_session import ARGUMENT_SPEC, HAS_NETMIKO, NO_NETMIKO, BadOptions, UnsafeCommand, run


def main():
    module = AnsibleModule(
        argument_spec=ARGUMENT_SPEC,
        supports_check_mode=True,
    )
    if not HAS_NETMIKO:
        module.fail_json(msg=NO_NETMIKO)
    try:
        module.exit_json(**run(module.params, module.warn))
    except (UnsafeCommand, BadOptions) as exc:
        module.fail_json(msg=str(exc))


if __name__ == "__main__":
    main()
