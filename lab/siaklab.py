#!/usr/bin/env python3
"""The SIAK lab: a small district office built from Linux namespaces on this machine.

Every lab host is a network namespace (a veth on bridge ``siakbr0``, no default route)
plus ``unshare --uts --mount --pid --fork --mount-proc --propagation private`` running
its own ``sshd -D`` as PID 1 (killing that sshd ends the host). Inside: its hostname,
a tmpfs ``/run`` (pidfiles, so ``service X status`` is per host), a bind-mounted
per-host ``/var/log``, a 64 MiB tmpfs ``/srv/data`` (source ``/dev/labdata``) and the
host's services (nginx, chronyd, a TNS listener stand-in). The switches are FakeNOS
devices on loopback ports, run by ``lab/switchlab.py``.

Command line (root, the venv's python)::

    .venv/bin/python -m lab.siaklab up | down [--purge] | status [--json]
    .venv/bin/python -m lab.siaklab reset [TARGET]
    .venv/bin/python -m lab.siaklab fault TARGET KIND [--key value ...]

The same as a library: ``up() -> dict``, ``down()``, ``status() -> dict``,
``fault(target, kind, **params)``, ``reset(target=None)``.

State lives in ``/var/lib/siaklab`` (environment ``SIAKLAB_STATE`` overrides). Only
loopback and 198.18.0.0/16 are ever used.
"""

from __future__ import annotations

import configparser
import contextlib
import datetime as _dt
import fcntl
import hashlib
import http.client
import importlib
import json
import os
import pwd
import random
import shlex
import shutil
import signal
import socket
import string
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

# --------------------------------------------------------------------------------------
# The office: one line per host. Adding a host is one line here.
#   name, address, inventory groups, services it runs, managed over SSH
# services: nginx, chrony-server, chrony (client of the time server), tnslsnr, backup
# --------------------------------------------------------------------------------------
HOSTS_TABLE = [
    ("siak-app01", "198.18.0.11", ["app"], ["nginx", "chrony"], True),
    ("siak-db01", "198.18.0.12", ["db"], ["tnslsnr", "chrony"], True),
    ("siak-bak01", "198.18.0.13", ["backup"], ["backup", "chrony"], True),
    ("siak-ntp01", "198.18.0.14", ["timeserver"], ["chrony-server"], True),
    ("siak-ws01", "198.18.0.21", ["workstations"], ["chrony"], True),
    ("siak-ws02", "198.18.0.22", ["workstations"], ["chrony"], True),
    ("siak-ws03", "198.18.0.23", ["workstations"], ["chrony"], True),
    # The national data centre stand-in for step-4 probes: not managed, not in siak_hosts.
    ("pusat-dc", "198.18.0.100", [], ["nginx"], False),
]

# Group tree: parent -> children groups (leaf groups hold the hosts from HOSTS_TABLE).
GROUP_TREE = {
    "siak_hosts": ["servers", "workstations"],
    "servers": ["app", "db", "backup", "timeserver"],
}

BRIDGE = "siakbr0"
GATEWAY = "198.18.0.1"
PREFIX_LEN = 24
TIMESERVER = "198.18.0.14"
DATACENTRE = "198.18.0.100"
NETNS_PREFIX = "siaklab-"
DATA_MOUNT = "/srv/data"
DATA_SIZE = "64m"
DATA_SOURCE = "/dev/labdata"
BACKUP_DIR = "/srv/backup"
PYTHON = "/usr/bin/python3"
SSHD = "/usr/sbin/sshd"
NGINX = "/usr/sbin/nginx"
CHRONYD = "/usr/sbin/chronyd"

ROOT = Path(__file__).resolve().parent.parent
LAB_DIR = ROOT / "lab"
TEMPLATES = LAB_DIR / "hosts"
INVENTORY = ROOT / "inventory" / "lab" / "hosts.yml"

# Service name -> pidfile inside the host (used to stop it and by `service X status`).
PIDFILES = {
    "nginx": "/run/nginx.pid",
    "chrony": "/run/chrony/chronyd.pid",
    "tnslsnr": "/run/tnslsnr.pid",
}
SERVICE_ALIASES = {"chronyd": "chrony", "ntp": "chrony", "tns": "tnslsnr", "listener": "tnslsnr"}

CLEAN_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/root",
}

# What log-append writes unless told otherwise: an ordinary kernel ERROR line.
DEFAULT_LOG_TEXT = "kernel: EXT4-fs error (device vda1): ext4_find_entry:1455: inode #2: comm siak: reading directory lblock 0"

WAIT_READY_S = 30.0
LOCK_WAIT_S = 300.0
CMD_TIMEOUT_S = 60.0


class LabError(Exception):
    """A lab operation could not be done; the message says why (one line)."""


@dataclass(frozen=True)
class Host:
    """One lab host from HOSTS_TABLE."""

    name: str
    address: str
    groups: tuple
    services: tuple
    managed: bool

    @property
    def netns(self) -> str:
        return NETNS_PREFIX + self.name

    @property
    def veth(self) -> str:
        """Admin-side (bridge-side) end of the host's veth pair."""
        return ("v-" + self.name)[:15]

    @property
    def daemons(self) -> list:
        """Services that run as daemons (nginx, chrony, tnslsnr)."""
        out = []
        for svc in self.services:
            if svc in ("chrony", "chrony-server"):
                out.append("chrony")
            elif svc in ("nginx", "tnslsnr"):
                out.append(svc)
        return out


HOSTS = [Host(n, a, tuple(g), tuple(s), m) for (n, a, g, s, m) in HOSTS_TABLE]
HOSTS_BY_NAME = {h.name: h for h in HOSTS}
assert len({h.veth for h in HOSTS}) == len(HOSTS), "veth names collide: shorten a host name"
assert len({h.address for h in HOSTS}) == len(HOSTS), "two hosts share an address"


# --------------------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------------------
def state_dir() -> Path:
    return Path(os.environ.get("SIAKLAB_STATE", "/var/lib/siaklab"))


def host_dir(host: Host) -> Path:
    return state_dir() / "hosts" / host.name


def _say(msg: str) -> None:
    print(f"siaklab: {msg}", flush=True)


def _run(argv, check=True, timeout=CMD_TIMEOUT_S, capture=True, **kw) -> subprocess.CompletedProcess:
    """Run argv (no shell), bounded in time; raise LabError with stderr on failure."""
    try:
        proc = subprocess.run(
            [str(a) for a in argv],
            stdin=subprocess.DEVNULL,
            capture_output=capture,
            text=True,
            timeout=timeout,
            env=CLEAN_ENV,
            check=False,
            **kw,
        )
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"command timed out after {timeout:.0f} s: {shlex.join(map(str, argv))}") from exc
    except FileNotFoundError as exc:
        raise LabError(f"command not found: {argv[0]} (run scripts/setup.sh)") from exc
    if check and proc.returncode != 0:
        err = (proc.stderr or proc.stdout or "").strip().splitlines()
        raise LabError(f"{shlex.join(map(str, argv))} failed: {err[-1] if err else proc.returncode}")
    return proc


def _template(tmpl_name: str, **values) -> str:
    return string.Template((TEMPLATES / tmpl_name).read_text(encoding="utf-8")).substitute(**values)


def _write_if_changed(path: Path, content: str, mode: int = 0o644) -> bool:
    """Write content atomically unless the file already holds it; return True if written."""
    try:
        if path.read_text(encoding="utf-8") == content:
            if path.stat().st_mode & 0o7777 != mode:
                os.chmod(path, mode)
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(content, encoding="utf-8")
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    return True


def _link_exists(name: str) -> bool:
    return Path("/sys/class/net", name).exists()


def _netns_exists(name: str) -> bool:
    return Path("/run/netns", name).exists()


def _ns_inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


class _Lock:
    """Process-wide re-entrant exclusive lock on the state dir (bounded wait)."""

    depth = 0
    handle = None

    def __enter__(self):
        if _Lock.depth == 0:
            sd = state_dir()
            sd.mkdir(parents=True, exist_ok=True)
            handle = open(sd / ".lock", "a+", encoding="ascii")  # held until the outermost __exit__
            deadline = time.monotonic() + LOCK_WAIT_S
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        handle.close()
                        raise LabError(f"another siaklab command holds {sd / '.lock'} for over {LOCK_WAIT_S:.0f} s")
                    time.sleep(0.2)
            _Lock.handle = handle
        _Lock.depth += 1
        return self

    def __exit__(self, *exc):
        _Lock.depth -= 1
        if _Lock.depth == 0 and _Lock.handle is not None:
            fcntl.flock(_Lock.handle, fcntl.LOCK_UN)
            _Lock.handle.close()
            _Lock.handle = None
        return False


# --------------------------------------------------------------------------------------
# Processes
# --------------------------------------------------------------------------------------
@dataclass
class Proc:
    pid: int
    comm: str
    cmdline: str
    netns: int | None
    pidns: int | None
    nspid: list = field(default_factory=list)


def _scan_procs() -> list:
    """Every process on the machine with its namespaces (one pass over /proc)."""
    out = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        pid = int(entry.name)
        base = f"/proc/{pid}"
        try:
            with open(base + "/status", encoding="utf-8", errors="replace") as handle:
                status = handle.read()
            with open(base + "/cmdline", "rb") as handle:
                cmdline = handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            netns = _ns_inode(base + "/ns/net")
            pidns = _ns_inode(base + "/ns/pid")
        except OSError:
            continue
        comm, nspid = "", []
        for line in status.splitlines():
            if line.startswith("Name:"):
                comm = line.split(None, 1)[1] if len(line.split()) > 1 else ""
            elif line.startswith("NSpid:"):
                nspid = [int(x) for x in line.split()[1:]]
        out.append(Proc(pid, comm, cmdline, netns, pidns, nspid))
    return out


@dataclass
class HostState:
    """What is running for one host right now."""

    host: Host
    netns_ok: bool
    pid1: int | None
    procs: list  # processes in the host's PID namespace

    def running(self, service: str) -> bool:
        for p in self.procs:
            if service == "nginx" and p.comm == "nginx" and "master" in p.cmdline:
                return True
            if service == "chrony" and p.comm == "chronyd":
                return True
            if service == "tnslsnr" and "tnslsnr" in p.cmdline:
                return True
            if service == "sshd" and p.comm == "sshd" and p.nspid and p.nspid[-1] == 1:
                return True
        return False


def _host_states(procs=None) -> dict:
    procs = _scan_procs() if procs is None else procs
    states = {}
    for host in HOSTS:
        ino = _ns_inode(f"/run/netns/{host.netns}")
        pid1 = None
        pidns = None
        if ino is not None:
            for p in procs:
                if p.netns == ino and len(p.nspid) >= 2 and p.nspid[-1] == 1:
                    if (host.managed and p.comm == "sshd") or (not host.managed and "init.py" in p.cmdline):
                        pid1, pidns = p.pid, p.pidns
                        break
        members = [p for p in procs if pidns is not None and p.pidns == pidns]
        states[host.name] = HostState(host, ino is not None, pid1, members)
    return states


def _kill_pids(pids, what: str) -> None:
    pids = [p for p in pids if p != os.getpid()]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(Path(f"/proc/{p}").exists() and not _is_zombie(p) for p in pids):
        time.sleep(0.05)
    left = [p for p in pids if Path(f"/proc/{p}").exists() and not _is_zombie(p)]
    if left:
        raise LabError(f"could not stop {what}: pids {left} survive SIGKILL")


def _is_zombie(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii", errors="replace") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] == "Z"
    except (OSError, IndexError):
        return True


def _lab_procs(procs, host: Host | None = None) -> list:
    """Processes belonging to the lab (or one host): in its netns, or started from its state dir."""
    hosts = [host] if host else HOSTS
    inos = {_ns_inode(f"/run/netns/{h.netns}") for h in hosts} - {None}
    markers = [f"{host_dir(h)}/" for h in hosts] + ([f"{TEMPLATES}/"] if host is None else [])
    out = []
    for p in procs:
        if p.pid == os.getpid():
            continue
        if p.netns in inos or any(m in p.cmdline for m in markers):
            out.append(p.pid)
    return out


# --------------------------------------------------------------------------------------
# Pre-flight
# --------------------------------------------------------------------------------------
def preflight() -> None:
    """Raise LabError naming the first thing that prevents a lab on this machine."""
    if os.geteuid() != 0:
        raise LabError("the lab needs root (namespaces, bridge, mounts); run it as root after scripts/setup.sh")
    for binary, pkg in (
        (SSHD, "openssh-server"),
        (NGINX, "nginx-light"),
        (CHRONYD, "chrony"),
        ("/usr/bin/ssh-keygen", "openssh-client"),
        ("/usr/bin/unshare", "util-linux"),
        ("/usr/bin/nsenter", "util-linux"),
        ("/usr/bin/setsid", "util-linux"),
        ("/usr/bin/sudo", "sudo"),
        ("/usr/sbin/useradd", "passwd"),
        (PYTHON, "python3"),
    ):
        if not os.access(binary, os.X_OK):
            raise LabError(f"{binary} is missing (Debian package {pkg}); run scripts/setup.sh")
    if not shutil.which("ip", path=CLEAN_ENV["PATH"]):
        raise LabError("the `ip` command is missing (Debian package iproute2); run scripts/setup.sh")
    try:
        proc = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=10, env=CLEAN_ENV, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise LabError(f"`ip netns list` does not work ({exc}); run scripts/setup.sh") from exc
    if proc.returncode != 0:
        raise LabError(f"`ip netns list` does not work ({proc.stderr.strip()}); network namespaces unavailable; see scripts/setup.sh")


# --------------------------------------------------------------------------------------
# Files of a host: keys, configs, logs, web pages, backups
# --------------------------------------------------------------------------------------
def _ensure_client_key() -> Path:
    key = state_dir() / "id_ed25519"
    if not key.exists() or not key.with_suffix(".pub").exists():
        for p in (key, key.with_suffix(".pub")):
            p.unlink(missing_ok=True)
        _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "siaklab-admin", "-f", key])
    os.chmod(key, 0o600)
    pub = key.with_suffix(".pub").read_text(encoding="ascii").strip()
    # 0644: sshd reads it with the rights of the user logging in (root or a lab account).
    _write_if_changed(state_dir() / "authorized_keys", pub + "\n", 0o644)
    return key


# Accounts on the lab's hosts, which share /etc/passwd (and /etc/sudoers.d) with this
# machine: the shapes of a real office's logins that the tests need. Login by the lab's
# key only (password field "*": no password, not locked).
ACCOUNTS = {
    "siak-maint": "the SIAK hosts' maintenance account, sudo without a password (the production inventory's shape)",
    "siak-nosudo": "may log in, has no sudo rights (a privilege escalation that fails)",
    "siak-operator": "the operator on the admin machine: no sudo at all (a round run as a non-root user)",
}
SUDOERS = Path("/etc/sudoers.d/siaklab")
SUDOERS_TEXT = "# Generated by lab/siaklab.py up; removed by down.\nsiak-maint ALL=(ALL) NOPASSWD: ALL\n"


def _ensure_accounts() -> None:
    for name in ACCOUNTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            home = state_dir() / "home" / name
            home.parent.mkdir(parents=True, exist_ok=True)
            _run(["useradd", "--system", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
                  "--password", "*", name])
    if not SUDOERS.exists() or SUDOERS.read_text(encoding="ascii") != SUDOERS_TEXT:
        tmp = SUDOERS.with_name(".siaklab.tmp")
        tmp.write_text(SUDOERS_TEXT, encoding="ascii")
        os.chmod(tmp, 0o440)
        _run(["visudo", "-c", "-q", "-f", str(tmp)])
        os.replace(tmp, SUDOERS)


def _remove_accounts() -> None:
    SUDOERS.unlink(missing_ok=True)
    for name in ACCOUNTS:
        try:
            pwd.getpwnam(name)
        except KeyError:
            continue
        _run(["pkill", "-KILL", "-u", name], check=False)
        _run(["userdel", "--remove", name], check=False)


def _syslog_ts(when: _dt.datetime) -> str:
    return f"{when:%b} {when.day:2d} {when:%H:%M:%S}"


def _seed_logs(host: Host, logdir: Path) -> None:
    """Create /var/log of a host with a few ordinary syslog-format lines (only once)."""
    (logdir / "nginx").mkdir(parents=True, exist_ok=True)
    (logdir / "chrony").mkdir(parents=True, exist_ok=True)
    now = _dt.datetime.now()
    rnd = random.Random(host.name)
    syslog = logdir / "syslog"
    if not syslog.exists():
        lines = []
        for i, minutes in enumerate((55, 45, 35, 25, 15, 5)):
            ts = _syslog_ts(now - _dt.timedelta(minutes=minutes))
            pid = rnd.randint(1000, 30000)
            lines.append(
                [
                    f"{ts} {host.name} CRON[{pid}]: (root) CMD (command -v debian-sa1 > /dev/null && debian-sa1 1 1)",
                    f"{ts} {host.name} rsyslogd: [origin software=\"rsyslogd\" swVersion=\"8.2302.0\"] rsyslogd was HUPed",
                    f"{ts} {host.name} chronyd[{pid}]: Selected source {TIMESERVER}",
                    f"{ts} {host.name} CRON[{pid}]: (root) CMD (test -x /etc/cron.daily/logrotate && run-parts /etc/cron.daily)",
                    f"{ts} {host.name} kernel: [{3600 * (i + 1)}.{pid:06d}] eth0: link up",
                    f"{ts} {host.name} systemd[1]: Started session {pid} of user root.",
                ][i]
            )
        syslog.write_text("\n".join(lines) + "\n", encoding="utf-8")
    auth = logdir / "auth.log"
    if not auth.exists():
        lines = []
        for minutes in (50, 30, 10):
            ts = _syslog_ts(now - _dt.timedelta(minutes=minutes))
            pid = rnd.randint(1000, 30000)
            lines.append(f"{ts} {host.name} CRON[{pid}]: pam_unix(cron:session): session opened for user root(uid=0) by (uid=0)")
            lines.append(f"{ts} {host.name} CRON[{pid}]: pam_unix(cron:session): session closed for user root")
        auth.write_text("\n".join(lines) + "\n", encoding="utf-8")
    for name in ("nginx/access.log", "nginx/error.log", "sshd.log"):
        (logdir / name).touch(exist_ok=True)


def _make_backups(backup: Path) -> None:
    """A fresh backup set: last night's and the night before's dumps (a few MB each)."""
    backup.mkdir(parents=True, exist_ok=True)
    for old in backup.iterdir():
        if old.is_file():
            old.unlink()
    now = time.time()
    today = _dt.date.today()
    block = (b"SIAK-DUMP " + bytes(range(256)) * 16)[:4096]
    for age_days, size_mb in ((1, 3), (0, 4)):
        day = today - _dt.timedelta(days=age_days)
        path = backup / f"siak-db-{day:%Y%m%d}.dmp"
        with open(path, "wb") as handle:
            for _ in range(size_mb * 256):
                handle.write(block)
        os.utime(path, (now - age_days * 86400, now - age_days * 86400))


def _lab_script(name: str) -> Path:
    """Path of a helper script the hosts run, installed in the state dir.

    The hosts see their own /tmp (and may see less of the admin machine later), so they
    must not run scripts from the checkout, which may live anywhere (CI clones elsewhere)."""
    return state_dir() / "bin" / name


def _install_lab_scripts() -> None:
    for name in ("tnslsnr.py", "init.py"):
        _write_if_changed(_lab_script(name), (TEMPLATES / name).read_text(encoding="utf-8"), mode=0o755)


def _prepare_host_files(host: Host) -> None:
    hd = host_dir(host)
    hd.mkdir(parents=True, exist_ok=True)
    os.chmod(hd, 0o755)
    _install_lab_scripts()
    values = {"name": host.name, "address": host.address, "hostdir": str(hd), "state": str(state_dir()), "timeserver": TIMESERVER}
    if host.managed:
        key = hd / "ssh_host_ed25519_key"
        if not key.exists() or not Path(str(key) + ".pub").exists():
            key.unlink(missing_ok=True)
            Path(str(key) + ".pub").unlink(missing_ok=True)
            _run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", f"root@{host.name}", "-f", key])
        _write_if_changed(hd / "sshd_config", _template("sshd_config.tmpl", **values))
        _write_apt_lists(host, _load_faults().get(host.name, {}).get("updates-pending"))
        _write_if_changed(state_dir() / "apt-sources" / "siak-lab.sources", APT_SOURCES)
        _write_if_changed(state_dir() / "apt-sources.list", "# the lab's repository: sources.list.d/siak-lab.sources\n")
    if "nginx" in host.services:
        _write_if_changed(hd / "nginx.conf", _template("nginx.conf.tmpl", **values))
        if host.managed:
            title, sub = "SIAK - Sistem Informasi Administrasi Kependudukan", "Disdukcapil Kabupaten Paser - server aplikasi"
        else:
            title, sub = "Pusat Data Nasional (lab)", "Stand-in of the national data centre for step-4 probes"
        _write_if_changed(hd / "www" / "index.html", _template("index.html.tmpl", title=title, subtitle=sub, **values))
    if "chrony-server" in host.services:
        _write_if_changed(hd / "chrony.conf", _template("chrony-server.conf.tmpl", **values))
    elif "chrony" in host.services:
        _write_if_changed(hd / "chrony.conf", _template("chrony-client.conf.tmpl", **values))
    _seed_logs(host, hd / "log")
    if "backup" in host.services and not any((hd / "backup").glob("*.dmp")):
        _make_backups(hd / "backup")


def _daemon_argv(host: Host, service: str) -> list:
    hd = host_dir(host)
    if service == "nginx":
        return [NGINX, "-c", f"{hd}/nginx.conf"]
    if service == "chrony":
        return [CHRONYD, "-x", "-f", f"{hd}/chrony.conf"]
    if service == "tnslsnr":
        return [PYTHON, str(_lab_script("tnslsnr.py")), "--daemon"]
    raise LabError(f"unknown service {service}")


def _boot_script(host: Host, skip_services=()) -> str:
    """The shell script that runs as the host's first process and ends by exec'ing PID 1."""
    hd = host_dir(host)
    q = shlex.quote
    lines = [
        "set -e",
        f"hostname {q(host.name)}",
        # The admin's /run/netns mounts would show through under the host's own /run.
        "umount -R -l /run/netns 2>/dev/null || true",
        "mount -t tmpfs -o mode=0755,size=16m tmpfs /run",
        "mkdir -p /run/sshd /run/lock && chmod 0755 /run/sshd && chmod 1777 /run/lock",
        "mount -t tmpfs -o mode=1777,size=64m tmpfs /tmp",
        f"mount --bind {q(str(hd / 'log'))} /var/log",
        "mount -t tmpfs -o mode=0755,size=1m srv /srv",
        f"mkdir -p {DATA_MOUNT}",
        f"mount -t tmpfs -o mode=0755,size={DATA_SIZE} {DATA_SOURCE} {DATA_MOUNT}",
    ]
    if "backup" in host.services:
        lines += [f"mkdir -p {BACKUP_DIR}", f"mount --bind {q(str(hd / 'backup'))} {BACKUP_DIR}"]
    if host.managed:
        st = state_dir()
        lines += [
            f"mount --bind {q(str(st / 'apt-sources'))} /etc/apt/sources.list.d",
            f"if [ -e /etc/apt/sources.list ]; then mount --bind {q(str(st / 'apt-sources.list'))} /etc/apt/sources.list; fi",
            f"mount --bind {q(str(hd / 'apt-lists'))} /var/lib/apt/lists",
            f"mount --bind {q(str(hd / 'apt-cache'))} /var/cache/apt",
        ]
    for svc in host.daemons:
        if svc not in skip_services:
            lines.append(shlex.join(_daemon_argv(host, svc)) + " </dev/null")
    if host.managed:
        lines.append(f"exec {SSHD} -D -f {q(str(hd / 'sshd_config'))} -E /var/log/sshd.log")
    else:
        lines.append(f"exec {PYTHON} {q(str(_lab_script('init.py')))} {q(host.name)}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------
# Network and host life cycle
# --------------------------------------------------------------------------------------
def _mac(address: str) -> str:
    """A fixed, locally administered MAC per lab address, so a rebuilt host keeps its MAC
    and the bridge keeps its own (neighbour caches stay valid)."""
    octets = [int(x) for x in address.split(".")]
    return "02:53:4b:" + ":".join(f"{o:02x}" for o in octets[1:])


def _ensure_bridge() -> None:
    if not _link_exists(BRIDGE):
        _run(["ip", "link", "add", BRIDGE, "address", _mac(GATEWAY), "type", "bridge"])
    if Path(f"/sys/class/net/{BRIDGE}/address").read_text(encoding="ascii").strip() != _mac(GATEWAY):
        _run(["ip", "link", "set", BRIDGE, "address", _mac(GATEWAY)])
    addrs = _run(["ip", "-4", "-o", "addr", "show", "dev", BRIDGE]).stdout
    if f"{GATEWAY}/{PREFIX_LEN}" not in addrs:
        _run(["ip", "addr", "add", f"{GATEWAY}/{PREFIX_LEN}", "dev", BRIDGE])
    _run(["ip", "link", "set", BRIDGE, "up"])


def _teardown_host(host: Host, procs=None) -> None:
    procs = _scan_procs() if procs is None else procs
    _kill_pids(_lab_procs(procs, host), host.name)
    if _netns_exists(host.netns):
        _run(["ip", "netns", "del", host.netns], check=False)
    if _link_exists(host.veth):
        _run(["ip", "link", "del", host.veth], check=False)


def _build_host(host: Host, skip_services=()) -> None:
    _prepare_host_files(host)
    ns = host.netns
    _run(["ip", "netns", "add", ns])
    _run(["ip", "link", "add", host.veth, "type", "veth", "peer", "name", "eth0", "netns", ns, "address", _mac(host.address)])
    _run(["ip", "-n", ns, "link", "set", "lo", "up"])
    _run(["ip", "-n", ns, "addr", "add", f"{host.address}/{PREFIX_LEN}", "dev", "eth0"])
    _run(["ip", "-n", ns, "link", "set", "eth0", "up"])
    _run(["ip", "link", "set", host.veth, "master", BRIDGE])
    _run(["ip", "neigh", "flush", "dev", BRIDGE, "to", host.address], check=False)
    offline = "offline" in _load_faults().get(host.name, {})
    _run(["ip", "link", "set", host.veth, "down" if offline else "up"])
    bootlog = host_dir(host) / "boot.log"
    boot = host_dir(host) / "boot.sh"
    boot.write_text(_boot_script(host, skip_services), encoding="utf-8")
    with open(bootlog, "w", encoding="utf-8") as log:
        subprocess.run(
            [
                "setsid", "-f", "ip", "netns", "exec", ns,
                "unshare", "--uts", "--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private",
                "/bin/sh", str(boot),
            ],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=CLEAN_ENV, check=True, timeout=CMD_TIMEOUT_S,
        )


def _nsenter(state: HostState, argv, check=True, timeout=CMD_TIMEOUT_S) -> subprocess.CompletedProcess:
    if state.pid1 is None:
        raise LabError(f"{state.host.name} is not running (run: siaklab up)")
    return _run(["nsenter", "-t", state.pid1, "-m", "-u", "-n", "-i", "-p", "--", *argv], check=check, timeout=timeout)


def _start_service(state: HostState, service: str) -> None:
    _nsenter(state, _daemon_argv(state.host, service))


def _stop_service(state: HostState, service: str) -> None:
    _nsenter(
        state,
        ["start-stop-daemon", "--stop", "--quiet", "--oknodo", "--retry", "TERM/5/KILL/2", "--pidfile", PIDFILES[service]],
    )
    _nsenter(state, ["rm", "-f", PIDFILES[service]], check=False)


def _tcp_ready(address: str, port: int, expect: bytes | None, timeout=0.5) -> bool:
    try:
        with socket.create_connection((address, port), timeout=timeout) as sock:
            if expect is None:
                return True
            sock.settimeout(timeout)
            return sock.recv(64).startswith(expect)
    except OSError:
        return False


def _http_ok(address: str, path="/siak/health", timeout=0.5) -> bool:
    conn = http.client.HTTPConnection(address, 80, timeout=timeout)
    try:
        conn.request("GET", path)
        resp = conn.getresponse()
        return resp.status == 200 and resp.read().strip() == b"OK"
    except OSError:
        return False
    finally:
        conn.close()


def _probes(host: Host, faults: dict) -> list:
    """Readiness probes for a host, leaving out what a staged fault took away."""
    hf = faults.get(host.name, {})
    if "offline" in hf:
        return []
    stopped = set(hf.get("service-stop", []))
    out = []
    if host.managed:
        out.append(("ssh", lambda h=host: _tcp_ready(h.address, 22, b"SSH-")))
    if "nginx" in host.daemons and "nginx" not in stopped:
        out.append(("nginx", lambda h=host: _http_ok(h.address)))
    if "tnslsnr" in host.daemons and "tnslsnr" not in stopped:
        out.append(("tnslsnr", lambda h=host: _tcp_ready(h.address, 1521, b"TNSLSNR")))
    return out


def _wait_ready(hosts, faults: dict, deadline_s=WAIT_READY_S) -> None:
    pending = {(h.name, what): probe for h in hosts for what, probe in _probes(h, faults)}
    deadline = time.monotonic() + deadline_s
    while pending:
        for key in [k for k, probe in pending.items() if probe()]:
            del pending[key]
        if not pending:
            return
        if time.monotonic() > deadline:
            names = ", ".join(f"{n}:{w}" for n, w in sorted(pending))
            tails = []
            for n in sorted({n for n, _ in pending}):
                boot = host_dir(HOSTS_BY_NAME[n]) / "boot.log"
                if boot.exists() and boot.read_text(encoding="utf-8", errors="replace").strip():
                    tails.append(f"{n}: {boot.read_text(encoding='utf-8', errors='replace').strip().splitlines()[-1]}")
            raise LabError(f"not ready after {deadline_s:.0f} s: {names}" + (f" ({'; '.join(tails)})" if tails else ""))
        time.sleep(0.1)


# --------------------------------------------------------------------------------------
# Faults state
# --------------------------------------------------------------------------------------
def _faults_path() -> Path:
    return state_dir() / "faults.json"


def _load_faults() -> dict:
    try:
        return json.loads(_faults_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def _save_faults(faults: dict) -> None:
    faults = {k: v for k, v in faults.items() if v}
    _write_if_changed(_faults_path(), json.dumps(faults, indent=1, sort_keys=True) + "\n")


# --------------------------------------------------------------------------------------
# Inventory
# --------------------------------------------------------------------------------------
def _yaml_scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _yaml_lines(obj: dict, indent: int = 0) -> list:
    pad = " " * indent
    lines = []
    for key, value in obj.items():
        if isinstance(value, dict):
            if value:
                lines.append(f"{pad}{key}:")
                lines += _yaml_lines(value, indent + 2)
            else:
                lines.append(f"{pad}{key}: {{}}")
        elif isinstance(value, (list, tuple)):
            lines.append(f"{pad}{key}: [{', '.join(_yaml_scalar(v) for v in value)}]")
        else:
            lines.append(f"{pad}{key}: {_yaml_scalar(value)}")
    return lines


def _inventory_dict(switches: list) -> dict:
    sd = state_dir()
    common = {
        "ansible_user": "root",
        "ansible_ssh_private_key_file": str(sd / "id_ed25519"),
        "ansible_ssh_common_args": f"-o UserKnownHostsFile={sd / 'known_hosts'} -o StrictHostKeyChecking=yes",
        "ansible_python_interpreter": "/usr/bin/python3",
    }
    leaf = {}
    for host in HOSTS:
        if not host.managed:
            continue
        for group in host.groups:
            leaf.setdefault(group, {})[host.name] = {"ansible_host": host.address, **common}

    def group(name: str) -> dict:
        node = {}
        if name in leaf:
            node["hosts"] = leaf[name]
        if name in GROUP_TREE:
            node["children"] = {child: group(child) for child in GROUP_TREE[name]}
        return node

    sw_hosts = {}
    for sw in switches:
        sw_hosts[sw["name"]] = {
            "ansible_host": sw["host"],
            "ansible_connection": "local",
            "ansible_python_interpreter": "{{ ansible_playbook_python }}",
            "siak_switch_platform": sw["platform"],
            "siak_switch_port": int(sw["port"]),
            "siak_switch_username": sw["username"],
            "siak_switch_password": sw["password"],
            "siak_switch_uplinks": list(sw.get("uplinks", [])),
        }
        if sw.get("secret"):
            sw_hosts[sw["name"]]["siak_switch_secret"] = sw["secret"]
    switches_group = {"hosts": sw_hosts}
    # The switches' own host keys, written by switchlab.start(): the checks trust only this file.
    known_hosts = sorted({sw["known_hosts"] for sw in switches if sw.get("known_hosts")})
    if known_hosts:
        switches_group["vars"] = {"siak_switch_check_known_hosts": known_hosts[0]}
    return {
        "all": {
            "vars": {"siak_lab_gateway": GATEWAY, "siak_lab_datacentre": DATACENTRE},
            "children": {"siak_hosts": group("siak_hosts"), "switches": switches_group},
        }
    }


def _write_inventory(switches: list) -> bool:
    text = "---\n# Generated by lab/siaklab.py up: the lab's inventory. Do not edit; re-run `up`.\n"
    text += "\n".join(_yaml_lines(_inventory_dict(switches))) + "\n"
    return _write_if_changed(INVENTORY, text)


def _write_known_hosts() -> bool:
    lines = []
    for host in HOSTS:
        if host.managed:
            pub = (host_dir(host) / "ssh_host_ed25519_key.pub").read_text(encoding="ascii").split()
            lines.append(f"{host.address},{host.name} {pub[0]} {pub[1]}")
    return _write_if_changed(state_dir() / "known_hosts", "\n".join(lines) + "\n")


def _control_path_dirs() -> list:
    """Where Ansible keeps its ControlPersist sockets (ansible.cfg, environment, default)."""
    dirs = [os.environ.get("ANSIBLE_SSH_CONTROL_PATH_DIR", "")]
    cfg = configparser.ConfigParser(interpolation=None)
    with contextlib.suppress(OSError, configparser.Error):
        cfg.read(ROOT / "ansible.cfg", encoding="utf-8")
        dirs.append(cfg.get("ssh_connection", "control_path_dir", fallback=""))
    dirs.append("~/.ansible/cp")
    return [Path(os.path.expanduser(d)) for d in dict.fromkeys(d for d in dirs if d)]


def _close_ssh_masters(hosts) -> None:
    """Ask Ansible's persistent SSH masters to the given (rebuilt or removed) hosts to exit.

    Their TCP connection went with the old namespace; left alone, the next Ansible task
    to that host would ride the dead master and fail. `ssh -O exit` is the master's own
    control command (nothing is killed)."""
    for directory in _control_path_dirs():
        if not directory.is_dir():
            continue
        for host in hosts:
            for port in (None, 22, "22"):
                digest = hashlib.sha1(f"{host.address}-{port}-root".encode()).hexdigest()[:10]
                sock = directory / digest
                if sock.exists():
                    _run(["ssh", "-O", "exit", "-o", f"ControlPath={sock}", f"root@{host.address}"], check=False, timeout=5)


# --------------------------------------------------------------------------------------
# Switches (helper module lab/switchlab.py; optional until it exists)
# --------------------------------------------------------------------------------------
def _switchlab():
    if not (LAB_DIR / "switchlab.py").exists():
        return None
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return importlib.import_module("lab.switchlab")


def _switch_dir() -> Path:
    return state_dir()


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------
def up(quiet: bool = False) -> dict:
    """Bring the lab up (idempotent, self-repairing); return its description."""
    preflight()
    t0 = time.monotonic()
    with _Lock():
        sd = state_dir()
        sd.mkdir(parents=True, exist_ok=True)
        os.chmod(sd, 0o755)
        _ensure_client_key()
        _ensure_accounts()
        _ensure_bridge()
        faults = _load_faults()
        procs = _scan_procs()
        _remove_unknown_netns(procs)
        states = _host_states(procs)
        rebuilt = []
        for host in HOSTS:
            st = states[host.name]
            healthy = st.netns_ok and st.pid1 is not None and _link_exists(host.veth)
            if healthy and host.managed and not st.running("sshd"):
                healthy = False
            if healthy:
                _repair_host(st, faults)
                continue
            _teardown_host(host, procs)
            stopped = faults.get(host.name, {}).get("service-stop", [])
            _build_host(host, skip_services=stopped)
            rebuilt.append(host.name)
        _write_known_hosts()
        if rebuilt:
            _close_ssh_masters([HOSTS_BY_NAME[n] for n in rebuilt])
        _wait_ready(HOSTS, faults)
        if rebuilt:
            _reapply_faults(rebuilt, faults)
        switches = []
        swl = _switchlab()
        if swl is None:
            if not quiet:
                _say("lab/switchlab.py not present yet: no switches")
        else:
            switches = list(swl.start(_switch_dir()))
        _write_inventory(switches)
    if not quiet:
        what = f"rebuilt {', '.join(rebuilt)}" if rebuilt else "already running"
        _say(f"up in {time.monotonic() - t0:.1f} s ({what}; {len(switches)} switches); inventory {INVENTORY}")
    return {
        "inventory": str(INVENTORY),
        "state_dir": str(state_dir()),
        "hosts": {h.name: h.address for h in HOSTS if h.managed},
        "datacentre": DATACENTRE,
        "gateway": GATEWAY,
        "switches": switches,
    }


def _lab_netns_names() -> list:
    try:
        return sorted(n for n in os.listdir("/run/netns") if n.startswith(NETNS_PREFIX))
    except OSError:
        return []


def _remove_unknown_netns(procs) -> None:
    """Namespaces of hosts no longer in HOSTS_TABLE (e.g. a line was removed): end them."""
    known = {h.netns for h in HOSTS}
    for name in _lab_netns_names():
        if name in known:
            continue
        ino = _ns_inode(f"/run/netns/{name}")
        _kill_pids([p.pid for p in procs if ino is not None and p.netns == ino], name)
        _run(["ip", "netns", "del", name], check=False)


def _repair_host(st: HostState, faults: dict) -> None:
    """Restart daemons of a healthy host that died on their own (staged stops are kept)."""
    hf = faults.get(st.host.name, {})
    stopped = set(hf.get("service-stop", []))
    for svc in st.host.daemons:
        if svc not in stopped and not st.running(svc):
            _nsenter(st, ["rm", "-f", PIDFILES[svc]], check=False)
            _start_service(st, svc)
    if _link_exists(st.host.veth):
        want = "down" if "offline" in hf else "up"
        if _link_state(st.host.veth) != want:
            _run(["ip", "link", "set", st.host.veth, want])


def _reapply_faults(names, faults: dict) -> None:
    """A rebuilt host loses mounts staged over /proc and disk fills: stage them again."""
    for name in names:
        hf = faults.get(name, {})
        for kind in ("load", "memory", "disk-fill"):
            if kind in hf:
                _fault_host(HOSTS_BY_NAME[name], kind, dict(hf[kind]), record=False)


def _link_state(name: str) -> str:
    try:
        flags = int(Path(f"/sys/class/net/{name}/flags").read_text(encoding="ascii"), 16)
    except (OSError, ValueError):
        return "missing"
    return "up" if flags & 1 else "down"


def down(purge: bool = False, quiet: bool = False) -> None:
    """Stop everything the lab started: processes, namespaces, veths, bridge (and switches)."""
    preflight()
    t0 = time.monotonic()
    with _Lock():
        swl = _switchlab()
        if swl is not None:
            swl.stop(_switch_dir())
        procs = _scan_procs()
        _kill_pids(_lab_procs(procs), "lab processes")
        _close_ssh_masters(HOSTS)
        for name in _lab_netns_names():
            _run(["ip", "netns", "del", name], check=False)
        for host in HOSTS:
            if _link_exists(host.veth):
                _run(["ip", "link", "del", host.veth], check=False)
        if _link_exists(BRIDGE):
            for port in Path(f"/sys/class/net/{BRIDGE}/brif").iterdir():
                _run(["ip", "link", "del", port.name], check=False)
            _run(["ip", "link", "del", BRIDGE])
        _faults_path().unlink(missing_ok=True)
        _remove_accounts()
        if purge:
            shutil.rmtree(state_dir(), ignore_errors=True)
    if not quiet:
        _say(f"down in {time.monotonic() - t0:.1f} s" + (" (state removed)" if purge else ""))


def status() -> dict:
    """Describe what is running: per host its PID 1, link, services and staged faults."""
    preflight()
    faults = _load_faults()
    states = _host_states()
    hosts = {}
    for host in HOSTS:
        st = states[host.name]
        hosts[host.name] = {
            "address": host.address,
            "managed": host.managed,
            "netns": st.netns_ok,
            "pid1": st.pid1,
            "link": _link_state(host.veth),
            "services": {svc: st.running(svc) for svc in (["sshd"] if host.managed else []) + host.daemons},
            "faults": faults.get(host.name, {}),
        }
    swl = _switchlab()
    return {
        "bridge": _link_exists(BRIDGE),
        "state_dir": str(state_dir()),
        "inventory": str(INVENTORY) if INVENTORY.exists() else None,
        "hosts": hosts,
        "switches": swl.status(_switch_dir()) if swl is not None else None,
    }


# --------------------------------------------------------------------------------------
# Package repository: pusat-dc stands in for the office's package mirror
# --------------------------------------------------------------------------------------
# Each managed host sees only the lab's repository (its own /etc/apt/sources.list.d) and
# its own package lists (/var/lib/apt/lists, /var/cache/apt), so that the update check
# finds a reachable repository and a known set of pending updates. Nothing is ever
# downloaded: the check only simulates (apt-get -s) from these lists.
APT_SUITES = {"bookworm": "Debian", "bookworm-security": "Debian-Security"}
APT_SOURCES = f"""Types: deb
URIs: http://{DATACENTRE}/debian
Suites: {" ".join(APT_SUITES)}
Components: main
Trusted: yes
"""


def _apt_arch() -> str:
    return _run(["dpkg", "--print-architecture"]).stdout.strip()


def _write_apt_lists(host: Host, pending: dict | None = None) -> None:
    """Write the host's package lists: empty (nothing pending) or with ``pending``
    ({"package": name, "security": bool}) one newer version of an installed package.
    The lists are stamped now, as after an index refresh."""
    lists = host_dir(host) / "apt-lists"
    (lists / "partial").mkdir(parents=True, exist_ok=True)
    (host_dir(host) / "apt-cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    arch = _apt_arch()
    for suite, label in APT_SUITES.items():
        prefix = f"{DATACENTRE}_debian_dists_{suite}"
        _write_if_changed(lists / f"{prefix}_Release",
                          f"Origin: {label}\nLabel: {label}\nSuite: {suite}\nCodename: {suite}\n"
                          f"Architectures: {arch}\nComponents: main\n")
        body = ""
        if pending and bool(pending.get("security")) == (suite != "bookworm"):
            body = _apt_stanza(pending["package"])
        packages = lists / f"{prefix}_main_binary-{arch}_Packages"
        _write_if_changed(packages, body)
        os.utime(packages)


def _apt_stanza(package: str) -> str:
    query = _run(["dpkg-query", "-W", "-f", "${Version} ${Architecture}", package], check=False)
    if query.returncode != 0 or not query.stdout.strip():
        raise LabError(f"package {package!r} is not installed on this machine, so no update of it can be staged")
    version, arch = query.stdout.split()
    return (f"Package: {package}\nVersion: {version}+lab1\nArchitecture: {arch}\n"
            f"Maintainer: SIAK lab <lab@example.invalid>\nInstalled-Size: 1\n"
            f"Filename: pool/main/{package}_{version}+lab1_{arch}.deb\nSize: 1\n"
            f"MD5sum: 00000000000000000000000000000000\nDescription: lab stand-in of a pending update\n\n")


FAULT_KINDS = {
    "disk-fill": "fill a tmpfs to --percent P (default mount /srv/data)",
    "disk-clear": "empty /srv/data again",
    "service-stop": "stop --service nginx|chrony|tnslsnr",
    "service-start": "start --service nginx|chrony|tnslsnr",
    "log-append": "append --lines N syslog lines [--text T] [--file /var/log/syslog]",
    "load": "show --load1 X --load5 Y --load15 Z in /proc/loadavg",
    "load-clear": "real /proc/loadavg again",
    "memory": "show --used-percent P in /proc/meminfo (MemAvailable)",
    "memory-clear": "real /proc/meminfo again",
    "offline": "the host's link goes down (100 % loss)",
    "online": "the host's link comes back",
    "backup-age": "the newest backup is --days N old",
    "clock-unsync": "stop chronyd on the host",
    "updates-pending": "a newer version of --package P waits in the lab repository [--security true]",
    "tmp-noexec": "/tmp, /var/tmp and root's ~/.ansible/tmp mounted noexec",
    "tmp-readonly": "/tmp, /var/tmp and root's ~/.ansible/tmp mounted read-only (and noexec)",
    "mdstat": "not possible in this lab (no md driver)",
}
# The temp folders a tmp-* fault covers, and the source name of its mounts (reset finds them by it).
TMP_DIRS = ("/tmp", "/var/tmp", "/root/.ansible/tmp")
TMP_SOURCE = "siaklab-tmp"


def fault(target: str, kind: str, **params) -> None:
    """Stage a fault on a lab host or switch (reversible with reset(target))."""
    if target.startswith("sw-"):
        swl = _switchlab()
        if swl is None:
            raise LabError("switches are not available yet (lab/switchlab.py is missing)")
        with _Lock():
            swl.fault(_switch_dir(), target, kind, **params)
        return
    host = HOSTS_BY_NAME.get(target)
    if host is None:
        raise LabError(f"unknown target {target!r}; hosts: {', '.join(HOSTS_BY_NAME)}; switches start with sw-")
    if kind not in FAULT_KINDS:
        raise LabError(f"unknown fault kind {kind!r}; kinds: {', '.join(FAULT_KINDS)}")
    if kind == "mdstat":
        raise LabError(
            "a degraded RAID cannot be staged in this lab: the kernel has no md driver, so /proc/mdstat "
            "does not exist and nothing can be mounted over it; RAID parsing is tested on captured mdstat text"
        )
    preflight()
    with _Lock():
        _fault_host(host, kind, dict(params), record=True)


def _num(params: dict, key: str, kind: str, cast=float, lo=None, hi=None):
    if key not in params or params[key] is None:
        raise LabError(f"fault {kind} needs --{key.replace('_', '-')}")
    try:
        value = cast(params[key])
    except (TypeError, ValueError) as exc:
        raise LabError(f"--{key.replace('_', '-')} must be a number, not {params[key]!r}") from exc
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        raise LabError(f"--{key.replace('_', '-')} must be between {lo} and {hi}")
    return value


def _running_state(host: Host) -> HostState:
    st = _host_states()[host.name]
    if st.pid1 is None:
        raise LabError(f"{host.name} is not running (run: siaklab up)")
    return st


def _mountpoints(st: HostState) -> dict:
    """Mount points of the host's mount namespace -> filesystem type."""
    out = {}
    with open(f"/proc/{st.pid1}/mountinfo", encoding="utf-8") as handle:
        for line in handle:
            left, _, right = line.partition(" - ")
            out[left.split()[4]] = right.split()[0]
    return out


def _fault_host(host: Host, kind: str, params: dict, record: bool) -> None:
    faults = _load_faults()
    hf = faults.setdefault(host.name, {})
    if kind in ("disk-fill", "disk-clear"):
        mount = str(params.get("mount") or DATA_MOUNT)
        st = _running_state(host)
        if _mountpoints(st).get(mount) != "tmpfs" or not mount.startswith("/srv/"):
            raise LabError(f"{mount} is not one of the lab's scratch tmpfs mounts on {host.name} (use {DATA_MOUNT})")
        root = Path(f"/proc/{st.pid1}/root{mount}")
        fill = root / ".siaklab-fill"
        if kind == "disk-clear":
            _clear_dir(root)
            hf.pop("disk-fill", None)
        else:
            percent = _num(params, "percent", kind, float, 0, 100)
            fill.unlink(missing_ok=True)
            vfs = os.statvfs(root)
            total = vfs.f_blocks * vfs.f_frsize
            used = (vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize
            need = int(total * percent / 100) - used
            if need > 0:
                fd = os.open(fill, os.O_CREAT | os.O_WRONLY, 0o644)
                try:
                    os.posix_fallocate(fd, 0, min(need, vfs.f_bavail * vfs.f_frsize))
                finally:
                    os.close(fd)
            hf["disk-fill"] = {"percent": percent, "mount": mount}
    elif kind in ("service-stop", "service-start", "clock-unsync"):
        service = "chrony" if kind == "clock-unsync" else str(params.get("service") or "")
        service = SERVICE_ALIASES.get(service, service)
        if service in ("ssh", "sshd"):
            raise LabError("sshd is the host itself (PID 1): use the `offline` fault to make a host unreachable")
        if service not in PIDFILES:
            raise LabError(f"--service must be one of {', '.join(PIDFILES)} (got {service!r})")
        if service not in host.daemons:
            raise LabError(f"{host.name} does not run {service} (it runs: {', '.join(host.daemons) or 'nothing'})")
        st = _running_state(host)
        stopped = hf.setdefault("service-stop", [])
        if kind == "service-start":
            if service in stopped:
                stopped.remove(service)
            if not st.running(service):
                _nsenter(st, ["rm", "-f", PIDFILES[service]], check=False)
                _start_service(st, service)
        else:
            _stop_service(st, service)
            if service not in stopped:
                stopped.append(service)
    elif kind == "log-append":
        lines = _num(params, "lines", kind, int, 1, 100000)
        target = str(params.get("file") or "/var/log/syslog")
        if not target.startswith("/var/log/") or ".." in target:
            raise LabError("--file must be a file under /var/log/")
        path = host_dir(host) / "log" / target[len("/var/log/"):]
        text = str(params.get("text") or DEFAULT_LOG_TEXT)
        if record:
            sizes = hf.setdefault("log-append", {})
            sizes.setdefault(target, path.stat().st_size if path.exists() else -1)
        path.parent.mkdir(parents=True, exist_ok=True)
        ts = _syslog_ts(_dt.datetime.now())
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("".join(f"{ts} {host.name} {text}\n" for _ in range(lines)))
    elif kind in ("load", "load-clear"):
        st = _running_state(host)
        if kind == "load-clear":
            _unstage_proc(st, "loadavg")
            hf.pop("load", None)
        else:
            values = [_num(params, k, kind, float, 0, 10000) for k in ("load1", "load5", "load15")]
            content = f"{values[0]:.2f} {values[1]:.2f} {values[2]:.2f} 1/{120 + len(st.procs)} {4000 + len(st.procs)}\n"
            _stage_proc(st, "loadavg", content)
            hf["load"] = {"load1": values[0], "load5": values[1], "load15": values[2]}
    elif kind in ("memory", "memory-clear"):
        st = _running_state(host)
        if kind == "memory-clear":
            _unstage_proc(st, "meminfo")
            hf.pop("memory", None)
        else:
            percent = _num(params, "used_percent", kind, float, 0, 100)
            _stage_proc(st, "meminfo", _meminfo(percent))
            hf["memory"] = {"used_percent": percent}
    elif kind in ("offline", "online"):
        if not _link_exists(host.veth):
            raise LabError(f"{host.name} has no link (run: siaklab up)")
        _run(["ip", "link", "set", host.veth, "down" if kind == "offline" else "up"])
        if kind == "offline":
            hf["offline"] = True
        else:
            hf.pop("offline", None)
    elif kind in ("tmp-noexec", "tmp-readonly"):
        st = _running_state(host)
        _unmount_tmp(st)
        options = "noexec,nosuid,nodev,size=8m" + (",ro" if kind == "tmp-readonly" else "")
        for path in TMP_DIRS:
            _nsenter(st, ["mkdir", "-p", path])
            _nsenter(st, ["mount", "-t", "tmpfs", "-o", options, TMP_SOURCE, path])
        hf[kind] = True
    elif kind == "updates-pending":
        package = str(params.get("package") or "chrony")
        security = str(params.get("security", "false")).lower() in ("1", "true", "yes")
        _write_apt_lists(host, {"package": package, "security": security})
        hf["updates-pending"] = {"package": package, "security": security}
    elif kind == "backup-age":
        if "backup" not in host.services:
            raise LabError(f"{host.name} keeps no backups (the backup host is {_backup_host()})")
        days = _num(params, "days", kind, float, 0, 3650)
        files = sorted((host_dir(host) / "backup").glob("*.dmp"), key=lambda p: p.stat().st_mtime)
        if not files:
            _make_backups(host_dir(host) / "backup")
            files = sorted((host_dir(host) / "backup").glob("*.dmp"), key=lambda p: p.stat().st_mtime)
        shift = (time.time() - days * 86400) - files[-1].stat().st_mtime
        for path in files:
            mtime = path.stat().st_mtime + shift
            os.utime(path, (mtime, mtime))
        hf["backup-age"] = {"days": days}
    if record:
        _save_faults(faults)


def _unmount_tmp(st: HostState) -> None:
    """Remove the mounts a tmp-* fault put over the host's temp folders (newest first)."""
    with open(f"/proc/{st.pid1}/mountinfo", encoding="utf-8") as handle:
        staged = [line.split()[4] for line in handle if " - tmpfs %s " % TMP_SOURCE in line]
    for path in reversed(staged):
        _nsenter(st, ["umount", path], check=False)


def _backup_host() -> str:
    return next((h.name for h in HOSTS if "backup" in h.services), "none")


def _clear_dir(root: Path) -> None:
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _meminfo(used_percent: float) -> str:
    """The machine's /proc/meminfo with MemAvailable (and free/cache) cut to used_percent."""
    real = Path("/proc/meminfo").read_text(encoding="ascii").splitlines()
    total = next(int(l.split()[1]) for l in real if l.startswith("MemTotal:"))
    avail = int(total * (100 - used_percent) / 100)
    new = {"MemFree": int(avail * 0.4), "MemAvailable": avail, "Buffers": int(avail * 0.1), "Cached": int(avail * 0.5)}
    out = []
    for line in real:
        key = line.split(":", 1)[0]
        if key in new:
            out.append(f"{key + ':':<16}{new[key]:>8} kB")
        else:
            out.append(line)
    return "\n".join(out) + "\n"


def _stage_proc(st: HostState, name: str, content: str) -> None:
    """Bind a file over /proc/<name> in the host (rewrite in place when already staged)."""
    src = host_dir(st.host) / f"proc-{name}"
    mounted = f"/proc/{name}" in _mountpoints(st)
    if mounted and src.exists():
        with open(src, "r+", encoding="ascii") as handle:  # same inode: the bind mount stays valid
            handle.write(content)
            handle.truncate()
        return
    src.write_text(content, encoding="ascii")
    if mounted:
        _nsenter(st, ["umount", f"/proc/{name}"], check=False)
    _nsenter(st, ["mount", "--bind", str(src), f"/proc/{name}"])


def _unstage_proc(st: HostState, name: str) -> None:
    for _ in range(5):  # a file may have been bound more than once
        if f"/proc/{name}" not in _mountpoints(st):
            break
        _nsenter(st, ["umount", f"/proc/{name}"])
    (host_dir(st.host) / f"proc-{name}").unlink(missing_ok=True)


def reset(target: str | None = None) -> None:
    """Clear staged faults of one target (host or switch), or of the whole lab."""
    preflight()
    with _Lock():
        if target is None or target.startswith("sw-"):
            swl = _switchlab()
            if swl is not None:
                swl.reset(_switch_dir(), target)
            elif target is not None:
                raise LabError("switches are not available yet (lab/switchlab.py is missing)")
            if target is not None:
                return
        if target is not None and target not in HOSTS_BY_NAME:
            raise LabError(f"unknown target {target!r}; hosts: {', '.join(HOSTS_BY_NAME)}; switches start with sw-")
        for host in [HOSTS_BY_NAME[target]] if target else HOSTS:
            _reset_host(host)


def _reset_host(host: Host) -> None:
    faults = _load_faults()
    hf = faults.get(host.name, {})
    if _link_exists(host.veth) and _link_state(host.veth) != "up":
        _run(["ip", "link", "set", host.veth, "up"])
    for target, size in hf.get("log-append", {}).items():
        path = host_dir(host) / "log" / target[len("/var/log/"):]
        if size < 0:
            path.unlink(missing_ok=True)
        elif path.exists():
            os.truncate(path, size)
    if "backup-age" in hf:
        _make_backups(host_dir(host) / "backup")
    if "updates-pending" in hf:
        _write_apt_lists(host)
    st = _host_states()[host.name]
    if st.pid1 is not None:
        mounts = _mountpoints(st)
        for name in ("loadavg", "meminfo"):
            if f"/proc/{name}" in mounts:
                _unstage_proc(st, name)
        if mounts.get(DATA_MOUNT) == "tmpfs":
            _clear_dir(Path(f"/proc/{st.pid1}/root{DATA_MOUNT}"))
        _unmount_tmp(st)
        for svc in host.daemons:
            if not st.running(svc):
                _nsenter(st, ["rm", "-f", PIDFILES[svc]], check=False)
                _start_service(st, svc)
    faults.pop(host.name, None)
    _save_faults(faults)


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------
USAGE = """usage: siaklab.py up | down [--purge] | status [--json] | reset [TARGET] | fault TARGET KIND [--key value ...]
fault kinds:
""" + "\n".join(f"  {k:<14} {v}" for k, v in FAULT_KINDS.items())


def _parse_params(args: list) -> dict:
    params = {}
    i = 0
    while i < len(args):
        arg = args[i]
        if not arg.startswith("--"):
            raise LabError(f"unexpected argument {arg!r} (parameters are --key value)")
        key = arg[2:].replace("-", "_")
        if "=" in key:
            key, value = key.split("=", 1)
            i += 1
        elif i + 1 < len(args) and not args[i + 1].startswith("--"):
            value = args[i + 1]
            i += 2
        else:
            raise LabError(f"{arg} needs a value")
        params[key] = value
    return params


def main(argv: list | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    try:
        if cmd == "up":
            up()
        elif cmd == "down":
            down(purge="--purge" in rest)
        elif cmd == "status":
            info = status()
            if "--json" in rest:
                print(json.dumps(info, indent=2))
            else:
                _print_status(info)
        elif cmd == "reset":
            reset(rest[0] if rest else None)
            _say(f"reset {rest[0] if rest else 'all targets'}")
        elif cmd == "fault":
            if len(rest) < 2:
                raise LabError("usage: fault TARGET KIND [--key value ...]")
            fault(rest[0], rest[1], **_parse_params(rest[2:]))
            _say(f"staged {rest[1]} on {rest[0]}")
        else:
            raise LabError(f"unknown command {cmd!r}\n{USAGE}")
    except LabError as exc:
        print(f"siaklab: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    return 0


def _print_status(info: dict) -> None:
    print(f"bridge {BRIDGE}: {'up' if info['bridge'] else 'absent'}; state {info['state_dir']}; inventory {info['inventory']}")
    for name, h in info["hosts"].items():
        svcs = " ".join(f"{k}={'up' if v else 'DOWN'}" for k, v in h["services"].items())
        faults = ",".join(h["faults"]) or "-"
        print(f"  {name:<11} {h['address']:<13} pid1={h['pid1'] or '-':<7} link={h['link']:<7} {svcs}  faults={faults}")
    if info["switches"] is None:
        print("  switches: lab/switchlab.py not present")
    elif isinstance(info["switches"], dict) and isinstance(info["switches"].get("switches"), list):
        sw = info["switches"]
        print(f"  switches: {'running' if sw.get('running') else 'NOT running'} (pid {sw.get('pid') or '-'})")
        for item in sw["switches"]:
            faults = ",".join(str(f) for f in item.get("faults") or []) or "-"
            print(f"  {item.get('name', '?'):<11} {item.get('host', '?')}:{item.get('port', '?'):<7} "
                  f"{item.get('platform', '?'):<18} ssh={'up' if item.get('ssh') else 'DOWN'}  faults={faults}")
    else:
        print(f"  switches: {json.dumps(info['switches'])}")


if __name__ == "__main__":
    if __package__ in (None, ""):
        sys.path.insert(0, str(ROOT))
    sys.exit(main())
