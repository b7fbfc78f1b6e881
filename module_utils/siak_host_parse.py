# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Pure parsers for what a Linux host tells about itself (SOP step 3, hosts).

Every function here takes text (a /proc file, a command's output) and returns plain
Python data. Nothing here reads files, runs commands or looks at the clock:
``siak_host_collect`` collects, these functions parse, ``siak_host_judge`` judges. The unit
tests feed them captured real output (tests/unit/fixtures/host/).
"""

from __future__ import annotations

import datetime
import ipaddress
import re
import time

# ---------------------------------------------------------------------------------------
# Filesystems
# ---------------------------------------------------------------------------------------

# Filesystem types that never hold data worth a space check (kernel views, read-only
# images that are always 100 % full, memory-backed helpers).
PSEUDO_FSTYPES = frozenset((
    "autofs", "binfmt_misc", "bpf", "cgroup", "cgroup2", "configfs", "debugfs", "devpts",
    "devtmpfs", "efivarfs", "fusectl", "hugetlbfs", "iso9660", "mqueue", "nsfs", "proc",
    "pstore", "ramfs", "rpc_pipefs", "securityfs", "selinuxfs", "squashfs", "sysfs",
    "tracefs", "udf", "overlay", "aufs", "fuse.lxcfs", "fuse.gvfsd-fuse", "fuse.portal",
))

# Network filesystems: real data, but statvfs() on a dead server can block, so the
# module gives them a deadline.
NETWORK_FSTYPES = frozenset(("nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "glusterfs", "ceph"))


def _unescape_mount_field(text):
    """Undo the octal escapes of /proc/mounts (``\\040`` is a space)."""
    return re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)


def parse_mounts(text):
    """Parse /proc/mounts (or /etc/mtab) into dicts: device, mountpoint, fstype, options."""
    mounts = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 4:
            continue
        mounts.append({
            "device": _unescape_mount_field(fields[0]),
            "mountpoint": _unescape_mount_field(fields[1]),
            "fstype": fields[2],
            "options": fields[3].split(","),
        })
    return mounts


def real_filesystems(mounts, exclude_fstypes=(), exclude_mountpoints=()):
    """Keep the mounts worth a space check, one per device.

    A real filesystem has a device path (source starting with ``/``, as Ansible's
    ``ansible_mounts`` requires) or is a network filesystem, and its type is not a
    pseudo filesystem. Bind mounts and btrfs subvolumes show the same device several
    times: the shortest mount point stands for the device. A later mount on the same
    mount point hides the earlier one. ``exclude_mountpoints`` are exact paths or
    prefixes ending in ``*``.
    """
    by_mountpoint = {}
    for mount in mounts:
        fstype = mount["fstype"]
        if fstype in PSEUDO_FSTYPES or fstype in exclude_fstypes:
            continue
        if not (mount["device"].startswith("/") or fstype in NETWORK_FSTYPES):
            continue
        if _excluded(mount["mountpoint"], exclude_mountpoints):
            continue
        by_mountpoint[mount["mountpoint"]] = mount
    by_device = {}
    for mount in sorted(by_mountpoint.values(), key=lambda m: (len(m["mountpoint"]), m["mountpoint"])):
        by_device.setdefault(mount["device"], mount)
    return sorted(by_device.values(), key=lambda m: m["mountpoint"])


def parse_fstab(text):
    """/etc/fstab -> {mount point: [options]}: how the system means each filesystem to be
    mounted. Comments, blank lines, swap and lines with fewer than four fields are
    skipped; a later line for the same mount point wins, as with ``mount -a``."""
    table = {}
    for line in (text or "").splitlines():
        fields = line.split("#", 1)[0].split()
        if len(fields) < 4 or fields[2] == "swap" or not fields[1].startswith("/"):
            continue
        mountpoint = _unescape_mount_field(fields[1])
        table[mountpoint.rstrip("/") or "/"] = fields[3].split(",")  # "/srv/data/" is /srv/data
    return table


def _excluded(path, patterns):
    for pattern in patterns or ():
        if pattern.endswith("*"):
            if path.startswith(pattern[:-1]):
                return True
        elif path == pattern:
            return True
    return False


def statvfs_usage(f_frsize, f_blocks, f_bfree, f_bavail, f_files, f_ffree):
    """Space and inode use from statvfs() numbers, computed the way ``df`` does.

    Used percent = used / (used + available to users): the root reserve counts as
    used, as in ``df``. Inode figures are None on filesystems without an inode table
    (f_files == 0, e.g. btrfs).
    """
    used_blocks = f_blocks - f_bfree
    usable = used_blocks + f_bavail
    pct = round(100.0 * used_blocks / usable, 1) if usable > 0 else 0.0
    result = {
        "size_bytes": f_blocks * f_frsize,
        "used_bytes": used_blocks * f_frsize,
        "avail_bytes": f_bavail * f_frsize,
        "used_pct": pct,
        "inodes_total": None,
        "inodes_used": None,
        "inodes_pct": None,
    }
    if f_files > 0:
        inodes_used = f_files - f_ffree
        result["inodes_total"] = f_files
        result["inodes_used"] = inodes_used
        result["inodes_pct"] = round(100.0 * inodes_used / f_files, 1)
    return result


# ---------------------------------------------------------------------------------------
# Memory, load, uptime
# ---------------------------------------------------------------------------------------

def parse_meminfo(text):
    """Parse /proc/meminfo into {field: kB (int)}."""
    info = {}
    for line in text.splitlines():
        key, sep, rest = line.partition(":")
        if not sep:
            continue
        fields = rest.split()
        if fields and fields[0].isdigit():
            info[key.strip()] = int(fields[0])
    return info


def memory_usage(info):
    """Memory and swap use from parsed /proc/meminfo.

    Used = MemTotal - MemAvailable (the kernel's estimate of memory that can be had
    without swapping). Kernels before 3.14 have no MemAvailable: the estimate is then
    MemFree + Buffers + Cached + SReclaimable. Swap percent is None without swap.
    """
    total = info.get("MemTotal")
    if not total:
        raise ValueError("MemTotal missing from /proc/meminfo")
    if "MemAvailable" in info:
        available = info["MemAvailable"]
        basis = "MemAvailable"
    else:
        available = sum(info.get(k, 0) for k in ("MemFree", "Buffers", "Cached", "SReclaimable"))
        basis = "MemFree+Buffers+Cached+SReclaimable"
    swap_total = info.get("SwapTotal", 0)
    swap_used = swap_total - info.get("SwapFree", 0)
    return {
        "total_kb": total,
        "available_kb": available,
        "used_pct": round(100.0 * (total - available) / total, 1),
        "basis": basis,
        "swap_total_kb": swap_total,
        "swap_used_kb": swap_used,
        "swap_pct": round(100.0 * swap_used / swap_total, 1) if swap_total else None,
    }


def parse_loadavg(text):
    """Parse /proc/loadavg: (load1, load5, load15)."""
    fields = text.split()
    if len(fields) < 3:
        raise ValueError("unexpected /proc/loadavg: %r" % text[:80])
    return float(fields[0]), float(fields[1]), float(fields[2])


def parse_proc_stat(text):
    """From /proc/stat: {'cpus': online CPU count or None, 'btime': boot epoch or None}."""
    cpus = 0
    btime = None
    for line in text.splitlines():
        if re.match(r"cpu\d+\s", line):
            cpus += 1
        elif line.startswith("btime "):
            btime = int(line.split()[1])
    return {"cpus": cpus or None, "btime": btime}


def parse_uptime(text):
    """Parse /proc/uptime: seconds since boot (float)."""
    return float(text.split()[0])


# ---------------------------------------------------------------------------------------
# Services and ports
# ---------------------------------------------------------------------------------------

RUNNING = "running"
STOPPED = "stopped"
NO_STATUS = "unknown"

_SYSV_DEBIAN = re.compile(r"^\s*\[\s*([+?-])\s*\]\s+(\S+)\s*$")
# RHEL/CentOS 6 style: "sshd (pid  1712) is running...", "nginx is stopped",
# "crond dead but pid file exists", "ntpd dead but subsys locked".
_SYSV_RHEL = re.compile(r"^(\S+?)(?:\s+\(pid\s+[\d ]+\))?\s+(is running|is stopped|dead but .*)")


def parse_service_status_all(text):
    """Parse ``service --status-all`` into {name: running | stopped | unknown}.

    Debian/Ubuntu print ``[ + ]  ssh`` (+ running, - stopped, ? no status action);
    RHEL/CentOS 6 print the init scripts' own status sentences.
    """
    states = {}
    for line in text.splitlines():
        match = _SYSV_DEBIAN.match(line)
        if match:
            states[match.group(2)] = {"+": RUNNING, "-": STOPPED, "?": NO_STATUS}[match.group(1)]
            continue
        match = _SYSV_RHEL.match(line.strip())
        if match:
            states[match.group(1)] = RUNNING if match.group(2) == "is running" else STOPPED
    return states


def parse_systemctl_units(text):
    """Parse ``systemctl list-units --type=service --all --no-legend --plain``.

    Returns {name without ``.service``: {'load', 'active', 'sub'}}. Newer systemd
    prefixes failed units with a bullet even with --plain; it is skipped.
    """
    units = {}
    for line in text.splitlines():
        fields = line.split()
        if fields and fields[0] in ("\u25cf", "*", "\u00d7"):
            fields = fields[1:]
        if len(fields) < 4 or not fields[0].endswith(".service"):
            continue
        units[fields[0][:-len(".service")]] = {"load": fields[1], "active": fields[2], "sub": fields[3]}
    return units


def systemd_state(unit):
    """running / stopped / None (not loaded) for one parsed systemctl unit."""
    if unit is None or unit["load"] in ("not-found", "masked") and unit["active"] != "active":
        return None
    return RUNNING if unit["active"] in ("active", "reloading", "activating") else STOPPED


_INTERPRETERS = re.compile(r"^(python[\d.]*|perl|ruby|bash|sh|dash|java|node|php[\d.]*)$")


def find_processes(processes, name):
    """PIDs whose command is ``name``.

    ``processes`` is a list of (pid, comm, argv) as read from /proc/<pid>/comm and
    /proc/<pid>/cmdline. The kernel truncates comm to 15 characters, so the basename
    of argv[0] is compared too; for a script run by an interpreter (``python3
    /opt/x/tnslsnr.py``) the script's name without extension counts as well.
    """
    pids = []
    for pid, comm, argv in processes:
        argv = list(argv or [])
        names = {comm}
        if argv:
            base = argv[0].rsplit("/", 1)[-1].split(":", 1)[0]
            names.add(base)
            if _INTERPRETERS.match(base):
                script = next((a for a in argv[1:] if not a.startswith("-")), None)
                if script:
                    names.add(script.rsplit("/", 1)[-1].rsplit(".", 1)[0])
        if name in names or name[:15] == comm:
            pids.append(pid)
    return sorted(pids)


def _hex_address(text):
    """Decode a /proc/net/tcp address (host-endian hex words) into (ip, port).

    IPv4-mapped IPv6 addresses are shown dotted (``::ffff:198.18.0.11``).
    """
    addr, port = text.split(":")
    words = [bytes.fromhex(addr[i:i + 8])[::-1] for i in range(0, len(addr), 8)]
    raw = b"".join(words)
    if len(raw) == 4:
        ip = str(ipaddress.IPv4Address(raw))
    else:
        ip6 = ipaddress.IPv6Address(raw)
        ip = "::ffff:%s" % ip6.ipv4_mapped if ip6.ipv4_mapped else str(ip6)
    return ip, int(port, 16)


def parse_proc_net(text, listen_state="0A"):
    """Listening sockets from /proc/net/{tcp,tcp6,udp,udp6}: {port: [addresses]}.

    TCP listeners are in state 0A (LISTEN); for UDP pass ``listen_state='07'``
    (unconnected sockets that receive, e.g. an NTP server on 123).
    """
    ports = {}
    for line in text.splitlines()[1:]:
        fields = line.split()
        if len(fields) < 4 or fields[3] != listen_state:
            continue
        ip, port = _hex_address(fields[1])
        if listen_state == "07" and fields[2].split(":")[0].strip("0"):
            continue  # a connected UDP socket, not a listener
        ports.setdefault(port, [])
        if ip not in ports[port]:
            ports[port].append(ip)
    return ports


def parse_ss_listening(text):
    """Listening ports from ``ss -ltn`` (or ``ss -lun``): {port: [addresses]}."""
    ports = {}
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 5 or fields[0] in ("State", "Netid"):
            continue
        if fields[0] in ("tcp", "udp"):
            fields = fields[1:]
        local = fields[3]
        host, _sep, port = local.rpartition(":")
        if not port.isdigit():
            continue
        host = host.strip("[]").split("%")[0]
        ports.setdefault(int(port), [])
        if host not in ports[int(port)]:
            ports[int(port)].append(host)
    return ports


def parse_port_spec(spec):
    """``80`` or ``"tcp/80"`` or ``"udp/123"`` -> ('tcp'|'udp', port)."""
    text = str(spec).strip().lower()
    proto, sep, port = text.partition("/")
    if not sep:
        proto, port = "tcp", text
    if proto not in ("tcp", "udp") or not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError("bad port %r: use 80, 'tcp/80' or 'udp/123'" % (spec,))
    return proto, int(port)


# ---------------------------------------------------------------------------------------
# Time synchronisation
# ---------------------------------------------------------------------------------------

def parse_chronyc_tracking(text):
    """Parse ``chronyc tracking``.

    Returns reference id and name, stratum, ``offset`` in seconds (system clock minus
    true time: negative when the clock is slow), last offset, leap status and
    ``synced``. chronyd reports "Not synchronised" (British spelling) in Leap status
    and a zero reference id when it has no source.
    """
    fields = {}
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if sep:
            fields[key.strip()] = value.strip()
    if "Leap status" not in fields and "Reference ID" not in fields:
        raise ValueError("not chronyc tracking output: %r" % text[:120])
    result = {"source": "chrony", "ref_id": None, "ref_name": None, "stratum": None,
              "offset": None, "last_offset": None, "leap": fields.get("Leap status")}
    ref = fields.get("Reference ID", "")
    match = re.match(r"(\S+)(?:\s+\((.*)\))?", ref)
    if match:
        result["ref_id"] = match.group(1)
        result["ref_name"] = match.group(2) or None
    if fields.get("Stratum", "").isdigit():
        result["stratum"] = int(fields["Stratum"])
    match = re.match(r"([-+]?[\d.]+) seconds (slow|fast)", fields.get("System time", ""))
    if match:
        value = float(match.group(1))
        result["offset"] = -value if match.group(2) == "slow" else value
    match = re.match(r"([-+]?[\d.]+) seconds", fields.get("Last offset", ""))
    if match:
        result["last_offset"] = float(match.group(1))
    no_ref = result["ref_id"] in (None, "00000000", "0.0.0.0")
    leap = (result["leap"] or "").lower()
    result["synced"] = not no_ref and not leap.startswith("not sync")
    return result


def parse_ntpq_peers(text):
    """Parse ``ntpq -pn``: the system peer (``*``) and its offset in seconds.

    ntpq prints offsets in milliseconds. Without a ``*`` peer ntpd is not synchronised.
    """
    peers = []
    system_peer = None
    for line in text.splitlines():
        if not line or line.startswith(("     remote", "=====")):
            continue
        tally = line[0]
        fields = line[1:].split()
        if len(fields) < 10:
            continue
        try:
            peer = {"tally": tally.strip() or None, "remote": fields[0], "refid": fields[1],
                    "stratum": int(fields[2]), "offset": float(fields[8]) / 1000.0}
        except ValueError:
            continue
        peers.append(peer)
        if tally == "*" and system_peer is None:
            system_peer = peer
    if not peers and "No association" not in text:
        raise ValueError("not ntpq -pn output: %r" % text[:120])
    return {"source": "ntpd", "synced": system_peer is not None,
            "offset": system_peer["offset"] if system_peer else None,
            "ref_name": system_peer["remote"] if system_peer else None,
            "stratum": system_peer["stratum"] if system_peer else None,
            "peers": len(peers)}


def parse_timedatectl(text):
    """Parse ``timedatectl show`` (KEY=value) or ``timedatectl status`` (human).

    Gives ``synced`` (bool) and ``ntp`` (whether NTP service is enabled); timedatectl
    knows no offset.
    """
    values = {}
    for line in text.splitlines():
        if "=" in line and ":" not in line.split("=", 1)[0]:
            key, _sep, value = line.partition("=")
            values[key.strip()] = value.strip()
        else:
            key, sep, value = line.partition(":")
            if sep:
                values[key.strip()] = value.strip()
    synced = None
    for key in ("NTPSynchronized", "System clock synchronized", "NTP synchronized"):
        if key in values:
            synced = values[key] == "yes"
            break
    if synced is None:
        raise ValueError("timedatectl output without a synchronisation line: %r" % text[:120])
    ntp = None
    for key in ("NTP", "NTP service", "NTP enabled", "Network time on"):
        if key in values:
            ntp = values[key] in ("yes", "active")
            break
    return {"source": "timedatectl", "synced": synced, "ntp": ntp, "offset": None}


# ---------------------------------------------------------------------------------------
# Logs
# ---------------------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"), 1)}
_RFC3339 = re.compile(r"^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:?\d\d)?\s")
_BSD = re.compile(r"^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d)\s")


def parse_syslog_time(line, now, mktime):
    """Epoch seconds of a syslog line, or None when it has no known timestamp.

    RFC 3339 stamps (rsyslog's high-precision format, Debian 12 and later) carry their
    zone; traditional ``May  2 10:00:01`` stamps are local time without a year: the
    year is the one that does not put the line more than a day in the future.
    ``mktime`` turns a local time tuple into epoch seconds (``time.mktime``); ``now``
    is the current epoch.
    """
    match = _RFC3339.match(line)
    if match:
        year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
        frac = float(match.group(7)) if match.group(7) else 0.0
        zone = match.group(8)
        if zone is None:
            return mktime((year, month, day, hour, minute, second, 0, 0, -1)) + frac
        stamp = datetime.datetime(year, month, day, hour, minute, second)
        if zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            zone = zone[1:].replace(":", "")
            stamp -= sign * datetime.timedelta(hours=int(zone[:2]), minutes=int(zone[2:]))
        epoch = (stamp - datetime.datetime(1970, 1, 1)).total_seconds()
        return epoch + frac
    match = _BSD.match(line)
    if match and match.group(1) in _MONTHS:
        month = _MONTHS[match.group(1)]
        day, hour, minute, second = (int(match.group(i)) for i in range(2, 6))
        year = time.localtime(now).tm_year
        epoch = mktime((year, month, day, hour, minute, second, 0, 0, -1))
        if epoch > now + 86400:
            epoch = mktime((year - 1, month, day, hour, minute, second, 0, 0, -1))
        return epoch
    return None


def parse_journal_json(text):
    """Parse ``journalctl -o json`` lines into entries: time, priority, ident, message, cursor.

    MESSAGE may be an array of bytes when it is not valid UTF-8; it is decoded with
    replacement characters. Lines that are not JSON objects are skipped.
    """
    import json

    entries = []
    for line in text.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            raw = json.loads(line)
        except ValueError:
            continue
        message = raw.get("MESSAGE", "")
        if isinstance(message, list):
            message = bytes(b & 0xFF for b in message if isinstance(b, int)).decode("utf-8", "replace")
        try:
            priority = int(raw.get("PRIORITY", 6))
        except (TypeError, ValueError):
            priority = 6
        try:
            stamp = int(raw.get("__REALTIME_TIMESTAMP", 0)) / 1e6
        except (TypeError, ValueError):
            stamp = None
        entries.append({
            "time": stamp,
            "priority": priority,
            "ident": raw.get("SYSLOG_IDENTIFIER") or raw.get("_COMM") or "",
            "message": message or "",
            "cursor": raw.get("__CURSOR"),
        })
    return entries


# ---------------------------------------------------------------------------------------
# Package updates
# ---------------------------------------------------------------------------------------

_APT_INST = re.compile(r"^Inst (\S+) (?:\[(\S+)\] )?\((\S+) (.*?)(?: \[[^\]]+\])?\)")


def parse_apt_simulate(text):
    """Upgradable packages from ``apt-get -s upgrade`` (or dist-upgrade).

    Each ``Inst`` line names the package, installed and new version and the archives
    that carry the new version, e.g. ``Debian-Security:12/oldstable-security``. A
    package counts as a security update when one of those archives is a security one.
    """
    packages = []
    for line in text.splitlines():
        match = _APT_INST.match(line)
        if not match:
            continue
        origins = match.group(4)
        packages.append({
            "name": match.group(1),
            "installed": match.group(2),
            "version": match.group(3),
            "origin": origins,
            "security": bool(re.search(r"security", origins, re.IGNORECASE)),
        })
    return packages


def parse_dnf_check_update(text):
    """Upgradable packages from ``dnf check-update`` / ``yum check-update``.

    Lines are ``name.arch  version  repo``; a long name is wrapped onto its own line.
    The ``Obsoleting Packages`` section and dnf's chatter are skipped.
    """
    packages = []
    pending = None
    for line in text.splitlines():
        if line.startswith("Obsoleting Packages"):
            break
        fields = line.split()
        if not fields:
            pending = None
            continue
        if line.startswith((" ", "\t")) and pending is not None and len(fields) == 2:
            fields = [pending] + fields
            pending = None
        if len(fields) == 1 and re.match(r"^\S+\.(x86_64|noarch|i686|aarch64|ppc64le|s390x|src)$", fields[0]):
            pending = fields[0]
            continue
        if len(fields) != 3 or not re.match(r"^\S+\.[A-Za-z0-9_]+$", fields[0]):
            continue
        if not re.match(r"^(\d+:)?[\w.+~^-]+$", fields[1]) or not re.search(r"\d", fields[1]):
            continue
        name, _dot, arch = fields[0].rpartition(".")
        packages.append({"name": name, "arch": arch, "version": fields[1], "repo": fields[2]})
    return packages


def parse_dnf_updateinfo_security(text):
    """Security advisories from ``dnf updateinfo list --security``.

    Lines are ``ADVISORY  Severity/Sec.  NEVRA`` (dnf 4) or ``ADVISORY  security
    Severity  NEVRA`` (dnf 5). Returns {'advisories': n, 'packages': n}.
    """
    advisories = set()
    packages = set()
    for line in text.splitlines():
        fields = line.split()
        if len(fields) < 3 or not re.match(r"^[A-Z]+[A-Z0-9]*-\d{4}[:-]\S+$", fields[0]):
            continue
        if not any("sec" in f.lower() for f in fields[1:3]):
            continue
        advisories.add(fields[0])
        packages.add(fields[-1])
    return {"advisories": len(advisories), "packages": len(packages)}


def parse_apt_sources(text, deb822=False):
    """Repository URIs of enabled apt sources (one-line ``deb URI suite ...`` or deb822)."""
    uris = []
    if deb822:
        for stanza in re.split(r"\n\s*\n", text):
            fields = {}
            for line in stanza.splitlines():
                if line.startswith("#") or ":" not in line or line.startswith((" ", "\t")):
                    continue
                key, _sep, value = line.partition(":")
                fields[key.strip().lower()] = value.strip()
            if fields.get("enabled", "yes").lower() == "no":
                continue
            if "deb" not in fields.get("types", "").split():
                continue
            uris.extend(fields.get("uris", "").split())
        return uris
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line.startswith("deb "):
            continue
        fields = line.split()[1:]
        if fields and fields[0].startswith("["):
            while fields and not fields[0].endswith("]"):
                fields.pop(0)
            fields = fields[1:]
        if fields:
            uris.append(fields[0])
    return uris


def parse_yum_repos(text):
    """Repository URLs (baseurl, mirrorlist, metalink) of enabled sections of a .repo file."""
    uris = []
    for _name, options in _ini_sections(text):
        if options.get("enabled", "1").strip() in ("0", "false", "no"):
            continue
        for key in ("baseurl", "mirrorlist", "metalink"):
            if key in options:
                uris.extend(u for u in re.split(r"[\s,]+", options[key]) if u)
                break
    return uris


def _ini_sections(text):
    sections = []
    current = None
    last_key = None
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith(("#", ";")):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            current = {}
            sections.append((stripped[1:-1], current))
            last_key = None
        elif current is not None and line[:1] in (" ", "\t") and last_key:
            current[last_key] += " " + stripped
        elif current is not None and "=" in stripped:
            key, _sep, value = stripped.partition("=")
            last_key = key.strip().lower()
            current[last_key] = value.strip()
    return sections


def repository_endpoints(uris):
    """(host, port) pairs to try for repository URIs; ``local`` is True for file:/cdrom:.

    Returns {'endpoints': [(host, port), ...] (unique, in order), 'local': bool}.
    URIs with dnf variables ($releasever) keep their host part, which has none.
    """
    endpoints = []
    local = False
    for uri in uris:
        match = re.match(r"^(?:(?:[a-z0-9+]+\+)?(https?|ftp|tor\+https?))://(?:[^@/]*@)?(\[[^\]]+\]|[^:/]+)(?::(\d+))?", uri, re.I)
        if not match:
            if re.match(r"^(file|cdrom|copy):", uri, re.I):
                local = True
            continue
        scheme = match.group(1).lower().replace("tor+", "")
        host = match.group(2).strip("[]")
        port = int(match.group(3)) if match.group(3) else {"http": 80, "https": 443, "ftp": 21}[scheme]
        if (host, port) not in endpoints:
            endpoints.append((host, port))
    return {"endpoints": endpoints, "local": local}


# ---------------------------------------------------------------------------------------
# Software RAID
# ---------------------------------------------------------------------------------------

_MD_HEAD = re.compile(r"^(md\S*)\s*:\s*(active|inactive)(?:\s+\((?:auto-)?read-only\))?\s*(.*)$")
_MD_STATUS = re.compile(r"\[(\d+)/(\d+)\]\s+\[([U_]+)\]")
_MD_ACTION = re.compile(r"\b(recovery|resync|check|reshape|repair)\s*=\s*([\d.]+)%(?:.*?finish=(\S+))?")


def parse_mdstat(text):
    """Parse /proc/mdstat into one dict per array.

    name, active (bool), level, members [(device, failed, spare)], disks / working
    (from ``[n/m]``), map (``UU_``), action (recovery, resync, check, reshape) with
    progress percent and finish estimate.
    """
    arrays = []
    current = None
    for line in text.splitlines():
        match = _MD_HEAD.match(line)
        if match:
            words = match.group(3).split()
            level = words[0] if words and not re.match(r"\S+\[\d+\]", words[0]) else None
            members = []
            for word in words[1 if level else 0:]:
                dev = re.match(r"(\S+)\[(\d+)\](\([A-Z]\))*", word)
                if dev:
                    members.append({"device": dev.group(1), "failed": "(F)" in word, "spare": "(S)" in word})
            current = {"name": match.group(1), "active": match.group(2) == "active", "level": level,
                       "members": members, "disks": None, "working": None, "map": None,
                       "action": None, "progress": None, "finish": None}
            arrays.append(current)
            continue
        if current is None:
            continue
        status = _MD_STATUS.search(line)
        if status:
            current["disks"] = int(status.group(1))
            current["working"] = int(status.group(2))
            current["map"] = status.group(3)
        action = _MD_ACTION.search(line)
        if action:
            current["action"] = action.group(1)
            current["progress"] = float(action.group(2))
            current["finish"] = action.group(3)
    return arrays
