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

    .venv/bin/python -m lab.siaklab up [--workstations N] [--switches M]
    .venv/bin/python -m lab.siaklab down [--purge] | status [--json]
    .venv/bin/python -m lab.siaklab reset [TARGET]
    .venv/bin/python -m lab.siaklab fault TARGET KIND [--key value ...]

The same as a library: ``up() -> dict``, ``down()``, ``status() -> dict``,
``fault(target, kind, **params)``, ``reset(target=None)``.

This file holds the command line, the public API and the pre-flight check; the rest is
in the modules next to it:

    office.py      the office table (SERVERS_TABLE, workstations, GROUP_TREE), constants, LabError, Host
    helpers.py     running commands, writing files when changed, links, the lock
    procs.py       the lab's processes and what runs in each host
    hostfiles.py   a host's keys, accounts, configs, logs, backups, boot script
    aptrepo.py     the lab's package repository (each host's package lists)
    network.py     the bridge and a host's life cycle (build, tear down, repair, probes)
    faultstate.py  what is staged (faults.json)
    hardware.py    a host's disks, UPS, sensor and the stand-ins smartctl / upsc
    faults.py      the fault kinds, staging and resetting them on a host
    inventory.py   inventory/lab/hosts.yml (PyYAML) and the hosts' known_hosts

State lives in ``/var/lib/siaklab`` (environment ``SIAKLAB_STATE`` overrides). Only
loopback and 198.18.0.0/16 are ever used.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a file (python lab/siaklab.py): import lab.* from the checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

# pylint: disable=wrong-import-position
from lab.faults import FAULT_KINDS, fault_host, quiet_load, reapply_faults, reset_host
from lab.faultstate import faults_path, load_faults
from lab.hardware import hardware_mounted, write_hardware
from lab.helpers import Lock, link_exists, link_state, run, say
from lab.hostfiles import ensure_accounts, ensure_client_key, install_lab_scripts, remove_accounts
from lab.inventory import inventory_dict, write_inventory, write_known_hosts
from lab.network import (
    build_host,
    close_ssh_masters,
    ensure_bridge,
    lab_netns_names,
    remove_unknown_netns,
    repair_host,
    teardown_host,
    wait_ready,
)
from lab.office import (  # some only re-exported: tests and scripts use them as siaklab.<name>
    BRIDGE,
    CHRONYD,
    CLEAN_ENV,
    DATACENTRE,
    GATEWAY,
    HOSTS,
    DEFAULT_SWITCHES,
    DEFAULT_WORKSTATIONS,
    HOSTS_BY_NAME,
    INVENTORY,
    MAX_SWITCHES,
    NETNS_PREFIX,
    NGINX,
    PYTHON,
    SSHD,
    TEMPLATES,
    LabError,
    resize,
    size_path,
    state_dir,
)
from lab.procs import host_states, kill_pids, lab_procs, scan_procs

# tests/integration/test_switch_hostkeys.py builds the inventory through this name.
_inventory_dict = inventory_dict


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
# Switches (lab/switchlab.py; its state lives in the lab's state dir)
# --------------------------------------------------------------------------------------
def _switchlab():
    """lab/switchlab.py, imported when the switches are first needed (not at start-up, so
    that the command line runs, and refuses a non-root user, from the lab's own modules)."""
    return importlib.import_module("lab.switchlab")


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------
def up(quiet: bool = False, workstations: int = DEFAULT_WORKSTATIONS, switches: int = DEFAULT_SWITCHES) -> dict:
    """Bring the lab up (idempotent, self-repairing); return its description.

    The office has ``workstations`` workstations and ``switches`` switches (defaults: the
    office lab/README.md describes, which the tests expect). A lab built larger or smaller
    before is resized: hosts and switches beyond the new size are removed.
    """
    if isinstance(switches, bool) or not isinstance(switches, int) or not 1 <= switches <= MAX_SWITCHES:
        raise LabError(f"switches must be a whole number from 1 to {MAX_SWITCHES}, not {switches!r}")
    resize(workstations)  # LabError for a bad number, before anything changes
    preflight()
    t0 = time.monotonic()
    with Lock():
        sd = state_dir()
        sd.mkdir(parents=True, exist_ok=True)
        os.chmod(sd, 0o755)
        size_path().write_text(json.dumps({"workstations": workstations, "switches": switches}) + "\n", encoding="utf-8")
        ensure_client_key()
        ensure_accounts()
        install_lab_scripts()  # the hosts' helper scripts, also for hosts that keep running
        ensure_bridge()
        faults = load_faults()
        procs = scan_procs()
        remove_unknown_netns(procs)
        states = host_states(procs)
        rebuilt = []
        for host in HOSTS:
            st = states[host.name]
            healthy = st.netns_ok and st.pid1 is not None and link_exists(host.veth)
            if healthy and host.managed and not st.running("sshd"):
                healthy = False
            if host.managed:
                write_hardware(host, faults.get(host.name, {}))
                if healthy and not hardware_mounted(st.pid1):
                    healthy = False  # built by a lab without hardware: rebuild it
            if healthy:
                repair_host(st, faults)
                continue
            teardown_host(host, procs)
            stopped = faults.get(host.name, {}).get("service-stop", [])
            build_host(host, skip_services=stopped)
            rebuilt.append(host.name)
        write_known_hosts()
        if rebuilt:
            close_ssh_masters([HOSTS_BY_NAME[n] for n in rebuilt])
        wait_ready(HOSTS, faults)
        if rebuilt:
            reapply_faults(rebuilt, faults)
        states = host_states()
        for host in HOSTS:
            if host.managed and "load" not in faults.get(host.name, {}):
                quiet_load(host, states[host.name])
        served = list(_switchlab().start(state_dir(), count=switches))
        write_inventory(served)
    if not quiet:
        what = f"rebuilt {', '.join(rebuilt)}" if rebuilt else "already running"
        say(f"up in {time.monotonic() - t0:.1f} s ({what}; {len(HOSTS) - 1} hosts, {len(served)} switches); inventory {INVENTORY}")
    return {
        "inventory": str(INVENTORY),
        "state_dir": str(state_dir()),
        "hosts": {h.name: h.address for h in HOSTS if h.managed},
        "datacentre": DATACENTRE,
        "gateway": GATEWAY,
        "switches": served,
    }


def down(purge: bool = False, quiet: bool = False) -> None:
    """Stop everything the lab started: processes, namespaces, veths, bridge (and switches)."""
    preflight()
    t0 = time.monotonic()
    with Lock():
        _switchlab().stop(state_dir())
        procs = scan_procs()
        kill_pids(lab_procs(procs), "lab processes")
        close_ssh_masters(HOSTS)
        for name in lab_netns_names():
            run(["ip", "netns", "del", name], check=False)
        for host in HOSTS:
            if link_exists(host.veth):
                run(["ip", "link", "del", host.veth], check=False)
        if link_exists(BRIDGE):
            for port in Path(f"/sys/class/net/{BRIDGE}/brif").iterdir():
                run(["ip", "link", "del", port.name], check=False)
            run(["ip", "link", "del", BRIDGE])
        faults_path().unlink(missing_ok=True)
        size_path().unlink(missing_ok=True)
        remove_accounts()
        if purge:
            shutil.rmtree(state_dir(), ignore_errors=True)
    if not quiet:
        say(f"down in {time.monotonic() - t0:.1f} s" + (" (state removed)" if purge else ""))


def status() -> dict:
    """Describe what is running: per host its PID 1, link, services and staged faults."""
    preflight()
    faults = load_faults()
    states = host_states()
    hosts = {}
    for host in HOSTS:
        st = states[host.name]
        hosts[host.name] = {
            "address": host.address,
            "managed": host.managed,
            "netns": st.netns_ok,
            "pid1": st.pid1,
            "link": link_state(host.veth),
            "services": {svc: st.running(svc) for svc in (["sshd"] if host.managed else []) + host.daemons},
            "faults": faults.get(host.name, {}),
        }
    return {
        "bridge": link_exists(BRIDGE),
        "state_dir": str(state_dir()),
        "inventory": str(INVENTORY) if INVENTORY.exists() else None,
        "hosts": hosts,
        "switches": _switchlab().status(state_dir()),
    }


def fault(target: str, kind: str, **params) -> None:
    """Stage a fault on a lab host or switch (reversible with reset(target))."""
    if target.startswith("sw-"):
        with Lock():
            _switchlab().fault(state_dir(), target, kind, **params)
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
    with Lock():
        fault_host(host, kind, dict(params), record=True)


def reset(target: str | None = None) -> None:
    """Clear staged faults of one target (host or switch), or of the whole lab."""
    preflight()
    with Lock():
        if target is None or target.startswith("sw-"):
            _switchlab().reset(state_dir(), target)
            if target is not None:
                return
        if target is not None and target not in HOSTS_BY_NAME:
            raise LabError(f"unknown target {target!r}; hosts: {', '.join(HOSTS_BY_NAME)}; switches start with sw-")
        for host in [HOSTS_BY_NAME[target]] if target else HOSTS:
            reset_host(host)


# --------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------
USAGE = """usage: siaklab.py up [--workstations N] [--switches M] | down [--purge] | status [--json] | reset [TARGET] | fault TARGET KIND [--key value ...]
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


def _whole(name: str, value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise LabError(f"--{name} needs a whole number, not {value!r}") from None


def main(argv: list | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if not argv or argv[0] in ("-h", "--help", "help"):
        print(USAGE)
        return 0 if argv else 2
    cmd, rest = argv[0], argv[1:]
    try:
        if cmd == "up":
            size = _parse_params(rest)
            unknown = set(size) - {"workstations", "switches"}
            if unknown:
                raise LabError(f"up takes --workstations N and --switches M, not --{', --'.join(sorted(unknown))}")
            up(**{key: _whole(key, value) for key, value in size.items()})
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
            say(f"reset {rest[0] if rest else 'all targets'}")
        elif cmd == "fault":
            if len(rest) < 2:
                raise LabError("usage: fault TARGET KIND [--key value ...]")
            fault(rest[0], rest[1], **_parse_params(rest[2:]))
            say(f"staged {rest[1]} on {rest[0]}")
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
    if isinstance(info["switches"], dict) and isinstance(info["switches"].get("switches"), list):
        sw = info["switches"]
        print(f"  switches: {'running' if sw.get('running') else 'NOT running'} (pid {sw.get('pid') or '-'})")
        for item in sw["switches"]:
            faults = ",".join(str(f) for f in item.get("faults") or []) or "-"
            print(f"  {item.get('name', '?'):<11} {item.get('host', '?')}:{item.get('port', '?'):<7} "
                  f"{item.get('platform', '?'):<18} ssh={'up' if item.get('ssh') else 'DOWN'}  faults={faults}")
    else:
        print(f"  switches: {json.dumps(info['switches'])}")


if __name__ == "__main__":
    sys.exit(main())
