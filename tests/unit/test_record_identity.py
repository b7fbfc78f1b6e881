"""Record identity: a check that failed, was skipped or gave nothing is the SAME (category, item)
as the check that ran, so that "what changed since the previous round" compares like with like."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "filter_plugins"))
import siak_records as R  # noqa: E402
import siak_summary as S  # noqa: E402

from ansible.module_utils.siak_probe import (  # noqa: E402
    judge_cert, judge_iperf, judge_latency, judge_ping, parse_ping, ping_item, probe_identity, probe_identity_of, summarise)
from ansible.module_utils.siak_result import REACH_LOGIN, REACH_MODULE, STEP_IDENTITY, validate  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures" / "probe"

PROBES = {
    "http": {"name": "Aplikasi SIAK", "kind": "http", "url": "http://198.18.0.11/siak/health", "target": "siak-app01"},
    "tcp": {"name": "Listener basis data", "kind": "tcp", "host": "198.18.0.12", "port": 1521, "target": "siak-db01"},
    "ping": {"name": "Gateway kantor", "kind": "ping", "host": "198.18.0.1", "target": "gateway"},
    "https from a workstation": {"name": "Aplikasi dari loket", "kind": "http", "url": "https://198.18.0.11/siak/health",
                                 "target": "siak-app01", "from": "siak-ws01"},
    "dns": {"name": "DNS kantor", "kind": "dns", "server": "198.18.0.100", "names": ["siak.lab", "x.lab"],
            "target": "pusat-dc"},
    "iperf3": {"name": "Throughput ke pusat", "kind": "iperf3", "host": "198.18.0.100", "target": "pusat-dc"},
}


def _ran(probe):
    """The records the module returns for a probe that ran (module_utils/siak_probe.py, as library/siak_probe.py calls it)."""
    if probe["kind"] == "ping":
        parsed = parse_ping((FIXTURES / "busybox_partial.txt").read_text())
        return judge_ping(probe["name"], ping_item(probe["host"]), parsed, 200, 500, 20, 40)
    out = []
    for category, item in probe_identity_of(probe):
        if category == "tls":
            out.append(judge_cert(probe["name"], item, 90, 30, 7))
        elif category == "throughput":
            out.append(judge_iperf(probe["name"], item, {"end": {"sum_received": {"bits_per_second": 9e7}}}, 50, 10))
        else:
            out += judge_latency(probe["name"], item, category, summarise([5.0, 6.0]), [], 2, 1000, 3000, 20, 40)
    return out


def _run(probe, result):
    """siak_probe_records over one module call (async, as roles/siak_perf runs it) holding ``probe``:
    ``result`` is the launch's result when it did not start, else the finished job's."""
    group = {"source": probe.get("from", ""), "probes": [probe]}
    if "records" in result:
        jobs = {"results": [{"item": group, "ansible_job_id": "j1", "started": 1, "finished": 0}]}
        done = {"results": [{"item": {"ansible_job_id": "j1"}, "finished": 1,
                             "probes": [{"name": probe["name"], "records": result["records"]}]}]}
        return R.siak_probe_records(jobs, done, 4, "localhost")
    return R.siak_probe_records({"results": [dict(result, item=group)]}, {"results": []}, 4, "localhost")


def _keys(records):
    return sorted((r["category"], r["item"]) for r in records)


FAILURES = {
    "failed": {"failed": True, "msg": "MODULE FAILURE: boom"},
    "skipped": {"skipped": True, "skip_reason": "Conditional result was False"},
    "no records": {"changed": False, "records": []},
    "unreachable": {"unreachable": True, "msg": "ssh: connect to host x port 22: No route to host"},
}


@pytest.mark.parametrize("kind", sorted(PROBES))
@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_a_probe_that_did_not_run_is_the_same_record_as_one_that_ran(kind, failure):
    probe = PROBES[kind]
    ran = _run(probe, {"records": _ran(probe)})
    failed = _run(probe, FAILURES[failure])
    assert _keys(failed) == _keys(ran) and len(ran) >= 1
    assert all(r["status"] == "UNKNOWN" and r["target"] == probe["target"] for r in failed)
    assert {r["details"]["probe"] for r in ran + failed} == {probe["name"]}
    assert [validate(r) for r in ran + failed] == [[]] * len(ran + failed)


@pytest.mark.parametrize("kind", sorted(PROBES))
def test_a_probe_with_no_result_at_all_is_the_same_record_as_one_that_ran(kind):
    probe = PROBES[kind]
    ran = _run(probe, {"records": _ran(probe)})
    missing = S.siak_collect({"localhost": {}}, [], ["4"], [probe])
    assert _keys(missing) == _keys(ran)
    assert all(r["status"] == "UNKNOWN" and r["details"] == {"probe": probe["name"]} for r in missing)


def test_a_ping_the_module_could_not_judge_is_the_same_record_as_one_it_judged():
    judged = judge_ping("Gateway", ping_item("10.0.0.1"), parse_ping((FIXTURES / "busybox_partial.txt").read_text()),
                        200, 500, 20, 40)
    unjudged = judge_ping("Gateway", ping_item("10.0.0.1"), None, 200, 500, 20, 40, stderr="ping: Network is unreachable")
    assert _keys(unjudged) == _keys(judged) == [("link", "ping 10.0.0.1 loss"), ("link", "ping 10.0.0.1 rtt")]


def test_a_probe_too_broken_to_name_what_it_reaches_is_its_kind_and_name():
    assert probe_identity("http", name="Aplikasi tanpa URL") == [("http", "Aplikasi tanpa URL")]
    assert probe_identity(None, name="X") == [("probe", "X")]


def test_step_two_gives_the_same_records_whether_the_module_ran_or_not():
    ran = R.siak_reach_records({"ping": "pong"}, 2, "h")
    failed = R.siak_reach_records({"failed": True, "msg": "The module interpreter '/usr/bin/python3.99' was not found."},
                                  2, "h")
    assert _keys(ran) == _keys(failed) == sorted([REACH_LOGIN, REACH_MODULE])
    assert [r["status"] for r in ran] == ["OK", "OK"]
    assert [r["status"] for r in failed] == ["OK", "UNKNOWN"]
    unreachable = R.siak_reach_records(FAILURES["unreachable"], 2, "h")
    assert _keys(unreachable) == [REACH_LOGIN]
    # A switch: its SSH port answered, or did not.
    assert _keys(R.siak_reach_records({"elapsed": 0}, 2, "sw", "port")) == _keys(
        R.siak_reach_records({"failed": True, "msg": "Timeout"}, 2, "sw", "port")) == [REACH_LOGIN]


@pytest.mark.parametrize("step", [2, 3, 4])
def test_a_rescued_step_and_a_skipped_target_share_the_steps_identity(step):
    rescued = R.siak_step_failed_records({"failed": True, "msg": "bad inventory value"}, step, "h")
    skipped = R.siak_skip_record(step, "h", "tidak dapat dihubungi")
    assert _keys(rescued) == _keys(skipped) == [STEP_IDENTITY[step]]
    assert rescued[0]["status"] == skipped[0]["status"] == "UNKNOWN"
    assert "bad inventory value" in rescued[0]["message"] and "tidak dapat dihubungi" in skipped[0]["message"]


def test_an_unreachable_host_stays_unreachable_after_the_rescue_of_step_two():
    out = R.siak_step_failed_records({"failed": True, "msg": "role broke"}, 2, "h")
    assert R.siak_reach_reason(out) == out[0]["message"]
