"""Live state of one simulated switch: ports, growing counters, uptime, CPU, faults.

The state is a JSON-serialisable dict, one file per switch, re-read by the simulator at
every command and written atomically by ``fault``/``reset``, so a staged fault shows at
the next command.

Counters grow with time: every port keeps ``base`` values taken at time ``t`` plus
per-second ``rate`` values, and a counter reads ``base + rate * (now - t)``. Changing a
rate first re-bases the port at ``now``, so counters never jump and never go down unless
a fault says so (``counters-reset``, ``reboot``).

Counter names (all integers):
- ``in_pkts``, ``out_pkts``, ``in_bytes``, ``out_bytes``: traffic;
- ``in_bcast``, ``in_mcast``, ``out_bcast``, ``out_mcast``: parts of the packets;
- ``in_errors``: ALL input errors (CRC included, as IOS "input errors");
- ``crc``: input CRC/FCS errors (a part of ``in_errors``);
- ``out_errors``: output errors; ``in_discards``, ``out_discards``: dropped packets.

Hardware (the ``environment`` check of SOP step 2): ``power`` (supplies: ``id``, ``status``
"ok" / "fail" / "absent"), ``fans`` (``id``, ``status``, ``rpm``) and ``sensors`` (``id``,
``celsius`` and the sensor's own ``high`` and ``crit`` points), healthy by default
(``default_hardware``); faults ``psu-fail``, ``fan-fail`` and ``temp-high`` change them.
"""

from __future__ import annotations

import json
import os
import random
import tempfile
import time
import zlib
from pathlib import Path

COUNTERS = (
    "in_pkts",
    "out_pkts",
    "in_bytes",
    "out_bytes",
    "in_bcast",
    "in_mcast",
    "out_bcast",
    "out_mcast",
    "in_errors",
    "crc",
    "out_errors",
    "in_discards",
    "out_discards",
)

# The faults of one port (they need port=), then the others.
PORT_FAULTS = ("port-errors", "port-down", "port-up", "err-disable", "half-duplex", "slow-link")
FAULT_KINDS = PORT_FAULTS + (
    "counters-reset",
    "reboot",
    "garbage",
    "command-error",
    "counters-missing",
    "cpu",
    "psu-fail",
    "fan-fail",
    "temp-high",
)


def default_hardware(platform: str) -> dict:
    """Healthy power supplies, fans and sensors: one supply in use and an empty second
    bay, two fans, an inlet and a hotspot sensor with their own points. The MikroTik (a
    fanless hEX S) reports two supplies and one temperature, no fans, no points."""
    if platform == "mikrotik_routeros":
        return {
            "power": [{"id": "1", "status": "ok"}, {"id": "2", "status": "ok"}],
            "fans": [],
            "sensors": [{"id": "temperature", "celsius": 38.0, "high": None, "crit": None}],
        }
    return {
        "power": [{"id": "1", "status": "ok"}, {"id": "2", "status": "absent"}],
        "fans": [{"id": "1", "status": "ok", "rpm": 5200}, {"id": "2", "status": "ok", "rpm": 5160}],
        "sensors": [
            {"id": "inlet", "celsius": 31.0, "high": 46.0, "crit": 56.0},
            {"id": "hotspot", "celsius": 45.0, "high": 105.0, "crit": 125.0},
        ],
    }


def _find_part(state: dict, section: str, name: str | None, present: bool = True) -> dict:
    """The part ``name`` (its id, case-insensitive) of a hardware section, or the first one."""
    for key, value in default_hardware(state["platform"]).items():
        state.setdefault(key, value)  # a state file written before the lab knew hardware
    parts = [p for p in state[section] if not present or p.get("status") != "absent"]
    if not parts:
        raise ValueError(f"{state['name']} has no {section}")
    if name is None:
        return parts[0]
    for part in state[section]:
        if str(part["id"]).lower() == str(name).lower():
            return part
    raise KeyError(f"{state['name']}: no {section} {name!r}; known: {[p['id'] for p in state[section]]}")


def _rng(*parts: object) -> random.Random:
    """A deterministic random generator seeded by the given parts."""
    return random.Random(zlib.crc32("|".join(str(p) for p in parts).encode()))


def _mac(name: str, index: int) -> str:
    """A stable locally administered MAC for port ``index`` of switch ``name``."""
    seed = zlib.crc32(name.encode())
    octets = [0x02, (seed >> 24) & 0xFF, (seed >> 16) & 0xFF, (seed >> 8) & 0xFF, seed & 0xFF, index & 0xFF]
    return ":".join(f"{o:02x}" for o in octets)


def healthy_rates(switch: str, port: dict) -> dict:
    """Per-second counter rates of a healthy port: traffic if it is up, nothing else."""
    rates = dict.fromkeys(COUNTERS, 0.0)
    if port["admin"] != "up" or port["oper"] != "up":
        return rates
    rng = _rng(switch, port["name"], "rate")
    size_in, size_out = rng.randint(380, 900), rng.randint(380, 900)
    rates["in_pkts"] = float(rng.randint(1000, 5000))
    rates["out_pkts"] = float(rng.randint(1000, 5000))
    rates["in_bytes"] = rates["in_pkts"] * size_in
    rates["out_bytes"] = rates["out_pkts"] * size_out
    rates["in_bcast"] = round(rates["in_pkts"] * 0.004, 3)
    rates["in_mcast"] = round(rates["in_pkts"] * 0.02, 3)
    rates["out_bcast"] = round(rates["out_pkts"] * 0.006, 3)
    rates["out_mcast"] = round(rates["out_pkts"] * 0.03, 3)
    return rates


def _initial_base(switch: str, port: dict, rates: dict, uptime: float, index: int) -> dict:
    """Counters at lab start: what the port would have counted since boot."""
    rng = _rng(switch, port["name"], "base")
    base = dict.fromkeys(COUNTERS, 0)
    if port["admin"] == "up" and port["oper"] == "up":
        factor = rng.uniform(0.6, 0.95)
        for key in COUNTERS:
            base[key] = int(rates[key] * uptime * factor)
        # A couple of old errors on one access port, as on a real switch: rate stays 0.
        if index == 1:
            base["crc"] = 3
            base["in_errors"] = 4
    elif port["admin"] == "up" and port["description"]:
        base["in_pkts"] = rng.randint(1000, 90000)
        base["out_pkts"] = rng.randint(1000, 90000)
        base["in_bytes"] = base["in_pkts"] * 512
        base["out_bytes"] = base["out_pkts"] * 512
    return base


def default_state(entry: dict, now: float | None = None) -> dict:
    """The healthy state of a switch table entry, with counters based at ``now``."""
    now = time.time() if now is None else now
    ports = []
    for index, (name, desc, vlan, kind, speed, admin, oper, uplink) in enumerate(entry["ports"]):
        port = {
            "name": name,
            "description": desc,
            "vlan": vlan,
            "kind": kind,
            "speed": speed,
            "duplex": "full",
            "admin": admin,
            "oper": oper,
            "err_disabled": False,
            "uplink": bool(uplink),
            "mac": _mac(entry["name"], index + 1),
            "t": now,
            "last_change": now - entry["uptime"] + 60,
        }
        port["rate"] = healthy_rates(entry["name"], port)
        port["base"] = _initial_base(entry["name"], port, port["rate"], entry["uptime"], index)
        ports.append(port)
    return {
        "name": entry["name"],
        "platform": entry["platform"],
        "t0": now,
        "boot_time": now - entry["uptime"],
        "default_uptime": entry["uptime"],
        "cleared_at": None,
        "cpu": entry["cpu"],
        "default_cpu": entry["cpu"],
        "garbage": [],
        "faults": [],
        "mac": _mac(entry["name"], 0),
        "ports": ports,
        **default_hardware(entry["platform"]),
        # Another model's output layout (lab/switchlab.py start(layouts=...)): kept by reset.
        **({"layout": entry["layout"]} if entry.get("layout") else {}),
    }


def counters(port: dict, now: float | None = None) -> dict:
    """The port's counters at ``now`` (integers)."""
    now = time.time() if now is None else now
    elapsed = max(0.0, now - port["t"])
    return {key: int(port["base"][key] + port["rate"][key] * elapsed) for key in COUNTERS}


def rebase(port: dict, now: float) -> None:
    """Fold the growth so far into the base, so rates can change at ``now``."""
    port["base"] = counters(port, now)
    port["t"] = now


def uptime(state: dict, now: float | None = None) -> int:
    """Seconds since the switch booted."""
    now = time.time() if now is None else now
    return max(0, int(now - state["boot_time"]))


def find_port(state: dict, name: str) -> dict:
    """The port called ``name`` (exact, or case-insensitive); KeyError if none."""
    for port in state["ports"]:
        if port["name"] == name:
            return port
    for port in state["ports"]:
        if port["name"].lower() == str(name).lower():
            return port
    raise KeyError(f"{state['name']}: no port {name!r}; ports: {[p['name'] for p in state['ports']]}")


def port_status(port: dict) -> str:
    """One of: up, down (no link), admin-down, err-disabled."""
    if port["admin"] != "up":
        return "admin-down"
    if port["err_disabled"]:
        return "err-disabled"
    return "up" if port["oper"] == "up" else "down"


def is_up(port: dict) -> bool:
    """True when the port passes traffic."""
    return port_status(port) == "up"


def _set_link(state: dict, port: dict, now: float, up: bool) -> None:
    """Bring the link of an admin-up port up or down; traffic follows."""
    rebase(port, now)
    port["oper"] = "up" if up else "down"
    if up:
        port["err_disabled"] = False
    port["last_change"] = now
    errors = {k: port["rate"][k] for k in ("in_errors", "crc", "out_errors", "in_discards", "out_discards")}
    port["rate"] = healthy_rates(state["name"], port)
    if up:
        port["rate"].update(errors)


def _small_counters(state: dict, port: dict) -> dict:
    """Counters as a few seconds after a clear: small, consistent with the rates."""
    rng = _rng(state["name"], port["name"], "clear", time.time())
    seconds = rng.uniform(2.0, 8.0)
    return {key: int(port["rate"][key] * seconds) for key in COUNTERS}


def apply_fault(state: dict, kind: str, params: dict, now: float | None = None) -> dict:
    """Apply one fault to ``state`` in place and return it.

    Kinds and parameters:
    - ``port-errors`` port, in_errors_rate, crc_rate, out_errors_rate, discards_rate
      (errors per second from now; input errors grow by in_errors_rate + crc_rate);
    - ``counters-reset``: every counter drops to a small value (as after ``clear counters``);
    - ``port-down`` / ``port-up`` port: link down with the port still admin up, and back;
    - ``err-disable`` port: the port is shut by the switch (cisco ``err-disabled``);
    - ``half-duplex`` port: the port negotiated 100 Mb/s half duplex;
    - ``slow-link`` port [speed]: the copper port negotiated ``speed`` Mb/s (default 100), full
      duplex, as a gigabit link does over a cable with a broken pair (a fibre SFP port is refused);
    - ``reboot``: uptime a few minutes, counters reset;
    - ``garbage`` [command]: that command (or every command) answers unparseable text;
    - ``command-error`` command: that command answers the platform's error text, as a
      switch whose software lacks it or refuses it does;
    - ``counters-missing`` [port]: the outputs that carry the error counters (the full
      interface output, the counter tables) leave that port (or every port) out, while the
      brief outputs still list it;
    - ``cpu`` percent: CPU load;
    - ``psu-fail`` [name]: that power supply (default: the first one in use) fails;
    - ``fan-fail`` [name]: that fan (default: the first) stops (0 RPM, failed);
    - ``temp-high`` [celsius] [name]: that sensor (default: the first) reads ``celsius``
      (default: two degrees above its own critical point, or 95).
    """
    now = time.time() if now is None else now
    params = {k.replace("-", "_"): v for k, v in params.items() if v is not None}
    if kind not in FAULT_KINDS:
        raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(FAULT_KINDS)}")
    if kind in PORT_FAULTS and "port" not in params:
        raise ValueError(f"fault {kind} needs port=")
    if kind == "port-errors":
        port = find_port(state, params["port"])
        rebase(port, now)
        crc = float(params.get("crc_rate", 0))
        other = float(params.get("in_errors_rate", 0))
        if not (crc or other or params.get("out_errors_rate") or params.get("discards_rate")):
            other = 10.0
        port["rate"]["crc"] = crc
        port["rate"]["in_errors"] = crc + other
        port["rate"]["out_errors"] = float(params.get("out_errors_rate", 0))
        discards = float(params.get("discards_rate", 0))
        port["rate"]["in_discards"] = discards
        port["rate"]["out_discards"] = discards
    elif kind == "counters-reset":
        for port in state["ports"]:
            port["base"] = _small_counters(state, port)
            port["t"] = now
        state["cleared_at"] = now
    elif kind == "port-down":
        port = find_port(state, params["port"])
        _set_link(state, port, now, up=False)
    elif kind == "port-up":
        port = find_port(state, params["port"])
        port["admin"] = "up"
        _set_link(state, port, now, up=True)
    elif kind == "err-disable":
        port = find_port(state, params["port"])
        _set_link(state, port, now, up=False)
        port["err_disabled"] = True
    elif kind == "half-duplex":
        port = find_port(state, params["port"])
        rebase(port, now)
        port["duplex"] = "half"
        port["speed"] = 100
    elif kind == "slow-link":
        port = find_port(state, params["port"])
        if port["kind"] == "sfp":
            raise ValueError(f"{port['name']} is a fibre SFP port, which does not fall back to a lower speed: "
                             "stage slow-link on a copper port")
        rebase(port, now)
        port["duplex"] = "full"
        port["speed"] = int(params.get("speed", 100))
    elif kind == "reboot":
        state["boot_time"] = now - float(params.get("uptime", 180))
        state["cleared_at"] = None
        for port in state["ports"]:
            port["t"] = now
            port["last_change"] = now - 60
            port["base"] = _small_counters(state, port)
            for key in ("in_errors", "crc", "out_errors", "in_discards", "out_discards"):
                port["base"][key] = 0
    elif kind == "garbage":
        command = params.get("command") or "*"
        if command not in state["garbage"]:
            state["garbage"].append(command)
    elif kind == "command-error":
        if not params.get("command"):
            raise ValueError("fault command-error needs command=")
        if params["command"] not in state.setdefault("refused", []):
            state["refused"].append(params["command"])
    elif kind == "counters-missing":
        ports = [find_port(state, params["port"])] if params.get("port") else state["ports"]
        for port in ports:
            port["no_counters"] = True
    elif kind == "cpu":
        if "percent" not in params:
            raise ValueError("fault cpu needs percent=")
        percent = int(params["percent"])
        if not 0 <= percent <= 100:
            raise ValueError("cpu percent must be 0-100")
        state["cpu"] = percent
    elif kind == "psu-fail":
        _find_part(state, "power", params.get("name"))["status"] = "fail"
    elif kind == "fan-fail":
        fan = _find_part(state, "fans", params.get("name"))
        fan["status"], fan["rpm"] = "fail", 0
    elif kind == "temp-high":
        sensor = _find_part(state, "sensors", params.get("name"), present=False)
        default = sensor["crit"] + 2 if sensor.get("crit") is not None else 95.0
        sensor["celsius"] = float(params.get("celsius", default))
    state["faults"].append({"kind": kind, "params": params, "at": now})
    return state


def reset_state(state: dict, entry: dict, now: float | None = None) -> dict:
    """The default healthy state of ``entry``, based at ``now``.

    Counters carry on from their current values (a real switch does not forget errors
    when the cause is fixed), so a check that compares two rounds sees no reset; error
    rates are zero again, ports, duplex, uptime, CPU and answers are back to default.
    """
    now = time.time() if now is None else now
    fresh = default_state(entry, now)
    old_ports = {p["name"]: p for p in state.get("ports", [])}
    for port in fresh["ports"]:
        old = old_ports.get(port["name"])
        if old is not None:
            port["base"] = counters(old, now)
            port["t"] = now
    if state.get("boot_time") and now - state["boot_time"] >= entry["uptime"]:
        fresh["boot_time"] = state["boot_time"]
    return fresh


def load_state(path: Path) -> dict:
    """Read one switch state file."""
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def save_state(path: Path, state: dict) -> None:
    """Write one switch state file atomically (temp file + rename)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(state, handle, indent=1, sort_keys=True)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
