"""Cisco IOS (Catalyst 3560-CX, IOS 15.2) output, rendered from a switch state.

Formats follow captured real output (shared/fixtures/device-output/cisco_ios) and the
ntc-templates cisco_ios templates for the same commands.
"""

from __future__ import annotations

from lab.switches import common, model

MODEL = "WS-C3560CX-8TC-S"
SERIAL = "FOC2145X1AB"

PROFILE = {
    "prompt": "{base_prompt}#",
    "intro": "",
    "unknown": "                ^\n% Invalid input detected at '^' marker.\n",
    "quiet": ["terminal length 0", "terminal width 511", "terminal no monitor"],
    "privileged": ["enable"],
    "exit": ["exit", "logout", "quit"],
}


def short_name(name: str) -> str:
    """GigabitEthernet0/1 -> Gi0/1 (as 'show interfaces status' prints it)."""
    for long, short in (("TenGigabitEthernet", "Te"), ("GigabitEthernet", "Gi"), ("FastEthernet", "Fa")):
        if name.startswith(long):
            return short + name[len(long) :]
    return name


def _cisco_mac(mac: str) -> str:
    """aa:bb:cc:dd:ee:ff -> aabb.ccdd.eeff."""
    digits = mac.replace(":", "")
    return f"{digits[0:4]}.{digits[4:8]}.{digits[8:12]}"


def _uptime_words(seconds: int) -> str:
    """'12 weeks, 3 days, 5 hours, 12 minutes' (zero parts left out, minutes always)."""
    parts = common.split_uptime(seconds)
    words = []
    for key, word in (("weeks", "week"), ("days", "day"), ("hours", "hour")):
        if parts[key]:
            words.append(common.plural(parts[key], word))
    words.append(common.plural(parts["minutes"], "minute"))
    return ", ".join(words)


def show_version(state: dict, now: float) -> str:
    """show version."""
    up = model.uptime(state, now)
    boot = common.fmt_time(now - up, "%H:%M:%S WIB %a %b %d %Y")
    mac = state["mac"].upper()
    return f"""Cisco IOS Software, C3560CX Software (C3560CX-UNIVERSALK9-M), Version 15.2(7)E8, RELEASE SOFTWARE (fc3)
Technical Support: http://www.cisco.com/techsupport
Copyright (c) 1986-2023 by Cisco Systems, Inc.
Compiled Tue 17-Oct-23 03:07 by mcpre

ROM: Bootstrap program is C3560CX boot loader
BOOTLDR: C3560CX Boot Loader (C3560CX-HBOOT-M) Version 15.2(7r)E, RELEASE SOFTWARE (fc1)

{state['name']} uptime is {_uptime_words(up)}
System returned to ROM by power-on
System restarted at {boot}
System image file is "flash:c3560cx-universalk9-mz.152-7.E8.bin"
Last reload reason: power-on



This product contains cryptographic features and is subject to United
States and local country laws governing import, export, transfer and
use. Delivery of Cisco cryptographic products does not imply
third-party authority to import, export, distribute or use encryption.

License Level: ipservices
License Type: Permanent Right-To-Use
Next reload license Level: ipservices

cisco {MODEL} (APM86XXX) processor (revision A0) with 524288K bytes of memory.
Processor board ID {SERIAL}
Last reset from power-on
1 Virtual Ethernet interface
{len(state['ports'])} Gigabit Ethernet interfaces
The password-recovery mechanism is enabled.

512K bytes of flash-simulated non-volatile configuration memory.
Base Ethernet MAC Address          : {mac}
Motherboard Assembly Number        : 73-16471-05
Power supply part number           : 341-0675-01
Motherboard Serial Number          : FOC21441ABC
Power supply serial number         : DCB2140A1BC
Model Revision Number              : A0
Motherboard Revision Number        : A0
Model Number                       : {MODEL}
Daughterboard Assembly Number      : 73-16475-03
Daughterboard Serial Number        : FOC21441ABD
System Serial Number               : {SERIAL}
Top Assembly Part Number           : 68-5359-01
Top Assembly Revision Number       : B0
Version ID                         : V03
CLEI Code Number                   : CMM1Y00ARA
Hardware Board Revision Number     : 0x01


Switch Ports Model                     SW Version            SW Image
------ ----- -----                     ----------            ----------
*    1 {len(state['ports']):<5} {MODEL:<25} 15.2(7)E8             C3560CX-UNIVERSALK9-M


Configuration register is 0xF
"""


def _status_word(port: dict) -> str:
    status = model.port_status(port)
    return {"up": "connected", "down": "notconnect", "admin-down": "disabled", "err-disabled": "err-disabled"}[status]


def _media(port: dict) -> str:
    return "1000BaseSX SFP" if port["kind"] == "sfp" else "10/100/1000BaseTX"


def show_interfaces_status(state: dict, now: float) -> str:
    """show interfaces status."""
    lines = ["", "Port      Name               Status       Vlan       Duplex  Speed Type"]
    for port in state["ports"]:
        vlan = "trunk" if port["vlan"] == "trunk" else str(port["vlan"])
        if model.is_up(port):
            duplex, speed = f"a-{port['duplex']}", f"a-{port['speed']}"
        else:
            duplex, speed = "auto", "auto"
        name = port["description"][:18]
        lines.append(
            f"{short_name(port['name']):<9} {name:<18} {_status_word(port):<12} {vlan:<10} "
            f"{duplex:>6} {speed:>6} {_media(port)}"
        )
    return "\n".join(lines) + "\n"


def _line_state(port: dict) -> tuple[str, str]:
    status = model.port_status(port)
    if status == "up":
        return "up", "up (connected)"
    if status == "admin-down":
        return "administratively down", "down (disabled)"
    if status == "err-disabled":
        return "down", "down (err-disabled)"
    return "down", "down (notconnect)"


def _ago(now: float, then: float) -> str:
    """hh:mm:ss since ``then``, or 'never'."""
    if then is None:
        return "never"
    seconds = max(0, int(now - then))
    if seconds >= 24 * 3600:
        days, rest = divmod(seconds, 86400)
        return f"{days}d{rest // 3600:02d}h"
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _interface_block(state: dict, port: dict, now: float) -> str:
    c = model.counters(port, now)
    rate = common.rates_per_second(port)
    link, proto = _line_state(port)
    up = model.is_up(port)
    mac = _cisco_mac(port["mac"])
    bw = port["speed"] * 1000 if up else (1000000 if port["kind"] == "sfp" else 10000)
    dly = 10 if up or port["kind"] == "sfp" else 1000
    if up:
        duplex = "Full-duplex" if port["duplex"] == "full" else "Half-duplex"
        speed_line = f"{duplex}, {port['speed']}Mb/s, "
    else:
        speed_line = "Auto-duplex, Auto-speed, "
    if port["kind"] == "sfp":
        speed_line += "link type is auto, media type is 1000BaseSX SFP"
    else:
        speed_line += "media type is 10/100/1000BaseTX"
    desc = f"\n  Description: {port['description']}" if port["description"] else ""
    last = "00:00:00" if up else "never"
    cleared = _ago(now, state.get("cleared_at"))
    frame = c["in_errors"] - c["crc"]
    bits_in, bits_out = int(rate["in_bytes"] * 8), int(rate["out_bytes"] * 8)
    collisions = 0 if port["duplex"] == "full" else int(c["out_pkts"] * 0.002)
    return f"""{port['name']} is {link}, line protocol is {proto}
  Hardware is Gigabit Ethernet, address is {mac} (bia {mac}){desc}
  MTU 1500 bytes, BW {bw} Kbit/sec, DLY {dly} usec,
     reliability 255/255, txload 1/255, rxload 1/255
  Encapsulation ARPA, loopback not set
  Keepalive set (10 sec)
  {speed_line}
  input flow-control is off, output flow-control is unsupported
  ARP type: ARPA, ARP Timeout 04:00:00
  Last input {last}, output {last}, output hang never
  Last clearing of "show interface" counters {cleared}
  Input queue: 0/75/{c['in_discards']}/0 (size/max/drops/flushes); Total output drops: {c['out_discards']}
  Queueing strategy: fifo
  Output queue: 0/40 (size/max)
  5 minute input rate {bits_in} bits/sec, {int(rate['in_pkts'])} packets/sec
  5 minute output rate {bits_out} bits/sec, {int(rate['out_pkts'])} packets/sec
     {c['in_pkts']} packets input, {c['in_bytes']} bytes, 0 no buffer
     Received {c['in_bcast']} broadcasts ({c['in_mcast']} multicasts)
     0 runts, 0 giants, 0 throttles
     {c['in_errors']} input errors, {c['crc']} CRC, {frame} frame, 0 overrun, 0 ignored
     0 watchdog, {c['in_mcast']} multicast, 0 pause input
     0 input packets with dribble condition detected
     {c['out_pkts']} packets output, {c['out_bytes']} bytes, 0 underruns
     {c['out_errors']} output errors, {collisions} collisions, 1 interface resets
     0 unknown protocol drops
     0 babbles, 0 late collision, 0 deferred
     0 lost carrier, 0 no carrier, 0 pause output
     0 output buffer failures, 0 output buffers swapped out"""


def _vlan1_block(state: dict, now: float) -> str:
    """The management SVI, as every Catalyst lists it."""
    mac = _cisco_mac(state["mac"])
    up = model.uptime(state, now)
    pkts_in, pkts_out = 40 * up + 1234, 38 * up + 987
    return f"""Vlan1 is up, line protocol is up
  Hardware is EtherSVI, address is {mac} (bia {mac})
  Description: MGMT
  Internet address is 198.18.0.11/24
  MTU 1500 bytes, BW 1000000 Kbit/sec, DLY 10 usec,
     reliability 255/255, txload 1/255, rxload 1/255
  Encapsulation ARPA, loopback not set
  Keepalive not supported
  ARP type: ARPA, ARP Timeout 04:00:00
  Last input 00:00:00, output 00:00:00, output hang never
  Last clearing of "show interface" counters never
  Input queue: 0/75/0/0 (size/max/drops/flushes); Total output drops: 0
  Queueing strategy: fifo
  Output queue: 0/40 (size/max)
  5 minute input rate 16000 bits/sec, 40 packets/sec
  5 minute output rate 15000 bits/sec, 38 packets/sec
     {pkts_in} packets input, {pkts_in * 50} bytes, 0 no buffer
     Received 0 broadcasts (0 IP multicasts)
     0 runts, 0 giants, 0 throttles
     0 input errors, 0 CRC, 0 frame, 0 overrun, 0 ignored
     {pkts_out} packets output, {pkts_out * 50} bytes, 0 underruns
     0 output errors, 0 interface resets
     0 unknown protocol drops
     0 output buffer failures, 0 output buffers swapped out"""


def show_interfaces(state: dict, now: float) -> str:
    """show interfaces: the SVI, then every port."""
    blocks = [_vlan1_block(state, now)] + [_interface_block(state, p, now) for p in state["ports"]]
    return "\n".join(blocks) + "\n"


PROCESSES = (
    (1, "Chunk Manager"),
    (2, "Load Meter"),
    (4, "Check heaps"),
    (5, "Pool Manager"),
    (12, "ARP Input"),
    (45, "Hulc LED Process"),
    (61, "HRPC hl2mm reque"),
    (98, "Spanning Tree"),
    (112, "IP Input"),
    (137, "CDP Protocol"),
    (170, "SSH Process"),
    (188, "HL3U bkgrd proce"),
    (203, "SNMP ENGINE"),
    (226, "Hulc Storm Contr"),
)


def show_processes_cpu(state: dict, now: float) -> str:
    """show processes cpu."""
    cpu = int(state["cpu"])
    interrupt = min(cpu, max(0, cpu // 8))
    rng = model._rng(state["name"], "cpu", cpu)
    lines = [
        f"CPU utilization for five seconds: {cpu}%/{interrupt}%; one minute: {cpu}%; five minutes: {cpu}%",
        " PID Runtime(ms)     Invoked      uSecs   5Sec   1Min   5Min TTY Process ",
    ]
    share = {45: 0.45, 98: 0.15, 112: 0.12, 188: 0.1, 226: 0.08}
    up = model.uptime(state, now)
    for pid, name in PROCESSES:
        part = (cpu - interrupt) * share.get(pid, 0.01)
        runtime = int(up * 1000 * part / 100) + rng.randint(0, 5000)
        invoked = max(1, runtime // rng.randint(2, 40) + rng.randint(1, 1000))
        usecs = runtime * 1000 // invoked
        lines.append(
            f"{pid:>4}{runtime:>12}{invoked:>12}{usecs:>11}{part:>6.2f}%{part:>6.2f}%{part:>6.2f}%{0:>4} {name:<16} "
        )
    return "\n".join(lines) + "\n"


def show_inventory(state: dict, now: float) -> str:
    """show inventory: the chassis and its power supply."""
    lines = [f'NAME: "1", DESCR: "{MODEL}"', f"PID: {MODEL:<18}, VID: V03  , SN: {SERIAL}", ""]
    for psu in common.hardware(state)["power"]:
        if psu["status"] != "absent":
            name = f"Switch 1 - Power Supply {chr(ord('A') + int(psu['id']) - 1)}"
            lines += [f'NAME: "{name}", DESCR: "{name}"', f"PID: PWR-C1-350WAC     , VID: V01  , SN: DCB2140A{psu['id']}BC", ""]
    return "\n".join(lines) + "\n"


def _environment_all_2960(hw: dict) -> str:
    """show environment all as a Catalyst 2960-S/-X prints it: the one-line fan and
    temperature verdicts, the one sensor's value without a sensor word, one "Built-in"
    supply per stack member (the present supplies here; a built-in is never absent) with
    only its Sys Pwr word, and the RPS table (shared/fixtures/device-output/cisco_ios/
    show_environment_power_all/*-2960s.raw for the supply table)."""
    fans_ok = all(fan["status"] != "fail" for fan in hw["fans"])
    temp_ok = all(common.temp_state(t) == "GREEN" for t in hw["sensors"])
    lines = [f"FAN is {'OK' if fans_ok else 'FAULTY'}", f"TEMPERATURE is {'OK' if temp_ok else 'FAULTY'}"]
    for sensor in hw["sensors"][:1]:
        lines += [
            f"Temperature Value: {int(sensor['celsius'])} Degree Celsius",
            f"Temperature State: {common.temp_state(sensor)}",
            f"Yellow Threshold : {int(sensor['high'])} Degree Celsius",
            f"Red Threshold    : {int(sensor['crit'])} Degree Celsius",
        ]
    lines += [
        " SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts",
        "---  ------------------  ----------  ---------------  -------  -------  -----",
    ]
    members = [psu for psu in hw["power"] if psu["status"] != "absent"]
    for psu in members:
        lines.append(f" {psu['id']}  Built-in                                         "
                     f"{'Good' if psu['status'] == 'ok' else 'Bad'}")
    lines += ["", " SW  Status          RPS Name          RPS Serial#  RPS Port#",
              " --  -------------   ----------------  -----------  ---------"]
    lines += [f"  {psu['id']}  Not Present     <>" for psu in members]
    return "\n".join(lines) + "\n"


def show_environment_all(state: dict, now: float) -> str:
    """show environment all (the IOS-XE layout of the captured output): fans, temperatures,
    supplies; a state with ``"layout": "2960"`` gets the Catalyst 2960's layout instead."""
    hw = common.hardware(state)
    if state.get("layout") == "2960":
        return _environment_all_2960(hw)
    lines = ["Switch   FAN   Speed   State", "---------------------------------------------------"]
    for fan in hw["fans"]:
        word = "OK" if fan["status"] == "ok" else "NOT PRESENT" if fan["status"] == "absent" else "FAULTY"
        lines.append(f"  1     {fan['id']} {fan['rpm']:>5}     {word}")
    overall = "OK" if all(common.temp_state(t) == "GREEN" for t in hw["sensors"]) else "FAULTY"
    lines.append(f"Switch 1: SYSTEM TEMPERATURE is {overall}")
    for sensor in hw["sensors"]:
        lines += [
            f"{sensor['id'].capitalize()} Temperature Value: {int(sensor['celsius'])} Degree Celsius",
            f"Temperature State: {common.temp_state(sensor)}",
            f"Yellow Threshold : {int(sensor['high'])} Degree Celsius",
            f"Red Threshold    : {int(sensor['crit'])} Degree Celsius",
        ]
    lines += [
        "SW  PID                 Serial#     Status           Sys Pwr  PoE Pwr  Watts",
        "--  ------------------  ----------  ---------------  -------  -------  -----",
    ]
    for psu in hw["power"]:
        bay = f"1{chr(ord('A') + int(psu['id']) - 1)}"
        if psu["status"] == "absent":
            lines.append(f"{bay}  Not Present")
        else:
            status, sys_pwr = ("OK", "Good") if psu["status"] == "ok" else ("No Input Power", "Bad")
            lines.append(f"{bay}  PWR-C1-350WAC       DCB2140A{psu['id']}BC  {status:<15} {sys_pwr:<8} n/a      350")
    return "\n".join(lines) + "\n"


COMMANDS = {
    "show version": show_version,
    "show interfaces": show_interfaces,
    "show interfaces status": show_interfaces_status,
    "show processes cpu": show_processes_cpu,
    "show inventory": show_inventory,
    "show environment all": show_environment_all,
}

# The outputs that carry the error counters: a staged ``counters-missing`` fault leaves
# ports out of these while the brief outputs still list them.
COUNTER_OUTPUTS = ("show interfaces",)
