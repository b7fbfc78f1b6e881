"""Filter plugins: records from task results, grades, summaries, history, CSV."""

import csv
import io
import json
import sys
from pathlib import Path

import pytest
from ansible.errors import AnsibleFilterError

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "filter_plugins"))
import siak_records as R  # noqa: E402
import siak_summary as S  # noqa: E402

from ansible.module_utils.siak_result import record, validate  # noqa: E402


def rec(step, target, status, category="disk", item="/", message="x"):
    return record(category, item, status, message, step=step, target=target)


# A real unreachable result as ansible-core 2.19 registers it (ping with ignore_unreachable).
UNREACHABLE = {"unreachable": True, "changed": False,
               "msg": "Failed to connect to the host via ssh: ssh: connect to host 198.18.0.21 port 22: No route to host"}


def test_task_records_stamps_step_and_target():
    out = R.siak_task_records({"records": [{"category": "disk", "item": "/", "status": "OK", "message": "m"}]},
                              3, "siak-app01", "host", "siak_host_check")
    assert out[0]["step"] == 3 and out[0]["target"] == "siak-app01" and out[0]["value"] is None


def test_unreachable_is_one_unknown_record_with_the_reason():
    out = R.siak_task_records(UNREACHABLE, 3, "siak-ws01", "host", "siak_host_check")
    assert len(out) == 1
    assert out[0]["status"] == "UNKNOWN" and "No route to host" in out[0]["message"]


def test_the_unreachable_reason_is_the_ssh_line_not_the_chatter():
    noisy = {"unreachable": True, "msg": 'Task failed: Data could not be sent to remote host "198.18.0.22". Make sure this '
             "host can be reached over ssh: mux_client_request_session: read from master failed: Broken pipe\r\n"
             "ssh: connect to host 198.18.0.22 port 22: Connection timed out\r\n"}
    out = R.siak_task_records(noisy, 2, "ws02", "reach", "ssh")
    assert out[0]["message"] == "Target tidak dapat dihubungi: ssh: connect to host 198.18.0.22 port 22: Connection timed out"
    key = {"unreachable": True, "msg": "Failed to connect: root@198.18.0.21: Permission denied (publickey)."}
    assert R.siak_task_records(key, 2, "ws01", "reach", "ssh")[0]["message"].endswith("Permission denied (publickey).")


def test_failed_module_is_one_unknown_record():
    out = R.siak_task_records({"failed": True, "msg": "MODULE FAILURE: boom"}, 3, "h", "host", "m")
    assert out[0]["status"] == "UNKNOWN" and "boom" in out[0]["message"]


def test_a_failed_loop_names_the_failed_items_reasons():
    loop = {"failed": True, "msg": "One or more items failed",
            "results": [{"failed": False}, {"failed": True, "msg": "probe X needs url"}, {"failed": True, "msg": "probe X needs url"}]}
    out = R.siak_task_records(loop, 4, "localhost", "probe", "langkah 4")
    assert out[0]["message"] == "Pemeriksaan gagal dijalankan: probe X needs url"


# Real failed results as ansible-core 2.19 registers them (ignore_errors: true).
NO_INTERPRETER = {"failed": True, "changed": False, "rc": 127, "module_stdout": "",
                  "module_stderr": "/bin/sh: 1: /usr/bin/python3.99: not found\n",
                  "msg": "The module interpreter '/usr/bin/python3.99' was not found."}
CRASHED = {"failed": True, "rc": 1, "module_stdout": "",
           "module_stderr": "Traceback (most recent call last):\n  File \"<stdin>\", line 107, in <module>\n"
                            "ZeroDivisionError: division by zero\n",
           "msg": "MODULE FAILURE: No start of json char found\nSee stdout/stderr for the exact error"}
NO_SUDO = {"failed": True, "msg": "Task failed: Premature end of stream waiting for become success.\n"
                                  ">>> Standard Error\nsudo: a password is required"}


@pytest.mark.parametrize("result, cause", [
    (NO_INTERPRETER, "/usr/bin/python3.99: not found"),
    (CRASHED, "ZeroDivisionError: division by zero"),
    (NO_SUDO, "Premature end of stream waiting for become success."),
])
def test_a_module_that_cannot_run_or_crashes_names_its_cause(result, cause):
    out = R.siak_task_records(result, 3, "h", "host", "siak_host_check")
    assert len(out) == 1 and out[0]["status"] == "UNKNOWN"
    assert cause in out[0]["message"] and "\n" not in out[0]["message"] and "Task failed" not in out[0]["message"]


def test_a_skipped_check_or_one_without_records_is_unknown_not_silent():
    skipped = R.siak_task_records({"skipped": True, "skip_reason": "Conditional result was False"}, 3, "h", "host", "m")
    assert skipped[0]["status"] == "UNKNOWN" and "Conditional result was False" in skipped[0]["message"]
    for empty in ({"changed": False, "records": []}, {"changed": False}):
        out = R.siak_task_records(empty, 3, "h", "host", "m")
        assert [r["status"] for r in out] == ["UNKNOWN"] and "tidak menghasilkan data" in out[0]["message"]


def test_login_without_a_module_that_runs_is_not_a_working_host():
    out = R.siak_reach_records(NO_INTERPRETER, 2, "h")
    assert [(r["item"], r["status"]) for r in out] == [("ssh", "OK"), ("modul", "UNKNOWN")]
    assert "python3.99: not found" in out[1]["message"]
    assert "python3.99" in R.siak_reach_reason(out)
    assert R.siak_reach_reason(R.siak_reach_records({"ping": "pong"}, 2, "h")) == ""
    assert S.siak_grades(out, ["h"])["h"]["grade"] == "Kurang"
    # A result that does not say pong did not really run the module.
    assert R.siak_reach_records({"changed": False}, 2, "h")[1]["status"] == "UNKNOWN"


def test_a_bad_record_from_a_module_is_refused():
    with pytest.raises(AnsibleFilterError):
        R.siak_records([{"category": "disk", "item": "/", "status": "FINE", "message": "m"}], 3, "h")


def test_reach_records():
    assert R.siak_reach_records({"ping": "pong"}, 2, "h")[0]["status"] == "OK"
    assert "port SSH" in R.siak_reach_records({"elapsed": 0}, 2, "sw", "port")[0]["message"]
    assert R.siak_reach_records(UNREACHABLE, 2, "h")[0]["category"] == "reach"


def _probe_records(loop):
    """siak_probe_records over one module call per probe (as if each probe were measured from
    a machine of its own): a result with records finished, any other did not start."""
    jobs, done = [], []
    for n, res in enumerate(loop["results"]):
        group = {"source": "", "probes": [res["item"]]}
        if "records" in res:
            jobs.append({"item": group, "ansible_job_id": "j%d" % n})
            done.append({"item": {"ansible_job_id": "j%d" % n}, "finished": 1,
                         "probes": [{"name": res["item"]["name"], "records": res["records"]}]})
        else:
            jobs.append(dict(res, item=group))
    return R.siak_probe_records({"results": jobs}, {"results": done}, 4, "localhost")


def test_probe_groups_put_the_admin_machine_first_and_keep_the_order():
    a = {"name": "a", "kind": "ping", "host": "198.18.0.1", "from": "ws1"}
    b = {"name": "b", "kind": "ping", "host": "198.18.0.2"}
    c = {"name": "c", "kind": "ping", "host": "198.18.0.3", "from": "ws2"}
    d = {"name": "d", "kind": "ping", "host": "198.18.0.4", "from": "ws1"}
    assert R.siak_probe_groups([a, b, c, d]) == [
        {"source": "", "probes": [b]},
        {"source": "ws1", "probes": [a, d]},
        {"source": "ws2", "probes": [c]}]


def test_a_probe_that_cannot_run_is_refused_alone_with_its_reason():
    good = {"name": "App", "kind": "http", "url": "http://198.18.0.11/", "target": "siak-app01"}
    from_ws = dict(good, name="App dari loket", **{"from": "siak-ws01"})
    wrong = [
        ({"name": "Tanpa URL", "kind": "http", "target": "siak-app01"}, "siak-app01", "Tanpa URL",
         "the probe Tanpa URL (http) lacks url"),
        ({"name": "TCP", "kind": "tcp", "host": "198.18.0.12", "target": "siak-db01"}, "siak-db01", "TCP",
         "the probe TCP (tcp) lacks port"),
        ({"name": "Jenis", "kind": "icmp", "host": "198.18.0.1", "target": "gateway"}, "gateway", "Jenis",
         "the probe Jenis has kind icmp; a probe is http, tcp, ping, dns or iperf3"),
        ({"name": "Loket 9", "kind": "ping", "host": "198.18.0.11", "target": "siak-app01", "from": "loket-09"},
         "siak-app01", "Loket 9", "the probe Loket 9 runs from loket-09, which is not a host of the inventory"),
        ({"kind": "ping", "host": "198.18.0.1", "target": "gateway"}, "gateway", "ke-7", "the probe ke-7 (ping) lacks name"),
        ("ping 198.18.0.1", "localhost", "ke-8", "entry 8 is not a mapping (name, kind, target, ...)"),
    ]
    split = R.siak_probe_split([good, from_ws] + [w[0] for w in wrong], ["siak-app01", "siak-ws01", "siak-db01"], 4)
    assert split["run"] == [good, from_ws]
    got = [(r["target"], r["category"], r["item"], r["status"], r["message_en"]) for r in split["records"]]
    assert got == [(t, "probe", i, "UNKNOWN", "Probe not run: siak_perf_probes: " + why) for _p, t, i, why in wrong]
    assert all(validate(r) == [] and r["details"]["probe"] == r["item"] for r in split["records"])
    assert split["records"][0]["message"] == "Uji tidak dijalankan: siak_perf_probes: uji Tanpa URL (http) tidak punya url"
    # Two probes under one name: both refused (a probe's records and trend are found by its
    # name), one record per target; a probe of another name still runs.
    twice = [dict(good, name="Gerbang", target="gateway"), dict(good, name="Gerbang", target="gateway", url="http://x/")]
    split = R.siak_probe_split(twice + [good], ["siak-app01"])
    assert split["run"] == [good] and [(r["target"], r["item"]) for r in split["records"]] == [("gateway", "Gerbang")]
    assert "is given to more than one probe" in split["records"][0]["message_en"]
    # Not a list at all: one record for the step, nothing runs.
    split = R.siak_probe_split({"name": "App"}, ["siak-app01"])
    assert split["run"] == [] and [(r["category"], r["item"]) for r in split["records"]] == [("probe", "langkah 4")]
    assert R.siak_probe_split([], []) == {"run": [], "records": []}


def test_machines_probing_one_address_share_its_rate_cap():
    """The admin machine and two counters all reach the application: each of the three
    probes of it is spaced three times as far; the data centre, probed from the admin
    machine only, keeps its pace."""
    app = {"name": "App", "kind": "http", "url": "https://198.18.0.11/siak/health"}
    app_tcp = {"name": "App TCP", "kind": "tcp", "host": "198.18.0.11", "port": 443}
    dc = {"name": "DC", "kind": "ping", "host": "198.18.0.100"}
    groups = R.siak_probe_groups([app, dc, dict(app, **{"from": "ws1"}), dict(app_tcp, **{"from": "ws2"})])
    sharing = {(g["source"], p["name"]): p.get("sharing") for g in groups for p in g["probes"]}
    assert sharing == {("", "App"): 3, ("", "DC"): None, ("ws1", "App"): 3, ("ws2", "App TCP"): 3}
    assert "sharing" not in app  # the inventory's probe is left as it was


def test_loop_records_keep_each_item_apart():
    loop = {"results": [
        {"item": {"name": "App", "kind": "http", "target": "siak-app01"},
         "records": [{"category": "http", "item": "u", "status": "OK", "message": "m"}]},
        {"item": {"name": "DC", "kind": "ping"}, "failed": True, "msg": "ping missing"},
    ]}
    out = _probe_records(loop)
    assert [(r["target"], r["status"]) for r in out] == [("siak-app01", "OK"), ("localhost", "UNKNOWN")]


def test_loop_records_name_their_probe():
    loop = {"results": [{"item": {"name": "App", "kind": "http", "target": "a"},
                         "records": [{"category": "http", "item": "u", "status": "OK", "message": "m",
                                      "details": {"samples": 5}}]},
                        {"item": {"name": "DC", "kind": "ping"}, "skipped": True}]}
    out = _probe_records(loop)
    assert [r["details"]["probe"] for r in out] == ["App", "DC"]
    assert out[0]["details"]["samples"] == 5 and out[1]["status"] == "UNKNOWN"


def test_long_reasons_are_bounded():
    out = R.siak_skip_record(3, "h", "x" * 5000)
    assert len(out[0]["message"]) < R.MAX_REASON_CHARS + 40


def test_collect_never_hides_a_target():
    hostvars = {"a": {"siak_assess_records": [rec(2, "a", "OK")], "siak_host_check_records": [rec(3, "a", "OK")],
                      "siak_unrelated": [1]}, "b": {}}
    out = S.siak_collect(hostvars, ["a", "b"])
    assert {r["target"] for r in out} == {"a", "b"}
    assert [r["status"] for r in out if r["target"] == "b"] == ["UNKNOWN"]
    assert [r["step"] for r in out if r["target"] == "a"] == [2, 3]


def test_coverage_names_every_missing_step_and_probe():
    hostvars = {"a": {"siak_assess_records": [rec(2, "a", "OK", "reach", "ssh")]},
                "b": {"siak_assess_records": [rec(2, "b", "OK", "reach", "ssh")],
                      "siak_host_check_records": [rec(3, "b", "OK")]},
                "localhost": {"siak_perf_records": [dict(rec(4, "b", "OK", "http", "http://b/"), details={"probe": "App"})]}}
    probes = [{"name": "App", "kind": "http", "target": "b"}, {"name": "DC", "kind": "ping", "target": "pusat-dc"}]
    out = S.siak_collect(hostvars, ["a", "b"], ["2", "3", "4"], probes)
    missing = [(r["step"], r["target"], r["category"], r["item"]) for r in out if r["status"] == "UNKNOWN"]
    assert missing == [(3, "a", "coverage", "langkah 3"), (4, "pusat-dc", "ping", "DC")]
    grades = S.siak_grades(out, ["a", "b"])
    assert grades["a"]["grade"] == "Kurang" and "langkah 3" in grades["a"]["reason"]
    assert grades["b"]["grade"] == "Baik"
    # Only the steps that ran are expected.
    assert [r for r in S.siak_collect(hostvars, ["a", "b"], ["2"], probes) if r["status"] != "OK"] == []


def test_grade_rules_and_their_legend():
    checked_nothing = [rec(2, "t", "OK", "reach", "ssh"), rec(3, "t", "UNKNOWN", "switch", "ssh", "Autentikasi gagal")]
    assert S.siak_grades(checked_nothing, ["t"])["t"] == {"grade": "Kurang", "grade_en": "Poor", "reason": "Autentikasi gagal"}
    some_unknown = checked_nothing + [rec(3, "t", "OK", "port", "Gi0/1")]
    assert S.siak_grades(some_unknown, ["t"])["t"]["grade"] == "Cukup"
    legend = S.siak_grade_legend()
    assert [entry["grade"] for entry in legend] == ["Baik", "Cukup", "Kurang", "Rusak"]
    assert "tidak dapat dihubungi" in legend[-1]["text"]
    assert S.siak_grade_legend("en")[0]["text"] == "every expected item ran and is OK"


@pytest.mark.parametrize("statuses, grade", [
    (["OK", "OK"], "Baik"), (["OK", "WARNING"], "Cukup"), (["UNKNOWN"], "Cukup"),
    (["WARNING", "CRITICAL"], "Kurang"), ([], "Kurang")])
def test_grades(statuses, grade):
    records = [rec(2, "t", s, item=str(i)) for i, s in enumerate(statuses)]
    assert S.siak_grades(records, ["t"])["t"]["grade"] == grade


def test_the_grade_weighs_every_step_of_the_round():
    records = [rec(2, "t", "OK", "reach", "ssh"), rec(3, "t", "CRITICAL", "disk", "/srv/data", "Disk penuh")]
    grade = S.siak_grades(records, ["t"])["t"]
    assert grade["grade"] == "Kurang" and grade["reason"] == "Disk penuh"


def test_a_grade_quotes_its_records_as_one_sentence():
    records = [rec(3, "t", "CRITICAL", "disk", "/srv/data", "Sistem berkas /srv/data terpasang hanya-baca."),
               rec(3, "t", "CRITICAL", "service", "ora_pmon_SIAK", "Layanan ora_pmon_SIAK TIDAK berjalan."),
               rec(3, "t", "WARNING", "update", "reboot", "Perlu nyala ulang")]
    reason = S.siak_grades(records, ["t"])["t"]["reason"]
    # The records that decided it (the critical ones), as one sentence: not "hanya-baca.; Layanan".
    assert reason == "Sistem berkas /srv/data terpasang hanya-baca; Layanan ora_pmon_SIAK TIDAK berjalan."


def test_unreachable_target_is_graded_rusak():
    records = R.siak_reach_records(UNREACHABLE, 2, "t")
    assert S.siak_grades(records, ["t"])["t"]["grade"] == "Rusak"


def test_summary_counts_and_changes():
    before = [rec(3, "a", "CRITICAL", item="/srv"), rec(3, "b", "OK", item="/")]
    now = [rec(3, "a", "OK", item="/srv"), rec(3, "b", "WARNING", item="/"), rec(2, "a", "OK", "reach", "ssh")]
    s = S.siak_summary(now, ["a", "b"], before, {"app": ["a"], "switches": ["b"]})
    assert s["status"] == "WARNING"
    assert s["counts"]["OK"] == 2 and s["counts"]["WARNING"] == 1 and s["counts"]["total"] == 3
    assert [c["record"]["target"] for c in s["changes"]["new"]] == ["b"]
    assert [c["record"]["target"] for c in s["changes"]["resolved"]] == ["a"]
    assert {t["target"]: t["group"] for t in s["targets"]} == {"a": "Server aplikasi", "b": "Switch"}
    assert S.siak_summary(now, ["a", "b"])["changes"] is None


def test_csv_has_one_row_per_record():
    rows = list(csv.reader(io.StringIO(S.siak_csv([rec(3, "a", "OK"), rec(3, "b", "WARNING")]))))
    assert rows[0][:5] == ["step", "target", "category", "item", "status"]
    assert len(rows) == 3


def _csv_rows(records):
    return list(csv.reader(io.StringIO(S.siak_csv(records), newline="")))


@pytest.mark.parametrize("text", ['=HYPERLINK("http://evil.example/","klik")', "+1+2", "-2+3+cmd|' /C calc'!A0",
                                  "@SUM(A1:A9)", "\t=1+1", "\r=1+1"])
@pytest.mark.parametrize("field", ["target", "item", "message", "value", "unit"])
def test_csv_text_that_a_spreadsheet_would_run_gets_a_leading_quote(field, text):
    bad = rec(3, "a", "WARNING")
    bad[field] = text
    rows = _csv_rows([bad])
    assert rows[1][[c[0] for c in S.COLUMNS].index(field)] == "'" + text


def test_csv_numbers_are_written_as_numbers():
    neg = record("port-errors", "Gi0/1", "UNKNOWN", "Penghitung turun", value=-5, unit="errors/s", warn=-1.5, crit=0.0,
                 step=3, target="sw1")
    flag = record("time", "ntp", "OK", "Tersinkron", value=True, step=3, target="h")
    rows = _csv_rows([neg, flag])
    head = rows[0]
    assert [rows[1][head.index(f)] for f in ("step", "value", "warn", "crit")] == ["3", "-5", "-1.5", "0.0"]
    assert rows[2][head.index("value")] == "True"


def test_csv_only_the_first_character_counts_and_ordinary_text_is_untouched():
    plain = [rec(3, "a", "OK", item=" =1", message="Disk /srv terpakai 92 %"), rec(3, "a", "OK", item="a-b", message="x=1")]
    rows = _csv_rows(plain)
    assert [r[3] for r in rows[1:]] == [" =1", "a-b"] and [r[9] for r in rows[1:]] == ["Disk /srv terpakai 92 %", "x=1"]


def test_csv_with_hostile_cells_still_parses_into_the_same_shape():
    records = [rec(3, "a", "OK")]
    for i, text in enumerate(['=1+1', '+1', '-1', '@x', '\t=1', '\r=1', 'a,"b"\nc', '=cmd|"/c calc"!A1']):
        records.append(rec(3, text, "WARNING", item=str(i), message=text))
    rows = _csv_rows(records)
    assert len(rows) == len(records) + 1
    assert {len(r) for r in rows} == {len(S.COLUMNS)}
    assert rows[-2][9] == 'a,"b"\nc'


def test_load_round_survives_garbage():
    assert S.siak_load_round("not json") == {}
    assert S.siak_load_round(json.dumps({"round": {}, "records": "x"})) == {}
    good = {"round": {"id": "r1"}, "records": [rec(3, "a", "OK"), {"bad": 1}]}
    assert len(S.siak_load_round(json.dumps(good))["records"]) == 1


def test_round_href_is_a_quoted_relative_link():
    assert S.siak_round_href("20261125-100000") == "20261125-100000/index.html"
    assert S.siak_round_href("javascript:alert(1)") == "javascript%3Aalert%281%29/index.html"
    assert S.siak_round_href("../x") == "..%2Fx/index.html"
    assert S.siak_round_href("..") == "" and S.siak_round_href("") == "" and S.siak_round_href(None) == ""


def test_step_times_against_the_sop_standard():
    marks = {"1": "2026-11-25T10:00:00", "2": "2026-11-25T10:00:02", "3": "2026-11-25T10:00:12",
             "report": "2026-11-25T10:40:12"}
    times = S.siak_step_times(marks, "2026-11-25T10:40:15")
    assert [(t["step"], t["seconds"], t["within_standard"]) for t in times] == [
        (1, 2, True), (2, 10, True), (3, 2400, False)]
    assert S.siak_step_times({}, "x") == []


def test_labels():
    assert S.siak_status_label("CRITICAL") == "Kritis"
    assert S.siak_status_label("CRITICAL", "en") == "Critical"


def test_dates_and_categories_in_indonesian():
    assert S.siak_date("2026-11-25T21:24:49") == "25 November 2026 21.24"
    assert S.siak_date("2026-01-02T08:00:00", False) == "2 Januari 2026"
    assert S.siak_date("garbage") == "garbage"
    assert S.siak_category_label("memory") == "Memori"
    assert S.siak_category_label("new-thing") == "new-thing"


def test_targets_are_listed_servers_first():
    s = S.siak_summary([], ["ws1", "sw1", "app1"], None, {"app": ["app1"], "workstations": ["ws1"], "switches": ["sw1"]})
    assert [t["target"] for t in s["targets"]] == ["app1", "ws1", "sw1"]


def test_a_damaged_state_file_is_a_first_round():
    import siak_state

    assert siak_state.siak_state_load('{"boot_time": 1}') == {"boot_time": 1}
    assert siak_state.siak_state_load("{truncated") == {}
    assert siak_state.siak_state_load("[1, 2]") == {}
    assert siak_state.siak_state_load("") == {}


def test_identical_findings_are_grouped_naming_their_items():
    reset = "Penghitung turun (direset)"
    records = [rec(3, "sw1", "UNKNOWN", "port-errors", p, reset) for p in ("Gi0/1", "Gi0/2")]
    records += [rec(3, "sw1", "CRITICAL", "port", "Gi0/9", "Uplink mati"), rec(3, "sw2", "UNKNOWN", "port-errors", "1", reset)]
    groups = S.siak_summary(records, ["sw1", "sw2"])["problem_groups"]
    assert [(g["status"], g["target"], g["items"]) for g in groups] == [
        ("CRITICAL", "sw1", ["Gi0/9"]), ("UNKNOWN", "sw1", ["Gi0/1", "Gi0/2"]), ("UNKNOWN", "sw2", ["1"])]


def test_a_temp_folder_ansible_cannot_make_is_a_login_without_modules_not_a_down_host():
    result = {"unreachable": True, "changed": False,
              "msg": "Failed to create temporary directory. In some cases, you may have been able to authenticate "
                     "and did not have permissions on the target directory. Consider changing the remote tmp path."}
    out = R.siak_reach_records(result, 2, "h")
    assert [(r["item"], r["status"]) for r in out] == [("ssh", "OK"), ("modul", "UNKNOWN")]
    assert "temporary directory" in out[1]["message"]


def test_nik_numbers_never_reach_a_record():
    found = [{"category": "log", "item": "/var/log/syslog", "status": "WARNING",
              "message": "NIK 6401021234567890 ditolak", "details": {"last_lines": ["a 6401021234567890 b"], "n": 3}}]
    out = R.siak_records(found, 3, "h")[0]
    assert "6401021234567890" not in json.dumps(out)
    assert out["details"] == {"last_lines": ["a **************** b"], "n": 3}
    # Shorter or longer digit runs are not a NIK.
    assert R.siak_records([dict(found[0], message="NIP 197001012000031001 / 640102123456789", details=None)],
                          3, "h")[0]["message"] == "NIP 197001012000031001 / 640102123456789"


def test_a_list_value_is_read_as_the_roles_argument_check_reads_it():
    import siak_vars as V  # noqa: E402  # filter_plugins is on sys.path (above)
    assert V.siak_as_list(["sshd", {"name": "nginx"}]) == ["sshd", {"name": "nginx"}]
    assert V.siak_as_list("sshd,cron") == ["sshd", "cron"]
    assert V.siak_as_list(1521) == ["1521"]
    assert V.siak_as_list(None) == []
    with pytest.raises(AnsibleFilterError, match="list is expected"):
        V.siak_as_list({"name": "sshd"})


def test_lists_by_group_add_up_for_a_host_in_several_groups():
    import siak_vars as V  # noqa: E402  # filter_plugins is on sys.path (above)
    by_group = {"app": ["nginx"], "db": [{"name": "tnslsnr", "process": "tnslsnr"}], "timeserver": "chrony"}
    assert V.siak_for_groups(by_group, ["app", "db", "servers", "siak_hosts"]) == [
        "nginx", {"name": "tnslsnr", "process": "tnslsnr"}]
    assert V.siak_for_groups(by_group, ["timeserver"]) == ["chrony"]
    assert V.siak_for_groups(by_group, ["workstations"]) == [] == V.siak_for_groups(None, ["app"])
    # The common list first, the host's own last, each read as the argument check reads it.
    assert V.siak_for_groups(by_group, ["app"], "x", "sshd", [{"name": "cron"}]) == ["sshd", "nginx", {"name": "cron"}]
    assert V.siak_for_groups({}, ["app"], "x", None, 22) == ["22"]
    with pytest.raises(AnsibleFilterError, match=r"siak_host_check_ports_by_group\[db\]: a list is expected"):
        V.siak_for_groups({"db": {"port": 1521}}, ["db"], "siak_host_check_ports_by_group")
    with pytest.raises(AnsibleFilterError, match="siak_x must be a mapping of inventory group to list, got list"):
        V.siak_for_groups(["nginx"], ["app"], "siak_x")


# What ansible-core 2.19's role argument check (validate_argument_spec) returned for
# siak_perf_probes given as one mapping instead of a list of probes (the record said only
# "Validation of arguments failed:" before: the lines naming the variable were dropped).
ARGSPEC_FAILED = {
    "failed": True, "changed": False,
    "msg": "Validation of arguments failed:\nargument 'siak_perf_probes' is of type dict and we were unable to convert to "
           "list: <class 'ansible.module_utils._internal._datatag._AnsibleTaggedDict'> cannot be converted to a list",
    "argument_errors": ["argument 'siak_perf_probes' is of type dict and we were unable to convert to list: <class "
                        "'ansible.module_utils._internal._datatag._AnsibleTaggedDict'> cannot be converted to a list"],
    "validate_args_context": {"type": "role", "name": "siak_perf", "argument_spec_name": "main"}}


def test_a_refused_role_argument_is_named_in_the_record():
    (rec,) = R.siak_step_failed_records(ARGSPEC_FAILED, 4, "localhost")
    assert rec["status"] == "UNKNOWN"
    assert rec["message"] == ("Pemeriksaan gagal dijalankan: Validation of arguments failed: argument 'siak_perf_probes' "
                              "is of type dict and we were unable to convert to list: dict cannot be converted to a list")
    # A message whose first line says it all keeps only that line.
    (rec,) = R.siak_task_records(CRASHED, 3, "h", "host", "m")
    assert "See stdout/stderr" not in rec["message"] and "ZeroDivisionError" in rec["message"]


# What ansible-core 2.19 registered for a module run with an interpreter older than it
# supports (captured: tests/unit/fixtures/host/README.md).
OLD_PYTHON = {name: (Path(__file__).parent / "fixtures" / "host" / ("ansiballz-stderr.%s.txt" % name)).read_text()
              for name in ("python27", "python36", "python37")}


@pytest.mark.parametrize("value, port", [(22, 22), ("2222", 2222), (" 17001 ", 17001), (65535, 65535)])
def test_a_port_number_is_read_from_an_inventory_value(value, port):
    import siak_vars as V  # noqa: E402  # filter_plugins is on sys.path (above)
    assert V.siak_port(value, "siak_switch_port") == port


@pytest.mark.parametrize("value", ["abc", "22a", 0, 65536, -22, "", None, True, 22.5, [22]])
def test_a_port_that_is_not_a_number_is_named_where_int_would_make_it_0(value):
    import siak_vars as V  # noqa: E402  # filter_plugins is on sys.path (above)
    with pytest.raises(AnsibleFilterError, match=r"^siak_switch_port: .* is not a port number \(1-65535\)$"):
        V.siak_port(value, "siak_switch_port")


@pytest.mark.parametrize("message", [
    # What ansible-core 2.19 said, captured in lab rounds with these host_vars:
    "Pemeriksaan gagal dijalankan: Error processing keyword 'port': The value '22a' could not be converted to 'int'.",
    "Pemeriksaan gagal dijalankan: the connection plugin 'sshh' was not found",
    "Tidak diperiksa: pada langkah 2 (penilaian): Pemeriksaan gagal dijalankan: Error processing keyword 'become': "
    "The value 'maybe' could not be converted to 'bool'.",
    "Pemeriksaan gagal dijalankan: Validation of arguments failed: argument 'siak_host_check_disk_warn' is of type str "
    "and we were unable to convert to float: str cannot be converted to a float",
    "Pemeriksaan gagal dijalankan: siak_switch_port: 'abc' is not a port number (1-65535)",
    # The module's own refusal of a percentage (siak_host_check_backup_shrink_pct: 150).
    "Pemeriksaan gagal dijalankan: backup_shrink_pct (150.0) must be 0 to 100",
])
def test_an_inventory_value_that_is_refused_is_no_network_fault(message):
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    for category, item, step in (("reach", "langkah 2", 2), ("check", "langkah 3", 3),
                                 ("http", "http://198.18.0.11/ dari siak-ws01", 4)):
        rec = {"status": "UNKNOWN", "category": category, "item": item, "step": step, "target": "t",
               "message": message}
        (group,) = FI.siak_finding_groups([rec], lang="en")
        assert group["rule"] == "inventory-value" and "Correct the value the message names" in group["action"]


def test_a_probe_that_could_not_run_on_its_workstation_names_the_workstation_not_its_target():
    """ansible_port: 22a on siak-ws01 fails step 2 there and the step-4 call that runs the
    probe of siak-app01 from it: the finding lists siak-ws01 once, not the server."""
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    from ansible.module_utils.siak_outcome import siak_probe_records, siak_task_records
    said = "Error processing keyword 'port': The value '22a' could not be converted to 'int'."
    probe = {"name": "Aplikasi", "kind": "http", "url": "http://198.18.0.11/", "target": "siak-app01", "from": "siak-ws01"}
    local = {"name": "Gerbang", "kind": "ping", "host": "198.18.0.1", "target": "gateway"}
    jobs = {"results": [{"item": {"source": "siak-ws01", "probes": [probe]}, "failed": True, "msg": said},
                        {"item": {"source": "", "probes": [local]}, "failed": True, "msg": "no ping"}]}
    step4 = siak_probe_records(jobs, {"results": []}, 4, "localhost")
    assert [(r["target"], r["status"], r["details"].get("failed_on")) for r in step4] == [
        ("siak-app01", "UNKNOWN", "siak-ws01")] + [("gateway", "UNKNOWN", None)] * 2   # a ping: loss and time
    step2 = siak_task_records({"failed": True, "msg": said}, 2, "siak-ws01", "reach", "langkah 2")
    groups = FI.siak_finding_groups(step2 + step4, lang="en")
    inventory = [g for g in groups if g["rule"] == "inventory-value"]
    assert [g["devices"] for g in inventory] == [["siak-ws01"]]
    # The call from the admin machine stays with its target.
    assert [g["devices"] for g in groups if g["rule"] != "inventory-value"] == [["gateway"]]
    # The grades: the server the probe could not test keeps its own (its checks were OK); the
    # workstation's weighs its failed call; a source that is no target leaves it with its target.
    server_ok = [rec(3, "siak-app01", "OK", "disk", "/")]
    grades = S.siak_grades(server_ok + step2 + step4, ["siak-app01", "siak-ws01", "gateway"])
    assert (grades["siak-app01"]["grade"], grades["siak-ws01"]["grade"]) == ("Baik", "Kurang")
    assert "22a" in grades["siak-ws01"]["reason"]
    elsewhere = [dict(r, details=dict(r["details"], failed_on="loket-09")) for r in step4 if r["target"] == "siak-app01"]
    assert S.siak_grades(server_ok + elsewhere, ["siak-app01"])["siak-app01"]["grade"] == "Cukup"


# What ansible-core 2.19 said (ping, the lab's OpenSSH 9.2, StrictHostKeyChecking=yes) of a host
# never accepted and of one whose key changed: the last line alone names neither.
UNKNOWN_KEY = ('Data could not be sent to remote host "198.18.0.21". Make sure this host can be reached over ssh: No '
               'ED25519 host key is known for 198.18.0.21 and you have requested strict checking.\nHost key verification '
               'failed.')
CHANGED_KEY = ('Data could not be sent to remote host "198.18.0.22". Make sure this host can be reached over ssh: '
               '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS '
               'CHANGED!     @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nIT IS POSSIBLE THAT SOMEONE IS '
               'DOING SOMETHING NASTY!\nSomeone could be eavesdropping on you right now (man-in-the-middle attack)!\nIt is '
               'also possible that a host key has just been changed.\nThe fingerprint for the ED25519 key sent by the '
               'remote host is\nSHA256:8r15TGdp1wl+/7SUoXVBwUg2Z9uBZxoa5UnFwLWfwZ4.\nPlease contact your system '
               'administrator.\nAdd correct host key in /tmp/wrong_kh to get rid of this message.\nOffending ED25519 key '
               'in /tmp/wrong_kh:1\n  remove with:\n  ssh-keygen -f "/tmp/wrong_kh" -R "198.18.0.22"\nHost key for '
               '198.18.0.22 has changed and you have requested strict checking.\nHost key verification failed.')


@pytest.mark.parametrize("msg, words, rule", [
    (UNKNOWN_KEY, "No ED25519 host key is known for 198.18.0.21 and you have requested strict checking.",
     "host-key-unknown"),
    (CHANGED_KEY, "Host key for 198.18.0.22 has changed and you have requested strict checking.", "host-key-changed"),
    ("Data could not be sent to remote host: Host key verification failed.", "Host key verification failed.",
     "host-key-unknown"),
    ("ssh: connect to host 198.18.0.23 port 22: No route to host", "ssh: connect to host 198.18.0.23 port 22: No route "
     "to host", "unreachable"),
])
def test_a_host_key_refused_is_named_with_what_to_do(msg, words, rule):
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    (reach,) = [r for r in R.siak_reach_records({"unreachable": True, "msg": msg}, 2, "siak-ws02") if r["status"] != "OK"]
    assert reach["message"] == "Target tidak dapat dihubungi: " + words
    (group,) = FI.siak_finding_groups([reach], lang="en")
    assert group["rule"] == rule


def test_a_restart_the_updates_wait_for_is_not_called_pending_updates():
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    from ansible.module_utils import siak_host_judge as HJ
    params = {"updates_warn": 1, "updates_crit": None, "security_warn": 1, "security_crit": 5}
    flag = {"since": 0, "age_seconds": 3600, "packages": ["libc6"]}
    problems = [dict(r, step=3, target=t) for t in ("siak-app01", "siak-db01")
                for r in HJ.judge_updates({"manager": "apt", "packages": [], "reboot": flag}, params) if r["status"] != "OK"]
    groups = FI.siak_finding_groups(problems, lang="en")
    assert [(g["rule"], g["devices"]) for g in groups] == [("reboot-required", ["siak-app01", "siak-db01"])]
    assert "Schedule a restart" in groups[0]["action"]


def test_a_host_in_another_time_zone_is_not_called_an_unsynchronised_clock():
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    from ansible.module_utils import siak_host_judge as HJ
    problems = [dict(r, step=3, target=t) for t, zone in (("siak-app01", (0, "UTC")), ("siak-ws01", (25200, "WIB")))
                for r in HJ.eval_zone(zone, "Asia/Makassar", 28800)]
    groups = FI.siak_finding_groups(problems, lang="en")
    assert [(g["rule"], g["devices"]) for g in groups] == [("time-zone", ["siak-app01", "siak-ws01"])]
    assert "timedatectl set-timezone" in groups[0]["action"]
    unknown = [dict(r, step=3, target="siak-app01") for r in HJ.eval_zone((0, "UTC"), "WITA", None)]
    assert [g["rule"] for g in FI.siak_finding_groups(unknown)] == ["time-zone-value"]


def test_a_backup_cut_short_is_not_called_out_of_date():
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    from ansible.module_utils import siak_host_judge as HJ
    loc = {"path": "/srv/backup", "exists": True, "files": 2,
           "newest": {"path": "/srv/backup/siak-db-20261203.dmp", "size": 100 << 10, "age_seconds": 3600,
                      "previous": {"path": "/srv/backup/siak-db-20261202.dmp", "size": 4 << 20}}}
    problems = [dict(r, step=3, target="siak-bak01") for r in HJ.eval_backups([loc], 26, 72, 1, 50)]
    (group,) = FI.siak_finding_groups(problems, lang="en")
    assert group["rule"] == "backup-shrunk" and "test a restore" in group["action"]


def test_a_filesystem_remounted_read_only_is_not_called_full():
    """Records made by the real judge (siak_host_judge.eval_disk) for two hosts."""
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    from ansible.module_utils import siak_host_judge as HJ
    usage = {"size_bytes": 1 << 30, "used_bytes": 1 << 28, "avail_bytes": 3 << 28, "used_pct": 25.0,
             "inodes_total": 1000, "inodes_used": 10, "inodes_pct": 1.0}
    problems = []
    for target, mount, fstab in (("siak-db01", "/srv/oradata", ["defaults"]), ("siak-app01", "/", ["errors=remount-ro"]),
                                 ("siak-ws01", "/media/usb", None)):
        fs = {"mountpoint": mount, "device": "/dev/sdb1", "fstype": "xfs", "options": ["ro"], "fstab_options": fstab,
              "usage": usage}
        problems += [dict(r, step=3, target=target) for r in HJ.eval_disk([fs], 80, 90, 90, 95) if r["status"] != "OK"]
    groups = FI.siak_finding_groups(problems, lang="en")
    assert [(g["rule"], g["status"], len(g["devices"])) for g in groups] == [
        ("disk-readonly", "CRITICAL", 2), ("disk-readonly-unlisted", "WARNING", 1)]
    assert "dmesg" in groups[0]["action"] and "Remove or move old files" not in groups[0]["action"]


@pytest.mark.parametrize("msg", ["Task failed: Missing sudo password", "Task failed: Incorrect sudo password"])
def test_a_sudo_password_not_given_or_wrong_is_named_with_what_to_do(msg):
    """What ansible-core 2.19 said on the lab (account siak-pw, whose sudo asks for its
    password), without ansible_become_password and with a wrong one."""
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    reach = R.siak_reach_records({"failed": True, "msg": msg}, 2, "siak-app01")
    assert reach[1]["message"].endswith(msg.replace("Task failed: ", ""))
    (group,) = FI.siak_finding_groups(reach, lang="en")
    assert group["rule"] == "sudo-password" and "ansible_become_password" in group["action"]


@pytest.mark.parametrize("name, cause", [
    ("python27", "SyntaxError: invalid syntax"),
    ("python36", "SyntaxError: future feature annotations is not defined"),
    ("python37", "SyntaxError: invalid syntax"),
])
def test_a_python_too_old_for_ansible_is_named_with_what_to_do(name, cause):
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    result = {"failed": True, "rc": 1, "module_stdout": "", "module_stderr": OLD_PYTHON[name],
              "msg": "Module result deserialization failed: No start of json char found"}
    reach = R.siak_reach_records(result, 2, "siak-db01")
    assert reach[1]["message"] == "Login SSH berhasil, tetapi modul Ansible tidak dapat dijalankan: " + cause
    groups = FI.siak_finding_groups(reach, lang="en")
    assert [g["rule"] for g in groups] == ["old-python"] and "Python 3.8 or newer" in groups[0]["action"]


def test_sudos_warning_about_its_own_host_name_is_not_the_cause():
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    # Captured on the lab (siak-ws01, account siak-tty: requiretty, pipelining on).
    result = {"failed": True, "rc": 1, "module_stdout": "",
              "module_stderr": "sudo: unable to resolve host siak-ws01: Temporary failure in name resolution\n"
                               "sudo: sorry, you must have a tty to run sudo",
              "msg": "Module result deserialization failed: No start of json char found"}
    reach = R.siak_reach_records(result, 2, "siak-ws01")
    assert reach[1]["message"].endswith(": sudo: sorry, you must have a tty to run sudo")
    assert [g["rule"] for g in FI.siak_finding_groups(reach)] == ["sudo-tty"]


def test_a_target_that_never_finishes_its_check_is_named_with_the_limit():
    import siak_findings as FI  # noqa: E402  # filter_plugins is on sys.path (above)
    from ansible.module_utils.siak_step import outcome_or_failure  # noqa: E402  pylint: disable=import-outside-toplevel
    # What ansible-core 2.19 registered for a task stopped by its `timeout` (captured; the
    # frame is the text Ansible puts there when DISPLAY_TRACEBACK is off).
    timed_out = {"changed": False, "failed": True, "exception": "(traceback unavailable)",
                 "msg": "Task failed: Timed out after 180 second(s).",
                 "timedout": {"frame": "Configure `DISPLAY_TRACEBACK` to see a traceback on timeout errors.", "period": 180}}
    step2 = outcome_or_failure(timed_out, "assess", 2, "siak-db01")
    assert step2["reachable"] is False and step2["reason_en"] == "The target did not answer within 180 s; its check was stopped"
    assert [(r["category"], r["item"], r["status"]) for r in step2["records"]] == [("reach", "langkah 2", "UNKNOWN")]
    step3 = outcome_or_failure(timed_out, "check", 3, "sw-core01")["records"]
    assert step3[0]["message"] == "Target tidak menjawab dalam 180 detik; pemeriksaannya dihentikan"
    groups = FI.siak_finding_groups(step2["records"] + step3)
    assert [(g["rule"], g["devices"]) for g in groups] == [("no-answer", ["siak-db01", "sw-core01"])]   # one cause
