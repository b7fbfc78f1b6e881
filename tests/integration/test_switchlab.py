"""The simulated switches over real SSH, driven by netmiko as the checks drive them.

The tests start their OWN instance (temp state dir, ports 27101 on, one per switch), not the lab's
(/var/lib/siaklab, ports 17001-17005), and stop only that instance at the end: they need
neither root nor the namespaces, so they are not marked ``lab`` (they run beside the lab's tests).
"""

from __future__ import annotations

import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from netmiko import ConnectHandler
from netmiko.exceptions import NetmikoAuthenticationException
from ntc_templates.parse import parse_output

from ansible.module_utils.siak_switch_platforms import PARSER_TABLE, PLATFORMS
from lab import switchlab
from lab.switches import model, renderers, table

PORT_BASE = 27101
NAMES = [entry["name"] for entry in table.SWITCHES]


@pytest.fixture(scope="module")
def switches():
    """Our own switch instance; stopped (and checked gone) after the module.

    A fixed state dir: should an earlier run have been killed before its teardown, this
    run finds that instance (start is idempotent on the same dir) instead of tripping
    over its ports, and stops it at the end.
    """
    state_dir = Path(tempfile.gettempdir()) / "siaklab-switchlab-test"
    started = time.monotonic()
    result = switchlab.start(state_dir, port_base=PORT_BASE)
    elapsed = time.monotonic() - started
    switchlab.reset(state_dir)
    print(f"switches up in {elapsed:.2f} s")
    yield {"dir": state_dir, "list": result, "by_name": {s["name"]: s for s in result}}
    pid = switchlab.status(state_dir)["pid"]
    switchlab.stop(state_dir)
    assert switchlab.status(state_dir)["running"] is False
    assert pid is None or not switchlab._alive(pid)


@pytest.fixture
def staged(switches):
    """Faults staged by a test are reset afterwards."""
    names = []
    yield names
    for name in names:
        switchlab.reset(switches["dir"], name)


def _connect(sw: dict, **extra):
    return ConnectHandler(
        device_type=sw["platform"],
        host=sw["host"],
        port=sw["port"],
        username=sw["username"],
        password=sw["password"],
        conn_timeout=10,
        **extra,
    )


def _parse(sw: dict, command: str, text: str) -> list[dict]:
    return parse_output(platform=PARSER_TABLE[sw["platform"]]["ntc_platform"], command=command, data=text)


def test_start_returns_the_switch_table_and_is_idempotent(switches):
    assert [s["name"] for s in switches["list"]] == NAMES
    assert [s["port"] for s in switches["list"]] == list(range(PORT_BASE, PORT_BASE + len(NAMES)))
    assert {s["platform"] for s in switches["list"]} == set(PLATFORMS)
    for sw in switches["list"]:
        assert sw["host"] == "127.0.0.1" and sw["username"] == "siak" and len(sw["password"]) >= 16
        assert sw["uplinks"]
    pid = switchlab.status(switches["dir"])["pid"]
    started = time.monotonic()
    again = switchlab.start(switches["dir"], port_base=PORT_BASE)
    assert time.monotonic() - started < 5
    assert again == switches["list"]
    assert switchlab.status(switches["dir"])["pid"] == pid


def test_a_second_instance_on_the_same_ports_is_refused(switches, tmp_path):
    with pytest.raises(RuntimeError, match="already in use"):
        switchlab.start(tmp_path, port_base=PORT_BASE)


@pytest.mark.parametrize("name", NAMES)
def test_every_command_answers_with_the_switch_state(switches, name):
    sw = switches["by_name"][name]
    state_path = switches["dir"] / "switches" / "state" / f"{name}.json"
    started = time.monotonic()
    conn = _connect(sw)
    connect_time = time.monotonic() - started
    try:
        for command in renderers.RENDERERS[sw["platform"]].COMMANDS:
            started = time.monotonic()
            text = conn.send_command(command)
            took = time.monotonic() - started
            print(f"{name} {command!r}: {took:.3f} s, {len(text)} chars")
            assert took < 2.0
            expected = renderers.render(model.load_state(state_path), command, time.time())
            assert _mask(text) == _mask(expected), command
            try:
                rows = _parse(sw, command, text)
            except Exception:  # noqa: BLE001 - no template for this command
                rows = None
            if rows is not None and command != "/interface ethernet print stats":
                assert rows, command
    finally:
        conn.disconnect()
    print(f"{name}: connect {connect_time:.2f} s")
    assert connect_time < 5


def _cisco_port(conn, port: str) -> dict:
    rows = parse_output(platform="cisco_ios", command="show interfaces", data=conn.send_command("show interfaces"))
    return next(r for r in rows if r["interface"] == port)


def test_counters_grow_between_two_polls(switches):
    conn = _connect(switches["by_name"]["sw-core01"])
    try:
        first = _cisco_port(conn, "GigabitEthernet0/1")
        time.sleep(1.5)
        second = _cisco_port(conn, "GigabitEthernet0/1")
    finally:
        conn.disconnect()
    grew = int(second["input_packets"]) - int(first["input_packets"])
    assert 1000 <= grew <= 5000 * 3
    assert int(second["output_packets"]) > int(first["output_packets"])
    assert second["input_errors"] == first["input_errors"] == "0"


def test_staged_port_errors_grow(switches, staged):
    sw = switches["by_name"]["sw-dist01"]
    port = "GigabitEthernet0/0/9"
    conn = _connect(sw)
    try:

        def errors() -> tuple[int, float]:
            rows = _parse(sw, "display interface brief", conn.send_command("display interface brief"))
            return int(next(r for r in rows if r["interface"] == port)["inerrors"]), time.time()

        before, _ = errors()
        staged.append("sw-dist01")
        switchlab.fault(switches["dir"], "sw-dist01", "port-errors", port=port, crc_rate=20)
        first, t1 = errors()
        time.sleep(1.0)
        second, t2 = errors()
    finally:
        conn.disconnect()
    assert first >= before
    assert second - first == pytest.approx(20 * (t2 - t1), abs=25)
    assert second - first >= 10


def test_counters_reset_gives_smaller_counters(switches, staged):
    conn = _connect(switches["by_name"]["sw-core01"])
    try:
        before = _cisco_port(conn, "GigabitEthernet0/9")
        staged.append("sw-core01")
        switchlab.fault(switches["dir"], "sw-core01", "counters-reset")
        after = _cisco_port(conn, "GigabitEthernet0/9")
    finally:
        conn.disconnect()
    assert int(after["input_packets"]) < int(before["input_packets"])
    assert int(after["input_packets"]) < 60_000


def test_port_down_and_err_disable_show_live(switches, staged):
    sw = switches["by_name"]["sw-core01"]
    staged.append("sw-core01")
    switchlab.fault(switches["dir"], "sw-core01", "port-down", port="GigabitEthernet0/9")
    switchlab.fault(switches["dir"], "sw-core01", "err-disable", port="GigabitEthernet0/2")
    conn = _connect(sw)
    try:
        rows = {r["port"]: r for r in _parse(sw, "show interfaces status", conn.send_command("show interfaces status"))}
    finally:
        conn.disconnect()
    assert rows["Gi0/9"]["status"] == "notconnect"
    assert rows["Gi0/2"]["status"] == "err-disabled"
    switchlab.reset(switches["dir"], "sw-core01")
    conn = _connect(sw)
    try:
        rows = {r["port"]: r for r in _parse(sw, "show interfaces status", conn.send_command("show interfaces status"))}
    finally:
        conn.disconnect()
    assert rows["Gi0/9"]["status"] == rows["Gi0/2"]["status"] == "connected"


def test_wrong_password_is_refused(switches):
    sw = dict(switches["by_name"]["sw-akses01"], password="not-the-password")
    with pytest.raises(NetmikoAuthenticationException):
        _connect(sw)


def test_garbage_answers_cannot_be_parsed(switches, staged):
    sw = switches["by_name"]["sw-akses01"]
    staged.append("sw-akses01")
    switchlab.fault(switches["dir"], "sw-akses01", "garbage", command="display interface brief")
    conn = _connect(sw)
    try:
        garbage = conn.send_command("display interface brief")
        version = conn.send_command("display version")
    finally:
        conn.disconnect()
    assert garbage.strip() and "Interface" not in garbage
    with pytest.raises(Exception):  # noqa: B017 - TextFSM's own error types
        if not _parse(sw, "display interface brief", garbage):
            raise ValueError("nothing parsed")
    assert "Comware Software" in version


def _mask(text: str) -> list[str]:
    """Lines with every word that holds a digit masked: numbers move with time, layout not."""
    return [
        " ".join("#" if any(ch.isdigit() for ch in word) else word for word in line.split())
        for line in text.strip().splitlines()
    ]


def _session(job: tuple) -> list[str]:
    """One full session (every command twice); returns the commands answered wrong."""
    sw, state_dir = job
    state_path = state_dir / "switches" / "state" / f"{sw['name']}.json"
    wrong = []
    conn = _connect(sw)
    try:
        for _ in range(2):
            for command in renderers.RENDERERS[sw["platform"]].COMMANDS:
                text = conn.send_command(command)
                expected = renderers.render(model.load_state(state_path), command, time.time())
                if _mask(text) != _mask(expected):
                    wrong.append(command)
    finally:
        conn.disconnect()
    return wrong


@pytest.mark.parametrize("sessions,workers", [(5, 5), (30, 6)])
def test_parallel_sessions_all_answer_right(switches, sessions, workers):
    order = [(switches["list"][i % len(switches["list"])], switches["dir"]) for i in range(sessions)]
    started = time.monotonic()
    with ThreadPoolExecutor(workers) as pool:
        results = list(pool.map(_session, order))
    elapsed = time.monotonic() - started
    print(f"{sessions} sessions, {workers} at a time: {elapsed:.1f} s")
    assert results == [[] for _ in order]
