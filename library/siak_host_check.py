#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_host_check
short_description: Check a SIAK server or workstation in one pass (SOP step 3)
description:
  - Collects, in one call, the host's disks and inodes, memory and swap, load per core,
    uptime and reboots, expected services and listening ports, clock synchronisation,
    error lines in the system log, the newest file of each backup location, pending
    package updates and software RAID, and judges each finding OK / WARNING / CRITICAL
    / UNKNOWN against the thresholds.
  - Returns result records (see C(module_utils/siak_result.py)) without C(step) and
    C(target); the C(siak_task_records) filter stamps them.
  - Never changes the host. State between rounds (boot time, log position) comes in
    through O(state) and goes out as RV(state); the caller keeps it on the admin machine.
  - Commands run from argv lists, in the C locale, each with a timeout. A missing tool
    gives an UNKNOWN record with the reason. Package repositories are probed with a
    short TCP connect first, so an unreachable repository gives UNKNOWN within seconds.
version_added: "1.0.0"
options:
  checks:
    description: Which checks to run (a quick subset for SOP step 2, all for step 3).
    type: list
    elements: str
    default: [disk, memory, load, uptime, services, ports, time, logs, backups, updates, raid]
    choices: [disk, memory, load, uptime, services, ports, time, logs, backups, updates, raid]
  state:
    description: What the previous round returned as RV(state) (boot time, log position); empty on the first round.
    type: dict
    default: {}
  disk_warn:
    description: Warning threshold, percent of space used.
    type: float
    default: 80
  disk_crit:
    description: Critical threshold, percent of space used.
    type: float
    default: 90
  inode_warn:
    description: Warning threshold, percent of inodes used.
    type: float
    default: 90
  inode_crit:
    description: Critical threshold, percent of inodes used.
    type: float
    default: 95
  disk_exclude:
    description: Mount points not to check (exact path, or a prefix ending in C(*)).
    type: list
    elements: str
    default: []
  disk_exclude_fstypes:
    description: Filesystem types not to check, on top of the built-in pseudo filesystems.
    type: list
    elements: str
    default: []
  memory_warn:
    description: Warning threshold, percent of memory used (MemTotal - MemAvailable).
    type: float
    default: 80
  memory_crit:
    description: Critical threshold, percent of memory used.
    type: float
    default: 90
  swap_warn:
    description: Warning threshold, percent of swap used.
    type: float
    default: 50
  swap_crit:
    description: Critical threshold, percent of swap used.
    type: float
    default: 80
  load_warn:
    description: Warning threshold, load average per CPU core.
    type: float
    default: 1.5
  load_crit:
    description: Critical threshold, load average per CPU core.
    type: float
    default: 3.0
  load_period:
    description: Which load average is judged, in minutes.
    type: int
    default: 15
    choices: [1, 5, 15]
  reboot_status:
    description: Status of a reboot since the previous round (OK for workstations switched off at night).
    type: str
    default: WARNING
    choices: [OK, WARNING, CRITICAL]
  services:
    description:
      - Services expected to run. A name, or a dict with C(name), C(units) (systemd
        unit / SysV script names to try, e.g. C([sshd, ssh])) and C(process) (command
        name for the process fallback).
    type: list
    elements: raw
    default: []
  ports:
    description: Ports expected to listen, as C(80), C(tcp/80) or C(udp/123).
    type: list
    elements: raw
    default: []
  time_offset_warn:
    description: Warning threshold on the absolute clock offset, seconds.
    type: float
    default: 1.0
  time_offset_crit:
    description: Critical threshold on the absolute clock offset, seconds.
    type: float
    default: 60.0
  logs_source:
    description: Where to read the system log; C(auto) takes the journal when systemd runs, else the first of O(logs_files).
    type: str
    default: auto
    choices: [auto, journal, file]
  logs_files:
    description: System log files, the first that exists is read.
    type: list
    elements: path
    default: [/var/log/syslog, /var/log/messages]
  logs_first_hours:
    description: Without a previous round, how many hours of log to read.
    type: float
    default: 24
  logs_warn:
    description: Warning threshold, number of error lines.
    type: int
    default: 1
  logs_crit:
    description: Critical threshold, number of error lines (none by default).
    type: int
  logs_crit_lines:
    description: Number of critical lines (crit, alert, emerg, panic) that makes the finding CRITICAL.
    type: int
    default: 1
  logs_error_pattern:
    description: Regular expression of an error line in a text log.
    type: str
  logs_critical_pattern:
    description: Regular expression of a critical line in a text log.
    type: str
  logs_ignore_pattern:
    description: Regular expression of lines never to count.
    type: str
  logs_keep_lines:
    description:
      - How many of the last matching lines to keep in the record (at most 20, whatever is
        asked). Each is cut to 200 characters and 16-digit numbers (a possible NIK) are
        masked.
    type: int
    default: 5
  logs_max_bytes:
    description: Most bytes of log read in one round (the newest are read).
    type: int
    default: 16777216
  backup_paths:
    description: Backup locations (directories, searched 3 levels deep, or files).
    type: list
    elements: path
    default: []
  backup_warn_hours:
    description: Warning threshold, age of the newest backup in hours.
    type: float
    default: 26
  backup_crit_hours:
    description: Critical threshold, age of the newest backup in hours.
    type: float
    default: 72
  backup_min_size:
    description: A newest backup smaller than this many bytes is CRITICAL.
    type: int
    default: 1
  updates_warn:
    description: Warning threshold, number of pending updates.
    type: int
    default: 1
  updates_crit:
    description: Critical threshold, number of pending updates (none by default).
    type: int
  security_warn:
    description: Warning threshold, number of pending security updates (none by default).
    type: int
  security_crit:
    description: Critical threshold, number of pending security updates.
    type: int
    default: 1
  updates_cache_max_days:
    description: Package lists older than this many days give UNKNOWN (the count would be stale).
    type: float
    default: 7
  updates_probe_timeout:
    description: Seconds allowed for probing all package repositories (TCP connect).
    type: float
    default: 5
  command_timeout:
    description: Timeout of each command, seconds.
    type: float
    default: 30
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
author:
  - SIAK maintenance project
"""

EXAMPLES = r"""
- name: Check the application server in one pass
  siak_host_check:
    services:
      - {name: sshd, units: [sshd, ssh], process: sshd}
      - nginx
    ports: [22, 80]
    backup_paths: [/srv/backup]
    state: "{{ previous_state | default({}) }}"
  register: result

- name: Quick condition check for SOP step 2
  siak_host_check:
    checks: [disk, memory, load, services]
    services: [nginx]
"""

RETURN = r"""
records:
  description: Result records without step and target (see module_utils/siak_result.py).
  returned: always
  type: list
  elements: dict
  sample:
    - {category: disk, item: /srv/data, status: WARNING, value: 85.0, unit: "%", warn: 80.0, crit: 90.0,
       message: "Ruang disk /srv/data (/dev/labdata) terpakai 85,0%, sisa 9,6 MiB dari 64,0 MiB."}
state:
  description: State to keep on the admin machine and pass as O(state) next round.
  returned: always
  type: dict
  sample: {boot_time: 1714600000, time: 1714650000.5, logs: {source: file, path: /var/log/syslog, inode: 1234, offset: 56789}}
checks:
  description: The checks that ran.
  returned: always
  type: list
  elements: str
not_applicable:
  description:
    - The checks that do not apply to this host (nothing configured for them, or no md
      driver for RAID); they give no record. A check that applies and finds nothing is an
      UNKNOWN record instead.
  returned: always
  type: list
  elements: str
  sample: [backups, raid]
duration:
  description: Seconds the whole pass took on the host.
  returned: always
  type: float
unknown:
  description: Number of records with the status UNKNOWN.
  returned: always
  type: int
  sample: 0
"""

import glob
import os
import signal
import socket
import subprocess
import threading
import time
import traceback

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.siak_result import UNKNOWN, unknown
from ansible.module_utils import siak_host as H
from ansible.module_utils import siak_host_parse as P

C_ENV = {"LC_ALL": "C", "LANG": "C", "LANGUAGE": "C", "SYSTEMD_PAGER": "", "PAGER": "cat"}
SBIN_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"]


class Host:
    """Reads and commands on the target; every check's raw material comes through here."""

    def __init__(self, module, timeout):
        self.module = module
        self.timeout = timeout

    def which(self, name):
        return self.module.get_bin_path(name, required=False, opt_dirs=SBIN_DIRS)

    def run(self, argv, timeout=None):
        """(rc, stdout, stderr) of an argv list, C locale, killed after ``timeout`` s (rc None)."""
        env = dict(os.environ)
        env.update(C_ENV)
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=env, start_new_session=True)
        try:
            out, err = proc.communicate(timeout=timeout or self.timeout)
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except OSError:
                pass
            out, err = proc.communicate()
            return None, out.decode("utf-8", "replace"), "timed out after %ss" % (timeout or self.timeout)
        return proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace")

    @staticmethod
    def read(path):
        with open(path, "rb") as handle:
            return handle.read().decode("utf-8", "replace")

    @staticmethod
    def systemd_running():
        return os.path.isdir("/run/systemd/system")


def _first_line(text, limit=200):
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""


def statvfs_with_deadline(path, timeout):
    """statvfs() in a daemon thread: a hung network mount gives an error, not a hang."""
    box = {}

    def _work():
        try:
            box["st"] = os.statvfs(path)
        except OSError as exc:
            box["error"] = str(exc)

    worker = threading.Thread(target=_work, daemon=True)
    worker.start()
    worker.join(timeout)
    if worker.is_alive():
        return None, "no answer within %ss" % timeout
    return box.get("st"), box.get("error")


# --------------------------------------------------------------------------------------
# one function per check: (host, params, state_in, state_out) -> records, or
# NOT_APPLICABLE when nothing of it applies to this host (none configured, no md driver).
# A check that applies and returns no record is reported UNKNOWN: never silently green.
# --------------------------------------------------------------------------------------
NOT_APPLICABLE = None

def check_disk(host, p, _state, _out):
    mounts = P.real_filesystems(P.parse_mounts(host.read("/proc/mounts")), p["disk_exclude_fstypes"], p["disk_exclude"])
    filesystems = []
    for mount in mounts:
        timeout = 5 if mount["fstype"] in P.NETWORK_FSTYPES else 10
        st, error = statvfs_with_deadline(mount["mountpoint"], timeout)
        entry = dict(mount)
        if st is None:
            entry["error"] = error
        else:
            entry["usage"] = P.statvfs_usage(st.f_frsize or st.f_bsize, st.f_blocks, st.f_bfree, st.f_bavail, st.f_files, st.f_ffree)
        filesystems.append(entry)
    return H.eval_disk(filesystems, p["disk_warn"], p["disk_crit"], p["inode_warn"], p["inode_crit"])


def check_memory(host, p, _state, _out):
    usage = P.memory_usage(P.parse_meminfo(host.read("/proc/meminfo")))
    return H.eval_memory(usage, p["memory_warn"], p["memory_crit"], p["swap_warn"], p["swap_crit"])


def check_load(host, p, _state, _out):
    loads = P.parse_loadavg(host.read("/proc/loadavg"))
    cpus = P.parse_proc_stat(host.read("/proc/stat"))["cpus"] or os.cpu_count()
    return H.eval_load(loads, cpus, p["load_warn"], p["load_crit"], p["load_period"])


def check_uptime(host, p, state, out):
    uptime = P.parse_uptime(host.read("/proc/uptime"))
    btime = P.parse_proc_stat(host.read("/proc/stat"))["btime"]
    if btime is None:
        btime = int(time.time() - uptime)
    out["boot_time"] = btime
    return H.eval_uptime(uptime, btime, state.get("boot_time"), p["reboot_status"])


def read_processes():
    """(pid, comm, argv) for every process visible in /proc."""
    procs = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/comm" % name, "rb") as handle:
                comm = handle.read().decode("utf-8", "replace").strip()
            with open("/proc/%s/cmdline" % name, "rb") as handle:
                argv = handle.read().decode("utf-8", "replace").split("\0")[:8]
        except OSError:
            continue  # the process ended meanwhile
        procs.append((int(name), comm, argv))
    return procs


def check_services(host, p, _state, _out):
    if not p["services"]:
        return NOT_APPLICABLE
    systemd_units = sysv_states = None
    if host.systemd_running() and host.which("systemctl"):
        rc, out, _err = host.run([host.which("systemctl"), "list-units", "--type=service", "--all",
                                  "--no-legend", "--no-pager", "--plain"])
        if rc == 0:
            systemd_units = P.parse_systemctl_units(out)
    if systemd_units is None and host.which("service"):
        _rc, out, err = host.run([host.which("service"), "--status-all"])
        # service --status-all exits non-zero when some script has no status: the
        # listing is still good.
        sysv_states = P.parse_service_status_all(out + "\n" + err)
    processes = read_processes()
    return H.eval_services(p["services"], systemd_units, sysv_states, processes)


def check_ports(host, p, _state, _out):
    if not p["ports"]:
        return NOT_APPLICABLE
    tables = {}
    source = "/proc/net"
    for proto, state in (("tcp", "0A"), ("udp", "07")):
        found = None
        for suffix in ("", "6"):
            path = "/proc/net/%s%s" % (proto, suffix)
            if os.path.exists(path):
                found = found or {}
                for port, addrs in P.parse_proc_net(host.read(path), state).items():
                    found.setdefault(port, []).extend(a for a in addrs if a not in found.get(port, []))
        if found is None and host.which("ss"):
            rc, out, _err = host.run([host.which("ss"), "-n", "-l", "-t" if proto == "tcp" else "-u"])
            if rc == 0:
                found = P.parse_ss_listening(out)
                source = "ss"
        tables[proto] = found
    return H.eval_ports(p["ports"], tables["tcp"], tables["udp"], source)


def check_time(host, p, _state, _out):
    reasons = []
    attempts = [("chronyc", ["-n", "tracking"], P.parse_chronyc_tracking),
                ("ntpq", ["-pn"], P.parse_ntpq_peers)]
    if host.systemd_running():
        attempts.append(("timedatectl", ["status"], P.parse_timedatectl))
    for tool, args, parser in attempts:
        path = host.which(tool)
        if not path:
            continue
        rc, out, err = host.run([path] + args, timeout=min(10, p["command_timeout"]))
        if rc != 0:
            reasons.append("%s: %s" % (tool, _first_line(err) or _first_line(out) or "exit %s" % rc))
            continue
        try:
            info = parser(out)
        except ValueError as exc:
            reasons.append("%s: %s" % (tool, exc))
            continue
        return H.eval_time(info, p["time_offset_warn"], p["time_offset_crit"])
    if not reasons:
        return [unknown("time", "sync", "Sinkronisasi waktu tidak dapat diperiksa: chronyc, ntpq dan timedatectl tidak ada.",
                        "Cannot check time synchronisation: none of chronyc, ntpq, timedatectl is installed.")]
    return [unknown("time", "sync", "Sinkronisasi waktu tidak dapat diperiksa: %s." % "; ".join(reasons),
                    "Cannot check time synchronisation: %s." % "; ".join(reasons))]


def _read_segment(path, start, end, max_bytes):
    """Complete lines of ``path`` between byte offsets; returns (lines, next_offset, skipped_bytes)."""
    skipped = 0
    if end - start > max_bytes:
        skipped = end - max_bytes - start
        start = end - max_bytes
    with open(path, "rb") as handle:
        handle.seek(start)
        data = handle.read(max(0, end - start))
    last_nl = data.rfind(b"\n")
    if last_nl < 0:
        return [], start, skipped
    text = data[:last_nl + 1].decode("utf-8", "replace")
    lines = text.splitlines()
    if skipped and lines:
        lines = lines[1:]  # the first line was cut by the bound
    return lines, start + last_nl + 1, skipped


def _fmt_time(epoch):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))


def check_logs(host, p, state, out):
    now = time.time()
    previous = state.get("logs") or {}
    scan = H.LogScan(p["logs_error_pattern"] or H.DEFAULT_ERROR_PATTERN,
                     p["logs_critical_pattern"] or H.DEFAULT_CRITICAL_PATTERN,
                     p["logs_ignore_pattern"], keep=p["logs_keep_lines"])
    source = p["logs_source"]
    journalctl = host.which("journalctl")
    if source == "auto":
        source = "journal" if host.systemd_running() and journalctl else "file"
    if source == "journal":
        if not journalctl:
            return [unknown("log", "journal", "journalctl tidak ada.", "journalctl is not installed.")]
        argv = [journalctl, "--no-pager", "-q", "-o", "json", "-p", "err", "-n", "5000"]
        if previous.get("source") == "journal" and previous.get("cursor"):
            argv.append("--after-cursor=%s" % previous["cursor"])
            since = previous.get("time") or now
        else:
            since = now - p["logs_first_hours"] * 3600
            argv.append("--since=%s" % _fmt_time(since))
        rc, stdout, err = host.run(argv)
        if rc != 0:
            return [unknown("log", "journal", "journalctl gagal: %s" % (_first_line(err) or rc),
                            "journalctl failed: %s" % (_first_line(err) or rc))]
        entries = P.parse_journal_json(stdout)
        for entry in entries:
            scan.add_entry(entry["priority"], "%s %s: %s" % (
                _fmt_time(entry["time"]) if entry["time"] else "-", entry["ident"], entry["message"]))
        cursor = entries[-1]["cursor"] if entries else previous.get("cursor")
        out["logs"] = {"source": "journal", "cursor": cursor, "time": now}
        note = "paling banyak 5000 entri terakhir dibaca" if len(entries) >= 5000 else None
        return H.eval_logs(scan, "journal", _fmt_time(since), p["logs_warn"], p["logs_crit"], p["logs_crit_lines"], note)

    path = next((f for f in p["logs_files"] if os.path.isfile(f)), None)
    if path is None:
        return [unknown("log", "syslog", "Tidak ada berkas log sistem (%s)." % ", ".join(p["logs_files"]),
                        "No system log file (%s)." % ", ".join(p["logs_files"]))]
    st = os.stat(path)
    rotated = path + ".1"
    rotated_st = os.stat(rotated) if os.path.isfile(rotated) else None
    plan = H.plan_log_read(path, st.st_ino, st.st_size, previous, now, p["logs_first_hours"],
                           rotated_path=rotated,
                           rotated_inode=rotated_st.st_ino if rotated_st else None,
                           rotated_size=rotated_st.st_size if rotated_st else None,
                           rotated_mtime=rotated_st.st_mtime if rotated_st else None)
    segments, since, notes = plan["segments"], plan["since"], list(plan["notes"])
    budget = p["logs_max_bytes"]
    next_offset = st.st_size
    for file_path, start, end, time_filter in segments:
        lines, reached, skipped = _read_segment(file_path, start, end, max(1, budget))
        budget -= (end - start - skipped)
        if skipped:
            notes.append("%d bita tertua dari %s dilewati" % (skipped, file_path))
        keep = True
        for line in lines:
            if time_filter is not None:
                stamp = P.parse_syslog_time(line, now, time.mktime)
                if stamp is not None:
                    keep = stamp >= time_filter
                if not keep:
                    continue
            scan.add_line(line)
        if file_path == path:
            next_offset = reached
    out["logs"] = {"source": "file", "path": path, "inode": st.st_ino, "offset": next_offset, "time": now}
    return H.eval_logs(scan, path, _fmt_time(since), p["logs_warn"], p["logs_crit"], p["logs_crit_lines"],
                       "; ".join(notes) or None)


def newest_file(path, max_depth=3, max_entries=20000):
    """(newest {path, mtime, size} or None, number of files) under ``path``."""
    if os.path.isfile(path):
        st = os.stat(path)
        return {"path": path, "mtime": st.st_mtime, "size": st.st_size}, 1
    newest = None
    count = 0
    stack = [(path, 0)]
    seen = 0
    while stack and seen < max_entries:
        directory, depth = stack.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            seen += 1
            try:
                if entry.is_dir(follow_symlinks=False):
                    if depth < max_depth:
                        stack.append((entry.path, depth + 1))
                elif entry.is_file(follow_symlinks=False):
                    st = entry.stat(follow_symlinks=False)
                    count += 1
                    if newest is None or st.st_mtime > newest["mtime"]:
                        newest = {"path": entry.path, "mtime": st.st_mtime, "size": st.st_size}
            except OSError:
                continue
    return newest, count


def check_backups(host, p, _state, _out):
    if not p["backup_paths"]:
        return NOT_APPLICABLE
    now = time.time()
    locations = []
    for path in p["backup_paths"]:
        loc = {"path": path, "exists": os.path.exists(path)}
        if loc["exists"]:
            try:
                newest, count = newest_file(path)
            except OSError as exc:
                loc["error"] = str(exc)
            else:
                loc["files"] = count
                if newest:
                    loc["newest"] = {"path": newest["path"], "size": newest["size"],
                                     "age_seconds": max(0.0, now - newest["mtime"])}
        locations.append(loc)
    return H.eval_backups(locations, p["backup_warn_hours"], p["backup_crit_hours"], p["backup_min_size"])


def probe_endpoints(endpoints, budget):
    """First reachable (host, port) within ``budget`` seconds in total, and the errors.

    Runs in a daemon thread: name resolution cannot be given a timeout, the thread can.
    """
    result = {"reachable": None, "errors": []}

    def _work():
        deadline = time.time() + budget
        for host_name, port in endpoints:
            left = deadline - time.time()
            if left <= 0.05:
                result["errors"].append("%s:%d: no time left" % (host_name, port))
                break
            try:
                conn = socket.create_connection((host_name, port), timeout=min(3.0, left))
                conn.close()
                result["reachable"] = "%s:%d" % (host_name, port)
                return
            except (OSError, socket.timeout) as exc:
                result["errors"].append("%s:%d: %s" % (host_name, port, exc))

    worker = threading.Thread(target=_work, daemon=True)
    worker.start()
    worker.join(budget + 0.5)
    if worker.is_alive() and not result["reachable"]:
        result["errors"].append("no answer within %ss" % budget)
    return result["reachable"], list(result["errors"])


def _newest_mtime(patterns):
    times = []
    for pattern in patterns:
        for path in glob.glob(pattern):
            try:
                times.append(os.stat(path).st_mtime)
            except OSError:
                continue
    return max(times) if times else None


def collect_updates(host, p):
    """The raw material of eval_updates: manager, packages or the reason they are unknown."""
    apt_get = host.which("apt-get")
    dnf = host.which("dnf") or host.which("yum")
    if apt_get:
        manager = "apt"
        uris = []
        for path in ["/etc/apt/sources.list"] + sorted(glob.glob("/etc/apt/sources.list.d/*.list")):
            if os.path.isfile(path):
                uris += P.parse_apt_sources(host.read(path))
        for path in sorted(glob.glob("/etc/apt/sources.list.d/*.sources")):
            uris += P.parse_apt_sources(host.read(path), deb822=True)
        lists = ["/var/lib/apt/lists/*_Packages*", "/var/cache/apt/pkgcache.bin"]
    elif dnf:
        manager = os.path.basename(dnf)
        uris = []
        for path in sorted(glob.glob("/etc/yum.repos.d/*.repo")):
            uris += P.parse_yum_repos(host.read(path))
        lists = ["/var/cache/dnf/*/repodata/repomd.xml", "/var/cache/yum/*/*/repomd.xml", "/var/cache/yum/*/repomd.xml"]
    else:
        return {"manager": None, "error": "apt-get, dnf dan yum tidak ada", "error_en": "none of apt-get, dnf, yum is installed"}
    endpoints = P.repository_endpoints(uris)
    if not endpoints["endpoints"] and not endpoints["local"]:
        return {"manager": manager, "error": "tidak ada repositori yang dikonfigurasi", "error_en": "no repository is configured"}
    if endpoints["endpoints"]:
        reachable, errors = probe_endpoints(endpoints["endpoints"][:6], p["updates_probe_timeout"])
        if not reachable:
            detail = "; ".join(errors[:3])
            return {"manager": manager, "error": "tidak ada repositori yang dapat dihubungi (%s)" % detail,
                    "error_en": "no repository can be reached (%s)" % detail}
    newest = _newest_mtime(lists)
    if newest is None:
        return {"manager": manager, "error": "belum ada daftar paket (jalankan pembaruan indeks paket)",
                "error_en": "no package lists yet (refresh the package index)"}
    age_days = round((time.time() - newest) / 86400.0, 1)
    if age_days > p["updates_cache_max_days"]:
        return {"manager": manager, "cache_age_days": age_days,
                "error": "daftar paket sudah %s hari tidak diperbarui" % H._fmt(age_days),
                "error_en": "the package lists are %s days old" % age_days}
    if manager == "apt":
        rc, out, err = host.run([apt_get, "-s", "-q", "-o", "Debug::NoLocking=1", "dist-upgrade"], timeout=p["command_timeout"])
        if rc != 0:
            return {"manager": manager, "error": "apt-get -s gagal: %s" % (_first_line(err) or rc),
                    "error_en": "apt-get -s failed: %s" % (_first_line(err) or rc)}
        return {"manager": manager, "packages": P.parse_apt_simulate(out), "cache_age_days": age_days}
    # dnf/yum from the cache only (-C): never a metadata download, never a hang.
    rc, out, err = host.run([dnf, "-q", "-C", "check-update"], timeout=p["command_timeout"])
    if rc not in (0, 100):
        return {"manager": manager, "error": "%s check-update gagal: %s" % (manager, _first_line(err) or rc),
                "error_en": "%s check-update failed: %s" % (manager, _first_line(err) or rc)}
    packages = P.parse_dnf_check_update(out)
    src, sout, _serr = host.run([dnf, "-q", "-C", "updateinfo", "list", "--security"], timeout=p["command_timeout"])
    security = P.parse_dnf_updateinfo_security(sout)["packages"] if src == 0 else None
    result = {"manager": manager, "packages": packages, "cache_age_days": age_days}
    if security is not None:
        result["security_count"] = security
    return result


def check_updates(host, p, _state, _out):
    return H.eval_updates(collect_updates(host, p), p["updates_warn"], p["updates_crit"], p["security_warn"], p["security_crit"])


def check_raid(host, _p, _state, _out):
    if not os.path.exists("/proc/mdstat"):
        return NOT_APPLICABLE  # no md driver loaded: no software RAID on this host
    return H.eval_raid(P.parse_mdstat(host.read("/proc/mdstat")))


CHECK_FUNCTIONS = {
    "disk": check_disk, "memory": check_memory, "load": check_load, "uptime": check_uptime,
    "services": check_services, "ports": check_ports, "time": check_time, "logs": check_logs,
    "backups": check_backups, "updates": check_updates, "raid": check_raid,
}
CATEGORY = {"services": "service", "ports": "listen", "logs": "log", "backups": "backup", "updates": "update"}


# The module's options (thresholds from siak_host.DEFAULTS); DOCUMENTATION describes the same
# (tests/unit/test_module_docs.py).
D = H.DEFAULTS
ARGUMENT_SPEC = dict(
    checks=dict(type="list", elements="str", default=list(H.CHECKS), choices=list(H.CHECKS)),
    state=dict(type="dict", default={}),
    disk_warn=dict(type="float", default=D["disk_warn"]), disk_crit=dict(type="float", default=D["disk_crit"]),
    inode_warn=dict(type="float", default=D["inode_warn"]), inode_crit=dict(type="float", default=D["inode_crit"]),
    disk_exclude=dict(type="list", elements="str", default=[]),
    disk_exclude_fstypes=dict(type="list", elements="str", default=[]),
    memory_warn=dict(type="float", default=D["memory_warn"]), memory_crit=dict(type="float", default=D["memory_crit"]),
    swap_warn=dict(type="float", default=D["swap_warn"]), swap_crit=dict(type="float", default=D["swap_crit"]),
    load_warn=dict(type="float", default=D["load_warn"]), load_crit=dict(type="float", default=D["load_crit"]),
    load_period=dict(type="int", default=D["load_period"], choices=[1, 5, 15]),
    reboot_status=dict(type="str", default=D["reboot_status"], choices=["OK", "WARNING", "CRITICAL"]),
    services=dict(type="list", elements="raw", default=[]),
    ports=dict(type="list", elements="raw", default=[]),
    time_offset_warn=dict(type="float", default=D["time_offset_warn"]), time_offset_crit=dict(type="float", default=D["time_offset_crit"]),
    logs_source=dict(type="str", default="auto", choices=["auto", "journal", "file"]),
    logs_files=dict(type="list", elements="path", default=["/var/log/syslog", "/var/log/messages"]),
    logs_first_hours=dict(type="float", default=24.0),
    logs_warn=dict(type="int", default=D["logs_warn"]), logs_crit=dict(type="int"),
    logs_crit_lines=dict(type="int", default=D["logs_crit_lines"]),
    logs_error_pattern=dict(type="str"), logs_critical_pattern=dict(type="str"), logs_ignore_pattern=dict(type="str"),
    logs_keep_lines=dict(type="int", default=5),
    logs_max_bytes=dict(type="int", default=16 * 1024 * 1024),
    backup_paths=dict(type="list", elements="path", default=[]),
    backup_warn_hours=dict(type="float", default=D["backup_warn_hours"]), backup_crit_hours=dict(type="float", default=D["backup_crit_hours"]),
    backup_min_size=dict(type="int", default=D["backup_min_size"]),
    updates_warn=dict(type="int", default=D["updates_warn"]), updates_crit=dict(type="int"),
    security_warn=dict(type="int"), security_crit=dict(type="int", default=D["security_crit"]),
    updates_cache_max_days=dict(type="float", default=D["updates_cache_max_days"]),
    updates_probe_timeout=dict(type="float", default=5.0),
    command_timeout=dict(type="float", default=30.0),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    started = time.time()
    # Validate expectations before touching anything.
    try:
        for spec in params["services"]:
            H.normalize_service(spec)
        for spec in params["ports"]:
            P.parse_port_spec(spec)
    except ValueError as exc:
        module.fail_json(msg=str(exc))

    host = Host(module, params["command_timeout"])
    state_in = params["state"] or {}
    state_out = {"time": started}
    records = []
    not_applicable = []
    for name in H.CHECKS:
        if name not in params["checks"]:
            continue
        try:
            found = CHECK_FUNCTIONS[name](host, params, state_in, state_out)
        except Exception as exc:  # pylint: disable=broad-except
            # One broken check must not hide the others: it becomes an UNKNOWN record.
            module.warn("check %s failed: %s" % (name, traceback.format_exc(limit=3)))
            found = [unknown(CATEGORY.get(name, name), name,
                             "Pemeriksaan %s gagal: %s: %s" % (name, type(exc).__name__, exc),
                             "The %s check failed: %s: %s" % (name, type(exc).__name__, exc))]
        if found is NOT_APPLICABLE:
            not_applicable.append(name)
        elif not found:
            found = [unknown(CATEGORY.get(name, name), name,
                             "Pemeriksaan %s tidak menghasilkan data" % name,
                             "The %s check returned no result" % name)]
        records.extend(found or [])
    # Carry forward what this round did not look at.
    for key in ("boot_time", "logs"):
        if key not in state_out and key in state_in:
            state_out[key] = state_in[key]
    module.exit_json(changed=False, records=records, state=state_out, checks=[c for c in H.CHECKS if c in params["checks"]],
                     not_applicable=not_applicable,
                     duration=round(time.time() - started, 3), unknown=sum(1 for r in records if r["status"] == UNKNOWN))


if __name__ == "__main__":
    main()
