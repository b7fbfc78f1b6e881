# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The switch platforms the checks know, read from the platform table (one list)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: siak_switch_platforms
author: SIAK maintenance project
version_added: "1.0.0"
short_description: The switch platforms (netmiko device types) the switch checks know
description:
  - Returns C(PLATFORMS) of C(module_utils/siak_switch_platforms.py), in table order, so
    that the role's preflight never repeats the list.
options: {}
"""

EXAMPLES = r"""
- name: Refuse a switch of an unknown platform
  ansible.builtin.assert:
    that: siak_switch_platform in query('siak_switch_platforms')
"""

RETURN = r"""
_list:
  description: The platform names (e.g. C(cisco_ios)).
  type: list
  elements: str
"""

import os

import ansible.module_utils as _ansible_module_utils
from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

# The project's module_utils (roles/<role>/lookup_plugins -> ../../../module_utils),
# importable as ansible.module_utils.<name>, as in the filters.
_MODULE_UTILS = os.path.join(os.path.dirname(os.path.abspath(__file__)), os.pardir, os.pardir, os.pardir,
                             "module_utils")
_MODULE_UTILS = os.path.normpath(_MODULE_UTILS)
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

from ansible.module_utils.siak_switch_platforms import PLATFORMS  # noqa: E402  pylint: disable=wrong-import-position


class LookupModule(LookupBase):
    """query('siak_switch_platforms') -> the platform names."""

    def run(self, terms, variables=None, **kwargs):
        if terms:
            raise AnsibleLookupError("siak_switch_platforms takes no terms")
        return list(PLATFORMS)
