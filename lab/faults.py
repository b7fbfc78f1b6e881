"""Faults of a lab host: the kinds, how each is staged, and how reset undoes them.

The public ``fault``/``reset`` (which also route ``sw-*`` targets to the switches) are in
``lab/siaklab.py``."""

from __future__ import annotations

import os
import shutil
import socket
import time
from pathlib import Path

from lab.aptrepo import write_apt_lists
from lab.faultstate import load_faults, save_faults
from lab.hardware import HW_FAULT_KINDS, stage_hardware, write_hardware
from lab.helpers import link_exists, link_state, run
from lab.hostfiles import host_now, lab_script, make_backups, prepare_host_files, syslog_ts, write_zone
from lab.network import nsenter, start_service, stop_service
from lab.office import (DATA_MOUNT, HOST_ZONE, HOSTS, HOSTS_BY_NAME, NGINX, PIDFILES, PYTHON, SERVICE_ALIASES, Host,
                        LabError, host_dir, state_dir)
from lab.procs import HostState, host_states

FAULT_KINDS = {
    "disk-fill": "fill a tmpfs to --percent P (default mount /srv/data)",
    "disk-clear": "empty /srv/data again",
    "disk-readonly": "remount /srv/data read-only, as the kernel does after disk errors (its /etc/fstab says read-write)",
    "service-stop": "stop --service nginx|chrony|tnslsnr|oracle",
    "service-start": "start --service nginx|chrony|tnslsnr|oracle",
    "log-append": "append --lines N syslog lines [--text T] [--file /var/log/syslog]",
    "load": "show --load1 X --load5 Y --load15 Z in /proc/loadavg",
    "load-clear": "the quiet load of a healthy host again (QUIET_LOAD)",
    "memory": "show --used-percent P in /proc/meminfo (MemAvailable)",
    "memory-clear": "real /proc/meminfo again",
    "offline": "the host's link goes down (100 % loss)",
    "online": "the host's link comes back",
    "backup-age": "the newest backup is --days N old",
    "backup-small": "last night's dump was cut short: --kb N (default 100), far less than the night before's",
    "clock-unsync": "stop chronyd on the host",
    "reboot-required": "installed updates wait for a restart: /run/reboot-required and its .pkgs [--packages a,b]",
    "timezone": "the host keeps another time zone: --zone Z (default Etc/UTC, as an installer leaves a server)",
    "updates-pending": "a newer version of --package P waits in the lab repository [--security true]",
    "tmp-noexec": "/tmp, /var/tmp and root's ~/.ansible/tmp mounted noexec",
    "tmp-readonly": "/tmp, /var/tmp and root's ~/.ansible/tmp mounted read-only (and noexec)",
    "tmp-full": "/tmp, /var/tmp, root's ~/.ansible/tmp and root's home full (as on a full root filesystem)",
    "stuck": "python3 on the host never answers (a stand-in for a host whose processes hang: a dying disk)",
    "ram-shrink": "show a smaller MemTotal in /proc/meminfo: --total-mb N (default three quarters of the real)",
    **HW_FAULT_KINDS,
    "http-slow": "a web application answering after --delay-ms N on --port P (default 8080)",
    "https-cert": "nginx also serves HTTPS on :443 with --cert PEM --key PEM",
    "dns-server": "dnsmasq answers on :53 for --names name=address,... (other names under .lab: NXDOMAIN)",
    "iperf3-server": "an iperf3 server on the host's address, --port P (default 5201)",
    "iperf3-missing": "the iperf3 client disappears from the host (/dev/null bound over it)",
    "mdstat": "not possible in this lab (no md driver)",
}
# The step-4 stand-ins a fault starts inside a host (stopped by reset), and where nginx's extra config goes.
SLOWHTTP_PIDFILE = "/run/siaklab-slowhttp-%d.pid"
DNSMASQ_PIDFILE = "/run/siaklab-dnsmasq.pid"
DNSMASQ = "/usr/sbin/dnsmasq"
IPERF3 = "/usr/bin/iperf3"
IPERF3_PIDFILE = "/run/siaklab-iperf3.pid"
# The temp folders a tmp-* fault covers, and the source name of its mounts (reset finds them by it).
TMP_DIRS = ("/tmp", "/var/tmp", "/root/.ansible/tmp")
TMP_SOURCE = "siaklab-tmp"
# The mount options of each tmp-* fault's tmpfs (tmp-full fills its small ones).
TMP_OPTIONS = {"tmp-noexec": "noexec,nosuid,nodev,size=8m", "tmp-readonly": "noexec,nosuid,nodev,size=8m,ro",
               "tmp-full": "nosuid,nodev,size=1m"}
# The file a disk-fill or tmp-full fault fills a filesystem with, and root's home in a host.
FILL_NAME = ".siaklab-fill"
ROOT_HOME = "/root"
# The stuck fault: what is bound over the interpreter Ansible runs modules with (PYTHON) in
# the host, a program that waits STUCK_SECONDS and says nothing (reset stops it).
STUCK_SECONDS = 3599
STUCK_TEXT = "#!/bin/sh\n# siaklab stuck fault: a python3 that never answers\nexec sleep %d\n" % STUCK_SECONDS

# The zone a timezone fault gives a host unless told otherwise: what Debian's installer
# leaves when nobody picks one.
DEFAULT_FAULT_ZONE = "Etc/UTC"

# How much of last night's dump a backup-small fault leaves, in KiB (the lab's dumps are a few MiB).
DEFAULT_SMALL_BACKUP_KB = 100

# The packages a reboot-required fault names unless told otherwise (a kernel and libc update).
DEFAULT_REBOOT_PACKAGES = "linux-image-6.1.0-28-amd64,libc6"

# What log-append writes unless told otherwise: an ordinary kernel ERROR line.
DEFAULT_LOG_TEXT = "kernel: EXT4-fs error (device vda1): ext4_find_entry:1455: inode #2: comm siak: reading directory lblock 0"


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
    st = host_states()[host.name]
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


# A healthy lab host shows a quiet /proc/loadavg: the hosts share this machine's kernel, so
# the real one is the load of whatever else runs here (a test suite, a benchmark), which
# says nothing of the simulated host. `load` stages another; `load-clear` and `reset` put
# this one back; `up` stages it on every managed host without a load fault.
QUIET_LOAD = (0.15, 0.10, 0.05)


def _loadavg_text(st: HostState, values) -> str:
    return f"{values[0]:.2f} {values[1]:.2f} {values[2]:.2f} 1/{120 + len(st.procs)} {4000 + len(st.procs)}\n"


def quiet_load(host: Host, st: HostState | None = None) -> None:
    """Stage the quiet load on a running managed host (rewritten in place when staged);
    ``st`` saves a pass over /proc when the caller has the host's state."""
    if host.managed:
        st = st if st is not None and st.pid1 is not None else _running_state(host)
        _stage_proc(st, "loadavg", _loadavg_text(st, QUIET_LOAD))


def fault_host(host: Host, kind: str, params: dict, record: bool) -> None:
    faults = load_faults()
    hf = faults.setdefault(host.name, {})
    if kind in ("disk-fill", "disk-clear"):
        mount = str(params.get("mount") or DATA_MOUNT)
        st = _running_state(host)
        if _mountpoints(st).get(mount) != "tmpfs" or not mount.startswith("/srv/"):
            raise LabError(f"{mount} is not one of the lab's scratch tmpfs mounts on {host.name} (use {DATA_MOUNT})")
        root = Path(f"/proc/{st.pid1}/root{mount}")
        fill = root / FILL_NAME
        if kind == "disk-clear":
            _clear_dir(root)
            hf.pop("disk-fill", None)
        else:
            percent = _num(params, "percent", kind, float, 0, 100)
            fill.unlink(missing_ok=True)
            vfs = os.statvfs(root)
            total = vfs.f_blocks * vfs.f_frsize
            used = (vfs.f_blocks - vfs.f_bfree) * vfs.f_frsize
            _fill(fill, int(total * percent / 100) - used)
            hf["disk-fill"] = {"percent": percent, "mount": mount}
    elif kind == "reboot-required":
        if not host.managed:
            raise LabError(f"{host.name} is not a managed host")
        st = _running_state(host)
        packages = [p for p in str(params.get("packages") or DEFAULT_REBOOT_PACKAGES).split(",") if p]
        run_dir = Path(f"/proc/{st.pid1}/root/run")
        (run_dir / "reboot-required.pkgs").write_text("".join(p + "\n" for p in packages), encoding="ascii")
        (run_dir / "reboot-required").write_text("*** System restart required ***\n", encoding="ascii")
        hf["reboot-required"] = {"packages": ",".join(packages)}
    elif kind == "timezone":
        zone = str(params.get("zone") or DEFAULT_FAULT_ZONE)
        write_zone(host, zone)
        hf["timezone"] = {"zone": zone}
    elif kind == "disk-readonly":
        st = _running_state(host)
        if _mountpoints(st).get(DATA_MOUNT) != "tmpfs":
            raise LabError(f"{host.name} has no {DATA_MOUNT} (run: siaklab up)")
        nsenter(st, ["mount", "-o", "remount,ro", DATA_MOUNT])
        hf["disk-readonly"] = {"mount": DATA_MOUNT}
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
                nsenter(st, ["rm", "-f", PIDFILES[service]], check=False)
                start_service(st, service)
        else:
            stop_service(st, service)
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
        ts = syslog_ts(host_now(host))
        with open(path, "a", encoding="utf-8") as handle:
            handle.write("".join(f"{ts} {host.name} {text}\n" for _ in range(lines)))
    elif kind in ("load", "load-clear"):
        st = _running_state(host)
        if kind == "load-clear":
            _stage_proc(st, "loadavg", _loadavg_text(st, QUIET_LOAD))
            hf.pop("load", None)
        else:
            values = [_num(params, k, kind, float, 0, 10000) for k in ("load1", "load5", "load15")]
            _stage_proc(st, "loadavg", _loadavg_text(st, values))
            hf["load"] = {"load1": values[0], "load5": values[1], "load15": values[2]}
    elif kind in ("memory", "memory-clear", "ram-shrink"):
        st = _running_state(host)
        if kind == "memory-clear":
            hf.pop("memory", None)
        elif kind == "memory":
            hf["memory"] = {"used_percent": _num(params, "used_percent", kind, float, 0, 100)}
        else:
            real_mb = _real_memtotal_kb() // 1024
            if params.get("total_mb") is None:
                params = {**params, "total_mb": real_mb * 3 // 4}
            hf["ram-shrink"] = {"total_mb": _num(params, "total_mb", kind, int, 64, real_mb)}
        if "memory" in hf or "ram-shrink" in hf:
            _stage_proc(st, "meminfo", _meminfo_for(hf))
        else:
            _unstage_proc(st, "meminfo")
    elif kind in HW_FAULT_KINDS:
        stage_hardware(host, kind, dict(params), hf)
        write_hardware(host, hf)
    elif kind in ("offline", "online"):
        if not link_exists(host.veth):
            raise LabError(f"{host.name} has no link (run: siaklab up)")
        run(["ip", "link", "set", host.veth, "down" if kind == "offline" else "up"])
        if kind == "offline":
            hf["offline"] = True
        else:
            hf.pop("offline", None)
    elif kind in TMP_OPTIONS:
        st = _running_state(host)
        _unmount_tmp(st)
        for path in TMP_DIRS:
            nsenter(st, ["mkdir", "-p", path])
            nsenter(st, ["mount", "-t", "tmpfs", "-o", TMP_OPTIONS[kind], TMP_SOURCE, path])
        if kind == "tmp-full":
            # Python's tempfile (which every module's start needs) tries TMPDIR, /tmp, /var/tmp,
            # /usr/tmp and the working folder, root's home: on a full root filesystem all are full.
            for path in (*TMP_DIRS, ROOT_HOME):
                _fill(Path(f"/proc/{st.pid1}/root{path}") / FILL_NAME)
        hf[kind] = True
    elif kind == "stuck":
        st = _running_state(host)
        program = state_dir() / "stuck-python"
        if not program.exists() or program.read_text(encoding="ascii") != STUCK_TEXT:
            program.write_text(STUCK_TEXT, encoding="ascii")
            program.chmod(0o755)
        if not hf.get("stuck"):
            nsenter(st, ["mount", "--bind", str(program), PYTHON])
        hf["stuck"] = True
    elif kind == "updates-pending":
        package = str(params.get("package") or "chrony")
        security = str(params.get("security", "false")).lower() in ("1", "true", "yes")
        write_apt_lists(host, {"package": package, "security": security})
        hf["updates-pending"] = {"package": package, "security": security}
    elif kind in ("http-slow", "https-cert", "dns-server", "iperf3-server", "iperf3-missing"):
        _stage_step4(host, kind, params, hf)
    elif kind == "backup-age":
        days = _num(params, "days", kind, float, 0, 3650)
        files = _dumps(host, at_least=1)
        shift = (time.time() - days * 86400) - files[-1].stat().st_mtime
        for path in files:
            mtime = path.stat().st_mtime + shift
            os.utime(path, (mtime, mtime))
        hf["backup-age"] = {"days": days}
    elif kind == "backup-small":
        kb = int(_num(params, "kb", kind, float, 0, 1 << 20)) if params.get("kb") is not None else DEFAULT_SMALL_BACKUP_KB
        newest = _dumps(host, at_least=2)[-1]
        mtime = newest.stat().st_mtime
        os.truncate(newest, kb * 1024)  # as a dump the disk stopped: its start, no end
        os.utime(newest, (mtime, mtime))
        hf["backup-small"] = {"kb": kb, "file": newest.name}
    if record:
        save_faults(faults)


def _fill(path: Path, size: int | None = None) -> None:
    """A file at ``path`` taking ``size`` more bytes of its filesystem (None: all the space left)."""
    vfs = os.statvfs(path.parent)
    room = vfs.f_bavail * vfs.f_frsize
    size = room if size is None else min(size, room)
    if size > 0:
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o644)
        try:
            os.posix_fallocate(fd, 0, size)
        finally:
            os.close(fd)


def _wait_port(address: str, port: int, up: bool = True, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((address, port), timeout=0.3):
                if up:
                    return
        except OSError:
            if not up:
                return
        time.sleep(0.05)
    raise LabError(f"{address}:{port} did not {'open' if up else 'close'} within {seconds:g} s")


def _nginx_reload(host: Host, st: HostState) -> None:
    nsenter(st, [NGINX, "-c", f"{host_dir(host)}/nginx.conf", "-s", "reload"])


def _stage_step4(host: Host, kind: str, params: dict, hf: dict) -> None:
    """The step-4 faults: a slow web application, HTTPS with a given certificate, a DNS server,
    an iperf3 server, an iperf3 client gone."""
    st = _running_state(host)
    if kind == "http-slow":
        port = _num(dict({"port": 8080}, **{k: v for k, v in params.items() if v is not None}), "port", kind, int, 1024, 65535)
        delay = _num(params, "delay_ms", kind, float, 0, 60000)
        pidfile = SLOWHTTP_PIDFILE % port
        nsenter(st, ["start-stop-daemon", "--stop", "--quiet", "--oknodo", "--retry", "TERM/5/KILL/2", "--pidfile", pidfile], check=False)
        _wait_port(host.address, port, up=False)
        nsenter(st, ["start-stop-daemon", "--start", "--background", "--make-pidfile", "--pidfile", pidfile,
                     "--exec", PYTHON, "--", str(lab_script("slowhttp.py")),
                     "--address", host.address, "--port", str(port), "--delay-ms", str(delay)])
        _wait_port(host.address, port)
        hf.setdefault("http-slow", {})[str(port)] = delay
    elif kind == "https-cert":
        if "nginx" not in host.daemons:
            raise LabError(f"{host.name} does not run nginx")
        cert, key = Path(str(params.get("cert") or "")), Path(str(params.get("key") or ""))
        if not cert.is_file() or not key.is_file():
            raise LabError("https-cert needs --cert and --key: PEM files that exist")
        hd = host_dir(host)
        (hd / "nginx.d").mkdir(exist_ok=True)
        (hd / "tls").mkdir(mode=0o700, exist_ok=True)
        shutil.copyfile(cert, hd / "tls" / "cert.pem")
        shutil.copyfile(key, hd / "tls" / "key.pem")
        os.chmod(hd / "tls" / "key.pem", 0o600)
        prepare_host_files(host)  # an nginx.conf of an older lab has no include of nginx.d
        (hd / "nginx.d" / "https.conf").write_text(
            "server {\n"
            f"    listen {host.address}:443 ssl;\n"
            f"    ssl_certificate {hd}/tls/cert.pem;\n"
            f"    ssl_certificate_key {hd}/tls/key.pem;\n"
            f"    root {hd}/www;\n"
            "    location = /siak/health { default_type text/plain; return 200 \"OK\"; }\n"
            "}\n", encoding="utf-8")
        _nginx_reload(host, st)
        _wait_port(host.address, 443)
        hf["https-cert"] = True
    elif kind in ("iperf3-server", "iperf3-missing"):
        if not os.path.exists(IPERF3):
            raise LabError("iperf3 is not installed (scripts/setup.sh installs it)")
        if kind == "iperf3-missing":
            if not hf.get("iperf3-missing"):
                nsenter(st, ["mount", "--bind", "/dev/null", IPERF3])
            hf["iperf3-missing"] = True
            return
        port = _num(dict({"port": 5201}, **{k: v for k, v in params.items() if v is not None}), "port", kind, int, 1024, 65535)
        nsenter(st, ["start-stop-daemon", "--stop", "--quiet", "--oknodo", "--retry", "TERM/5/KILL/2", "--pidfile", IPERF3_PIDFILE], check=False)
        nsenter(st, [IPERF3, "-s", "-D", "-B", host.address, "-p", str(port), "-I", IPERF3_PIDFILE])
        _wait_port(host.address, port)
        hf["iperf3-server"] = port
    else:
        if not os.path.exists(DNSMASQ):
            raise LabError("dnsmasq is not installed (scripts/setup.sh installs dnsmasq-base)")
        argv = [DNSMASQ, "--conf-file=/dev/null", "--no-resolv", "--no-hosts", "--bind-interfaces",
                f"--listen-address={host.address}", "--except-interface=lo", "--port=53", "--local=/lab/",
                f"--pid-file={DNSMASQ_PIDFILE}", "--user=root", "--group=root"]
        names = [n for n in str(params.get("names") or "").split(",") if n.strip()]
        for pair in names:
            name, _, address = pair.partition("=")
            if not name.strip() or not address.strip():
                raise LabError(f"--names takes name=address pairs, not {pair!r}")
            argv.append(f"--address=/{name.strip()}/{address.strip()}")
        nsenter(st, ["start-stop-daemon", "--stop", "--quiet", "--oknodo", "--retry", "TERM/5/KILL/2", "--pidfile", DNSMASQ_PIDFILE], check=False)
        nsenter(st, argv)
        hf["dns-server"] = names


def _stop_step4(host: Host, st: HostState, hf: dict) -> None:
    """Undo the step-4 faults of a running host."""
    for port in (hf.get("http-slow") or {}):
        nsenter(st, ["start-stop-daemon", "--stop", "--quiet", "--oknodo", "--retry", "TERM/5/KILL/2",
                     "--pidfile", SLOWHTTP_PIDFILE % int(port)], check=False)
        nsenter(st, ["rm", "-f", SLOWHTTP_PIDFILE % int(port)], check=False)
    if "iperf3-server" in hf:
        nsenter(st, ["start-stop-daemon", "--stop", "--quiet", "--oknodo", "--retry", "TERM/5/KILL/2",
                     "--pidfile", IPERF3_PIDFILE], check=False)
    if hf.get("iperf3-missing"):
        nsenter(st, ["umount", IPERF3], check=False)
    if "dns-server" in hf:
        nsenter(st, ["start-stop-daemon", "--stop", "--quiet", "--oknodo", "--retry", "TERM/5/KILL/2",
                     "--pidfile", DNSMASQ_PIDFILE], check=False)
    extra = host_dir(host) / "nginx.d" / "https.conf"
    if extra.exists():
        extra.unlink()
        if st.running("nginx"):
            _nginx_reload(host, st)
            _wait_port(host.address, 443, up=False)


def _unmount_tmp(st: HostState) -> None:
    """Remove the mounts a tmp-* fault put over the host's temp folders (newest first)."""
    with open(f"/proc/{st.pid1}/mountinfo", encoding="utf-8") as handle:
        staged = [line.split()[4] for line in handle if " - tmpfs %s " % TMP_SOURCE in line]
    for path in reversed(staged):
        nsenter(st, ["umount", path], check=False)


def _dumps(host: Host, at_least: int) -> list:
    """The backup host's dumps, oldest first; a fresh set (make_backups) when it holds fewer
    than ``at_least``."""
    if "backup" not in host.services:
        raise LabError(f"{host.name} keeps no backups (the backup host is {_backup_host()})")
    folder = host_dir(host) / "backup"
    files = sorted(folder.glob("*.dmp"), key=lambda p: p.stat().st_mtime)
    if len(files) < at_least:
        make_backups(folder)
        files = sorted(folder.glob("*.dmp"), key=lambda p: p.stat().st_mtime)
    return files


def _backup_host() -> str:
    return next((h.name for h in HOSTS if "backup" in h.services), "none")


def _clear_dir(root: Path) -> None:
    for entry in root.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)


def _real_memtotal_kb() -> int:
    real = Path("/proc/meminfo").read_text(encoding="ascii").splitlines()
    return next(int(l.split()[1]) for l in real if l.startswith("MemTotal:"))


def _meminfo_for(hf: dict) -> str:
    """The staged /proc/meminfo for a host's memory and ram-shrink faults."""
    used = (hf.get("memory") or {}).get("used_percent")
    total_mb = (hf.get("ram-shrink") or {}).get("total_mb")
    return _meminfo(used, int(total_mb) * 1024 if total_mb else None)


def _meminfo(used_percent: float | None, total_kb: int | None = None) -> str:
    """The machine's /proc/meminfo with MemAvailable (and free/cache) cut to used_percent,
    and MemTotal set to total_kb (available memory scaled with it when no used_percent)."""
    real = Path("/proc/meminfo").read_text(encoding="ascii").splitlines()
    total = next(int(l.split()[1]) for l in real if l.startswith("MemTotal:"))
    avail = next(int(l.split()[1]) for l in real if l.startswith("MemAvailable:"))
    new = {}
    if total_kb:
        new["MemTotal"] = total_kb
        avail = int(total_kb * avail / total)
        total = total_kb
    if used_percent is not None:
        avail = int(total * (100 - used_percent) / 100)
    new.update({"MemFree": int(avail * 0.4), "MemAvailable": avail, "Buffers": int(avail * 0.1), "Cached": int(avail * 0.5)})
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
        nsenter(st, ["umount", f"/proc/{name}"], check=False)
    nsenter(st, ["mount", "--bind", str(src), f"/proc/{name}"])


def _unstage_proc(st: HostState, name: str) -> None:
    for _ in range(5):  # a file may have been bound more than once
        if f"/proc/{name}" not in _mountpoints(st):
            break
        nsenter(st, ["umount", f"/proc/{name}"])
    (host_dir(st.host) / f"proc-{name}").unlink(missing_ok=True)


def reset_host(host: Host) -> None:
    faults = load_faults()
    hf = faults.get(host.name, {})
    if link_exists(host.veth) and link_state(host.veth) != "up":
        run(["ip", "link", "set", host.veth, "up"])
    for target, size in hf.get("log-append", {}).items():
        path = host_dir(host) / "log" / target[len("/var/log/"):]
        if size < 0:
            path.unlink(missing_ok=True)
        elif path.exists():
            os.truncate(path, size)
    if "backup-age" in hf or "backup-small" in hf:
        make_backups(host_dir(host) / "backup")
    if "updates-pending" in hf:
        write_apt_lists(host)
    if "timezone" in hf:
        write_zone(host, HOST_ZONE)
    if host.managed:
        write_hardware(host, {})
    st = host_states()[host.name]
    if st.pid1 is not None:
        mounts = _mountpoints(st)
        if "/proc/meminfo" in mounts:
            _unstage_proc(st, "meminfo")
        if host.managed:
            _stage_proc(st, "loadavg", _loadavg_text(st, QUIET_LOAD))
        if mounts.get(DATA_MOUNT) == "tmpfs":
            if hf.get("disk-readonly"):
                nsenter(st, ["mount", "-o", "remount,rw", DATA_MOUNT])
            _clear_dir(Path(f"/proc/{st.pid1}/root{DATA_MOUNT}"))
        _unmount_tmp(st)
        if hf.get("stuck"):
            nsenter(st, ["umount", PYTHON], check=False)
            nsenter(st, ["pkill", "-x", "-f", "sleep %d" % STUCK_SECONDS], check=False)
        if host.managed:
            Path(f"/proc/{st.pid1}/root{ROOT_HOME}/{FILL_NAME}").unlink(missing_ok=True)   # tmp-full
            for name in ("reboot-required", "reboot-required.pkgs"):
                Path(f"/proc/{st.pid1}/root/run/{name}").unlink(missing_ok=True)
        _stop_step4(host, st, hf)
        for svc in host.daemons:
            if not st.running(svc):
                nsenter(st, ["rm", "-f", PIDFILES[svc]], check=False)
                start_service(st, svc)
    faults.pop(host.name, None)
    save_faults(faults)


def reapply_faults(names, faults: dict) -> None:
    """A rebuilt host loses mounts staged over /proc and disk fills: stage them again."""
    for name in names:
        hf = faults.get(name, {})
        for kind in ("load", "memory", "ram-shrink", "disk-fill", "disk-readonly"):
            if kind in hf:
                fault_host(HOSTS_BY_NAME[name], kind, dict(hf[kind]), record=False)
