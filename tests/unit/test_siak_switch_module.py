"""The thin parts of library/siak_switch_check.py that need no switch: state file, scrubbing,
classifying connection failures."""

import importlib.util
import json
import os
from pathlib import Path

import pytest
from netmiko.exceptions import NetmikoTimeoutException
from paramiko.ssh_exception import NoValidConnectionsError

MODULE = Path(__file__).resolve().parents[2] / "library" / "siak_switch_check.py"


@pytest.fixture(scope="module")
def mod():
    spec = importlib.util.spec_from_file_location("siak_switch_check", MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_state_round_trip_is_atomic_and_private(mod, tmp_path):
    path = tmp_path / "state" / "sw-core01.json"
    state = {"schema": mod.STATE_SCHEMA, "counters": {"ts": 1.0, "ports": {"Gi0/1": {"in_errors": 3}}}}
    mod.write_state(str(path), state)
    assert mod.read_state(str(path)) == state
    assert oct(os.stat(path.parent).st_mode & 0o777) == "0o700"
    assert [p.name for p in path.parent.iterdir()] == ["sw-core01.json"]  # no temporary file left


@pytest.mark.parametrize("content", ["", "{not json", "[]", json.dumps({"schema": 99})])
def test_unreadable_state_is_no_previous_sample(mod, tmp_path, content):
    path = tmp_path / "x.json"
    path.write_text(content, encoding="utf-8")
    assert mod.read_state(str(path)) == {}
    assert mod.read_state(str(tmp_path / "missing.json")) == {}


def test_scrub_removes_secrets(mod):
    text = mod.scrub("login failed for siak with password hunter2 and secret s3cr3t\n\n", ["hunter2", "s3cr3t", None])
    assert "hunter2" not in text and "s3cr3t" not in text and "\n" not in text


def _raised_from(cause):
    """A NetmikoTimeoutException raised while handling ``cause``, as netmiko raises it."""
    try:
        try:
            raise cause
        except OSError:
            raise NetmikoTimeoutException("TCP connection to device failed.")
    except NetmikoTimeoutException as exc:
        return exc


@pytest.mark.parametrize("cause, message", [
    (ConnectionRefusedError(111, "Connection refused"), "Koneksi SSH ditolak (port 2222 tertutup)"),
    (NoValidConnectionsError({("127.0.0.1", 2222): ConnectionRefusedError(111, "Connection refused")}),
     "Koneksi SSH ditolak (port 2222 tertutup)"),
    (TimeoutError("timed out"), "Tidak ada jawaban dalam 7 detik"),
    (OSError(113, "No route to host"), "Koneksi SSH gagal: No route to host"),
])
def test_connection_failures_are_told_apart(mod, cause, message):
    rec = mod.connect_failure(_raised_from(cause), {"port": 2222, "conn_timeout": 7}, [])
    assert (rec["category"], rec["item"], rec["status"], rec["message"]) == ("switch", "ssh", "UNKNOWN", message)


def test_silence_without_a_socket_error_is_no_answer(mod):
    rec = mod.connect_failure(NetmikoTimeoutException("Error reading SSH protocol banner"),
                              {"port": 22, "conn_timeout": 5}, [])
    assert rec["message"] == "Tidak ada jawaban dalam 5 detik" and rec["message_en"] == "No answer in 5 s"


class _RecordingConnection:
    def __init__(self):
        self.sent = []

    def send_command(self, command, read_timeout=None):
        self.sent.append(command)
        return "output of %s" % command


def test_session_sends_read_only_commands(mod):
    session = mod.Session({"command_timeout": 5})
    session.conn = _RecordingConnection()
    assert session.send(["show version", "show interfaces"]) == {
        "show version": "output of show version", "show interfaces": "output of show interfaces"}
    assert session.conn.sent == ["show version", "show interfaces"]


@pytest.mark.parametrize("commands", [
    ["show version\nreload"],
    ["show version", "show version\r\nconfigure terminal"],
    ["/interface print", "/system reset-configuration"],
    ["show interfaces", "reload"],
])
def test_session_send_refuses_before_sending_anything(mod, commands):
    session = mod.Session({"command_timeout": 5})
    session.conn = _RecordingConnection()
    with pytest.raises(mod.UnsafeCommand):
        session.send(commands)
    assert session.conn.sent == []


def test_a_refused_command_fails_the_run_instead_of_becoming_a_record(mod, monkeypatch, tmp_path):
    """Past commands_for() (here bypassed), Session.send() still refuses, and run() lets it fail the task."""
    conn = _RecordingConnection()
    monkeypatch.setattr(mod, "ConnectHandler", lambda **kwargs: conn)
    monkeypatch.setattr(mod, "commands_for", lambda platform, checks: ["show version\nreload"])
    params = {name: spec.get("default") for name, spec in mod.ARGUMENT_SPEC.items()}
    params.update(platform="cisco_ios", host="192.0.2.1", username="u", password="p", checks=["device"],
                  state_dir=str(tmp_path), state_name="sw")

    class _Module:
        check_mode = True

    _Module.params = params
    with pytest.raises(mod.UnsafeCommand):
        mod.run(_Module())
    assert conn.sent == []
