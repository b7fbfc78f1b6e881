#!/usr/bin/python3
"""A stand-in for smartmontools' ``smartctl`` inside a lab host (lab/README.md, Hardware).

It answers from staged captures: ``/run/siaklab/smart/<dev>.json`` is what
``smartctl --json -a /dev/<dev>`` printed on a real machine (lab/hosts/hardware/). The lab
installs this file as ``/usr/local/sbin/smartctl`` inside the hosts that have disks; the
admin machine never sees it. Standard library only.

What it answers (the calls the hardware module makes, plus what a technician types):

- ``--scan`` / ``--scan-open`` [``--json``]: the staged devices, in smartctl's own form
  (``/dev/sda -d sat # /dev/sda [SAT], ATA device``; an NVMe namespace ``nvme0n1`` is listed
  as its controller ``/dev/nvme0``, as smartctl does).
- ``-a`` / ``-x`` / ``-H`` / ``-i`` / ``-A`` [``--json``] [``-d TYPE``] DEV: the staged JSON with
  ``device`` and ``smartctl.argv`` set to this call; the exit status is smartctl's bitmask
  (smartctl(8), EXIT STATUS): the capture's own ``exit_status`` when it has one, else the
  bits its content implies (bit 3 SMART status failed, bit 4 a prefail attribute failing
  now, bit 5 an attribute failed in the past, bit 6 errors in the error log, bit 7 a failed
  self-test). Without ``--json`` a short text form of the same data.
- an unknown device: ``Smartctl open device: DEV failed: No such device``, exit 2; run by a
  user other than root: ``... failed: Permission denied``, exit 2 (as the real smartctl).
"""

from __future__ import annotations

import glob
import json
import os
import sys

DATA_DIR = os.environ.get("SIAKLAB_SMART_DIR", "/run/siaklab/smart")
VERSION = [7, 3]
BANNER = ("smartctl 7.3 2022-02-28 r5338 [x86_64-linux] (siaklab stand-in)\n"
          "Copyright (C) 2002-22, Bruce Allen, Christian Franke, www.smartmontools.org\n")
TYPES = {"ATA": "sat", "NVMe": "nvme", "SCSI": "scsi"}
KNOWN_TYPES = ("auto", "test", "ata", "scsi", "nvme", "sat", "usbjmicron", "usbcypress", "usbsunplus", "sntjmicron", "megaraid")


def staged() -> dict:
    """{'sda': path, 'nvme0n1': path, ...} of the staged captures."""
    return {os.path.basename(p)[:-5]: p for p in sorted(glob.glob(os.path.join(DATA_DIR, "*.json")))}


def controller(name: str) -> str:
    """nvme0n1 -> nvme0 (smartctl's scan names the controller); other names stay."""
    if name.startswith("nvme") and "n" in name[4:]:
        return name[: 4 + name[4:].index("n")]
    return name


def find(dev: str, devices: dict):
    """The staged name for DEV (/dev/sda, sda, /dev/nvme0 for nvme0n1), or None."""
    name = dev[5:] if dev.startswith("/dev/") else dev
    if name in devices:
        return name
    for staged_name in devices:
        if controller(staged_name) == name:
            return staged_name
    return None


def exit_status(data: dict) -> int:
    """smartctl's exit bitmask for this output: the capture's own, else what its content implies."""
    recorded = (data.get("smartctl") or {}).get("exit_status")
    if isinstance(recorded, int):
        return recorded
    return implied_status(data)


def implied_status(data: dict) -> int:
    status = 0
    if (data.get("smart_status") or {}).get("passed") is False:
        status |= 0x08
    nvme = data.get("nvme_smart_health_information_log") or {}
    if nvme.get("critical_warning"):
        status |= 0x08
    for attr in (data.get("ata_smart_attributes") or {}).get("table") or ():
        when = (attr.get("when_failed") or "").strip()
        if when == "now":
            status |= 0x10
        elif when == "past":
            status |= 0x20
    if ((data.get("ata_smart_error_log") or {}).get("summary") or {}).get("count"):
        status |= 0x40
    tests = ((data.get("ata_smart_self_test_log") or {}).get("standard") or {}).get("table") or ()
    if any((t.get("status") or {}).get("passed") is False for t in tests):
        status |= 0x80
    return status


def device_section(name: str, data: dict) -> dict:
    protocol = (data.get("device") or {}).get("protocol") or ("NVMe" if name.startswith("nvme") else "ATA")
    dev_type = TYPES.get(protocol, "scsi")
    dev = "/dev/" + name
    info = dev if dev_type == "nvme" else "%s [%s]" % (dev, dev_type.upper())
    return {"name": dev, "info_name": info, "type": dev_type, "protocol": protocol}


def header(argv: list, status: int, messages=None) -> dict:
    meta = {"version": VERSION, "svn_revision": "5338", "platform_info": "x86_64-linux-siaklab",
            "build_info": "(siaklab stand-in)", "argv": ["smartctl"] + argv}
    if messages:
        meta["messages"] = [{"string": m, "severity": "error"} for m in messages]
    meta["exit_status"] = status
    return {"json_format_version": [1, 0], "smartctl": meta}


def load(path: str) -> dict:
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def scan(argv: list, as_json: bool, out) -> int:
    devices = []
    for name, path in staged().items():
        section = device_section(name, load(path))
        if section["type"] == "nvme":
            ctrl = "/dev/" + controller(name)
            section.update(name=ctrl, info_name=ctrl)
        devices.append(section)
    if as_json:
        doc = header(argv, 0)
        doc["devices"] = devices
        out.write(json.dumps(doc, indent=2) + "\n")
    else:
        for dev in devices:
            what = "NVMe device" if dev["type"] == "nvme" else "%s device" % dev["protocol"]
            out.write("%s -d %s # %s, %s\n" % (dev["name"], dev["type"], dev["info_name"], what))
    return 0


def fail_open(argv: list, dev: str, reason: str, as_json: bool, out) -> int:
    message = "Smartctl open device: %s failed: %s" % (dev, reason)
    if as_json:
        out.write(json.dumps(header(argv, 2, [message]), indent=2) + "\n")
    else:
        out.write(BANNER + "\n" + message + "\n")
    return 2


def text_report(data: dict) -> str:
    """A short smartctl-like text form of the staged data (for a technician in the lab)."""
    lines = [BANNER, "=== START OF INFORMATION SECTION ==="]
    if data.get("model_family"):
        lines.append("Model Family:     %s" % data["model_family"])
    lines.append("Device Model:     %s" % data.get("model_name", "-"))
    lines.append("Serial Number:    %s" % data.get("serial_number", "-"))
    capacity = (data.get("user_capacity") or {}).get("bytes") or data.get("nvme_total_capacity")
    if capacity:
        lines.append("User Capacity:    {:,} bytes".format(capacity))
    lines += ["", "=== START OF SMART DATA SECTION ==="]
    passed = (data.get("smart_status") or {}).get("passed")
    lines.append("SMART overall-health self-assessment test result: %s"
                 % ("PASSED" if passed else "FAILED!" if passed is False else "UNKNOWN"))
    nvme = data.get("nvme_smart_health_information_log")
    if nvme:
        lines += ["", "SMART/Health Information (NVMe Log 0x02)",
                  "Critical Warning:                   0x%02x" % nvme.get("critical_warning", 0),
                  "Temperature:                        %s Celsius" % nvme.get("temperature", "-"),
                  "Available Spare:                    %s%%" % nvme.get("available_spare", "-"),
                  "Percentage Used:                    %s%%" % nvme.get("percentage_used", "-"),
                  "Media and Data Integrity Errors:    %s" % nvme.get("media_errors", "-")]
    table = (data.get("ata_smart_attributes") or {}).get("table")
    if table:
        lines += ["", "ID# ATTRIBUTE_NAME          FLAG     VALUE WORST THRESH TYPE      UPDATED  WHEN_FAILED RAW_VALUE"]
        for attr in table:
            flags = attr.get("flags") or {}
            lines.append("%3d %-23s 0x%04x   %03d   %03d   %03d    %-9s %-8s %-11s %s" % (
                attr["id"], attr["name"], flags.get("value", 0), attr["value"], attr["worst"], attr["thresh"],
                "Pre-fail" if flags.get("prefailure") else "Old_age", "Always" if flags.get("updated_online") else "Offline",
                attr.get("when_failed") or "-", (attr.get("raw") or {}).get("string", "")))
    return "\n".join(lines) + "\n\n"


def main(argv: list, out=sys.stdout) -> int:
    as_json = False
    action = None
    dev = None
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg in ("-j", "--json") or arg.startswith("--json="):
            as_json = True
        elif arg in ("--scan", "--scan-open"):
            action = "scan"
        elif arg in ("-a", "--all", "-x", "--xall", "-H", "--health", "-i", "--info", "-A", "--attributes"):
            action = action or "report"
        elif arg in ("-V", "--version"):
            action = "version"
        elif arg in ("-d", "--device", "-n", "--nocheck", "-l", "--log", "-T", "--tolerance", "-f", "--format"):
            value = argv[i + 1] if i + 1 < len(argv) else ""
            if arg in ("-d", "--device") and value.split(",")[0] not in KNOWN_TYPES:
                out.write(BANNER + "\n=======> INVALID ARGUMENT TO -d: %s\n" % value)
                return 1
            i += 1
        elif arg.startswith("--") and "=" in arg:
            pass
        elif arg.startswith("-"):
            out.write(BANNER + "\n=======> UNRECOGNIZED OPTION: %s\n" % arg.lstrip("-"))
            return 1
        else:
            dev = arg
        i += 1
    if action == "version":
        out.write(BANNER)
        return 0
    if action == "scan":
        return scan(argv, as_json, out)
    if action is None or dev is None:
        out.write(BANNER + "\nERROR: smartctl requires a device name as the final command-line argument.\n")
        return 1
    devices = staged()
    name = find(dev, devices)
    if name is None:
        return fail_open(argv, dev, "No such device", as_json, out)
    if os.geteuid() != 0:
        return fail_open(argv, dev, "Permission denied", as_json, out)
    data = load(devices[name])
    status = exit_status(data)
    if as_json:
        data["smartctl"] = header(argv, status)["smartctl"]
        data["device"] = device_section(name, data)
        out.write(json.dumps(data, indent=2) + "\n")
    else:
        out.write(text_report(data))
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
