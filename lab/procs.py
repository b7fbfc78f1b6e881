"""The lab's processes: one pass over /proc, what runs in each host, and killing them."""

from __future__ import annotations

import contextlib
import os
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

from lab.helpers import ns_inode
from lab.office import HOSTS, TEMPLATES, Host, LabError, host_dir


@dataclass
class Proc:
    pid: int
    comm: str
    cmdline: str
    netns: int | None
    pidns: int | None
    nspid: list = field(default_factory=list)


def scan_procs() -> list:
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
            netns = ns_inode(base + "/ns/net")
            pidns = ns_inode(base + "/ns/pid")
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
            if service == "oracle" and p.comm.startswith("ora_pmon_"):
                return True
            if service == "sshd" and p.comm == "sshd" and p.nspid and p.nspid[-1] == 1:
                return True
        return False


def host_states(procs=None) -> dict:
    procs = scan_procs() if procs is None else procs
    states = {}
    for host in HOSTS:
        ino = ns_inode(f"/run/netns/{host.netns}")
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


def kill_pids(pids, what: str) -> None:
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


def lab_procs(procs, host: Host | None = None) -> list:
    """Processes belonging to the lab (or one host): in its netns, or started from its state dir."""
    hosts = [host] if host else HOSTS
    inos = {ns_inode(f"/run/netns/{h.netns}") for h in hosts} - {None}
    markers = [f"{host_dir(h)}/" for h in hosts] + ([f"{TEMPLATES}/"] if host is None else [])
    out = []
    for p in procs:
        if p.pid == os.getpid():
            continue
        if p.netns in inos or any(m in p.cmdline for m in markers):
            out.append(p.pid)
    return out
