"""HP/Aruba ProCurve (2530-8G-PoE+, YA.16.11) output, rendered from a switch state.

Formats follow captured real output (shared/fixtures/device-output/hp_procurve) and the
ntc-templates hp_procurve templates. ``show interfaces`` is the counter summary: Total
Bytes / Total Frames are received + sent, Errors Rx all input errors, Drops Tx the
packets dropped on output.
"""

from __future__ import annotations

from lab.switches import model

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


COMMANDS = {
    "show system": show_system,
    "show interfaces brief": show_interfaces_brief,
    "show interfaces": show_interfaces,
}

# The outputs that carry the error counters: a staged ``counters-missing`` fault leaves
# ports out of these while the brief outputs still list them.
COUNTER_OUTPUTS = ("show interfaces",)
