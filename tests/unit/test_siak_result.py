"""The result-record contract (module_utils/siak_result.py)."""

import pytest

from ansible.module_utils.siak_result import (
    CRITICAL, OK, UNKNOWN, WARNING, format_number, judge, record, unknown, validate, worst)


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
