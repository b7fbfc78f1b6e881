"""Step 4 probe logic (module_utils/siak_probe.py) on captured ping output and known data."""

import datetime
from pathlib import Path

import pytest
import yaml

from ansible.module_utils.siak_probe import (
    bound_notes,
    MAX_COUNT, MAX_IPERF_SECONDS, MAX_WORKERS, MIN_INTERVAL_S, bound_count, bound_interval, bound_iperf_seconds,
    bound_timeout, bound_workers, cert_not_after, compare_with_baseline, dns_answer, dns_query, jitter, judge_cert,
    judge_iperf, judge_latency, judge_ping, judge_unresolved, next_perf_state, parse_ping, percentile,
    perf_state_problems, probe_address, probe_identity, probe_identity_of, stale_job_files, summarise)
from ansible.module_utils.siak_result import validate

FIXTURES = Path(__file__).parent / "fixtures" / "probe"
CASES = yaml.safe_load((FIXTURES / "cases.yml").read_text())


@pytest.mark.parametrize("case", CASES, ids=[c["file"] for c in CASES])
def test_parse_ping(case):
    assert parse_ping((FIXTURES / case["file"]).read_text()) == case["expect"]


def test_parse_ping_without_summary_is_none():
    assert parse_ping("ping: unknown host pusat.example") is None
    assert parse_ping("") is None


def test_rate_is_bounded_whatever_is_asked():
    assert bound_count(10_000) == MAX_COUNT == 20
    assert bound_count(0) == 1
    assert bound_interval(0) == MIN_INTERVAL_S == 0.5  # at most 2 requests a second to one address
    assert bound_interval(-5) == 0.5
    assert bound_timeout(600) == 10.0
    assert bound_timeout(0) == 0.5
    assert bound_workers(500) == MAX_WORKERS == 16
    assert bound_workers(0) == 1
    assert bound_iperf_seconds(3600) == MAX_IPERF_SECONDS == 5


# ------------------------------------------------------------------ percentiles and jitter on known data
def test_percentiles_on_known_data():
    data = list(range(1, 101))  # 1..100
    assert percentile(data, 50) == pytest.approx(50.5)
    assert percentile(data, 95) == pytest.approx(95.05)
    assert percentile(data, 99) == pytest.approx(99.01)
    assert percentile(data, 100) == 100
    assert percentile([7.0], 95) == 7.0
    assert percentile([], 50) is None
    # Order does not matter; numpy's default (linear) gives these for [15, 20, 35, 40, 50].
    assert percentile([50, 15, 40, 20, 35], 40) == pytest.approx(29.0)
    assert percentile([50, 15, 40, 20, 35], 95) == pytest.approx(48.0)


def test_jitter_is_the_mean_difference_between_consecutive_samples():
    assert jitter([10.0, 12.0, 9.0, 9.0]) == pytest.approx((2 + 3 + 0) / 3)
    assert jitter([5.0]) is None
    assert jitter([]) is None


def test_summarise():
    stats = summarise([10.0, 30.0, 20.0])
    assert stats == {"count": 3, "min": 10.0, "median": 20.0, "p50": 20.0, "p95": 29.0, "p99": 29.8, "max": 30.0,
                     "avg": 20.0, "jitter": 15.0}
    assert summarise([])["p95"] is None


def _stamp(recs):
    return [dict(r, step=4, target="t") for r in recs]


def test_http_answers_fast_is_ok_and_slow_is_warning():
    ok = judge_latency("Aplikasi", "http://a/", "http", summarise([5.0, 6.0, 7.0]), [], 3, 1000, 3000, 20, 40)
    assert [r["status"] for r in ok] == ["OK"] and ok[0]["value"] == 6.9  # p95
    assert "p50 6,0 / p95 6,9 / p99 7,0 / maks 7,0 ms" in ok[0]["message"]
    slow = judge_latency("Aplikasi", "http://a/", "http", summarise([1500.0, 1600.0, 1700.0]), [], 3, 1000, 3000, 20, 40)
    assert slow[0]["status"] == "WARNING"
    assert all(validate(r) == [] for r in _stamp(ok + slow))


def test_http_that_never_answers_is_critical_with_the_reason():
    recs = judge_latency("Aplikasi", "http://a/", "http", summarise([]), ["connection refused"] * 3, 3, 1000, 3000, 20, 40)
    assert recs[0]["status"] == "CRITICAL"
    assert "connection refused" in recs[0]["message"]


def test_http_with_failed_samples_is_judged_on_the_error_rate():
    recs = judge_latency("Aplikasi", "http://a/", "http", summarise([5.0, 5.0]), ["HTTP 502"] * 3, 5, 1000, 3000, 20, 40)
    assert recs[0]["status"] == "CRITICAL"  # 3 of 5 failed = 60 % >= 40 %
    assert recs[0]["details"]["errors"] == ["HTTP 502"] and recs[0]["details"]["error_pct"] == 60.0


def test_ping_records():
    parsed = parse_ping((FIXTURES / "busybox_partial.txt").read_text())
    loss, rtt = judge_ping("Pusat data", "ping pusat", parsed, 200, 500, 20, 40)
    assert loss["status"] == "CRITICAL" and loss["value"] == 50.0
    assert rtt["status"] == "WARNING" and rtt["value"] == 300.077
    assert rtt["details"]["jitter"] == pytest.approx(19.968)  # |290.093 - 310.061|
    lost = judge_ping("Pusat data", "ping pusat", parse_ping((FIXTURES / "iputils_all_lost.txt").read_text()), 200, 500, 20, 40)
    assert [r["status"] for r in lost] == ["CRITICAL", "CRITICAL"]
    garbage = judge_ping("Pusat data", "ping pusat", None, 200, 500, 20, 40, stderr="ping: connect: Network is unreachable")
    assert garbage[0]["status"] == "UNKNOWN" and "Network is unreachable" in garbage[0]["message"]
    assert all(validate(r) == [] for r in _stamp([loss, rtt] + lost + garbage))


# ------------------------------------------------------------------ identity, DNS, certificates, iperf3
def test_identity_names_where_a_probe_was_measured_from():
    http = {"name": "A", "kind": "http", "url": "https://a.example/x", "from": "siak-ws01"}
    assert probe_identity_of(http) == [("http", "https://a.example/x dari siak-ws01"),
                                       ("tls", "https://a.example/x dari siak-ws01")]
    dns = {"name": "D", "kind": "dns", "server": "10.0.0.53", "names": ["a.lab", "b.lab"]}
    assert probe_identity_of(dns) == [("dns", "a.lab @10.0.0.53"), ("dns", "b.lab @10.0.0.53")]
    assert probe_identity("iperf3", host="10.0.0.9") == [("throughput", "iperf3 10.0.0.9")]
    assert probe_address({"kind": "http", "url": "https://Pusat.Example:8443/a"}) == "pusat.example"
    assert probe_address({"kind": "dns", "server": "10.0.0.53"}) == "10.0.0.53"


def test_dns_query_and_answer():
    packet = dns_query("siak.lab", 0x1234)
    assert packet[:2] == b"\x12\x34" and b"\x04siak\x03lab\x00" in packet
    # An NXDOMAIN answer (QR set, rcode 3) and a NOERROR one with one answer.
    assert dns_answer(b"\x12\x34\x81\x83\x00\x01\x00\x00\x00\x00\x00\x00", 0x1234) == ("NXDOMAIN", 0)
    assert dns_answer(b"\x12\x34\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00", 0x1234) == ("NOERROR", 1)
    with pytest.raises(ValueError):
        dns_answer(b"\x99\x99\x81\x80\x00\x01\x00\x01\x00\x00\x00\x00", 0x1234)
    rec = judge_unresolved("DNS", "x.lab @10.0.0.53", "x.lab", "10.0.0.53", ["NXDOMAIN"], 4, 4)
    assert rec["status"] == "CRITICAL" and "NXDOMAIN" in rec["message"] and validate(dict(rec, step=4, target="t")) == []


def test_certificate_expiry_from_der():
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "siak.example")])
    for not_after in (datetime.datetime(2031, 5, 6, 7, 8, 9, tzinfo=datetime.timezone.utc),     # UTCTime
                      datetime.datetime(2051, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)):    # GeneralizedTime
        cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                .serial_number(12345678901234567890).not_valid_before(not_after - datetime.timedelta(days=400))
                .not_valid_after(not_after).sign(key, hashes.SHA256()))
        assert cert_not_after(cert.public_bytes(serialization.Encoding.DER)) == not_after
    assert judge_cert("A", "https://a/", 40, 30, 7)["status"] == "OK"
    assert judge_cert("A", "https://a/", 20, 30, 7)["status"] == "WARNING"
    assert judge_cert("A", "https://a/", 3, 30, 7)["status"] == "CRITICAL"
    expired = judge_cert("A", "https://a/", -2, 30, 7)
    assert expired["status"] == "CRITICAL" and "kedaluwarsa" in expired["message"]


def test_iperf3_results():
    good = judge_iperf("DC", "iperf3 x", {"end": {"sum_received": {"bits_per_second": 94.2e6}}}, 50, 10)
    assert good["status"] == "OK" and good["value"] == 94.2 and good["unit"] == "Mbit/s"
    slow = judge_iperf("DC", "iperf3 x", {"end": {"sum_received": {"bits_per_second": 8e6}}}, 50, 10)
    assert slow["status"] == "CRITICAL"
    refused = judge_iperf("DC", "iperf3 x", {"error": "unable to connect to server: Connection refused"}, 50, 10)
    assert refused["status"] == "UNKNOWN" and "Connection refused" in refused["message"]


# ------------------------------------------------------------------ against earlier rounds
def _http(p50, status="OK", item="http://a/"):
    stats = summarise([p50, p50, p50])
    return {"step": 4, "target": "app", "category": "http", "item": item, "status": status, "value": stats["p95"],
            "unit": "ms", "warn": 1000, "crit": 3000, "message": "Aplikasi menjawab", "message_en": "answered",
            "details": {"stats_ms": stats}}


def test_a_markedly_slower_round_is_a_warning_naming_the_baseline():
    state = {}
    for now, p50 in enumerate((30.0, 40.0, 35.0, 500.0)):
        state = next_perf_state(state, [_http(p50)], 3, now)
    assert [r["values"]["app|http|http://a/"] for r in state["rounds"]] == [40.0, 35.0, 500.0]  # the last 3 kept
    assert perf_state_problems(state) == []
    baseline = {"schema": 1, "rounds": [{"time": 1, "values": {"app|http|http://a/": v}} for v in (30.0, 40.0, 35.0)]}
    [slow] = compare_with_baseline([_http(300.0)], baseline, 5, 50, 20)
    assert slow["status"] == "WARNING"
    assert "acuan" in slow["message"] and "35,0 ms" in slow["message"]  # the median of 30, 40, 35
    assert slow["details"]["baseline"] == {"median_ms": 35.0, "rounds": 3, "slower_pct": 757.1, "regression": True}
    [same] = compare_with_baseline([_http(38.0)], baseline, 5, 50, 20)
    assert same["status"] == "OK" and "regression" not in same["details"]["baseline"]
    # Tiny absolute changes (0.1 ms -> 0.3 ms) are not a regression.
    tiny = {"schema": 1, "rounds": [{"time": 1, "values": {"app|http|http://a/": 0.1}}]}
    assert compare_with_baseline([_http(0.3)], tiny, 5, 50, 20)[0]["status"] == "OK"
    # A first round (no state) and a critical probe are left as they are.
    assert compare_with_baseline([_http(300.0)], {}, 5, 50, 20)[0]["status"] == "OK"
    assert compare_with_baseline([_http(300.0, "CRITICAL")], baseline, 5, 50, 20)[0]["status"] == "CRITICAL"


def test_a_damaged_perf_state_is_refused():
    assert perf_state_problems([]) != []
    assert perf_state_problems({"schema": 1, "rounds": [{"values": {"k": "x"}}]}) != []
    assert perf_state_problems({"schema": 2, "rounds": []}) != []


def test_settings_the_caps_change_are_warned_not_taken_silently():
    assert bound_notes(20, 0.5, 3) == []
    notes = bound_notes(0, 0.1, 60, [("Aplikasi", 50), ("DNS", 5)])
    assert notes == ["count 0 is outside 1..20: 1 is used",
                     "count of probe Aplikasi 50 is outside 1..20: 20 is used",
                     "interval 0.1 is below 0.5 s: 0.5 s is used",
                     "timeout 60 is outside 0.5..10 s: 10.0 s is used"]


def test_thresholds_whose_warning_could_never_show_are_refused_by_kind():
    """library/siak_probe.py's settings: ms and loss, higher is worse; throughput and a
    certificate's days left, lower is worse."""
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "library" / "siak_probe.py"
    spec = importlib.util.spec_from_file_location("_siak_probe_module", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    params = {"thresholds": {}, "count": 2, "interval": 0.5, "timeout": 5, "loss_warn": 20, "loss_crit": 40,
              "cert_warn_days": 30, "cert_crit_days": 7, "iperf_seconds": 2}
    assert module._settings({"kind": "iperf3", "warn_mbps": 50, "crit_mbps": 10}, params)["warn_mbps"] == 50
    with pytest.raises(ValueError, match=r"^warn_mbps \(10\) is below crit_mbps \(50\)"):
        module._settings({"kind": "iperf3", "warn_mbps": 10, "crit_mbps": 50}, params)
    with pytest.raises(ValueError, match=r"^cert_warn_days \(7\) is below cert_crit_days \(30\)"):
        module._settings({"kind": "http"}, dict(params, cert_warn_days=7, cert_crit_days=30))
    with pytest.raises(ValueError, match=r"^loss_warn \(50\) is above loss_crit \(40\)"):
        module._settings({"kind": "ping"}, dict(params, loss_warn=50))
    # A certificate's thresholds are no concern of a ping.
    assert module._settings({"kind": "ping"}, dict(params, cert_warn_days=7, cert_crit_days=30))["crit"] == 500


def test_only_job_files_older_than_an_hour_are_stale():
    # Names as ansible-core 2.19's async_wrapper writes them (j<random>.<pid>, .tmp while
    # written) and as earlier versions did (no j); anything else in the folder is never touched.
    now = 1_000_000.0
    old, fresh = now - 3601, now - 3599
    entries = [("j105564077672.744", old, True), ("j105564077672.744.tmp", old, True), ("761204857395.2231", old, True),
               ("j223009481504.25996", fresh, True),          # its round may still read it
               ("notes.txt", old, True), ("j1.2.3", old, True), ("j12.34", old, False)]  # not a job file / a folder
    assert stale_job_files(entries, now) == ["761204857395.2231", "j105564077672.744", "j105564077672.744.tmp"]
    assert stale_job_files(entries, now, max_age=1) == ["761204857395.2231", "j105564077672.744",
                                                        "j105564077672.744.tmp", "j223009481504.25996"]
    assert stale_job_files([], now) == []
