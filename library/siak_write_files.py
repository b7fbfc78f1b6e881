#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible module: write a round's files (documents, then the state kept between rounds) in one call."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_write_files
short_description: Write a round's documents and the state kept between rounds, all in one call
description:
  - Writes the files it is given in their order, each atomically (a temporary file in the
    same folder, then a rename), so a round that dies half-way never leaves a torn file -
    documents (C(content), written as they are), the state kept for the next round
    (C(state), log positions, boot time, switch counter samples, written as JSON) and
    folders (C(directory)).
  - Stops at the first file it cannot write and names it; the files after it are not
    written. The report role lists the round's C(results.json) first and the state files
    last, so the state for the next round is kept only once the round's results are on disk,
    and a round that dies before its report leaves the state of the last complete round.
  - A file that already holds its content with its mode is left alone. A file's missing
    folder is made (mode 0750).
  - In check mode the state files are never written; the documents and folders are written
    only with O(documents_in_check_mode) (the report is written under C(--check) too, as the
    checks only read).
  - Runs on the admin machine.
version_added: "1.0.0"
author:
  - SIAK maintenance project
options:
  files:
    description:
      - The files and folders to write, in order. Each entry gives exactly one of
        O(files[].content), O(files[].state) or O(files[].directory=true).
    type: list
    elements: dict
    required: true
    suboptions:
      path:
        description: Where the file (or the folder) goes.
        type: path
        required: true
      content:
        description: A document, written exactly as given.
        type: str
      state:
        description: The state to keep for the next round (written as sorted, indented JSON).
        type: dict
      directory:
        description: Make the folder O(files[].path) (and its parents) and give it its mode.
        type: bool
        default: false
      mode:
        description: Mode of this file or folder; default O(mode) for a file, O(folder_mode) for a folder.
        type: raw
  mode:
    description: Mode of the files written.
    type: raw
    default: "0640"
  folder_mode:
    description: Mode of the folders of O(files[].directory) entries.
    type: raw
    default: "0750"
  documents_in_check_mode:
    description:
      - In check mode, write the documents and folders anyway (the state files stay as they are).
      - Without it, check mode writes nothing and reports what would change.
    type: bool
    default: false
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: The state files are never written in check mode; the documents only with O(documents_in_check_mode).
  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details: On a local connection the action writes the files in its own process; on any other it runs the module.
"""

EXAMPLES = r"""
- name: Keep the state of this round for the next one
  siak_write_files:
    files:
      - path: /var/lib/siak/state/hosts/siak-app01.json
        state: {boot_time: 1714600000, time: 1714650000.5}

- name: Write the round's results, then keep the state for the next round (report written under --check too)
  siak_write_files:
    files:
      - path: /srv/siak/laporan/20261125-070000-ab12
        directory: true
      - path: /srv/siak/laporan/20261125-070000-ab12/results.json
        content: "{{ results | to_nice_json(indent=2) }}\n"
      - path: /var/lib/siak/state/hosts/siak-app01.json
        state: {boot_time: 1714600000, time: 1714650000.5}
    documents_in_check_mode: true
"""

RETURN = r"""
written:
  description: The files and folders changed on disk, in order.
  returned: always
  type: list
  elements: str
held_back:
  description: The files and folders that would have changed but were not written because of check mode.
  returned: always
  type: list
  elements: str
"""

from ansible.module_utils.basic import AnsibleModule
# The action of the same name (action_plugins/siak_write_files.py) runs the same logic in its
# own process on the admin machine; this module serves any other connection.
from ansible.module_utils.siak_files import ARGUMENT_SPEC, run


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    result = run(module.params, module.check_mode)
    if result.get("failed"):
        module.fail_json(**result)
    module.exit_json(**result)


if __name__ == "__main__":
    main()
