"""HP/Aruba ProCurve (2530-8G-PoE+, YA.16.11) output, rendered from a switch state.

Formats follow captured real output (shared/fixtures/device-output/hp_procurve) and the
ntc-templates hp_procurve templates. ``show interfaces`` is the counter summary: Total
Bytes / Total Frames are received + sent, Errors Rx all input errors, Drops Tx the
packets dropped on output.
"""

from __future__ import annotations

from lab.switches import common, model

PROFILE = {
    "prompt": "{base_prompt}# ",
    "intro": (
        "\nHP J9774A 2530-8G-PoE+ Switch\n"
        "Software revision YA.16.11.0002\n\n"
        "(C) Copyright 2021 Hewlett Packard Enterprise Development LP\n\n"
        "                   RESTRICTED RIGHTS LEGEND\n"
        " Confidential computer software. Valid license from HPE required for possession,\n"
        " use or copying. Consistent with FAR 12.211 and 12.212, Commercial Computer\n"
        " Software, Computer Software Documentation, and Technical Data for Commercial\n"
        " Items are licensed to the U.S. Government under vendor's standard commercial\n"
        " license.\n"
        "We'd like to keep you up to date about:\n"
        "  * Software feature updates\n"
        "  * New product announcements\n"
        "  * Special events\n\n"
        "Please register your products now at:  www.hpe.com/networking/register\n\n\n"
        "Press any key to continue\n"
    ),
    "any_key": True,
    "unknown": "Invalid input: {command}\n",
    "quiet": ["no page", "terminal width 511", "terminal length 1000"],
    "exit": ["exit"],
    "logout": "logout",
}


def _uptime_words(seconds: int) -> str:
    """ProCurve's coarse uptime: '84 days', '7 hours', '3 mins'."""
    if seconds >= 86400:
        return f"{seconds // 86400} days"
    if seconds >= 3600:
        return f"{seconds // 3600} hours"
    return f"{max(1, seconds // 60)} mins"


def _base_mac(mac: str) -> str:
    digits = mac.replace(":", "")
    return f"{digits[0:6]}-{digits[6:12]}"


def show_system(state: dict, now: float) -> str:
    """show system."""
    up = model.uptime(state, now)
    cpu = int(state["cpu"])
    rx, tx = 1_200_000 + up * 3, 1_100_000 + up * 2
    return f"""
 Status and Counters - General System Information

  System Name        : {state['name']}
  System Contact     : Tim TI Disdukcapil
  System Location    : Ruang Pelayanan Lt.1

  MAC Age Time (sec) : 300

  Time Zone          : 420
  Daylight Time Rule : None

  Software revision  : YA.16.11.0002        Base MAC Addr      : {_base_mac(state['mac'])}
  ROM Version        : YA.15.20             Serial Number      : CN54FP1234

  Up Time            : {_uptime_words(up):<20} Memory   - Total   : 155,124,224
  CPU Util (%)       : {cpu:<20}          Free    : 83,012,416

  IP Mgmt  - Pkts Rx : {rx:<20,} Packet   - Total   : 6750
             Pkts Tx : {tx:<20,} Buffers  Free    : 5112
                                                  Lowest  : 4870
                                                  Missed  : 0
"""


def _mode(port: dict) -> str:
    if port["kind"] == "sfp":
        return "1000FDx"
    if not model.is_up(port):
        return "1000FDx"
    return f"{port['speed']}{'FDx' if port['duplex'] == 'full' else 'HDx'}"


def show_interfaces_brief(state: dict, now: float) -> str:
    """show interfaces brief."""
    lines = [
        "",
        " Status and Counters - Port Status",
        "",
        "                          | Intrusion                           MDI   Flow  Bcast",
        "  Port  Type              | Alert     Enabled Status Mode       Mode  Ctrl  Limit",
        "  ----- ----------------- + --------- ------- ------ ---------- ----- ----- ------",
    ]
    for port in state["ports"]:
        ptype = "1000SX" if port["kind"] == "sfp" else "100/1000T"
        enabled = "Yes" if port["admin"] == "up" else "No"
        status = "Up" if model.is_up(port) else "Down"
        mdi = "NA" if port["kind"] == "sfp" else ("MDIX" if int(port["name"]) % 2 else "MDI")
        lines.append(
            f"  {port['name']:<5} {ptype:<17} | No        {enabled:<7} {status:<6} {_mode(port):<10} {mdi:<5} off   0"
        )
    return "\n".join(lines) + "\n"


def show_interfaces(state: dict, now: float) -> str:
    """show interfaces (the port counter summary)."""
    lines = [
        "",
        " Status and Counters - Port Counters",
        "",
        "                                                                 Flow Bcast",
        "  Port         Total Bytes    Total Frames   Errors Rx Drops Tx  Ctrl Limit",
        "  ------------ -------------- -------------- --------- --------- ---- -----",
    ]
    for port in state["ports"]:
        c = model.counters(port, now)
        total_bytes = f"{c['in_bytes'] + c['out_bytes']:,}"
        total_frames = f"{c['in_pkts'] + c['out_pkts']:,}"
        errors = f"{c['in_errors']:,}"
        drops = f"{c['out_discards']:,}"
        lines.append(f"  {port['name']:<12} {total_bytes:<14} {total_frames:<14} {errors:<9} {drops:<9} off  0")
    return "\n".join(lines) + "\n"


def show_system_power_supply(state: dict, now: float) -> str:
    """show system power-supply (written from HPE's ArubaOS-Switch documentation)."""
    lines = ["", " Power Supply Status:", "",
             "  PS#   Model     Serial      State           AC/DC  + V        Wattage   Max",
             "  ----- --------- ----------- --------------- ----------------- --------- ------"]
    power = common.hardware(state)["power"]
    for psu in power:
        if psu["status"] == "absent":
            lines.append(f"  {psu['id']:<5} {'':<9} {'':<11} {'Not Present':<15} -- ---------          0        0")
        else:
            word = "Powered" if psu["status"] == "ok" else "Permanent Failure"
            watts = 22 if psu["status"] == "ok" else 0
            lines.append(f"  {psu['id']:<5} {'J9828A':<9} {'IN30G4D00' + psu['id']:<11} {word:<15} AC 120V/240V      "
                         f"{watts:>5}      700")
    good = sum(1 for p in power if p["status"] == "ok")
    lines += ["", f"  {good} / {len(power)} supply bays delivering power.", ""]
    return "\n".join(lines) + "\n"


def show_system_fans(state: dict, now: float) -> str:
    """show system fans (written from HPE's ArubaOS-Switch documentation)."""
    fans = common.hardware(state)["fans"]
    lines = ["", " Fan Information", "  Num  | State        | Failures", " -------+--------------+----------"]
    for fan in fans:
        word = "Fan OK" if fan["status"] == "ok" else "Fan Failed"
        lines.append(f" Sys-{fan['id']:<2} | {word:<12} | {0 if fan['status'] == 'ok' else 1}")
    failed = sum(1 for f in fans if f["status"] != "ok")
    lines += ["", f" {failed} / {len(fans)} Fans in Failure State", ""]
    return "\n".join(lines) + "\n"


def show_system_temperature(state: dict, now: float) -> str:
    """show system temperature (written from HPE's ArubaOS-Switch documentation): the
    chassis sensor and its over-temperature threshold."""
    sensor = common.hardware(state)["sensors"][0]
    celsius, crit = int(sensor["celsius"]), int(sensor["crit"])
    over = "YES" if celsius >= crit else "NO"
    return "\n".join([
        "", " System Air Temperatures",
        "  Temp     | Current  Max    Min    Threshold  OverTemp",
        "  Sensor   | Temp     Temp   Temp",
        "  -------- + -------- ------ ------ ---------- --------",
        f"  Chassis  | {str(celsius) + 'C':<8} {str(max(celsius, 37)) + 'C':<6} {'29C':<6} {str(crit) + 'C':<10} {over}",
        ""]) + "\n"


COMMANDS = {
    "show system": show_system,
    "show interfaces brief": show_interfaces_brief,
    "show interfaces": show_interfaces,
    "show system power-supply": show_system_power_supply,
    "show system fans": show_system_fans,
    "show system temperature": show_system_temperature,
}

# The outputs that carry the error counters: a staged ``counters-missing`` fault leaves
# ports out of these while the brief outputs still list them.
COUNTER_OUTPUTS = ("show interfaces",)
