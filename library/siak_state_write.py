#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible module: commit the state kept between rounds, after the round's results are written."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_state_write
short_description: Write the state kept between rounds, all files in one call
description:
  - Writes each target's state for the next round (log positions, boot time, switch
    counter samples) as one JSON file per target, each atomically (a temporary file in the
    same folder, then a rename), so a round that dies half-way never leaves a torn file.
  - The report role calls it only after the round's C(results.json) is written, so a
    round that dies before its report leaves the state of the last complete round, and
    the next round still sees everything since then.
  - Runs on the admin machine.
version_added: "1.0.0"
author:
  - SIAK maintenance project
options:
  files:
    description: The state files to write.
    type: list
    elements: dict
    required: true
    suboptions:
      path:
        description: Where the file goes (its folder is created, mode 0750).
        type: path
        required: true
      state:
        description: The state to keep (written as JSON).
        type: dict
        required: true
  mode:
    description: Mode of the files written.
    type: raw
    default: "0640"
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Writes nothing; reports which files would change.
"""

EXAMPLES = r"""
- name: Keep the state of this round for the next one
  siak_state_write:
    files:
      - path: /var/lib/siak/state/hosts/siak-app01.json
        state: {boot_time: 1714600000, time: 1714650000.5}
"""

RETURN = r"""
written:
  description: The files whose content changed (or would change in check mode).
  returned: always
  type: list
  elements: str
"""

import json
import os

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.siak_files import write_atomically

ARGUMENT_SPEC = dict(
    files=dict(type="list", elements="dict", required=True,
               options=dict(path=dict(type="path", required=True), state=dict(type="dict", required=True))),
    mode=dict(type="raw", default="0640"),
)


def render(state):
    """The file's text: sorted, indented JSON with a final newline."""
    return json.dumps(state, indent=1, sort_keys=True) + "\n"


def write_state(path, text, mode):
    """Write one state file atomically; its folder is made (0750) when missing."""
    os.makedirs(os.path.dirname(path), mode=0o750, exist_ok=True)
    write_atomically(path, text, mode=mode, prefix=".siak-state-")


def _current(path):
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except OSError:
        return None


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    mode = module.params["mode"]
    mode = int(mode, 8) if isinstance(mode, str) else int(mode)
    written = []
    for entry in module.params["files"]:
        text = render(entry["state"])
        if _current(entry["path"]) == text:
            continue
        written.append(entry["path"])
        if not module.check_mode:
            try:
                write_state(entry["path"], text, mode)
            except OSError as exc:
                module.fail_json(msg="cannot write the state file %s: %s" % (entry["path"], exc.strerror),
                                 written=written[:-1])
    module.exit_json(changed=bool(written), written=written)


if __name__ == "__main__":
    main()
