"""Error rates between counter samples (module_utils/siak_switch_rates.py)."""

import pytest

from ansible.module_utils.siak_result import CRITICAL, OK, UNKNOWN, WARNING, validate
from ansible.module_utils import siak_switch_rates as rates


def sample(ts, **ports):
    return rates.make_sample(ports, ts)


def port(in_packets=1_000_000, out_packets=1_000_000, in_errors=0, out_errors=0, **extra):
    return dict(in_packets=in_packets, out_packets=out_packets, in_errors=in_errors, out_errors=out_errors, **extra)


def one(previous, current, thresholds=None):
    (rec,) = rates.error_records(previous, current, thresholds)
    assert validate(dict(rec, step=3, target="sw")) == []
    return rec


def test_no_growth_is_ok_with_zero_percent():
    rec = one(sample(0, ge1=port()), sample(30, ge1=port(in_packets=1_100_000)))
    assert rec["status"] == OK and rec["value"] == 0.0 and rec["unit"] == "%"
    assert (rec["warn"], rec["crit"]) == (0.01, 0.1)
    assert rec["details"]["interval_s"] == 30.0
    assert rec["details"]["deltas"]["in_packets"] == 100_000


def test_old_errors_in_the_counter_do_not_alarm():
    # 28898 errors of history (a real Catalyst port), none new: OK.
    before = port(in_packets=5_000_000, in_errors=28898, crc=14167)
    after = port(in_packets=5_050_000, in_errors=28898, crc=14167)
    rec = one(sample(0, fa29=before), sample(60, fa29=after))
    assert rec["status"] == OK
    assert rec["details"]["counters"]["in_errors"] == 28898  # raw counter shown as context


@pytest.mark.parametrize("new_errors, status", [(5, OK), (10, WARNING), (99, WARNING), (100, CRITICAL)])
def test_percent_thresholds(new_errors, status):
    # 100 000 packets + new errors: 10 errors ~ 0.01 %, 100 ~ 0.1 %.
    before = port(in_packets=0, out_packets=0)
    after = port(in_packets=100_000 - new_errors, out_packets=0, in_errors=new_errors)
    rec = one(sample(0, p=before), sample(10, p=after))
    assert rec["status"] == status
    assert rec["value"] == pytest.approx(100.0 * new_errors / 100_000, abs=1e-4)


def test_output_errors_count_too():
    rec = one(sample(0, p=port(in_packets=0, out_packets=0)), sample(10, p=port(in_packets=0, out_packets=999, out_errors=1)))
    assert rec["status"] == CRITICAL and rec["value"] == 0.1


def test_errors_without_packets_are_100_percent():
    rec = one(sample(0, p=port()), sample(10, p=port(in_errors=5)))
    assert rec["value"] == 100.0 and rec["status"] == CRITICAL


def test_counter_that_went_down_is_unknown_reset_never_an_alarm():
    rec = one(sample(0, p=port(in_errors=500)), sample(30, p=port(in_packets=10, out_packets=10, in_errors=0)))
    assert rec["status"] == UNKNOWN
    assert "direset" in rec["message"] and "reset" in rec["message_en"]
    assert set(rec["details"]["reset_fields"]) == {"in_packets", "out_packets", "in_errors"}


def test_absolute_rate_threshold_is_optional_and_takes_the_worst():
    previous = sample(0, p=port(in_packets=0, out_packets=0))
    current = sample(10, p=port(in_packets=100_000_000, out_packets=0, in_errors=50))  # 5 errors/s, 0.00005 %
    assert one(previous, current)["status"] == OK
    rec = one(previous, current, {"rate_warn": 1, "rate_crit": 10})
    assert rec["status"] == WARNING and rec["details"]["errors_per_s"] == 5.0
    assert one(previous, current, {"rate_crit": 5})["status"] == CRITICAL


def test_thresholds_are_overridable():
    previous = sample(0, p=port(in_packets=0, out_packets=0))
    current = sample(10, p=port(in_packets=99_950, out_packets=0, in_errors=50))  # 0.05 %
    assert one(previous, current)["status"] == WARNING
    assert one(previous, current, {"pct_warn": 1.0, "pct_crit": 5.0})["status"] == OK


def test_no_previous_sample_is_unknown():
    rec = one(None, sample(10, p=port()))
    assert rec["status"] == UNKNOWN and rec["details"]["counters"]["in_packets"] == 1_000_000


def test_new_port_without_earlier_sample_is_unknown_others_judged():
    records = {r["item"]: r for r in rates.error_records(sample(0, a=port()), sample(10, a=port(), b=port()))}
    assert records["a"]["status"] == OK and records["b"]["status"] == UNKNOWN


def test_zero_interval_is_unknown():
    assert one(sample(10, p=port()), sample(10, p=port()))["status"] == UNKNOWN


def test_total_frames_only_platform():
    # ProCurve: one "Total Frames" counter and "Errors Rx".
    previous = sample(0, p={"packets": 1000, "in_errors": 0})
    current = sample(10, p={"packets": 2000, "in_errors": 2})
    rec = one(previous, current)
    assert rec["status"] == CRITICAL and rec["value"] == pytest.approx(100 * 2 / 1002, abs=1e-4)


def test_port_without_error_counters_is_unknown():
    rec = one(sample(0, p={"in_packets": 1}), sample(10, p={"in_packets": 5}))
    assert rec["status"] == UNKNOWN


def test_has_usable_previous():
    assert not rates.has_usable_previous(None, {"a": {}})
    assert not rates.has_usable_previous({"ports": {"a": {}}}, {"a": {}})  # no ts
    assert not rates.has_usable_previous(sample(0, b=port()), {"a": {}})
    assert rates.has_usable_previous(sample(0, a=port()), {"a": {}})


def test_error_columns_without_packet_counts_are_judged_not_skipped():
    # Huawei "display interface brief": InErrors/OutErrors only.
    quiet = one(sample(0, p={"in_errors": 3, "out_errors": 0}), sample(10, p={"in_errors": 3, "out_errors": 0}))
    assert quiet["status"] == OK and quiet["value"] == 0
    noisy = one(sample(0, p={"in_errors": 3, "out_errors": 0}), sample(10, p={"in_errors": 9, "out_errors": 1}))
    assert noisy["status"] == rates.WARNING and noisy["value"] == 7 and "paket tidak tersedia" in noisy["message"]


def test_listed_ports_without_counters_are_unknown_naming_why():
    out = rates.uncounted_records(["GigabitEthernet0/0/3", "GigabitEthernet0/0/4"])
    assert [(r["category"], r["item"], r["status"]) for r in out] == [
        ("port-errors", "GigabitEthernet0/0/3", UNKNOWN), ("port-errors", "GigabitEthernet0/0/4", UNKNOWN)]
    assert "tidak memuat port ini" in out[0]["message"] and out[0]["warn"] == 0.01
    failed = rates.uncounted_records(["1"], "perintah penghitung galat tidak memberi data", "no data")
    assert failed[0]["message"].endswith("perintah penghitung galat tidak memberi data")


def test_a_routers_subinterface_is_judged_on_its_counted_parent():
    """Real capture (ntc-templates cisco_ios_show_interfaces3.raw): a branch router's
    802.1Q subinterfaces list no counters of their own in "show interfaces"."""
    from pathlib import Path

    from ansible.module_utils.siak_switch_parse import collect, counters_sample

    text = (Path(__file__).parent / "fixtures" / "switch" / "captures" / "cisco_ios" / "show_interfaces"
            / "cisco_ios_show_interfaces3.raw").read_text(encoding="utf-8")
    model = collect("cisco_ios", {"show interfaces": text}, ["errors"])
    counted = counters_sample(model)
    assert counted["GigabitEthernet0/0.44"] == {} and counted["GigabitEthernet0/0"]["in_packets"] > 0
    previous = rates.make_sample(counted, 1000.0)
    grown = {name: {f: v + (3 if f == "in_errors" else 1000) for f, v in fields.items()}
             for name, fields in counted.items()}
    records = {r["item"]: r for r in rates.error_records(previous, rates.make_sample(grown, 1060.0))}
    assert all(validate(dict(r, step=3, target="rtr")) == [] for r in records.values())
    sub = records["GigabitEthernet0/0.44"]
    assert sub["status"] == OK and "GigabitEthernet0/0" in sub["message"]
    assert sub["details"] == {"parent": "GigabitEthernet0/0"}
    # The parent's errors are judged on its own record: 3 in 2,003 frames is CRITICAL.
    assert records["GigabitEthernet0/0"]["status"] == CRITICAL
    assert records["FastEthernet0/1/0.50"]["status"] == OK


def test_a_huawei_dialer_is_judged_on_its_counted_ppp_channel():
    """Real capture (ntc-templates huawei_vrp_display_interface_dialer_1.raw): an AR router's
    Dialer1 has no counters of its own; its PPP channel Dialer1:0 counts packets and
    framing errors ("FCS error packets:0") under "Packets statistics:"."""
    from pathlib import Path

    from ansible.module_utils.siak_switch_parse import collect, counters_sample

    text = (Path(__file__).parent / "fixtures" / "switch" / "captures" / "huawei_vrp" / "display_interface"
            / "huawei_vrp_display_interface_dialer_1.raw").read_text(encoding="utf-8")
    model = collect("huawei", {"display interface": text}, ["errors"])
    counted = counters_sample(model)
    assert counted == {"Dialer1": {}, "Dialer1:0": {"in_packets": 86, "out_packets": 135, "in_errors": 0}}
    previous = rates.make_sample(counted, 1000.0)
    quiet = {r["item"]: r for r in rates.error_records(previous, rates.make_sample(counted, 1060.0))}
    assert quiet["Dialer1:0"]["status"] == OK and quiet["Dialer1:0"]["value"] == 0
    dialer = quiet["Dialer1"]
    assert dialer["status"] == OK and "Dialer1:0" in dialer["message"] and "Dialer1:0" in dialer["message_en"]
    assert dialer["details"] == {"channel": "Dialer1:0"}
    assert all(validate(dict(r, step=3, target="rtr")) == [] for r in quiet.values())
    # FCS, address and control-field errors all count: 2 + 1 + 1 new errors in 1,004 frames.
    grown_text = (text.replace("Input packets:86,", "Input packets:1086,")
                  .replace("FCS error packets:0", "FCS error packets:2")
                  .replace("Address error packets:0", "Address error packets:1")
                  .replace("Control field control error packets:0", "Control field control error packets:1"))
    grown = counters_sample(collect("huawei", {"display interface": grown_text}, ["errors"]))
    noisy = {r["item"]: r for r in rates.error_records(previous, rates.make_sample(grown, 1060.0))}
    assert noisy["Dialer1:0"]["status"] == CRITICAL and noisy["Dialer1:0"]["details"]["deltas"]["in_errors"] == 4
    assert noisy["Dialer1"]["status"] == OK


def test_a_dialer_whose_channel_is_not_counted_stays_unknown():
    previous = sample(1000.0, **{"Dialer1": {}, "Dialer1:0": {}})
    current = sample(1060.0, **{"Dialer1": {}, "Dialer1:0": {}})
    records = {r["item"]: r for r in rates.error_records(previous, current)}
    assert records["Dialer1"]["status"] == UNKNOWN and records["Dialer1:0"]["status"] == UNKNOWN


def test_a_subinterface_whose_parent_is_not_counted_stays_unknown():
    previous = sample(1000.0, **{"Gi0/0.6": {}, "Gi0/1": port()})
    current = sample(1060.0, **{"Gi0/0.6": {}, "Gi0/1": port()})
    records = {r["item"]: r for r in rates.error_records(previous, current)}
    assert records["Gi0/0.6"]["status"] == UNKNOWN
    # A port that merely has a dot in a name the switch counts is judged as any port.
    current = sample(1060.0, **{"Eth-Trunk4.10": port(in_errors=500)})
    assert one(sample(1000.0, **{"Eth-Trunk4.10": port()}), current)["status"] == CRITICAL
