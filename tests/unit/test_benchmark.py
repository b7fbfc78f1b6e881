"""The benchmark's own arithmetic (scripts/benchmark.py): step 4's deliberate pacing read
from a round's records, and the marginal cost per added host. The timings themselves are
measured on the lab by running the script, never asserted in a test."""

from __future__ import annotations

import pytest

from .. import source

bench = source.load_source("scripts/benchmark.py", "siak_benchmark")


def _rec(item, probe, source_host="mesin admin", **details):
    return {"step": 4, "item": item, "details": dict(details, probe=probe, measured_from=source_host)}


def test_pacing_is_the_busiest_address_of_one_machine():
    records = [
        _rec("http://198.18.0.100/", "dc web", samples=4),
        _rec("ping 198.18.0.100 loss", "dc ping", sent=4),
        _rec("ping 198.18.0.100 rtt", "dc ping", sent=4),  # one series, two records
        _rec("198.18.0.12:1521", "db", samples=4),
        _rec("http://198.18.0.11/siak/health dari siak-ws01", "app", "siak-ws01", samples=6),
        {"step": 3, "item": "x", "details": {"samples": 99}},  # not step 4
        _rec("tls http://198.18.0.11/", "app tls"),  # no samples: not paced
    ]
    # pusat-dc from the admin machine: 8 requests, 0.5 s apart -> 3.5 s.
    assert bench.step4_pacing({"records": records}) == 3.5


def test_pacing_of_a_round_without_step_4_is_zero():
    assert bench.step4_pacing({"records": []}) == 0.0


def test_marginal_cost_per_added_host():
    sizes = [{"hosts": 10, "ping_s": 2.6, "setup_s": 4.5, "second_round_s": 29.8, "first_round_s": 33.5},
             {"hosts": 50, "ping_s": 10.6, "setup_s": 18.1, "second_round_s": 75.6, "first_round_s": 78.7}]
    out = bench.marginal(sizes)
    assert out["ping_s"] == pytest.approx(0.2) and out["second_round_s"] == pytest.approx(1.145)
    assert out["round_over_ping"] == pytest.approx(5.72, abs=0.01)
    assert bench.marginal(sizes[:1]) == {}


def test_cpu_used_counts_this_process_and_the_whole_machine():
    with bench.CpuUsed() as cpu:
        deadline = bench.time.process_time() + 0.3
        while bench.time.process_time() < deadline:  # bounded: 0.3 s of this process's CPU
            pass
    assert cpu.admin_s >= 0.25  # this process's own work is the admin machine's
    assert cpu.machine_s >= 0.25 * 0.9  # and the machine's (/proc/stat counts in clock ticks)


def _size(hosts, **figures):
    base = {"hosts": hosts, "switches": 5, "ping_s": 3.6, "setup_s": 6.9, "first_round_s": 21.3, "second_round_s": 21.1,
            "pacing_s": 3.5, "second_round_steps_s": {}, "peak_memory_mb": 600, "records": 567,
            "second_minus_pacing_over_ping": 4.86, "second_over_setup_plus_pacing": 2.03, "first_over_second": 1.01,
            "round_over_ping": 5.82, "round_over_setup": 3.05,
            "cpu_s": {k: {"machine": 1.0, "admin": 0.5} for k in ("ping", "setup", "first_round", "second_round")}}
    base = dict(base, **figures)
    base.setdefault("cpu_budget", bench.cpu_budget(base, 2))  # as measure() keeps it
    return base


def test_each_target_is_judged_on_its_figure():
    sizes = [_size(10, first_over_second=1.6), _size(20), _size(50, peak_memory_mb=625.0)]
    rows = {r["target"]: r for r in bench.verdicts(sizes, {"round_over_ping": 4.31})}
    assert rows["(round 2 - pacing) / ping at 20 hosts"] == {
        "target": "(round 2 - pacing) / ping at 20 hosts", "value": 4.86, "limit": 2.5, "met": False}
    first = rows["round 1 / round 2 (the lab's first-sample interval), worst size"]
    assert first["value"] == 1.6 and first["met"] is False  # the worst size decides
    assert rows["peak memory MB at 50 hosts"]["met"] is True
    assert rows["marginal round 2 / marginal ping"]["met"] is False
    text = bench.report(sizes, {"round_over_ping": 4.31, "ping_s": 0.1, "setup_s": 0.2, "second_round_s": 0.5,
                                "first_round_s": 0.5})
    assert "NOT met" in text and " met" in text


def test_a_target_whose_size_was_not_measured_is_not_judged():
    rows = {r["target"]: r for r in bench.verdicts([_size(10)], {})}
    assert rows["(round 2 - pacing) / ping at 20 hosts"]["met"] is None
    assert rows["peak memory MB at 50 hosts"]["met"] is None
    assert rows["marginal round 2 / marginal ping"]["met"] is None
    assert "not measured" in bench.report([_size(10)], {})


def test_each_step_gets_its_wall_and_cpu_seconds_between_play_marks():
    plays = [("Langkah 1 - Perintah", 10.0, 100.0), ("Langkah 2 - Penilaian", 11.0, 101.5),
             ("Langkah 3 - Pengecekan", 15.5, 110.5), ("Langkah 4 - Uji", 22.5, 124.0),
             ("Pencatatan - Ceklist", 27.5, 127.0), ("end", 29.0, 129.5)]
    steps, cpu = bench.step_times(plays)
    assert steps == {"1": 1.0, "2": 4.5, "3": 7.0, "4": 5.0, "report": 1.5}
    assert cpu == {"1": 1.5, "2": 9.0, "3": 13.5, "4": 3.0, "report": 2.5}
    assert bench.step_times(plays[:1]) == ({}, {})  # a round that never ended its first play


def test_the_cpu_budget_is_the_targets_time_on_every_core():
    budget = bench.cpu_budget(_size(20, ping_s=3.6, cpu_s={"ping": {"machine": 6.8, "admin": 1.6},
                                                            "second_round": {"machine": 30.0, "admin": 16.6}}), 2)
    assert budget == {"wall_s": 9.0, "cores": 2, "cpu_s": 18.0, "round2_cpu_s": 30.0, "ping_cpu_s": 6.8}
    text = bench.report([_size(20)], {})
    assert "at most" in text and "CPU s on" in text
