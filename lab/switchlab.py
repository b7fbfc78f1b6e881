"""The lab's switch half: simulated switches (FakeNOS) on loopback ports.

API (used by ``lab.siaklab``)::

    start(state_dir) -> list[dict]   # start or keep; one dict per switch
    stop(state_dir)                  # stop everything, no process left behind
    status(state_dir) -> dict
    fault(state_dir, name, kind, **params)
    reset(state_dir, name=None)

Everything lives under ``<state_dir>/switches/``: ``table.json`` (the switches served),
``password`` (generated, 0600), ``hostkeys/<name>`` (each switch's own ed25519 SSH host
key, generated once, 0600; ``hostkeys/<name>-rsa``, an RSA key, for a switch started with
``legacy_ssh``: it speaks only the SSH of an old switch, see LEGACY_SSH), ``known_hosts`` (``[127.0.0.1]:port ssh-ed25519 ...`` for
every switch, written when it changes), ``serving.json`` (the simulator's pid and the
fingerprints it serves), ``auth.log`` (every SSH authentication attempt: port, user name,
method, accepted; never a password), ``state/<name>.json`` (live state, re-read by the
simulator at every command), ``fakenos.pid`` and ``fakenos.log``.

CLI for manual use: ``python -m lab.switchlab [--state-dir DIR] start|stop|status|fault|reset``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import errno
import fcntl
import hashlib
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from lab.switches import model, table

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_STATE_DIR = Path("/var/lib/siaklab")
START_TIMEOUT = 30.0
STOP_TIMEOUT = 10.0


def _dir(state_dir: Path) -> Path:
    return Path(state_dir) / "switches"


def _python() -> str:
    """The venv's python (FakeNOS lives there)."""
    venv = ROOT / ".venv" / "bin" / "python"
    return str(venv) if venv.exists() else sys.executable


@contextlib.contextmanager
def _locked(state_dir: Path):
    """Serialise start/stop/fault/reset on one state dir."""
    base = _dir(state_dir)
    base.mkdir(parents=True, exist_ok=True)
    with open(base / ".lock", "w", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield base
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _password(base: Path) -> str:
    path = base / "password"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(secrets.token_urlsafe(18) + "\n")
    return path.read_text(encoding="utf-8").strip()


# What an old switch's SSH server offers (Cisco IOS 12.2, an HP ProCurve of the 2000s): the
# only algorithms a switch started with ``legacy_ssh`` speaks, with an RSA host key.
LEGACY_SSH = {"kex": ("diffie-hellman-group1-sha1",), "ciphers": ("aes128-cbc", "3des-cbc"),
              "digests": ("hmac-sha1",), "key_types": ("ssh-rsa",)}


def _host_key(base: Path, name: str, legacy: bool = False) -> dict:
    """The switch's own SSH host key (generated once, kept): file, type, base64, fingerprint.
    An ed25519 key; an RSA key (``<name>-rsa``) for a switch that speaks the old SSH."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    path = base / "hostkeys" / (f"{name}-rsa" if legacy else name)
    if not path.exists():
        path.parent.mkdir(mode=0o700, exist_ok=True)
        private = rsa.generate_private_key(public_exponent=65537, key_size=2048) if legacy else Ed25519PrivateKey.generate()
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
        )
        tmp = path.with_name(f".{name}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(pem)
        os.replace(tmp, path)
    private = serialization.load_ssh_private_key(path.read_bytes(), password=None)
    key_type, key_b64 = private.public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH
    ).decode("ascii").split()[:2]
    digest = hashlib.sha256(base64.b64decode(key_b64)).digest()
    fingerprint = "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")
    return {"file": str(path), "type": key_type, "base64": key_b64, "fingerprint": fingerprint}


def _host_keys(base: Path, tab: dict) -> dict:
    """Every switch's host key, by name."""
    return {e["name"]: _host_key(base, e["name"], bool(e.get("legacy_ssh"))) for e in tab["switches"]}


def known_hosts_path(state_dir: Path) -> Path:
    """The known_hosts file with the switches' keys (``[host]:port`` names)."""
    return _dir(state_dir) / "known_hosts"


def _write_known_hosts(base: Path, tab: dict, keys: dict) -> bool:
    """Write known_hosts when its content changes (atomically, 0644); True if written."""
    lines = [f"[{tab['host']}]:{e['port']} {keys[e['name']]['type']} {keys[e['name']]['base64']}" for e in tab["switches"]]
    content = "\n".join(lines) + "\n"
    path = base / "known_hosts"
    with contextlib.suppress(OSError):
        if path.read_text(encoding="ascii") == content:
            return False
    tmp = base / ".known_hosts.tmp"
    tmp.write_text(content, encoding="ascii")
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    return True


def _serving_ok(base: Path, pid: int | None, tab: dict, keys: dict) -> bool:
    """True when the running simulator serves each switch's own key on its port.

    The simulator writes ``serving.json`` (its pid, port -> fingerprint) before it listens;
    a simulator started by an older lab (one built-in key for all) has none and is restarted.
    """
    try:
        serving = json.loads((base / "serving.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    wanted = {str(e["port"]): keys[e["name"]]["fingerprint"] for e in tab["switches"]}
    return serving.get("pid") == pid and serving.get("keys") == wanted


def _load_table(base: Path) -> dict | None:
    path = base / "table.json"
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def _wanted_table(port_base: int | None, count: int | None, legacy_ssh=(), layouts=None) -> list[dict]:
    entries = table.switch_table(port_base, count)
    for entry in entries:
        if entry["name"] in legacy_ssh:
            entry["legacy_ssh"] = True
        if (layouts or {}).get(entry["name"]):
            entry["layout"] = layouts[entry["name"]]
    return entries


def _write_table(base: Path, port_base: int | None, count: int | None = None, legacy_ssh=(), layouts=None) -> dict:
    data = {"username": table.USERNAME, "host": table.HOST,
            "switches": _wanted_table(port_base, count, legacy_ssh, layouts)}
    tmp = base / "table.json.tmp"
    tmp.write_text(json.dumps(data, indent=1), encoding="utf-8")
    os.replace(tmp, base / "table.json")
    return data


def _entry(tab: dict, name: str) -> dict:
    for entry in tab["switches"]:
        if entry["name"] == name:
            return entry
    raise KeyError(f"no switch {name!r}; switches: {[e['name'] for e in tab['switches']]}")


def _pid(base: Path) -> int | None:
    """The simulator's pid if it is running (and really is ours), else None."""
    try:
        pid = int((base / "fakenos.pid").read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return None
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return None
    if b"lab.switches.server" not in cmdline or str(base.parent).encode() not in b" ".join(cmdline):
        return None
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return None
    return None if state == "Z" else pid


def _ssh_answers(host: str, port: int, timeout: float = 1.0) -> bool:
    """True when an SSH server greets on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout) as sock:
            sock.settimeout(timeout)
            return sock.recv(64).startswith(b"SSH-")
    except OSError:
        return False


def _port_free(host: str, port: int) -> bool:
    """True when nothing listens on host:port (FakeNOS would silently share a busy port)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        return True
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            return False
        raise
    finally:
        sock.close()


def _describe(base: Path, tab: dict, password: str, keys: dict) -> list[dict]:
    return [
        {
            "name": e["name"],
            "platform": e["platform"],
            "host": tab["host"],
            "port": e["port"],
            "username": tab["username"],
            "password": password,
            "uplinks": table.uplinks(e),
            "host_key_fingerprint": keys[e["name"]]["fingerprint"],
            "known_hosts": str(base / "known_hosts"),
        }
        for e in tab["switches"]
    ]


def _healthy(base: Path, tab: dict, keys: dict) -> bool:
    pid = _pid(base)
    return (
        pid is not None
        and _serving_ok(base, pid, tab, keys)
        and all(_ssh_answers(tab["host"], e["port"]) for e in tab["switches"])
    )


def _log_tail(base: Path, lines: int = 20) -> str:
    try:
        return "\n".join((base / "fakenos.log").read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


def start(state_dir: Path, *, port_base: int | None = None, count: int | None = None,
          legacy_ssh: tuple = (), layouts: dict | None = None) -> list[dict]:
    """Start the simulated switches (or keep them if running and healthy).

    Returns one dict per switch: name, platform, host, port, username, password, uplinks,
    host_key_fingerprint (``SHA256:...`` of its own host key) and known_hosts (the file
    with every switch's key). ``port_base`` (tests only) serves the switches on port_base,
    port_base+1, ... instead of 17001-17005; it is remembered in the state dir. ``count``
    serves that many switches (a scaled-up lab; lab/switches/table.py). The switches named
    in ``legacy_ssh`` (tests only) speak only an old switch's SSH (LEGACY_SSH). ``layouts``
    (tests only) maps a switch to another model's output layout (cisco_ios "2960": a
    Catalyst 2960's ``show environment all``). The host keys are generated once per state
    dir and kept across stop/start.
    """
    with _locked(state_dir) as base:
        password = _password(base)
        tab = _load_table(base)
        wanted = [(e["port"], bool(e.get("legacy_ssh")), e.get("layout"))
                  for e in _wanted_table(port_base, count, legacy_ssh, layouts)]
        if tab is not None and [(e["port"], bool(e.get("legacy_ssh")), e.get("layout"))
                                for e in tab["switches"]] == wanted:
            keys = _host_keys(base, tab)
            _write_known_hosts(base, tab, keys)
            if _healthy(base, tab, keys):
                return _describe(base, tab, password, keys)
        _stop_locked(base)
        tab = _write_table(base, port_base, count, legacy_ssh, layouts)
        keys = _host_keys(base, tab)
        _write_known_hosts(base, tab, keys)
        busy = [e["port"] for e in tab["switches"] if not _port_free(tab["host"], e["port"])]
        if busy:
            raise RuntimeError(f"switch ports already in use on {tab['host']}: {busy} (another lab instance?)")
        now = time.time()
        for entry in tab["switches"]:
            path = base / "state" / f"{entry['name']}.json"
            if not path.exists():
                model.save_state(path, model.default_state(entry, now))
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        with open(base / "fakenos.log", "ab") as log:
            proc = subprocess.Popen(  # noqa: S603 - fixed argv, our own module
                [_python(), "-m", "lab.switches.server", "--state-dir", str(base)],
                cwd=str(ROOT),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                close_fds=True,
            )
        (base / "fakenos.pid").write_text(f"{proc.pid}\n", encoding="utf-8")
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                raise RuntimeError(f"switch simulator exited with {proc.returncode}:\n{_log_tail(base)}")
            if all(_ssh_answers(tab["host"], e["port"], timeout=0.5) for e in tab["switches"]):
                return _describe(base, tab, password, keys)
            time.sleep(0.1)
        _stop_locked(base)
        raise RuntimeError(f"switches did not answer SSH within {START_TIMEOUT:.0f} s:\n{_log_tail(base)}")


def _stop_locked(base: Path) -> None:
    pid = _pid(base)
    if pid is not None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(pid, signal.SIGTERM)
        deadline = time.monotonic() + STOP_TIMEOUT
        while time.monotonic() < deadline and _alive(pid):
            time.sleep(0.05)
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGKILL)
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline and _alive(pid):
                time.sleep(0.05)
    for name in ("fakenos.pid", "serving.json"):
        with contextlib.suppress(FileNotFoundError):
            (base / name).unlink()


def _alive(pid: int) -> bool:
    """True while ``pid`` exists and is not a zombie (reaped if it is our child)."""
    with contextlib.suppress(ChildProcessError, OSError):
        os.waitpid(pid, os.WNOHANG)
    try:
        state = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8").rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


def stop(state_dir: Path) -> None:
    """Stop the simulator; no process is left behind. State files are kept."""
    with _locked(state_dir) as base:
        _stop_locked(base)


def status(state_dir: Path) -> dict:
    """Running or not, and per switch: port, SSH answering, staged faults."""
    base = _dir(state_dir)
    tab = _load_table(base) if base.exists() else None
    pid = _pid(base) if base.exists() else None
    result = {"running": pid is not None, "pid": pid, "state_dir": str(base), "switches": []}
    if tab is None:
        return result
    for entry in tab["switches"]:
        path = base / "state" / f"{entry['name']}.json"
        faults = []
        if path.exists():
            faults = [{"kind": f["kind"], **f["params"]} for f in model.load_state(path)["faults"]]
        result["switches"].append(
            {
                "name": entry["name"],
                "platform": entry["platform"],
                "host": tab["host"],
                "port": entry["port"],
                "ssh": pid is not None and _ssh_answers(tab["host"], entry["port"]),
                "faults": faults,
            }
        )
    return result


def fault(state_dir: Path, name: str, kind: str, /, **params) -> dict:
    """Stage a fault on switch ``name`` (applies at its next command); returns the port/fault.

    ``name`` and ``kind`` are positional-only, so a fault's own ``name`` parameter (the
    supply, fan or sensor of psu-fail, fan-fail, temp-high) can be passed as a keyword.

    Kinds: port-errors (port, in_errors_rate, crc_rate, out_errors_rate, discards_rate),
    counters-reset, port-down (port), port-up (port), err-disable (port), half-duplex (port), slow-link (port, speed),
    reboot, garbage (command, default every command), cpu (percent), psu-fail (name), fan-fail (name), temp-high (celsius, name).
    """
    with _locked(state_dir) as base:
        tab = _load_table(base)
        if tab is None:
            raise RuntimeError("switches were never started in this state dir")
        _entry(tab, name)
        path = base / "state" / f"{name}.json"
        state = model.load_state(path)
        model.apply_fault(state, kind, params)
        model.save_state(path, state)
        # ``name`` and ``kind`` stay the switch's and the fault's (psu-fail's own ``name``
        # parameter, the supply, is in params and in the switch state).
        return {**params, "name": name, "kind": kind}


def reset(state_dir: Path, name: str | None = None) -> None:
    """Clear every staged fault of one switch (or all): healthy again, counters carry on."""
    with _locked(state_dir) as base:
        tab = _load_table(base)
        if tab is None:
            return
        entries = [_entry(tab, name)] if name else tab["switches"]
        now = time.time()
        for entry in entries:
            path = base / "state" / f"{entry['name']}.json"
            old = model.load_state(path) if path.exists() else {}
            model.save_state(path, model.reset_state(old, entry, now))


def _fault_params(items: list[str]) -> dict:
    params = {}
    for item in items:
        key, _, value = item.partition("=")
        params[key.lstrip("-").replace("-", "_")] = value
    return params


def main(argv: list[str] | None = None) -> int:
    """Command line: start, stop, status, fault NAME KIND [key=value ...], reset [NAME]."""
    parser = argparse.ArgumentParser(prog="python -m lab.switchlab", description="simulated switches of the lab")
    parser.add_argument("--state-dir", type=Path, default=DEFAULT_STATE_DIR)
    parser.add_argument("--port-base", type=int, default=None, help="tests only: ports port_base..+4")
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("start")
    sub.add_parser("stop")
    sub.add_parser("status")
    p_fault = sub.add_parser("fault", help="fault NAME KIND [port=IF] [crc-rate=5] ...")
    p_fault.add_argument("name")
    p_fault.add_argument("kind", choices=model.FAULT_KINDS)
    p_fault.add_argument("params", nargs="*", help="key=value, e.g. port=GigabitEthernet0/1 crc-rate=5")
    p_reset = sub.add_parser("reset")
    p_reset.add_argument("name", nargs="?")
    args = parser.parse_args(argv)
    if args.action == "start":
        switches = start(args.state_dir, port_base=args.port_base)
        for sw in switches:
            sw = dict(sw, password="***")
            print(json.dumps(sw))
    elif args.action == "stop":
        stop(args.state_dir)
    elif args.action == "status":
        print(json.dumps(status(args.state_dir), indent=1))
    elif args.action == "fault":
        print(json.dumps(fault(args.state_dir, args.name, args.kind, **_fault_params(args.params))))
    elif args.action == "reset":
        reset(args.state_dir, args.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
