"""Hardware a lab host shows: disks with SMART, a UPS, a temperature sensor (lab/README.md,
"Hardware").

Each managed host has a folder ``<state>/hosts/<name>/hw`` whose parts the boot script
binds inside the host's own mount namespace (the admin machine never sees them):

    hw/run      -> /run/siaklab          staged answers: smart/<dev>.json, ups/<host>/<ups>.txt
    hw/sbin     -> /usr/local/sbin       the stand-ins smartctl and upsc (lab/hosts/*.py)
    hw/block    -> /sys/block            hosts with disks only: the staged disks' sysfs files
    hw/thermal  -> /sys/class/thermal    a thermal zone with its hot and critical trip points
    hw/hwmon    -> /sys/class/hwmon      the same sensor as hwmon (only where the kernel has hwmon)

The folder's content is a pure function of the host's line in ``HARDWARE_TABLE`` and its
staged faults (``hardware_tree``); ``write_hardware`` makes the folder match it, so a
fault is staged or cleared by rewriting files (the bind mounts show the change at once)
and a rebuilt host gets the same hardware again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from lab.helpers import write_if_changed
from lab.office import HARDWARE_TABLE, TEMPLATES, Host, LabError, host_dir

CAPTURES = TEMPLATES / "hardware"
# The captured `smartctl --json -a` answers (lab/hosts/hardware/README.md names their sources).
SMART_CAPTURES = {
    "ata": "scrutiny_smart-ata.json",                    # WDC WD140EDFZ, PASSED, no bad sector
    "ata-failing": "scrutiny_smart-fail2.json",          # Hitachi HDS721050DLE630: FAILED, 1975 reallocated, 8 pending
    "nvme": "smartctl_exporter_nvme-null-INTEL_SSDPE2KX020T7-nvme6.json",               # PASSED, 75 % used
    "nvme-failing": "smartctl_exporter_nvme-null-SAMSUNG_MZWLL3T2HAJQ-00005-nvme0.json",  # critical warning 0x10
}
UPS_CAPTURE = "telegraf_CyberPowerSystems_CP900EPFCLCD_variables.dev"  # upsc of a CyberPower UPS: OL, 100 %
STAND_INS = {"smartctl": "smartctl.py", "upsc": "upsc.py"}

# The staged sensor: millidegrees in sysfs; hot and critical points as on a server CPU.
SENSOR_CELSIUS = 45
SENSOR_HIGH = 80
SENSOR_CRIT = 95
TEMP_HIGH_DEFAULT = 90      # temp-high without --celsius: above the hot point, below critical
NVME_WORN_DEFAULT = 100     # smart-nvme-worn without --used-percent: the rated life is used up
UPS_CHARGE = {"ups-on-battery": 80, "ups-low-battery": 15}
UPS_KINDS = ("ups-on-battery", "ups-low-battery", "ups-down")
DISK_KINDS = ("smart-failing", "smart-nvme-worn", "disk-removed")

HW_FAULT_KINDS = {
    "smart-failing": "[--device D] that disk's SMART answer is a captured failing disk (ATA: FAILED, reallocated and pending sectors; NVMe: critical warning)",
    "smart-nvme-worn": "[--device D] [--used-percent P] the NVMe disk reports P % of its rated life used (default 100)",
    "disk-removed": "[--device D] the disk disappears (sysfs and smartctl's scan)",
    "smartctl-missing": "the smartctl stand-in disappears from the host",
    "ups-on-battery": "[--charge P] the UPS runs on battery (ups.status OB DISCHRG, default 80 %)",
    "ups-low-battery": "[--charge P] the UPS battery is low (OB DISCHRG LB, default 15 %)",
    "ups-down": "upsd refuses connections (upsc: Connection refused)",
    "temp-high": "[--celsius C] the staged sensor reads C (default 90: above its hot point 80, below critical 95)",
}


def hardware_of(host: Host) -> dict:
    """The host's line of HARDWARE_TABLE (a host not listed has nothing staged)."""
    hw = HARDWARE_TABLE.get(host.name, {})
    return {"disks": dict(hw.get("disks", {})), "ups": list(hw.get("ups", [])), "sensor": bool(hw.get("sensor"))}


def capture(name: str) -> str:
    return (CAPTURES / name).read_text(encoding="utf-8")


def worn_nvme(used_percent: int) -> str:
    """The healthy NVMe capture with its Percentage Used set (derived data, see the README)."""
    data = json.loads(capture(SMART_CAPTURES["nvme"]))
    data["nvme_smart_health_information_log"]["percentage_used"] = int(used_percent)
    return json.dumps(data, indent=2) + "\n"


def ups_listing(kind: str | None, charge: float | None = None) -> str:
    """The captured upsc listing; on battery or low battery: status, charge, runtime and input cut to match."""
    text = capture(UPS_CAPTURE)
    if kind not in UPS_CHARGE:
        return text
    charge = UPS_CHARGE[kind] if charge is None else charge
    status = "OB DISCHRG LB" if kind == "ups-low-battery" else "OB DISCHRG"
    new = {"ups.status": status, "battery.charge": f"{charge:g}", "battery.runtime": str(int(4020 * charge / 100)),
           "input.voltage": "0.0"}
    lines = []
    for line in text.splitlines():
        key = line.split(": ", 1)[0]
        lines.append(f"{key}: {new[key]}" if key in new else line)
    return "\n".join(lines) + "\n"


def _sysfs_disk(dev: str, kind: str, smart: dict) -> dict:
    """The files of /sys/block/<dev> the hardware module and lsblk read (kernel sysfs layout)."""
    size = (smart.get("user_capacity") or {}).get("bytes") or smart.get("nvme_total_capacity") or 0
    base = f"block/{dev}"
    files = {
        f"{base}/size": f"{size // 512}\n",
        f"{base}/removable": "0\n",
        f"{base}/ro": "0\n",
        f"{base}/queue/rotational": "1\n" if smart.get("rotation_rate") else "0\n",
        f"{base}/queue/logical_block_size": f"{smart.get('logical_block_size', 512)}\n",
    }
    model = smart.get("model_name") or ""
    if kind == "nvme":
        files[f"{base}/dev"] = "259:0\n"
        files[f"{base}/device/model"] = f"{model:<40}\n"
        files[f"{base}/device/serial"] = f"{smart.get('serial_number', ''):<20}\n"
    else:  # libata: SCSI INQUIRY vendor "ATA" (8 wide) and the model's first 16 characters
        files[f"{base}/dev"] = "8:0\n"
        files[f"{base}/device/vendor"] = "ATA     \n"
        files[f"{base}/device/model"] = f"{model[:16]:<16}\n"
    return files


def hardware_tree(host: Host, hf: dict) -> dict:
    """{relative path under hw/: (content, mode)} for the host's table line and staged faults ``hf``."""
    hw = hardware_of(host)
    tree = {}
    failing = set(hf.get("smart-failing", []))
    removed = set(hf.get("disk-removed", []))
    worn = hf.get("smart-nvme-worn", {})
    for dev, kind in hw["disks"].items():
        if dev in removed:
            continue
        if dev in failing:
            text = capture(SMART_CAPTURES[kind + "-failing"])
        elif dev in worn:
            text = worn_nvme(worn[dev])
        else:
            text = capture(SMART_CAPTURES[kind])
        tree[f"run/smart/{dev}.json"] = (text, 0o644)
        tree.update({path: (content, 0o444) for path, content in _sysfs_disk(dev, kind, json.loads(text)).items()})
    if hw["disks"] and not hf.get("smartctl-missing"):
        tree["sbin/smartctl"] = ((TEMPLATES / STAND_INS["smartctl"]).read_text(encoding="utf-8"), 0o755)
    if hw["ups"]:
        tree["sbin/upsc"] = ((TEMPLATES / STAND_INS["upsc"]).read_text(encoding="utf-8"), 0o755)
        kind = next((k for k in UPS_KINDS if k in hf), None)
        for name in hw["ups"]:
            ups, _, where = name.partition("@")
            where = where.split(":")[0] or "localhost"
            if kind == "ups-down":
                tree[f"run/ups/{where}/refused"] = ("upsd refuses connections (siaklab fault ups-down)\n", 0o644)
            else:
                charge = (hf.get(kind) or {}).get("charge") if kind else None
                tree[f"run/ups/{where}/{ups}.txt"] = (ups_listing(kind, charge), 0o644)
    if hw["sensor"]:
        celsius = (hf.get("temp-high") or {}).get("celsius", SENSOR_CELSIUS)
        milli = f"{int(round(celsius * 1000))}\n"
        zone = "thermal/thermal_zone0"
        tree.update({
            f"{zone}/type": ("x86_pkg_temp\n", 0o444),
            f"{zone}/temp": (milli, 0o444),
            f"{zone}/mode": ("enabled\n", 0o444),
            f"{zone}/trip_point_0_type": ("hot\n", 0o444),
            f"{zone}/trip_point_0_temp": (f"{SENSOR_HIGH * 1000}\n", 0o444),
            f"{zone}/trip_point_1_type": ("critical\n", 0o444),
            f"{zone}/trip_point_1_temp": (f"{SENSOR_CRIT * 1000}\n", 0o444),
            "hwmon/hwmon0/name": ("coretemp\n", 0o444),
            "hwmon/hwmon0/temp1_label": ("Package id 0\n", 0o444),
            "hwmon/hwmon0/temp1_input": (milli, 0o444),
            "hwmon/hwmon0/temp1_max": (f"{SENSOR_HIGH * 1000}\n", 0o444),
            "hwmon/hwmon0/temp1_crit": (f"{SENSOR_CRIT * 1000}\n", 0o444),
        })
    return tree


# The folders bound into the host (always present, maybe empty) and where.
MOUNTS = (("run", "/run/siaklab"), ("sbin", "/usr/local/sbin"), ("thermal", "/sys/class/thermal"),
          ("hwmon", "/sys/class/hwmon"), ("block", "/sys/block"))


def hw_root(host: Host) -> Path:
    return host_dir(host) / "hw"


def write_hardware(host: Host, hf: dict) -> None:
    """Make <hostdir>/hw match hardware_tree(host, hf): write what changed, remove the rest."""
    root = hw_root(host)
    tree = hardware_tree(host, hf)
    for sub, _ in MOUNTS:
        (root / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(root / sub, 0o755)
    for rel, (content, mode) in tree.items():
        write_if_changed(root / rel, content, mode)
    for dirpath, dirnames, filenames in os.walk(root, topdown=False):
        for name in filenames:
            path = Path(dirpath, name)
            if str(path.relative_to(root)) not in tree:
                path.unlink()
        for name in dirnames:
            path = Path(dirpath, name)
            if path.parent != root and not any(path.iterdir()):
                path.rmdir()


def boot_lines(host: Host) -> list:
    """Shell lines of the boot script that bind the host's hardware folders."""
    root = hw_root(host)
    lines = [f"mkdir -p /run/siaklab && mount --bind {root / 'run'} /run/siaklab"]
    for sub, target in MOUNTS[1:]:
        if sub == "block" and not hardware_of(host)["disks"]:
            continue  # a host without staged disks keeps the machine's own (virtual) disks
        lines.append(f"if [ -d {target} ]; then mount --bind {root / sub} {target}; fi")
    return lines


def hardware_mounted(pid1: int) -> bool:
    """Whether a running host has its hardware folders bound (a host built by an older lab has not)."""
    try:
        with open(f"/proc/{pid1}/mountinfo", encoding="utf-8") as handle:
            return any(line.split()[4] == "/run/siaklab" for line in handle)
    except OSError:
        return False


def _number(params: dict, key: str, kind: str, default, lo, hi) -> float:
    value = params.get(key)
    if value is None:
        return default
    try:
        value = float(value)
    except (TypeError, ValueError) as exc:
        raise LabError(f"--{key.replace('_', '-')} must be a number, not {value!r}") from exc
    if not lo <= value <= hi:
        raise LabError(f"fault {kind}: --{key.replace('_', '-')} must be between {lo} and {hi}")
    return value


def stage_hardware(host: Host, kind: str, params: dict, hf: dict) -> None:
    """Record a hardware fault in ``hf`` (the host's entry of faults.json), refusing what the host lacks."""
    hw = hardware_of(host)
    if kind in DISK_KINDS:
        disks = hw["disks"]
        if not disks:
            raise LabError(f"{host.name} has no staged disk (its disk is virtual); disks are staged on "
                           f"{', '.join(n for n, h in HARDWARE_TABLE.items() if h.get('disks'))}")
        wanted = [d for d, k in disks.items() if kind != "smart-nvme-worn" or k == "nvme"]
        if not wanted and not params.get("device"):
            raise LabError(f"{host.name} has no NVMe disk (its disks: {', '.join(disks)})")
        device = str(params.get("device") or wanted[0])
        if device.startswith("/dev/"):
            device = device[5:]
        if device not in disks:
            raise LabError(f"{host.name} has no disk {device!r} (its disks: {', '.join(disks)})")
        if kind == "smart-nvme-worn" and disks[device] != "nvme":
            raise LabError(f"{device} on {host.name} is not an NVMe disk")
        for other in DISK_KINDS:
            entry = hf.get(other)
            if isinstance(entry, list) and device in entry:
                entry.remove(device)
            elif isinstance(entry, dict):
                entry.pop(device, None)
            if other in hf and not hf[other]:
                del hf[other]
        if kind == "smart-nvme-worn":
            hf.setdefault(kind, {})[device] = int(_number(params, "used_percent", kind, NVME_WORN_DEFAULT, 0, 255))
        else:
            hf.setdefault(kind, []).append(device)
    elif kind == "smartctl-missing":
        if not hw["disks"]:
            raise LabError(f"{host.name} has no smartctl stand-in to remove (its disk is virtual)")
        hf[kind] = True
    elif kind in UPS_KINDS:
        if not hw["ups"]:
            raise LabError(f"{host.name} has no UPS (UPS: {', '.join(n for n, h in HARDWARE_TABLE.items() if h.get('ups'))})")
        for other in UPS_KINDS:
            hf.pop(other, None)
        hf[kind] = {} if kind == "ups-down" else {"charge": _number(params, "charge", kind, UPS_CHARGE[kind], 0, 100)}
    elif kind == "temp-high":
        if not hw["sensor"]:
            raise LabError(f"{host.name} has no staged temperature sensor (a virtual machine)")
        hf[kind] = {"celsius": _number(params, "celsius", kind, TEMP_HIGH_DEFAULT, -40, 150)}
    else:
        raise LabError(f"not a hardware fault: {kind}")
