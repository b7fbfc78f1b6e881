# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Switch platforms as data: what to send, how to parse it, how to read it.

Pure Python (no network): the module ``siak_switch_check`` sends the commands and hands
the raw text here. Two tables describe every platform, and a new vendor is one entry in
each, nothing else:

``COMMAND_MAP[platform]``
    check name (``device``, ``ports``, ``errors``, ``cpu``) -> the commands that check
    needs (docs/DEVELOPING.md fixes them; only show/display/print commands).

``PARSER_TABLE[platform]``
    ``vendor`` and ``ntc_platform``, ``ifname_abbrev`` (short interface names -> long),
    ``ignore_ports`` (pseudo interfaces never reported) and ``parsers``: command -> list
    of readings. A reading names its parser (an ntc-templates template, or a declarative
    table where ntc-templates has none) and maps the parsed fields onto one of the
    sections of the common model:

    device    vendor, model, serial, version, hostname, uptime_s
    ports     name -> admin_up, oper_up, err_disabled, speed, duplex, description, vlan
    counters  name -> in_packets, out_packets, packets, in_errors, crc, out_errors,
              in_discards, out_discards (ints; None where the platform does not tell)
    cpu       cpu_pct
    memory    mem_pct, or mem_total and mem_free (bytes)

Declarative tables (``kind``):

``fields``      one record; ``fields`` maps a name to a regex with one group, searched in
                the whole text.
``blocks``      one record per block; a block starts at a line that matches ``start``
                (its named group ``key`` is the interface), ``fields`` regexes are
                searched inside the block.
``transposed``  one record per column of a "label: v1 v2 v3" table whose first row is
                ``header`` (MikroTik ``print stats``: values are right-aligned under the
                port name and their digits are grouped with spaces).

``collect()`` turns the outputs of one session into the model, ``judge_ports()`` and
``judge_device()`` into result records. Error rates are in ``siak_rates``.
"""

from __future__ import annotations

import os
import re

from ansible.module_utils.siak_result import (CRITICAL, OK, WARNING, format_number, judge,
                                              record, unknown)

CHECKS = ("device", "ports", "errors", "cpu")

# Only these commands may ever reach a switch: show / display / RouterOS "/menu ... print".
# ASCII words separated by single spaces, anchored on the whole text (\A...\Z, not ^...$,
# which would accept a trailing newline): no tab, CR, LF, pipe or ';' can add a second
# command. assert_read_only() is the one check; commands_for() and the module's
# Session.send() both call it.
_WORD = r"[A-Za-z0-9_-]+"
SAFE_COMMAND = re.compile(r"\A(?:(?:show|display)(?: {w})+|/{w}(?: {w})* print(?: {w})*)\Z".format(w=_WORD))

# Text a switch answers instead of output when it refuses a command.
REFUSAL = re.compile(
    r"^\s*(?:%\s*(?:Invalid|Unrecognized|Incomplete|Ambiguous|Unknown)|Error:|Invalid input|"
    r"bad command name|syntax error|expected end of command|Unrecognized command)",
    re.IGNORECASE | re.MULTILINE)

NTC = "ntc"

# What an interface name looks like on every platform here (GigabitEthernet1/0/1, 24,
# Eth-Trunk4.10, ether1, vlan10@bond1).
IFNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./:@-]{0,63}$")

# --------------------------------------------------------------------------------------
# The command map (docs/DEVELOPING.md, "Switch commands").
# --------------------------------------------------------------------------------------
COMMAND_MAP = {
    "cisco_ios": {
        "device": ["show version"],
        "ports": ["show interfaces", "show interfaces status"],
        "errors": ["show interfaces"],
        "cpu": ["show processes cpu"],
    },
    "huawei": {
        "device": ["display version"],
        "ports": ["display interface", "display interface brief"],
        # The brief output's InErrors/OutErrors columns give an error verdict for a port
        # whose paragraph is missing from the full output.
        "errors": ["display interface", "display interface brief"],
        "cpu": ["display cpu-usage"],
    },
    "hp_comware": {
        "device": ["display version"],
        "ports": ["display interface", "display interface brief"],
        "errors": ["display counters inbound interface", "display counters outbound interface"],
        "cpu": ["display cpu-usage"],
    },
    "hp_procurve": {
        "device": ["show system"],
        "ports": ["show interfaces brief"],
        "errors": ["show interfaces"],
        "cpu": ["show system"],
    },
    "mikrotik_routeros": {
        "device": ["/system resource print"],
        "ports": ["/interface ethernet print"],
        "errors": ["/interface ethernet print stats"],
        "cpu": ["/system resource print"],
    },
}

# --------------------------------------------------------------------------------------
# Declarative parsers for the outputs ntc-templates cannot read.
# --------------------------------------------------------------------------------------
HUAWEI_INTERFACE_COUNTERS = {
    # VRP "display interface": the Input: and Output: paragraphs of each interface.
    "kind": "blocks",
    "start": r"^(?P<key>\S+) current state\s*:",
    "fields": {
        "in_packets": r"(?m)^\s*Input:\s*(\d+) packets",
        "out_packets": r"(?m)^\s*Output:\s*(\d+) packets",
        "in_discards": r"(?ms)^\s*Input:.*?Discard:\s*(\d+)",
        "out_discards": r"(?ms)^\s*Output:.*?Discard:\s*(\d+)",
        "in_errors": r"(?ms)^\s*Input:.*?Total Error:\s*(\d+)",
        "out_errors": r"(?ms)^\s*Output:.*?Total Error:\s*(\d+)",
        "crc": r"(?m)^\s*CRC:\s*(\d+)",
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

_MIKROTIK_RX_ERRORS = ("rx-fcs-error|rx-align-error|rx-fragment|rx-too-short|rx-too-long|rx-jabber|"
                       "rx-code-error|rx-length-error|rx-error-events|rx-carrier-error")
_MIKROTIK_TX_ERRORS = ("tx-fcs-error|tx-underrun|tx-collision|tx-late-collision|tx-excessive-collision|"
                       "tx-carrier-sense-error")

# --------------------------------------------------------------------------------------
# The parser table: per platform, per command, how to read it into the model.
# A field is "source" (text), (source, converter) or (source, converter, argument);
# "a|b|c" with the "sum" converter adds the fields that are present, "first_int" takes the
# first that is present; "or_sum" takes the source, or else the sum of its argument's fields.
# --------------------------------------------------------------------------------------
_ADMIN_DOWN = r"(?i)admin|^ADM$|^\*down"

PARSER_TABLE = {
    "cisco_ios": {
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
        },
    },
    "huawei": {
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
                 "fields": {name: (name, "int") for name in HUAWEI_INTERFACE_COUNTERS["fields"]}},
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
        },
    },
    "hp_comware": {
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
        },
    },
    "hp_procurve": {
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
        },
    },
    "mikrotik_routeros": {
        "vendor": "MikroTik",
        "ntc_platform": "mikrotik_routeros",
        "ifname_abbrev": {},
        "ignore_ports": None,
        "parsers": {
            "/system resource print": [
                {"parser": (NTC, "mikrotik_routeros_system_resource_print"), "section": "device",
                 "fields": {"model": "board_name", "version": "version", "uptime_s": ("uptime", "uptime")}},
                {"parser": (NTC, "mikrotik_routeros_system_resource_print"), "section": "cpu",
                 "fields": {"cpu_pct": ("cpu_load", "float")}},
                {"parser": (NTC, "mikrotik_routeros_system_resource_print"), "section": "memory",
                 "fields": {"mem_total": ("total_memory", "size"), "mem_free": ("free_memory", "size")}},
            ],
            "/interface ethernet print": [
                {"parser": (NTC, "mikrotik_routeros_interface_ethernet_print"), "section": "ports", "key": "name",
                 "fields": {"admin_up": ("status", "match", (r"^X$", False, True)),
                            "oper_up": ("status", "match", (r"^R$", True, False))}},
            ],
            "/interface ethernet print stats": [
                {"parser": MIKROTIK_ETHERNET_STATS, "section": "counters", "key": "name",
                 "fields": {"in_packets": ("rx-packet|driver-rx-packet", "first_int"),
                            "out_packets": ("tx-packet|driver-tx-packet", "first_int"),
                            # rx-error-events counts every input error where the chip has
                            # it; elsewhere the single error counters are added up.
                            "in_errors": ("rx-error-events", "or_sum", _MIKROTIK_RX_ERRORS),
                            "crc": ("rx-fcs-error", "int"),
                            "out_errors": (_MIKROTIK_TX_ERRORS, "sum"),
                            "in_discards": ("rx-drop", "int"), "out_discards": ("tx-drop", "int")}},
            ],
        },
    },
}

PORT_FIELDS = ("admin_up", "oper_up", "err_disabled", "speed", "duplex", "description", "vlan")
COUNTER_FIELDS = ("in_packets", "out_packets", "packets", "in_errors", "crc", "out_errors",
                  "in_discards", "out_discards")
# When two readings disagree, the value that shows trouble wins.
_STICKY = {"admin_up": False, "err_disabled": True, "oper_up": False}


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


def is_read_only(command):
    """True when assert_read_only() lets ``command`` through."""
    try:
        assert_read_only(command)
    except UnsafeCommand:
        return False
    return True


class ParseError(Exception):
    """Output of one command that could not be read."""

    def __init__(self, command, reason):
        super().__init__("%s: %s" % (command, reason))
        self.command = command
        self.reason = reason


# --------------------------------------------------------------------------------------
# Converters
# --------------------------------------------------------------------------------------
_UPTIME_UNITS = (
    (r"years?|yrs?", 365 * 86400), (r"weeks?|wks?", 7 * 86400), (r"days?", 86400),
    (r"hours?|hrs?", 3600), (r"minutes?|mins?", 60), (r"seconds?|secs?", 1),
)
_UPTIME_WORD = re.compile(r"(\d+)\s*(" + "|".join(u for u, _ in _UPTIME_UNITS) + r")\b", re.IGNORECASE)
_UPTIME_COMPACT = re.compile(r"^(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
_UPTIME_CLOCK = re.compile(r"(?:(\d+)\s*days?,?\s*)?(\d+):(\d{2})(?::(\d{2}))?\s*$", re.IGNORECASE)


def parse_uptime(text):
    """Return an uptime text as seconds, or None.

    Reads "28 weeks, 1 day, 7 hours, 54 minutes" (Cisco), "161 days, 0 hour, 20 minutes"
    (Huawei), "35 weeks,3 days,5 hours,55 minutes" (Comware), "84 days" (ProCurve),
    "6w5d11h55m45s" (MikroTik) and "2 days, 03:04:05".
    """
    if text is None:
        return None
    text = str(text).strip()
    if not text:
        return None
    compact = _UPTIME_COMPACT.match(text)
    if compact and any(compact.groups()):
        weeks, days, hours, minutes, seconds = (int(g or 0) for g in compact.groups())
        return (((weeks * 7 + days) * 24 + hours) * 60 + minutes) * 60 + seconds
    clock = _UPTIME_CLOCK.search(text)
    if clock:
        days, hours, minutes, seconds = (int(g or 0) for g in clock.groups())
        return ((days * 24 + hours) * 60 + minutes) * 60 + seconds
    total, found = 0, False
    for number, unit in _UPTIME_WORD.findall(text):
        for pattern, factor in _UPTIME_UNITS:
            if re.fullmatch(pattern, unit, re.IGNORECASE):
                total += int(number) * factor
                found = True
                break
    return total if found else None


def to_int(value):
    """Counter text -> int: drops thousands separators (commas, spaces); '-' or '' -> None."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    text = re.sub(r"[,\s]", "", str(value))
    return int(text) if text.isdigit() else None


def to_float(value):
    """'12', '4.5%', '0.00' -> float; anything else -> None."""
    if value is None:
        return None
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*%?\s*$", str(value))
    return float(match.group(1)) if match else None


_SIZE_FACTORS = {"": 1, "b": 1, "kib": 1024, "kb": 1000, "mib": 1024 ** 2, "mb": 1000 ** 2,
                 "gib": 1024 ** 3, "gb": 1000 ** 3}


def to_size(value):
    """'40.2MiB' -> bytes (int); None when unreadable."""
    if value is None:
        return None
    match = re.match(r"^\s*(\d+(?:\.\d+)?)\s*([KMG]i?B|B)?\s*$", str(value), re.IGNORECASE)
    if not match:
        return None
    return int(float(match.group(1)) * _SIZE_FACTORS[(match.group(2) or "").lower()])


def to_duplex(value):
    """Normalise duplex texts of every vendor to 'full', 'half' or None."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if "half" in text or text in ("h", "a-half", "h(a)") or text.endswith("hdx"):
        return "half"
    if "full" in text or text in ("f", "a-full", "f(a)") or text.endswith("fdx"):
        return "full"
    return None


def to_updown(value):
    """'up', 'UP', 'connected', 'Up' -> True; 'down', 'notconnect', 'ADM', '*down' -> False."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if not text:
        return None
    if text.startswith("up") or text == "connected":
        return True
    if "down" in text or text in ("notconnect", "disabled", "err-disabled", "adm", "inactive",
                                  "suspended", "stby", "monitoring"):
        return False
    return None


def _str(value):
    if value is None:
        return None
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    text = str(value).strip()
    return text or None


def _first(value):
    if isinstance(value, list):
        return _str(value[0]) if value else None
    return _str(value)


def _match(value, arg):
    pattern, if_match, if_not = arg
    if value is None:
        return None
    if re.search(pattern, str(value).strip()):
        return if_match
    return _str(value) if if_not == "" else if_not


def _flag(value, pattern):
    if value is None:
        return None
    return True if re.search(pattern, str(value)) else None


def _yesno(value):
    text = (_str(value) or "").lower()
    return {"yes": True, "no": False}.get(text)


CONVERTERS = {
    "str": lambda v, a: _str(v),
    "first": lambda v, a: _first(v),
    "int": lambda v, a: to_int(v),
    "float": lambda v, a: to_float(v),
    "size": lambda v, a: to_size(v),
    "uptime": lambda v, a: parse_uptime(v),
    "duplex": lambda v, a: to_duplex(v),
    "updown": lambda v, a: to_updown(v),
    "yesno": lambda v, a: _yesno(v),
    "match": _match,
    "flag": _flag,
}


def _convert(row, spec):
    """Read one model field from a parsed row according to its spec."""
    if isinstance(spec, str):
        spec = (spec, "str")
    source, conv = spec[0], spec[1]
    arg = spec[2] if len(spec) > 2 else None
    names = source.split("|")
    if conv == "sum":
        values = [to_int(row.get(n)) for n in names]
        values = [v for v in values if v is not None]
        return sum(values) if values else None
    if conv == "or_sum":
        value = to_int(row.get(source))
        return value if value is not None else _convert(row, (arg, "sum"))
    if conv == "first_int":
        for name in names:
            value = to_int(row.get(name))
            if value is not None:
                return value
        return None
    return CONVERTERS[conv](row.get(source), arg)


# --------------------------------------------------------------------------------------
# Parsers
# --------------------------------------------------------------------------------------
def _ntc_template_dir():
    import ntc_templates  # pylint: disable=import-outside-toplevel

    return os.path.join(os.path.dirname(ntc_templates.__file__), "templates")


def parse_ntc(template, text):
    """Parse text with one named ntc-templates template; rows as dicts, lower-case keys."""
    import textfsm  # pylint: disable=import-outside-toplevel

    with open(os.path.join(_ntc_template_dir(), template + ".textfsm"), encoding="utf-8") as handle:
        fsm = textfsm.TextFSM(handle)
    rows = fsm.ParseText(text)
    header = [h.lower() for h in fsm.header]
    return [dict(zip(header, row)) for row in rows]


def parse_fields(table, text):
    """Declarative ``fields`` table: one record of regex captures (empty when none matched)."""
    row = {}
    for name, pattern in table["fields"].items():
        match = re.search(pattern, text)
        if match:
            row[name] = match.group(1)
    if any(name not in row for name in table.get("required", [])) or not row:
        return []
    return [row]


def parse_blocks(table, text):
    """Declarative ``blocks`` table: one record per block that starts at ``start``."""
    start = re.compile(table["start"], re.MULTILINE)
    heads = list(start.finditer(text))
    rows = []
    for index, head in enumerate(heads):
        end = heads[index + 1].start() if index + 1 < len(heads) else len(text)
        block = text[head.start():end]
        row = {"key": head.group("key")}
        for name, pattern in table["fields"].items():
            match = re.search(pattern, block)
            if match:
                row[name] = match.group(1)
        rows.append(row)
    return rows


def parse_transposed(table, text):
    """Declarative ``transposed`` table (MikroTik ``print stats``): one record per column.

    The header row ("name: ether1 ether2") gives each column's right edge, counted from
    the colon (labels are right-aligned, so the colon is the anchor of every row, even when
    the SSH client stripped the first line's indentation); every value is read from its
    column's slice of the row, so "1 234 567" (digits grouped with spaces) stays one
    number. Several header rows (a wide table wrapped) start new column sets.
    """
    header = re.compile(table["header"])
    columns = {}
    order = []
    edges = None
    for line in text.splitlines():
        if header.match(line):
            colon = line.index(":") + 1
            edges = []
            for token in re.finditer(r"\S+", line[colon:]):
                edges.append((token.group(0), token.end()))
            for name, _ in edges:
                if name not in columns:
                    columns[name] = {"name": name}
                    order.append(name)
            continue
        if edges is None or ":" not in line:
            continue
        label, _, _ = line.partition(":")
        label = label.strip()
        if not re.fullmatch(r"[\w-]+", label):
            continue
        colon = line.index(":") + 1
        left = 0
        for name, right in edges:
            cell = line[colon + left:colon + right].strip()
            left = right
            if cell:
                columns[name][label] = cell
    return [columns[name] for name in order]


_DECLARATIVE = {"fields": parse_fields, "blocks": parse_blocks, "transposed": parse_transposed}


def run_parser(parser, text):
    """Run one parser spec: (NTC, template) or a declarative table; return the rows."""
    if isinstance(parser, tuple) and parser[0] == NTC:
        return parse_ntc(parser[1], text)
    return _DECLARATIVE[parser["kind"]](parser, text)


# --------------------------------------------------------------------------------------
# Interface names
# --------------------------------------------------------------------------------------
def canonical_ifname(platform, name):
    """Long form of an interface name: 'Gi1/0/1' -> 'GigabitEthernet1/0/1' (cisco_ios).

    Drops Huawei's '(10G)' suffix and surrounding blanks; names already long are kept.
    """
    if name is None:
        return None
    name = re.sub(r"\(\d+[GM]\)$", "", str(name).strip())
    abbrev = PARSER_TABLE[platform]["ifname_abbrev"]
    match = re.match(r"^([A-Za-z-]+)(\d.*)$", name)
    if match and match.group(1) in abbrev:
        return abbrev[match.group(1)] + match.group(2)
    return name


def _ifkey(name):
    return name.lower()


# --------------------------------------------------------------------------------------
# The command list of a session, and collecting the model from the outputs
# --------------------------------------------------------------------------------------
def commands_for(platform, checks):
    """The commands one session sends for these checks, each once, in map order."""
    if platform not in COMMAND_MAP:
        raise ValueError("unsupported platform %r" % (platform,))
    out = []
    for check in CHECKS:
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


_CHECK_SECTIONS = {"device": ("device",), "ports": ("ports",), "errors": ("counters",),
                   "cpu": ("cpu", "memory")}


def parse_command(platform, command, text, sections=None):
    """Parse one command's output into {section: data}. Raises ParseError.

    ``sections`` limits the readings to those sections (None: all).
    """
    if text is None or not str(text).strip():
        raise ParseError(command, "empty output")
    refusal = REFUSAL.search(text)
    if refusal:
        raise ParseError(command, "switch refused the command: %s" % refusal.group(0).strip()[:80])
    table = PARSER_TABLE[platform]
    result = {}
    readings = table["parsers"].get(command)
    if not readings:
        raise ParseError(command, "no parser for this command")
    cache = {}
    for reading in readings:
        section = reading["section"]
        if sections is not None and section not in sections:
            continue
        parser = reading["parser"]
        cache_key = id(parser) if not isinstance(parser, tuple) else parser
        try:
            if cache_key not in cache:
                cache[cache_key] = run_parser(parser, text)
            rows = cache[cache_key]
        except Exception as exc:  # textfsm raises its own error types on unexpected lines
            raise ParseError(command, "output does not parse (%s)" % type(exc).__name__) from None
        if not rows:
            raise ParseError(command, "output does not parse (no records)")
        if "key" in reading:
            data = {}
            for row in rows:
                name = canonical_ifname(platform, row.get(reading["key"]))
                if not name or not IFNAME.match(name):
                    continue  # a line of noise that a loose template took for an interface
                data[name] = {field: _convert(row, spec) for field, spec in reading["fields"].items()}
            if not data:
                raise ParseError(command, "output does not parse (no interfaces)")
        else:
            data = {field: _convert(rows[0], spec) for field, spec in reading["fields"].items()}
            if all(value is None for value in data.values()):
                raise ParseError(command, "output does not parse (no values)")
        result[section] = data
    return result


def _merge_keyed(target, data, fields):
    for name, values in data.items():
        key = _ifkey(name)
        entry = target.setdefault(key, {"name": name})
        for field in fields:
            value = values.get(field)
            if value is None:
                continue
            if entry.get(field) is None or (field in _STICKY and value == _STICKY[field]):
                entry[field] = value


def collect(platform, outputs, checks):
    """Turn one session's outputs into the model.

    ``outputs``: command -> raw text. Returns a dict with device, ports, counters, cpu,
    memory (each None when not asked or not readable) and ``failures``: a list of
    (check, command, reason) for outputs that could not be read.
    """
    model = {"platform": platform, "vendor": PARSER_TABLE[platform]["vendor"], "device": None,
             "ports": None, "counters": None, "cpu": None, "memory": None, "failures": []}
    ignore = PARSER_TABLE[platform].get("ignore_ports")
    for check in CHECKS:
        if check not in checks:
            continue
        sections = _CHECK_SECTIONS[check]
        for command in COMMAND_MAP[platform][check]:
            try:
                parsed = parse_command(platform, command, outputs.get(command), sections)
            except ParseError as exc:
                model["failures"].append((check, exc.command, exc.reason))
                continue
            for section, data in parsed.items():
                if section == "ports":
                    model["ports"] = model["ports"] or {}
                    _merge_keyed(model["ports"], data, PORT_FIELDS)
                elif section == "counters":
                    model["counters"] = model["counters"] or {}
                    _merge_keyed(model["counters"], data, COUNTER_FIELDS)
                else:
                    current = model[section] or {}
                    for field, value in data.items():
                        if current.get(field) is None:
                            current[field] = value
                    model[section] = current
    if ignore:
        for section in ("ports", "counters"):
            if model[section]:
                model[section] = {k: v for k, v in model[section].items() if not re.search(ignore, v["name"])}
    if model["device"] is not None:
        model["device"]["vendor"] = model["vendor"]
    return model


# --------------------------------------------------------------------------------------
# Judging: ports, device, cpu/memory -> result records
# --------------------------------------------------------------------------------------
def failure_records(model):
    """One UNKNOWN record per command whose output could not be read."""
    category = {"device": "device", "ports": "port", "errors": "port-errors", "cpu": "cpu"}
    out = []
    for check, command, reason in model["failures"]:
        out.append(unknown(category[check], command,
                           "Keluaran perintah '%s' tidak dapat dibaca (%s)" % (command, reason),
                           "The output of '%s' could not be read (%s)" % (command, reason)))
    return out


def judge_ports(model, platform, uplinks=(), half_duplex_ok=()):
    """Records of category ``port``: one per interface, plus missing required uplinks.

    err-disabled -> CRITICAL; a required uplink that is down -> CRITICAL; admin-down
    (not an uplink) -> OK; half duplex where full is expected -> WARNING; up -> OK;
    down and not an uplink -> OK (nothing plugged in); state unknown -> UNKNOWN.
    """
    ports = model.get("ports") or {}
    uplink_keys = {_ifkey(canonical_ifname(platform, u)): u for u in uplinks or ()}
    half_ok = {_ifkey(canonical_ifname(platform, p)) for p in half_duplex_ok or ()}
    out = []
    for key, port in sorted(ports.items(), key=lambda kv: _natural(kv[1]["name"])):
        out.append(_judge_port(port, key in uplink_keys, key in half_ok))
    if model.get("ports") is not None:
        for key, original in uplink_keys.items():
            if key not in ports:
                out.append(unknown("port", str(original),
                                   "Uplink wajib '%s' tidak ditemukan di switch" % original,
                                   "Required uplink '%s' was not found on the switch" % original))
    return out


def _natural(name):
    return [int(p) if p.isdigit() else p.lower() for p in re.split(r"(\d+)", name)]


def _judge_port(port, is_uplink, half_ok):
    name = port["name"]
    admin_up, oper_up = port.get("admin_up"), port.get("oper_up")
    duplex, speed = port.get("duplex"), port.get("speed")
    details = {"admin_up": admin_up, "oper_up": oper_up, "speed": speed, "duplex": duplex,
               "description": port.get("description"), "vlan": port.get("vlan"), "uplink": is_uplink}
    role_id, role_en = ("Uplink wajib", "Required uplink") if is_uplink else ("Port", "Port")
    if port.get("err_disabled"):
        return record("port", name, CRITICAL, "%s err-disabled (dimatikan otomatis oleh switch)" % role_id,
                      value="err-disabled", message_en="%s is err-disabled (shut by the switch)" % role_en,
                      details=details)
    if admin_up is False:
        if is_uplink:
            return record("port", name, CRITICAL, "Uplink wajib dinonaktifkan oleh admin", value="admin-down",
                          message_en="Required uplink is administratively down", details=details)
        return record("port", name, OK, "Port dinonaktifkan oleh admin", value="admin-down",
                      message_en="Port disabled by the administrator", details=details)
    if oper_up is None:
        return unknown("port", name, "Status port tidak diketahui", "Port state is unknown", details=details)
    if not oper_up:
        if is_uplink:
            return record("port", name, CRITICAL, "Uplink wajib mati (link down)", value="down",
                          message_en="Required uplink is down", details=details)
        return record("port", name, OK, "Port tidak terhubung", value="down",
                      message_en="Port not connected", details=details)
    link = ", ".join(x for x in (speed, "%s duplex" % duplex if duplex else None) if x)
    suffix = " (%s)" % link if link else ""
    if duplex == "half" and not half_ok:
        return record("port", name, WARNING, "%s berjalan half duplex, seharusnya full duplex%s" % (role_id, suffix),
                      value="up", message_en="%s runs half duplex; it should be full duplex%s" % (role_en, suffix),
                      details=details)
    return record("port", name, OK, "%s aktif%s" % (role_id, suffix), value="up",
                  message_en="%s up%s" % (role_en, suffix), details=details)


def format_uptime(seconds):
    """Seconds -> '28 hari 7 jam' style text (Bahasa Indonesia) and its English twin."""
    days, rest = divmod(int(seconds), 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    return ("%d hari %d jam %d menit" % (days, hours, minutes), "%d d %d h %d min" % (days, hours, minutes))


def rebooted_since(uptime, previous_uptime, now):
    """True when the switch restarted after the previous reading.

    ``previous_uptime``: {"ts": epoch, "uptime_s": int} or None. A restart shows as an
    uptime that went down, or as an uptime shorter than the time since the previous
    reading (the switch came back up and has been running for a while). The second test
    allows for the resolution of the uptime text (whole days on ProCurve, minutes on
    Cisco).
    """
    if not previous_uptime or previous_uptime.get("uptime_s") is None or uptime is None:
        return False
    if uptime < previous_uptime["uptime_s"]:
        return True
    if now is None or previous_uptime.get("ts") is None:
        return False
    resolution = 86400 if uptime % 86400 == 0 else 60 if uptime % 60 == 0 else 1
    return uptime + resolution < now - previous_uptime["ts"]


def judge_device(model, previous_uptime=None, now=None):
    """Records of category ``device``: ``version`` (what it is) and ``uptime``.

    ``previous_uptime``: {"ts": epoch, "uptime_s": int} of the previous round, or None;
    ``now``: epoch of this reading. A restart since then -> WARNING (see rebooted_since).
    """
    device = model.get("device")
    if device is None:
        return []
    out = []
    ident = " ".join(x for x in (device.get("vendor"), device.get("model")) if x)
    version = device.get("version")
    details = {k: device.get(k) for k in ("vendor", "model", "serial", "version", "hostname")}
    text = "%s, versi %s" % (ident, version or "-")
    if device.get("serial"):
        text += ", serial %s" % device["serial"]
    text_en = text.replace("versi", "version")
    if version:
        out.append(record("device", "version", OK, text, value=version, message_en=text_en, details=details))
    else:
        out.append(unknown("device", "version", "Versi perangkat lunak tidak terbaca (%s)" % ident,
                           "Software version could not be read (%s)" % ident, details=details))
    uptime = device.get("uptime_s")
    if uptime is None:
        out.append(unknown("device", "uptime", "Uptime tidak terbaca", "Uptime could not be read"))
        return out
    up_id, up_en = format_uptime(uptime)
    prev = (previous_uptime or {}).get("uptime_s")
    details = {"uptime_s": uptime, "previous_uptime_s": prev}
    if rebooted_since(uptime, previous_uptime, now):
        out.append(record("device", "uptime", WARNING,
                          "Switch dinyalakan ulang sejak putaran sebelumnya (uptime %s)" % up_id,
                          value=uptime, unit="s",
                          message_en="Switch rebooted since the previous round (uptime %s)" % up_en,
                          details=details))
    else:
        out.append(record("device", "uptime", OK, "Menyala selama %s" % up_id, value=uptime, unit="s",
                          message_en="Up for %s" % up_en, details=details))
    return out


def judge_resources(model, cpu_warn=80.0, cpu_crit=90.0, mem_warn=80.0, mem_crit=90.0):
    """Records of category ``cpu`` and ``memory`` where the platform tells them."""
    out = []
    cpu = (model.get("cpu") or {}).get("cpu_pct")
    if cpu is not None:
        status = judge(cpu, cpu_warn, cpu_crit)
        out.append(record("cpu", "utilization", status, "Beban CPU %s %%" % format_number(float(cpu)),
                          value=cpu, unit="%", warn=cpu_warn, crit=cpu_crit,
                          message_en="CPU load %.1f %%" % cpu))
    memory = model.get("memory") or {}
    pct = memory.get("mem_pct")
    total, free = memory.get("mem_total"), memory.get("mem_free")
    if pct is None and total and free is not None:
        pct = round(100.0 * (total - free) / total, 1)
    if pct is not None:
        status = judge(pct, mem_warn, mem_crit)
        out.append(record("memory", "used", status, "Memori terpakai %s %%" % format_number(float(pct)),
                          value=pct, unit="%", warn=mem_warn, crit=mem_crit,
                          message_en="Memory used %.1f %%" % pct,
                          details={"total_bytes": total, "free_bytes": free}))
    return out


def counters_sample(model):
    """The counters of the model as a state sample: {interface name: {field: int}}."""
    out = {}
    for port in (model.get("counters") or {}).values():
        out[port["name"]] = {f: port.get(f) for f in COUNTER_FIELDS if port.get(f) is not None}
    return out
