# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Action ``siak_step``: one SOP step on one target in one task (documented in library/siak_step.py).

Thin: it reads the target's state file on the admin machine, runs the step's module(s)
on the target, and hands every result, a connection failure included, to the pure
functions of module_utils/siak_step.py, which make the records. The task itself never
fails for a target that is down or a module that cannot run: that is a record.
"""

from __future__ import annotations

import os

import ansible.module_utils as _ansible_module_utils
from ansible.errors import AnsibleActionFail, AnsibleConnectionFailure, AnsibleError
from ansible.plugins.action import ActionBase

_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

# pylint: disable=wrong-import-position
from ansible.module_utils import siak_step  # noqa: E402
from ansible.module_utils import siak_switch_session  # noqa: E402
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator  # noqa: E402
from ansible.module_utils.siak_state import parse_state, state_problems  # noqa: E402


# The switch check, run in the action's own process when the switch's connection is local.
SWITCH_CHECK = ("siak_switch_check", "ansible.legacy.siak_switch_check")


class ActionModule(ActionBase):
    """Run one step's module(s) on the target; return its records, reachability and new state."""

    _supports_check_mode = True
    TRANSFERS_FILES = False

    def _module(self, name, args, task_vars):
        """One module run; a connection failure (unreachable) or an error on the way to the module (a
        privilege escalation refused, a module that cannot be found) becomes the result Ansible
        registers for it."""
        if name in SWITCH_CHECK and self._connection.transport == "local":
            return self._switch_check(args)
        try:
            return siak_step.with_failure_message(
                self._execute_module(module_name=name, module_args=args, task_vars=task_vars))
        except AnsibleConnectionFailure as exc:
            return siak_step.connection_failure(exc)
        except AnsibleError as exc:
            return siak_step.run_failure(exc)

    @staticmethod
    def _switch_check(args):
        """siak_switch_check run in this process: on the admin machine, where the module would run
        (the switch's connection is local), with the module's own argument spec and result, but
        without a module process of its own (a Python start, Ansible's module code compiled from
        its zip, netmiko imported: about 0.6 s of CPU per switch and step)."""
        validated = ArgumentSpecValidator(siak_switch_session.ARGUMENT_SPEC).validate(args)
        if validated.error_messages:
            return {"failed": True, "changed": False, "msg": validated.errors.msg}
        if not siak_switch_session.HAS_NETMIKO:
            return {"failed": True, "changed": False, "msg": siak_switch_session.NO_NETMIKO}
        warnings = []
        try:
            result = siak_switch_session.run(validated.validated_parameters, warnings.append)
        except (siak_switch_session.UnsafeCommand, siak_switch_session.BadOptions) as exc:
            return {"failed": True, "changed": False, "msg": str(exc)}
        except Exception as exc:  # pylint: disable=broad-except  # as a module that crashed
            return {"failed": True, "changed": False, "msg": "Module failed: %s" % exc}
        if warnings:
            result["warnings"] = warnings
        return result

    def _state(self, path, kind, target, warnings):
        """The target's state from the previous round ({} for a first round, or a damaged file: a warning)."""
        if not path or not kind:
            return None
        try:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
        except FileNotFoundError:
            return {}
        except OSError as exc:
            warnings.append("state of %s cannot be read (this round counts as a first round): %s"
                            % (target, exc.strerror))
            return {}
        data, warning = parse_state(text, target, lambda state: state_problems(kind, state))
        if warning:
            warnings.append(warning)
        return data

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        validation, args = self.validate_argument_spec(argument_spec=siak_step.ARGUMENT_SPEC,
                                                       required_if=siak_step.REQUIRED_IF)
        del validation
        target = task_vars.get("inventory_hostname", "")
        warnings = []
        state = self._state(args["state_file"], args["state_kind"], target, warnings)
        # A null argument is one not given (as omit is for a task's own arguments).
        module_args = {name: value for name, value in args["args"].items() if value is not None}
        if state is not None:
            module_args["state"] = state
        state_file = args["state_file"] if args["keep_state"] and not self._task.check_mode else None
        try:
            if args["step"] == 2 and args["reach"] == "port":
                answered = siak_step.wait_for_port(**args["port"])
                hardware = None
                if args["module"] and not answered.get("failed"):
                    hardware = self._module(args["module"], module_args, task_vars)
                outcome = siak_step.assess_switch(target, answered, hardware, state_file)
                status = siak_step.task_status(answered, hardware)
            elif args["step"] == 2 and args["reach"] == "login":
                hardware = self._module(args["module"], module_args, task_vars) if args["module"] else None
                ping = None
                if hardware is None or siak_step.needs_ping(hardware):
                    ping = self._module("ansible.builtin.ping", {}, task_vars)
                outcome = siak_step.assess_host(target, hardware, ping, state_file)
                status = siak_step.task_status(hardware if hardware is not None else ping)
            else:
                if not args["module"] or not args["identity"] or len(args["identity"]) != 2:
                    raise AnsibleActionFail("a check needs its module and identity: [category, item]")
                ran = self._module(args["module"], module_args, task_vars)
                outcome = siak_step.check(target, args["step"], args["identity"], ran, state_file)
                status = siak_step.task_status(ran)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        # The task ends unreachable or failed when the module did (the roles ignore both), so
        # Ansible's own output shows it too; the records name the cause either way.
        result.update(outcome, changed=False, **status)
        if warnings:
            result["warnings"] = warnings
        return result
