"""The parts of the switch check (module_utils/siak_switch_session.py, run by the module
siak_switch_check and the siak_step action) that need no switch: scrubbing, classifying
connection failures, the read-only guard, host key checking."""

import inspect
import json
import os
import socket
import subprocess

import pytest
from netmiko.exceptions import NetmikoTimeoutException
from paramiko.ssh_exception import NoValidConnectionsError
from ansible.module_utils import siak_switch_session


@pytest.fixture(scope="module")
def mod():
    return siak_switch_session


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


def test_a_banner_that_never_came_is_no_answer_whichever_error_reports_it(mod):
    """A port that accepts and stays silent. paramiko's banner wait and netmiko's session wait
    race (on a loaded machine the banner error wins): a real paramiko client here, its banner
    wait the shorter, gives the banner error with the timeout behind it; it is no answer, not a
    service that answered and is not SSH (that error has an EOF behind it: the lab's nginx,
    tests/integration/test_switch_legacy_ssh.py)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        sock = socket.create_connection(listener.getsockname())
        transport = paramiko.Transport(sock)
        transport.banner_timeout = 0.5
        try:
            with pytest.raises(paramiko.SSHException) as raised:
                transport.start_client(timeout=10)
        finally:
            transport.close()
            sock.close()
    assert "protocol banner" in str(raised.value) and isinstance(raised.value.__context__, TimeoutError)
    rec = mod.connect_failure(_raised_while(raised.value), {"port": 22, "conn_timeout": 5}, [])
    assert (rec["message"], rec["message_en"]) == ("Tidak ada jawaban dalam 5 detik", "No answer in 5 s")


class _RecordingConnection:
    def __init__(self):
        self.sent = []
        self.key_policy = None

    def _open(self):
        """The login (Session.connect() calls it after setting the host key policy)."""

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
    (tmp_path / "known_hosts").write_text("")
    params.update(platform="cisco_ios", host="192.0.2.1", username="u", password="p", checks=["device"],
                  state_dir=str(tmp_path), state_name="sw", known_hosts=str(tmp_path / "known_hosts"))

    with pytest.raises(mod.UnsafeCommand):
        mod.run(params, warn=print)
    assert conn.sent == []
@pytest.mark.parametrize("pair, warn, crit", [("cpu", 95, 90), ("memory", 91, 90), ("error_pct", 1.0, 0.1),
                                            ("error_rate", 10, 5)])
def test_a_warning_threshold_above_its_critical_one_fails_before_any_login(mod, monkeypatch, tmp_path, pair, warn, crit):
    def no_login(**kwargs):
        raise AssertionError("no login may be tried")
    monkeypatch.setattr(mod, "ConnectHandler", no_login)
    params = {name: spec.get("default") for name, spec in mod.ARGUMENT_SPEC.items()}
    params.update(platform="cisco_ios", host="192.0.2.1", username="u", password="p", checks=["cpu"],
                  known_hosts=str(tmp_path / "known_hosts"), **{pair + "_warn": warn, pair + "_crit": crit})
    with pytest.raises(mod.BadOptions, match=r"^%s_warn \(%g\) is above %s_crit \(%g\)" % (pair, warn, pair, crit)):
        mod.run(params, warn=print)


# ------------------------------------------------------------------ host key checking
import paramiko  # noqa: E402
import yaml  # noqa: E402
from netmiko import ConnectHandler  # noqa: E402


def test_known_hosts_is_a_required_path(mod):
    assert mod.ARGUMENT_SPEC["known_hosts"] == {"type": "path", "required": True}


def test_netmiko_with_these_options_rejects_unknown_keys_and_trusts_only_the_file(mod, tmp_path):
    """What Session.connect() relies on in netmiko 4.8: ssh_strict -> RejectPolicy; the
    policy it later sets on paramiko is the connection's key_policy; only alt_key_file is loaded."""
    known = tmp_path / "known_hosts"
    known.write_text("[127.0.0.1]:27101 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICPeVi8uC2x4UQcIWdaEbCqNKvlga03AEVDUAcbp0gOR\n")
    conn = ConnectHandler(device_type="cisco_ios", host="127.0.0.1", port=27101, username="u", password="p",
                          use_keys=False, allow_agent=False, ssh_strict=True, system_host_keys=False,
                          alt_host_keys=True, alt_key_file=str(known), auto_connect=False)
    assert type(conn.key_policy) is paramiko.RejectPolicy
    policy = mod.KeyRememberingRejectPolicy()
    conn.key_policy = policy
    client = conn._build_ssh_client()  # pylint: disable=protected-access
    assert client._policy is policy  # pylint: disable=protected-access
    assert client.get_host_keys().lookup("[127.0.0.1]:27101") is not None
    assert len(client._system_host_keys) == 0  # pylint: disable=protected-access
    key = paramiko.Ed25519Key.from_private_key_file(str(_ed25519(tmp_path)))
    with pytest.raises(paramiko.SSHException, match="not found in known_hosts"):
        policy.missing_host_key(_Client(), "[127.0.0.1]:27102", key)
    assert policy.key is key


class _Client:
    """What a MissingHostKeyPolicy uses of the SSHClient (a real one logs via its transport)."""

    def _log(self, *args):
        pass


def _ed25519(tmp_path, name="id_ed25519"):
    path = tmp_path / name
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", str(path)], check=True)
    return path


def test_paramiko_checks_the_host_key_before_authenticating():
    """The order netmiko relies on: SSHClient.connect() checks the key, then authenticates."""
    source = inspect.getsource(paramiko.SSHClient.connect)
    check = source.index("self._policy.missing_host_key(")
    bad = source.index("raise BadHostKeyException(")
    auth = source.index("self._auth(")
    assert check < auth and bad < auth


@pytest.mark.parametrize("content, reason", [
    (None, "tidak ada"),
    ("dir", "tidak terbaca"),
    (b"\xff\xfe not text\n", "tidak terbaca"),
    (b"[127.0.0.1]:27101 ssh-ed25519 abc\n", "rusak"),
])
def test_a_missing_or_bad_known_hosts_file_is_one_unknown_naming_it(mod, tmp_path, content, reason):
    path = tmp_path / "switch_known_hosts"
    if content == "dir":
        path.mkdir()
    elif content is not None:
        path.write_bytes(content)
    rec = mod.known_hosts_problem(str(path))
    assert (rec["category"], rec["item"], rec["status"]) == ("switch", "ssh", "UNKNOWN")
    assert str(path) in rec["message"] and reason in rec["message"] and str(path) in rec["message_en"]
    assert rec["details"]["password_sent"] is False


def test_a_good_or_empty_known_hosts_file_is_no_problem(mod, tmp_path):
    path = tmp_path / "switch_known_hosts"
    path.write_text("")
    assert mod.known_hosts_problem(str(path)) is None
    path.write_text("# switches\n[127.0.0.1]:27101 ssh-ed25519 "
                    "AAAAC3NzaC1lZDI1NTE5AAAAICPeVi8uC2x4UQcIWdaEbCqNKvlga03AEVDUAcbp0gOR\n")
    assert mod.known_hosts_problem(str(path)) is None


def _raised_while(cause):
    """A NetmikoTimeoutException raised while handling ``cause`` (as netmiko wraps SSHException)."""
    try:
        try:
            raise cause
        except paramiko.SSHException:
            raise NetmikoTimeoutException("A paramiko SSHException occurred during connection creation")
    except NetmikoTimeoutException as exc:
        return exc


def test_host_key_failures_are_told_apart(mod, tmp_path):
    params = {"host": "127.0.0.1", "port": 27101, "known_hosts": "/inv/switch_known_hosts"}
    offered = paramiko.Ed25519Key.from_private_key_file(str(_ed25519(tmp_path)))
    recorded = paramiko.Ed25519Key.from_private_key_file(str(_ed25519(tmp_path, "recorded")))
    policy = mod.KeyRememberingRejectPolicy()
    exc = _raised_while(paramiko.BadHostKeyException("127.0.0.1", offered, recorded))
    rec = mod.host_key_failure(exc, policy, params)
    assert rec["status"] == "UNKNOWN" and "BERUBAH" in rec["message"] and "CHANGED" in rec["message_en"]
    assert rec["details"]["offered"]["sha256"] in rec["message"]
    assert rec["details"]["recorded"]["sha256"] in rec["message"]
    assert rec["details"]["offered"]["sha256"] != rec["details"]["recorded"]["sha256"]
    assert "ssh-keygen -R '[127.0.0.1]:27101' -f /inv/switch_known_hosts" in rec["message"]
    # RejectPolicy (unknown key): the policy kept the key
    with pytest.raises(paramiko.SSHException) as caught:
        policy.missing_host_key(_Client(), "[127.0.0.1]:27101", offered)
    rec = mod.host_key_failure(_raised_while(caught.value), policy, params)
    assert rec["message"].startswith("Kunci host SSH switch belum dikenal (SHA256:")
    assert rec["details"]["host_key"] == "unknown"
    # any other SSH trouble is not a host key problem
    assert mod.host_key_failure(_raised_while(paramiko.SSHException("Error reading SSH protocol banner")),
                                mod.KeyRememberingRejectPolicy(), params) is None
