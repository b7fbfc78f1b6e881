# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Judging what a Linux host told about itself: findings -> result records (SOP step 3).

Pure functions: each ``eval_*`` takes parsed data (see ``siak_host_parse``) and the
thresholds, and returns a list of result records (``siak_result.record``) without
``step``/``target``. Messages are Bahasa Indonesia, ``message_en`` English. Defaults
follow the Checkmk / Zabbix / Nagios plugin conventions (docs/DEVELOPING.md).
"""

from __future__ import annotations

import re

from ansible.module_utils.siak_result import (CRITICAL, OK, UNKNOWN, WARNING, decimal_comma, judge, mask_personal,
                                              record, unknown, worst)
from ansible.module_utils.siak_host_parse import RUNNING, STOPPED, find_processes, parse_port_spec, systemd_state

DEFAULTS = {
    "disk_warn": 80.0, "disk_crit": 90.0,
    "inode_warn": 90.0, "inode_crit": 95.0,
    "memory_warn": 80.0, "memory_crit": 90.0,
    # Zabbix's Linux template warns at less than 50 % free swap.
    "swap_warn": 50.0, "swap_crit": 80.0,
    "load_warn": 1.5, "load_crit": 3.0, "load_period": 15,
    "time_offset_warn": 1.0, "time_offset_crit": 60.0,
    "logs_warn": 1, "logs_crit": None, "logs_crit_lines": 1,
    "backup_warn_hours": 26.0, "backup_crit_hours": 72.0, "backup_min_size": 1,
    # A backup under half the size of the same job's previous one was likely cut short.
    "backup_shrink_pct": 50.0,
    # Nagios check_apt / Checkmk: pending updates warn, security updates are critical.
    "updates_warn": 1, "updates_crit": None, "security_warn": None, "security_crit": 1,
    "updates_cache_max_days": 7.0,
    "reboot_status": WARNING,
}

DEFAULT_ERROR_PATTERN = r"(?i)\b(error|errors|err|fatal|segfault|out of memory|oom-killer|call trace)\b"
DEFAULT_CRITICAL_PATTERN = r"(?i)\b(crit|critical|alert|emerg|emergency|panic)\b"

def _fmt(value, digits=1):
    """Indonesian number: comma decimal."""
    if isinstance(value, float):
        return decimal_comma(value, digits)
    return str(value)


def human_bytes(num):
    """1536 -> '1,5 KiB' (binary units, Indonesian decimal comma)."""
    value = float(num)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if abs(value) < 1024 or unit == "TiB":
            return ("%d %s" % (value, unit)) if unit == "B" else "%s %s" % (_fmt(value), unit)
        value /= 1024.0
    return "%d B" % num  # pragma: no cover


def human_duration(seconds, lang="id"):
    """Seconds -> '3 hari 4 jam' / '3 days 4 hours' (two largest units)."""
    seconds = int(max(0, seconds))
    units = (("hari", "days", 86400), ("jam", "hours", 3600), ("menit", "minutes", 60), ("detik", "seconds", 1))
    parts = []
    for name_id, name_en, size in units:
        if seconds >= size or (not parts and size == 1):
            count, seconds = divmod(seconds, size)
            parts.append("%d %s" % (count, name_id if lang == "id" else name_en))
        if len(parts) == 2:
            break
    return " ".join(parts)


# ---------------------------------------------------------------------------------------
# disk
# ---------------------------------------------------------------------------------------

def eval_read_only(fs):
    """(status, words id, words en) for a filesystem mounted read-only, or None.

    Mounted read-only where /etc/fstab mounts it read-write: CRITICAL, the kernel's
    ``errors=remount-ro`` after disk errors (the host runs on, but nothing can be written:
    the database, its logs, the backups). Read-only and not in /etc/fstab: WARNING, as
    nothing says it is meant. Read-only as /etc/fstab says (``ro``): as meant, None."""
    if "ro" not in (fs.get("options") or ()):
        return None
    fstab = fs.get("fstab_options")
    if fstab is not None and "ro" in fstab:
        return None
    mount = fs["mountpoint"]
    if fstab is not None:
        return (CRITICAL,
                "Sistem berkas %s terpasang hanya-baca (read-only), padahal /etc/fstab memasangnya baca-tulis: "
                "biasanya kernel memasangnya ulang hanya-baca setelah galat disk, dan tidak ada data yang dapat "
                "ditulis ke sana." % mount,
                "The filesystem %s is mounted read-only although /etc/fstab mounts it read-write: usually the "
                "kernel remounted it read-only after disk errors, and nothing can be written to it." % mount)
    return (WARNING,
            "Sistem berkas %s terpasang hanya-baca (read-only) dan tidak tercantum di /etc/fstab: bila tidak "
            "disengaja, tidak ada data yang dapat ditulis ke sana." % mount,
            "The filesystem %s is mounted read-only and /etc/fstab does not list it: unless that is meant, nothing "
            "can be written to it." % mount)


def eval_disk(filesystems, disk_warn, disk_crit, inode_warn, inode_crit):
    """Records for space (category ``disk``) and inodes (category ``inode``) per mount point.

    ``filesystems``: list of {mountpoint, device, fstype, usage (statvfs_usage) or error}.
    """
    records = []
    if not filesystems:
        return [unknown("disk", "*", "Tidak ada sistem berkas nyata yang ditemukan di /proc/mounts.",
                        "No real filesystem found in /proc/mounts.")]
    for fs in filesystems:
        mount = fs["mountpoint"]
        ctx = {"device": fs["device"], "fstype": fs["fstype"]}
        if fs.get("error"):
            records.append(unknown("disk", mount, "Pemakaian %s tidak dapat dibaca: %s" % (mount, fs["error"]),
                                   "Cannot read the use of %s: %s" % (mount, fs["error"]), details=ctx))
            continue
        usage = fs["usage"]
        status = judge(usage["used_pct"], disk_warn, disk_crit)
        details = dict(ctx, size_bytes=usage["size_bytes"], used_bytes=usage["used_bytes"], avail_bytes=usage["avail_bytes"])
        message_id = "Ruang disk %s (%s) terpakai %s%%, sisa %s dari %s." % (
            mount, fs["device"], _fmt(usage["used_pct"]), human_bytes(usage["avail_bytes"]), human_bytes(usage["size_bytes"]))
        message_en = "Disk space on %s (%s) is %s%% used, %d bytes free of %d." % (
            mount, fs["device"], usage["used_pct"], usage["avail_bytes"], usage["size_bytes"])
        readonly = eval_read_only(fs)
        if readonly:
            ro_status, ro_id, ro_en = readonly
            status = worst((status, ro_status))
            message_id, message_en = ro_id + " " + message_id, ro_en + " " + message_en
            details.update(read_only=True, fstab_options=fs.get("fstab_options"))
        records.append(record("disk", mount, status, message_id, value=usage["used_pct"], unit="%", warn=disk_warn,
                              crit=disk_crit, message_en=message_en, details=details))
        if usage["inodes_pct"] is not None:
            status = judge(usage["inodes_pct"], inode_warn, inode_crit)
            records.append(record(
                "inode", mount, status,
                "Inode %s terpakai %s%% (%d dari %d)." % (mount, _fmt(usage["inodes_pct"]), usage["inodes_used"], usage["inodes_total"]),
                value=usage["inodes_pct"], unit="%", warn=inode_warn, crit=inode_crit,
                message_en="Inodes on %s are %s%% used (%d of %d)." % (mount, usage["inodes_pct"], usage["inodes_used"], usage["inodes_total"]),
                details=ctx))
    return records


# ---------------------------------------------------------------------------------------
# memory, load, uptime
# ---------------------------------------------------------------------------------------

def eval_memory(usage, memory_warn, memory_crit, swap_warn, swap_crit):
    """Records ``memory``/``ram`` (MemAvailable based) and ``swap``/``swap``."""
    status = judge(usage["used_pct"], memory_warn, memory_crit)
    records = [record(
        "memory", "ram", status,
        "Memori terpakai %s%% (tersedia %s dari %s)." % (
            _fmt(usage["used_pct"]), human_bytes(usage["available_kb"] * 1024), human_bytes(usage["total_kb"] * 1024)),
        value=usage["used_pct"], unit="%", warn=memory_warn, crit=memory_crit,
        message_en="Memory is %s%% used (%d kB available of %d kB, from %s)." % (
            usage["used_pct"], usage["available_kb"], usage["total_kb"], usage["basis"]),
        details={"total_kb": usage["total_kb"], "available_kb": usage["available_kb"], "basis": usage["basis"]})]
    if usage["swap_pct"] is None:
        records.append(record("swap", "swap", OK, "Swap tidak dikonfigurasi.", value=0.0, unit="%",
                              warn=swap_warn, crit=swap_crit, message_en="No swap is configured.",
                              details={"swap_total_kb": 0}))
    else:
        status = judge(usage["swap_pct"], swap_warn, swap_crit)
        records.append(record(
            "swap", "swap", status,
            "Swap terpakai %s%% (%s dari %s)." % (
                _fmt(usage["swap_pct"]), human_bytes(usage["swap_used_kb"] * 1024), human_bytes(usage["swap_total_kb"] * 1024)),
            value=usage["swap_pct"], unit="%", warn=swap_warn, crit=swap_crit,
            message_en="Swap is %s%% used (%d kB of %d kB)." % (usage["swap_pct"], usage["swap_used_kb"], usage["swap_total_kb"]),
            details={"swap_total_kb": usage["swap_total_kb"], "swap_used_kb": usage["swap_used_kb"]}))
    return records


def eval_load(loads, cpus, load_warn, load_crit, period=15):
    """One ``load`` record: the ``period``-minute load average divided by the CPU count."""
    if not cpus:
        return [unknown("load", "load%d" % period, "Jumlah CPU tidak diketahui.", "The CPU count is unknown.")]
    index = {1: 0, 5: 1, 15: 2}[int(period)]
    per_core = [round(v / cpus, 2) for v in loads]
    value = per_core[index]
    status = judge(value, load_warn, load_crit)
    return [record(
        "load", "load%d" % period, status,
        "Beban rata-rata %d menit %s per inti (%s total, %d CPU); 1/5/15 menit: %s." % (
            period, _fmt(value, 2), _fmt(loads[index], 2), cpus, " / ".join(_fmt(v, 2) for v in loads)),
        value=value, unit="load/core", warn=load_warn, crit=load_crit,
        message_en="%d-minute load is %.2f per core (%.2f total, %d CPUs); 1/5/15 min: %s." % (
            period, value, loads[index], cpus, " / ".join("%.2f" % v for v in loads)),
        details={"load1": loads[0], "load5": loads[1], "load15": loads[2], "cpus": cpus,
                 "per_core": {"load1": per_core[0], "load5": per_core[1], "load15": per_core[2]}})]


def eval_uptime(uptime_seconds, boot_time, previous_boot_time, reboot_status=WARNING, tolerance=120):
    """One ``uptime`` record; a boot time that moved since the previous round is a reboot.

    Boot times read from /proc/stat can shift by a second or two when the clock is
    adjusted: ``tolerance`` seconds absorb that.
    """
    rebooted = previous_boot_time is not None and boot_time is not None and abs(boot_time - previous_boot_time) > tolerance
    text_id = "Menyala %s." % human_duration(uptime_seconds)
    text_en = "Up for %s." % human_duration(uptime_seconds, "en")
    status = OK
    if rebooted:
        status = reboot_status
        text_id = "Dinyalakan ulang sejak putaran sebelumnya; menyala %s." % human_duration(uptime_seconds)
        text_en = "Rebooted since the previous round; up for %s." % human_duration(uptime_seconds, "en")
    return [record("uptime", "boot", status, text_id, value=int(uptime_seconds), unit="s",
                   message_en=text_en,
                   details={"boot_time": boot_time, "previous_boot_time": previous_boot_time, "rebooted": rebooted})]


# ---------------------------------------------------------------------------------------
# services and ports
# ---------------------------------------------------------------------------------------

def normalize_service(spec):
    """A service expectation: a name, or {name, units, process, port}.

    ``units`` are the systemd unit / SysV script names to try (Debian calls sshd
    ``ssh``), ``process`` the command name for the process fallback.
    """
    if isinstance(spec, str):
        spec = {"name": spec}
    if not isinstance(spec, dict) or not spec.get("name"):
        raise ValueError("a service needs a name: %r" % (spec,))
    units = spec.get("units") or [spec["name"]]
    if isinstance(units, str):
        units = [units]
    return {"name": str(spec["name"]), "units": [str(u) for u in units],
            "process": str(spec.get("process") or spec["name"])}


def service_state(spec, systemd_units=None, sysv_states=None, processes=None):
    """(state, how) for one normalized service.

    Order: systemd (when it runs), then SysV ``service --status-all``, then the process
    table. ``state`` is running / stopped / None (cannot tell); ``how`` says which
    source answered, e.g. ``systemd:sshd``, ``sysv:ssh``, ``process:tnslsnr``.
    """
    if systemd_units is not None:
        for unit in spec["units"]:
            state = systemd_state(systemd_units.get(unit))
            if state is not None:
                return state, "systemd:%s" % unit
    if sysv_states is not None:
        for unit in spec["units"]:
            state = sysv_states.get(unit)
            if state in (RUNNING, STOPPED):
                return state, "sysv:%s" % unit
    if processes is not None:
        pids = find_processes(processes, spec["process"])
        return (RUNNING if pids else STOPPED), "process:%s" % spec["process"]
    return None, "none"


def unique_services(specs):
    """The normalized services, one per name in the order first named: a service named again
    (a group's list repeating a common one) takes the later, more specific expectation."""
    by_name = {}
    for raw in specs:
        spec = normalize_service(raw)
        by_name[spec["name"]] = spec  # a dict keeps the first position of a key it updates
    return list(by_name.values())


def eval_services(specs, systemd_units=None, sysv_states=None, processes=None, process_error=None):
    """One ``service`` record per expected service (one per name): running OK, stopped CRITICAL."""
    records = []
    for spec in unique_services(specs):
        state, how = service_state(spec, systemd_units, sysv_states, processes)
        if state is None:
            reason = process_error or "tidak ada systemd, skrip SysV, maupun daftar proses"
            records.append(unknown("service", spec["name"], "Status layanan %s tidak dapat diketahui: %s." % (spec["name"], reason),
                                   "Cannot tell the state of service %s: %s." % (spec["name"], reason),
                                   details={"source": how}))
            continue
        if state == RUNNING:
            records.append(record("service", spec["name"], OK, "Layanan %s berjalan (%s)." % (spec["name"], how),
                                  value="running", message_en="Service %s is running (%s)." % (spec["name"], how),
                                  details={"source": how}))
        else:
            records.append(record("service", spec["name"], CRITICAL, "Layanan %s TIDAK berjalan (%s)." % (spec["name"], how),
                                  value="stopped", message_en="Service %s is NOT running (%s)." % (spec["name"], how),
                                  details={"source": how}))
    return records


def eval_ports(expected, tcp_ports, udp_ports=None, source="/proc/net"):
    """One ``port`` record per expected port (``80``, ``tcp/80``, ``udp/123``; a port named twice, once)."""
    records = []
    for proto, port in dict.fromkeys(parse_port_spec(spec) for spec in expected):
        table = tcp_ports if proto == "tcp" else udp_ports
        item = "%s/%d" % (proto, port)
        if table is None:
            records.append(unknown("listen", item, "Daftar port %s tidak dapat dibaca." % proto.upper(),
                                   "Cannot read the %s port table." % proto.upper()))
            continue
        addresses = table.get(port)
        if addresses:
            records.append(record("listen", item, OK, "Port %s terbuka (mendengarkan di %s)." % (item, ", ".join(addresses)),
                                  value=True, message_en="Port %s is listening on %s." % (item, ", ".join(addresses)),
                                  details={"addresses": addresses, "source": source}))
        else:
            records.append(record("listen", item, CRITICAL, "Port %s TIDAK terbuka: tidak ada layanan yang mendengarkan." % item,
                                  value=False, message_en="Port %s is NOT listening." % item,
                                  details={"source": source}))
    return records


# ---------------------------------------------------------------------------------------
# time
# ---------------------------------------------------------------------------------------

def eval_time(info, offset_warn, offset_crit):
    """One ``time`` record from parsed chronyc / ntpq / timedatectl output.

    Offset beyond the thresholds (absolute value) warns / is critical; a clock that is
    not synchronised is a WARNING (a freshly started daemon needs a few polls).
    """
    source = info["source"]
    offset = info.get("offset")
    details = {k: v for k, v in info.items() if k in ("source", "ref_id", "ref_name", "stratum", "leap", "last_offset", "peers", "ntp")}
    if not info.get("synced"):
        return [record("time", "sync", WARNING,
                       "Jam sistem TIDAK tersinkron (%s)." % source,
                       value=offset, unit="s", warn=offset_warn, crit=offset_crit,
                       message_en="The system clock is NOT synchronised (%s)." % source, details=details)]
    if offset is None:
        return [record("time", "sync", OK, "Jam sistem tersinkron (%s; selisih tidak dilaporkan)." % source,
                       value=None, unit="s", warn=offset_warn, crit=offset_crit,
                       message_en="The system clock is synchronised (%s; no offset reported)." % source, details=details)]
    status = judge(abs(offset), offset_warn, offset_crit)
    ref = info.get("ref_name") or info.get("ref_id") or "-"
    return [record("time", "sync", status,
                   "Jam sistem tersinkron ke %s (%s), selisih %s detik." % (ref, source, _fmt(offset, 6)),
                   value=round(offset, 6), unit="s", warn=offset_warn, crit=offset_crit,
                   message_en="The system clock is synchronised to %s (%s), offset %.6f s." % (ref, source, offset),
                   details=details)]


def utc_offset_text(seconds):
    """28800 -> 'UTC+08:00', -12600 -> 'UTC-03:30'."""
    sign = "-" if seconds < 0 else "+"
    minutes = abs(int(seconds)) // 60
    return "UTC%s%02d:%02d" % (sign, minutes // 60, minutes % 60)


def eval_zone(zone, expected, expected_offset):
    """One ``time``/``zone`` record: the host's local time zone against the office's.

    ``zone``: (seconds east of UTC, abbreviation) of the host now. ``expected``: the zone
    the host should keep (an IANA name; '' the admin machine's own), ``expected_offset``
    its offset now, computed on the admin machine (None: ``expected`` is not a zone it
    knows). A host in another zone stamps its logs and the times SIAK records off by the
    difference, while its clock may be perfectly synchronised: a WARNING. Only the offset
    now is compared (the same moment, so summer time counts where a zone has it).
    """
    offset, abbrev = zone
    theirs = ("kantor " + expected) if expected else "mesin admin"
    theirs_en = ("the office's " + expected) if expected else "the admin machine's"
    details = {"host_offset": offset, "host_zone": abbrev, "expected": expected, "expected_offset": expected_offset}
    if expected_offset is None:
        return [unknown("time", "zone",
                        "Zona waktu %s (%s) tidak dapat dibandingkan: siak_host_check_time_zone %r bukan zona waktu "
                        "yang dikenal mesin admin (nama IANA seperti Asia/Makassar)." % (abbrev, utc_offset_text(offset), expected),
                        "The time zone %s (%s) cannot be compared: siak_host_check_time_zone %r is not a time zone the "
                        "admin machine knows (an IANA name such as Asia/Makassar)." % (abbrev, utc_offset_text(offset), expected),
                        details=details)]
    hours = round(offset / 3600.0, 2)
    if offset == expected_offset:
        return [record("time", "zone", OK,
                       "Zona waktu %s (%s), sama dengan zona %s." % (abbrev, utc_offset_text(offset), theirs),
                       value=hours, unit="h", message_en="The time zone is %s (%s), the same as %s."
                       % (abbrev, utc_offset_text(offset), theirs_en),
                       details=details)]
    gap = abs(offset - expected_offset)
    return [record("time", "zone", WARNING,
                   "Zona waktu %s (%s), bukan zona %s (%s): waktu yang dicatat perangkat ini (log, data aplikasi) "
                   "selisih %s dari jam kantor." % (abbrev, utc_offset_text(offset), theirs, utc_offset_text(expected_offset),
                                                    human_duration(gap)),
                   value=hours, unit="h",
                   message_en="The time zone is %s (%s), not %s (%s): the times this device records (logs, application "
                              "data) are %s off the office's clock." % (abbrev, utc_offset_text(offset), theirs_en,
                                                                         utc_offset_text(expected_offset),
                                                                         human_duration(gap, "en")),
                   details=details)]


# ---------------------------------------------------------------------------------------
# logs
# ---------------------------------------------------------------------------------------

# Most log lines one record may keep, whatever the inventory asks.
MAX_KEEP_LINES = 20


def _pattern(name, pattern):
    """``pattern`` compiled; a ValueError naming the option when it is not a regular expression."""
    if not pattern:
        return None
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise ValueError("%s %r bukan ekspresi reguler yang sah (is not a valid regular expression): %s"
                         % (name, pattern, exc)) from exc


class LogScan:
    """Counts error and critical lines and keeps the last few, bounded in size."""

    def __init__(self, error_pattern=DEFAULT_ERROR_PATTERN, critical_pattern=DEFAULT_CRITICAL_PATTERN,
                 ignore_pattern=None, keep=5, line_chars=200):
        self.error_re = _pattern("logs_error_pattern", error_pattern)
        self.critical_re = _pattern("logs_critical_pattern", critical_pattern)
        self.ignore_re = _pattern("logs_ignore_pattern", ignore_pattern)
        # Few lines, each short and with NIK numbers masked: a record is read by many people.
        self.keep = max(0, min(int(keep), MAX_KEEP_LINES))
        self.line_chars = line_chars
        self.errors = 0
        self.critical = 0
        self.scanned = 0
        self.last = []

    def _keep(self, line):
        line = mask_personal(line.rstrip("\n"))
        if len(line) > self.line_chars:
            line = line[:self.line_chars - 3] + "..."
        self.last.append(line)
        if len(self.last) > self.keep:
            del self.last[0]

    def add_line(self, line):
        """Classify a text log line by the patterns."""
        self.scanned += 1
        if self.ignore_re and self.ignore_re.search(line):
            return
        if self.critical_re and self.critical_re.search(line):
            self.critical += 1
            self._keep(line)
        elif self.error_re and self.error_re.search(line):
            self.errors += 1
            self._keep(line)

    def add_entry(self, priority, text):
        """Classify a journal entry by its syslog priority (0-2 critical, 3 error)."""
        self.scanned += 1
        if self.ignore_re and self.ignore_re.search(text):
            return
        if priority <= 2:
            self.critical += 1
            self._keep(text)
        elif priority == 3:
            self.errors += 1
            self._keep(text)


def eval_logs(scan, source, since_text, logs_warn, logs_crit=None, logs_crit_lines=1, note=None):
    """One ``log`` record: count of error + critical lines since the previous round."""
    total = scan.errors + scan.critical
    status = OK
    if logs_crit_lines is not None and scan.critical >= logs_crit_lines:
        status = CRITICAL
    elif logs_crit is not None and total >= logs_crit:
        status = CRITICAL
    elif logs_warn is not None and total >= logs_warn:
        status = WARNING
    details = {"errors": scan.errors, "critical": scan.critical, "scanned": scan.scanned, "since": since_text,
               "last_lines": list(scan.last)}
    if note:
        details["note"] = note
    if total:
        text_id = "%d baris galat (%d kritis) di %s sejak %s." % (total, scan.critical, source, since_text)
        text_en = "%d error lines (%d critical) in %s since %s." % (total, scan.critical, source, since_text)
    else:
        text_id = "Tidak ada baris galat di %s sejak %s." % (source, since_text)
        text_en = "No error lines in %s since %s." % (source, since_text)
    return [record("log", source, status, text_id, value=total, unit="lines", warn=logs_warn, crit=logs_crit,
                   message_en=text_en, details=details)]


# ---------------------------------------------------------------------------------------
# backups
# ---------------------------------------------------------------------------------------

def eval_backups(locations, warn_hours, crit_hours, min_size, shrink_pct=None):
    """One ``backup`` record per location: age (hours) of its newest file.

    ``locations``: list of {path, exists, newest: {path, age_seconds, size, previous:
    {path, size} or absent} or None, files, error}. A missing location, an empty one, or a
    newest file smaller than ``min_size`` bytes is CRITICAL. A newest file smaller than
    ``shrink_pct`` % of the previous one of its kind (the same job's: siak_host_collect.
    name_shape) is at least a WARNING: a dump cut short (a full disk, a job killed at night)
    is fresh and not empty, so age and size alone call it good.
    """
    records = []
    for loc in locations:
        path = loc["path"]
        if loc.get("error"):
            records.append(unknown("backup", path, "Lokasi cadangan %s tidak dapat dibaca: %s" % (path, loc["error"]),
                                   "Cannot read backup location %s: %s" % (path, loc["error"])))
            continue
        if not loc.get("exists"):
            records.append(record("backup", path, CRITICAL, "Lokasi cadangan %s tidak ada." % path,
                                  warn=warn_hours, crit=crit_hours, unit="h",
                                  message_en="Backup location %s does not exist." % path))
            continue
        newest = loc.get("newest")
        if not newest:
            records.append(record("backup", path, CRITICAL, "Tidak ada berkas cadangan di %s." % path,
                                  warn=warn_hours, crit=crit_hours, unit="h",
                                  message_en="No backup file in %s." % path, details={"files": 0}))
            continue
        age_h = round(newest["age_seconds"] / 3600.0, 1)
        status = judge(age_h, warn_hours, crit_hours)
        details = {"newest": newest["path"], "size_bytes": newest["size"], "files": loc.get("files")}
        if newest["size"] < (min_size or 0):
            records.append(record("backup", path, CRITICAL,
                                  "Cadangan terbaru %s berukuran %s (kurang dari %d bita)." % (newest["path"], human_bytes(newest["size"]), min_size),
                                  value=age_h, unit="h", warn=warn_hours, crit=crit_hours,
                                  message_en="The newest backup %s is %d bytes (under %d)." % (newest["path"], newest["size"], min_size),
                                  details=details))
            continue
        text = "Cadangan terbaru %s berumur %s, ukuran %s." % (newest["path"], human_duration(newest["age_seconds"]),
                                                                human_bytes(newest["size"]))
        text_en = "The newest backup %s is %s old, %d bytes." % (newest["path"], human_duration(newest["age_seconds"], "en"),
                                                                  newest["size"])
        previous = newest.get("previous")
        if shrink_pct and previous and previous.get("size") and newest["size"] * 100.0 < previous["size"] * shrink_pct:
            status = worst([status, WARNING])
            details["previous"] = previous["path"]
            details["previous_size_bytes"] = previous["size"]
            pct = 100.0 * newest["size"] / previous["size"]
            text += (" Jauh lebih kecil dari cadangan sebelumnya %s (%s): hanya %s%%, pencadangan mungkin tidak selesai."
                     % (previous["path"], human_bytes(previous["size"]), _fmt(round(pct, 1))))
            text_en += (" Far smaller than the previous backup %s (%d bytes): only %.1f %%, the backup may not have "
                        "finished." % (previous["path"], previous["size"], pct))
        records.append(record("backup", path, status, text, value=age_h, unit="h", warn=warn_hours, crit=crit_hours,
                              message_en=text_en, details=details))
    return records


# ---------------------------------------------------------------------------------------
# updates
# ---------------------------------------------------------------------------------------

def eval_updates(result, updates_warn, updates_crit, security_warn, security_crit):
    """Records ``update``/``packages`` and ``update``/``security``, or one UNKNOWN with the reason.

    ``result``: {manager, error (reason) or packages (list of dicts with 'security'),
    security_count (optional, from dnf updateinfo), cache_age_days}.
    """
    manager = result.get("manager") or "-"
    if result.get("error"):
        return [unknown("update", "packages", "Pembaruan paket tidak dapat diperiksa (%s): %s" % (manager, result["error"]),
                        "Cannot check package updates (%s): %s" % (manager, result.get("error_en") or result["error"]),
                        details={"manager": manager})]
    packages = result.get("packages") or []
    pending = len(packages)
    security = result.get("security_count")
    if security is None:
        security = sum(1 for p in packages if p.get("security"))
    names = [p["name"] for p in packages[:20]]
    details = {"manager": manager, "cache_age_days": result.get("cache_age_days"), "packages": names,
               "security_packages": [p["name"] for p in packages if p.get("security")][:20]}
    return [
        record("update", "packages", judge(pending, updates_warn, updates_crit),
               "%d paket menunggu pembaruan (%s)." % (pending, manager) if pending else "Semua paket mutakhir (%s)." % manager,
               value=pending, unit="packages", warn=updates_warn, crit=updates_crit,
               message_en="%d packages have pending updates (%s)." % (pending, manager), details=details),
        record("update", "security", judge(security, security_warn, security_crit),
               "%d pembaruan keamanan menunggu (%s)." % (security, manager) if security else "Tidak ada pembaruan keamanan tertunda (%s)." % manager,
               value=security, unit="packages", warn=security_warn, crit=security_crit,
               message_en="%d security updates are pending (%s)." % (security, manager), details={"manager": manager}),
    ]


# ---------------------------------------------------------------------------------------
# raid
# ---------------------------------------------------------------------------------------

def raid_condition(array):
    """healthy / degraded / recovering / inactive / checking for one parsed md array."""
    if not array["active"]:
        return "inactive"
    failed = any(m["failed"] for m in array["members"])
    missing = array["map"] is not None and "_" in array["map"]
    short = array["disks"] is not None and array["working"] is not None and array["working"] < array["disks"]
    if array["action"] in ("recovery", "reshape") and (missing or short):
        return "recovering"
    if failed or missing or short:
        return "degraded"
    if array["action"] in ("resync", "check", "repair"):
        return "checking"
    return "healthy"


def eval_raid(arrays):
    """One ``raid`` record per md array: degraded / inactive CRITICAL, rebuilding WARNING."""
    records = []
    for array in arrays:
        condition = raid_condition(array)
        status = {"healthy": OK, "checking": OK, "recovering": WARNING, "degraded": CRITICAL, "inactive": CRITICAL}[condition]
        members = ", ".join("%s%s" % (m["device"], " (rusak)" if m["failed"] else "") for m in array["members"])
        words_id = {"healthy": "sehat", "checking": "sehat, sedang diperiksa", "recovering": "sedang dibangun ulang",
                    "degraded": "TERDEGRADASI", "inactive": "TIDAK AKTIF"}[condition]
        progress = ""
        if array["progress"] is not None:
            progress = " (%s %s%%, selesai %s)" % (array["action"], _fmt(array["progress"]), array["finish"] or "-")
        records.append(record(
            "raid", array["name"], status,
            "RAID %s (%s) %s [%s]%s; anggota: %s." % (array["name"], array["level"] or "-", words_id, array["map"] or "-", progress, members),
            value=condition, message_en="RAID %s (%s) is %s [%s]." % (array["name"], array["level"] or "-", condition, array["map"] or "-"),
            details={"level": array["level"], "disks": array["disks"], "working": array["working"], "map": array["map"],
                     "action": array["action"], "progress": array["progress"], "members": array["members"]}))
    return records


# ---------------------------------------------------------------------------------------
# One judge per check: (raw data of its collector, the module's params) -> records.
# The table of checks (siak_host_checks.CHECKS) pairs each with its collector.
# ---------------------------------------------------------------------------------------

def judge_disk(filesystems, p):
    return eval_disk(filesystems, p["disk_warn"], p["disk_crit"], p["inode_warn"], p["inode_crit"])


def judge_memory(usage, p):
    return eval_memory(usage, p["memory_warn"], p["memory_crit"], p["swap_warn"], p["swap_crit"])


def judge_load(raw, p):
    return eval_load(raw["loads"], raw["cpus"], p["load_warn"], p["load_crit"], p["load_period"])


def judge_uptime(raw, p):
    return eval_uptime(raw["uptime"], raw["boot_time"], raw["previous_boot_time"], p["reboot_status"])


def judge_services(raw, p):
    return eval_services(p["services"], raw["systemd_units"], raw["sysv_states"], raw["processes"])


def judge_ports(raw, p):
    return eval_ports(p["ports"], raw["tcp"], raw["udp"], raw["source"])


def judge_time(raw, p):
    """The first time source that answered, or UNKNOWN with why none did; then the host's
    time zone against ``time_zone`` when the caller names one (the role always does)."""
    zone = []
    if p.get("time_zone") is not None and raw.get("zone") is not None:
        zone = eval_zone(raw["zone"], p["time_zone"], p.get("time_zone_offset"))
    if raw.get("info") is not None:
        return eval_time(raw["info"], p["time_offset_warn"], p["time_offset_crit"]) + zone
    if not raw.get("reasons"):
        return [unknown("time", "sync", "Sinkronisasi waktu tidak dapat diperiksa: chronyc, ntpq dan timedatectl tidak ada.",
                        "Cannot check time synchronisation: none of chronyc, ntpq, timedatectl is installed.")] + zone
    reasons = "; ".join(raw["reasons"])
    return [unknown("time", "sync", "Sinkronisasi waktu tidak dapat diperiksa: %s." % reasons,
                    "Cannot check time synchronisation: %s." % reasons)] + zone


def judge_logs(raw, p):
    """Classify the lines (or journal entries) read since the previous round; UNKNOWN when none could be read."""
    if raw.get("missing") == "journalctl":
        return [unknown("log", "journal", "journalctl tidak ada.", "journalctl is not installed.")]
    if raw.get("missing") == "file":
        files = ", ".join(raw["files"])
        return [unknown("log", "syslog", "Tidak ada berkas log sistem (%s)." % files, "No system log file (%s)." % files)]
    if "failed" in raw:
        return [unknown("log", "journal", "journalctl gagal: %s" % raw["failed"], "journalctl failed: %s" % raw["failed"])]
    scan = LogScan(p["logs_error_pattern"] or DEFAULT_ERROR_PATTERN, p["logs_critical_pattern"] or DEFAULT_CRITICAL_PATTERN,
                   p["logs_ignore_pattern"], keep=p["logs_keep_lines"])
    for entry in raw.get("entries") or ():
        scan.add_entry(entry["priority"], entry["text"])
    for line in raw.get("lines") or ():
        scan.add_line(line)
    return eval_logs(scan, raw["source"], raw["since"], p["logs_warn"], p["logs_crit"], p["logs_crit_lines"],
                     "; ".join(raw["notes"]) or None)


def judge_backups(locations, p):
    return eval_backups(locations, p["backup_warn_hours"], p["backup_crit_hours"], p["backup_min_size"],
                        p.get("backup_shrink_pct"))


# Why pending updates cannot be counted (siak_host_collect.collect_updates' ``reason``):
# Bahasa Indonesia and English, filled with the raw data's manager, detail and detail_id.
UPDATE_REASONS = {
    "no-manager": ("apt-get, dnf dan yum tidak ada", "none of apt-get, dnf, yum is installed"),
    "no-repository": ("tidak ada repositori yang dikonfigurasi", "no repository is configured"),
    "unreachable": ("tidak ada repositori yang dapat dihubungi (%(detail)s)", "no repository can be reached (%(detail)s)"),
    "no-lists": ("belum ada daftar paket (jalankan pembaruan indeks paket)", "no package lists yet (refresh the package index)"),
    "stale-lists": ("daftar paket sudah %(detail_id)s hari tidak diperbarui", "the package lists are %(detail)s days old"),
    "apt-failed": ("apt-get -s gagal: %(detail)s", "apt-get -s failed: %(detail)s"),
    "dnf-failed": ("%(manager)s check-update gagal: %(detail)s", "%(manager)s check-update failed: %(detail)s"),
}


def eval_reboot(flag):
    """The ``update``/``reboot`` record of an apt host: WARNING while installed updates wait for
    a restart (Debian's /run/reboot-required), naming the packages and since when."""
    if flag is None:
        return record("update", "reboot", OK, "Tidak ada pembaruan yang menunggu nyala ulang (/run/reboot-required).",
                      message_en="No installed update waits for a restart (/run/reboot-required).")
    packages = flag.get("packages") or []
    age = flag.get("age_seconds")
    age_id = " sejak %s lalu" % human_duration(age) if age is not None else ""
    age_en = " for %s" % human_duration(age, "en") if age is not None else ""
    what_id = ": %s" % ", ".join(packages[:10]) if packages else ""
    return record("update", "reboot", WARNING,
                  "Pembaruan yang sudah terpasang menunggu nyala ulang%s%s; sampai itu, versi lama yang berjalan."
                  % (age_id, what_id),
                  message_en="Installed updates have waited for a restart%s%s; until then the old versions run."
                  % (age_en, what_id), value="required", details={"packages": packages[:20], "since": flag.get("since")})


def judge_updates(raw, p):
    reboot = [eval_reboot(raw["reboot"])] if "reboot" in raw else []
    if raw.get("reason"):
        text_id, text_en = UPDATE_REASONS[raw["reason"]]
        values = {"manager": raw.get("manager"), "detail": raw.get("detail"), "detail_id": _fmt(raw.get("detail"))}
        raw = {"manager": raw.get("manager"), "error": text_id % values, "error_en": text_en % values}
    return eval_updates(raw, p["updates_warn"], p["updates_crit"], p["security_warn"], p["security_crit"]) + reboot


def judge_raid(arrays, _p):
    return eval_raid(arrays)
