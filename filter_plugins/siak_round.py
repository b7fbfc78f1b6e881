# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A round's data, built in one place: its header, round.json and results.json.

    siak_round_header(order, started, timezone, admin_machine, suffix, check_mode, scope, ordered)
        the round's header (``round`` in round.json and results.json): who ordered the round,
        for which office, when, on what scope. Step 1 (roles/siak_order) and a report run
        without step 1 (roles/siak_report, start.yml) both build it here.
    siak_round_status(round, summary=None)
        round.json: the round started (``complete`` false), or its report was written.
    siak_results_document(round, summary, records, hardware=None)
        results.json: the round, its summary, the grades, every record, and the hardware
        checklist's data per target (siak_hardware_section; {} when there is none).

    siak_now(zone), siak_zone_name(zone), siak_zone_problem(zone), siak_zone_offset(zone)
        the round's clock: now in the office's time zone (``siak_order_timezone``, an IANA
        name such as Asia/Makassar; '' the admin machine's own), as an ISO time without
        offset; the zone's short name for the report (WITA); why a zone name is refused;
        the zone's offset from UTC now, in seconds (None for a zone this machine does not
        know: the host check then names the value instead of comparing).

docs/schema/results.schema.json describes results.json (and, in ``$defs``, round.json);
tests/unit/test_round_data.py validates documents built here against it.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ansible.errors import AnsibleFilterError

RESULTS_FORMAT = "siak-maintenance-round/1"
STATUS_FORMAT = "siak-round-status/1"

# The fields of an order that name the office (roles/siak_order's variables without the
# prefix); printed on the report's letterhead and its signature line.
OFFICE_FIELDS = ("regency", "office", "unit", "place", "sop_code")
# The fields of an order that name people and the order itself: empty when step 1 did not run.
ORDER_FIELDS = ("ordered_by", "ordered_by_nip", "operator", "operator_nip", "note")

NOT_ORDERED_NOTE = "Langkah 1 (perintah) tidak dijalankan"
ALL_TARGETS = "semua perangkat"


ZONE_EXAMPLES = "an IANA name such as Asia/Makassar (WITA), Asia/Jakarta (WIB) or Asia/Jayapura (WIT)"


def siak_zone_problem(zone):
    """Why ``zone`` cannot be the round's time zone ('' when it can: a known IANA name, or '' for the machine's own)."""
    if zone is None or zone == "":
        return ""
    if not isinstance(zone, str):
        return "siak_order_timezone must be text, %s, got %s" % (ZONE_EXAMPLES, type(zone).__name__)
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return "siak_order_timezone %r is not a time zone this machine knows: %s" % (zone, ZONE_EXAMPLES)
    return ""


def _moment(zone, clock=None):
    """Now in ``zone`` ('' the admin machine's own local time), aware."""
    problem = siak_zone_problem(zone)
    if problem:
        raise AnsibleFilterError(problem)
    now = clock() if clock else datetime.now().astimezone()
    return now.astimezone(ZoneInfo(zone)) if zone else now.astimezone()


def siak_now(zone="", clock=None):
    """Now in the round's time zone, as the round writes times: ISO, seconds, no offset
    (round.json's ``timezone`` names the zone)."""
    return _moment(zone, clock).replace(tzinfo=None).isoformat(timespec="seconds")


def siak_zone_name(zone="", clock=None):
    """The round's time zone as the report prints it after a time: WITA, WIB, UTC."""
    return _moment(zone, clock).tzname()


def siak_zone_offset(zone="", clock=None):
    """Seconds east of UTC now in ``zone`` ('' the admin machine's own); None when ``zone``
    is not a zone this machine knows (the host check reports that value as UNKNOWN)."""
    if siak_zone_problem(zone):
        return None
    return int(_moment(zone, clock).utcoffset().total_seconds())


def siak_round_header(order, started, timezone, admin_machine, suffix, check_mode=False, scope="", ordered=True):
    """The round's header, built once for step 1 and for a report run without step 1.

    ``order``: the order's fields (OFFICE_FIELDS, ORDER_FIELDS and ``round_id``), the
    siak_order role's variables without their prefix. ``started``: ISO time the round
    started (siak_now: in the office's time zone); the id is that time and ``suffix``
    (YYYYMMDD-HHMMSS-xxxx) unless the order names one. ``ordered`` false (step 1 did not
    run): the office's names stay, nobody ordered the round, the note says so and the
    order's ``round_id`` is not used.
    """
    order = dict(order or {})
    try:
        moment = datetime.fromisoformat(str(started))
    except ValueError as exc:
        raise AnsibleFilterError("siak_round_header: started %r is not an ISO time" % (started,)) from exc
    round_id = str(order.get("round_id") or "") if ordered else ""
    if not round_id:
        round_id = "%s-%s" % (moment.strftime("%Y%m%d-%H%M%S"), suffix)
    header = {"id": round_id, "started": str(started), "timezone": str(timezone)}
    for field in OFFICE_FIELDS:
        header[field] = str(order.get(field) or "")
    for field in ORDER_FIELDS:
        header[field] = str(order.get(field) or "") if ordered else ""
    if not ordered:
        header["note"] = NOT_ORDERED_NOTE
    header["scope"] = str(scope or ALL_TARGETS)
    header["check_mode"] = bool(check_mode)
    header["admin_machine"] = str(admin_machine)
    return header


def _summary_counts(summary):
    return {"status": summary["status"], "counts": summary["counts"], "grade_counts": summary["grade_counts"]}


def siak_round_status(round_header, summary=None):
    """round.json: ``complete`` false while the round runs; true, with the counts, once its report is written."""
    doc = {"format": STATUS_FORMAT, "complete": summary is not None, "round": round_header}
    if summary is not None:
        doc["summary"] = _summary_counts(summary)
    return doc


def siak_results_document(round_header, summary, records, hardware=None):
    """results.json: the round's header, its summary (siak_summary), the grades, every record and
    the hardware checklist's data per target (siak_hardware_section)."""
    return {
        "format": RESULTS_FORMAT,
        "round": round_header,
        "summary": _summary_counts(summary),
        "grades": summary["grades"],
        "records": list(records),
        "hardware": dict(hardware or {}),
    }


class FilterModule:
    """Round data filters."""

    def filters(self):
        return {
            "siak_round_header": siak_round_header,
            "siak_now": siak_now,
            "siak_zone_name": siak_zone_name,
            "siak_zone_problem": siak_zone_problem,
            "siak_zone_offset": siak_zone_offset,
            "siak_round_status": siak_round_status,
            "siak_results_document": siak_results_document,
        }
