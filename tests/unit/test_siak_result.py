"""The result-record contract (module_utils/siak_result.py)."""

import re
from pathlib import Path

import pytest

from ansible.module_utils.siak_result import (
    CRITICAL, MAX_DETAILS_CHARS, OK, RECORD_STEPS, UNIT_WORDS, UNKNOWN, WARNING, bound_details, details_size,
    format_number, judge, record, unit_text, unknown, validate, worst)


def test_record_has_every_contract_field():
    rec = record("disk", "/srv/data", WARNING, "Disk 85 % terpakai", value=85.0, unit="%", warn=80, crit=90,
                 step=3, target="siak-app01")
    assert set(rec) == {"step", "target", "category", "item", "status", "value", "unit", "warn", "crit", "message"}
    assert validate(rec) == []


def test_unknown_needs_a_reason():
    with pytest.raises(ValueError):
        record("disk", "/", UNKNOWN, "")
    rec = unknown("time", "chrony", "chronyc tidak ada", step=3, target="h")
    assert rec["status"] == UNKNOWN and rec["message"] == "chronyc tidak ada"


def test_bad_status_is_refused():
    with pytest.raises(ValueError):
        record("disk", "/", "FINE", "x")


@pytest.mark.parametrize("value, warn, crit, higher, expect", [
    (79.9, 80, 90, True, OK),
    (80, 80, 90, True, WARNING),
    (89.99, 80, 90, True, WARNING),
    (90, 80, 90, True, CRITICAL),
    (None, 80, 90, True, UNKNOWN),
    (5, None, None, True, OK),
    (95, None, 90, True, CRITICAL),
    (10, 7, 3, False, OK),
    (7, 7, 3, False, WARNING),
    (2, 7, 3, False, CRITICAL),
])
def test_judge(value, warn, crit, higher, expect):
    assert judge(value, warn, crit, higher_is_worse=higher) == expect


def test_worst_orders_unknown_between_warning_and_critical():
    assert worst([OK, WARNING]) == WARNING
    assert worst([WARNING, UNKNOWN]) == UNKNOWN
    assert worst([UNKNOWN, CRITICAL, OK]) == CRITICAL
    assert worst([]) == OK
    assert worst([], default=UNKNOWN) == UNKNOWN
    with pytest.raises(ValueError):
        worst(["BAD"])


def test_validate_reports_each_problem():
    problems = validate({"step": 7, "target": "h", "category": "disk", "item": "/", "status": "MEH",
                         "value": 1, "unit": None, "warn": None, "crit": None, "message": "x", "extra": 1})
    text = " ".join(problems)
    assert "step 7" in text and "MEH" in text and "extra" in text
    assert "missing field 'target'" in " ".join(validate({"step": 2}))
    assert validate("nope") == ["record is not a mapping: 'nope'"]


@pytest.mark.parametrize("value, digits, text", [
    (1234567, 1, "1.234.567"), (20.0, 2, "20"), (1234.5, 1, "1.234,5"), (0.01, 2, "0,01"), (None, 1, "-"), (True, 1, "ya"), ("x", 1, "x")])
def test_format_number_uses_indonesian_separators(value, digits, text):
    assert format_number(value, digits) == text


def _rec(**fields):
    return dict(record("log", "journal", OK, "x", step=3, target="h"), **fields)


@pytest.mark.parametrize("step", [1, 5, 0, None, "3", True])
def test_validate_refuses_a_step_that_makes_no_records(step):
    # Step 1 (the order) makes no records: only steps 2, 3 and 4 do.
    assert any("step" in p for p in validate(_rec(step=step)))


@pytest.mark.parametrize("step", RECORD_STEPS)
def test_validate_accepts_the_steps_that_make_records(step):
    assert validate(_rec(step=step)) == []


def test_validate_enforces_the_details_size_cap_measured_as_json():
    fits = {"last_lines": ["a" * 100] * ((MAX_DETAILS_CHARS - 100) // 103)}
    assert details_size(fits) <= MAX_DETAILS_CHARS and validate(_rec(details=fits)) == []
    too_big = {"last_lines": ["a" * 100] * 50}
    assert details_size(too_big) > MAX_DETAILS_CHARS
    assert any("details are" in p and str(MAX_DETAILS_CHARS) in p for p in validate(_rec(details=too_big)))
    assert "details are not JSON" in validate(_rec(details={"x": object()}))


def test_the_largest_log_details_a_host_check_can_make_fit_once_bounded():
    # logs_keep_lines is at most 20 lines of at most 200 characters (module_utils/siak_host_judge.py):
    # over the cap as JSON, so record() drops the oldest lines and says so.
    lines = ["%02d %s" % (i, "\u00e9\"" * 98) for i in range(20)]
    details = {"errors": 20, "critical": 3, "scanned": 100000, "since": "2026-01-01T00:00:00+08:00",
               "last_lines": lines, "note": "n" * 200}
    assert details_size(details) > MAX_DETAILS_CHARS
    rec = record("log", "journal", WARNING, "x", step=3, target="h", details=details)
    assert validate(rec) == []
    kept = rec["details"]["last_lines"]
    assert rec["details"]["truncated"] is True and 0 < len(kept) < 20 and kept == lines[-len(kept):]
    assert rec["details"]["errors"] == 20 and rec["details"]["note"] == "n" * 200


def test_bound_details_leaves_details_that_fit_alone_and_always_fits():
    small = {"a": [1, 2], "b": "x"}
    assert bound_details(small) is small
    assert details_size(bound_details({"blob": "y" * 50000})) <= MAX_DETAILS_CHARS
    assert details_size(bound_details({"k%d" % i: i for i in range(2000)})) <= MAX_DETAILS_CHARS
    assert details_size(bound_details(["z" * 5000] * 3)) <= MAX_DETAILS_CHARS


def test_every_unit_a_check_writes_has_a_word_in_both_languages_or_is_a_symbol():
    root = Path(__file__).resolve().parents[2] / "module_utils"
    written = set()
    for path in root.glob("*.py"):
        written |= set(re.findall(r'\bunit="([^"]+)"', path.read_text()))   # every check writes its unit literally
    symbols = {"%", "s", "ms", "B", "Mbit/s"}
    assert written and written <= set(UNIT_WORDS) | symbols, written - set(UNIT_WORDS) - symbols
    assert unit_text("cores") == "inti" and unit_text("cores", "en") == "cores"
    assert unit_text("C") == unit_text("C", "en") == "°C"
    assert unit_text("hari", "en") == "days" and unit_text("h") == "jam"
    assert unit_text("ms") == "ms" and unit_text(None) == "" and unit_text("x/y") == "x/y"


def test_a_warning_threshold_beyond_its_critical_one_is_named():
    from ansible.module_utils.siak_result import threshold_problems

    params = {"memory_warn": 90.0, "memory_crit": 70.0, "disk_warn": 80.0, "disk_crit": 90.0,
              "logs_warn": 1, "logs_crit": None, "backup_warn_hours": 80.0, "backup_crit_hours": 72.0,
              "battery_warn": 20.0, "battery_crit": 50.0}
    assert threshold_problems(params, ("memory", "disk", "logs", "backup_%s_hours")) == [
        "memory_warn (90) is above memory_crit (70): the warning threshold must not be above the critical one",
        "backup_warn_hours (80) is above backup_crit_hours (72): the warning threshold must not be above the critical one"]
    assert threshold_problems(params, ("battery",), lower_is_worse=("battery",)) == [
        "battery_warn (20) is below battery_crit (50): the warning threshold must not be below the critical one"]
    # Equal thresholds are allowed (no warning band); a pair with one threshold unset is not compared.
    assert threshold_problems({"cpu_warn": 90, "cpu_crit": 90, "error_rate_warn": 5, "error_rate_crit": None},
                              ("cpu", "error_rate")) == []
    assert threshold_problems({"battery_warn": 50, "battery_crit": 20}, ("battery",), lower_is_worse=("battery",)) == []
