"""Network and host life cycle: the bridge, building and tearing down a host's namespace,
entering a running host, starting and stopping its daemons, readiness probes, repair,
and closing Ansible's SSH masters to hosts that went away."""

from __future__ import annotations

import configparser
import contextlib
import hashlib
import http.client
import os
import socket
import subprocess
import time
from pathlib import Path

from lab.faultstate import load_faults
from lab.helpers import link_exists, link_state, netns_exists, ns_inode, run
from lab.hostfiles import boot_script, daemon_argv, prepare_host_files
from lab.office import (
    BRIDGE,
    CLEAN_ENV,
    CMD_TIMEOUT_S,
    GATEWAY,
    HOSTS,
    HOSTS_BY_NAME,
    NETNS_PREFIX,
    PIDFILES,
    PREFIX_LEN,
    ROOT,
    WAIT_READY_S,
    Host,
    LabError,
    host_dir,
)
from lab.procs import HostState, kill_pids, lab_procs, scan_procs


def _mac(address: str) -> str:
    """A fixed, locally administered MAC per lab address, so a rebuilt host keeps its MAC
    and the bridge keeps its own (neighbour caches stay valid)."""
    octets = [int(x) for x in address.split(".")]
    return "02:53:4b:" + ":".join(f"{o:02x}" for o in octets[1:])


def ensure_bridge() -> None:
    if not link_exists(BRIDGE):
        run(["ip", "link", "add", BRIDGE, "address", _mac(GATEWAY), "type", "bridge"])
    if Path(f"/sys/class/net/{BRIDGE}/address").read_text(encoding="ascii").strip() != _mac(GATEWAY):
        run(["ip", "link", "set", BRIDGE, "address", _mac(GATEWAY)])
    addrs = run(["ip", "-4", "-o", "addr", "show", "dev", BRIDGE]).stdout
    if f"{GATEWAY}/{PREFIX_LEN}" not in addrs:
        run(["ip", "addr", "add", f"{GATEWAY}/{PREFIX_LEN}", "dev", BRIDGE])
    run(["ip", "link", "set", BRIDGE, "up"])


def teardown_host(host: Host, procs=None) -> None:
    procs = scan_procs() if procs is None else procs
    kill_pids(lab_procs(procs, host), host.name)
    if netns_exists(host.netns):
        run(["ip", "netns", "del", host.netns], check=False)
    if link_exists(host.veth):
        run(["ip", "link", "del", host.veth], check=False)


def build_host(host: Host, skip_services=()) -> None:
    prepare_host_files(host)
    ns = host.netns
    run(["ip", "netns", "add", ns])
    run(["ip", "link", "add", host.veth, "type", "veth", "peer", "name", "eth0", "netns", ns, "address", _mac(host.address)])
    run(["ip", "-n", ns, "link", "set", "lo", "up"])
    run(["ip", "-n", ns, "addr", "add", f"{host.address}/{PREFIX_LEN}", "dev", "eth0"])
    run(["ip", "-n", ns, "link", "set", "eth0", "up"])
    run(["ip", "link", "set", host.veth, "master", BRIDGE])
    run(["ip", "neigh", "flush", "dev", BRIDGE, "to", host.address], check=False)
    offline = "offline" in load_faults().get(host.name, {})
    run(["ip", "link", "set", host.veth, "down" if offline else "up"])
    bootlog = host_dir(host) / "boot.log"
    boot = host_dir(host) / "boot.sh"
    boot.write_text(boot_script(host, skip_services), encoding="utf-8")
    with open(bootlog, "w", encoding="utf-8") as log:
        subprocess.run(
            [
                "setsid", "-f", "ip", "netns", "exec", ns,
                "unshare", "--uts", "--mount", "--pid", "--fork", "--mount-proc", "--propagation", "private",
                "/bin/sh", str(boot),
            ],
            stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=CLEAN_ENV, check=True, timeout=CMD_TIMEOUT_S,
        )


def nsenter(state: HostState, argv, check=True, timeout=CMD_TIMEOUT_S) -> subprocess.CompletedProcess:
    if state.pid1 is None:
        raise LabError(f"{state.host.name} is not running (run: siaklab up)")
    return run(["nsenter", "-t", state.pid1, "-m", "-u", "-n", "-i", "-p", "--", *argv], check=check, timeout=timeout)


def start_service(state: HostState, service: str) -> None:
    nsenter(state, daemon_argv(state.host, service))


def stop_service(state: HostState, service: str) -> None:
    nsenter(
        state,
        ["start-stop-daemon", "--stop", "--quiet", "--oknodo", "--retry", "TERM/5/KILL/2", "--pidfile", PIDFILES[service]],
    )
    nsenter(state, ["rm", "-f", PIDFILES[service]], check=False)


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


def wait_ready(hosts, faults: dict, deadline_s=WAIT_READY_S) -> None:
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


def lab_netns_names() -> list:
    try:
        return sorted(n for n in os.listdir("/run/netns") if n.startswith(NETNS_PREFIX))
    except OSError:
        return []


def remove_unknown_netns(procs) -> None:
    """Namespaces of hosts no longer in the office (a line removed, a smaller size): end them."""
    known = {h.netns for h in HOSTS}
    for name in lab_netns_names():
        if name in known:
            continue
        ino = ns_inode(f"/run/netns/{name}")
        kill_pids([p.pid for p in procs if ino is not None and p.netns == ino], name)
        run(["ip", "netns", "del", name], check=False)


def repair_host(st: HostState, faults: dict) -> None:
    """Restart daemons of a healthy host that died on their own (staged stops are kept)."""
    hf = faults.get(st.host.name, {})
    stopped = set(hf.get("service-stop", []))
    for svc in st.host.daemons:
        if svc not in stopped and not st.running(svc):
            nsenter(st, ["rm", "-f", PIDFILES[svc]], check=False)
            start_service(st, svc)
    if link_exists(st.host.veth):
        want = "down" if "offline" in hf else "up"
        if link_state(st.host.veth) != want:
            run(["ip", "link", "set", st.host.veth, want])


def _control_path_dirs() -> list:
    """Where Ansible keeps its ControlPersist sockets (ansible.cfg, environment, default)."""
    dirs = [os.environ.get("ANSIBLE_SSH_CONTROL_PATH_DIR", "")]
    cfg = configparser.ConfigParser(interpolation=None)
    with contextlib.suppress(OSError, configparser.Error):
        cfg.read(ROOT / "ansible.cfg", encoding="utf-8")
        dirs.append(cfg.get("ssh_connection", "control_path_dir", fallback=""))
    dirs.append("~/.ansible/cp")
    return [Path(os.path.expanduser(d)) for d in dict.fromkeys(d for d in dirs if d)]


def close_ssh_masters(hosts) -> None:
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
                    run(["ssh", "-O", "exit", "-o", f"ControlPath={sock}", f"root@{host.address}"], check=False, timeout=5)
