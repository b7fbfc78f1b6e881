# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Inventory values as the roles' argument specs accept them.

    siak_as_list(value)   a list as ``type: list`` accepts it: a list as is, text split at
                          commas ("sshd,cron"), a number as one item; None as an empty list
    siak_port(value, name)  a TCP port number (1-65535) from an inventory value (22, "22"),
                          or an error naming the variable: "abc" | int would be 0, a port
                          nobody listens on, and the switch would be reported as not answering
    siak_for_groups(by_group, group_names, name, first, last)
                          the lists a mapping {group: list} gives a host's groups, joined in
                          the order of ``group_names`` (each read as siak_as_list reads it),
                          after the list ``first`` and before ``last``

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


def siak_port(value, name="the port"):
    """``value`` as a TCP port number, or AnsibleFilterError naming ``name`` and the value."""
    text = str(value).strip() if value is not None and not isinstance(value, bool) else ""
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise AnsibleFilterError("%s: %r is not a port number (1-65535)" % (name, value))
    return int(text)


def siak_for_groups(by_group, group_names, name="the mapping", first=None, last=None):
    """``first``, then the lists ``by_group`` ({group: list}) gives the groups of
    ``group_names``, then ``last``, joined (``first`` and ``last`` read as siak_as_list does).

    Lists kept per group in one mapping add up for a host in several groups (one server that
    is both the application and the database server), where a variable set in each group's
    group_vars would take one group's value only (Ansible's variable precedence). ``name``
    is the variable's name, for the message when a value is not a list. The joining is done
    here, not with "+" in the template: ansible-core 2.19 would report a value refused here
    as "can only concatenate list", without this message.
    """
    if by_group is not None and not isinstance(by_group, dict):
        raise AnsibleFilterError("%s must be a mapping of inventory group to list, got %s"
                                 % (name, type(by_group).__name__))
    joined = list(siak_as_list(first))
    for group in group_names or ():
        if by_group and group in by_group:
            try:
                joined.extend(siak_as_list(by_group[group]))
            except AnsibleFilterError as exc:
                raise AnsibleFilterError("%s[%s]: %s" % (name, group, exc)) from exc
    return joined + siak_as_list(last)


class FilterModule:
    """Inventory value filters."""

    def filters(self):
        return {"siak_as_list": siak_as_list, "siak_for_groups": siak_for_groups, "siak_port": siak_port}
