"""Helpers shared by the vendor renderers."""

from __future__ import annotations

import random
import time

from lab.switches import model

TZ_OFFSET = 7 * 3600  # the office's clocks are on WIB (UTC+07:00)


def garbage_text(seed: object = None) -> str:
    """A few lines of random text that no parser can make sense of.

    No prompt characters (> # ] <) so the SSH client still finds the end of the answer.
    """
    rng = random.Random(seed if seed is not None else time.time_ns())
    alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789~!@$%^&*()_+=-;:'\",.?/|"
    lines = []
    for _ in range(rng.randint(3, 8)):
        lines.append("".join(rng.choice(alphabet) for _ in range(rng.randint(8, 70))))
    return "\n".join(lines)


def wants_garbage(state: dict, command: str) -> bool:
    """True when a staged ``garbage`` fault covers ``command``."""
    staged = state.get("garbage") or []
    return "*" in staged or command in staged


def local_time(epoch: float) -> time.struct_time:
    """``epoch`` as the office's wall clock (UTC+07:00), independent of the host's TZ."""
    return time.gmtime(epoch + TZ_OFFSET)


def fmt_time(epoch: float, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    """Format ``epoch`` on the office's wall clock."""
    return time.strftime(pattern, local_time(epoch))


def split_uptime(seconds: int) -> dict:
    """Seconds as weeks, days, hours, minutes, seconds (and total days)."""
    minutes, sec = divmod(int(seconds), 60)
    hours, minute = divmod(minutes, 60)
    days_total, hour = divmod(hours, 24)
    weeks, day = divmod(days_total, 7)
    return {
        "weeks": weeks,
        "days": day,
        "days_total": days_total,
        "hours": hour,
        "minutes": minute,
        "seconds": sec,
    }


def plural(value: int, word: str) -> str:
    """'1 day', '2 days'."""
    return f"{value} {word}" if value == 1 else f"{value} {word}s"


def rates_per_second(port: dict) -> dict:
    """The port's current per-second rates (0 when the port is not passing traffic)."""
    if not model.is_up(port):
        return dict.fromkeys(model.COUNTERS, 0.0)
    return port["rate"]


def utilisation(port: dict) -> tuple[float, float]:
    """Input and output use of the link in percent."""
    rate = rates_per_second(port)
    capacity = port["speed"] * 1_000_000.0
    return rate["in_bytes"] * 8 * 100 / capacity, rate["out_bytes"] * 8 * 100 / capacity


def hardware(state: dict) -> dict:
    """The switch's power supplies, fans and sensors (defaults for an older state file)."""
    defaults = model.default_hardware(state["platform"])
    return {key: state.get(key, value) for key, value in defaults.items()}


def temp_state(sensor: dict) -> str:
    """Cisco's colour of a sensor: GREEN, YELLOW (>= its own high point) or RED (>= crit)."""
    if sensor.get("crit") is not None and sensor["celsius"] >= sensor["crit"]:
        return "RED"
    if sensor.get("high") is not None and sensor["celsius"] >= sensor["high"]:
        return "YELLOW"
    return "GREEN"
