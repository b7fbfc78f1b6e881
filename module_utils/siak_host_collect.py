# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Collectors of the host checks: what a Linux host tells about itself, as raw data (SOP step 3).

Every ``collect_<check>(host, params, state)`` reads /proc, runs commands and looks at
files only through ``host`` (a ``Host``, or a stand-in in the unit tests that answers
from captured output), parses with ``siak_host_parse`` and returns raw data for the
check's judge (``siak_host_judge.judge_<check>``), or ``NOT_APPLICABLE`` when nothing of
the check applies to this host. No wording and no thresholds here. A collector that
keeps something for the next round puts it under the key ``state`` of its raw data.
"""

from __future__ import annotations

import glob
import os
import re
import signal
import socket
import subprocess
import threading
import time

from ansible.module_utils import siak_host_parse as P

C_ENV = {"LC_ALL": "C", "LANG": "C", "LANGUAGE": "C", "SYSTEMD_PAGER": "", "PAGER": "cat"}
SBIN_DIRS = ["/usr/local/sbin", "/usr/sbin", "/sbin"]

# A check that does not apply to this host (none configured, no md driver): no record.
NOT_APPLICABLE = None

# Most journal entries read in one round.
JOURNAL_MAX_ENTRIES = 5000


def first_line(text, limit=200):
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""


def fmt_time(epoch):
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(epoch))


# --------------------------------------------------------------------------------------
# The host: every read, command and probe of a check goes through here.
# --------------------------------------------------------------------------------------

class Host:
    """Reads and commands on the target; every check's raw material comes through here.

    ``which`` finds a command (the module passes ``AnsibleModule.get_bin_path``).
    """

    def __init__(self, which, timeout):
        self._which = which
        self.timeout = timeout

    def which(self, name):
        return self._which(name, required=False, opt_dirs=SBIN_DIRS)

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
    def exists(path):
        return os.path.exists(path)

    @staticmethod
    def isfile(path):
        return os.path.isfile(path)

    @staticmethod
    def stat(path):
        return os.stat(path)

    @staticmethod
    def glob(pattern):
        return glob.glob(pattern)

    @staticmethod
    def now():
        return time.time()

    @staticmethod
    def local_zone():
        """(seconds east of UTC, abbreviation) of the host's local time now: what its
        programs stamp (/etc/localtime, or TZ when set)."""
        now = time.localtime()
        return now.tm_gmtoff, now.tm_zone

    @staticmethod
    def cpu_count():
        return os.cpu_count()

    @staticmethod
    def systemd_running():
        return os.path.isdir("/run/systemd/system")

    @staticmethod
    def statvfs(path, timeout):
        return statvfs_with_deadline(path, timeout)

    @staticmethod
    def processes():
        return read_processes()

    @staticmethod
    def newest_file(path):
        return newest_file(path)

    @staticmethod
    def read_segment(path, start, end, max_bytes):
        return read_segment(path, start, end, max_bytes)

    @staticmethod
    def probe(endpoints, budget):
        return probe_endpoints(endpoints, budget)


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


_DIGITS = re.compile(r"\d+")


def name_shape(path):
    """A file name with its numbers blanked: the files one backup job writes night after night
    share it (siak-db-20261203.dmp and siak-db-20261202.dmp: siak-db-#.dmp; the job's .log
    has another)."""
    return _DIGITS.sub("#", os.path.basename(path))


def newest_file(path, max_depth=3, max_entries=20000):
    """(newest {path, mtime, size, previous} or None, number of files) under ``path``;
    ``previous`` is the newest file before it of the same name shape (name_shape: the same
    job's previous backup) as {path, mtime, size}, or None. A backup job's own log
    (``*.log``, written after its dump: Oracle's exp/expdp, RMAN) is no backup: logs count
    only in a folder that holds nothing else."""
    if os.path.isfile(path):
        st = os.stat(path)
        return {"path": path, "mtime": st.st_mtime, "size": st.st_size, "previous": None}, 1
    files = []
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
                    files.append({"path": entry.path, "mtime": st.st_mtime, "size": st.st_size})
            except OSError:
                continue
    if not files:
        return None, 0
    backups = [f for f in files if not f["path"].lower().endswith(".log")] or files
    newest = max(backups, key=lambda f: (f["mtime"], f["path"]))
    shape = name_shape(newest["path"])
    before = [f for f in backups if f is not newest and name_shape(f["path"]) == shape]
    previous = max(before, key=lambda f: (f["mtime"], f["path"])) if before else None
    return dict(newest, previous=previous), len(files)


def read_segment(path, start, end, max_bytes):
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


# --------------------------------------------------------------------------------------
# One collector per check: (host, params, state) -> raw data, or NOT_APPLICABLE.
# --------------------------------------------------------------------------------------

def collect_disk(host, p, _state):
    """[{mountpoint, device, fstype, options, fstab_options, usage (statvfs_usage) or error}]
    of the real filesystems; ``fstab_options`` are the options /etc/fstab gives the mount
    point (None: not listed there, or no /etc/fstab)."""
    mounts = P.real_filesystems(P.parse_mounts(host.read("/proc/mounts")), p["disk_exclude_fstypes"], p["disk_exclude"])
    try:
        fstab = P.parse_fstab(host.read("/etc/fstab"))
    except OSError:
        fstab = {}
    filesystems = []
    for mount in mounts:
        timeout = 5 if mount["fstype"] in P.NETWORK_FSTYPES else 10
        st, error = host.statvfs(mount["mountpoint"], timeout)
        entry = dict(mount, fstab_options=fstab.get(mount["mountpoint"]))
        if st is None:
            entry["error"] = error
        else:
            entry["usage"] = P.statvfs_usage(st.f_frsize or st.f_bsize, st.f_blocks, st.f_bfree, st.f_bavail, st.f_files, st.f_ffree)
        filesystems.append(entry)
    return filesystems


def collect_memory(host, _p, _state):
    """Memory and swap use (``siak_host_parse.memory_usage``)."""
    return P.memory_usage(P.parse_meminfo(host.read("/proc/meminfo")))


def collect_load(host, _p, _state):
    """{loads: (1, 5, 15 minutes), cpus}."""
    loads = P.parse_loadavg(host.read("/proc/loadavg"))
    cpus = P.parse_proc_stat(host.read("/proc/stat"))["cpus"] or host.cpu_count()
    return {"loads": loads, "cpus": cpus}


def collect_uptime(host, _p, state):
    """{uptime (s), boot_time, previous_boot_time}; the boot time is kept for the next round."""
    uptime = P.parse_uptime(host.read("/proc/uptime"))
    btime = P.parse_proc_stat(host.read("/proc/stat"))["btime"]
    if btime is None:
        btime = int(host.now() - uptime)
    return {"uptime": uptime, "boot_time": btime, "previous_boot_time": state.get("boot_time"), "state": btime}


def collect_services(host, p, _state):
    """{systemd_units, sysv_states, processes}: what each source knows (None: it does not answer)."""
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
    return {"systemd_units": systemd_units, "sysv_states": sysv_states, "processes": host.processes()}


def collect_ports(host, p, _state):
    """{tcp: {port: [addresses]} or None, udp: ..., source}: the listening sockets."""
    if not p["ports"]:
        return NOT_APPLICABLE
    tables = {"source": "/proc/net"}
    for proto, state in (("tcp", "0A"), ("udp", "07")):
        found = None
        for suffix in ("", "6"):
            path = "/proc/net/%s%s" % (proto, suffix)
            if host.exists(path):
                found = found or {}
                for port, addrs in P.parse_proc_net(host.read(path), state).items():
                    found.setdefault(port, []).extend(a for a in addrs if a not in found.get(port, []))
        if found is None and host.which("ss"):
            rc, out, _err = host.run([host.which("ss"), "-n", "-l", "-t" if proto == "tcp" else "-u"])
            if rc == 0:
                found = P.parse_ss_listening(out)
                tables["source"] = "ss"
        tables[proto] = found
    return tables


def collect_time(host, p, _state):
    """{info: the first time source that answers (parsed)} or {reasons: why none did ([] = no tool)};
    always ``zone``: the host's local time zone now, (seconds east of UTC, abbreviation)."""
    reasons = []
    zone = host.local_zone()
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
            reasons.append("%s: %s" % (tool, first_line(err) or first_line(out) or "exit %s" % rc))
            continue
        try:
            return {"info": parser(out), "zone": zone}
        except ValueError as exc:
            reasons.append("%s: %s" % (tool, exc))
    return {"info": None, "reasons": reasons, "zone": zone}


def plan_log_read(path, inode, size, previous, now, first_hours, rotated_path=None, rotated_inode=None,
                  rotated_size=None, rotated_mtime=None):
    """Which byte ranges of a text log to read this round, and since when.

    ``previous`` is the state the last round saved ({source, path, inode, offset, time}).
    - same file, same inode, not shorter: from the saved offset to the end;
    - rotated (the saved inode is now ``path.1``): the rest of ``path.1``, then all of ``path``;
    - truncated or unknown: all of ``path`` (noted);
    - first round: ``path.1`` (when written within the window) and ``path``, keeping
      only lines stamped within the last ``first_hours``.

    Returns {segments: [(file, start, end, not_before_epoch_or_None)], since, notes}.
    """
    previous = previous or {}
    notes = []
    segments = []
    same_file = previous.get("source") == "file" and previous.get("path") == path
    offset = int(previous.get("offset") or 0)
    if same_file and previous.get("inode") == inode and size >= offset:
        return {"segments": [(path, offset, size, None)], "since": previous.get("time") or now, "notes": notes}
    if same_file:
        if rotated_path and rotated_inode is not None and rotated_inode == previous.get("inode") and rotated_size >= offset:
            segments.append((rotated_path, offset, rotated_size, None))
            notes.append("log diputar; sisa %s ikut dibaca" % rotated_path)
        else:
            notes.append("log diputar atau dipotong; seluruh berkas saat ini dibaca")
        segments.append((path, 0, size, None))
        return {"segments": segments, "since": previous.get("time") or now, "notes": notes}
    since = now - first_hours * 3600
    if rotated_path and rotated_size is not None and rotated_mtime is not None and rotated_mtime >= since:
        segments.append((rotated_path, 0, rotated_size, since))
    segments.append((path, 0, size, since))
    return {"segments": segments, "since": since, "notes": notes}


def collect_logs(host, p, state):
    """The system log since the previous round.

    {source: journal | <path>, since (text), entries (journal) or lines (file), notes,
    state} or, when it cannot be read, {source, missing: journalctl | file} or
    {source, failed: <first line of the error>}.
    """
    now = host.now()
    previous = state.get("logs") or {}
    source = p["logs_source"]
    journalctl = host.which("journalctl")
    if source == "auto":
        source = "journal" if host.systemd_running() and journalctl else "file"
    if source == "journal":
        if not journalctl:
            return {"source": "journal", "missing": "journalctl"}
        argv = [journalctl, "--no-pager", "-q", "-o", "json", "-p", "err", "-n", str(JOURNAL_MAX_ENTRIES)]
        if previous.get("source") == "journal" and previous.get("cursor"):
            argv.append("--after-cursor=%s" % previous["cursor"])
            since = previous.get("time") or now
        else:
            since = now - p["logs_first_hours"] * 3600
            argv.append("--since=%s" % fmt_time(since))
        rc, stdout, err = host.run(argv)
        if rc != 0:
            return {"source": "journal", "failed": first_line(err) or rc}
        entries = P.parse_journal_json(stdout)
        cursor = entries[-1]["cursor"] if entries else previous.get("cursor")
        notes = ["paling banyak %d entri terakhir dibaca" % JOURNAL_MAX_ENTRIES] if len(entries) >= JOURNAL_MAX_ENTRIES else []
        return {"source": "journal", "since": fmt_time(since), "notes": notes,
                "entries": [{"priority": e["priority"], "text": "%s %s: %s" % (
                    fmt_time(e["time"]) if e["time"] else "-", e["ident"], e["message"])} for e in entries],
                "state": {"source": "journal", "cursor": cursor, "time": now}}

    path = next((f for f in p["logs_files"] if host.isfile(f)), None)
    if path is None:
        return {"source": "syslog", "missing": "file", "files": list(p["logs_files"])}
    st = host.stat(path)
    rotated = path + ".1"
    rotated_st = host.stat(rotated) if host.isfile(rotated) else None
    plan = plan_log_read(path, st.st_ino, st.st_size, previous, now, p["logs_first_hours"],
                         rotated_path=rotated,
                         rotated_inode=rotated_st.st_ino if rotated_st else None,
                         rotated_size=rotated_st.st_size if rotated_st else None,
                         rotated_mtime=rotated_st.st_mtime if rotated_st else None)
    segments, since, notes = plan["segments"], plan["since"], list(plan["notes"])
    budget = p["logs_max_bytes"]
    next_offset = st.st_size
    kept = []
    for file_path, start, end, time_filter in segments:
        lines, reached, skipped = host.read_segment(file_path, start, end, max(1, budget))
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
            kept.append(line)
        if file_path == path:
            next_offset = reached
    return {"source": path, "since": fmt_time(since), "notes": notes, "lines": kept,
            "state": {"source": "file", "path": path, "inode": st.st_ino, "offset": next_offset, "time": now}}


def collect_backups(host, p, _state):
    """[{path, exists, files, newest: {path, size, age_seconds} or error}] per backup location."""
    if not p["backup_paths"]:
        return NOT_APPLICABLE
    now = host.now()
    locations = []
    for path in p["backup_paths"]:
        loc = {"path": path, "exists": host.exists(path)}
        if loc["exists"]:
            try:
                newest, count = host.newest_file(path)
            except OSError as exc:
                loc["error"] = str(exc)
            else:
                loc["files"] = count
                if newest:
                    loc["newest"] = {"path": newest["path"], "size": newest["size"],
                                     "age_seconds": max(0.0, now - newest["mtime"])}
                    previous = newest.get("previous")
                    if previous:
                        loc["newest"]["previous"] = {"path": previous["path"], "size": previous["size"]}
        locations.append(loc)
    return locations


def _newest_mtime(host, patterns):
    times = []
    for pattern in patterns:
        for path in host.glob(pattern):
            try:
                times.append(host.stat(path).st_mtime)
            except OSError:
                continue
    return max(times) if times else None


# Debian's and Ubuntu's flag that installed updates (a kernel, libc) wait for a restart:
# written by the packages' hooks (unattended-upgrades, update-notifier-common), with the
# packages in the .pkgs file beside it. /var/run is a link to /run.
REBOOT_FLAGS = ("/run/reboot-required", "/var/run/reboot-required")


def reboot_flag(host):
    """{"since": the flag's time, "age_seconds", "packages": [...]} when the host waits for a
    restart, else None."""
    for path in REBOOT_FLAGS:
        if host.isfile(path):
            try:
                since = host.stat(path).st_mtime
            except OSError:
                since = None
            try:
                packages = sorted({line.strip() for line in host.read(path + ".pkgs").splitlines() if line.strip()})
            except OSError:
                packages = []
            age = max(0.0, host.now() - since) if since is not None else None
            return {"since": since, "age_seconds": age, "packages": packages}
    return None


def collect_updates(host, p, _state):
    """{manager, packages, security_count (dnf), cache_age_days} or {manager, reason, detail};
    on apt hosts also ``reboot`` (``reboot_flag``: a restart the installed updates wait for).

    ``reason`` says why the updates cannot be counted (``siak_host_judge.UPDATE_REASONS``).
    """
    result = _pending_updates(host, p)
    if result.get("manager") == "apt":
        result["reboot"] = reboot_flag(host)
    return result


def _pending_updates(host, p):
    apt_get = host.which("apt-get")
    dnf = host.which("dnf") or host.which("yum")
    if apt_get:
        manager = "apt"
        uris = []
        for path in ["/etc/apt/sources.list"] + sorted(host.glob("/etc/apt/sources.list.d/*.list")):
            if host.isfile(path):
                uris += P.parse_apt_sources(host.read(path))
        for path in sorted(host.glob("/etc/apt/sources.list.d/*.sources")):
            uris += P.parse_apt_sources(host.read(path), deb822=True)
        lists = ["/var/lib/apt/lists/*_Packages*", "/var/cache/apt/pkgcache.bin"]
    elif dnf:
        manager = os.path.basename(dnf)
        uris = []
        for path in sorted(host.glob("/etc/yum.repos.d/*.repo")):
            uris += P.parse_yum_repos(host.read(path))
        lists = ["/var/cache/dnf/*/repodata/repomd.xml", "/var/cache/yum/*/*/repomd.xml", "/var/cache/yum/*/repomd.xml"]
    else:
        return {"manager": None, "reason": "no-manager"}
    endpoints = P.repository_endpoints(uris)
    if not endpoints["endpoints"] and not endpoints["local"]:
        return {"manager": manager, "reason": "no-repository"}
    if endpoints["endpoints"]:
        reachable, errors = host.probe(endpoints["endpoints"][:6], p["updates_probe_timeout"])
        if not reachable:
            return {"manager": manager, "reason": "unreachable", "detail": "; ".join(errors[:3])}
    newest = _newest_mtime(host, lists)
    if newest is None:
        return {"manager": manager, "reason": "no-lists"}
    age_days = round((host.now() - newest) / 86400.0, 1)
    if age_days > p["updates_cache_max_days"]:
        return {"manager": manager, "reason": "stale-lists", "detail": age_days, "cache_age_days": age_days}
    if manager == "apt":
        rc, out, err = host.run([apt_get, "-s", "-q", "-o", "Debug::NoLocking=1", "dist-upgrade"], timeout=p["command_timeout"])
        if rc != 0:
            return {"manager": manager, "reason": "apt-failed", "detail": first_line(err) or rc}
        return {"manager": manager, "packages": P.parse_apt_simulate(out), "cache_age_days": age_days}
    # dnf/yum from the cache only (-C): never a metadata download, never a hang.
    rc, out, err = host.run([dnf, "-q", "-C", "check-update"], timeout=p["command_timeout"])
    if rc not in (0, 100):
        return {"manager": manager, "reason": "dnf-failed", "detail": first_line(err) or rc}
    packages = P.parse_dnf_check_update(out)
    src, sout, _serr = host.run([dnf, "-q", "-C", "updateinfo", "list", "--security"], timeout=p["command_timeout"])
    security = P.parse_dnf_updateinfo_security(sout)["packages"] if src == 0 else None
    result = {"manager": manager, "packages": packages, "cache_age_days": age_days}
    if security is not None:
        result["security_count"] = security
    return result


def collect_raid(host, _p, _state):
    """The md arrays of /proc/mdstat (``parse_mdstat``); not applicable without the md driver."""
    if not host.exists("/proc/mdstat"):
        return NOT_APPLICABLE  # no md driver loaded: no software RAID on this host
    return P.parse_mdstat(host.read("/proc/mdstat"))
