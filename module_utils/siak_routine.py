# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""What a finished round amounts to, for people who did not run it: the problems it found,
a one-line summary (cron mail, the notification's subject) and the notification itself.

Pure functions on a round's ``results.json`` (docs/schema/results.schema.json); used by the
module ``siak_notify`` (library/) and by ``python -m routine`` (the scheduled round).
"""

from __future__ import annotations

from ansible.module_utils.siak_result import REACH_LOGIN, SEVERITY

STATUS_ORDER = tuple(sorted(SEVERITY, key=SEVERITY.get, reverse=True))  # CRITICAL, WARNING, UNKNOWN, OK
STATUS_WORDS = {"OK": "normal", "WARNING": "peringatan", "CRITICAL": "kritis", "UNKNOWN": "tidak diketahui"}
WORST_MAX = 10


def _records(results):
    records = results.get("records") if isinstance(results, dict) else None
    return [r for r in records if isinstance(r, dict)] if isinstance(records, list) else []


def unreachable_targets(results):
    """Targets whose step-2 login record is not OK (down, refusing the login, port closed), sorted."""
    return sorted({str(r.get("target")) for r in _records(results)
                   if (r.get("category"), r.get("item")) == REACH_LOGIN and r.get("status") != "OK"})


def worst_findings(results, limit=WORST_MAX):
    """The round's worst records (CRITICAL, then WARNING, then UNKNOWN), at most ``limit``."""
    rank = {s: i for i, s in enumerate(STATUS_ORDER)}
    bad = [r for r in _records(results) if r.get("status") in ("CRITICAL", "WARNING", "UNKNOWN")]
    bad.sort(key=lambda r: (rank[r["status"]], str(r.get("target")), str(r.get("category")), str(r.get("item"))))
    return [{"status": r["status"], "target": str(r.get("target", "")), "category": str(r.get("category", "")),
             "item": str(r.get("item", "")), "message": str(r.get("message", ""))} for r in bad[:limit]]


def round_problems(results):
    """The status, counts and what calls for attention in one round's results.json."""
    summary = results.get("summary") if isinstance(results, dict) else None
    summary = summary if isinstance(summary, dict) else {}
    counts = summary.get("counts") if isinstance(summary.get("counts"), dict) else {}
    counts = {s: int(counts.get(s) or 0) for s in STATUS_ORDER}
    unreachable = unreachable_targets(results)
    round_header = results.get("round") if isinstance(results, dict) and isinstance(results.get("round"), dict) else {}
    return {
        "round": str(round_header.get("id", "")),
        "office": str(round_header.get("office", "")),
        "status": summary.get("status") if summary.get("status") in STATUS_ORDER else "UNKNOWN",
        "counts": counts,
        "unreachable": unreachable,
        "attention": counts["CRITICAL"] > 0 or bool(unreachable),
        "worst": worst_findings(results),
    }


def summary_line(problems, report="", rc=0):
    """One line for cron mail and a notification's subject (Bahasa Indonesia, English in brackets)."""
    counts = problems["counts"]
    parts = ["SIAK putaran %s: %s" % (problems["round"] or "?", STATUS_WORDS.get(problems["status"], problems["status"]))]
    parts.append("%d kritis, %d peringatan, %d tidak diketahui, %d normal"
                 % (counts["CRITICAL"], counts["WARNING"], counts["UNKNOWN"], counts["OK"]))
    if problems["unreachable"]:
        parts.append("tidak terjangkau: %s" % ", ".join(problems["unreachable"]))
    if rc:
        parts.append("kode keluar %s" % rc)
    if report:
        parts.append("laporan %s" % report)
    return "; ".join(parts)


def notification(problems, report=""):
    """The notification of one round: subject, plain-text body, and the webhook's JSON payload."""
    subject = summary_line(problems)
    lines = [summary_line(problems, report), ""]
    if problems["unreachable"]:
        lines.append("Perangkat yang tidak dapat dihubungi (unreachable): %s" % ", ".join(problems["unreachable"]))
    if problems["worst"]:
        lines.append("Temuan terburuk (worst findings):")
        lines += ["- [%s] %s %s/%s: %s" % (w["status"], w["target"], w["category"], w["item"], w["message"])
                  for w in problems["worst"]]
    if report:
        lines += ["", "Laporan (report): %s" % report]
    payload = {
        "text": subject,
        "round": problems["round"],
        "office": problems["office"],
        "status": problems["status"],
        "counts": problems["counts"],
        "unreachable": problems["unreachable"],
        "worst": problems["worst"],
        "report": report,
    }
    return {"subject": subject, "body": "\n".join(lines) + "\n", "payload": payload}
