"""The hardware assessment checklist (filter_plugins/siak_hardware.py): rows, marks, grades,
results.json's hardware section against the schema, the failure identity and the state.

The records and hardware snapshots are written from the contract of issue 9 (what
siak_host_hardware and siak_switch_check's environment check return).
"""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "filter_plugins"))
import siak_hardware as HW  # noqa: E402
import siak_records as R  # noqa: E402
import siak_round as RD  # noqa: E402
import siak_state as ST  # noqa: E402
import siak_summary as S  # noqa: E402

from ansible.module_utils.siak_result import record, validate  # noqa: E402

from ..schemas import results_problems  # noqa: E402

GIB = 1024 ** 3
APP, DB, WS, SW, VM = "siak-app01", "siak-db01", "siak-ws03", "sw-core01", "siak-ws01"


def _host_hw(ram_gib=32, disks=("sda", "sdb"), cores=8):
    return {
        "system": {"vendor": "Dell Inc.", "model": "PowerEdge R640", "serial": "7XK2N53", "virtual": False},
        "cpu": {"model": "Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz", "sockets": 1, "cores": cores, "threads": 16},
        "memory": {"total_bytes": ram_gib * GIB},
        "disks": [{"name": name, "model": "ST1000NM0033", "serial": "Z1W%d" % i, "size_bytes": 1000204886016,
                   "kind": "ata", "health": "passed"} for i, name in enumerate(disks)],
        "raid": [{"name": "md0", "level": "raid1", "state": "clean"}],
        "sensors": [{"label": "coretemp Package id 0", "celsius": 45.0, "high": 80.0, "crit": 100.0}],
        "nics": [{"name": "eno1", "up": True, "speed_mbps": 1000, "duplex": "full", "rx_errors": 0, "tx_errors": 0},
                 {"name": "eno2", "up": False, "speed_mbps": None, "duplex": None, "rx_errors": 0, "tx_errors": 0}],
        "ups": [],
    }


def _switch_hw():
    return {"system": {"vendor": "Cisco", "model": "WS-C2960X-48TS-L", "serial": "FOC1932X0AB",
                       "os_version": "15.2(7)E3", "uptime_seconds": 3 * 86400 + 7200},
            "power": [{"name": "PS1", "status": "OK"}, {"name": "PS2", "status": "Not Present"}],
            "fans": [{"name": "Fan 1", "status": "OK"}],
            "sensors": [{"label": "System Temperature", "celsius": 38.0, "high": 56.0, "crit": 68.0}]}


def _rec(target, category, item, status, message, **kw):
    return record(category, item, status, message, step=2, target=target, **kw)


def _reach(target, ok=True):
    if ok:
        return R.siak_reach_records({"ping": "pong"}, 2, target)
    return R.siak_reach_records({"unreachable": True, "msg": "ssh: connect to host 198.18.0.23 port 22: No route to host"},
                                2, target)


def _app_records(disk_status="OK"):
    return _reach(APP) + [
        _rec(APP, "hw-system", "system", "OK", "Dell Inc. PowerEdge R640, nomor seri 7XK2N53", value="PowerEdge R640"),
        _rec(APP, "hw-cpu", "cpu", "OK", "Xeon Silver 4110: 1 soket, 8 inti", value=8),
        _rec(APP, "hw-memory", "ram", "OK", "RAM 32 GiB", value=32 * GIB, unit="B"),
        _rec(APP, "hw-disk", "sda", disk_status, "Disk sda: SMART lulus" if disk_status == "OK"
             else "Disk sda: 8 sektor tertunda"),
        _rec(APP, "hw-disk", "sdb", "OK", "Disk sdb: SMART lulus"),
        _rec(APP, "raid", "md0", "OK", "RAID md0 (raid1) utuh"),
        _rec(APP, "hw-temp", "coretemp Package id 0", "OK", "Suhu 45 °C", value=45.0, unit="C", warn=80.0, crit=100.0),
        _rec(APP, "hw-net", "eno1", "OK", "eno1 terhubung 1000 Mb/s full duplex"),
        _rec(APP, "hw-net", "eno2", "OK", "eno2 tidak terhubung"),
    ]


NA_UPS = {"category": "hw-ups", "item": "ups", "reason": "UPS tidak dikonfigurasi", "reason_en": "no UPS configured"}


def _fact(hardware, previous=None, not_applicable=(NA_UPS,), checked=True):
    return {"checked": checked, "hardware": hardware, "previous_hardware": previous,
            "not_applicable": list(not_applicable), "asset": {"number": "", "location": "", "year": "", "owner": ""}}


def _round():
    """A round of five targets: healthy, a failing disk and a vanished one, unreachable, a switch, hardware off."""
    records = _app_records()
    hostvars = {APP: {"siak_assess_hardware": _fact(_host_hw(), _host_hw()),
                      "siak_asset_number": "02.06.03.02.001", "siak_asset_location": "Ruang server lantai 1",
                      "siak_asset_year": 2019, "siak_asset_owner": "Kepala Bidang PIAK"}}
    # db01: sda failing, sdb gone since the previous round, RAM shrank.
    records += _reach(DB) + [
        _rec(DB, "hw-system", "system", "OK", "Dell Inc. PowerEdge R640"),
        _rec(DB, "hw-memory", "ram", "WARNING", "RAM berkurang: 32 GiB pada putaran sebelumnya, kini 16 GiB"),
        _rec(DB, "hw-disk", "sda", "CRITICAL", "Disk sda: SMART gagal, 8 sektor tertunda"),
        _rec(DB, "hw-disk", "sdb", "CRITICAL", "Disk sdb ada pada putaran sebelumnya tetapi kini tidak ditemukan"),
    ]
    db_now = _host_hw(ram_gib=16, disks=("sda",))
    db_now["disks"][0]["health"] = "failed"
    hostvars[DB] = {"siak_assess_hardware": _fact(db_now, _host_hw())}
    # ws03: down in step 2 (no hardware reading).
    records += _reach(WS, ok=False)
    hostvars[WS] = {"siak_assess_hardware": dict(_fact(None, not_applicable=(), checked=False),
                                                 note="Tidak diperiksa: Target tidak dapat dihubungi")}
    # The switch: PS2 not present (informational), all fine.
    records += R.siak_reach_records({"elapsed": 0}, 2, SW, "port") + [
        _rec(SW, "hw-system", "system", "OK", "Cisco WS-C2960X-48TS-L", value="WS-C2960X-48TS-L"),
        _rec(SW, "hw-power", "PS1", "OK", "Catu daya PS1 baik"),
        _rec(SW, "hw-power", "PS2", "OK", "Catu daya PS2 tidak terpasang"),
        _rec(SW, "hw-fan", "Fan 1", "OK", "Kipas Fan 1 baik"),
        _rec(SW, "hw-temp", "System Temperature", "OK", "Suhu 38 °C"),
    ]
    hostvars[SW] = {"siak_assess_hardware": _fact(_switch_hw(), None, ())}
    # ws01: the hardware check switched off.
    records += _reach(VM)
    hostvars[VM] = {"siak_assess_hardware": dict(_fact(None, not_applicable=(), checked=False),
                                                 note="Pemeriksaan perangkat keras dimatikan")}
    targets = [APP, DB, WS, SW, VM]
    return hostvars, targets, records


def _rows(section, records, target):
    return HW.device_rows(section[target], [r for r in records if r["target"] == target])


def test_a_healthy_host_is_baik_with_its_rows_in_the_sops_terms():
    hostvars, targets, records = _round()
    section = HW.siak_hardware_section(hostvars, targets, records)
    assert section[APP]["grade"] == "Baik" and section[APP]["grade_en"] == "Good"
    rows = _rows(section, records, APP)
    assert [r["label"] for r in rows] == ["Sistem", "Prosesor", "Memori (RAM)", "Disk sda", "Disk sdb", "RAID md0",
                                          "Suhu coretemp Package id 0", "Jaringan eno1", "Jaringan eno2", "UPS"]
    assert [r["mark"] for r in rows] == ["Baik"] * 9 + ["Tidak berlaku"]
    ups = rows[-1]
    assert ups["note"] == "UPS tidak dikonfigurasi" and ups["status"] is None and ups["found"] == "-"
    by_label = {r["label"]: r for r in rows}
    assert by_label["Sistem"]["found"] == "Dell Inc. PowerEdge R640, nomor seri 7XK2N53"
    assert by_label["Prosesor"]["found"] == "Intel(R) Xeon(R) Silver 4110 CPU @ 2.10GHz, 1 soket, 8 inti, 16 thread"
    assert by_label["Memori (RAM)"]["found"] == "32 GiB" == by_label["Memori (RAM)"]["previous"]
    assert by_label["Disk sda"]["found"] == "ST1000NM0033, 1.000 GB, nomor seri Z1W0, SMART lulus"
    assert by_label["Suhu coretemp Package id 0"]["found"] == "45 °C (tinggi 80 °C, kritis 100 °C)"
    assert by_label["Jaringan eno1"]["found"] == "terhubung, 1.000 Mb/s, full duplex; galat terima 0 / kirim 0"
    assert by_label["Jaringan eno2"]["found"].startswith("tidak terhubung")
    assert by_label["RAID md0"]["expected"] == "Semua anggota array aktif (tidak terdegradasi)"
    assert all(r["expected"] for r in rows)


def test_a_failing_disk_a_vanished_disk_and_shrunk_ram_make_rusak_beside_the_previous_round():
    hostvars, targets, records = _round()
    section = HW.siak_hardware_section(hostvars, targets, records)
    assert section[DB]["grade"] == "Rusak"
    assert "Disk sda: SMART gagal" in section[DB]["reason"]
    rows = {r["label"]: r for r in _rows(section, records, DB)}
    assert rows["Disk sdb"]["found"] == "tidak ada" and rows["Disk sdb"]["previous"].startswith("ST1000NM0033")
    assert rows["Disk sdb"]["mark"] == "Tidak" and rows["Disk sdb"]["status"] == "CRITICAL"
    assert rows["Disk sda"]["found"].endswith("SMART gagal")
    assert (rows["Memori (RAM)"]["found"], rows["Memori (RAM)"]["previous"]) == ("16 GiB", "32 GiB")


def test_a_host_that_is_down_is_rusak_with_one_row_saying_why():
    hostvars, targets, records = _round()
    section = HW.siak_hardware_section(hostvars, targets, records)
    assert section[WS]["grade"] == "Rusak" and section[WS]["checked"] is False
    [row] = _rows(section, records, WS)
    assert row["kind"] == "unreachable" and row["mark"] == "Tidak"
    assert row["note"].startswith("Target tidak dapat dihubungi: ssh: connect to host 198.18.0.23")


def test_hardware_not_read_is_never_baik():
    hostvars, targets, records = _round()
    section = HW.siak_hardware_section(hostvars, targets, records)
    # Switched off: "tidak diperiksa", Kurang.
    assert section[VM]["grade"] == "Kurang" and section[VM]["note"] == "Pemeriksaan perangkat keras dimatikan"
    [row] = _rows(section, records, VM)
    assert (row["found"], row["mark"], row["note"]) == ("Tidak diperiksa", "Tidak", "Pemeriksaan perangkat keras dimatikan")
    # No step-2 fact at all (a report without step 2): Kurang, saying so.
    alone = HW.siak_hardware_section({}, [APP], _reach(APP))
    assert alone[APP]["grade"] == "Kurang" and alone[APP]["checked"] is False
    assert alone[APP]["hardware"] is None and alone[APP]["asset"] == {"number": "", "location": "", "year": "", "owner": ""}
    # The module ran but gave nothing a row could show (e.g. only a host-key record): Kurang, naming it.
    key = record("switch", "ssh", "UNKNOWN", "Kunci host switch tidak dikenal", step=2, target=SW)
    only_key = HW.siak_hardware_section({SW: {"siak_assess_hardware": _fact(None, None, ())}}, [SW],
                                        R.siak_reach_records({"elapsed": 0}, 2, SW, "port") + [key])
    assert only_key[SW]["grade"] == "Kurang" and "Kunci host switch tidak dikenal" in only_key[SW]["reason"]
    # A host that answers but runs no module: the reason is step 2's.
    no_module = R.siak_reach_records({"failed": True, "msg": "The module interpreter '/usr/bin/python3' was not found."},
                                     2, APP)
    section = HW.siak_hardware_section({APP: {"siak_assess_hardware": dict(_fact(None, checked=False), note="x")}},
                                       [APP], no_module)
    assert section[APP]["grade"] == "Kurang"
    assert "modul Ansible tidak dapat dijalankan" in section[APP]["reason"]


def test_a_hardware_module_that_failed_is_one_unknown_of_the_systems_identity_and_the_host_stays_reachable():
    ran = [dict(r) for r in _app_records() if r["category"] == "hw-system"]
    for result in ({"failed": True, "msg": "The module siak_host_hardware was not found in configured module paths"},
                   {"unreachable": True, "msg": "ssh: connect to host x port 22: Connection timed out"},
                   {"failed": True, "module_stderr": "Traceback (most recent call last):\nKeyError: 'x'", "msg": "MODULE FAILURE"},
                   {"changed": False, "records": []}):
        failed = R.siak_hardware_records(result, 2, APP)
        assert [(r["category"], r["item"]) for r in failed] == [(r["category"], r["item"]) for r in ran] == [R.HW_IDENTITY]
        assert failed[0]["status"] == "UNKNOWN" and validate(failed[0]) == []
        step2 = _reach(APP) + failed
        assert R.siak_reach_reason(step2) == ""  # reachable for step 3
        section = HW.siak_hardware_section({APP: {"siak_assess_hardware": _fact(None, None, ())}}, [APP], step2)
        assert section[APP]["grade"] == "Kurang"
    assert "KeyError: 'x'" in R.siak_hardware_records(
        {"failed": True, "module_stderr": "Traceback (most recent call last):\nKeyError: 'x'", "msg": "MODULE FAILURE"},
        2, APP)[0]["message"]
    records = [{k: v for k, v in r.items() if k not in ("step", "target")} for r in _app_records()[2:]]
    assert R.siak_hardware_records({"records": records}, 2, APP) == _app_records()[2:]


def test_a_switch_with_a_bay_not_present_is_baik_and_shows_os_and_uptime():
    hostvars, targets, records = _round()
    section = HW.siak_hardware_section(hostvars, targets, records)
    assert section[SW]["grade"] == "Baik" and section[SW]["previous_hardware"] is None
    rows = {r["label"]: r for r in _rows(section, records, SW)}
    assert set(rows) == {"Sistem", "Catu daya PS1", "Catu daya PS2", "Kipas Fan 1", "Suhu System Temperature"}
    assert rows["Sistem"]["found"] == ("Cisco WS-C2960X-48TS-L, nomor seri FOC1932X0AB, versi OS 15.2(7)E3, "
                                       "hidup 3 hari 2 jam")
    assert rows["Catu daya PS2"]["found"] == "Not Present" and rows["Catu daya PS2"]["mark"] == "Baik"
    assert all(r["previous"] == "-" for r in rows.values())  # a first round: nothing to compare with


def test_a_warning_or_unknown_row_is_kurang_and_critical_is_rusak():
    rows = [{"kind": "record", "status": "OK", "label": "a", "note": ""},
            {"kind": "not_applicable", "status": None, "label": "b", "note": ""}]
    assert HW.device_grade(rows)[0] == "Baik"
    assert HW.device_grade(rows + [{"kind": "record", "status": "UNKNOWN", "label": "c", "note": "?"}])[0] == "Kurang"
    assert HW.device_grade(rows + [{"kind": "record", "status": "WARNING", "label": "c", "note": "!"}]) == ("Kurang",
                                                                                                          "c: !")
    assert HW.device_grade(rows + [{"kind": "record", "status": "CRITICAL", "label": "c", "note": "!!"}])[0] == "Rusak"
    assert HW.device_grade([])[0] == "Kurang"


def test_the_grade_rules_are_data_and_the_legend_prints_them():
    assert [r["grade"] for r in HW.HW_GRADE_RULES] == ["Rusak", "Rusak", "Kurang"]
    legend = HW.siak_hardware_legend("id")
    assert [entry["grade"] for entry in legend] == ["Baik", "Kurang", "Rusak"]
    assert legend[0]["text"] == "semua butir baik atau tidak berlaku"
    assert "tidak dapat dihubungi" in legend[2]["text"] and "kritis" in legend[2]["text"]
    assert all(entry["text"] for entry in HW.siak_hardware_legend("en"))


def test_asset_data_comes_from_the_inventory_and_missing_is_empty():
    hostvars, targets, records = _round()
    section = HW.siak_hardware_section(hostvars, targets, records)
    assert section[APP]["asset"] == {"number": "02.06.03.02.001", "location": "Ruang server lantai 1", "year": "2019",
                                     "owner": "Kepala Bidang PIAK"}
    assert section[SW]["asset"] == {"number": "", "location": "", "year": "", "owner": ""}
    # What step 2 noted serves when the inventory is not at hand.
    noted = dict(_fact(_host_hw()), asset={"number": "X-1", "location": "", "year": "", "owner": ""})
    assert HW.siak_hardware_section({APP: {"siak_assess_hardware": noted}}, [APP], _app_records())[APP]["asset"]["number"] == "X-1"


class _HostVars(dict):
    """Like Ansible's hostvars: a missing key raises, a value may be of a str subclass."""


def test_the_checklist_keeps_the_reports_order_and_groups():
    hostvars, targets, records = _round()
    section = HW.siak_hardware_section(_HostVars(hostvars), targets, records)
    summary = S.siak_summary(records, targets, None, {"app": [APP], "db": [DB], "workstations": [WS, VM],
                                                      "switches": [SW]})
    checklist = HW.siak_hardware_checklist(section, records, summary["targets"])
    assert [(d["target"], d["group"]) for d in checklist["devices"]] == [
        (APP, "Server aplikasi"), (DB, "Server basis data"), (VM, "Komputer loket"), (WS, "Komputer loket"),
        (SW, "Switch")]
    assert checklist["grade_counts"] == {"Baik": 2, "Kurang": 1, "Rusak": 2}
    assert [a["label"] for a in checklist["devices"][0]["asset_rows"]] == [
        "Nomor inventaris barang", "Ruang / lokasi", "Tahun pengadaan", "Penanggung jawab"]
    assert checklist["devices"][0]["first_round"] is False and checklist["devices"][4]["first_round"] is True


def test_results_json_with_the_hardware_section_conforms_to_the_schema():
    hostvars, targets, records = _round()
    section = HW.siak_hardware_section(hostvars, targets, records)
    summary = S.siak_summary(records, targets)
    header = dict(RD.siak_round_header({"sop_code": "005/SOP/DKPS/II/2024"}, "2026-11-25T10:00:07", "WITA", "admin", "a1b2"),
                  finished="2026-11-25T10:35:00", previous=None, step_started={})
    document = json.loads(json.dumps(RD.siak_results_document(header, summary, records, section)))
    assert results_problems(document) == []
    assert set(document["hardware"]) == set(targets)
    assert set(document["hardware"][APP]) == {"checked", "note", "hardware", "previous_hardware", "not_applicable",
                                              "asset", "grade", "grade_en", "reason"}
    assert document["hardware"][APP]["not_applicable"] == [NA_UPS]
    # Without hardware data the section is empty, and still conforms.
    assert results_problems(json.loads(json.dumps(RD.siak_results_document(header, summary, records)))) == []
    broken = json.loads(json.dumps(document))
    broken["hardware"][APP]["grade"] = "Cukup"  # the hardware checklist has no Cukup
    assert results_problems(broken)
    broken = json.loads(json.dumps(document))
    del broken["hardware"][APP]["asset"]["owner"]
    assert results_problems(broken)
    broken = json.loads(json.dumps(document))
    broken["hardware"][APP]["not_applicable"][0].pop("reason")
    assert results_problems(broken)


def test_only_step_two_hardware_records_are_rows():
    step3_raid = record("raid", "md0", "CRITICAL", "RAID md0 terdegradasi", step=3, target=APP)
    assert HW.is_hardware_record(_app_records()[-1]) and not HW.is_hardware_record(step3_raid)
    assert not HW.is_hardware_record(_reach(APP)[0])
    section = HW.siak_hardware_section({APP: {"siak_assess_hardware": _fact(_host_hw())}}, [APP],
                                       _app_records() + [step3_raid])
    assert section[APP]["grade"] == "Baik"  # step 3 judges its own RAID; the checklist is step 2's


@pytest.mark.parametrize("text, expected", [
    ("", {}), ("not json", {}), ("[1, 2]", {}), ('{"hardware": "x"}', {}),
    ('{"hardware": {"cpu": {"cores": 8}}, "nics": {"eno1": {"rx_errors": 0}}}',
     {"hardware": {"cpu": {"cores": 8}}, "nics": {"eno1": {"rx_errors": 0}}}),
])
def test_the_hardware_state_is_loaded_or_counts_as_a_first_round(text, expected):
    assert ST.siak_state_load(text, "hardware", APP) == expected


def test_the_report_commits_step_twos_hardware_state_beside_step_threes():
    hostvars = {APP: {"siak_assess_state_new": {"path": "/s/hardware/siak-app01.json", "state": {"hardware": {}}},
                      "siak_host_check_state_new": {"path": "/s/hosts/siak-app01.json", "state": {"time": 1}}},
                SW: {"siak_assess_state_new": {"path": "/s/hardware/sw-core01.json", "state": {"hardware": {}}},
                     "siak_switch_check_state_new": {"path": "/s/switches/sw-core01.json", "state": {"schema": 1}}}}
    paths = [s["path"] for s in ST.siak_pending_states(hostvars, [APP, SW])]
    assert paths == ["/s/hardware/siak-app01.json", "/s/hosts/siak-app01.json", "/s/hardware/sw-core01.json",
                     "/s/switches/sw-core01.json"]


def test_a_row_the_snapshot_does_not_describe_shows_the_records_value_and_unit_in_indonesian():
    hostvars, targets, records = _round()
    records.append(_rec(APP, "hw-temp", "acpitz temp1", "OK", "Suhu 51 °C", value=51.0, unit="C", warn=80.0, crit=95.0))
    section = HW.siak_hardware_section(hostvars, targets, records)
    row = {r["label"]: r for r in _rows(section, records, APP)}["Suhu acpitz temp1"]
    assert row["found"] == "51 °C"          # "C" in results.json


def test_a_switch_sensor_that_tells_only_its_verdict_shows_the_verdict():
    """A Catalyst 2960's "TEMPERATURE is OK" (no degrees), through the real parser and judge."""
    from ansible.module_utils import siak_switch_hw as SWHW
    from ansible.module_utils import siak_switch_parse as SWP

    from .switch_fixtures import fixture, outputs_for
    outputs = dict(outputs_for("cisco_ios"), **{"show environment all": fixture("cisco_ios", "show environment all",
                                                                                 "assembled")})
    model = SWP.collect("cisco_ios", outputs, ["environment"])
    records, hardware, not_applicable = SWHW.judge_environment(model)
    assert hardware["sensors"] == [{"label": "System", "celsius": None, "high": None, "crit": None, "state": "ok"}]
    records = [dict(r, step=2, target=SW) for r in records]
    hostvars = {SW: {"siak_assess_hardware": _fact(hardware, None, not_applicable)}}
    section = HW.siak_hardware_section(hostvars, [SW], records)
    rows = {r["label"]: r for r in _rows(section, records, SW)}
    assert rows["Suhu"]["found"] == "normal menurut switch" and rows["Suhu"]["mark"] == "Baik"
    assert rows["Catu daya PS 3"]["mark"] == "Baik" and section[SW]["grade"] == "Baik"
