# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collectors of the hardware checklist: what a Linux host's kernel and tools tell (SOP step 2).

Everything is read through a ``HwHost`` (sysfs and procfs files under its ``root``,
commands with a timeout), so the unit tests feed a tree of captured files
(tests/unit/fixtures/hardware/). Returns raw data for ``siak_hw_judge``: no wording, no
thresholds. Commands: ``smartctl`` (once to scan, once per physical disk, in parallel) and
NUT's ``upsc`` (once per configured UPS); nothing else is run on a host.
"""

from __future__ import annotations

import os
import re
from concurrent.futures import ThreadPoolExecutor

from ansible.module_utils import siak_hw_parse as HP
from ansible.module_utils.siak_host_collect import Host, first_line
from ansible.module_utils.siak_host_parse import parse_mdstat

# Block devices that are not disks (or not of their own): loop, RAM disks, zram, device
# mapper, md arrays, optical drives, network block devices, floppies, ZFS volumes, Ceph RBD.
NOT_DISK_PREFIXES = ("loop", "ram", "zram", "dm-", "md", "sr", "nbd", "fd", "zd", "rbd")
# Paravirtual disks: they have no SMART of their own.
VIRTUAL_DISK_PREFIXES = ("vd", "xvd")
# A disk whose vendor or model names a hypervisor (or a RAID controller's volume) is virtual.
VIRTUAL_DISK_WORDS = ("qemu", "vmware", "vbox", "virtual disk", "virtual_disk", "virtual-disk", "msft", "xen")
# Most parallel smartctl / upsc runs.
MAX_PARALLEL = 8
DMI_DIR = "/sys/class/dmi/id"


class HwHost(Host):
    """Reads under ``root`` (``/`` on a host; a fixture tree in the tests) and runs commands.

    ``which`` is ``AnsibleModule.get_bin_path`` (looks in PATH and the sbin folders).
    """

    def __init__(self, which, timeout, root="/"):
        super().__init__(which, timeout)
        self.root = root

    def path(self, path):
        return os.path.join(self.root, path.lstrip("/"))

    def read(self, path):
        with open(self.path(path), "rb") as handle:
            return handle.read().decode("utf-8", "replace")

    def read_opt(self, path):
        """The file's text, or None when it is missing or refuses to be read (EINVAL, EACCES)."""
        try:
            return self.read(path)
        except OSError:
            return None

    def exists(self, path):
        return os.path.exists(self.path(path))

    def listdir(self, path):
        try:
            return sorted(os.listdir(self.path(path)))
        except OSError:
            return []

    @staticmethod
    def euid():
        return os.geteuid()


def _strip(text):
    return text.strip() if isinstance(text, str) else None


# --------------------------------------------------------------------------------------
# system, CPU, memory
# --------------------------------------------------------------------------------------

def collect_system(host, cpuinfo):
    """{vendor, model, serial, version, virtual, source}: DMI from sysfs, else dmidecode (root)."""
    out = {"vendor": None, "model": None, "serial": None, "version": None, "source": None, "serial_readable": True}
    if host.exists(DMI_DIR):
        out["source"] = "sysfs"
        for key, name in (("vendor", "sys_vendor"), ("model", "product_name"), ("serial", "product_serial"),
                          ("version", "product_version")):
            text = host.read_opt("%s/%s" % (DMI_DIR, name))
            if text is None and key == "serial":
                out["serial_readable"] = False  # product_serial is readable by root only
            out[key] = HP.dmi_value(text)
    else:
        dmidecode = host.which("dmidecode")
        if dmidecode:
            rc, stdout, _err = host.run([dmidecode, "-t", "system"])
            if rc == 0:
                out.update(HP.parse_dmidecode_system(stdout))
                out["source"] = "dmidecode"
    out["virtual"] = bool(cpuinfo.get("hypervisor")) or HP.is_virtual_dmi(out["vendor"], out["model"])
    return out


def collect_cpu(host):
    text = host.read_opt("/proc/cpuinfo")
    if text is None:
        return {"model": None, "sockets": None, "cores": None, "threads": None, "hypervisor": False}
    return HP.parse_cpuinfo(text)


def collect_memory(host):
    text = host.read_opt("/proc/meminfo")
    return {"total_bytes": HP.parse_memtotal(text) if text is not None else None}


# --------------------------------------------------------------------------------------
# disks and SMART
# --------------------------------------------------------------------------------------

def disk_kind(name, vendor, model):
    if name.startswith(VIRTUAL_DISK_PREFIXES):
        return "virtual"
    words = ("%s %s" % (vendor or "", model or "")).lower()
    if any(word in words for word in VIRTUAL_DISK_WORDS):
        return "virtual"
    if name.startswith("nvme"):
        return "nvme"
    if (vendor or "").strip().upper() == "ATA":
        return "ata"
    if vendor:
        return "scsi"
    return "unknown"


def list_disks(host):
    """The block devices that are disks of their own (/sys/block/X with a ``device`` link)."""
    disks = []
    for name in host.listdir("/sys/block"):
        if name.startswith(NOT_DISK_PREFIXES) or not host.exists("/sys/block/%s/device" % name):
            continue
        base = "/sys/block/%s" % name
        vendor = _strip(host.read_opt(base + "/device/vendor"))
        model = _strip(host.read_opt(base + "/device/model"))
        serial = _strip(host.read_opt(base + "/device/serial"))
        sectors = HP.sysfs_int(host.read_opt(base + "/size"))
        kind = disk_kind(name, vendor, model)
        if kind in ("scsi", "unknown") and vendor and vendor.upper() != "ATA" and model:
            model = "%s %s" % (vendor, model)
        disks.append({"name": name, "model": model or None, "serial": serial or None,
                      "size_bytes": sectors * 512 if sectors is not None else None, "kind": kind})
    return disks


def smartctl_path(host, option):
    """The smartctl to run: ``option`` as a path when it is one, else looked up in PATH and sbin."""
    if "/" in option:
        return option if os.access(host.path(option), os.X_OK) else None
    return host.which(option)


def _privilege_refused(text):
    return bool(re.search(r"permission denied|operation not permitted|must be root|requires root", text or "", re.I))


def read_smart(host, smartctl, disk, dev_type, use_json):
    """One disk's SMART: {smart: parsed} or {smart_error: timeout | privilege | failed, smart_detail}."""
    device = disk.get("device") or "/dev/%s" % disk["name"]
    type_args = ["-d", dev_type] if dev_type else []
    if use_json:
        argv = [smartctl, "--json", "-a"] + type_args + [device]
    else:
        argv = [smartctl, "-H", "-A", "-i"] + type_args + [device]
    rc, stdout, stderr = host.run(argv)
    if rc is None:
        return {"smart_error": "timeout", "smart_detail": stderr}
    parsed = None
    if use_json:
        try:
            parsed = HP.parse_smartctl_json(stdout)
        except ValueError:
            parsed = None
    if parsed is None:
        parsed = HP.parse_smartctl_text(stdout, rc)
    bits = HP.decode_smart_exit(rc)
    text = "\n".join(parsed["messages"] + [stdout, stderr])
    if "open" in bits and parsed["health"] is None:
        if _privilege_refused(text) or host.euid() != 0:
            return {"smart_error": "privilege", "smart_detail": first_line("\n".join(parsed["messages"]) or stderr or stdout)}
        return {"smart_error": "failed", "smart_detail": first_line("\n".join(parsed["messages"]) or stderr or stdout)}
    if "cmdline" in bits and parsed["health"] is None:
        return {"smart_error": "failed", "smart_detail": first_line("\n".join(parsed["messages"]) or stderr or stdout)}
    if parsed["exit_status"] is None:
        parsed["exit_status"] = rc
        parsed["exit_bits"] = bits
    return {"smart": parsed}


def scan_types(host, smartctl):
    """({device: type} of ``smartctl --scan-open``, whether this smartctl speaks JSON)."""
    rc, stdout, _err = host.run([smartctl, "--scan-open", "--json"])
    if rc is not None and stdout.lstrip().startswith("{"):
        return HP.parse_smartctl_scan(stdout), True
    rc, stdout, _err = host.run([smartctl, "--scan-open"])
    return (HP.parse_smartctl_scan(stdout) if rc is not None else {}), False


def kind_of_type(dev_type):
    """The disk kind of a smartctl device type (``sat``, ``nvme``, ``scsi``, ``megaraid,1``, ...)."""
    dev_type = dev_type or ""
    if dev_type.startswith("nvme"):
        return "nvme"
    if dev_type.startswith(("sat", "ata")) and "," not in dev_type:
        return "ata"
    if dev_type == "scsi":
        return "scsi"
    return "unknown"


def scanned_disks(types, disks):
    """Disks smartctl's scan names that /sys/block does not show (behind a RAID controller, or a stand-in smartctl)."""
    known = set()
    for disk in disks:
        known.add("/dev/%s" % disk["name"])
        controller = re.match(r"(nvme\d+)n\d+$", disk["name"])
        if controller:
            known.add("/dev/%s" % controller.group(1))
    extra = []
    for dev, dev_type in sorted(types.items()):
        if dev in known:
            continue
        name = dev[5:] if dev.startswith("/dev/") else dev
        if dev_type and "," in dev_type:
            name = "%s:%s" % (name, dev_type)  # e.g. bus/0:megaraid,1: one controller, several disks
        extra.append({"name": name, "model": None, "serial": None, "size_bytes": None, "kind": kind_of_type(dev_type),
                      "device": dev, "type": dev_type})
    return extra


def collect_disks(host, params):
    """{disks: [...], smartctl: path or None}; each physical disk carries ``smart`` or ``smart_error``.

    The disks are those of /sys/block, plus what ``smartctl --scan-open`` names beside them.
    """
    disks = list_disks(host)
    smartctl = smartctl_path(host, params.get("smartctl") or "smartctl")
    types, use_json = scan_types(host, smartctl) if smartctl else ({}, False)
    disks += scanned_disks(types, disks)
    physical = [d for d in disks if d["kind"] != "virtual"]
    if physical and smartctl is None:
        for disk in physical:
            disk["smart_error"] = "missing"
    elif physical:

        def _type(disk):
            if disk.get("type"):
                return disk["type"]
            dev = "/dev/%s" % disk["name"]
            if dev in types:
                return types[dev]
            controller = re.match(r"(nvme\d+)n\d+$", disk["name"])
            return types.get("/dev/%s" % controller.group(1)) if controller else None

        with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(physical))) as pool:
            results = list(pool.map(lambda d: read_smart(host, smartctl, d, _type(d), use_json), physical))
        for disk, result in zip(physical, results):
            disk.update(result)
            smart = result.get("smart") or {}
            for key in ("model", "serial", "size_bytes"):
                if disk.get(key) is None and smart.get(key) is not None:
                    disk[key] = smart[key]
    for disk in disks:
        disk.pop("device", None)
        disk.pop("type", None)
    return {"disks": disks, "smartctl": smartctl}


# --------------------------------------------------------------------------------------
# temperatures
# --------------------------------------------------------------------------------------

def _limit(text):
    value = HP.millidegrees(text)
    return value if value is not None and value > 0 else None


def collect_sensors(host):
    """{sensors: [{label, celsius, high, crit, source}], unusable: [{label, raw}]} of hwmon and thermal."""
    sensors, unusable = [], []
    used = set()

    def _add(label, source, raw, high, crit):
        celsius = HP.millidegrees(raw)
        if label in used:
            label = "%s (%s)" % (label, source)
        used.add(label)
        if celsius is None:
            unusable.append({"label": label, "raw": _strip(raw)})
            return
        sensors.append({"label": label, "celsius": celsius, "high": high, "crit": crit, "source": source})

    for hw in host.listdir("/sys/class/hwmon"):
        base = "/sys/class/hwmon/%s" % hw
        chip = _strip(host.read_opt(base + "/name")) or hw
        inputs = sorted((int(m.group(1)), f) for f in host.listdir(base) for m in [re.match(r"temp(\d+)_input$", f)] if m)
        for index, _file in inputs:
            prefix = "%s/temp%d_" % (base, index)
            raw = host.read_opt(prefix + "input")
            if raw is None:
                continue  # the sensor is not wired (EIO / ENODATA)
            label = _strip(host.read_opt(prefix + "label")) or "temp%d" % index
            _add("%s %s" % (chip, label), hw, raw, _limit(host.read_opt(prefix + "max")), _limit(host.read_opt(prefix + "crit")))

    for zone in host.listdir("/sys/class/thermal"):
        if not zone.startswith("thermal_zone"):
            continue
        base = "/sys/class/thermal/%s" % zone
        raw = host.read_opt(base + "/temp")
        if raw is None:
            continue
        high = crit = None
        for name in host.listdir(base):
            match = re.match(r"trip_point_(\d+)_type$", name)
            if not match:
                continue
            kind = _strip(host.read_opt("%s/%s" % (base, name)))
            value = _limit(host.read_opt("%s/trip_point_%s_temp" % (base, match.group(1))))
            if kind == "critical" and value is not None:
                crit = value if crit is None else min(crit, value)
            elif kind == "hot" and value is not None:
                high = value if high is None else min(high, value)
        kind = _strip(host.read_opt(base + "/type")) or "?"
        _add("%s %s" % (zone, kind), zone, raw, high, crit)
    return {"sensors": sensors, "unusable": unusable}


# --------------------------------------------------------------------------------------
# network interfaces, UPS, RAID
# --------------------------------------------------------------------------------------

def collect_nics(host):
    """Physical interfaces (those with /sys/class/net/X/device): link, speed, duplex, error counters."""
    nics = []
    for name in host.listdir("/sys/class/net"):
        base = "/sys/class/net/%s" % name
        if name == "lo" or not host.exists(base + "/device"):
            continue
        operstate = _strip(host.read_opt(base + "/operstate"))
        carrier = _strip(host.read_opt(base + "/carrier"))
        up = operstate == "up" or (operstate == "unknown" and carrier == "1")
        duplex = _strip(host.read_opt(base + "/duplex"))
        nics.append({
            "name": name, "up": up, "operstate": operstate,
            "speed_mbps": HP.sysfs_int(host.read_opt(base + "/speed")) if up else None,
            "duplex": duplex if up and duplex in ("full", "half") else None,
            "rx_errors": HP.sysfs_int(host.read_opt(base + "/statistics/rx_errors")),
            "tx_errors": HP.sysfs_int(host.read_opt(base + "/statistics/tx_errors")),
        })
    return nics


def _upsc_error(stdout, stderr, rc):
    lines = [line.strip() for line in (stderr + "\n" + stdout).splitlines() if line.strip()]
    for line in lines:
        if line.lower().startswith("error"):
            return line[:200]
    return (lines[-1][:200] if lines else "exit %s" % rc)


def collect_ups(host, params):
    """[{name, values}] or [{name, error: missing | text}] for every configured NUT name."""
    names = list(params.get("ups") or ())
    if not names:
        return []
    upsc = host.which("upsc")
    if not upsc:
        return [{"name": name, "error": "missing"} for name in names]

    def _one(name):
        rc, stdout, stderr = host.run([upsc, name])
        if rc != 0:
            return {"name": name, "error": _upsc_error(stdout, stderr, rc)}
        return {"name": name, "values": HP.parse_upsc(stdout)}

    with ThreadPoolExecutor(max_workers=min(MAX_PARALLEL, len(names))) as pool:
        return list(pool.map(_one, names))


def collect_raid(host):
    """The md arrays of /proc/mdstat, or None without the md driver."""
    text = host.read_opt("/proc/mdstat")
    return None if text is None else parse_mdstat(text)


def collect(host, params):
    """Every reading of the checklist, raw: {system, cpu, memory, disks, smartctl, raid, sensors, nics, ups}."""
    cpu = collect_cpu(host)
    raw = {"cpu": cpu, "system": collect_system(host, cpu), "memory": collect_memory(host)}
    raw.update(collect_disks(host, params))
    raw["raid"] = collect_raid(host)
    raw["sensors"] = collect_sensors(host)
    raw["nics"] = collect_nics(host)
    raw["ups"] = collect_ups(host, params)
    return raw

