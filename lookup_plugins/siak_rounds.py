# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The history of rounds, rebuilt from the rounds' own files (never from history.json)."""

from __future__ import annotations

DOCUMENTATION = r"""
name: siak_rounds
author: SIAK maintenance project
version_added: "1.0.0"
short_description: The rounds kept in a report folder, newest first
description:
  - Reads every round folder of a report folder (C(<dir>/<round-id>/)) and returns one
    entry per round, newest first. A round's own files are the truth, so a damaged
    C(history.json) never loses a round.
  - A folder whose C(round.json) says the round is not complete (written so when step 1
    starts a round) and that has no C(results.json) is a round that stopped before its
    report was written (Ctrl-C, SIGTERM, a crash); it is listed as incomplete.
  - A folder with only C(results.json) (written before C(round.json) existed) is read
    from it. Folders that hold neither, and files that cannot be read, are skipped.
options:
  _terms:
    description: The report folder.
    required: true
    type: path
"""

EXAMPLES = r"""
- name: Rebuild the history of rounds
  ansible.builtin.set_fact:
    history: "{{ query('siak_rounds', siak_report_dir) }}"
"""

RETURN = r"""
_list:
  description:
    - One entry per round, newest first, with id, started, finished, operator, complete,
      status, counts, grade_counts and href (the report page, relative to the folder, when
      it exists).
  type: list
  elements: dict
"""

import json
import os
import re

import ansible.module_utils as _ansible_module_utils
from ansible.errors import AnsibleLookupError
from ansible.plugins.lookup import LookupBase

# The project's module_utils, importable as ansible.module_utils.<name> (as in the filters).
_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

from ansible.module_utils.siak_result import STATUSES, UNKNOWN, worst  # noqa: E402  pylint: disable=wrong-import-position

# What a round id may look like (roles/siak_order checks the same when a round starts).
ROUND_ID = re.compile(r"^[A-Za-z0-9._-]+$")


def _read_json(path):
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _summary_of(records):
    """Status and counts from a results.json that carries no summary (an old or a hand-made one)."""
    counts = dict.fromkeys(STATUSES, 0)
    for rec in records if isinstance(records, list) else []:
        if isinstance(rec, dict) and rec.get("status") in counts:
            counts[rec["status"]] += 1
    counts["total"] = sum(counts[s] for s in STATUSES)
    return {"status": worst((s for s in STATUSES if counts[s]), default=UNKNOWN), "counts": counts, "grade_counts": {}}


def round_entry(folder, name):
    """The history entry of one round folder, or None when it holds no round."""
    status_file = _read_json(os.path.join(folder, "round.json"))
    has_results = os.path.isfile(os.path.join(folder, "results.json"))
    if status_file is not None and isinstance(status_file.get("round"), dict):
        header, summary = status_file["round"], status_file.get("summary") or {}
        complete = bool(status_file.get("complete")) and has_results
    elif has_results:
        results = _read_json(os.path.join(folder, "results.json"))
        if results is None or not isinstance(results.get("round"), dict):
            return None
        header, summary, complete = results["round"], results.get("summary") or {}, True
        if summary.get("status") not in STATUSES:
            summary = _summary_of(results.get("records"))
    else:
        return None
    if complete and (summary.get("status") not in STATUSES or not isinstance(summary.get("counts"), dict)):
        results = _read_json(os.path.join(folder, "results.json")) or {}
        summary = _summary_of(results.get("records"))
    if str(header.get("id", name)) != name:
        return None  # a folder renamed by hand: its files speak of another round
    entry = {
        "id": name,
        "started": header.get("started"),
        "finished": header.get("finished") if complete else None,
        "operator": header.get("operator"),
        "office": header.get("office"),
        "check_mode": bool(header.get("check_mode")),
        "complete": complete,
        "status": summary.get("status") if complete else None,
        "counts": summary.get("counts") if complete else None,
        "grade_counts": summary.get("grade_counts") if complete else None,
        "href": "%s/index.html" % name if complete and os.path.isfile(os.path.join(folder, "index.html")) else None,
    }
    return entry


def rounds(report_dir):
    """Every round kept under ``report_dir``, newest first (by start time, then id)."""
    try:
        names = os.listdir(report_dir)
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise AnsibleLookupError("cannot read the report folder %s: %s" % (report_dir, exc.strerror)) from exc
    out = []
    for name in names:
        folder = os.path.join(report_dir, name)
        if not ROUND_ID.match(name) or not os.path.isdir(folder):
            continue
        entry = round_entry(folder, name)
        if entry is not None:
            out.append(entry)
    out.sort(key=lambda e: (str(e.get("started") or ""), e["id"]), reverse=True)
    return out


class LookupModule(LookupBase):
    """query('siak_rounds', report_dir) -> the rounds kept there, newest first."""

    def run(self, terms, variables=None, **kwargs):
        if len(terms) != 1:
            raise AnsibleLookupError("siak_rounds takes one term: the report folder")
        return rounds(str(terms[0]))
