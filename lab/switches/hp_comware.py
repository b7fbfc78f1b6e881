"""HPE Comware 7 (5130 EI access switch) output, rendered from a switch state.

Formats follow captured real output (shared/fixtures/device-output/hp_comware, the
display version capture and the display counters capture) and the ntc-templates
hp_comware templates. Comware prints full interface names in ``display interface`` and
abbreviated ones (GE1/0/1, XGE1/0/49) in the brief and counters tables, as here.
"""

from __future__ import annotations

from lab.switches import common, model

MODEL = "HPE 5130 8G PoE+ 2SFP+ EI Switch"

PROFILE = {
    "prompt": "<{base_prompt}>",
    "intro": (
        "\n******************************************************************************\n"
        "* Copyright (c) 2010-2023 Hewlett Packard Enterprise Development LP          *\n"
        "* Without the owner's prior written consent,                                 *\n"
        "* no decompiling or reverse-engineering shall be allowed.                    *\n"
        "******************************************************************************\n\n"
    ),
    "unknown": "          ^\n % Unrecognized command found at '^' position.\n",
    "quiet": ["screen-length disable"],
    "exit": ["quit", "exit"],
}


def short_name(name: str) -> str:
    """GigabitEthernet1/0/1 -> GE1/0/1, Ten-GigabitEthernet1/0/9 -> XGE1/0/9."""
    for long, short in (("Ten-GigabitEthernet", "XGE"), ("GigabitEthernet", "GE")):
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def _mac(mac: str) -> str:
    digits = mac.replace(":", "")
    return f"{digits[0:4]}-{digits[4:8]}-{digits[8:12]}"


def _uptime_words(seconds: int, compact: bool = False) -> str:
    """'35 weeks, 3 days, 5 hours, 55 minutes' (every part, as Comware prints it)."""
    p = common.split_uptime(seconds)
    sep = "," if compact else ", "
    return sep.join(
        [
            common.plural(p["weeks"], "week"),
            common.plural(p["days"], "day"),
            common.plural(p["hours"], "hour"),
            common.plural(p["minutes"], "minute"),
        ]
    )


def display_version(state: dict, now: float) -> str:
    """display version."""
    up = model.uptime(state, now)
    return f"""HPE Comware Software, Version 7.1.070, Release 3507P18
Copyright (c) 2010-2023 Hewlett Packard Enterprise Development LP
{MODEL} uptime is {_uptime_words(up)}
Last reboot reason : User reboot

Boot image: flash:/5130ei-cmw710-boot-r3507p18.bin
Boot image version: 7.1.070, Release 3507P18
  Compiled Oct 12 2023 11:00:00
System image: flash:/5130ei-cmw710-system-r3507p18.bin
System image version: 7.1.070, Release 3507P18
  Compiled Oct 12 2023 11:00:00


Slot 1:
Uptime is {_uptime_words(up, compact=True)}
5130 8G PoE+ 2SFP+ EI Switch with 1 Processor
BOARD TYPE:         5130 8G PoE+ 2SFP+ EI Switch
DRAM:               1024M bytes
FLASH:              512M bytes
PCB 1 Version:      VER.B
Bootrom Version:    128
CPLD 1 Version:     003
Release Version:    HPE 5130 8G PoE+ 2SFP+ EI Switch-3507P18
Patch Version  :    None
Reboot Cause  :     UserReboot
[SubSlot 0] 8GE+2SFP Plus
"""


def _speed_text(port: dict) -> str:
    """1000 -> 1G, 10000 -> 10G, 100 -> 100M."""
    return f"{port['speed'] // 1000}G" if port["speed"] >= 1000 else f"{port['speed']}M"


def display_interface_brief(state: dict, now: float) -> str:
    """display interface brief: the management SVI in route mode, the ports in bridge mode."""
    lines = [
        "Brief information on interfaces in route mode:",
        "Link: ADM - administratively down; Stby - standby",
        "Protocol: (s) - spoofing",
        "Interface            Link Protocol Primary IP      Description",
        "InLoop0              UP   UP(s)    --",
        "NULL0                UP   UP(s)    --",
        "Vlan1                UP   UP       198.18.0.13     MGMT",
        "",
        "Brief information on interfaces in bridge mode:",
        "Link: ADM - administratively down; Stby - standby",
        "Speed: (a) - auto",
        "Duplex: (a)/A - auto; H - half; F - full",
        "Type: A - access; T - trunk; H - hybrid",
        "Interface            Link Speed   Duplex Type PVID Description",
    ]
    for port in state["ports"]:
        status = model.port_status(port)
        link = {"up": "UP", "down": "DOWN", "admin-down": "ADM", "err-disabled": "DOWN"}[status]
        if status == "up":
            speed = _speed_text(port) + "(a)"
            duplex = "F(a)" if port["duplex"] == "full" else "H(a)"
        else:
            speed, duplex = "auto", "A"
        kind = "T" if port["vlan"] == "trunk" else "A"
        pvid = 1 if port["vlan"] == "trunk" else port["vlan"]
        lines.append(
            f"{short_name(port['name']):<20} {link:<4} {speed:<7} {duplex:<6} {kind:<4} {pvid:<4} "
            f"{port['description'][:27]}".rstrip()
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
        "err-disabled": "DOWN ( Loopback detection down )",
    }[status]
    up = status == "up"
    if up:
        mode = f"{port['speed'] // 1000}Gbps" if port["speed"] >= 10000 else f"{port['speed']}Mbps"
        speed_line = f"{mode}-speed mode, {port['duplex']}-duplex mode"
    else:
        speed_line = "Unknown-speed mode, unknown-duplex mode"
    if port["kind"] == "sfp":
        media = "Media type is optical fiber, port hardware type is 10G_BASE_SR_SFP"
    else:
        media = "Media type is twisted pair, port hardware type is 1000_BASE_T"
    bandwidth = port["speed"] * 1000
    if port["vlan"] == "trunk":
        vlan_lines = [
            "PVID: 1",
            "Port link-type: Trunk",
            " VLAN Passing:   1(default vlan), 20, 30, 40",
            " VLAN permitted: 1(default vlan), 2-4094",
            " Trunk port encapsulation: IEEE 802.1q",
        ]
    else:
        vlan_lines = [
            f"PVID: {port['vlan']}",
            "Port link-type: Access",
            " Tagged VLANs:   None",
            f" Untagged VLANs: {port['vlan']}",
        ]
    cleared = common.fmt_time(state["cleared_at"], "%H:%M:%S %a %m/%d/%Y") if state.get("cleared_at") else "Never"
    changed = common.fmt_time(port["last_change"]) + " UTC+07:00"
    in_other = c["in_errors"] - c["crc"]
    in_uni = c["in_pkts"] - c["in_bcast"] - c["in_mcast"]
    out_uni = c["out_pkts"] - c["out_bcast"] - c["out_mcast"]
    in_use, out_use = common.utilisation(port)
    ind = " " * 10
    lines = [
        port["name"],
        f"Current state: {current}",
        f"Line protocol state: {'UP' if up else 'DOWN'}",
        f"IP packet frame type: Ethernet II, hardware address: {_mac(port['mac'])}",
        f"Description: {port['description'] or port['name'] + ' Interface'}",
        f"Bandwidth: {bandwidth} kbps",
        "Loopback is not set",
        media,
        speed_line,
        "Link speed type is autonegotiation, link duplex type is autonegotiation",
        "Flow-control is not enabled",
        "Maximum frame length: 10000",
        "Allow jumbo frames to pass",
        "Broadcast max-ratio: 100%",
        "Multicast max-ratio: 100%",
        "Unicast max-ratio: 100%",
        *vlan_lines,
        "Port priority: 0",
        "Last link flapping: Never",
        f"Last clearing of counters: {cleared}",
        f"Current system time:{common.fmt_time(now)} UTC+07:00",
        f"Last time when physical state changed to up:{changed if up else '-'}",
        f"Last time when physical state changed to down:{'-' if up else changed}",
        f" Peak input rate: {int(rate['in_bytes'] * 3)} bytes/sec, at {common.fmt_time(state['t0'] - 86400)}",
        f" Peak output rate: {int(rate['out_bytes'] * 3)} bytes/sec, at {common.fmt_time(state['t0'] - 86400)}",
        f" Last 300 second input: {int(rate['in_pkts'])} packets/sec {int(rate['in_bytes'])} bytes/sec {int(in_use)}%",
        f" Last 300 second output: {int(rate['out_pkts'])} packets/sec {int(rate['out_bytes'])} bytes/sec {int(out_use)}%",
        f" Input (total):  {c['in_pkts']} packets, {c['in_bytes']} bytes",
        f"{ind}{in_uni} unicasts, {c['in_bcast']} broadcasts, {c['in_mcast']} multicasts, 0 pauses",
        f" Input (normal):  {c['in_pkts'] - c['in_errors']} packets, - bytes",
        f"{ind}{in_uni} unicasts, {c['in_bcast']} broadcasts, {c['in_mcast']} multicasts, 0 pauses",
        f" Input:  {c['in_errors']} input errors, 0 runts, 0 giants, 0 throttles",
        f"{ind}{c['crc']} CRC, {in_other} frame, - overruns, 0 aborts",
        f"{ind}- ignored, - parity errors",
        f" Output (total): {c['out_pkts']} packets, {c['out_bytes']} bytes",
        f"{ind}{out_uni} unicasts, {c['out_bcast']} broadcasts, {c['out_mcast']} multicasts, 0 pauses",
        f" Output (normal): {c['out_pkts']} packets, - bytes",
        f"{ind}{out_uni} unicasts, {c['out_bcast']} broadcasts, {c['out_mcast']} multicasts, 0 pauses",
        f" Output: {c['out_errors']} output errors, - underruns, - buffer failures",
        f"{ind}0 aborts, 0 deferred, 0 collisions, 0 late collisions",
        f"{ind}0 lost carrier, - no carrier",
    ]
    return "\n".join(lines)


def display_interface(state: dict, now: float) -> str:
    """display interface: every port, a blank line after each block."""
    return "".join(_interface_block(state, p, now) + "\n\n" for p in state["ports"])


def _counters_table(state: dict, now: float, direction: str) -> str:
    lines = ["Interface         Total (pkts)   Broadcast (pkts)   Multicast (pkts)  Err (pkts)"]
    for port in state["ports"]:
        c = model.counters(port, now)
        if direction == "in":
            row = (c["in_pkts"], c["in_bcast"], c["in_mcast"], c["in_errors"])
        else:
            row = (c["out_pkts"], c["out_bcast"], c["out_mcast"], c["out_errors"])
        lines.append(f"{short_name(port['name']):<18}{row[0]:>12}{row[1]:>19}{row[2]:>19}{row[3]:>12}")
    lines += ["", ' Overflow: More than 14 digits (7 digits for column "Err").', "       --: Not supported."]
    return "\n".join(lines) + "\n"


def display_counters_inbound(state: dict, now: float) -> str:
    """display counters inbound interface."""
    return _counters_table(state, now, "in")


def display_counters_outbound(state: dict, now: float) -> str:
    """display counters outbound interface."""
    return _counters_table(state, now, "out")


def display_cpu_usage(state: dict, now: float) -> str:
    """display cpu-usage."""
    cpu = int(state["cpu"])
    return (
        "Slot 1 CPU 0 CPU usage:\n"
        f"{cpu:>8}% in last 5 seconds\n"
        f"{cpu:>8}% in last 1 minute\n"
        f"{cpu:>8}% in last 5 minutes\n"
    )


SERIAL = "CN12AB12AB"


def display_device_manuinfo(state: dict, now: float) -> str:
    """display device manuinfo (the layout of the captured 5130 output)."""
    hw = common.hardware(state)
    lines = ["Slot 1 CPU 0:", f"DEVICE_NAME          : {MODEL} JL253A", f"DEVICE_SERIAL_NUMBER : {SERIAL}",
             f"MAC_ADDRESS          : {_mac(state['mac']).upper()}", "MANUFACTURING_DATE   : 2022-06-16",
             "VENDOR_NAME          : HPE"]
    for fan in hw["fans"]:
        lines += [f"Fan {fan['id']}:", "Failed to display the manufacture information of the specified fan."]
    for psu in hw["power"]:
        present = psu["status"] != "absent"
        lines += [f"Power {psu['id']}:",
                  "DEVICE_NAME          : " + ("HPE X361 150W AC Power Supply JD362B" if present else ""),
                  "DEVICE_SERIAL_NUMBER : " + (f"CN12AB1AB{psu['id']}" if present else ""),
                  "MANUFACTURING_DATE   : " + ("2022-07-04" if present else ""),
                  "VENDOR_NAME          : " + ("HPE" if present else "")]
    return "\n".join(lines) + "\n"


def display_power(state: dict, now: float) -> str:
    """display power (Comware 7 layout, written from HPE's documentation: no public capture)."""
    lines = [" Slot 1:", " PowerID State    Mode   Current(A)  Voltage(V)  Power(W)"]
    for psu in common.hardware(state)["power"]:
        word = {"ok": "Normal", "fail": "Fault", "absent": "Absent"}[psu["status"]]
        mode = "--" if psu["status"] == "absent" else "AC"
        lines.append(f" {psu['id']:<7} {word:<8} {mode:<6} {'--':<11} {'--':<11} --")
    return "\n".join(lines) + "\n"


def display_fan(state: dict, now: float) -> str:
    """display fan (Comware 7 layout, written from HPE's documentation)."""
    lines = [" Slot 1:"]
    for fan in common.hardware(state)["fans"]:
        word = {"ok": "Normal", "fail": "Fault", "absent": "Absent"}[fan["status"]]
        lines += [f" Fan {fan['id']}:", f" State    : {word}"]
    return "\n".join(lines) + "\n"


def display_environment(state: dict, now: float) -> str:
    """display environment (Comware 7 layout, written from HPE's documentation)."""
    lines = [" System temperature information (degree centigrade):", " " + "-" * 70,
             " Slot  Sensor            Temperature  Lower  Warning  Alarm  Shutdown"]
    for index, sensor in enumerate(common.hardware(state)["sensors"]):
        name = f"hotspot {index + 1}"
        lines.append(f" 1     {name:<17} {int(sensor['celsius']):<12} {0:<6} {int(sensor['high']):<8} "
                     f"{int(sensor['crit']):<6} NA")
    return "\n".join(lines) + "\n"


COMMANDS = {
    "display version": display_version,
    "display interface": display_interface,
    "display interface brief": display_interface_brief,
    "display counters inbound interface": display_counters_inbound,
    "display counters outbound interface": display_counters_outbound,
    "display cpu-usage": display_cpu_usage,
    "display device manuinfo": display_device_manuinfo,
    "display power": display_power,
    "display fan": display_fan,
    "display environment": display_environment,
}

# The outputs that carry the error counters: a staged ``counters-missing`` fault leaves
# ports out of these while the brief outputs still list them.
COUNTER_OUTPUTS = ("display counters inbound interface", "display counters outbound interface")
