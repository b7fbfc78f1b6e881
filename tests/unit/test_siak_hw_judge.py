"""Judging the hardware checklist (module_utils/siak_hw_judge.py): raw readings -> records.

Raw readings come from the collectors over the captured fixtures (tests/unit/fixtures/hardware/)
where they exist; the variants built here say so.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from ansible.module_utils import siak_hw_judge as J
from ansible.module_utils import siak_hw_parse as P
from ansible.module_utils.siak_host_parse import parse_mdstat
from ansible.module_utils.siak_result import validate

FIXTURES = Path(__file__).parent / "fixtures" / "hardware"
P_DEFAULTS = dict(J.DEFAULTS)


def fixture(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def smart_json(name):
    return P.parse_smartctl_json(fixture("smartctl/" + name))


def base_raw(**changes):
    """A physical server's raw readings (values of the fixtures), changed by ``changes``."""
    raw = {
        "system": {"vendor": "Dell Inc.", "model": "PowerEdge R6515", "serial": "7N62AI2", "version": None,
                   "virtual": False, "source": "sysfs", "serial_readable": True},
        "cpu": P.parse_cpuinfo(fixture("cpu/cpuinfo.two-sockets.handwritten.txt")),
        "memory": {"total_bytes": 32 * 1024 ** 3},
        "disks": [{"name": "sda", "model": "OOS12000G", "serial": None, "size_bytes": 12000138625024, "kind": "ata",
                   "smart": P.parse_smartctl_text(fixture("smartctl/pysmart_sata_hdd_0_issue42_ata_all.txt"))}],
        "smartctl": "/usr/sbin/smartctl",
        "raid": parse_mdstat(fixture("mdstat/pymdstat_mdstat.04")),
        "sensors": {"sensors": [{"label": "coretemp Physical id 0", "celsius": 55.0, "high": 84.0, "crit": 100.0,
                                 "source": "hwmon0"}], "unusable": []},
        "nics": [{"name": "ens10f0", "up": True, "operstate": "up", "speed_mbps": 1000, "duplex": "full",
                  "rx_errors": 0, "tx_errors": 0}],
        "ups": [{"name": "ups@localhost", "values": P.parse_upsc(fixture("upsc/telegraf_CyberPowerSystems_CP900EPFCLCD_variables.dev"))}],
    }
    raw.update(changes)
    return raw


def judge(raw, previous=None, **params):
    p = dict(P_DEFAULTS)
    p.update(params)
    return J.judge_hardware(raw, p, previous)


def by_item(records, category):
    return {r["item"]: r for r in records if r["category"] == category}


def test_a_healthy_server_is_all_ok_and_every_record_keeps_the_contract():
    records, hardware, na = judge(base_raw())
    assert {r["status"] for r in records} == {"OK"}
    assert [(r["category"], r["item"]) for r in records][:3] == [("hw-system", "system"), ("hw-cpu", "cpu"), ("hw-memory", "ram")]
    assert {r["category"] for r in records} == {"hw-system", "hw-cpu", "hw-memory", "hw-disk", "raid", "hw-temp", "hw-net", "hw-ups"}
    for rec in records:
        stamped = dict(rec, step=2, target="siak-app01")
        assert validate(stamped) == [], rec
        assert rec["message"] and rec["message_en"]
    assert na == []
    json.dumps(hardware)
    assert set(hardware) == {"system", "cpu", "memory", "disks", "raid", "sensors", "nics", "ups"}
    assert hardware["system"] == {"vendor": "Dell Inc.", "model": "PowerEdge R6515", "serial": "7N62AI2", "virtual": False}
    assert hardware["cpu"] == {"model": "Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz", "sockets": 2, "cores": 4, "threads": 8}
    assert hardware["disks"] == [{"name": "sda", "model": "OOS12000G", "serial": "00008AXB", "size_bytes": 12000138625024,
                                  "kind": "ata", "health": "passed"}]
    assert hardware["raid"][0] == {"name": "md1", "level": "raid1", "state": "healthy"}
    assert hardware["sensors"] == [{"label": "coretemp Physical id 0", "celsius": 55.0, "high": 84.0, "crit": 100.0}]
    assert hardware["nics"] == [{"name": "ens10f0", "up": True, "speed_mbps": 1000, "duplex": "full", "rx_errors": 0, "tx_errors": 0}]
    assert hardware["ups"] == [{"name": "ups@localhost", "status": "OL", "charge_pct": 100.0}]


def test_system_record_is_informational():
    rec = J.judge_system(base_raw()["system"])[0]
    assert (rec["category"], rec["item"], rec["status"], rec["value"]) == ("hw-system", "system", "OK", "Dell Inc. PowerEdge R6515")
    assert rec["message"] == "Dell Inc. PowerEdge R6515, nomor seri 7N62AI2 (mesin fisik)."
    vm = J.judge_system({"vendor": None, "model": None, "serial": None, "virtual": True})[0]
    assert vm["status"] == "OK" and vm["message"] == "Data DMI tidak terbaca (mesin virtual)."


# --- disks ---------------------------------------------------------------------------------

def disk_record(smart=None, **disk):
    entry = {"name": "sda", "model": "M", "serial": None, "size_bytes": 500107862016, "kind": "ata"}
    entry.update(disk)
    if smart is not None:
        entry["smart"] = smart
    return J.judge_disk(entry, P_DEFAULTS)


def test_disk_ata_passed():
    (rec,), na = disk_record(P.parse_smartctl_text(fixture("smartctl/pysmart_sata_hdd_0_issue42_ata_all.txt")))
    assert na == [] and rec["status"] == "OK" and rec["value"] == "passed"
    assert rec["message"] == "Disk sda (M, 500,1 GB): SMART baik, suhu 38,0 °C."


def test_disk_ata_passed_with_reallocated_sectors_is_a_warning():
    (rec,), _na = disk_record(smart_json("smartctl_exporter_ST3500418AS_12.json"))
    assert rec["status"] == "WARNING"
    assert "sektor dialokasikan ulang 304" in rec["message"]
    assert rec["details"]["reallocated"] == 304


def test_disk_ata_with_pending_sectors_and_a_failed_self_test():
    smart = P.parse_smartctl_text(fixture("smartctl/linuxfabrik_st12000vn0007-v2_xall.txt"), 0x80)
    (rec,), _na = disk_record(smart)
    assert rec["status"] == "WARNING"
    assert "sektor tertunda (pending) 8" in rec["message"]
    assert "sektor tak terkoreksi 8" in rec["message"]
    assert "log tes mandiri mencatat kesalahan" in rec["message"]


def test_disk_failing_verdict_is_critical():
    out = ("SMART overall-health self-assessment test result: FAILED!\n"
           "ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE\n"
           "  5 Reallocated_Sector_Ct   0x0033   001   001   036    Pre-fail  Always   FAILING_NOW 34812\n")
    (rec,), _na = disk_record(P.parse_smartctl_text(out, 0x18))
    assert rec["status"] == "CRITICAL" and rec["value"] == "failed"
    assert rec["message"].startswith("Disk sda (M, 500,1 GB): SMART menyatakan disk GAGAL")


def test_nvme_critical_warning_is_critical():
    (rec,), _na = disk_record(smart_json("smartctl_exporter_nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json"), name="nvme0n1", kind="nvme")
    assert rec["status"] == "CRITICAL" and rec["item"] == "nvme0n1"
    assert "peringatan kritis NVMe 0x10 (volatile_memory_backup_failed)" in rec["message"]


@pytest.mark.parametrize("used, status", [(75, "OK"), (85, "WARNING"), (100, "CRITICAL")])
def test_nvme_percentage_used(used, status):
    smart = smart_json("smartctl_exporter_nvme-null-INTEL_SSDPE2KX020T7-nvme6.json")  # 75 % (85 and 100 derived)
    smart["nvme_percentage_used"] = used
    (rec,), _na = disk_record(smart, name="nvme0n1", kind="nvme")
    assert rec["status"] == status
    if status != "OK":
        assert "umur pakai NVMe terpakai %d%%" % used in rec["message"]


def test_nvme_text_passed():
    (rec,), _na = disk_record(P.parse_smartctl_text(fixture("smartctl/pysmart_nvme_0_nvme_all.txt")), name="nvme0n1", kind="nvme")
    assert rec["status"] == "OK"


@pytest.mark.parametrize("name", ["scrutiny_smart-raid.json"])
def test_device_without_smart_is_not_applicable(name):
    records, na = disk_record(smart_json(name), name="sdb", kind="scsi")
    assert records == []
    assert na == [{"category": "hw-disk", "item": "sdb", "reason": "perangkat tidak mendukung SMART (mis. volume RAID perangkat keras)",
                   "reason_en": "the device has no SMART (e.g. a hardware RAID volume)"}]


def test_device_without_smart_text_is_not_applicable():
    records, na = disk_record(P.parse_smartctl_text(fixture("smartctl/linuxfabrik_empty-output-v2_perc-h710-vd.txt")), kind="scsi")
    assert records == [] and na[0]["item"] == "sda"


def test_virtual_disk_is_not_applicable():
    records, na = disk_record(name="vda", kind="virtual")
    assert records == []
    assert na == [{"category": "hw-disk", "item": "vda", "reason": "disk virtual: tidak ada SMART", "reason_en": "virtual disk: no SMART"}]


@pytest.mark.parametrize("error, text", [("missing", "smartctl tidak terpasang"), ("privilege", "smartctl butuh hak root (become)"),
                                         ("timeout", "smartctl tidak menjawab dalam batas waktu")])
def test_disk_that_cannot_be_read_is_unknown(error, text):
    (rec,), na = disk_record(smart_error=error)
    assert na == [] and rec["status"] == "UNKNOWN"
    assert rec["message"] == "Disk sda (M, 500,1 GB): %s." % text


def test_disk_gone_since_the_previous_round_is_critical():
    previous = {"disks": [{"name": "sda", "model": "ST3500418AS", "serial": "X1", "size_bytes": 500107862016, "kind": "ata", "health": "passed"},
                          {"name": "sdb", "model": "ST3500418AS", "serial": "X2", "size_bytes": 500107862016, "kind": "ata", "health": "passed"}]}
    records, _hw, _na = judge(base_raw(), previous)
    gone = by_item(records, "hw-disk")["sdb"]
    assert gone["status"] == "CRITICAL" and gone["value"] == "missing"
    assert gone["message"] == "Disk sdb (ST3500418AS, 500,1 GB, nomor seri X2) ada pada ronde sebelumnya, sekarang tidak ditemukan."
    assert by_item(records, "hw-disk")["sda"]["status"] == "OK"


# --- RAID (step 3's judge) -----------------------------------------------------------------

@pytest.mark.parametrize("name, statuses", [
    ("pymdstat_mdstat.04", {"md1": "OK", "md2": "OK", "md3": "OK", "md0": "OK"}),
    ("pymdstat_mdstat.03", {"md0": "CRITICAL"}),
    ("pymdstat_mdstat.07", None),
    ("pymdstat_mdstat.05", {"md127": "WARNING"}),
])
def test_raid_healthy_degraded_recovering(name, statuses):
    records, na = J.judge_raid_arrays(parse_mdstat(fixture("mdstat/" + name)), None)
    assert na == []
    found = {r["item"]: r["status"] for r in records}
    if statuses is None:  # a degraded RAID1 with a failed member
        assert set(found.values()) == {"CRITICAL"}
    else:
        assert {k: v for k, v in found.items() if k in statuses} == statuses
    assert all(r["category"] == "raid" for r in records)


def test_raid_recovering_names_its_progress():
    (rec,), _na = J.judge_raid_arrays(parse_mdstat(fixture("mdstat/pymdstat_mdstat.05")), None)
    assert "recovery 12,6%" in rec["message"] and "127.5min" in rec["message"]


def test_raid_not_applicable_without_md_or_arrays():
    assert J.judge_raid_arrays(None, None) == ([], [{"category": "raid", "item": "md", "reason": "tidak ada RAID perangkat lunak (driver md tidak dimuat)",
                                                   "reason_en": "no software RAID (md driver not loaded)"}])
    records, na = J.judge_raid_arrays(parse_mdstat(fixture("mdstat/pymdstat_mdstat.01")), None)
    assert records == [] and na[0]["reason"] == "tidak ada larik RAID perangkat lunak"


def test_raid_array_gone_since_the_previous_round():
    records, _na = J.judge_raid_arrays(None, {"raid": [{"name": "md0", "level": "raid1", "state": "healthy"}]})
    assert [(r["item"], r["status"]) for r in records] == [("md0", "CRITICAL")]


# --- temperatures --------------------------------------------------------------------------

@pytest.mark.parametrize("celsius, high, crit, status, warn", [
    (55.0, 84.0, 100.0, "OK", 84.0),          # coretemp fixture
    (84.0, 84.0, 100.0, "WARNING", 84.0),
    (100.0, 84.0, 100.0, "CRITICAL", 84.0),
    (43.85, 84.85, 94.85, "OK", 84.85),       # nvme Composite fixture
    (90.0, None, 94.85, "WARNING", 89.85),    # only a critical point: crit - 5
    (89.0, None, 94.85, "OK", 89.85),
    (49.925, None, None, "OK", None),         # thermal_zone0 fixture: no trip point
])
def test_temperature_against_its_own_points(celsius, high, crit, status, warn):
    rec = J.judge_sensor({"label": "s", "celsius": celsius, "high": high, "crit": crit}, 5.0)
    assert rec["status"] == status
    assert rec["warn"] == pytest.approx(warn) if warn is not None else rec["warn"] is None
    assert rec["crit"] == crit and rec["unit"] == "C"


def test_temperature_wording():
    rec = J.judge_sensor({"label": "coretemp Physical id 0", "celsius": 55.0, "high": 84.0, "crit": 100.0}, 5.0)
    assert rec["message"] == "Suhu coretemp Physical id 0 55,0 °C (batas tinggi 84,0 °C, batas kritis 100,0 °C)."
    assert rec["item"] == "coretemp Physical id 0" and rec["category"] == "hw-temp"


def test_sensors_not_applicable_or_unknown():
    records, na = J.judge_sensors({"sensors": [], "unusable": [{"label": "thermal_zone1 acpitz", "raw": "-44000"}]}, False, 5.0)
    assert records == [] and na == [{"category": "hw-temp", "item": "thermal_zone1 acpitz",
                                     "reason": "sensor tidak memberi nilai yang masuk akal (-44000)",
                                     "reason_en": "the sensor gives no plausible reading (-44000)"}]
    records, na = J.judge_sensors({"sensors": [], "unusable": []}, True, 5.0)
    assert records == [] and na[0]["reason"] == "mesin virtual: tidak ada sensor suhu"
    records, na = J.judge_sensors({"sensors": [], "unusable": []}, False, 5.0)
    assert na == [] and records[0]["status"] == "UNKNOWN"


# --- network interfaces --------------------------------------------------------------------

NIC = {"name": "ens10f0", "up": True, "speed_mbps": 1000, "duplex": "full", "rx_errors": 0, "tx_errors": 0}


def test_nic_up_full_duplex():
    rec = J.judge_nic(NIC, None)
    assert rec["status"] == "OK" and rec["message"] == "Jaringan ens10f0 terhubung, 1000 Mbps full."


def test_nic_half_duplex_is_a_warning():
    rec = J.judge_nic(dict(NIC, duplex="half"), None)
    assert rec["status"] == "WARNING" and "half duplex" in rec["message"]


def test_nic_errors_grown_since_the_previous_round():
    rec = J.judge_nic(dict(NIC, rx_errors=12), dict(NIC, rx_errors=2))
    assert rec["status"] == "WARNING"
    assert "kesalahan bertambah sejak ronde sebelumnya: rx +10, tx +0" in rec["message"]
    assert J.judge_nic(dict(NIC, rx_errors=12), dict(NIC, rx_errors=12))["status"] == "OK"


def test_nic_counters_reset_are_not_compared():
    rec = J.judge_nic(dict(NIC, rx_errors=0), dict(NIC, rx_errors=40))
    assert rec["status"] == "OK" and "direset" in rec["message"]


def test_nic_down():
    down = dict(NIC, up=False, speed_mbps=None, duplex=None)
    went_down = J.judge_nic(down, NIC)
    assert went_down["status"] == "WARNING" and went_down["message"] == "Jaringan ens10f0 terputus (ronde sebelumnya terhubung)."
    never = J.judge_nic(down, None)
    assert never["status"] == "OK" and never["message"] == "Jaringan ens10f0 tidak terhubung."
    assert J.judge_nic(down, down)["status"] == "OK"


def test_no_physical_nic_is_not_applicable():
    assert J.judge_nics([], None) == ([], [{"category": "hw-net", "item": "nic", "reason": "tidak ada antarmuka jaringan fisik",
                                            "reason_en": "no physical network interface"}])


# --- UPS -----------------------------------------------------------------------------------

def ups(text=None, **entry):
    values = P.parse_upsc(fixture("upsc/telegraf_CyberPowerSystems_CP900EPFCLCD_variables.dev"))
    if text:
        values.update(P.parse_upsc(text))
    entry.setdefault("values", values)
    return J.judge_ups(dict({"name": "ups@localhost"}, **entry), 50.0, 20.0)


@pytest.mark.parametrize("text, status, words", [
    (None, "OK", "normal"),
    ("ups.status: OB DISCHRG\nbattery.charge: 80\n", "WARNING", "berjalan dengan baterai"),
    ("ups.status: OB DISCHRG LB\nbattery.charge: 30\n", "CRITICAL", "baterai lemah"),
    ("ups.status: OL CHRG\nbattery.charge: 15\n", "CRITICAL", "muatan baterai 15,0%"),
    ("ups.status: OL CHRG\nbattery.charge: 45\n", "WARNING", "muatan baterai 45,0%"),
    ("ups.status: OL RB\n", "WARNING", "baterai perlu diganti"),
])
def test_ups_states(text, status, words):
    rec = ups(text)
    assert rec["status"] == status and words in rec["message"]
    assert (rec["category"], rec["item"]) == ("hw-ups", "ups@localhost")


def test_ups_that_cannot_be_read_is_unknown():
    rec = ups(error="Error: Connection failure: Connection refused")
    assert rec["status"] == "UNKNOWN"
    assert rec["message"] == "UPS ups@localhost tidak dapat dibaca: upsc gagal: Error: Connection failure: Connection refused"
    assert ups(error="missing")["message"] == "UPS ups@localhost tidak dapat dibaca: upsc tidak terpasang (paket nut-client)."


def test_no_ups_configured_is_not_applicable():
    _records, _hw, na = judge(base_raw(ups=[]))
    assert {"category": "hw-ups", "item": "ups", "reason": "UPS tidak dikonfigurasi", "reason_en": "no UPS configured"} in na


# --- CPU and memory against the previous round ---------------------------------------------

def test_fewer_cores_than_the_previous_round():
    _records, hardware, _na = judge(base_raw())
    before = copy.deepcopy(hardware)
    before["cpu"]["cores"] = 8
    records, _hw, _na = judge(base_raw(), before)
    rec = by_item(records, "hw-cpu")["cpu"]
    assert rec["status"] == "WARNING" and "jumlah inti berkurang dari 8" in rec["message"]


def test_ram_shrank_names_both_values():
    before = {"memory": {"total_bytes": 64 * 1024 ** 3}}
    rec = by_item(judge(base_raw(), before)[0], "hw-memory")["ram"]
    assert rec["status"] == "WARNING"
    assert rec["message"] == "RAM berkurang: 32,0 GiB, ronde sebelumnya 64,0 GiB."
    # a few MiB less (another kernel's reservation) is not a finding
    slightly = {"memory": {"total_bytes": 32 * 1024 ** 3 + 50 * 1024 ** 2}}
    assert by_item(judge(base_raw(), slightly)[0], "hw-memory")["ram"]["status"] == "OK"


def test_unreadable_cpu_and_memory_are_unknown():
    records, _hw, _na = judge(base_raw(cpu={"model": None, "sockets": None, "cores": None, "threads": None}, memory={"total_bytes": None}))
    assert by_item(records, "hw-cpu")["cpu"]["status"] == "UNKNOWN"
    assert by_item(records, "hw-memory")["ram"]["status"] == "UNKNOWN"


def test_a_malformed_previous_snapshot_is_ignored():
    records, _hw, _na = judge(base_raw(), {"disks": "nonsense", "memory": [], "nics": None})
    assert {r["status"] for r in records} == {"OK"}
