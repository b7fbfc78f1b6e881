"""A round's data in one place (filter_plugins/siak_round.py): its header, round.json and
results.json, checked against docs/schema/results.schema.json."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "filter_plugins"))
import siak_records as R  # noqa: E402
import siak_round as RD  # noqa: E402
import siak_summary as S  # noqa: E402

from ansible.errors import AnsibleFilterError  # noqa: E402
from ansible.module_utils.siak_host_judge import LogScan, eval_logs, eval_memory, eval_time  # noqa: E402
from ansible.module_utils.siak_host_parse import memory_usage, parse_chronyc_tracking, parse_meminfo  # noqa: E402
from ansible.module_utils.siak_probe import judge_latency, judge_ping, parse_ping, ping_item, summarise  # noqa: E402

from ..schemas import results_problems, round_status_problems  # noqa: E402

FIXTURES = Path(__file__).parent / "fixtures"

ORDER = {"regency": "Pemerintah Kabupaten Paser", "office": "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser",
         "unit": "Bidang Pengelolaan Informasi Administrasi Kependudukan", "place": "Paser",
         "sop_code": "005/SOP/DKPS/II/2024", "ordered_by": "Drs. Contoh", "ordered_by_nip": "197001012000031001",
         "operator": "Contoh Petugas", "operator_nip": "", "note": "", "round_id": ""}


def _header(**kwargs):
    args = dict(check_mode=False, scope="")
    args.update(kwargs)
    order = args.pop("order", ORDER)
    return RD.siak_round_header(order, "2026-11-25T10:00:07", "WITA", "admin", "a1b2", **args)


def test_the_header_of_an_ordered_round():
    header = _header()
    assert header["id"] == "20261125-100007-a1b2" and header["started"] == "2026-11-25T10:00:07"
    assert header["ordered_by"] == "Drs. Contoh" and header["office"] == ORDER["office"]
    assert header["regency"] == "Pemerintah Kabupaten Paser" and header["place"] == "Paser"
    assert header["scope"] == "semua perangkat" and header["check_mode"] is False
    assert _header(order=dict(ORDER, round_id="uji-ulang"), scope="app:switches", check_mode=True)["id"] == "uji-ulang"
    assert _header(scope="app:switches", check_mode=True)["scope"] == "app:switches"
    assert round_status_problems(RD.siak_round_status(header)) == []


def test_the_header_of_a_round_step_one_did_not_order():
    header = _header(order=dict(ORDER, round_id="uji-ulang", note="x"), ordered=False)
    assert header["id"] == "20261125-100007-a1b2"  # the order's id is not used: nobody ordered this round
    assert header["ordered_by"] == header["operator"] == header["ordered_by_nip"] == ""
    assert header["note"] == "Langkah 1 (perintah) tidak dijalankan"
    assert header["office"] == ORDER["office"] and header["sop_code"] == ORDER["sop_code"]  # the office stays
    assert round_status_problems(RD.siak_round_status(header)) == []


def test_a_header_needs_an_iso_start_time():
    with pytest.raises(AnsibleFilterError):
        RD.siak_round_header(ORDER, "yesterday", "WITA", "admin", "a1b2")


def _round_records():
    """A realistic round: hosts reached or not, host and probe findings, skips, a rescue, coverage."""
    records = []
    records += R.siak_reach_records({"ping": "pong"}, 2, "siak-app01")
    records += R.siak_reach_records({"unreachable": True, "msg": "ssh: connect to host 198.18.0.23 port 22: No route to host"},
                                    2, "siak-ws03")
    records += R.siak_reach_records({"elapsed": 0}, 2, "sw-core01", "port")
    records += R.siak_skip_record(3, "siak-ws03", "pada langkah 2 (penilaian): tidak dapat dihubungi")
    scan = LogScan(keep=20)
    for i in range(40):
        scan.add_line("kernel: I/O error, dev sda, sector %d %s\n" % (i, "x" * 300))
    findings = eval_logs(scan, "journal", "2026-11-24T10:00:00", 1, 50)
    findings += eval_time(parse_chronyc_tracking((FIXTURES / "host" / "chronyc-tracking.debian12-client.txt").read_text()),
                          0.5, 5)
    findings += eval_memory(memory_usage(parse_meminfo((FIXTURES / "host" / "proc-meminfo.debian12.txt").read_text())), 90, 95, 50, 80)
    records += R.siak_task_records({"records": findings}, 3, "siak-app01", "host", "siak_host_check")
    records += R.siak_step_failed_records({"failed": True, "msg": "siak_switch_platform 'mikrotik' is not supported"},
                                          3, "sw-core01")
    probes = [{"name": "Aplikasi SIAK", "kind": "http", "url": "http://198.18.0.11/siak/health", "target": "siak-app01"},
              {"name": "Gateway kantor", "kind": "ping", "host": "198.18.0.1", "target": "gateway"},
              {"name": "Listener basis data", "kind": "tcp", "host": "198.18.0.12", "port": 1521, "target": "siak-db01"}]
    loop = {"results": [
        {"item": probes[0], "records": judge_latency("Aplikasi SIAK", probes[0]["url"], "http", summarise([12.5, 14.0]),
                                                     [], 2, 1000, 3000, 20, 40)},
        {"item": probes[1], "records": judge_ping("Gateway kantor", ping_item("198.18.0.1"), parse_ping(
            (FIXTURES / "probe" / "busybox_partial.txt").read_text()), 200, 500, 20, 40)},
        {"item": probes[2], "failed": True, "msg": "timed out"}]}
    jobs = {"results": [{"item": {"source": "", "probes": probes[:2]}, "ansible_job_id": "j1"},
                        {"item": {"source": "siak-ws01", "probes": probes[2:]}, "failed": True, "msg": "timed out"}]}
    done = {"results": [{"item": {"ansible_job_id": "j1"}, "finished": 1,
                         "probes": [{"name": p["name"], "records": r["records"]} for p, r in zip(probes, loop["results"][:2])]}]}
    hostvars = {"siak-app01": {"siak_assess_records": records},
                "localhost": {"siak_perf_records": R.siak_probe_records(jobs, done, 4, "localhost")}}
    targets = ["siak-app01", "siak-ws03", "sw-core01", "siak-db01"]
    return S.siak_collect(hostvars, targets, ["1", "2", "3", "4"], probes), targets


def test_results_json_built_from_a_realistic_round_conforms_to_the_schema():
    records, targets = _round_records()
    assert {r["step"] for r in records} == {2, 3, 4} and {r["category"] for r in records} >= {"coverage", "check", "log"}
    log = next(r for r in records if r["category"] == "log")
    assert log["details"]["truncated"] is True  # 20 lines of 200 characters: over the cap, the oldest cut
    summary = S.siak_summary(records, targets, None, {"app": ["siak-app01"], "switches": ["sw-core01"]})
    header = dict(_header(), finished="2026-11-25T10:35:00", previous=None,
                  step_started={"1": "2026-11-25T10:00:07", "2": "2026-11-25T10:00:09", "report": "2026-11-25T10:34:58"})
    document = RD.siak_results_document(header, summary, records)
    # As the role writes it: through JSON.
    document = json.loads(json.dumps(document))
    assert results_problems(document) == []
    assert document["format"] == "siak-maintenance-round/1" and document["records"] == records
    assert set(document["summary"]) == {"status", "counts", "grade_counts"}
    assert set(document["grades"]) == set(targets) | {"gateway"}  # a probe target outside the inventory too
    complete = json.loads(json.dumps(RD.siak_round_status(header, summary)))
    assert complete["complete"] is True and round_status_problems(complete) == []
    assert complete["summary"] == document["summary"]
    # What the history and the next round read back from it.
    assert S.siak_load_round(json.dumps(document))["records"] == records


def test_the_schema_refuses_what_breaks_the_contract():
    records, targets = _round_records()
    summary = S.siak_summary(records, targets)
    header = dict(_header(), finished="2026-11-25T10:35:00", previous="20261124-100000-ab12", step_started={})
    good = json.loads(json.dumps(RD.siak_results_document(header, summary, records)))
    assert results_problems(good) == []
    step1 = json.loads(json.dumps(good))
    step1["records"][0]["step"] = 1
    assert results_problems(step1)
    silent = json.loads(json.dumps(good))
    silent["records"][0].update(status="UNKNOWN", message="")
    assert results_problems(silent)
    unfinished = json.loads(json.dumps(good))
    del unfinished["round"]["finished"]
    assert results_problems(unfinished)
    assert round_status_problems({"format": "siak-round-status/1", "complete": True, "round": _header()})
    assert round_status_problems(dict(RD.siak_round_status(_header()), summary=good["summary"]))


def test_the_rounds_clock_is_the_offices_time_zone_whatever_the_machines():
    from datetime import datetime, timezone   # pylint: disable=import-outside-toplevel

    def clock():
        return datetime(2026, 12, 2, 23, 45, 13, tzinfo=timezone.utc)

    assert RD.siak_now("Asia/Makassar", clock) == "2026-12-03T07:45:13"     # WITA, UTC+8
    assert RD.siak_zone_name("Asia/Makassar", clock) == "WITA"
    assert RD.siak_now("Asia/Jakarta", clock) == "2026-12-03T06:45:13" and RD.siak_zone_name("Asia/Jayapura", clock) == "WIT"
    assert RD.siak_now("", clock) == clock().astimezone().replace(tzinfo=None).isoformat(timespec="seconds")
    header = RD.siak_round_header({"round_id": ""}, RD.siak_now("Asia/Makassar", clock), "WITA", "admin", "ab12")
    assert (header["id"], header["started"], header["timezone"]) == ("20261203-074513-ab12", "2026-12-03T07:45:13", "WITA")
    assert RD.siak_zone_problem("") == "" == RD.siak_zone_problem("Asia/Makassar")
    for bad in ("Asia/Makasar", "WITA", "../etc/passwd", 8):
        assert RD.siak_zone_problem(bad).startswith("siak_order_timezone"), bad
        with pytest.raises(AnsibleFilterError, match="siak_order_timezone"):
            RD.siak_now(bad)


def test_a_zones_offset_now_for_the_host_checks_comparison():
    from datetime import datetime, timezone   # pylint: disable=import-outside-toplevel

    def winter():
        return datetime(2026, 1, 15, 12, 0, tzinfo=timezone.utc)

    def summer():
        return datetime(2026, 7, 15, 12, 0, tzinfo=timezone.utc)

    assert RD.siak_zone_offset("Asia/Makassar", winter) == 8 * 3600 == RD.siak_zone_offset("Asia/Makassar", summer)
    assert RD.siak_zone_offset("Asia/Jakarta", winter) == 7 * 3600 and RD.siak_zone_offset("Etc/UTC", winter) == 0
    # A zone with summer time has the offset of the moment (the host is compared at that moment).
    assert (RD.siak_zone_offset("Europe/Berlin", winter), RD.siak_zone_offset("Europe/Berlin", summer)) == (3600, 7200)
    assert RD.siak_zone_offset("", winter) == int(winter().astimezone().utcoffset().total_seconds())
    # Not a zone: None, so that the host check names the value instead of failing the host's task.
    for bad in ("Asia/Makasar", "WITA", "../etc/passwd", 8):
        assert RD.siak_zone_offset(bad) is None, bad
