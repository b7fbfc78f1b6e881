# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Switch outputs -> the common model (pure Python, no network).

``parse_command()`` reads one command's output with the readings of
``PARSER_TABLE[platform]["parsers"][command]`` (converters and declarative parsers here;
the table and the model's sections are described in ``siak_switch_platforms``);
``collect()`` turns the outputs of one session into the model, ``counters_sample()`` its
counters into a state sample for ``siak_switch_rates``.
"""

from __future__ import annotations

import os
import re

from ansible.module_utils.siak_switch_platforms import (ALL_CHECKS, COMMAND_MAP, COUNTER_FIELDS, HW_FIELDS, NTC,
                                                        PARSER_TABLE, PORT_FIELDS)

# Text a switch answers instead of output when it refuses a command.
REFUSAL = re.compile(
    r"^\s*(?:%\s*(?:Invalid|Unrecognized|Incomplete|Ambiguous|Unknown)|Error:|Invalid input|"
    r"bad command name|syntax error|expected end of command|Unrecognized command)",
    re.IGNORECASE | re.MULTILINE)

# What an interface name looks like on every platform here (GigabitEthernet1/0/1, 24,
# Eth-Trunk4.10, ether1, vlan10@bond1).
IFNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_./:@-]{0,63}$")

# What the name of a power supply, fan or sensor looks like ("PS 1A", "Slot 1 fan 2",
# "Switch 1 Inlet", "cpu-temperature"): printable ASCII words, no control characters.
HWNAME = re.compile(r"^[A-Za-z0-9][ -~]{0,63}$")

# When two readings disagree, the value that shows trouble wins.
_STICKY = {"admin_up": False, "err_disabled": True, "oper_up": False}


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


_SPEED = re.compile(r"^\s*(?:a-)?(\d+(?:\.\d+)?)\s*([gmk]?)", re.IGNORECASE)
_SPEED_FACTORS = {"g": 1000.0, "m": 1.0, "k": 0.001, "": 1.0}


def speed_mbps(value):
    """A port's speed as each vendor writes it, in Mb/s: '100Mb/s' (Cisco IOS), 'a-1000'
    (its status table), '1000' (Huawei), '40Gbps-speed' (Comware), '100FDx' (ProCurve),
    '10G'; None for 'Auto-speed', 'auto', '' or nothing."""
    match = _SPEED.match(str(value or ""))
    if not match:
        return None
    return float(match.group(1)) * _SPEED_FACTORS[match.group(2).lower()]


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


# Hardware state words of every vendor -> "absent", "fail" or "ok" (checked in that order:
# "Not Present" is no fault, "Fan not OK" is one).
_HW_ABSENT = re.compile(r"(?i)not\s*present|\babsent\b|^empty$|not installed")
_HW_FAIL = re.compile(r"(?i)fail|fault|abnormal|\bbad\b|no input|not\s*ok|not powered|critical|shutdown|"
                      r"err-?disable|\balarm|\bdown\b|\bred\b|\boff\b|error")
_HW_OK = re.compile(r"(?i)\bok\b|normal|good|powered|\bgreen\b|\bon\b|\bup\b|present")


def to_hwstate(values):
    """State words (one or several columns) -> 'absent', 'fail', 'ok' or None.

    Several columns (Huawei's Online and Alarm) are read together: an absent part is
    absent, any column that tells a fault makes it 'fail', else any 'ok' word.
    """
    texts = [str(v).strip() for v in values if v is not None and str(v).strip()]
    if not texts:
        return None
    if any(_HW_ABSENT.search(t) for t in texts):
        return "absent"
    if any(_HW_FAIL.search(t) for t in texts):
        return "fail"
    if any(_HW_OK.search(t) for t in texts):
        return "ok"
    return None


def to_tempstate(value):
    """A sensor's own verdict: GREEN/Normal/OK -> 'ok', YELLOW/Minor/Major -> 'warning',
    RED/Fatal/Critical and Cisco's "TEMPERATURE is FAULTY" (bad, not ok) -> 'critical';
    anything else None."""
    text = " ".join((_str(value) or "").lower().split())
    if text in ("green", "normal", "ok", "no"):
        return "ok"
    if text in ("yellow", "minor", "major", "warning", "abnormal", "high"):
        return "warning"
    if text in ("red", "fatal", "critical", "yes", "shutdown", "faulty", "bad", "not ok"):
        return "critical"
    return None


def _rpmstate(value):
    """A fan that reports its speed: 0 RPM -> 'fail', any other speed -> 'ok'."""
    rpm = to_int(value)
    if rpm is None:
        return None
    return "ok" if rpm > 0 else "fail"


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
    "tempstate": lambda v, a: to_tempstate(v),
    "rpmstate": lambda v, a: _rpmstate(v),
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
    if conv == "hwstate":
        return to_hwstate(row.get(n) for n in names)
    if conv == "first_sum":
        for alternative in arg:
            value = _convert(row, (alternative, "sum"))
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


def parse_rows(table, text):
    """Declarative ``rows`` table: one record per match of any pattern, in text order.

    ``context`` fields take the last match of their regex that starts before the row ends
    (the stack member or slot a row belongs to).
    """
    found = []
    for pattern in table["patterns"]:
        for match in re.finditer(pattern, text, re.MULTILINE):
            found.append((match.start(), match.end(), {k: v for k, v in match.groupdict().items() if v is not None}))
    found.sort(key=lambda item: item[0])
    rows = []
    for start, end, row in found:
        for name, pattern in (table.get("context") or {}).items():
            if row.get(name) is None:
                last = None
                for match in re.finditer(pattern, text[:end], re.MULTILINE):
                    last = match
                if last is not None:
                    row[name] = last.group(1)
        rows.append(row)
    return rows


_DECLARATIVE = {"fields": parse_fields, "blocks": parse_blocks, "transposed": parse_transposed, "rows": parse_rows}


def run_parser(parser, text):
    """Run one parser spec: (NTC, template) or a declarative table; return the rows."""
    if isinstance(parser, tuple) and parser[0] == NTC:
        return parse_ntc(parser[1], text)
    return _DECLARATIVE[parser["kind"]](parser, text)


def run_reading(reading, text):
    """The rows of one reading: its ``parser``'s, or its ``fallback``'s (a declarative table
    with the same field names) when the parser fails or finds nothing; a template that stops
    at a line it does not know (a newer firmware's) then does not cost the whole command."""
    fallback = reading.get("fallback")
    try:
        rows = run_parser(reading["parser"], text)
    except Exception:  # textfsm raises its own error types on unexpected lines
        if fallback is None:
            raise
        rows = []
    if not rows and fallback is not None:
        rows = run_parser(fallback, text)
    return rows


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


def row_key(reading, row):
    """The name of a keyed row: the ``key`` field, or the first of the ``key`` format
    strings whose fields the row has (see siak_switch_platforms)."""
    key = reading["key"]
    if isinstance(key, str) and "{" not in key:
        return row.get(key)
    for template in ([key] if isinstance(key, str) else key):
        names = re.findall(r"\{(\w+)\}", template)
        if all(_str(row.get(n)) for n in names):
            return " ".join(template.format(**{n: _str(row.get(n)) for n in names}).split())
    return None


def _where(reading, rows):
    where = reading.get("where")
    if not where:
        return rows
    return [row for row in rows if all(re.search(pattern, str(row.get(field) or "")) for field, pattern in where.items())]


def ifkey(name):
    """The key of an interface in the model's ports and counters (case-insensitive)."""
    return name.lower()


# --------------------------------------------------------------------------------------
# Collecting the model from the outputs of one session
# --------------------------------------------------------------------------------------
_CHECK_SECTIONS = {"device": ("device",), "ports": ("ports",), "errors": ("counters",),
                   "cpu": ("cpu", "memory"), "environment": ("device",) + tuple(HW_FIELDS)}


def parse_command(platform, command, text, sections=None):
    """Parse one command's output into {section: data}. Raises ParseError.

    ``sections`` limits the readings to those sections (None: all).
    """
    if text is None or not str(text).strip():
        raise ParseError(command, "empty output")
    refusal = REFUSAL.search(text)
    if refusal:
        line = text[refusal.start():].strip().splitlines()[0].strip()  # the match may start on a blank line
        raise ParseError(command, "switch refused the command: %s" % line[:80])
    table = PARSER_TABLE[platform]
    result = {}
    readings = table["parsers"].get(command)
    if not readings:
        raise ParseError(command, "no parser for this command")
    cache = {}
    empty = []
    for reading in readings:
        section = reading["section"]
        if sections is not None and section not in sections:
            continue
        parser, fallback = reading["parser"], reading.get("fallback")
        cache_key = (id(parser) if not isinstance(parser, tuple) else parser, id(fallback))
        try:
            if cache_key not in cache:
                cache[cache_key] = run_reading(reading, text)
            rows = _where(reading, cache[cache_key])
        except Exception as exc:  # textfsm raises its own error types on unexpected lines
            raise ParseError(command, "output does not parse (%s)" % type(exc).__name__) from None
        optional = reading.get("optional", False)
        if not rows:
            if optional:
                empty.append(section)
                continue
            raise ParseError(command, "output does not parse (no records)")
        if "key" in reading:
            hardware = section in HW_FIELDS
            data = {}
            for row in rows:
                if hardware:
                    name = row_key(reading, row)
                    if not name or not HWNAME.match(name):
                        continue
                else:
                    name = canonical_ifname(platform, row.get(reading["key"]))
                    if not name or not IFNAME.match(name):
                        continue  # a line of noise that a loose template took for an interface
                data[name] = {field: _convert(row, spec) for field, spec in reading["fields"].items()}
                said = _said(row, reading["fields"].get("status"))
                if said and data[name].get("status") not in ("ok", "absent"):
                    data[name]["said"] = said
            if not data:
                if optional:
                    empty.append(section)
                    continue
                raise ParseError(command, "output does not parse (no %s)" % ("items" if hardware else "interfaces"))
        else:
            data = {field: _convert(rows[0], spec) for field, spec in reading["fields"].items()}
            if all(value is None for value in data.values()):
                raise ParseError(command, "output does not parse (no values)")
        result[section] = data
    if empty and not result:
        # Every reading may be empty on its own (a switch without fans), but not all of them.
        raise ParseError(command, "output has no rows of %s" % " or ".join(empty))
    return result


def _said(row, spec):
    """The switch's own words behind a part's failed or unreadable state ("No Input Power"),
    for the record to show beside the verdict; None when the state is not read from words."""
    if not isinstance(spec, tuple) or spec[1] != "hwstate":
        return None
    words = []
    for name in spec[0].split("|"):
        text = _str(row.get(name))
        if text and text not in words:
            words.append(text)
    return ", ".join(words) or None


def _merge_keyed(target, data, fields):
    for name, values in data.items():
        key = ifkey(name)
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
             "ports": None, "counters": None, "cpu": None, "memory": None,
             "power": None, "fans": None, "sensors": None, "failures": []}
    ignore = PARSER_TABLE[platform].get("ignore_ports")
    for check in ALL_CHECKS:
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
                elif section in HW_FIELDS:
                    model[section] = model[section] or {}
                    _merge_keyed(model[section], data, HW_FIELDS[section])
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


def counters_sample(model):
    """The counters of the model as a state sample: {interface name: {field: int}}."""
    out = {}
    for port in (model.get("counters") or {}).values():
        out[port["name"]] = {f: port.get(f) for f in COUNTER_FIELDS if port.get(f) is not None}
    return out
