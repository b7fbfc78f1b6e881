"""The office the lab builds: its hosts (one line each), groups, addresses and constants.

Also the lab's error type, the ``Host`` record each table line becomes, and where the lab
keeps its state. Standard library only and no side effects: every other lab module
starts from here.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path


# --------------------------------------------------------------------------------------
# The office: one line per host. Adding a host is one line here.
#   name, address, inventory groups, services it runs, managed over SSH
# services: nginx, chrony-server, chrony (client of the time server), tnslsnr, oracle (the
# instance, ora_pmon_SIAK), backup
# --------------------------------------------------------------------------------------
SERVERS_TABLE = [
    ("siak-app01", "198.18.0.11", ["app"], ["nginx", "chrony"], True),
    ("siak-db01", "198.18.0.12", ["db"], ["tnslsnr", "oracle", "chrony"], True),
    ("siak-bak01", "198.18.0.13", ["backup"], ["backup", "chrony"], True),
    ("siak-ntp01", "198.18.0.14", ["timeserver"], ["chrony-server"], True),
]
# The national data centre stand-in for step-4 probes: not managed, not in siak_hosts.
OUTSIDE_TABLE = [
    ("pusat-dc", "198.18.0.100", [], ["nginx"], False),
]

# The service-counter workstations: siak-ws01 .. siak-wsNN at 198.18.0.21 .. 20+NN. The
# default office has three; `up --workstations N` builds a larger one (lab/README.md "Size").
DEFAULT_WORKSTATIONS = 3
MAX_WORKSTATIONS = 70
DEFAULT_SWITCHES = 5
MAX_SWITCHES = 40


def workstation_line(number: int) -> tuple:
    """The table line of workstation ``number`` (1-based)."""
    return (f"siak-ws{number:02d}", f"198.18.0.{20 + number}", ["workstations"], ["chrony"], True)


def office_table(workstations: int = DEFAULT_WORKSTATIONS) -> list:
    """The office's table with ``workstations`` workstations (LabError outside 1..MAX)."""
    if isinstance(workstations, bool) or not isinstance(workstations, int) or not 1 <= workstations <= MAX_WORKSTATIONS:
        raise LabError(f"workstations must be a whole number from 1 to {MAX_WORKSTATIONS}, not {workstations!r}")
    return SERVERS_TABLE + [workstation_line(n) for n in range(1, workstations + 1)] + OUTSIDE_TABLE



# Hardware each host shows (lab/hardware.py; lab/README.md "Hardware"). Hosts not listed
# look like the virtual machines they are: a paravirtual disk, no smartctl, no sensor.
#   disks: device -> kind of the captured SMART answer ("ata" or "nvme") of the stand-in smartctl
#   ups: NUT names the stand-in upsc answers (the inventory sets siak_assess_ups to them)
#   sensor: a staged temperature sensor (thermal zone, and hwmon where the kernel has it)
HARDWARE_TABLE = {
    "siak-app01": {"disks": {"sda": "ata"}, "ups": ["ups@localhost"], "sensor": True},
    "siak-db01": {"disks": {"sda": "ata"}, "ups": [], "sensor": True},
    "siak-bak01": {"disks": {"nvme0n1": "nvme"}, "ups": [], "sensor": True},
    "siak-ntp01": {"disks": {}, "ups": [], "sensor": True},
}

# Asset data of the hardware checklist (inventory vars siak_asset_*; all optional strings).
# siak-ws02 has only part of it and siak-ws03 none: missing data shows as empty.
ASSETS = {
    "siak-app01": {"number": "02.06.03.02.001/2019/001", "location": "Ruang Server Lt. 2",
                   "year": "2019", "owner": "Budi Santoso, S.Kom (Operator SIAK)"},
    "siak-db01": {"number": "02.06.03.02.001/2019/002", "location": "Ruang Server Lt. 2 <Rak A & B>",
                  "year": "2019", "owner": "Budi Santoso, S.Kom (Operator SIAK)"},
    "siak-bak01": {"number": "02.06.03.02.005/2021/001", "location": "Ruang Arsip", "year": "2021",
                   "owner": "Siti Rahmawati, A.Md"},
    "siak-ntp01": {"number": "02.06.03.02.001/2016/003", "location": "Ruang Server Lt. 2", "year": "2016",
                   "owner": "Budi Santoso, S.Kom (Operator SIAK)"},
    "siak-ws01": {"number": "02.06.03.01.010/2022/001", "location": "Loket Pelayanan 1", "year": "2022",
                  "owner": "Dewi Lestari"},
    "siak-ws02": {"number": "02.06.03.01.010/2022/002", "location": "Loket Pelayanan 2"},
}

# Group tree: parent -> children groups (leaf groups hold the hosts of office_table()).
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
# The time zone the lab's hosts keep: the lab office's siak_order_timezone
# (inventory/lab/group_vars/all/round.yml); the `timezone` fault gives a host another.
HOST_ZONE = "Asia/Makassar"
ZONEINFO = Path("/usr/share/zoneinfo")
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
    "oracle": "/run/ora_pmon.pid",
}
SERVICE_ALIASES = {"chronyd": "chrony", "ntp": "chrony", "tns": "tnslsnr", "listener": "tnslsnr",
                   "pmon": "oracle", "instance": "oracle", "database": "oracle"}

CLEAN_ENV = {
    "PATH": "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
    "LANG": "C.UTF-8",
    "HOME": "/root",
}

WAIT_READY_S = 30.0
LOCK_WAIT_S = 300.0
CMD_TIMEOUT_S = 60.0


class LabError(Exception):
    """A lab operation could not be done; the message says why (one line)."""


@dataclass(frozen=True)
class Host:
    """One lab host: a line of office_table()."""

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
        """Services that run as daemons (nginx, chrony, tnslsnr, oracle)."""
        out = []
        for svc in self.services:
            if svc in ("chrony", "chrony-server"):
                out.append("chrony")
            elif svc in ("nginx", "tnslsnr", "oracle"):
                out.append(svc)
        return out


# Where the lab keeps its state (keys, host files, faults.json, switches).
def state_dir() -> Path:
    return Path(os.environ.get("SIAKLAB_STATE", "/var/lib/siaklab"))


def size_path() -> Path:
    """Where ``up`` records the size of the lab it built (read by every later command)."""
    return state_dir() / "size.json"


def recorded_size() -> dict:
    """The size the running lab was built with: {"workstations": N, "switches": M}."""
    size = {"workstations": DEFAULT_WORKSTATIONS, "switches": DEFAULT_SWITCHES}
    try:
        data = json.loads(size_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return size
    if isinstance(data, dict):
        for key, limit in (("workstations", MAX_WORKSTATIONS), ("switches", MAX_SWITCHES)):
            value = data.get(key)
            if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= limit:
                size[key] = value
    return size


# Every lab module imports these two; resize() changes them in place, so all see one office.
HOSTS: list = []
HOSTS_BY_NAME: dict = {}


def resize(workstations: int = DEFAULT_WORKSTATIONS) -> list:
    """Make HOSTS the office with ``workstations`` workstations; return it."""
    hosts = [Host(n, a, tuple(g), tuple(s), m) for (n, a, g, s, m) in office_table(workstations)]
    if len({h.veth for h in hosts}) != len(hosts):
        raise LabError("veth names collide: shorten a host name")
    if len({h.address for h in hosts}) != len(hosts):
        raise LabError("two hosts share an address")
    HOSTS[:] = hosts
    HOSTS_BY_NAME.clear()
    HOSTS_BY_NAME.update((h.name, h) for h in hosts)
    return HOSTS


resize(recorded_size()["workstations"])
assert set(HARDWARE_TABLE) <= {n for (n, _a, _g, _s, m) in SERVERS_TABLE if m}, "HARDWARE_TABLE names a host that is not a server"
assert set(ASSETS) <= {n for (n, _a, _g, _s, m) in office_table(DEFAULT_WORKSTATIONS) if m}, "ASSETS names a host that is not managed"


def host_dir(host: Host) -> Path:
    return state_dir() / "hosts" / host.name
