# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Retention of rounds: which round folders fall beyond the newest K.

    siak_rounds_beyond(history, keep, current='')
        the ids of the rounds of ``history`` (query('siak_rounds', dir): newest first) that
        fall beyond the newest ``keep``; ``keep`` 0 keeps every round. The round named
        ``current`` (the one being written) is never among them, whatever its place.
    siak_same_office(history, office)
        the rounds of ``history`` made for ``office`` (the round header's office), and those
        that name none: a report folder two offices share never compares one office's round
        with the other's, nor removes the other's rounds.
"""

from __future__ import annotations

import re

from ansible.errors import AnsibleFilterError

# What a round id may look like (as roles/siak_order and the siak_rounds lookup check).
ROUND_ID = re.compile(r"^[A-Za-z0-9._-]+$")


def siak_rounds_beyond(history, keep, current=""):
    """Ids of the rounds beyond the newest ``keep`` of ``history`` (newest first)."""
    try:
        keep = int(keep)
    except (TypeError, ValueError) as exc:
        raise AnsibleFilterError("siak_report_keep must be a whole number, not %r" % (keep,)) from exc
    if keep < 0:
        raise AnsibleFilterError("siak_report_keep must be 0 (keep every round) or more, not %d" % keep)
    if keep == 0:
        return []
    ids = [str(entry.get("id")) for entry in history or [] if isinstance(entry, dict)]
    ids = [i for i in ids if ROUND_ID.match(i) and i not in (".", "..")]
    kept = ([current] if current in ids else [])
    for round_id in ids:
        if len(kept) >= keep:
            break
        if round_id not in kept:
            kept.append(round_id)
    return [i for i in ids if i not in kept]


def siak_same_office(history, office):
    """The entries of ``history`` whose ``office`` is ``office`` or not recorded (every entry when ``office`` is empty)."""
    office = str(office or "")
    return [entry for entry in history or [] if isinstance(entry, dict)
            and (not office or not entry.get("office") or str(entry["office"]) == office)]


class FilterModule:
    """Retention of rounds."""

    def filters(self):
        return {"siak_rounds_beyond": siak_rounds_beyond, "siak_same_office": siak_same_office}
