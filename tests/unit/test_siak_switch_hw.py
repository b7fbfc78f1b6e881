"""The switch hardware of SOP step 2: the ``environment`` check's parsers on the captured
output (tests/unit/fixtures/switch/), its judge (module_utils/siak_switch_hw.py) and the
module's hardware outputs and state."""


import pytest

from ansible.module_utils.siak_result import CRITICAL, OK, UNKNOWN, WARNING, validate
from ansible.module_utils import siak_switch_hw as hw
from ansible.module_utils import siak_switch_parse as sw
from ansible.module_utils import siak_switch_session
from ansible.module_utils.siak_switch_platforms import ENVIRONMENT, PLATFORMS, commands_for

from .switch_fixtures import fixture, outputs_for, stamped


def _env(platform, outputs=None):
    return sw.collect(platform, outputs if outputs is not None else outputs_for(platform), [ENVIRONMENT])


def _parts(section):
    """A model section (key -> {name, ...}) or a parse_command section (name -> {...}) as name -> fields."""
    return {item.get("name", key): {k: v for k, v in item.items() if k != "name"} for key, item in section.items()}


# ----------------------------------------------------------------------------- converters
@pytest.mark.parametrize("words, state", [
    (["OK"], "ok"), (["Normal"], "ok"), (["Good"], "ok"), (["Powered"], "ok"), (["Fan OK"], "ok"),
    (["NOT PRESENT"], "absent"), (["Not Present"], "absent"), (["Absent"], "absent"),
    (["No Input Power"], "fail"), (["Fan Failed"], "fail"), (["FanDirectionFault"], "fail"),
    (["Permanent Failure"], "fail"), (["fail"], "fail"), (["NOT OK"], "fail"), (["FAULTY"], "fail"),
    (["Present", "Normal"], "ok"), (["Present", "Abnormal"], "fail"), (["Absent", "Normal"], "absent"),
    ([""], None), ([None], None), (["whatever"], None),
])
def test_hardware_state_words(words, state):
    assert sw.to_hwstate(words) == state


@pytest.mark.parametrize("word, state", [("GREEN", "ok"), ("Normal", "ok"), ("OK", "ok"), ("YELLOW", "warning"),
                                         ("Minor", "warning"), ("RED", "critical"), ("Fatal", "critical"),
                                         ("FAULTY", "critical"), ("bad", "critical"), ("NOT OK", "critical"),
                                         ("Not  OK", "critical"), ("WEIRD", None), ("", None), (None, None)])
def test_sensor_state_words(word, state):
    assert sw.to_tempstate(word) == state


# ----------------------------------------------------------------------------- captured output, exact values
def test_cisco_show_environment_all_and_inventory_real():
    model = _env("cisco_ios")
    assert model["failures"] == []
    # A failed part keeps the switch's own words: "No Input Power" is a cable to check.
    assert _parts(model["power"]) == {"PS 1A": {"status": "fail", "model": "PWR-C4-950WAC-R", "said": "No Input Power"},
                                      "PS 1B": {"status": "ok", "model": "PWR-C4-950WAC-R"}}
    records = {r["item"]: r for r in hw.judge_environment(model)[0]}
    assert records["PS 1A"]["status"] == "CRITICAL"
    assert records["PS 1A"]["message"] == "Catu daya rusak / tidak normal; switch menyebut: No Input Power"
    assert records["PS 1A"]["message_en"] == "Power supply failed / not OK; the switch says: No Input Power"
    assert records["PS 1B"]["message"] == "Catu daya normal"
    fans = _parts(model["fans"])
    assert [fans["Fan 1/%d" % n] for n in range(1, 6)] == [{"status": "ok", "rpm": 35840}] * 5
    assert fans["Fan PS-1"]["status"] == "absent" and fans["Fan PS-2"]["status"] == "ok"
    assert _parts(model["sensors"]) == {
        "Switch 1 Inlet": {"celsius": 29.0, "high": 46.0, "crit": 56.0, "state": "ok"},
        "Switch 1 Outlet": {"celsius": 40.0, "high": 105.0, "crit": 125.0, "state": "ok"},
        "Switch 1 Hotspot": {"celsius": 55.0, "high": 105.0, "crit": 125.0, "state": "ok"}}
    # show version comes first: its model and serial win; show inventory fills what it lacks.
    assert model["device"]["model"] == "WS-C3850-48U" and model["device"]["serial"] == "FOC11111111"
    inventory = sw.parse_command("cisco_ios", "show inventory", fixture("cisco_ios", "show inventory", "real"))
    assert inventory["device"] == {"model": "WS-C3850-24P-E", "serial": "FCW1932D0LB"}


def test_cisco_older_one_sensor_form_and_one_line_fan_and_power():
    text = ("FAN is OK\nSYSTEM TEMPERATURE is OK\nSystem Temperature Value: 42 Degree Celsius\n"
            "System Temperature State: GREEN\nYellow Threshold : 88 Degree Celsius\n"
            "Red Threshold    : 93 Degree Celsius\nPOWER is OK\n")
    parsed = sw.parse_command("cisco_ios", "show environment all", text)
    assert _parts(parsed["sensors"]) == {"System": {"celsius": 42.0, "high": 88.0, "crit": 93.0, "state": "ok"}}
    assert _parts(parsed["fans"]) == {"Fan": {"status": "ok", "rpm": None}}
    assert _parts(parsed["power"]) == {"Power": {"status": "ok", "model": None}}


# Catalyst 2960-S / 2960-X / 2960-XR (and 3560, 3750): one "Built-in" supply per stack member,
# the one-line verdicts, and the RPS table after the supplies.
BUILT_IN_3 = " 3  Built-in                                         Good\n"


def _env_all(text):
    """The cisco_ios fixtures of one session, with ``text`` as the answer to show environment all."""
    return _env("cisco_ios", dict(outputs_for("cisco_ios"), **{"show environment all": text}))


def test_cisco_2960s_built_in_supplies_real():
    """ntc-templates' 2960-S capture: four members, "Built-in" with Sys Pwr only, no bay letter."""
    text = fixture("cisco_ios", "show environment power all", "real")
    parsed = sw.parse_command("cisco_ios", "show environment all", text)
    assert _parts(parsed["power"]) == {"PS %d" % n: {"status": "ok", "model": None} for n in range(1, 5)}
    assert set(parsed) == {"power"}


def test_cisco_2960s_show_environment_all_healthy_stack_assembled():
    """The real 2960-S supply table between the verdict lines and the RPS table: four OK
    supplies, the one-line fan, and the temperature verdict as a sensor without degrees."""
    model = _env_all(fixture("cisco_ios", "show environment all", "assembled"))
    assert model["failures"] == []
    # (The model keeps only the fields a row tells: no PID, no degrees.)
    assert _parts(model["power"]) == {"PS %d" % n: {"status": "ok"} for n in range(1, 5)}
    assert _parts(model["fans"]) == {"Fan": {"status": "ok"}}
    assert _parts(model["sensors"]) == {"System": {"state": "ok"}}
    records, hardware, not_applicable = hw.judge_environment(model)
    assert all(validate(r) == [] for r in stamped(records))
    got = _statuses(records)
    assert [got[("hw-power", "PS %d" % n)] for n in range(1, 5)] == [OK] * 4
    temp = next(r for r in records if r["category"] == "hw-temp")
    assert (temp["item"], temp["status"]) == ("System", OK)
    assert temp["message"] == "Suhu normal menurut switch (tanpa angka)"
    assert temp["message_en"] == "Temperature normal according to the switch (no reading)"
    assert not_applicable == []
    assert hardware["power"] == [{"name": "PS %d" % n, "status": "ok"} for n in range(1, 5)]


def test_cisco_2960s_a_dead_built_in_supply_is_critical_with_the_switchs_word():
    text = fixture("cisco_ios", "show environment all", "assembled")
    assert text.count(BUILT_IN_3) == 1
    model = _env_all(text.replace(BUILT_IN_3, BUILT_IN_3.replace("Good", "Bad ")))
    assert _parts(model["power"])["PS 3"] == {"status": "fail", "said": "Bad"}
    records = {r["item"]: r for r in hw.judge_environment(model)[0] if r["category"] == "hw-power"}
    assert {name: r["status"] for name, r in records.items()} == {"PS 1": OK, "PS 2": OK, "PS 3": CRITICAL, "PS 4": OK}
    assert records["PS 3"]["message"] == "Catu daya rusak / tidak normal; switch menyebut: Bad"
    assert records["PS 3"]["message_en"] == "Power supply failed / not OK; the switch says: Bad"


@pytest.mark.parametrize("row", ["  1  Not Present     <>", "  2  Active          RPS-2300          FDO1234X0AB  1",
                                 "1   Not Present     <>"])
def test_cisco_the_rps_table_is_not_read_as_supplies(row):
    rps = (" SW  Status          RPS Name          RPS Serial#  RPS Port#\n"
           " --  -------------   ----------------  -----------  ---------\n" + row + "\n")
    with pytest.raises(sw.ParseError, match="no rows of power or fans or sensors"):
        sw.parse_command("cisco_ios", "show environment all", rps)
    text = fixture("cisco_ios", "show environment power all", "real") + "\n" + rps
    parsed = sw.parse_command("cisco_ios", "show environment all", text)
    assert list(parsed["power"]) == ["PS 1", "PS 2", "PS 3", "PS 4"]


def test_cisco_a_built_in_row_with_a_status_word_reads_both():
    row = " 1  Built-in                         Not Responding  Bad\n"
    parsed = sw.parse_command("cisco_ios", "show environment all", row)
    assert _parts(parsed["power"]) == {"PS 1": {"status": "fail", "model": None, "said": "Not Responding, Bad"}}


@pytest.mark.parametrize("verdicts, sensors, statuses", [
    ("TEMPERATURE is OK\n", {"System": "ok"}, {"System": OK}),
    ("SYSTEM TEMPERATURE is FAULTY\n", {"System": "critical"}, {"System": CRITICAL}),
    ("SYSTEM TEMPERATURE is WARNING\n", {"System": "warning"}, {"System": WARNING}),
    ("Switch 1: SYSTEM TEMPERATURE is OK\nSwitch 2: SYSTEM TEMPERATURE is FAULTY\n",
     {"Switch 1 System": "ok", "Switch 2 System": "critical"}, {"Switch 1 System": OK, "Switch 2 System": CRITICAL}),
    # A word the project does not know stays unknown (never OK).
    ("TEMPERATURE is DUBIOUS\n", {"System": None}, {"System": UNKNOWN}),
])
def test_cisco_a_temperature_verdict_without_values_is_a_sensor_with_only_a_state(verdicts, sensors, statuses):
    text = "FAN is OK\n" + verdicts + fixture("cisco_ios", "show environment power all", "real")
    model = _env_all(text)
    assert model["failures"] == []
    assert _parts(model["sensors"]) == {name: {"state": state} if state else {} for name, state in sensors.items()}
    records, _, not_applicable = hw.judge_environment(model)
    assert {r["item"]: r["status"] for r in records if r["category"] == "hw-temp"} == statuses
    assert not_applicable == []  # a 2960 that says "TEMPERATURE is FAULTY" is judged, not "not applicable"


def test_cisco_temperature_value_lines_without_a_sensor_word():
    """The 3750's and 2960's form: "Temperature Value: 46 Degree Celsius" under the verdict;
    the verdict adds no sensor of its own."""
    values = ("Temperature Value: 46 Degree Celsius\nTemperature State: GREEN\n"
              "Yellow Threshold : 56 Degree Celsius\nRed Threshold    : 66 Degree Celsius\n")
    text = "FAN is OK\nTEMPERATURE is OK\n" + values + fixture("cisco_ios", "show environment power all", "real")
    parsed = sw.parse_command("cisco_ios", "show environment all", text)
    assert _parts(parsed["sensors"]) == {"System": {"celsius": 46.0, "high": 56.0, "crit": 66.0, "state": "ok"}}
    assert len(parsed["power"]) == 4
    stack = "Switch 1: SYSTEM TEMPERATURE is OK\n" + values + "Switch 2: SYSTEM TEMPERATURE is OK\n" + values
    parsed = sw.parse_command("cisco_ios", "show environment all", stack)
    assert list(parsed["sensors"]) == ["Switch 1 System", "Switch 2 System"]
    rec = hw.judge_sensor(dict(parsed["sensors"]["Switch 1 System"], name="Switch 1 System"))
    assert (rec["status"], rec["value"], rec["warn"], rec["crit"]) == (OK, 46.0, 56.0, 66.0)


def test_cisco_3850_verdict_lines_beside_values_add_no_sensor():
    """ntc-templates' 3850 stack capture: "Switch N: SYSTEM TEMPERATURE is OK" above each
    member's values reads as exactly those values' sensors."""
    parsed = sw.parse_command("cisco_ios", "show environment all",
                              fixture("cisco_ios", "show environment temperature", "real"))
    assert _parts(parsed["sensors"]) == {
        "Switch 1 Inlet": {"celsius": 29.0, "high": 46.0, "crit": 56.0, "state": "ok"},
        "Switch 1 Hotspot": {"celsius": 67.0, "high": 105.0, "crit": 125.0, "state": "ok"},
        "Switch 2 Inlet": {"celsius": 28.0, "high": 46.0, "crit": 56.0, "state": "ok"},
        "Switch 2 Hotspot": {"celsius": 69.0, "high": 105.0, "crit": 125.0, "state": "ok"}}


def test_a_switch_that_does_not_know_the_command_is_unknown_not_zero_degrees():
    """napalm's temp_cmd_fail capture: the caret and '% Invalid input'."""
    outputs = dict(outputs_for("cisco_ios"), **{
        "show environment all": "show env temperature status\n                  ^\n"
                                "% Invalid input detected at '^' marker.\n"})
    model = _env("cisco_ios", outputs)
    assert model["sensors"] is None and model["power"] is None
    records, _, not_applicable = hw.judge_environment(model)
    unknowns = {(r["category"], r["item"]) for r in records if r["status"] == UNKNOWN}
    assert unknowns == {("hw-power", "show environment all"), ("hw-fan", "show environment all"),
                        ("hw-temp", "show environment all")}
    assert not_applicable == []  # a check that applies but cannot be read is never "not applicable"


def test_huawei_display_device_temperature_and_esn_real():
    model = _env("huawei")
    assert model["failures"] == []
    assert _parts(model["power"]) == {"PWR%d" % n: {"status": "ok", "model": "PHD-3000WA"} for n in range(1, 5)}
    assert _parts(model["fans"]) == {"FAN%d" % n: {"status": "ok"} for n in range(1, 7)}
    sensors = _parts(model["sensors"])
    assert list(sensors) == ["Slot 1 Environment1", "Slot 1 Environment2", "Slot 1 CPU", "Slot 1 LSW-0", "Slot 1 LSW-1"]
    assert sensors["Slot 1 LSW-1"] == {"celsius": 84.0, "high": 105.0, "crit": 120.0, "state": "ok"}
    assert sensors["Slot 1 Environment1"] == {"celsius": 53.0, "high": 75.0, "crit": 85.0, "state": "ok"}
    assert model["device"]["serial"] == "2102550AFWP0H6000080"


def test_huawei_card_form_of_display_device_tells_no_power_or_fans():
    text = ("Slot/Card  Type            Online   Power Register     Alarm     \n"
            "----------------------------------------------------------------\n"
            "1/3        CE-MPUA         Present  On    Registered   Normal    \n")
    with pytest.raises(sw.ParseError, match="no rows of power or fans"):
        sw.parse_command("huawei", "display device", text)


def test_comware_manuinfo_real_and_format_fixtures():
    model = _env("hp_comware")
    assert model["failures"] == []
    manuinfo = sw.parse_command("hp_comware", "display device manuinfo",
                                fixture("hp_comware", "display device manuinfo", "real"))
    assert manuinfo["device"] == {"model": "5130 48G 4SFP+ 1-slot HI JH324A", "serial": "CN12AB12AB"}
    assert _parts(model["power"]) == {"Slot 1 power 1": {"status": "ok"}, "Slot 1 power 2": {"status": "absent"}}
    assert _parts(model["fans"]) == {"Slot 1 fan 1": {"status": "ok"}, "Slot 1 fan 2": {"status": "fail", "said": "FanDirectionFault"}}
    assert _parts(model["sensors"]) == {"Slot 1 hotspot 1": {"celsius": 38.0, "high": 85.0, "crit": 95.0},
                                        "Slot 1 hotspot 2": {"celsius": 81.0, "high": 80.0, "crit": 90.0}}


def test_procurve_format_fixtures():
    model = _env("hp_procurve")
    assert model["failures"] == []
    assert _parts(model["power"]) == {"PS 1": {"status": "ok", "model": "J9828A"},
                                      "PS 2": {"status": "absent"}}
    assert _parts(model["fans"]) == {"Sys-1": {"status": "ok"}, "Sys-2": {"status": "fail", "said": "Fan Failed"}}
    assert _parts(model["sensors"]) == {"Chassis": {"celsius": 34.0, "crit": 55.0}}
    assert model["device"]["serial"] == "AB12CDE3FH"


def test_mikrotik_health_v6_real_has_no_fans_or_supplies():
    parsed = sw.parse_command("mikrotik_routeros", "/system health print",
                              fixture("mikrotik_routeros", "system health print", "real"))
    assert set(parsed) == {"sensors"}
    assert _parts(parsed["sensors"]) == {"temperature": {"celsius": 28.0}}
    model = _env("mikrotik_routeros")
    assert model["device"]["serial"] == "CC210E592C82"
    _, _, not_applicable = hw.judge_environment(model)
    assert not_applicable == [
        {"category": "hw-power", "item": "power", "reason": "switch tidak melaporkan catu daya",
         "reason_en": "the switch reports no power supplies"},
        {"category": "hw-fan", "item": "fan", "reason": "switch tidak melaporkan kipas",
         "reason_en": "the switch reports no fans"}]


def test_mikrotik_health_v7_table_derived():
    parsed = sw.parse_command("mikrotik_routeros", "/system health print",
                              fixture("mikrotik_routeros", "system health print", "derived"))
    assert _parts(parsed["power"]) == {"psu1": {"status": "ok"}, "psu2": {"status": "fail", "said": "fail"}}
    assert _parts(parsed["fans"]) == {"fan1": {"status": "ok", "rpm": 6090}, "fan2": {"status": "ok", "rpm": 6030}}
    assert list(_parts(parsed["sensors"])) == ["temperature", "cpu-temperature", "sfp-temperature",
                                               "board-temperature1", "board-temperature2"]


def test_garbage_is_a_failure_of_the_command():
    with pytest.raises(sw.ParseError):
        sw.parse_command("mikrotik_routeros", "/system health print", "qwe rty\nuiop asdf\n")


@pytest.mark.parametrize("platform", PLATFORMS)
def test_every_platform_reads_its_environment_fixtures(platform):
    model = _env(platform)
    assert model["failures"] == []
    records, hardware, _ = hw.judge_environment(model)
    assert all(validate(r) == [] for r in stamped(records))
    assert hardware["system"]["vendor"] and hardware["system"]["serial"]
    assert hardware["sensors"]
    assert [r["category"] for r in records][0] == "hw-system"


# ----------------------------------------------------------------------------- judging
def _statuses(records):
    return {(r["category"], r["item"]): r["status"] for r in records}


def test_judging_the_captured_outputs():
    cisco, _, _ = hw.judge_environment(_env("cisco_ios"))
    got = _statuses(cisco)
    assert got[("hw-power", "PS 1A")] == CRITICAL and got[("hw-power", "PS 1B")] == OK
    assert got[("hw-fan", "Fan PS-1")] == OK  # an empty bay is no fault
    assert got[("hw-system", "system")] == OK
    comware, _, _ = hw.judge_environment(_env("hp_comware"))
    got = _statuses(comware)
    assert got[("hw-temp", "Slot 1 hotspot 2")] == WARNING  # 81 C against its own warning point 80
    assert got[("hw-fan", "Slot 1 fan 2")] == CRITICAL
    assert got[("hw-power", "Slot 1 power 2")] == OK


@pytest.mark.parametrize("sensor, status, warn", [
    ({"celsius": 56.0, "high": 46.0, "crit": 56.0}, CRITICAL, 46.0),
    ({"celsius": 46.0, "high": 46.0, "crit": 56.0}, WARNING, 46.0),
    ({"celsius": 45.9, "high": 46.0, "crit": 56.0}, OK, 46.0),
    ({"celsius": 51.0, "high": None, "crit": 56.0}, WARNING, 51.0),  # crit - 5 when only crit is known
    ({"celsius": 50.9, "high": None, "crit": 56.0}, OK, 51.0),
    ({"celsius": 70.0, "high": None, "crit": None, "state": "warning"}, WARNING, None),
    # Neither points nor a verdict (RouterOS): the default points 70 / 85 C.
    ({"celsius": 95.0, "high": None, "crit": None}, CRITICAL, 70.0),
    ({"celsius": 72.0, "high": None, "crit": None}, WARNING, 70.0),
    ({"celsius": 38.0, "high": None, "crit": None}, OK, 70.0),
])
def test_a_sensor_is_judged_against_its_own_points(sensor, status, warn):
    rec = hw.judge_sensor(dict(sensor, name="Inlet"))
    assert (rec["category"], rec["item"], rec["status"], rec["warn"]) == ("hw-temp", "Inlet", status, warn)
    assert rec["unit"] == "C" and rec["value"] == sensor["celsius"]


def test_default_points_are_named_in_the_message():
    rec = hw.judge_sensor({"name": "temperature", "celsius": 95.0})
    assert rec["message"] == "Suhu 95 °C, melewati batas kritis (batas bawaan: batas peringatan 70 °C, batas kritis 85 °C)"


def test_a_sensor_without_a_reading_is_unknown():
    assert hw.judge_sensor({"name": "x", "celsius": None})["status"] == UNKNOWN


@pytest.mark.parametrize("state, status, message, message_en", [
    ("ok", OK, "Suhu normal menurut switch (tanpa angka)", "Temperature normal according to the switch (no reading)"),
    ("warning", WARNING, "Suhu tinggi menurut switch (tanpa angka)",
     "Temperature high according to the switch (no reading)"),
    ("critical", CRITICAL, "Suhu kritis menurut switch (tanpa angka)",
     "Temperature critical according to the switch (no reading)"),
    (None, UNKNOWN, "Suhu tidak terbaca", "Temperature could not be read"),
])
def test_a_sensor_with_only_the_switchs_verdict_is_judged_by_it(state, status, message, message_en):
    rec = hw.judge_sensor({"name": "System", "celsius": None, "high": None, "crit": None, "state": state})
    assert (rec["status"], rec["message"], rec["message_en"]) == (status, message, message_en)
    assert rec["unit"] is None and rec["warn"] is None and rec["crit"] is None


def _model(power=None, fans=None):
    def section(items):
        if items is None:
            return None
        return {name.lower(): {"name": name, "status": status} for name, status in items.items()}
    return {"platform": "cisco_ios", "vendor": "Cisco", "device": {"model": "X", "serial": "S", "version": "1",
                                                                  "uptime_s": 86400},
            "power": section(power), "fans": section(fans), "sensors": None, "failures": []}


def test_an_empty_bay_that_was_present_last_round_is_a_warning_and_a_gone_part_too():
    previous = {"power": [{"name": "PS 1A", "status": "ok"}, {"name": "PS 1B", "status": "ok"}],
                "fans": [{"name": "Fan 1/1", "status": "ok"}, {"name": "Fan 1/2", "status": "absent"}]}
    records, hardware, not_applicable = hw.judge_environment(
        _model(power={"PS 1A": "ok", "PS 1B": "absent"}, fans={"Fan 1/2": "absent"}), previous)
    got = _statuses(records)
    assert got[("hw-power", "PS 1B")] == WARNING
    assert got[("hw-fan", "Fan 1/1")] == WARNING  # listed last round, gone now
    assert got[("hw-fan", "Fan 1/2")] == OK  # absent then, absent now
    assert hardware["power"] == [{"name": "PS 1A", "status": "ok"}, {"name": "PS 1B", "status": "absent"}]
    assert not_applicable == [{"category": "hw-temp", "item": "temperature", "reason": "switch tidak melaporkan suhu",
                               "reason_en": "the switch reports no temperatures"}]


def test_without_a_previous_round_an_empty_bay_is_informational():
    records, _, _ = hw.judge_environment(_model(power={"PS 1A": "ok", "PS 1B": "absent"}), None)
    rec = next(r for r in records if r["item"] == "PS 1B")
    assert rec["status"] == OK and rec["message"] == "Slot kosong: catu daya tidak terpasang"
    assert rec["message_en"] == "Empty bay: no power supply installed"


def test_a_snapshot_of_the_wrong_shape_is_no_previous_round():
    records, _, _ = hw.judge_environment(_model(power={"PS 1A": "absent"}), {"power": "broken"})
    assert _statuses(records)[("hw-power", "PS 1A")] == OK


def test_the_system_row_says_what_the_switch_is():
    (rec,) = hw.judge_system(_model())
    assert rec["value"] == "X" and rec["status"] == OK
    assert rec["message"] == "Cisco X, nomor seri S, versi 1, menyala 1 hari"
    assert rec["message_en"] == "Cisco X, serial S, version 1, up 1 days"


# ----------------------------------------------------------------------------- the module
@pytest.fixture(scope="module")
def mod():
    return siak_switch_session


class _FixtureConnection:
    def __init__(self, outputs):
        self.outputs = outputs
        self.sent = []
        self.key_policy = None

    def _open(self):
        """The login."""

    def send_command(self, command, read_timeout=None):
        self.sent.append(command)
        return self.outputs[command]

    def paramiko_cleanup(self):
        """Closing."""


def _run(mod, monkeypatch, tmp_path, platform, state, checks):
    conn = _FixtureConnection(outputs_for(platform))
    monkeypatch.setattr(mod, "ConnectHandler", lambda **kwargs: conn)
    (tmp_path / "known_hosts").write_text("")
    params = {name: spec.get("default") for name, spec in mod.ARGUMENT_SPEC.items()}
    params.update(platform=platform, host="192.0.2.1", username="u", password="p", checks=checks, state=state,
                  known_hosts=str(tmp_path / "known_hosts"))

    def warn(msg):
        raise AssertionError(msg)

    return mod.run(params, warn), conn


def test_environment_alone_keeps_the_step_3_state_and_returns_the_hardware(mod, monkeypatch, tmp_path):
    previous = {"schema": 1, "platform": "hp_procurve", "uptime": {"ts": 1.0, "uptime_s": 5},
                "counters": {"ts": 1.0, "ports": {"1": {"in_errors": 3}}},
                "hardware": {"power": [{"name": "PS 2", "status": "ok"}], "fans": [], "sensors": []}}
    result, conn = _run(mod, monkeypatch, tmp_path, "hp_procurve", previous, ["environment"])
    assert conn.sent == commands_for("hp_procurve", ["environment"])
    assert result["previous_hardware"] == previous["hardware"]
    assert result["hardware"]["power"] == [{"name": "PS 1", "status": "ok"}, {"name": "PS 2", "status": "absent"}]
    state = result["state"]
    assert {k: state[k] for k in ("schema", "platform", "uptime", "counters")} == {
        k: previous[k] for k in ("schema", "platform", "uptime", "counters")}
    assert state["hardware"] == result["hardware"]
    got = _statuses(result["records"])
    assert got[("hw-power", "PS 2")] == WARNING  # present last round, an empty bay now
    assert got[("hw-fan", "Sys-2")] == CRITICAL
    assert not [r for r in result["records"] if not r["category"].startswith("hw-")]
    assert result["not_applicable"] == []


def test_a_first_round_has_no_previous_hardware(mod, monkeypatch, tmp_path):
    result, _ = _run(mod, monkeypatch, tmp_path, "mikrotik_routeros", {}, ["environment"])
    assert result["previous_hardware"] is None
    assert [n["category"] for n in result["not_applicable"]] == ["hw-power", "hw-fan"]


def test_step_3_checks_return_no_hardware_keys(mod, monkeypatch, tmp_path):
    result, conn = _run(mod, monkeypatch, tmp_path, "cisco_ios", {}, ["device", "cpu"])
    assert "hardware" not in result and "not_applicable" not in result
    assert "show environment all" not in conn.sent
