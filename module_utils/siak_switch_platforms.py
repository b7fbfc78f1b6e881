# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Switch platforms as data: what to send to each, and how to read each answer.

One entry of ``PARSER_TABLE`` describes one platform (netmiko device type); everything
else that lists platforms is derived from it (``PLATFORMS``, ``COMMAND_MAP``, the module's
``choices``, the role's preflight through the lookup ``siak_switch_platforms``) or checked
against it by a unit test (the module's DOCUMENTATION, docs/DEVELOPING.md "Switch
commands", the lab's renderers, the integration tests). docs/DEVELOPING.md, "Recipe:
adding a switch vendor", lists the steps.

``PARSER_TABLE[platform]``
    ``commands``      check name (``device``, ``ports``, ``errors``, ``cpu``, and
                      ``environment``, the hardware of SOP step 2) -> the commands that
                      check needs (only show/display/print commands);
    ``vendor``        the vendor name shown in the ``device`` record;
    ``ntc_platform``  the ntc-templates platform (the prefix of its template names; the
                      lab's render tests parse with it);
    ``ifname_abbrev`` short interface names -> long;
    ``ignore_ports``  pseudo interfaces never reported (regex, or None);
    ``parsers``       command -> list of readings. A reading names its parser (an
                      ntc-templates template, or a declarative table where ntc-templates
                      has none) and maps the parsed fields onto one of the sections of
                      the common model:

    device    vendor, model, serial, version, hostname, uptime_s
    ports     name -> admin_up, oper_up, err_disabled, speed, duplex, description, vlan
              (``PORT_FIELDS``)
    counters  name -> in_packets, out_packets, packets, in_errors, crc, out_errors,
              in_discards, out_discards (``COUNTER_FIELDS``; ints, None where the
              platform does not tell)
    cpu       cpu_pct
    memory    mem_pct, or mem_total and mem_free (bytes)
    power     name -> status, model, said (``HW_FIELDS``; the ``environment`` check; ``said``
              is the switch's own state words, shown with a fault)
    fans      name -> status, rpm, said
    sensors   name -> celsius, high, crit, state

    ``status`` is "ok", "fail" or "absent" (converter ``hwstate``), a sensor's ``state``
    the vendor's own verdict "ok", "warning" or "critical" (converter ``tempstate``);
    ``high`` is the sensor's own warning point, ``crit`` its critical point.
    The ``environment`` check also reads the ``device`` section (model, serial, version,
    uptime: the switch's row of the hardware checklist).

A reading may also carry ``fallback`` (a declarative table with the parser's field names,
read when the parser fails or finds nothing: an ntc-templates template stops at any line
it does not know, and a newer firmware adds lines), ``where`` ({field: regex}: only the
rows whose field matches), ``optional`` (True: the output may hold no such rows, e.g. a
switch without fans; the command fails only when none of its readings finds anything),
and its ``key`` may be a format string over the row's fields ("Slot {slot} fan {fan}"),
or a list of them: the first whose fields the row has all of.
Declarative tables (``kind``; read by ``siak_switch_parse``):

``fields``      one record; ``fields`` maps a name to a regex with one group, searched in
                the whole text.
``blocks``      one record per block; a block starts at a line that matches ``start``
                (its named group ``key`` is the interface), ``fields`` regexes are
                searched inside the block.
``rows``        one record per match of any of ``patterns`` (regexes with named groups,
                multi-line mode, in the order they appear in the text); ``context``
                maps a field to a regex whose last match before the row's end fills it
                (a stack member's "Switch 2:" line above its sensors).
``transposed``  one record per column of a "label: v1 v2 v3" table whose first row is
                ``header`` (MikroTik ``print stats``: values are right-aligned under the
                port name and their digits are grouped with spaces).

The read-only guard (``assert_read_only``) and the command list of a session
(``commands_for``) live here too. Parsing is in ``siak_switch_parse``, judging in
``siak_switch_judge``, error rates in ``siak_switch_rates``. Pure Python, no imports
from Ansible.
"""

from __future__ import annotations

import re

# The checks of SOP step 3 (the module's default, the role's list) ...
CHECKS = ("device", "ports", "errors", "cpu")
# ... and every check the module knows: ``environment`` (power supplies, fans,
# temperatures, model and serial) is asked for by SOP step 2 only.
ENVIRONMENT = "environment"
ALL_CHECKS = CHECKS + (ENVIRONMENT,)

# Only these commands may ever reach a switch: show / display / RouterOS "/menu ... print".
# ASCII words separated by single spaces, anchored on the whole text (\A...\Z, not ^...$,
# which would accept a trailing newline): no tab, CR, LF, pipe or ';' can add a second
# command. assert_read_only() is the one check; commands_for() and the module's
# Session.send() both call it.
_WORD = r"[A-Za-z0-9_-]+"
SAFE_COMMAND = re.compile(r"\A(?:(?:show|display)(?: {w})+|/{w}(?: {w})* print(?: {w})*)\Z".format(w=_WORD))


NTC = "ntc"

# --------------------------------------------------------------------------------------
# Declarative parsers for the outputs ntc-templates cannot read.
# --------------------------------------------------------------------------------------
HUAWEI_INTERFACE_COUNTERS = {
    # VRP "display interface": the Input: and Output: paragraphs of each interface.
    "kind": "blocks",
    "start": r"^(?P<key>\S+) current state\s*:",
    # A PPP channel (an AR router's "Dialer1:0") counts under "Packets statistics:":
    # "Input packets:86,  8592 bytes" and its framing errors, "FCS error packets:0",
    # "Address error packets:0", "Control field control error packets:0".
    "fields": {
        "in_packets": r"(?m)^\s*Input(?::|\s+packets:)\s*(\d+)",
        "out_packets": r"(?m)^\s*Output(?::|\s+packets:)\s*(\d+)",
        "in_discards": r"(?ms)^\s*Input:.*?Discard:\s*(\d+)",
        "out_discards": r"(?ms)^\s*Output:.*?Discard:\s*(\d+)",
        "in_errors": r"(?ms)^\s*Input:.*?Total Error:\s*(\d+)",
        "out_errors": r"(?ms)^\s*Output:.*?Total Error:\s*(\d+)",
        "crc": r"(?m)^\s*CRC:\s*(\d+)",
        "ppp_fcs_errors": r"(?m)^\s*FCS error packets:\s*(\d+)",
        "ppp_address_errors": r"(?m)^\s*Address error packets:\s*(\d+)",
        "ppp_control_errors": r"(?m)^\s*Control field control error packets:\s*(\d+)",
    },
}

HUAWEI_CPU_USAGE = {
    # VRP "display cpu-usage": "CPU Usage            : 8% Max: 83%"
    "kind": "fields",
    "fields": {"cpu_pct": r"(?mi)^\s*CPU Usage\s*:\s*(\d+(?:\.\d+)?)\s*%"},
    "required": ["cpu_pct"],
}

COMWARE_VERSION = {
    # Comware "display version" (ntc-templates 9.3 has no template for it).
    "kind": "fields",
    "fields": {
        "version": r"(?m)Comware Software, Version (\S+?,? Release \S+)",
        "model": r"(?m)^(?:H3C|HPE|HP)\s+(.+?)\s+uptime is",
        "uptime": r"(?m)uptime is\s+(.+?)\s*$",
    },
    "required": ["version", "uptime"],
}

COMWARE_CPU_USAGE = {
    # Comware "display cpu-usage": "      10% in last 1 minute" (first slot / CPU).
    "kind": "fields",
    "fields": {"cpu_pct": r"(?m)^\s*(\d+(?:\.\d+)?)%\s+in last 1 minute"},
    "required": ["cpu_pct"],
}

MIKROTIK_ETHERNET_STATS = {
    # RouterOS "/interface ethernet print stats": one column per port.
    "kind": "transposed",
    "header": r"^\s*name:",
}

MIKROTIK_RESOURCE = {
    # RouterOS "/system resource print", one "key: value" line each, read where ntc-templates
    # 9.3's template (the readings' parser) stops at a line it does not know: RouterOS 7.16
    # prints "build-time: 2024-10-10 14:03:32". The names are the template's fields.
    "kind": "fields",
    "fields": {
        "uptime": r"(?m)^\s*uptime:\s*(\S+)\s*$",
        "version": r"(?m)^\s*version:\s*(.+?)\s*$",
        "free_memory": r"(?m)^\s*free-memory:\s*(\S+)\s*$",
        "total_memory": r"(?m)^\s*total-memory:\s*(\S+)\s*$",
        "cpu_load": r"(?m)^\s*cpu-load:\s*(\S+)\s*$",
        "board_name": r"(?m)^\s*board-name:\s*(.+?)\s*$",
    },
    "required": ["version"],
}

MIKROTIK_ETHERNET = {
    # RouterOS "/interface ethernet print", one row per port: "0 R  ether1  1500
    # 64:D1:54:11:22:01 ...", flags X (disabled), R (running), S (slave) before the name.
    # Read where ntc-templates 9.3's template (the reading's parser) finds nothing or stops:
    # RouterOS 7 prints "Flags: R - RUNNING; S - SLAVE", a "Columns:" line, no SWITCH column
    # on a router, and ";;; comment" lines above a port. The names are the template's fields
    # (a flag not shown is "", as the template gives it).
    "kind": "rows",
    "patterns": [r"^\s*(?P<id>\d+)\s+(?P<status>[XR]?)(?P<slave>S?)\s+(?P<name>\S+)\s+(?P<mtu>\d+)\s+"
                 r"(?P<mac_address>[0-9A-Fa-f]{2}(?::[0-9A-Fa-f]{2}){5})(?:\s|$)"],
}

_MIKROTIK_RX_PACKETS = ("rx-packet", "rx-unicast|rx-broadcast|rx-multicast", "driver-rx-packet")
_MIKROTIK_TX_PACKETS = ("tx-packet", "tx-unicast|tx-broadcast|tx-multicast", "driver-tx-packet")
_MIKROTIK_RX_ERRORS = ("rx-fcs-error|rx-align-error|rx-fragment|rx-too-short|rx-too-long|rx-jabber|"
                       "rx-code-error|rx-length-error|rx-error-events|rx-carrier-error")
_MIKROTIK_TX_ERRORS = ("tx-fcs-error|tx-underrun|tx-collision|tx-late-collision|tx-excessive-collision|"
                       "tx-carrier-sense-error")

# --- environment (SOP step 2 hardware): power supplies, fans, temperatures -------------
_NUM = r"-?\d+(?:\.\d+)?"

CISCO_ENV_FANS = {
    # IOS-XE "show environment all": "  1     1 35840     OK" (switch, fan, rpm, state) and
    # "FAN PS-1 is NOT PRESENT"; the older one-line form "FAN is OK".
    "kind": "rows",
    "patterns": [r"^\s*(?P<switch>\d+)\s+(?P<fan>\d+)\s+(?P<rpm>\d+)\s+(?P<state>\S.*?)\s*$",
                 r"^FAN (?P<fan>PS-\d+|\d+) is (?P<state>.+?)\s*$",
                 r"^FAN is (?P<state>.+?)\s*$"],
}

CISCO_ENV_SENSORS = {
    # "Inlet Temperature Value: 29 Degree Celsius", its state and thresholds below it;
    # the older "System Temperature Value: 42 Degree Celsius" form too, and the 3750's and
    # 2960's "Temperature Value: 46 Degree Celsius" with no sensor word (the key names it
    # "System").
    "kind": "rows",
    "patterns": [r"^(?:(?P<sensor>\w+) )?Temperature Value\s*:\s*(?P<celsius>" + _NUM + r") Degree Celsius\s*\n"
                 r"(?:\w+ )?Temperature State\s*:\s*(?P<state>\w+)\s*\n"
                 r"\s*Yellow Threshold\s*:\s*(?P<high>" + _NUM + r") Degree Celsius\s*\n"
                 r"\s*Red Threshold\s*:\s*(?P<crit>" + _NUM + r") Degree Celsius"],
    "context": {"switch": r"^Switch (\d+): SYSTEM TEMPERATURE"},
}

CISCO_TEMP_VERDICT = {
    # The switch's one-line verdict, read only where the output has no "Temperature Value"
    # lines (the reading's fallback): "TEMPERATURE is OK" (3560, 2960), "SYSTEM TEMPERATURE
    # is FAULTY", a stack member's "Switch 2: SYSTEM TEMPERATURE is OK". One sensor with
    # only a state (no degrees); the key names it "System" ("Switch 2 System").
    "kind": "rows",
    "patterns": [r"^(?:Switch (?P<switch>\d+): )?(?:SYSTEM )?TEMPERATURE is (?P<state>.+?)\s*$"],
}

CISCO_ENV_POWER = {
    # The supply table: "1A  PWR-C4-950WAC-R  GEN222700VU  No Input Power  Bad  n/a  950",
    # an empty bay "1B  Not Present"; the one-line "POWER is OK" of small switches.
    # A bay's state is its Status word ("OK", "No Input Power"); its Sys Pwr is not read.
    # Catalyst 2960-S/-X/-XR, 3560 and 3750 print one "Built-in" supply per stack member,
    # with no bay letter, PID, serial or Status, only Sys Pwr (" 1  Built-in    Good"): its
    # state is the Sys Pwr word (with the Status word, where one is printed).
    # The RPS table below it ("  1  Not Present     <>") names no supply and is not read.
    "kind": "rows",
    "patterns": [r"^(?P<ps>\d+[A-Z])\s+(?:(?P<absent>Not Present)\s*$|(?P<pid>\S+)\s+(?P<serial>\S+)\s+"
                 r"(?P<state>\S.*?)\s{2,}(?:Good|Bad|n/a)\b)",
                 r"^[ \t]*(?P<ps>\d+)[ \t]+Built-in[ \t]+(?:(?!(?:Good|Bad|n/a)\b)(?P<state>\S.*?)[ \t]{2,})?"
                 r"(?P<sys_pwr>Good|Bad|n/a)\b",
                 r"^POWER is (?P<state>.+?)\s*$"],
}

HUAWEI_ESN = {
    # VRP "display esn": " ESN of master: 2102550AFWP0H6000080" / "ESN of slot 0: ...".
    "kind": "fields",
    "fields": {"serial": r"(?mi)^\s*ESN of [^:\n]+:\s*(\S+)"},
    "required": ["serial"],
}

HUAWEI_TEMPERATURE = {
    # VRP "display device temperature all": Slot, Card, SensorName, Status, Major, Fatal,
    # Current; rows after a slot's first leave the Slot column blank.
    "kind": "rows",
    "patterns": [r"^(?:\d+)?\s+(?:--|-|\d+)\s+(?P<sensor>\S+)\s+(?P<state>[A-Za-z]+)\s+(?P<high>" + _NUM
                 + r")\s+(?P<crit>" + _NUM + r")\s+(?P<celsius>" + _NUM + r")\s*$"],
    "context": {"slot": r"^(\d+)\s+(?:--|-|\d+)\s+\S+\s+[A-Za-z]+\s+\d"},
}

COMWARE_FAN = {
    # Comware 7 "display fan": per slot, " Fan 1:" then " State    : Normal".
    "kind": "rows",
    "patterns": [r"^\s*Fan\s+(?P<fan>\d+):\s*\n\s*State\s*:\s*(?P<state>\S.*?)\s*$"],
    "context": {"slot": r"^\s*Slot (\d+):"},
}

COMWARE_POWER = {
    # Comware 7 "display power": per slot, "PowerID State Mode Current(A) Voltage(V) Power(W)"
    # rows: " 1       Normal   AC     --  --  --".
    "kind": "rows",
    "patterns": [r"^\s*(?P<ps>\d+)\s+(?P<state>Normal|Absent|Fault|Abnormal|Failed|\w+)\s+(?:AC|DC|--|N/A)(?=\s|$)"],
    "context": {"slot": r"^\s*Slot (\d+):"},
}

COMWARE_ENVIRONMENT = {
    # Comware 7 "display environment": Slot Sensor Temperature Lower Warning Alarm Shutdown,
    # " 1     hotspot 1         38           0      85       95     NA".
    "kind": "rows",
    "patterns": [r"^\s*(?P<slot>\d+)\s+(?P<sensor>[A-Za-z][\w-]*(?: \d+)?)\s+(?P<celsius>" + _NUM
                 + r")\s+(?P<lower>-?\d+|NA)\s+(?P<high>\d+|NA)\s+(?P<crit>\d+|NA)\s+(?:\d+|NA)\s*$"],
}

PROCURVE_POWER = {
    # ArubaOS-Switch "show system power-supply": "  1     J9828A  IN30G4D009  Powered  AC 120V/240V ..."
    # and an empty bay "  2                     Not Present  -- ---------  0  0".
    "kind": "rows",
    "patterns": [r"^\s*(?P<ps>\d+)\s+(?:(?P<pid>J\w+)\s+(?P<serial>\S+)\s+)?(?P<state>Powered|Not Present|"
                 r"Aux Not Powered|Permanent Failure|Failed|Fault|[A-Z][a-z]+(?: [A-Za-z]+)?)"
                 r"(?:\s{2,}|\s+(?=AC\b|DC\b|--)|\s*$)"],
}

PROCURVE_FANS = {
    # "show system fans": " Sys-1  | Fan OK      | 0".
    "kind": "rows",
    "patterns": [r"^\s*(?P<fan>[\w-]+-\d+|\d+)\s*\|\s*(?P<state>[^|]+?)\s*\|\s*(?P<failures>\d+)\s*$"],
}

PROCURVE_TEMPERATURE = {
    # "show system temperature": " Chassis  | 34C  37C  31C  55C  NO" (current, max, min
    # seen; the over-temperature threshold and flag where the model tells them).
    "kind": "rows",
    "patterns": [r"^\s*(?P<sensor>[A-Za-z][\w -]*?)\s*\|\s*(?P<celsius>" + _NUM + r")C\s+(?P<max>" + _NUM
                 + r")C\s+(?P<min>" + _NUM + r")C(?:\s+(?P<crit>" + _NUM + r")C)?(?:\s+(?P<over>YES|NO))?\s*$"],
}

MIKROTIK_HEALTH_SENSORS = {
    # RouterOS "/system health print": v6 "  temperature: 28C", v7 "0  cpu-temperature  58  C".
    "kind": "rows",
    "patterns": [r"^\s*(?P<sensor>[\w-]*temperature[\w-]*):\s*(?P<celsius>" + _NUM + r")\s*C\s*$",
                 r"^\s*\d+\s+(?P<sensor>[\w-]*temperature[\w-]*)\s+(?P<celsius>" + _NUM + r")\s+C\s*$"],
}

MIKROTIK_HEALTH_FANS = {
    "kind": "rows",
    "patterns": [r"^\s*(?P<fan>fan\d*)-speed:\s*(?P<rpm>\d+)\s*RPM\s*$",
                 r"^\s*\d+\s+(?P<fan>fan\d*)-speed\s+(?P<rpm>\d+)\s+RPM\s*$"],
}

MIKROTIK_HEALTH_POWER = {
    "kind": "rows",
    "patterns": [r"^\s*(?P<ps>psu\d*)-state:\s*(?P<state>\S+)\s*$",
                 r"^\s*\d+\s+(?P<ps>psu\d*)-state\s+(?P<state>\S+)\s*$"],
}

# --------------------------------------------------------------------------------------
# The platform table: per platform, the commands per check and how to read each one.
# A field is "source" (text), (source, converter) or (source, converter, argument);
# "a|b|c" with the "sum" converter adds the fields that are present; "or_sum" takes the
# source, or else the sum of its argument's fields; "first_sum" takes the first of its
# argument's alternatives ("a|b" summed) that is present.
# --------------------------------------------------------------------------------------
_ADMIN_DOWN = r"(?i)admin|^ADM$|^\*down"

PARSER_TABLE = {
    "cisco_ios": {
        "commands": {
            "device": ["show version"],
            "ports": ["show interfaces", "show interfaces status"],
            "errors": ["show interfaces"],
            "cpu": ["show processes cpu"],
            "environment": ["show version", "show inventory", "show environment all"],
        },
        "vendor": "Cisco",
        "ntc_platform": "cisco_ios",
        "ifname_abbrev": {"Gi": "GigabitEthernet", "Fa": "FastEthernet", "Te": "TenGigabitEthernet",
                          "Tw": "TwoGigabitEthernet", "Fo": "FortyGigabitEthernet", "Hu": "HundredGigE",
                          "Po": "Port-channel", "Et": "Ethernet", "Vl": "Vlan"},
        "ignore_ports": r"^(?:Null|Loopback|Vlan|Tunnel)\d",
        "parsers": {
            "show version": [
                {"parser": (NTC, "cisco_ios_show_version"), "section": "device",
                 "fields": {"model": ("hardware", "first"), "serial": ("serial", "first"),
                            "version": "version", "hostname": "hostname",
                            "uptime_s": ("uptime", "uptime")}},
            ],
            "show interfaces": [
                {"parser": (NTC, "cisco_ios_show_interfaces"), "section": "ports", "key": "interface",
                 "fields": {"admin_up": ("link_status", "match", (_ADMIN_DOWN, False, True)),
                            "oper_up": ("link_status", "updown"),
                            "err_disabled": ("protocol_status", "flag", "err-disabled"),
                            "speed": "speed", "duplex": ("duplex", "duplex"),
                            "description": "description"}},
                {"parser": (NTC, "cisco_ios_show_interfaces"), "section": "counters", "key": "interface",
                 "fields": {"in_packets": ("input_packets", "int"), "out_packets": ("output_packets", "int"),
                            "in_errors": ("input_errors", "int"), "crc": ("crc", "int"),
                            "out_errors": ("output_errors", "int"), "in_discards": ("queue_drops", "int"),
                            "out_discards": ("queue_output_drops", "int")}},
            ],
            "show interfaces status": [
                {"parser": (NTC, "cisco_ios_show_interfaces_status"), "section": "ports", "key": "port",
                 "fields": {"err_disabled": ("status", "flag", "err-disabled"),
                            "admin_up": ("status", "match", (r"^disabled$", False, None)),
                            "oper_up": ("status", "updown"), "vlan": "vlan_id",
                            "duplex": ("duplex", "duplex"), "description": "name"}},
            ],
            "show processes cpu": [
                {"parser": (NTC, "cisco_ios_show_processes_cpu"), "section": "cpu",
                 "fields": {"cpu_pct": ("cpu_usage_1_min", "float")}},
            ],
            "show inventory": [
                # The first entry is the chassis (or the stack): its PID and serial.
                {"parser": (NTC, "cisco_ios_show_inventory"), "section": "device",
                 "fields": {"model": "pid", "serial": "sn"}},
            ],
            "show environment all": [
                {"parser": CISCO_ENV_POWER, "section": "power", "key": ["PS {ps}", "Power"], "optional": True,
                 "fields": {"status": ("absent|state|sys_pwr", "hwstate"), "model": "pid"}},
                {"parser": CISCO_ENV_FANS, "section": "fans", "key": ["Fan {switch}/{fan}", "Fan {fan}", "Fan"], "optional": True,
                 "fields": {"status": ("state", "hwstate"), "rpm": ("rpm", "int")}},
                {"parser": CISCO_ENV_SENSORS, "fallback": CISCO_TEMP_VERDICT, "section": "sensors",
                 "key": ["Switch {switch} {sensor}", "{sensor}", "Switch {switch} System", "System"], "optional": True,
                 "fields": {"celsius": ("celsius", "float"), "high": ("high", "float"),
                            "crit": ("crit", "float"), "state": ("state", "tempstate")}},
            ],
        },
    },
    "huawei": {
        "commands": {
            "device": ["display version"],
            "ports": ["display interface", "display interface brief"],
            # The brief output's InErrors/OutErrors columns give an error verdict for a port
            # whose paragraph is missing from the full output.
            "errors": ["display interface", "display interface brief"],
            "cpu": ["display cpu-usage"],
            "environment": ["display version", "display esn", "display device", "display device temperature all"],
        },
        "vendor": "Huawei",
        "ntc_platform": "huawei_vrp",
        "ifname_abbrev": {"GE": "GigabitEthernet", "XGE": "XGigabitEthernet", "Eth": "Ethernet",
                          "MEth": "MEth"},
        "ignore_ports": r"^(?:NULL|InLoopBack|LoopBack|Aux|Vlanif|Virtual-Template)\d",
        "parsers": {
            "display version": [
                {"parser": (NTC, "huawei_vrp_display_version"), "section": "device",
                 "fields": {"model": "model", "version": "vrp_version",
                            "uptime_s": ("uptime", "uptime")}},
            ],
            "display interface": [
                {"parser": (NTC, "huawei_vrp_display_interface"), "section": "ports", "key": "interface",
                 "fields": {"admin_up": ("link_status", "match", (_ADMIN_DOWN, False, True)),
                            "oper_up": ("link_status", "updown"),
                            "err_disabled": ("link_status", "flag", r"(?i)error.?down"),
                            "speed": "speed", "duplex": ("duplex", "duplex"),
                            "description": "interface_description", "vlan": "vlan_id"}},
                {"parser": HUAWEI_INTERFACE_COUNTERS, "section": "counters", "key": "key",
                 "fields": dict({name: (name, "int") for name in ("in_packets", "out_packets", "in_discards",
                                                                  "out_discards", "out_errors", "crc")},
                                in_errors=("in_errors", "or_sum",
                                           "ppp_fcs_errors|ppp_address_errors|ppp_control_errors"))},
            ],
            "display interface brief": [
                {"parser": (NTC, "huawei_vrp_display_interface_brief"), "section": "ports", "key": "interface",
                 "fields": {"admin_up": ("phy", "match", (r"^\*down", False, True)),
                            "oper_up": ("phy", "updown")}},
                {"parser": (NTC, "huawei_vrp_display_interface_brief"), "section": "counters", "key": "interface",
                 "fields": {"in_errors": ("inerrors", "int"), "out_errors": ("outerrors", "int")}},
            ],
            "display cpu-usage": [
                {"parser": HUAWEI_CPU_USAGE, "section": "cpu", "fields": {"cpu_pct": ("cpu_pct", "float")}},
            ],
            "display esn": [
                {"parser": HUAWEI_ESN, "section": "device", "fields": {"serial": "serial"}},
            ],
            "display device": [
                # The PWRn and FANn rows of the device table (boards are not in the checklist).
                {"parser": (NTC, "huawei_vrp_display_device"), "section": "power", "key": "slot",
                 "where": {"slot": r"^PWR"}, "optional": True,
                 "fields": {"status": ("online_status|alarm_status", "hwstate"), "model": "pid"}},
                {"parser": (NTC, "huawei_vrp_display_device"), "section": "fans", "key": "slot",
                 "where": {"slot": r"^FAN"}, "optional": True,
                 "fields": {"status": ("online_status|alarm_status", "hwstate")}},
            ],
            "display device temperature all": [
                {"parser": HUAWEI_TEMPERATURE, "section": "sensors", "key": ["Slot {slot} {sensor}", "{sensor}"],
                 "fields": {"celsius": ("celsius", "float"), "high": ("high", "float"),
                            "crit": ("crit", "float"), "state": ("state", "tempstate")}},
            ],
        },
    },
    "hp_comware": {
        "commands": {
            "device": ["display version"],
            "ports": ["display interface", "display interface brief"],
            "errors": ["display counters inbound interface", "display counters outbound interface"],
            "cpu": ["display cpu-usage"],
            "environment": ["display version", "display device manuinfo", "display power", "display fan",
                            "display environment"],
        },
        "vendor": "HP/H3C",
        "ntc_platform": "hp_comware",
        "ifname_abbrev": {"GE": "GigabitEthernet", "XGE": "Ten-GigabitEthernet", "FGE": "FortyGigE",
                          "HGE": "HundredGigE", "BAGG": "Bridge-Aggregation", "RAGG": "Route-Aggregation",
                          "MGE": "M-GigabitEthernet", "Vlan": "Vlan-interface"},
        "ignore_ports": r"^(?:NULL|InLoop|Loop|Aux|Vlan-interface|Cellular|MP)\d",
        "parsers": {
            "display version": [
                {"parser": COMWARE_VERSION, "section": "device",
                 "fields": {"model": "model", "version": "version", "uptime_s": ("uptime", "uptime")}},
            ],
            "display interface": [
                {"parser": (NTC, "hp_comware_display_interface"), "section": "ports", "key": "interface",
                 "fields": {"admin_up": ("line_status", "match", (_ADMIN_DOWN, False, True)),
                            "oper_up": ("line_status", "updown"),
                            "speed": ("speed", "match", (r"(?i)unknown", None, "")),
                            "duplex": ("duplex", "duplex"), "description": "description",
                            "vlan": "vlan_native"}},
            ],
            "display interface brief": [
                {"parser": (NTC, "hp_comware_display_interface_brief"), "section": "ports", "key": "interface",
                 "fields": {"admin_up": ("link", "match", (_ADMIN_DOWN, False, True)),
                            "oper_up": ("link", "updown"), "duplex": ("duplex", "duplex"),
                            "vlan": "vlan_id"}},
            ],
            "display counters inbound interface": [
                {"parser": (NTC, "hp_comware_display_counters_bound_interface"), "section": "counters",
                 "key": "interface",
                 "fields": {"in_packets": ("packets_total", "int"), "in_errors": ("packets_error", "int")}},
            ],
            "display counters outbound interface": [
                {"parser": (NTC, "hp_comware_display_counters_bound_interface"), "section": "counters",
                 "key": "interface",
                 "fields": {"out_packets": ("packets_total", "int"), "out_errors": ("packets_error", "int")}},
            ],
            "display cpu-usage": [
                {"parser": COMWARE_CPU_USAGE, "section": "cpu", "fields": {"cpu_pct": ("cpu_pct", "float")}},
            ],
            "display device manuinfo": [
                # The chassis (or the first slot of a box switch): product name and serial.
                {"parser": (NTC, "hp_comware_display_device_manuinfo"), "section": "device",
                 "where": {"slot_type": r"^(?:Chassis|Slot)$", "device_serial_number": r"\S"},
                 "fields": {"model": "device_name", "serial": "device_serial_number"}},
            ],
            "display power": [
                {"parser": COMWARE_POWER, "section": "power", "key": ["Slot {slot} power {ps}", "Power {ps}"],
                 "fields": {"status": ("state", "hwstate")}},
            ],
            "display fan": [
                {"parser": COMWARE_FAN, "section": "fans", "key": ["Slot {slot} fan {fan}", "Fan {fan}"],
                 "fields": {"status": ("state", "hwstate")}},
            ],
            "display environment": [
                {"parser": COMWARE_ENVIRONMENT, "section": "sensors", "key": "Slot {slot} {sensor}",
                 "fields": {"celsius": ("celsius", "float"), "high": ("high", "float"),
                            "crit": ("crit", "float")}},
            ],
        },
    },
    "hp_procurve": {
        "commands": {
            "device": ["show system"],
            "ports": ["show interfaces brief"],
            "errors": ["show interfaces"],
            "cpu": ["show system"],
            "environment": ["show system", "show system power-supply", "show system fans",
                            "show system temperature"],
        },
        "vendor": "HP/Aruba",
        "ntc_platform": "hp_procurve",
        "ifname_abbrev": {},
        "ignore_ports": None,
        "parsers": {
            "show system": [
                {"parser": (NTC, "hp_procurve_show_system"), "section": "device",
                 "fields": {"version": "software_version", "serial": "serial", "hostname": "name",
                            "uptime_s": ("uptime", "uptime")}},
                {"parser": (NTC, "hp_procurve_show_system"), "section": "cpu",
                 "fields": {"cpu_pct": ("cpu_util", "float")}},
                {"parser": (NTC, "hp_procurve_show_system"), "section": "memory",
                 "fields": {"mem_total": ("mem_tot", "int"), "mem_free": ("mem_free", "int")}},
            ],
            "show interfaces brief": [
                {"parser": (NTC, "hp_procurve_show_interfaces_brief"), "section": "ports", "key": "port",
                 "fields": {"admin_up": ("enabled", "yesno"), "oper_up": ("status", "updown"),
                            "speed": ("mode", "match", (r"^\.$", None, "")),
                            "duplex": ("mode", "duplex")}},
            ],
            "show interfaces": [
                {"parser": (NTC, "hp_procurve_show_interfaces"), "section": "counters", "key": "port",
                 "fields": {"packets": ("total_frames", "int"), "in_errors": ("errors_rx", "int"),
                            "out_discards": ("drops_tx", "int")}},
            ],
            "show system power-supply": [
                {"parser": PROCURVE_POWER, "section": "power", "key": "PS {ps}",
                 "fields": {"status": ("state", "hwstate"), "model": "pid"}},
            ],
            "show system fans": [
                {"parser": PROCURVE_FANS, "section": "fans", "key": "fan",
                 "fields": {"status": ("state", "hwstate")}},
            ],
            "show system temperature": [
                {"parser": PROCURVE_TEMPERATURE, "section": "sensors", "key": "sensor",
                 "fields": {"celsius": ("celsius", "float"), "crit": ("crit", "float"),
                            "state": ("over", "match", (r"^YES$", "critical", None))}},
            ],
        },
    },
    "mikrotik_routeros": {
        "commands": {
            "device": ["/system resource print"],
            "ports": ["/interface ethernet print"],
            "errors": ["/interface ethernet print stats"],
            "cpu": ["/system resource print"],
            "environment": ["/system resource print", "/system routerboard print", "/system health print"],
        },
        "vendor": "MikroTik",
        "ntc_platform": "mikrotik_routeros",
        "ifname_abbrev": {},
        "ignore_ports": None,
        "parsers": {
            "/system resource print": [
                {"parser": (NTC, "mikrotik_routeros_system_resource_print"), "fallback": MIKROTIK_RESOURCE,
                 "section": "device",
                 "fields": {"model": "board_name", "version": "version", "uptime_s": ("uptime", "uptime")}},
                {"parser": (NTC, "mikrotik_routeros_system_resource_print"), "fallback": MIKROTIK_RESOURCE,
                 "section": "cpu", "fields": {"cpu_pct": ("cpu_load", "float")}},
                {"parser": (NTC, "mikrotik_routeros_system_resource_print"), "fallback": MIKROTIK_RESOURCE,
                 "section": "memory",
                 "fields": {"mem_total": ("total_memory", "size"), "mem_free": ("free_memory", "size")}},
            ],
            "/interface ethernet print": [
                {"parser": (NTC, "mikrotik_routeros_interface_ethernet_print"), "fallback": MIKROTIK_ETHERNET,
                 "section": "ports", "key": "name",
                 "fields": {"admin_up": ("status", "match", (r"^X$", False, True)),
                            "oper_up": ("status", "match", (r"^R$", True, False))}},
            ],
            "/interface ethernet print stats": [
                {"parser": MIKROTIK_ETHERNET_STATS, "section": "counters", "key": "name",
                 # A port on a switch chip (CRS3xx) has no rx-packet: its frames are the
                 # unicast, broadcast and multicast counts; driver-* counts only what
                 # reaches the CPU, so it is the last choice.
                 "fields": {"in_packets": ("rx-packet", "first_sum", _MIKROTIK_RX_PACKETS),
                            "out_packets": ("tx-packet", "first_sum", _MIKROTIK_TX_PACKETS),
                            # rx-error-events counts every input error where the chip has
                            # it; elsewhere the single error counters are added up.
                            "in_errors": ("rx-error-events", "or_sum", _MIKROTIK_RX_ERRORS),
                            "crc": ("rx-fcs-error", "int"),
                            "out_errors": (_MIKROTIK_TX_ERRORS, "sum"),
                            "in_discards": ("rx-drop", "int"), "out_discards": ("tx-drop", "int")}},
            ],
            "/system routerboard print": [
                {"parser": (NTC, "mikrotik_routeros_system_routerboard_print"), "section": "device",
                 "fields": {"model": "hardware_model", "serial": "serial_number"}},
            ],
            "/system health print": [
                {"parser": MIKROTIK_HEALTH_POWER, "section": "power", "key": "ps", "optional": True,
                 "fields": {"status": ("state", "hwstate")}},
                {"parser": MIKROTIK_HEALTH_FANS, "section": "fans", "key": "fan", "optional": True,
                 "fields": {"status": ("rpm", "rpmstate"), "rpm": ("rpm", "int")}},
                {"parser": MIKROTIK_HEALTH_SENSORS, "section": "sensors", "key": "sensor", "optional": True,
                 "fields": {"celsius": ("celsius", "float")}},
            ],
        },
    },
}

# Every platform, in table order (the module's choices, the role's preflight, the lab).
PLATFORMS = tuple(PARSER_TABLE)

# check -> commands, per platform (docs/DEVELOPING.md, "Switch commands").
COMMAND_MAP = {platform: entry["commands"] for platform, entry in PARSER_TABLE.items()}

# The model's sections the environment check fills besides ``device``, their fields, and
# the record category of each (module_utils/siak_switch_hw.py judges them).
HW_FIELDS = {"power": ("status", "model", "said"), "fans": ("status", "rpm", "said"),
             "sensors": ("celsius", "high", "crit", "state")}

# The fields of the model's ports and counters sections (see the docstring).
PORT_FIELDS = ("admin_up", "oper_up", "err_disabled", "speed", "duplex", "description", "vlan")
COUNTER_FIELDS = ("in_packets", "out_packets", "packets", "in_errors", "crc", "out_errors",
                  "in_discards", "out_discards")


class UnsafeCommand(ValueError):
    """A command the read-only guard refuses to send to a switch."""


def assert_read_only(command):
    """Return ``command`` when it is a read-only show/display/print command, else raise UnsafeCommand."""
    if not isinstance(command, str):
        reason = "not a text"
    elif "\r" in command or "\n" in command:
        reason = "it contains a line break (CR or LF)"
    elif any(not " " <= char <= "~" for char in command):
        reason = "it contains a control or non-ASCII character"
    elif not SAFE_COMMAND.fullmatch(command):
        reason = "only show/display/print commands (plain words, single spaces) are sent"
    else:
        return command
    raise UnsafeCommand("refusing to send %s to a switch: %s" % (ascii(command), reason))


# --------------------------------------------------------------------------------------
# The command list of a session
# --------------------------------------------------------------------------------------
def commands_for(platform, checks):
    """The commands one session sends for these checks, each once, in map order."""
    if platform not in COMMAND_MAP:
        raise ValueError("unsupported platform %r" % (platform,))
    out = []
    for check in ALL_CHECKS:
        if check in checks:
            for command in COMMAND_MAP[platform][check]:
                if command not in out:
                    out.append(command)
    for command in out:
        assert_read_only(command)
    return out


def counter_commands(platform):
    """The commands that give the error counters (sent again for a second sample)."""
    return list(COMMAND_MAP[platform]["errors"])
