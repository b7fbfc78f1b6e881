# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory values as the roles' argument specs accept them.

    siak_as_list(value)   a list as ``type: list`` accepts it: a list as is, text split at
                          commas ("sshd,cron"), a number as one item; None as an empty list

A role's argument check (meta/argument_specs.yml) accepts ``siak_host_check_services: sshd``
as the list ["sshd"], as Ansible accepts a module's list option, but leaves the variable as
it was written. A template that adds two lists must then convert it the same way, or the
value the check accepted fails in the template ("can only concatenate list").
"""

from __future__ import annotations

from ansible.errors import AnsibleFilterError
from ansible.module_utils.common.validation import check_type_list


def siak_as_list(value):
    """``value`` as Ansible's ``type: list`` reads it (TypeError for a dict: the check refuses it too)."""
    if value is None:
        return []
    try:
        return check_type_list(value)
    except TypeError as exc:
        raise AnsibleFilterError("a list is expected: %s" % exc) from exc


class FilterModule:
    """Inventory value filters."""

    def filters(self):
        return {"siak_as_list": siak_as_list}
