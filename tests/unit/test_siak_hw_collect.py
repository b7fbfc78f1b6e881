"""Collectors of the hardware checklist (module_utils/siak_hw_collect.py).

Each test builds a fake root (/sys, /proc) in a temporary folder from the captured files in
tests/unit/fixtures/hardware/ and answers the commands (smartctl, upsc) from captures.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from ansible.module_utils import siak_hw_collect as C

FIXTURES = Path(__file__).parent / "fixtures" / "hardware"
HOST_FIXTURES = Path(__file__).parent / "fixtures" / "host"


class FakeHwHost(C.HwHost):
    """A HwHost over a fixture tree; ``commands`` {tool: function(argv) -> (rc, stdout, stderr)}."""

    def __init__(self, root, commands=None, euid=0):
        super().__init__(None, 10, root=str(root))
        self.commands = commands or {}
        self.ran = []
        self._euid = euid

    def which(self, name):
        return "/usr/sbin/%s" % name if name in self.commands else None

    def run(self, argv, timeout=None):
        self.ran.append(list(argv))
        return self.commands[argv[0].rsplit("/", 1)[-1]](argv)

    def euid(self):
        return self._euid


def put(root, path, content):
    target = root / path.lstrip("/")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(content, encoding="utf-8")


def copy_tree(root, fixture, path):
    shutil.copytree(FIXTURES / fixture, root / path.lstrip("/"))


def disk(root, name, vendor=None, model=None, sectors=976773168, serial=None):
    put(root, "/sys/block/%s/size" % name, "%d\n" % sectors)
    (root / ("sys/block/%s/device" % name)).mkdir(parents=True, exist_ok=True)
    if vendor is not None:
        put(root, "/sys/block/%s/device/vendor" % name, vendor + "\n")
    if model is not None:
        put(root, "/sys/block/%s/device/model" % name, model + "\n")
    if serial is not None:
        put(root, "/sys/block/%s/device/serial" % name, serial + "\n")


def fixture(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def smartctl_answers(per_device, scan='{"devices": []}'):
    def answer(argv):
        if "--scan-open" in argv:
            return 0, scan, ""
        rc, name = per_device[argv[-1]]
        return rc, fixture(name), ""
    return answer


def server_root(tmp_path):
    """A physical server: DMI of a PowerEdge, two-socket cpuinfo, coretemp + NVMe hwmon, two thermal zones, one NIC."""
    root = tmp_path / "root"
    copy_tree(root, "dmi/procfs_sys_class_dmi_id", "/sys/class/dmi/id")
    put(root, "/proc/cpuinfo", fixture("cpu/cpuinfo.two-sockets.handwritten.txt"))
    put(root, "/proc/meminfo", (HOST_FIXTURES / "proc-meminfo.debian12.txt").read_text())
    copy_tree(root, "hwmon/node_exporter_coretemp.0_hwmon0", "/sys/class/hwmon/hwmon0")
    copy_tree(root, "hwmon/node_exporter_nvme0_hwmon3", "/sys/class/hwmon/hwmon3")
    copy_tree(root, "thermal/procfs_thermal_zone0", "/sys/class/thermal/thermal_zone0")
    copy_tree(root, "thermal/procfs_thermal_zone1", "/sys/class/thermal/thermal_zone1")
    copy_tree(root, "net/node_exporter_ens10f0", "/sys/class/net/ens10f0")
    (root / "sys/class/net/ens10f0/device").mkdir()
    put(root, "/sys/class/net/lo/operstate", "unknown\n")
    put(root, "/sys/class/net/br0/operstate", "up\n")  # a bridge: no device, not physical
    return root


def test_system_cpu_memory_of_a_physical_server(tmp_path):
    raw = C.collect(FakeHwHost(server_root(tmp_path)), {"ups": []})
    assert raw["system"]["vendor"] == "Dell Inc."
    assert raw["system"]["model"] == "PowerEdge R6515"
    assert raw["system"]["serial"] == "7N62AI2"
    assert raw["system"]["version"] is None
    assert raw["system"]["virtual"] is False
    assert raw["system"]["source"] == "sysfs"
    assert (raw["cpu"]["sockets"], raw["cpu"]["cores"], raw["cpu"]["threads"]) == (2, 4, 8)
    assert raw["memory"]["total_bytes"] == 24684084 * 1024


def test_dmi_serial_unreadable_without_root(tmp_path):
    root = server_root(tmp_path)
    (root / "sys/class/dmi/id/product_serial").unlink()
    raw = C.collect(FakeHwHost(root), {})
    assert raw["system"]["serial"] is None and raw["system"]["serial_readable"] is False


def test_dmidecode_when_sysfs_has_no_dmi(tmp_path):
    root = tmp_path / "root"
    put(root, "/proc/cpuinfo", fixture("cpu/cpuinfo.two-sockets.handwritten.txt"))
    host = FakeHwHost(root, {"dmidecode": lambda argv: (0, fixture("dmi/fusioninventory_dmidecode_vmware.txt"), "")})
    raw = C.collect(host, {})
    assert raw["system"]["source"] == "dmidecode"
    assert raw["system"]["model"] == "VMware Virtual Platform"
    assert raw["system"]["virtual"] is True
    assert host.ran == [["/usr/sbin/dmidecode", "-t", "system"]]


def test_sensors_of_hwmon_and_thermal(tmp_path):
    raw = C.collect(FakeHwHost(server_root(tmp_path)), {})
    sensors = {s["label"]: s for s in raw["sensors"]["sensors"]}
    assert sensors["coretemp Physical id 0"] == {"label": "coretemp Physical id 0", "celsius": 55.0, "high": 84.0,
                                                 "crit": 100.0, "source": "hwmon0"}
    assert sensors["coretemp Core 1"]["celsius"] == 52.0
    assert sensors["nvme Composite"] == {"label": "nvme Composite", "celsius": 43.85, "high": 84.85, "crit": 94.85,
                                         "source": "hwmon3"}
    # the "no limit" values of the other NVMe sensors are not limits
    assert sensors["nvme Sensor 1"]["high"] is None and sensors["nvme Sensor 1"]["crit"] is None
    assert sensors["nvme Sensor 8"]["celsius"] == P_celsius("hwmon/node_exporter_nvme0_hwmon3/temp9_input")
    assert sensors["thermal_zone0 bcm2835_thermal"] == {"label": "thermal_zone0 bcm2835_thermal", "celsius": 49.925,
                                                        "high": None, "crit": None, "source": "thermal_zone0"}
    assert raw["sensors"]["unusable"] == [{"label": "thermal_zone1 acpitz", "raw": "-44000"}]


def P_celsius(name):
    return int(fixture(name).strip()) / 1000.0


def test_thermal_trip_points(tmp_path):
    root = tmp_path / "root"
    put(root, "/sys/class/thermal/thermal_zone0/type", "x86_pkg_temp\n")
    put(root, "/sys/class/thermal/thermal_zone0/temp", "91000\n")
    put(root, "/sys/class/thermal/thermal_zone0/trip_point_0_type", "passive\n")
    put(root, "/sys/class/thermal/thermal_zone0/trip_point_0_temp", "70000\n")
    put(root, "/sys/class/thermal/thermal_zone0/trip_point_1_type", "hot\n")
    put(root, "/sys/class/thermal/thermal_zone0/trip_point_1_temp", "90000\n")
    put(root, "/sys/class/thermal/thermal_zone0/trip_point_2_type", "critical\n")
    put(root, "/sys/class/thermal/thermal_zone0/trip_point_2_temp", "105000\n")
    raw = C.collect_sensors(FakeHwHost(root))
    assert raw["sensors"] == [{"label": "thermal_zone0 x86_pkg_temp", "celsius": 91.0, "high": 90.0, "crit": 105.0,
                               "source": "thermal_zone0"}]


def test_physical_nics_only(tmp_path):
    raw = C.collect(FakeHwHost(server_root(tmp_path)), {})
    assert raw["nics"] == [{"name": "ens10f0", "up": True, "operstate": "up", "speed_mbps": 1000, "duplex": "full",
                            "rx_errors": 0, "tx_errors": 0}]


def test_a_down_nic_has_no_speed(tmp_path):
    root = tmp_path / "root"
    put(root, "/sys/class/net/eno2/operstate", "down\n")
    put(root, "/sys/class/net/eno2/carrier", "0\n")
    put(root, "/sys/class/net/eno2/statistics/rx_errors", "3\n")
    put(root, "/sys/class/net/eno2/statistics/tx_errors", "0\n")
    (root / "sys/class/net/eno2/device").mkdir()
    # /sys/class/net/X/speed and duplex refuse to be read (EINVAL) on a link that is down: absent here
    assert C.collect_nics(FakeHwHost(root)) == [{"name": "eno2", "up": False, "operstate": "down", "speed_mbps": None,
                                                 "duplex": None, "rx_errors": 3, "tx_errors": 0}]


def test_disks_kinds_and_exclusions(tmp_path):
    root = tmp_path / "root"
    disk(root, "sda", "ATA     ", "ST3500418AS", 976773168)
    disk(root, "sdb", "DELL", "PERC H710", 15623782400)
    disk(root, "nvme0n1", None, "SAMSUNG MZWLL3T2HAJQ-00005", 6251233968, serial="S3HDNX0K")
    disk(root, "vda", None, None, 536870912)
    disk(root, "sdc", "QEMU", "QEMU HARDDISK", 2048)
    for name in ("loop0", "dm-0", "md0", "sr0", "zram0"):
        disk(root, name)
    disks = {d["name"]: d for d in C.list_disks(FakeHwHost(root))}
    assert sorted(disks) == ["nvme0n1", "sda", "sdb", "sdc", "vda"]
    assert disks["sda"] == {"name": "sda", "model": "ST3500418AS", "serial": None, "size_bytes": 500107862016, "kind": "ata"}
    assert disks["sdb"]["kind"] == "scsi" and disks["sdb"]["model"] == "DELL PERC H710"
    assert disks["nvme0n1"]["kind"] == "nvme" and disks["nvme0n1"]["serial"] == "S3HDNX0K"
    assert disks["vda"]["kind"] == "virtual"
    assert disks["sdc"]["kind"] == "virtual"


def test_smart_json_per_disk_with_types_from_the_scan(tmp_path):
    root = tmp_path / "root"
    disk(root, "sda", "ATA", "ST3500418AS")
    disk(root, "nvme0n1", None, "SAMSUNG MZWLL3T2HAJQ-00005")
    disk(root, "sdb", "DELL", "PERC H710")
    disk(root, "vda")
    answers = smartctl_answers({
        "/dev/sda": (0, "smartctl/smartctl_exporter_ST3500418AS_12.json"),
        "/dev/nvme0n1": (8, "smartctl/smartctl_exporter_nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json"),
        "/dev/sdb": (4, "smartctl/scrutiny_smart-raid.json"),
    }, scan='{"devices": [{"name": "/dev/sda", "type": "sat"}, {"name": "/dev/nvme0", "type": "nvme"}]}')
    host = FakeHwHost(root, {"smartctl": answers})
    raw = C.collect_disks(host, {"smartctl": "smartctl"})
    disks = {d["name"]: d for d in raw["disks"]}
    assert raw["smartctl"] == "/usr/sbin/smartctl"
    assert disks["sda"]["smart"]["health"] == "passed" and disks["sda"]["smart"]["reallocated"] == 304
    assert disks["nvme0n1"]["smart"]["health"] == "failed"
    assert disks["sdb"]["smart"]["smart_available"] is False
    assert "smart" not in disks["vda"] and "smart_error" not in disks["vda"]
    assert host.ran[0] == ["/usr/sbin/smartctl", "--scan-open", "--json"]
    assert sorted(host.ran[1:]) == sorted([
        ["/usr/sbin/smartctl", "--json", "-a", "-d", "sat", "/dev/sda"],
        ["/usr/sbin/smartctl", "--json", "-a", "-d", "nvme", "/dev/nvme0n1"],
        ["/usr/sbin/smartctl", "--json", "-a", "/dev/sdb"],
    ])


def test_smartctl_6_without_json_reads_text(tmp_path):
    root = tmp_path / "root"
    disk(root, "sda", "ATA", "ST12000VN0007-2GS116")

    def answer(argv):
        if argv[1:] == ["--scan-open", "--json"]:
            return 1, "=======> UNRECOGNIZED OPTION: json\n", ""
        if argv[1:] == ["--scan-open"]:
            return 0, "/dev/sda -d sat # /dev/sda [SAT], ATA device\n", ""
        assert argv[1:] == ["-H", "-A", "-i", "-d", "sat", "/dev/sda"]
        return 0x80, fixture("smartctl/linuxfabrik_st12000vn0007-v2_xall.txt"), ""

    raw = C.collect_disks(FakeHwHost(root, {"smartctl": answer}), {"smartctl": "smartctl"})
    smart = raw["disks"][0]["smart"]
    assert smart["pending"] == 8 and smart["exit_bits"] == ["selftest_log"]


def test_no_smartctl_installed(tmp_path):
    root = tmp_path / "root"
    disk(root, "sda", "ATA", "ST3500418AS")
    disk(root, "vda")
    raw = C.collect_disks(FakeHwHost(root), {"smartctl": "smartctl"})
    assert [(d["name"], d.get("smart_error")) for d in raw["disks"]] == [("sda", "missing"), ("vda", None)]


def test_smartctl_refused_without_root(tmp_path):
    root = tmp_path / "root"
    disk(root, "sda", "ATA", "ST3500418AS")
    answers = smartctl_answers({"/dev/sda": (2, "smartctl/handwritten_permission-denied.json")})
    raw = C.collect_disks(FakeHwHost(root, {"smartctl": answers}, euid=1000), {"smartctl": "smartctl"})
    assert raw["disks"][0]["smart_error"] == "privilege"
    assert "Permission denied" in raw["disks"][0]["smart_detail"]


def test_smartctl_timeout(tmp_path):
    root = tmp_path / "root"
    disk(root, "sda", "ATA", "ST3500418AS")

    def answer(argv):
        if "--scan-open" in argv:
            return 0, '{"devices": []}', ""
        return None, "", "timed out after 10s"

    raw = C.collect_disks(FakeHwHost(root, {"smartctl": answer}), {"smartctl": "smartctl"})
    assert raw["disks"][0]["smart_error"] == "timeout"


def test_without_physical_disks_only_the_scan_runs(tmp_path):
    root = tmp_path / "root"
    disk(root, "vda")
    host = FakeHwHost(root, {"smartctl": lambda argv: (0, '{"devices": []}', "")})
    raw = C.collect_disks(host, {"smartctl": "smartctl"})
    assert host.ran == [["/usr/sbin/smartctl", "--scan-open", "--json"]]
    assert [d["name"] for d in raw["disks"]] == ["vda"]


def test_disks_the_scan_names_beside_sys_block(tmp_path):
    """Disks behind a RAID controller (or a stand-in smartctl on a lab host) are read as smartctl names them."""
    root = tmp_path / "root"
    disk(root, "vda")
    answers = smartctl_answers({"/dev/bus/0": (4, "smartctl/scrutiny_smart-megaraid1.json")},
                               scan='{"devices": [{"name": "/dev/bus/0", "type": "megaraid,1"}]}')
    host = FakeHwHost(root, {"smartctl": answers})
    raw = C.collect_disks(host, {"smartctl": "smartctl"})
    scanned = raw["disks"][1]
    assert scanned["name"] == "bus/0:megaraid,1" and scanned["kind"] == "unknown"
    assert scanned["model"] == "WD4000FYYX" and scanned["size_bytes"] == 4000787030016
    assert scanned["smart"]["reallocated"] == 387
    assert "device" not in scanned and "type" not in scanned
    assert host.ran[1] == ["/usr/sbin/smartctl", "--json", "-a", "-d", "megaraid,1", "/dev/bus/0"]


def test_ups_through_upsc(tmp_path):
    def answer(argv):
        if argv[1] == "ups@localhost":
            return 0, fixture("upsc/telegraf_CyberPowerSystems_CP900EPFCLCD_variables.dev"), "Init SSL without certificate database\n"
        return 1, "", "Init SSL without certificate database\nError: Connection failure: Connection refused\n"

    ups = C.collect_ups(FakeHwHost(tmp_path, {"upsc": answer}), {"ups": ["ups@localhost", "ups@10.0.0.9"]})
    assert ups[0]["name"] == "ups@localhost" and ups[0]["values"]["ups.status"] == "OL"
    assert ups[1] == {"name": "ups@10.0.0.9", "error": "Error: Connection failure: Connection refused"}
    assert C.collect_ups(FakeHwHost(tmp_path), {"ups": ["ups@localhost"]}) == [{"name": "ups@localhost", "error": "missing"}]
    assert C.collect_ups(FakeHwHost(tmp_path), {"ups": []}) == []


def test_raid_reads_mdstat_with_the_host_parser(tmp_path):
    root = tmp_path / "root"
    assert C.collect_raid(FakeHwHost(root)) is None
    put(root, "/proc/mdstat", fixture("mdstat/pymdstat_mdstat.05"))
    arrays = C.collect_raid(FakeHwHost(root))
    # parsed by siak_host_parse.parse_mdstat (one parser for step 2 and step 3)
    assert [(a["name"], a["level"], a["map"], a["action"], a["progress"]) for a in arrays] == [
        ("md127", "raid5", "UUUUU_", "recovery", 12.6)]


def test_the_real_host_reads_this_machine():
    """The real HwHost on this machine: cpuinfo and meminfo always answer."""
    raw = C.collect(C.HwHost(lambda name, required=False, opt_dirs=None: None, 5), {"ups": []})
    assert raw["cpu"]["threads"] >= 1
    assert raw["memory"]["total_bytes"] > 0
