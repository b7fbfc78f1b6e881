"""Parsers of the hardware checklist (module_utils/siak_hw_parse.py) on captured output.

The fixtures are in tests/unit/fixtures/hardware/ (their sources in its README.md).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible.module_utils import siak_hw_parse as P

FIXTURES = Path(__file__).parent / "fixtures" / "hardware"
HOST_FIXTURES = Path(__file__).parent / "fixtures" / "host"


def text(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


# --- smartctl JSON (smartctl >= 7) ---------------------------------------------------------

def test_smartctl_json_ata_passed_with_reallocated_sectors():
    smart = P.parse_smartctl_json(text("smartctl/smartctl_exporter_ST3500418AS_12.json"))
    assert smart["model"] == "ST3500418AS"
    assert smart["size_bytes"] == 500107862016
    assert smart["protocol"] == "ATA" and smart["type"] == "sat"
    assert smart["smart_available"] is True
    assert smart["health"] == "passed"
    assert smart["exit_status"] == 0 and smart["exit_bits"] == []
    assert (smart["reallocated"], smart["pending"], smart["uncorrectable"]) == (304, 0, 0)
    assert smart["temperature"] == 33


def test_smartctl_json_nvme_failing_with_critical_warning():
    smart = P.parse_smartctl_json(text("smartctl/smartctl_exporter_nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json"))
    assert smart["model"] == "SAMSUNG MZWLL3T2HAJQ-00005"
    assert smart["size_bytes"] == 3200631791616  # nvme_total_capacity: no user_capacity
    assert smart["health"] == "failed"
    assert smart["exit_bits"] == ["failing"]
    assert smart["nvme_critical_warning"] == 16
    assert smart["nvme_warning_bits"] == ["volatile_memory_backup_failed"]
    assert smart["nvme_percentage_used"] == 0
    assert smart["temperature"] == 40


def test_smartctl_json_nvme_worn_but_passed():
    smart = P.parse_smartctl_json(text("smartctl/smartctl_exporter_nvme-null-INTEL_SSDPE2KX020T7-nvme6.json"))
    assert smart["health"] == "passed"
    assert smart["nvme_critical_warning"] == 0 and smart["nvme_warning_bits"] == []
    assert smart["nvme_percentage_used"] == 75
    assert smart["temperature"] == 19


def test_smartctl_json_raid_volume_has_no_smart():
    smart = P.parse_smartctl_json(text("smartctl/scrutiny_smart-raid.json"))
    assert smart["model"] == "Intel Raid 1 Volume"
    assert smart["smart_available"] is False
    assert smart["health"] is None
    assert smart["exit_bits"] == ["command"]
    assert smart["temperature"] is None  # 0 C is not a reading


def test_smartctl_json_behind_megaraid():
    smart = P.parse_smartctl_json(text("smartctl/scrutiny_smart-megaraid1.json"))
    assert smart["type"] == "sat+megaraid,1"
    assert smart["health"] == "passed"
    assert smart["reallocated"] == 387
    assert smart["messages"] == ["Warning: This result is based on an Attribute check."]


def test_smartctl_json_permission_denied():
    smart = P.parse_smartctl_json(text("smartctl/handwritten_permission-denied.json"))
    assert smart["exit_bits"] == ["open"]
    assert smart["health"] is None and smart["smart_available"] is None
    assert "Permission denied" in smart["messages"][0]


def test_smartctl_json_refuses_text():
    with pytest.raises(ValueError):
        P.parse_smartctl_json("=======> UNRECOGNIZED OPTION: json\n")
    with pytest.raises(ValueError):
        P.parse_smartctl_json('{"devices": []}')


# --- smartctl text (smartctl < 7) --------------------------------------------------------

def test_smartctl_text_ata_passed_classic_table():
    smart = P.parse_smartctl_text(text("smartctl/pysmart_sata_hdd_0_issue42_ata_all.txt"))
    assert smart["model"] == "OOS12000G"
    assert smart["serial"] == "00008AXB"
    assert smart["size_bytes"] == 12000138625024
    assert smart["health"] == "passed" and smart["protocol"] == "ATA"
    assert (smart["reallocated"], smart["pending"], smart["uncorrectable"]) == (0, 0, 0)
    assert smart["temperature"] == 38  # attribute 194, raw "38 (0 16 0 0 0)"


def test_smartctl_text_ata_pending_sectors():
    smart = P.parse_smartctl_text(text("smartctl/linuxfabrik_st12000vn0007-v2_xall.txt"), 0x80)
    assert smart["model"] == "ST12000VN0007-2GS116"
    assert smart["size_bytes"] == 12000138625024  # apostrophes as thousands separators
    assert smart["health"] == "passed"
    assert (smart["reallocated"], smart["pending"], smart["uncorrectable"]) == (0, 8, 8)
    assert smart["exit_bits"] == ["selftest_log"]


def test_smartctl_text_brief_format_of_smartctl_75():
    smart = P.parse_smartctl_text(text("smartctl/telegraf_seagateSATAInfoData75_brief.txt"))
    assert smart["model"] == "ST2000DM006-2DM164"
    assert smart["health"] == "passed"
    assert (smart["reallocated"], smart["pending"]) == (0, 0)
    assert smart["temperature"] == 33


def test_smartctl_text_ignores_bogus_pending_attribute():
    smart = P.parse_smartctl_text(text("smartctl/linuxfabrik_crucial-mx500-ct500_xall.txt"))
    assert smart["model"] == "CT500MX500SSD1"
    assert smart["pending"] is None  # Bogus_Current_Pend_Sect
    assert smart["reallocated"] == 0


def test_smartctl_text_nvme():
    smart = P.parse_smartctl_text(text("smartctl/pysmart_nvme_0_nvme_all.txt"))
    assert smart["model"] == "KBG30ZMV256G TOSHIBA"
    assert smart["protocol"] == "NVMe"
    assert smart["size_bytes"] == 256060514304
    assert smart["health"] == "passed"
    assert smart["nvme_critical_warning"] == 0
    assert smart["nvme_percentage_used"] == 28
    assert smart["temperature"] == 42


@pytest.mark.parametrize("name", ["linuxfabrik_empty-output-v2_perc-h710-vd.txt", "linuxfabrik_empty-output-v3_dell-virtual-disk.txt"])
def test_smartctl_text_device_without_smart(name):
    smart = P.parse_smartctl_text(text("smartctl/" + name))
    assert smart["smart_available"] is False
    assert smart["health"] is None
    assert smart["temperature"] is None  # "0 C" is no reading
    assert smart["protocol"] == "SCSI"


def test_smartctl_text_failed_verdict_and_failing_attribute():
    # The format of smartctl -H -A when the drive fails (smartctl(8)); values written by hand.
    out = ("SMART overall-health self-assessment test result: FAILED!\n"
           "Drive failure expected in less than 24 hours. SAVE ALL DATA.\n"
           "ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE\n"
           "  5 Reallocated_Sector_Ct   0x0033   001   001   036    Pre-fail  Always   FAILING_NOW 34812\n")
    smart = P.parse_smartctl_text(out, 0x18)
    assert smart["health"] == "failed"
    assert smart["reallocated"] == 34812
    assert smart["failing_attributes"] == [{"id": 5, "name": "Reallocated_Sector_Ct", "when_failed": "FAILING_NOW"}]
    assert smart["exit_bits"] == ["failing", "prefail"]


def test_exit_status_bits():
    assert P.decode_smart_exit(0) == []
    assert P.decode_smart_exit(None) == []
    assert P.decode_smart_exit(2) == ["open"]
    assert P.decode_smart_exit(0xC4) == ["command", "error_log", "selftest_log"]


def test_scan_json_and_text():
    scan_json = '{"devices": [{"name": "/dev/sda", "type": "sat"}, {"name": "/dev/nvme0", "type": "nvme"}]}'
    assert P.parse_smartctl_scan(scan_json) == {"/dev/sda": "sat", "/dev/nvme0": "nvme"}
    scan_text = ("/dev/sda -d sat # /dev/sda [SAT], ATA device\n"
                 "/dev/nvme0 -d nvme # /dev/nvme0, NVMe device\n"
                 "# /dev/sdb -d scsi # /dev/sdb, SCSI device open failed: Permission denied\n")
    assert P.parse_smartctl_scan(scan_text) == {"/dev/sda": "sat", "/dev/nvme0": "nvme"}


# --- CPU, memory, DMI --------------------------------------------------------------------

def test_cpuinfo_one_socket_virtual_machine():
    cpu = P.parse_cpuinfo(text("cpu/cpuinfo.admin-vm-amd-epyc.txt"))
    assert cpu == {"model": "AMD EPYC", "sockets": 1, "cores": 2, "threads": 2, "hypervisor": True}


def test_cpuinfo_two_sockets_with_hyperthreading():
    cpu = P.parse_cpuinfo(text("cpu/cpuinfo.two-sockets.handwritten.txt"))
    assert cpu == {"model": "Intel(R) Xeon(R) Silver 4210R CPU @ 2.40GHz", "sockets": 2, "cores": 4, "threads": 8,
                   "hypervisor": False}


def test_cpuinfo_without_topology():
    arm = ("processor\t: 0\nBogoMIPS\t: 48.00\nCPU part\t: 0xd08\n\nprocessor\t: 1\nBogoMIPS\t: 48.00\n\n"
           "Hardware\t: BCM2835\nModel\t\t: Raspberry Pi 4 Model B Rev 1.4\n")
    assert P.parse_cpuinfo(arm) == {"model": "Raspberry Pi 4 Model B Rev 1.4", "sockets": None, "cores": 2, "threads": 2,
                                    "hypervisor": False}


def test_memtotal():
    assert P.parse_memtotal((HOST_FIXTURES / "proc-meminfo.debian12.txt").read_text()) == 24684084 * 1024
    assert P.parse_memtotal("MemFree: 1 kB\n") is None


def test_dmidecode_system_of_a_server_and_a_vm():
    dell = P.parse_dmidecode_system(text("dmi/fusioninventory_dmidecode_dell-r640.txt"))
    assert dell == {"vendor": "Dell Inc.", "model": "PowerEdge R640", "serial": "2RJF153", "version": None}
    assert P.is_virtual_dmi(dell["vendor"], dell["model"]) is False
    vm = P.parse_dmidecode_system(text("dmi/fusioninventory_dmidecode_vmware.txt"))
    assert vm["vendor"] == "VMware, Inc." and vm["model"] == "VMware Virtual Platform"
    assert vm["serial"] == "VMware-50 0c 23 94 04 63 a1 3c-0d d4 f5 37 a6 bb f0 a6"
    assert vm["version"] is None  # "None"
    assert P.is_virtual_dmi(vm["vendor"], vm["model"]) is True


def test_dmi_sysfs_values():
    assert P.dmi_value(text("dmi/procfs_sys_class_dmi_id/product_serial")) == "7N62AI2"
    assert P.dmi_value(text("dmi/procfs_sys_class_dmi_id/product_version")) is None  # a bare newline
    assert P.dmi_value("To Be Filled By O.E.M.\n") is None
    assert P.dmi_value("  Default string ") is None


# --- sensors, network counters, UPS ---------------------------------------------------------

def test_millidegrees():
    assert P.millidegrees(text("hwmon/node_exporter_coretemp.0_hwmon0/temp1_input")) == 55.0
    assert P.millidegrees(text("hwmon/node_exporter_nvme0_hwmon3/temp1_input")) == 43.85
    assert P.millidegrees(text("hwmon/node_exporter_nvme0_hwmon3/temp2_max")) is None  # 65261850: no limit
    assert P.millidegrees(text("hwmon/node_exporter_nvme0_hwmon3/temp2_min")) is None  # -273150
    assert P.millidegrees(text("thermal/procfs_thermal_zone1/temp")) is None  # -44000: broken sensor
    assert P.millidegrees(text("thermal/procfs_thermal_zone0/temp")) == 49.925
    assert P.millidegrees("") is None


def test_sysfs_int():
    assert P.sysfs_int(text("net/node_exporter_ens10f0/speed")) == 1000
    assert P.sysfs_int("-1\n") is None
    assert P.sysfs_int(None) is None


def test_upsc_on_line():
    values = P.parse_upsc(text("upsc/telegraf_CyberPowerSystems_CP900EPFCLCD_variables.dev"))
    assert values["ups.status"] == "OL"
    assert values["battery.mfr.date"] == "CPS"
    assert P.ups_summary(values) == {"status": "OL", "flags": ["OL"], "charge_pct": 100.0, "runtime_s": 4020,
                                     "model": "CPS CP900EPFCLCD"}


def test_upsc_on_battery_low():
    summary = P.ups_summary(P.parse_upsc("battery.charge: 15\nups.status: OB DISCHRG LB\n"))
    assert summary["flags"] == ["OB", "DISCHRG", "LB"] and summary["charge_pct"] == 15.0
