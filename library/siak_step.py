# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Documentation of the ``siak_step`` action (action_plugins/siak_step.py); nothing runs from here."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_step
short_description: One SOP step on one target in one task, every outcome a result record
description:
  - An action that runs on the admin machine. It reads the target's state from the previous
    round (O(state_file)), runs the step's module on the target, and turns every outcome into
    result records, so a step costs one task per target instead of a chain of tasks.
  - Step 2 of a host (O(reach=login)), the hardware module's run proves that the SSH login
    works and Ansible modules run there. When it fails, an M(ansible.builtin.ping) run tells a
    host whose modules cannot run (one UNKNOWN C(reach/modul) record; step 3 skips it) from a
    hardware module that failed (the host stays reachable; its hardware is one UNKNOWN
    C(hw-system/system) record). Without O(module), the ping alone.
  - Step 2 of a switch (O(reach=port)), its SSH port must answer the admin machine
    before O(module) logs in to read its environment. The action tries the port itself, as
    M(ansible.builtin.wait_for) would (at most once a second, until O(port.timeout)), with no
    module to start for it.
  - O(module=siak_switch_check) on a local connection (a switch) runs in the action's own
    process on the admin machine, where the module would run, with the module's argument
    spec and result, and without a module process (a Python start, Ansible's module code compiled
    from its zip and netmiko's import, about 0.6 s of CPU per switch and step).
  - Step 3 (no O(reach)), the check module; its records, or one UNKNOWN record with
    O(identity) naming why it did not run (unreachable, failed, returned nothing).
  - A target that is down, refuses the login or cannot run modules is a record naming the
    cause. So that Ansible's own output shows it too, the task then ends unreachable or
    failed as the module did (with RV(records) in its result); use it with
    C(ignore_unreachable) and C(ignore_errors), as the roles do.
  - A state file that is damaged or of the wrong shape counts as a first round for the
    target, with a warning.
version_added: "1.0.0"
author:
  - SIAK maintenance project
options:
  step:
    description: The SOP step (2 the assessment, 3 the check).
    type: int
    required: true
    choices: [2, 3]
  module:
    description:
      - The module to run on the target (for example C(siak_host_check), C(siak_host_hardware),
        C(siak_switch_check)).
      - Required in step 3. In step 2 of a host, omitted means only the ping (the hardware
        reading is off); in step 2 of a switch, only the port.
    type: str
  args:
    description:
      - The module's arguments (its C(state) comes from O(state_file)).
      - A null argument is one not given (the module's default applies), as C(omit) is for a task's own arguments.
    type: dict
    default: {}
  identity:
    description: The category and item of the UNKNOWN record when the check does not run (step 3).
    type: list
    elements: str
  reach:
    description: Step 2's reachability test, C(login) for a host, C(port) for a switch.
    type: str
    choices: [login, port]
  port:
    description: The switch's SSH port to wait for; required with O(reach=port).
    type: dict
    suboptions:
      host:
        description: Address of the switch.
        type: str
        required: true
      port:
        description: Its SSH port.
        type: int
        default: 22
      timeout:
        description: Seconds to wait for it to answer.
        type: int
        default: 5
  state_file:
    description:
      - The target's state file on the admin machine. Its content is passed to the module as
        its C(state) option; a missing file is a first round (C({})).
    type: path
  state_kind:
    description: The shape the state file must have (C(host), C(switch), C(hardware)).
    type: str
    choices: [host, switch, hardware]
  keep_state:
    description:
      - Whether the module's new C(state) is handed on as RV(state_new), for the report to
        write to O(state_file) once the round's results are on disk. Never in check mode.
    type: bool
    default: true
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The modules only read; no new state is handed on.
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
"""

EXAMPLES = r"""
- name: Assess the host (login, modules, hardware) in one task
  siak_step:
    step: 2
    reach: login
    module: siak_host_hardware
    args: {ups: [], smartctl: smartctl}
    state_file: /var/lib/siak/state/hardware/siak-app01.json
    state_kind: hardware
  register: assessed
  ignore_unreachable: true  # a host that is down is a record (assessed.records)
  ignore_errors: true

- name: Check the host in one task
  siak_step:
    step: 3
    module: siak_host_check
    identity: [host, siak_host_check]
    args: {disk_warn: 80}
    state_file: /var/lib/siak/state/hosts/siak-app01.json
    state_kind: host
  register: checked
  ignore_unreachable: true
  ignore_errors: true
"""

RETURN = r"""
records:
  description: The step's result records of the target (module_utils/siak_result.py).
  returned: always
  type: list
  elements: dict
reachable:
  description: Step 2, whether step 3 can check the target.
  returned: when step is 2
  type: bool
reason:
  description: Step 2, why step 3 cannot check the target ('' when it can).
  returned: when step is 2
  type: str
reason_en:
  description: Step 2, the same reason in English.
  returned: when step is 2
  type: str
hardware_read:
  description: Step 2, whether the hardware module was run on the target.
  returned: when step is 2
  type: bool
hardware:
  description: Step 2, the hardware the module read (the checklist's data); null when it was not read.
  returned: when step is 2
  type: dict
previous_hardware:
  description: Step 2, the hardware of the previous round the module compared with.
  returned: when step is 2
  type: dict
not_applicable:
  description: Step 2, the hardware checks that do not apply to the target.
  returned: when step is 2
  type: list
  elements: str
duration:
  description: Step 3, the seconds the module says it took (null when it did not run or does not say).
  returned: when step is 3
  type: float
counter_sample:
  description: Step 2 of a switch, its error counters' sample for step 3 (the module's RV(counter_sample)), or null.
  returned: when step is 2
  type: dict
state_new:
  description:
    - The state to keep for the next round, C({path, state}), or null (not read, check mode,
      O(keep_state=false)).
  returned: always
  type: dict
"""

from ansible.module_utils.siak_step import ARGUMENT_SPEC  # noqa: E402,F401  pylint: disable=unused-import,wrong-import-position
