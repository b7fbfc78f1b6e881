"""The FakeNOS process that serves every simulated switch on its loopback port.

Run as ``python -m lab.switches.server --state-dir DIR`` (``lab.switchlab.start`` does it,
detached). It reads DIR/table.json and DIR/password, builds one FakeNOS ``Nos`` per switch
whose commands render their output from DIR/state/<name>.json at each command, and serves
them with FakeNOS's paramiko SSH server until SIGTERM.

Stock FakeNOS 1.2.1 reads input one byte at a time with a 10 ms sleep, passes output
lines through queues polled every 10 ms and leaves Nagle's algorithm on: a prompt takes
~44 ms (over 100 ms under load) and netmiko's ``find_prompt`` then sees late prompts,
which shifts every later answer of the session by one (phantom failures). ``install()``
replaces ``ParamikoSshServer.connection_function`` in this process only (site-packages
is not touched) with a loop that reads what arrives, echoes it at once, runs each line
through the same FakeNOS ``CMDShell`` and sends answer + prompt in one write, with
TCP_NODELAY set.

Each switch serves its own host key (DIR/hostkeys/<name>, made by ``lab.switchlab``)
instead of FakeNOS's one built-in key; DIR/serving.json tells which (pid, port ->
fingerprint). Every authentication attempt is appended to DIR/auth.log (one JSON line:
time, port, user name, method, accepted; never the password), so tests can prove that a
client which distrusts the host key never tried to log in.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import json
import logging
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import paramiko

from lab.switches import common, model
from lab.switches.renderers import RENDERERS

log = logging.getLogger("siaklab.switches")

# profile and host key per listening port, filled by build(); read by the connection function
_PROFILES: dict[int, dict] = {}
_HOST_KEYS: dict[int, paramiko.PKey] = {}
_LEGACY_PORTS: set[int] = set()  # switches that speak only the old SSH (switchlab.LEGACY_SSH)
# DIR/auth.log (set by build()); rotated to auth.log.1 past AUTH_LOG_MAX bytes
_AUTH_LOG: dict = {"path": None, "lock": threading.Lock()}
AUTH_LOG_MAX = 1 << 20


def note_auth(port: int, username: str, method: str, accepted: bool) -> None:
    """Append one authentication attempt to DIR/auth.log (never the password)."""
    path = _AUTH_LOG["path"]
    if path is None:
        return
    line = json.dumps({"ts": round(time.time(), 3), "port": port, "username": username,
                       "method": method, "accepted": accepted}) + "\n"
    with _AUTH_LOG["lock"]:
        try:
            if path.exists() and path.stat().st_size > AUTH_LOG_MAX:
                os.replace(path, path.with_name(path.name + ".1"))
            with open(path, "a", encoding="utf-8") as handle:
                handle.write(line)
        except OSError as exc:
            log.warning("could not write %s: %s", path, exc)


class LabServerInterface(paramiko.ServerInterface):
    """Password-only SSH server interface; MikroTik strips '+options' from the login.

    Every authentication attempt (any method) is noted in DIR/auth.log, without the password.
    """

    def __init__(self, username: str, password: str, login_options: bool = False, port: int = 0) -> None:
        self.username = username
        self.password = password
        self.login_options = login_options
        self.port = port
        self.shell_requested = threading.Event()

    def get_allowed_auths(self, username: str) -> str:
        return "password"

    def check_auth_none(self, username: str) -> int:
        note_auth(self.port, username, "none", False)
        return paramiko.AUTH_FAILED

    def check_auth_publickey(self, username: str, key) -> int:
        note_auth(self.port, username, "publickey", False)
        return paramiko.AUTH_FAILED

    def check_auth_password(self, username: str, password: str) -> int:
        login = username
        if self.login_options and "+" in username:
            username = username.split("+", 1)[0]  # RouterOS login options, e.g. siak+ct511w4098h
        accepted = username == self.username and password == self.password
        note_auth(self.port, login, "password", accepted)
        return paramiko.AUTH_SUCCESSFUL if accepted else paramiko.AUTH_FAILED

    def check_channel_request(self, kind: str, chanid: int) -> int:
        if kind == "session":
            return paramiko.OPEN_SUCCEEDED
        return paramiko.OPEN_FAILED_ADMINISTRATIVELY_PROHIBITED

    def check_channel_pty_request(self, *args) -> bool:
        return True

    def check_channel_shell_request(self, channel) -> bool:
        self.shell_requested.set()
        return True


class _Collect:
    """File-like stdout for CMDShell: collects the answer so it goes out in one write."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def flush(self) -> None:
        pass

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


def _crlf(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def fast_connection_function(self, client: socket.socket, is_running: threading.Event) -> None:
    """Serve one SSH connection (replaces ParamikoSshServer.connection_function)."""
    profile = _PROFILES.get(self.port, {})
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    transport = paramiko.Transport(client)
    with self._active_sessions_lock:
        self._active_sessions.add(transport)
    try:
        # The switch's own key (FakeNOS's self._ssh_server_key is one built-in key for all).
        transport.add_server_key(_HOST_KEYS[self.port])
        if self.port in _LEGACY_PORTS:
            from lab.switchlab import LEGACY_SSH  # pylint: disable=import-outside-toplevel

            options = transport.get_security_options()
            for name, values in LEGACY_SSH.items():
                setattr(options, name, values)
            # Nor does an old server know the rsa-sha2 signatures (RFC 8332's server-sig-algs).
            transport.server_sig_algs = False
        iface = LabServerInterface(self.username, self.password, bool(profile.get("login_options")), self.port)
        transport.start_server(server=iface)
        chan = transport.accept(timeout=30)
        if chan is None:
            return
        iface.shell_requested.wait(10)
        _serve_channel(self, chan, profile, is_running)
    except (EOFError, OSError, paramiko.SSHException) as exc:
        log.debug("port %s: connection ended: %s", self.port, exc)
    finally:
        try:
            transport.close()
        finally:
            with self._active_sessions_lock:
                self._active_sessions.discard(transport)


def _serve_channel(server, chan, profile: dict, is_running: threading.Event) -> None:
    out = _Collect()
    shell = server.shell(
        stdin=None,
        stdout=out,
        nos=server.nos,
        nos_inventory_config=server.nos_inventory_config,
        is_running=is_running,
        **server.shell_configuration,
    )
    chan.settimeout(1.0)
    intro = profile.get("intro", "").replace("{login_time}", common.fmt_time(time.time()) + "+07:00")
    if profile.get("any_key"):
        chan.sendall(_crlf(intro).encode())
        waiting_key = True
    else:
        chan.sendall((_crlf(intro) + shell.prompt).encode())
        waiting_key = False
    line, last_cr = "", False
    deadline_idle = time.monotonic() + 3600
    while is_running.is_set() and chan.get_transport() and chan.get_transport().is_active():
        if time.monotonic() > deadline_idle:
            break  # idle session: a real switch's exec-timeout
        try:
            data = chan.recv(4096)
        except socket.timeout:
            continue
        if not data:
            break
        deadline_idle = time.monotonic() + 3600
        text = data.decode("utf-8", "replace")
        if waiting_key:
            waiting_key = False
            text = text[1:].lstrip("\r\n")
            chan.sendall(("\r\n" + shell.prompt).encode())
        echo: list[str] = []
        for char in text:
            if char == "\n" and last_cr:
                last_cr = False
                continue
            last_cr = char == "\r"
            if char in "\r\n":
                command, line = line.strip(), ""
                if command and command not in shell.commands:
                    stop, answer = False, _unknown_answer(profile, command)
                else:
                    shell.precmd(command)
                    stop = shell.onecmd(command)
                    answer = out.take()
                if stop:
                    chan.sendall(("".join(echo) + "\r\n" + _crlf(answer)).encode())
                    _close_gently(chan)
                    return
                chan.sendall(("".join(echo) + "\r\n" + _crlf(answer) + shell.prompt).encode())
                echo = []
            elif char in "\x08\x7f":
                if line:
                    line = line[:-1]
                    echo.append("\x08 \x08")
            elif char == "\x03":
                line = ""
                echo.append("^C\r\n" + shell.prompt)
            elif char >= " " or char == "\t":
                line += char
                echo.append(char)
        if echo:
            chan.sendall("".join(echo).encode())


def _close_gently(chan) -> None:
    """End the session as sshd does: exit status, EOF, close; let the client hang up first."""
    try:
        chan.send_exit_status(0)
        chan.shutdown_write()
        chan.close()
    except (EOFError, OSError, paramiko.SSHException):
        return
    transport = chan.get_transport()
    deadline = time.monotonic() + 1.0
    while transport is not None and transport.is_active() and time.monotonic() < deadline:
        time.sleep(0.02)


def install() -> None:
    """Monkeypatch FakeNOS's SSH server in this process (see the module docstring)."""
    from fakenos.plugins.servers.ssh_server_paramiko import ParamikoSshServer

    ParamikoSshServer.connection_function = fast_connection_function


def _make_output(state_path: Path, renderer, platform: str):
    """A FakeNOS command output callable that renders from the state file at each call."""
    module = RENDERERS[platform]

    def output(device, base_prompt: str = "", current_prompt: str = "", command: str = "") -> str:
        state = model.load_state(state_path)
        if common.wants_garbage(state, command):
            return common.garbage_text()
        if command in state.get("refused", []):
            return _unknown_answer(module.PROFILE, command)
        if command in module.COUNTER_OUTPUTS:
            # A staged counters-missing fault: the outputs with the counters leave those ports out.
            state = dict(state, ports=[p for p in state["ports"] if not p.get("no_counters")])
        return renderer(state, time.time())

    return output


def build_nos(entry: dict, state_dir: Path, username: str):
    """The FakeNOS Nos of one switch: its prompt, session commands and rendered commands."""
    from fakenos.core.nos import Nos

    platform = entry["platform"]
    module = RENDERERS[platform]
    profile = module.PROFILE
    state_path = state_dir / "state" / f"{entry['name']}.json"
    prompt = profile["prompt"].replace("{username}", username)
    commands: dict = {
        "_default_": {"output": _unknown_answer(profile, "?"), "help": "unknown command"},
    }
    quiet = profile.get("quiet", [])
    for command in quiet:
        # a list (empty answers) or a dict: command -> the answer netmiko's driver waits for
        answer = quiet[command] if isinstance(quiet, dict) else ""
        commands[command] = {"output": answer, "help": "session setting"}
    for command in profile.get("exit", []):
        commands[command] = {"output": True, "help": "leave the session"}
    if profile.get("logout"):
        confirm = "Do you want to log out [y/n]? "
        commands[profile["logout"]] = {"output": "", "new_prompt": confirm, "help": "log out"}
        commands["y"] = {"output": True, "prompt": confirm, "help": "confirm"}
        commands["n"] = {"output": "", "prompt": confirm, "new_prompt": prompt, "help": "cancel"}
    for command in profile.get("privileged", []):
        commands[command] = {"output": "", "help": "privileged mode"}
    for command, renderer in module.COMMANDS.items():
        commands[command] = {"output": _make_output(state_path, renderer, platform), "help": command}
    return Nos(name=f"siaklab-{entry['name']}", commands=commands, initial_prompt=prompt)


def _unknown_answer(profile: dict, command: str) -> str:
    """The platform's answer to a command it does not know."""
    word = command.split()[0]
    return profile.get("unknown", "Unknown command\n").replace("{command}", command).replace("{word}", word.lstrip("/"))


def _fingerprint(key: paramiko.PKey) -> str:
    digest = hashlib.sha256(key.asbytes()).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def build(state_dir: Path):
    """A FakeNOS object with one host per switch of DIR/table.json (not started)."""
    from fakenos import FakeNOS

    table = json.loads((state_dir / "table.json").read_text(encoding="utf-8"))
    password = (state_dir / "password").read_text(encoding="utf-8").strip()
    username = table["username"]
    _AUTH_LOG["path"] = state_dir / "auth.log"
    plugins, hosts = [], {}
    for entry in table["switches"]:
        nos = build_nos(entry, state_dir, username)
        plugins.append(nos)
        profile = dict(RENDERERS[entry["platform"]].PROFILE)
        _PROFILES[entry["port"]] = profile
        if entry.get("legacy_ssh"):
            # An old switch: an RSA host key, and only the old algorithms (switchlab.LEGACY_SSH).
            _HOST_KEYS[entry["port"]] = paramiko.RSAKey.from_private_key_file(
                str(state_dir / "hostkeys" / (entry["name"] + "-rsa")))
            _LEGACY_PORTS.add(entry["port"])
        else:
            _HOST_KEYS[entry["port"]] = paramiko.Ed25519Key.from_private_key_file(
                str(state_dir / "hostkeys" / entry["name"]))
        hosts[entry["name"]] = {
            "username": username,
            "password": password,
            "port": entry["port"],
            "nos": {"plugin": nos.name},
        }
    inventory = {
        "default": {
            "server": {"plugin": "ParamikoSshServer", "configuration": {"address": table["host"], "timeout": 1}},
            "shell": {"plugin": "CMDShell", "configuration": {"intro": ""}},
        },
        "hosts": hosts,
    }
    return FakeNOS(inventory=inventory, plugins=plugins)


def main(argv: list[str] | None = None) -> int:
    """Serve the switches until SIGTERM/SIGINT."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--state-dir", required=True, type=Path)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("paramiko").setLevel(logging.CRITICAL)  # probes that hang up are not errors
    install()
    net = build(args.state_dir)
    serving = {"pid": os.getpid(), "keys": {str(port): _fingerprint(key) for port, key in _HOST_KEYS.items()}}
    tmp = args.state_dir / ".serving.json.tmp"
    tmp.write_text(json.dumps(serving, indent=1), encoding="utf-8")
    os.replace(tmp, args.state_dir / "serving.json")
    stop = threading.Event()

    def _stop(signum, frame):
        stop.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    net.start()
    log.info("serving %s", {h.name: h.port for h in net.hosts.values()})
    print("READY", flush=True)
    while not stop.wait(1.0):
        pass
    log.info("stopping")
    for host in net.hosts.values():
        if host.server is not None and host.server._socket is not None:
            host.server._is_running.clear()
            host.server._socket.close()
            host.server._close_active_connections()
    sys.stdout.flush()
    os._exit(0)


if __name__ == "__main__":
    sys.exit(main())
