"""Huawei VRP (S5735 campus switch, V200R021) output, rendered from a switch state.

Formats follow captured real output (shared/fixtures/device-output/huawei_vrp) and the
ntc-templates huawei_vrp templates (netmiko type ``huawei``, ntc platform ``huawei_vrp``).
"""

from __future__ import annotations

from lab.switches import common, model

MODEL = "S5735-L8T4S-A1"

PROFILE = {
    "prompt": "<{base_prompt}>",
    "intro": (
        "\nInfo: The max number of VTY users is 5, the number of current VTY users online is 1, "
        "and total number of terminal users online is 1.\n"
        "      The current login time is {login_time}.\n"
    ),
    "unknown": "          ^\nError: Unrecognized command found at '^' position.\n",
    "quiet": ["screen-length 0 temporary", "screen-width 512"],
    "exit": ["quit"],
}


def _huawei_mac(mac: str) -> str:
    digits = mac.replace(":", "")
    return f"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}"


def _uptime_words(seconds: int) -> str:
    """'20 weeks, 3 days, 2 hours, 41 minutes' as the S series prints it (all parts)."""
    p = common.split_uptime(seconds)
    return (
        f"{common.plural(p['weeks'], 'week')}, {common.plural(p['days'], 'day')}, "
        f"{common.plural(p['hours'], 'hour')}, {common.plural(p['minutes'], 'minute')}"
    )


def display_version(state: dict, now: float) -> str:
    """display version."""
    up = _uptime_words(model.uptime(state, now))
    return f"""Huawei Versatile Routing Platform Software
VRP (R) software, Version 5.170 ({MODEL} V200R021C10SPC600)
Copyright (C) 2000-2022 HUAWEI TECH Co., Ltd.
HUAWEI {MODEL} Routing Switch uptime is {up}

ES5D21L12T00 0(Master) : uptime is {up}
DDR             Memory Size : 512   M bytes
FLASH Total     Memory Size : 512   M bytes
FLASH Available Memory Size : 218   M bytes
Pcb           Version : VER.A
BootROM       Version : 0214.0000
BootLoad      Version : 0214.0000
CPLD          Version : 0104
Software      Version : VRP (R) Software, Version 5.170 (V200R021C10SPC600)
FLASH         Version : 0000.0000
"""


def _brief_state(port: dict) -> tuple[str, str]:
    status = model.port_status(port)
    if status == "up":
        return "up", "up"
    if status == "admin-down":
        return "*down", "down"
    return "down", "down"


def _pct(value: float) -> str:
    if value <= 0:
        return "0%"
    if value < 0.01:
        return "0.01%"
    return f"{value:.2f}%"


def display_interface_brief(state: dict, now: float) -> str:
    """display interface brief."""
    lines = [
        "PHY: Physical",
        "*down: administratively down",
        "^down: standby",
        "(l): loopback",
        "(s): spoofing",
        "(E): E-Trunk down",
        "(b): BFD down",
        "(B): Bit-error-detection down",
        "(e): ETHOAM down",
        "(d): Dampening Suppressed",
        "(dl): DLDP down",
        "InUti/OutUti: input utility/output utility",
        "Interface                   PHY   Protocol  InUti OutUti   inErrors  outErrors",
    ]
    for port in state["ports"]:
        c = model.counters(port, now)
        phy, proto = _brief_state(port)
        in_use, out_use = common.utilisation(port)
        lines.append(
            f"{port['name']:<27} {phy:<5} {proto:<8} {_pct(in_use):>6} {_pct(out_use):>6} "
            f"{c['in_errors']:>10} {c['out_errors']:>10}"
        )
    return "\n".join(lines) + "\n"


def _interface_block(state: dict, port: dict, now: float) -> str:
    c = model.counters(port, now)
    rate = common.rates_per_second(port)
    status = model.port_status(port)
    current = {
        "up": "UP",
        "down": "DOWN",
        "admin-down": "Administratively DOWN",
        "err-disabled": "ERROR DOWN(bpdu-protection)",
    }[status]
    protocol = "UP" if status == "up" else "DOWN"
    up = status == "up"
    last_up = common.fmt_time(port["last_change"]) if up else "-"
    last_down = "-" if up else common.fmt_time(port["last_change"])
    pvid = 1 if port["vlan"] == "trunk" else port["vlan"]
    mode = "COMMON FIBER" if port["kind"] == "sfp" else "COMMON COPPER"
    speed = port["speed"] if up else (1000 if port["kind"] == "sfp" else 1000)
    duplex = "FULL" if (not up or port["duplex"] == "full") else "HALF"
    in_use, out_use = common.utilisation(port)
    in_other = c["in_errors"] - c["crc"]

    def pair(left: str, lval: object, right: str, rval: object) -> str:
        return f"  {left}:{lval:>{26 - len(left)}},  {right}:{rval:>{30 - len(right)}}"

    lines = [
        f"{port['name']} current state : {current}",
        f"Line protocol current state : {protocol}",
        f"Description:{port['description']}",
        f"Switch Port, PVID : {pvid:>4}, TPID : 8100(Hex), The Maximum Frame Length is 9216",
        f"IP Sending Frames' Format is PKTFMT_ETHNT_2, Hardware address is {_huawei_mac(port['mac'])}",
        f"Last physical up time   : {last_up}",
        f"Last physical down time : {last_down}",
        f"Current system time: {common.fmt_time(now)}",
        f"Port Mode: {mode}",
        f"Speed : {speed:>4},  Loopback: NONE",
        f"Duplex: {duplex},  Negotiation: ENABLE",
        "Mdi   : AUTO,  Flow-control: DISABLE",
        f"Last 300 seconds input rate {int(rate['in_bytes'] * 8)} bits/sec, {int(rate['in_pkts'])} packets/sec",
        f"Last 300 seconds output rate {int(rate['out_bytes'] * 8)} bits/sec, {int(rate['out_pkts'])} packets/sec",
        f"Input peak rate {int(rate['in_bytes'] * 8 * 3.1)} bits/sec,Record time: {common.fmt_time(state['t0'] - 86400)}",
        f"Output peak rate {int(rate['out_bytes'] * 8 * 2.7)} bits/sec,Record time: {common.fmt_time(state['t0'] - 86400)}",
        "",
        f"Input:  {c['in_pkts']} packets, {c['in_bytes']} bytes",
        pair("Unicast", c["in_pkts"] - c["in_bcast"] - c["in_mcast"], "Multicast", c["in_mcast"]),
        pair("Broadcast", c["in_bcast"], "Jumbo", 0),
        pair("Discard", c["in_discards"], "Total Error", c["in_errors"]),
        "",
        pair("CRC", c["crc"], "Giants", 0),
        pair("Jabbers", 0, "Throttles", 0),
        pair("Runts", 0, "Alignments", 0),
        pair("Symbols", in_other, "Ignoreds", 0),
        f"  Frames:{0:>20}",
        "",
        f"Output:  {c['out_pkts']} packets, {c['out_bytes']} bytes",
        pair("Unicast", c["out_pkts"] - c["out_bcast"] - c["out_mcast"], "Multicast", c["out_mcast"]),
        pair("Broadcast", c["out_bcast"], "Jumbo", 0),
        pair("Discard", c["out_discards"], "Total Error", c["out_errors"]),
        "",
        pair("Collisions", 0, "ExcessiveCollisions", 0),
        pair("Late Collisions", 0, "Deferreds", 0),
        "",
        "    Input bandwidth utilization threshold : 80.00%",
        "    Output bandwidth utilization threshold: 80.00%",
        f"    Input bandwidth utilization  : {_pct(in_use):>7}",
        f"    Output bandwidth utilization : {_pct(out_use):>7}",
    ]
    return "\n".join(lines)


def display_interface(state: dict, now: float) -> str:
    """display interface: every port, one block each, a blank line between."""
    return "\n\n".join(_interface_block(state, p, now) for p in state["ports"]) + "\n"


TASKS = (
    ("OS", "Operation System"),
    ("bcmRX", ""),
    ("FTS", ""),
    ("SOCK", "Packet schedule and process"),
    ("VPR", "VP Receive"),
    ("HACK", ""),
    ("ARP", ""),
    ("IFPD", "Ifnet Product Adapter"),
    ("SNPG", "Snooping Task"),
    ("STND", "STP Task"),
)


def display_cpu_usage(state: dict, now: float) -> str:
    """display cpu-usage."""
    cpu = int(state["cpu"])
    rng = model._rng(state["name"], "cpu", cpu)
    peak = min(100, cpu + rng.randint(10, 35))
    lines = [
        "CPU Usage Stat. Cycle: 60 (Second)",
        f"CPU Usage            : {cpu}% Max: {peak}%",
        f"CPU Usage Stat. Time : {common.fmt_time(now, '%Y-%m-%d  %H:%M:%S')}",
        f"CPU utilization for five seconds: {cpu}%: one minute: {cpu}%: five minutes: {cpu}%",
        f"Max CPU Usage Stat. Time : {common.fmt_time(state['t0'] - 3 * 3600)}.",
        "",
        "TaskName        CPU  Runtime(CPU Tick High/Tick Low)  Task Explanation",
        f"VIDL           {100 - cpu:>3}%         0/{rng.randint(0x10000000, 0x7FFFFFFF):>8x}       DOPRA IDLE",
    ]
    remaining = cpu
    for index, (task, explanation) in enumerate(TASKS):
        part = remaining if index == len(TASKS) - 1 else min(remaining, max(0, cpu // (index + 2)))
        remaining -= part
        lines.append(
            f"{task:<14} {part:>3}%         0/{rng.randint(0x10000, 0xFFFFFFF):>8x}       {explanation}".rstrip()
        )
    return "\n".join(lines) + "\n"


ESN = "2102351931P0C3000154"


def display_esn(state: dict, now: float) -> str:
    """display esn."""
    return f"ESN of slot 0: {ESN}\n"


def display_device(state: dict, now: float) -> str:
    """display device: the layout of the captured CE output (slot, power and fan rows)."""
    hw = common.hardware(state)
    rule = "-" * 91
    lines = [f"{MODEL}'s Device status:", rule,
             "Slot  Card   Type                     Online   Power Register     Alarm     Primary        ", rule,
             f"{'0':<5} {'-':<6} {MODEL:<24} {'Present':<8} {'On':<5} {'Registered':<12} {'Normal':<9} {'Master':<15}"]
    for prefix, kind, parts in (("PWR", "PAC-60WA", hw["power"]), ("FAN", "FAN-023A-B", hw["fans"])):
        for part in parts:
            online = "Absent" if part["status"] == "absent" else "Present"
            power = "Off" if part["status"] == "absent" else "On"
            register = "Unregistered" if part["status"] == "absent" else "Registered"
            alarm = {"ok": "Normal", "fail": "Abnormal", "absent": "Normal"}[part["status"]]
            pid = "-" if part["status"] == "absent" else kind
            lines.append(f"{prefix + part['id']:<5} {'-':<6} {pid:<24} {online:<8} {power:<5} {register:<12} "
                         f"{alarm:<9} {'NA':<15}")
    return "\n".join(lines) + "\n"


def display_device_temperature_all(state: dict, now: float) -> str:
    """display device temperature all (the switch layout: Major is the sensor's warning
    point, Fatal its critical point)."""
    rule = "-" * 80
    lines = [rule, "Slot    Card    SensorName    Status         Major        Fatal        Current",
             "                                           (Celsius)    (Celsius)     (Celsius)", rule]
    for index, sensor in enumerate(common.hardware(state)["sensors"]):
        status = {"GREEN": "Normal", "YELLOW": "Minor", "RED": "Fatal"}[common.temp_state(sensor)]
        slot = "0" if index == 0 else ""
        lines.append(f"{slot:<8}{'--':<8}{sensor['id'].capitalize():<14}{status:<15}{int(sensor['high']):>3}"
                     f"{int(sensor['crit']):>13}{int(sensor['celsius']):>14}")
    lines.append(rule)
    return "\n".join(lines) + "\n"


COMMANDS = {
    "display version": display_version,
    "display interface": display_interface,
    "display interface brief": display_interface_brief,
    "display cpu-usage": display_cpu_usage,
    "display esn": display_esn,
    "display device": display_device,
    "display device temperature all": display_device_temperature_all,
}

# The outputs that carry the error counters: a staged ``counters-missing`` fault leaves
# ports out of these while the brief outputs still list them.
COUNTER_OUTPUTS = ("display interface",)
