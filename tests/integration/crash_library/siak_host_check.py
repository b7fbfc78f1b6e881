#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Tests only: a stand-in for siak_host_check that crashes, as a module with a bug would.

No real module crashes on demand; tests/integration/test_trust.py puts this folder first
on the module path (ANSIBLE_LIBRARY) to see a crash become an UNKNOWN record.
"""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule  # noqa: F401  (makes it a new-style module)


def main():
    return 1 / 0


if __name__ == "__main__":
    main()
