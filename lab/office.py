"""The office the lab builds: its hosts (one line each), groups, addresses and constants.

Also the lab's error type, the ``Host`` record each table line becomes, and where the lab
keeps its state. Standard library only and no side effects: every other lab module
starts from here.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
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
assert set(HARDWARE_TABLE) <= {h.name for h in HOSTS if h.managed}, "HARDWARE_TABLE names a host that is not managed"
assert set(ASSETS) <= {h.name for h in HOSTS if h.managed}, "ASSETS names a host that is not managed"


# Where the lab keeps its state (keys, host files, faults.json, switches).
def state_dir() -> Path:
    return Path(os.environ.get("SIAKLAB_STATE", "/var/lib/siaklab"))


def host_dir(host: Host) -> Path:
    return state_dir() / "hosts" / host.name
