# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action ``siak_write_files`` (documented in library/siak_write_files.py).

The report's files are written on the admin machine. On a local connection (the report's
play runs on localhost) this action writes them in its own process, with the module's own
argument spec and logic (module_utils/siak_files.py): a module process would cost each of the
report's three calls a Python start and Ansible's module code compiled from its zip (about
0.3 s each). On any other connection it runs the module.
"""

from __future__ import annotations

import os

import ansible.module_utils as _ansible_module_utils
from ansible.plugins.action import ActionBase

_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

# pylint: disable=wrong-import-position
from ansible.module_utils import siak_files  # noqa: E402


class ActionModule(ActionBase):
    """Write the files in this process when the connection is local; else run the module."""

    _supports_check_mode = True
    TRANSFERS_FILES = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        if self._connection.transport != "local":
            result.update(self._execute_module(module_name="siak_write_files", module_args=self._task.args,
                                               task_vars=task_vars))
            return result
        validation, params = self.validate_argument_spec(argument_spec=siak_files.ARGUMENT_SPEC)
        del validation
        result.update(siak_files.run(params, self._task.check_mode))
        return result
