# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The records the history page's trends draw, read from the newest complete rounds' results.json."""

from __future__ import annotations

DOCUMENTATION = r"""
name: siak_round_trends
author: SIAK maintenance project
version_added: "1.0.0"
short_description: The trend records of the newest complete rounds of a report folder
description:
  - Reads C(results.json) of the newest complete rounds of a report folder (the rounds of
    lookup C(siak_rounds)) and returns, per round, its id, start time and the records the
    trends draw (disk use, application latency, ping loss and RTT, switch port error
    rates), reduced to what a chart needs (filter C(siak_trend_records)).
  - A round whose results.json cannot be read is left out (the history page still lists it).
options:
  _terms:
    description: The report folder.
    required: true
    type: path
  rounds:
    description: How many of the newest complete rounds to read.
    type: int
    default: 12
  office:
    description:
      - Only the rounds of this office (the round header's C(office)) and those that name none, so that a
        report folder two offices share never draws one office's figures in the other's trends. Empty for all.
    type: str
    default: ""
"""

EXAMPLES = r"""
- name: Read the trends of the last 12 rounds
  ansible.builtin.set_fact:
    trends: "{{ query('siak_round_trends', siak_report_dir, rounds=12) | siak_trend_charts }}"
"""

RETURN = r"""
_list:
  description: One entry per round, oldest first, with id, started and records.
  type: list
  elements: dict
"""

import importlib.util
import json
import os

from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _load(path, name):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ROUNDS = _load(os.path.join(_ROOT, "lookup_plugins", "siak_rounds.py"), "_siak_round_trends_rounds")
_TRENDS = _load(os.path.join(_ROOT, "filter_plugins", "siak_trends.py"), "_siak_round_trends_trends")
_RETENTION = _load(os.path.join(_ROOT, "filter_plugins", "siak_retention.py"), "_siak_round_trends_retention")


def trend_rounds(report_dir, count=12, office=""):
    """The newest ``count`` complete rounds' trend records, oldest first (only ``office``'s
    and those that name no office, when ``office`` is given)."""
    out = []
    for entry in _RETENTION.siak_same_office(_ROUNDS.rounds(report_dir), office):
        if len(out) >= max(0, int(count)):
            break
        if not entry.get("complete"):
            continue
        try:
            with open(os.path.join(report_dir, entry["id"], "results.json"), encoding="utf-8") as handle:
                data = json.load(handle)
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or not isinstance(data.get("records"), list):
            continue
        out.append({"id": entry["id"], "started": entry.get("started"),
                    "records": _TRENDS.siak_trend_records(data["records"])})
    out.reverse()
    return out


class LookupModule(LookupBase):
    """query('siak_round_trends', report_dir, rounds=12) -> the trend records of the newest rounds."""

    def run(self, terms, variables=None, **kwargs):
        if len(terms) != 1:
            raise AnsibleLookupError("siak_round_trends takes one term: the report folder")
        self.set_options(var_options=variables, direct=kwargs)
        return trend_rounds(str(terms[0]), self.get_option("rounds"), self.get_option("office") or "")
