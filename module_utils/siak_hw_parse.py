# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Parsers of what a Linux host tells about its hardware (SOP step 2, the hardware checklist).

Pure functions of captured text: smartctl (JSON of smartctl >= 7, the text of older
versions), /proc/cpuinfo, /proc/meminfo, DMI (sysfs files or dmidecode), hwmon and thermal
readings, NUT's upsc. /proc/mdstat is read by ``siak_host_parse.parse_mdstat`` (one parser
for step 2 and step 3). No wording and no thresholds here (``siak_hw_judge``).
"""

from __future__ import annotations

import json
import re

from ansible.module_utils.siak_host_parse import parse_meminfo

# smartctl's exit status is a bitmask (smartctl(8), EXIT STATUS; smartctl.h of smartmontools).
SMART_EXIT_BITS = (
    (0x01, "cmdline"),      # command line did not parse, or an internal error
    (0x02, "open"),         # device open failed (or identify failed, or low-power mode)
    (0x04, "command"),      # some SMART or ATA command failed, or a checksum error
    (0x08, "failing"),      # SMART status: DISK FAILING
    (0x10, "prefail"),      # prefail attributes <= threshold now
    (0x20, "past"),         # attributes <= threshold in the past (status still OK)
    (0x40, "error_log"),    # the device error log has entries
    (0x80, "selftest_log"),  # the self-test log has errors
)

# ATA attribute ids the checklist reads (the raw value counts sectors).
ATTR_REALLOCATED = 5
ATTR_PENDING = 197
ATTR_UNCORRECTABLE = 198
ATTR_TEMPERATURES = (194, 190)

# NVMe critical warning bits (NVM Express base specification, SMART / Health log byte 0).
NVME_WARNING_BITS = (
    (0x01, "spare_below_threshold"),
    (0x02, "temperature"),
    (0x04, "reliability_degraded"),
    (0x08, "read_only"),
    (0x10, "volatile_memory_backup_failed"),
    (0x20, "persistent_memory_unreliable"),
)

# DMI texts firmware writes when a field was never filled in.
DMI_PLACEHOLDERS = {
    "", "none", "not specified", "not applicable", "to be filled by o.e.m.", "to be filled by oem",
    "default string", "system serial number", "system product name", "system manufacturer",
    "system version", "0", "00000000", "0123456789", "123456789", "n/a", "na", "unknown", "oem",
    "not available", "chassis serial number", "type1productconfigid", "invalid",
}

# How a virtual machine names itself in DMI (vendor or product, lower case substrings).
VIRTUAL_DMI_WORDS = ("vmware", "virtualbox", "kvm", "qemu", "bochs", "xen", "hvm domu", "virtual machine",
                     "openstack", "parallels", "bhyve", "amazon ec2", "google compute engine", "cloud hypervisor")


def decode_smart_exit(status):
    """The names of the bits set in smartctl's exit status (``SMART_EXIT_BITS``)."""
    if status is None:
        return []
    return [name for bit, name in SMART_EXIT_BITS if status & bit]


def decode_nvme_warning(value):
    """The names of the bits set in an NVMe critical warning byte."""
    return [name for bit, name in NVME_WARNING_BITS if (value or 0) & bit]


def _leading_int(text):
    """'38 (0 16 0 0 0)' -> 38, '2765/13191816' -> 2765, '1.356' or '12'000' -> 1356 / 12000; None when no number."""
    if text is None:
        return None
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    match = re.match(r"\s*([0-9][0-9.,']*)", str(text))
    if not match:
        return None
    digits = re.sub(r"[.,']", "", match.group(1))
    return int(digits) if digits else None


def _clean(text):
    text = (text or "").strip()
    return text or None


# ---------------------------------------------------------------------------------------
# smartctl
# ---------------------------------------------------------------------------------------

def _empty_smart():
    return {"model": None, "serial": None, "size_bytes": None, "protocol": None, "type": None,
            "smart_available": None, "health": None, "exit_status": None, "exit_bits": [],
            "reallocated": None, "pending": None, "uncorrectable": None, "failing_attributes": [],
            "temperature": None, "nvme_critical_warning": None, "nvme_warning_bits": [],
            "nvme_percentage_used": None, "nvme_media_errors": None, "messages": []}


def _smart_attributes(table):
    """{reallocated, pending, uncorrectable, failing_attributes, temperature} from ATA attribute rows.

    ``table``: [{id, name, raw (int or None), when_failed}]. A vendor that marks an
    attribute as bogus (``Bogus_Current_Pend_Sect`` on some Crucial SSDs) is not counted.
    """
    found = {"reallocated": None, "pending": None, "uncorrectable": None, "failing_attributes": [], "temperature": None}
    for attr in table:
        name = attr.get("name") or ""
        if name.lower().startswith("bogus"):
            continue
        key = {ATTR_REALLOCATED: "reallocated", ATTR_PENDING: "pending", ATTR_UNCORRECTABLE: "uncorrectable"}.get(attr["id"])
        if key and attr.get("raw") is not None:
            found[key] = attr["raw"]
        if attr["id"] in ATTR_TEMPERATURES and found["temperature"] is None and attr.get("raw") is not None:
            if 0 < attr["raw"] < 150:
                found["temperature"] = attr["raw"]
        when = (attr.get("when_failed") or "").strip()
        if when and when != "-":
            found["failing_attributes"].append({"id": attr["id"], "name": name, "when_failed": when})
    return found


def parse_smartctl_json(text):
    """What ``smartctl --json -a DEV`` tells about one device.

    Raises ValueError when the text is not smartctl's JSON (smartctl < 7 prints
    ``UNRECOGNIZED OPTION: json``). ``smart_available`` is False when the device has no
    SMART (a RAID controller's virtual disk); ``health`` is passed / failed / None.
    """
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise ValueError("not smartctl JSON: %s" % exc) from None
    if not isinstance(data, dict) or "smartctl" not in data:
        raise ValueError("not smartctl JSON: no 'smartctl' section")
    out = _empty_smart()
    meta = data.get("smartctl") or {}
    out["exit_status"] = meta.get("exit_status")
    out["exit_bits"] = decode_smart_exit(out["exit_status"])
    out["messages"] = [m.get("string") for m in meta.get("messages") or () if isinstance(m, dict) and m.get("string")]
    device = data.get("device") or {}
    out["protocol"] = device.get("protocol")
    out["type"] = device.get("type")
    out["model"] = _clean(data.get("model_name") or " ".join(p for p in (data.get("vendor"), data.get("product")) if p))
    out["serial"] = _clean(data.get("serial_number"))
    capacity = (data.get("user_capacity") or {}).get("bytes")
    if capacity is None:
        capacity = data.get("nvme_total_capacity")
    out["size_bytes"] = capacity
    support = data.get("smart_support")
    status = data.get("smart_status")
    if isinstance(support, dict) and "available" in support:
        out["smart_available"] = bool(support["available"])
    elif status is not None:
        out["smart_available"] = True
    elif "open" not in out["exit_bits"] and "cmdline" not in out["exit_bits"]:
        # smartctl read the device but it answered no SMART status (a RAID volume).
        out["smart_available"] = False
    if isinstance(status, dict) and "passed" in status:
        out["health"] = "passed" if status["passed"] else "failed"
    rows = []
    for attr in ((data.get("ata_smart_attributes") or {}).get("table") or ()):
        raw = attr.get("raw") or {}
        rows.append({"id": attr.get("id"), "name": attr.get("name"),
                     "raw": _leading_int(raw.get("string")) if raw.get("string") is not None else raw.get("value"),
                     "when_failed": attr.get("when_failed")})
    out.update(_smart_attributes(rows))
    temp = (data.get("temperature") or {}).get("current")
    if isinstance(temp, (int, float)) and 0 < temp < 150:
        out["temperature"] = temp
    nvme = data.get("nvme_smart_health_information_log")
    if isinstance(nvme, dict):
        out["nvme_critical_warning"] = nvme.get("critical_warning")
        out["nvme_warning_bits"] = decode_nvme_warning(nvme.get("critical_warning"))
        out["nvme_percentage_used"] = nvme.get("percentage_used")
        out["nvme_media_errors"] = nvme.get("media_errors")
        if out["temperature"] is None and isinstance(nvme.get("temperature"), (int, float)) and 0 < nvme["temperature"] < 150:
            out["temperature"] = nvme["temperature"]
    return out


_ATTR_ROW = re.compile(r"^\s*(\d{1,3})\s+(\S+)\s+(\S+)\s+(\d{3})\s+(\d{3})\s+(\d{3}|---)\s+(.*)$")


def _text_attribute(match):
    """One attribute row of the classic (-A) or the short FLAGS (-x, --format=brief) table."""
    rest = match.group(7).split()
    if match.group(3).startswith("0x"):
        # TYPE UPDATED WHEN_FAILED RAW_VALUE...
        when_failed = rest[2] if len(rest) > 2 else None
        raw = " ".join(rest[3:])
    else:
        # FAIL RAW_VALUE...
        when_failed = rest[0] if rest else None
        raw = " ".join(rest[1:])
    return {"id": int(match.group(1)), "name": match.group(2), "raw": _leading_int(raw), "when_failed": when_failed}


def parse_smartctl_text(text, exit_status=None):
    """What ``smartctl -H -A -i DEV`` (or ``-a`` / ``-x``) prints, for smartctl < 7 (no JSON)."""
    out = _empty_smart()
    out["exit_status"] = exit_status
    out["exit_bits"] = decode_smart_exit(exit_status)
    vendor = product = None
    in_attrs = False
    rows = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        key = key.strip()
        value = value.strip()
        if line.startswith("ID#"):
            in_attrs = True
            continue
        if in_attrs:
            match = _ATTR_ROW.match(line)
            if match:
                rows.append(_text_attribute(match))
                continue
            in_attrs = False
        if not sep:
            continue
        if key in ("Device Model", "Model Number"):
            out["model"] = _clean(value)
        elif key == "Vendor":
            vendor = _clean(value)
        elif key == "Product":
            product = _clean(value)
        elif key.lower() == "serial number":
            out["serial"] = _clean(value)
        elif key in ("User Capacity", "Total NVM Capacity", "Namespace 1 Size/Capacity") and out["size_bytes"] is None:
            out["size_bytes"] = _leading_int(value)
        elif key == "SMART support is":
            if value.startswith("Unavailable"):
                out["smart_available"] = False
            elif value.startswith("Available") and out["smart_available"] is None:
                out["smart_available"] = True
        elif key == "SMART overall-health self-assessment test result":
            out["health"] = "passed" if value.startswith("PASSED") else "failed"
            out["smart_available"] = True
        elif key == "SMART Health Status":
            out["health"] = "passed" if value.startswith("OK") else "failed"
            out["smart_available"] = True
        elif key == "Critical Warning":
            out["nvme_critical_warning"] = int(value, 16) if value.lower().startswith("0x") else _leading_int(value)
            out["nvme_warning_bits"] = decode_nvme_warning(out["nvme_critical_warning"])
            out["protocol"] = "NVMe"
        elif key == "Percentage Used":
            out["nvme_percentage_used"] = _leading_int(value)
        elif key == "Media and Data Integrity Errors":
            out["nvme_media_errors"] = _leading_int(value)
        elif key in ("Temperature", "Current Drive Temperature") and out["temperature"] is None:
            temp = _leading_int(value)
            if temp is not None and 0 < temp < 150:
                out["temperature"] = temp
        elif key == "NVMe Version" or key.startswith("PCI Vendor"):
            out["protocol"] = "NVMe"
        elif key == "ATA Version is" or key == "SATA Version is":
            out["protocol"] = "ATA"
    if out["model"] is None and (vendor or product):
        out["model"] = " ".join(p for p in (vendor, product) if p)
        out["protocol"] = out["protocol"] or "SCSI"
    attrs = _smart_attributes(rows)
    temperature = out["temperature"]
    out.update(attrs)
    out["temperature"] = temperature if temperature is not None else attrs["temperature"]
    if rows and out["protocol"] is None:
        out["protocol"] = "ATA"
    return out


def parse_smartctl_scan(text):
    """{'/dev/sda': 'sat', ...} from ``smartctl --scan-open --json`` or its text form.

    Lines of the text form: ``/dev/sda -d sat # /dev/sda [SAT], ATA device``; a device
    that could not be opened is commented out (``# /dev/sdb -d scsi # ..., open failed``).
    """
    try:
        data = json.loads(text)
    except ValueError:
        data = None
    found = {}
    if isinstance(data, dict):
        for dev in data.get("devices") or ():
            if isinstance(dev, dict) and dev.get("name"):
                found[dev["name"]] = dev.get("type")
        return found
    for line in (text or "").splitlines():
        match = re.match(r"^\s*(/dev/\S+)\s+-d\s+(\S+)", line)
        if match:
            found[match.group(1)] = match.group(2)
    return found


# ---------------------------------------------------------------------------------------
# CPU, memory, DMI
# ---------------------------------------------------------------------------------------

_CPU_MODEL_KEYS = ("model name", "Model", "cpu model", "Hardware", "Processor", "cpu")


def parse_cpuinfo(text):
    """{model, sockets, cores, threads} from /proc/cpuinfo.

    sockets = distinct ``physical id``; cores = distinct (physical id, core id); threads =
    ``processor`` entries. Without topology lines (many ARM kernels), sockets is None and
    cores the number of processors.
    """
    blocks = []
    current = {}
    extra = {}
    for line in text.splitlines():
        if not line.strip():
            if current:
                blocks.append(current)
                current = {}
            continue
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "processor" and "processor" in current:
            blocks.append(current)
            current = {}
        if key == "processor" and not value.isdigit():
            extra.setdefault("Processor", value)  # ARMv7: "Processor : ARMv7 Processor rev 4 (v7l)"
            continue
        current[key] = value
        if "processor" not in current:
            extra.setdefault(key, value)
    if current:
        blocks.append(current)
    processors = [b for b in blocks if "processor" in b]
    model = None
    for key in _CPU_MODEL_KEYS:
        for source in processors + [extra]:
            if source.get(key):
                model = source[key]
                break
        if model:
            break
    if model is not None:
        model = re.sub(r"\s+", " ", model)
    threads = len(processors) or None
    sockets = {b["physical id"] for b in processors if "physical id" in b}
    cores = {(b.get("physical id"), b["core id"]) for b in processors if "core id" in b}
    return {"model": model, "sockets": len(sockets) or None,
            "cores": len(cores) or threads, "threads": threads,
            "hypervisor": any("hypervisor" in b.get("flags", "").split() for b in processors)}


def parse_memtotal(text):
    """MemTotal of /proc/meminfo in bytes (None when absent)."""
    kib = parse_meminfo(text).get("MemTotal")
    return kib * 1024 if kib is not None else None


def dmi_value(text):
    """A DMI field as the checklist shows it: stripped, None for firmware placeholders."""
    value = re.sub(r"\s+", " ", (text or "").strip())
    if value.lower() in DMI_PLACEHOLDERS or re.fullmatch(r"[0.\- ]*", value):
        return None
    return value


def parse_dmidecode_system(text):
    """{vendor, model, serial, version} of dmidecode's "System Information" table."""
    fields = {}
    inside = False
    for line in text.splitlines():
        if not line.startswith(("\t", " ")):
            inside = line.strip() == "System Information"
            continue
        if inside:
            key, sep, value = line.strip().partition(":")
            if sep:
                fields[key.strip()] = value.strip()
    return {"vendor": dmi_value(fields.get("Manufacturer")), "model": dmi_value(fields.get("Product Name")),
            "serial": dmi_value(fields.get("Serial Number")), "version": dmi_value(fields.get("Version"))}


def is_virtual_dmi(vendor, model):
    """True when the DMI vendor or product names a hypervisor."""
    text = ("%s %s" % (vendor or "", model or "")).lower()
    return any(word in text for word in VIRTUAL_DMI_WORDS)


# ---------------------------------------------------------------------------------------
# Sensors, UPS, network counters
# ---------------------------------------------------------------------------------------

# A temperature outside this range (degrees C) is not a reading: hwmon's "no limit" values
# (65261.85, -273.15) and broken sensors (an ACPI zone at -44).
PLAUSIBLE_CELSIUS = (-30.0, 200.0)


def millidegrees(text):
    """A sysfs temperature (millidegrees C as text) in degrees C, None when absent or implausible."""
    try:
        value = int((text or "").strip()) / 1000.0
    except ValueError:
        return None
    if not PLAUSIBLE_CELSIUS[0] <= value <= PLAUSIBLE_CELSIUS[1]:
        return None
    return value


def sysfs_int(text):
    """An integer sysfs attribute (None when unreadable, empty or negative such as speed -1)."""
    try:
        value = int((text or "").strip())
    except ValueError:
        return None
    return value if value >= 0 else None


def parse_upsc(text):
    """``upsc NAME`` output (``key: value`` per line) into a dict of strings."""
    values = {}
    for line in (text or "").splitlines():
        key, sep, value = line.partition(":")
        if sep and key.strip() and " " not in key.strip():
            values[key.strip()] = value.strip()
    return values


def ups_summary(values):
    """{status, flags, charge_pct, runtime_s, model} of parsed upsc values."""
    status = values.get("ups.status") or None
    try:
        charge = float(values["battery.charge"]) if "battery.charge" in values else None
    except ValueError:
        charge = None
    try:
        runtime = int(float(values["battery.runtime"])) if "battery.runtime" in values else None
    except ValueError:
        runtime = None
    model = " ".join(v for v in (values.get("device.mfr") or values.get("ups.mfr"),
                                 values.get("device.model") or values.get("ups.model")) if v) or None
    return {"status": status, "flags": (status or "").split(), "charge_pct": charge, "runtime_s": runtime, "model": model}
