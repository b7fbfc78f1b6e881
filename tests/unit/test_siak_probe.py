"""Step 4 probe logic (module_utils/siak_probe.py) on captured ping output."""

from pathlib import Path

import pytest
import yaml

from ansible.module_utils.siak_probe import (
    MAX_COUNT, bound_count, bound_interval, bound_timeout, judge_latency, judge_ping, parse_ping, summarise)
from ansible.module_utils.siak_result import validate

FIXTURES = Path(__file__).parent / "fixtures" / "probe"
CASES = yaml.safe_load((FIXTURES / "cases.yml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_parse_ping(case):
    assert parse_ping((FIXTURES / case["file"]).read_text()) == case["expect"]


def test_parse_ping_without_summary_is_none():
    assert parse_ping("ping: unknown host pusat.example") is None
    assert parse_ping("") is None


def test_rate_is_bounded_whatever_is_asked():
    assert bound_count(10_000) == MAX_COUNT
    assert bound_count(0) == 1
    assert bound_interval(0) == 0.2
    assert bound_timeout(600) == 10.0
    assert bound_timeout(0) == 0.5


def test_summarise():
    assert summarise([10.0, 30.0, 20.0]) == {"count": 3, "min": 10.0, "median": 20.0, "max": 30.0, "jitter": 15.0}
    assert summarise([])["median"] is None


def _stamp(recs):
    return [dict(r, step=4, target="t") for r in recs]


def test_http_answers_fast_is_ok_and_slow_is_warning():
    ok = judge_latency("Aplikasi", "http://a/", "http", summarise([5.0, 6.0, 7.0]), [], 3, 1000, 3000, 20, 40)
    assert [r["status"] for r in ok] == ["OK"] and ok[0]["value"] == 6.0
    slow = judge_latency("Aplikasi", "http://a/", "http", summarise([1500.0, 1600.0, 1700.0]), [], 3, 1000, 3000, 20, 40)
    assert slow[0]["status"] == "WARNING"
    assert all(validate(r) == [] for r in _stamp(ok + slow))


def test_http_that_never_answers_is_critical_with_the_reason():
    recs = judge_latency("Aplikasi", "http://a/", "http", summarise([]), ["Connection refused"] * 3, 3, 1000, 3000, 20, 40)
    assert recs[0]["status"] == "CRITICAL"
    assert "Connection refused" in recs[0]["message"]


def test_http_with_failed_samples_is_judged_on_loss():
    recs = judge_latency("Aplikasi", "http://a/", "http", summarise([5.0, 5.0]), ["HTTP 502"] * 3, 5, 1000, 3000, 20, 40)
    assert recs[0]["status"] == "CRITICAL"  # 3 of 5 failed = 60 % >= 40 %
    assert recs[0]["details"]["errors"] == ["HTTP 502"]


def test_ping_records():
    parsed = parse_ping((FIXTURES / "busybox_partial.txt").read_text())
    loss, rtt = judge_ping("Pusat data", "ping pusat", parsed, 200, 500, 20, 40)
    assert loss["status"] == "CRITICAL" and loss["value"] == 50.0
    assert rtt["status"] == "WARNING" and rtt["value"] == 300.077
    lost = judge_ping("Pusat data", "ping pusat", parse_ping((FIXTURES / "iputils_all_lost.txt").read_text()), 200, 500, 20, 40)
    assert [r["status"] for r in lost] == ["CRITICAL", "CRITICAL"]
    garbage = judge_ping("Pusat data", "ping pusat", None, 200, 500, 20, 40, stderr="ping: connect: Network is unreachable")
    assert garbage[0]["status"] == "UNKNOWN" and "Network is unreachable" in garbage[0]["message"]
    assert all(validate(r) == [] for r in _stamp([loss, rtt] + lost + garbage))
