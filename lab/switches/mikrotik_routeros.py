"""MikroTik RouterOS 6.49 (hEX S) output, rendered from a switch state.

``/system resource print`` follows the captured real output
(shared/fixtures/device-output/mikrotik_routeros) and its ntc-template;
``/interface ethernet print`` follows the ntc-template (so ports carry no comment: a
``;;;`` comment line would break that template). ``/interface ethernet print stats`` has
no template and no public capture: it is rendered in RouterOS's own layout, one
``name: value`` row per statistic and one right-aligned column per interface, numbers
grouped by thousands with spaces (as RouterOS prints them), e.g.::

                         name:        ether1        ether2
                 rx-fcs-error:             0            12

Statistics used by the checks: ``driver-rx-packet``/``driver-tx-packet`` (packets),
``rx-fcs-error`` (CRC), ``rx-error-events`` (all input errors), ``tx-drop`` and
``rx-drop`` (discards), ``tx-collision``/``tx-late-collision`` (output errors).
"""

from __future__ import annotations

from lab.switches import common, model

PROFILE = {
    "prompt": "[{username}@{base_prompt}] > ",
    "intro": (
        "\n\n\n\n\n"
        "  MMM      MMM       KKK                          TTTTTTTTTTT      KKK\n"
        "  MMMM    MMMM       KKK                          TTTTTTTTTTT      KKK\n"
        "  MMM MMMM MMM  III  KKK  KKK  RRRRRR     OOOOOO      TTT     III  KKK  KKK\n"
        "  MMM  MM  MMM  III  KKKKK     RRR  RRR  OOO  OOO     TTT     III  KKKKK\n"
        "  MMM      MMM  III  KKK KKK   RRRRRR    OOO  OOO     TTT     III  KKK KKK\n"
        "  MMM      MMM  III  KKK  KKK  RRR  RRR   OOOOOO      TTT     III  KKK  KKK\n\n"
        "  MikroTik RouterOS 6.49.10 (c) 1999-2023       http://www.mikrotik.com/\n\n"
    ),
    "unknown": "bad command name {word} (line 1 column 2)\n",
    "quiet": [],
    "exit": ["quit", "/quit"],
    "login_options": True,
}


def _uptime(seconds: int) -> str:
    """RouterOS uptime: 6w5d11h55m45s (zero parts left out, as RouterOS does)."""
    p = common.split_uptime(seconds)
    text = ""
    for key, unit in (("weeks", "w"), ("days", "d"), ("hours", "h"), ("minutes", "m")):
        if p[key]:
            text += f"{p[key]}{unit}"
    return text + f"{p['seconds']}s"


def system_resource_print(state: dict, now: float) -> str:
    """/system resource print."""
    up = model.uptime(state, now)
    cpu = int(state["cpu"])
    return f"""                   uptime: {_uptime(up)}
                  version: 6.49.10 (long-term)
               build-time: Sep/06/2023 09:39:29
         factory-software: 6.44.6
              free-memory: 201.4MiB
             total-memory: 256.0MiB
                      cpu: MIPS 1004Kc V2.15
                cpu-count: 4
            cpu-frequency: 880MHz
                 cpu-load: {cpu}%
           free-hdd-space: 3.8MiB
          total-hdd-space: 16.0MiB
  write-sect-since-reboot: {1200 + up // 600}
         write-sect-total: {48211 + up // 600}
               bad-blocks: 0%
        architecture-name: mmips
               board-name: hEX S
                 platform: MikroTik
"""


def interface_ethernet_print(state: dict, now: float) -> str:
    """/interface ethernet print."""
    lines = [
        "Flags: X - disabled, R - running, S - slave ",
        " #    NAME                                  MTU MAC-ADDRESS       ARP        SWITCH     ",
    ]
    for index, port in enumerate(state["ports"]):
        status = model.port_status(port)
        flags = ("X" if status == "admin-down" else "R" if status == "up" else " ") + "S"
        lines.append(f"{index:>2} {flags:<3} {port['name']:<35} {1500:>5} {port['mac'].upper()} enabled    switch1    ")
    return "\n".join(lines) + "\n"


def _grouped(value: int) -> str:
    """1234567 -> '1 234 567' (RouterOS groups digits with spaces)."""
    return f"{value:,}".replace(",", " ")


def _stat_rows(c: dict) -> list[tuple[str, int]]:
    in_other = c["in_errors"] - c["crc"]
    in_uni = c["in_pkts"] - c["in_bcast"] - c["in_mcast"]
    out_uni = c["out_pkts"] - c["out_bcast"] - c["out_mcast"]
    in_pkts, out_pkts = c["in_pkts"], c["out_pkts"]
    sizes_in = (0.38, 0.17, 0.06, 0.04, 0.07, 0.28)
    sizes_out = (0.33, 0.19, 0.07, 0.05, 0.06, 0.30)
    buckets = ("64", "65-127", "128-255", "256-511", "512-1023", "1024-1518")
    rows = [
        ("driver-rx-byte", c["in_bytes"]),
        ("driver-rx-packet", in_pkts),
        ("driver-tx-byte", c["out_bytes"]),
        ("driver-tx-packet", out_pkts),
        ("rx-bytes", c["in_bytes"]),
        ("rx-too-short", 0),
    ]
    rows += [(f"rx-{b}", int(in_pkts * f)) for b, f in zip(buckets, sizes_in)]
    rows += [
        ("rx-1519-max", 0),
        ("rx-too-long", 0),
        ("rx-unicast", in_uni),
        ("rx-broadcast", c["in_bcast"]),
        ("rx-pause", 0),
        ("rx-multicast", c["in_mcast"]),
        ("rx-fcs-error", c["crc"]),
        ("rx-align-error", 0),
        ("rx-fragment", in_other),
        ("rx-overflow", 0),
        ("rx-jabber", 0),
        ("rx-drop", c["in_discards"]),
        ("rx-error-events", c["in_errors"]),
        ("tx-bytes", c["out_bytes"]),
    ]
    rows += [(f"tx-{b}", int(out_pkts * f)) for b, f in zip(buckets, sizes_out)]
    rows += [
        ("tx-1519-max", 0),
        ("tx-too-long", 0),
        ("tx-unicast", out_uni),
        ("tx-broadcast", c["out_bcast"]),
        ("tx-pause", 0),
        ("tx-multicast", c["out_mcast"]),
        ("tx-underrun", 0),
        ("tx-collision", c["out_errors"]),
        ("tx-excessive-collision", 0),
        ("tx-multiple-collision", 0),
        ("tx-single-collision", 0),
        ("tx-excessive-deferred", 0),
        ("tx-deferred", 0),
        ("tx-late-collision", 0),
        ("tx-drop", c["out_discards"]),
    ]
    return rows


def interface_ethernet_print_stats(state: dict, now: float) -> str:
    """/interface ethernet print stats: one row per statistic, one column per port."""
    columns = [(p["name"], _stat_rows(model.counters(p, now))) for p in state["ports"]]
    labels = [label for label, _ in columns[0][1]]
    width = max(len(_grouped(v)) for _, rows in columns for _, v in rows)
    width = max(width, max(len(name) for name, _ in columns)) + 2
    label_width = max(len(label) for label in labels) + 1
    lines = [f"{'name:':>{label_width}}" + "".join(f"{name:>{width}}" for name, _ in columns)]
    for row, label in enumerate(labels):
        cells = "".join(f"{_grouped(rows[row][1]):>{width}}" for _, rows in columns)
        lines.append(f"{label + ':':>{label_width}}{cells}")
    return "\n".join(lines) + "\n"


def system_routerboard_print(state: dict, now: float) -> str:
    """/system routerboard print (the layout of the captured output)."""
    return """       routerboard: yes
        board-name: hEX S
             model: RB760iGS
          revision: r2
     serial-number: D4250C8F1A2B
     firmware-type: mt7621L
  factory-firmware: 6.44.6
  current-firmware: 6.49.10
  upgrade-firmware: 6.49.10
"""


def system_health_print(state: dict, now: float) -> str:
    """/system health print (RouterOS 6 layout of the captured output, keys right-aligned):
    voltage, temperature, and the supplies' state as RouterOS 6 prints it where a board
    has two inputs (``psu1-state: ok``)."""
    hw = common.hardware(state)
    rows = [("voltage", "24.1V")]
    rows += [(s["id"], f"{int(s['celsius'])}C") for s in hw["sensors"]]
    rows += [(f"fan{f['id']}-speed", f"{f['rpm']}RPM") for f in hw["fans"]]
    rows += [(f"psu{p['id']}-state", "ok" if p["status"] == "ok" else "fail")
             for p in hw["power"] if p["status"] != "absent"]
    width = max(len(k) for k, _ in rows) + 2
    return "\n".join(f"{k + ':':>{width + 1}} {v}" for k, v in rows) + "\n\n"


COMMANDS = {
    "/system resource print": system_resource_print,
    "/interface ethernet print": interface_ethernet_print,
    "/interface ethernet print stats": interface_ethernet_print_stats,
    "/system routerboard print": system_routerboard_print,
    "/system health print": system_health_print,
}

# The outputs that carry the error counters: a staged ``counters-missing`` fault leaves
# ports out of these while the brief outputs still list them.
COUNTER_OUTPUTS = ("/interface ethernet print stats",)
