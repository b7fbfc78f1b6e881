"""SOP step 4 on the lab: every fault the probes claim to detect, staged in ONE step-4 round,
and a second round, markedly slower, for the comparison with earlier rounds.

Both rounds run only step 4 and the report (``--tags step4,report``), with 4 samples a
probe, so that they cost seconds. Staged: a slow web application (``http-slow``), a stopped
listener, a host off the network, HTTPS with a self-signed certificate expiring in 10 days
(generated here with ``cryptography``), a DNS server (dnsmasq) that resolves one name and
not another, an iperf3 server on the data centre stand-in measured from one workstation
(1 s), and a workstation whose iperf3 client is gone (UNKNOWN with the reason).
"""

from __future__ import annotations

import datetime
import json
import shlex
import subprocess
from pathlib import Path

import pytest

from ..schemas import results_problems
from .helpers import load_round, output_of, run_playbook, ssh, task_events

pytestmark = pytest.mark.lab

APP, DB, DC, WS3 = "198.18.0.11", "198.18.0.12", "198.18.0.100", "198.18.0.23"
HEALTH = "http://%s/siak/health" % APP
SLOW = "http://%s:8080/" % APP
DRIFT = "http://%s:8081/" % APP
TLS = "https://%s/siak/health" % APP


def _self_signed(tmp_path, days):
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "siak-app01")])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=days, hours=12)).sign(key, hashes.SHA256()))
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                         serialization.NoEncryption()))
    return tmp_path / "cert.pem", tmp_path / "key.pem"


PROBES = [
    {"name": "Aplikasi SIAK", "kind": "http", "url": HEALTH, "expect_content": "OK", "target": "siak-app01"},
    {"name": "Aplikasi SIAK dari loket", "kind": "http", "url": HEALTH, "expect_content": "OK", "target": "siak-app01",
     "from": "siak-ws01"},
    {"name": "Aplikasi lambat", "kind": "http", "url": SLOW, "target": "siak-app01"},
    {"name": "Aplikasi yang melambat", "kind": "http", "url": DRIFT, "target": "siak-app01"},
    {"name": "Aplikasi HTTPS", "kind": "http", "url": TLS, "tls_verify": False, "target": "siak-app01"},
    {"name": "Listener basis data", "kind": "tcp", "host": DB, "port": 1521, "target": "siak-db01"},
    {"name": "Loket 3", "kind": "ping", "host": WS3, "target": "siak-ws03"},
    {"name": "DNS kantor", "kind": "dns", "server": DC, "names": ["siak.lab", "tidakada.lab"], "target": "pusat-dc"},
    {"name": "Throughput ke pusat data", "kind": "iperf3", "host": DC, "target": "pusat-dc", "from": "siak-ws02"},
    {"name": "Throughput dari loket 1", "kind": "iperf3", "host": DC, "target": "pusat-dc", "from": "siak-ws01"},
]


@pytest.fixture(scope="module")
def rounds(lab, tmp_path_factory):
    from lab import siaklab

    tmp = tmp_path_factory.mktemp("perf")
    reports, state = tmp / "reports", tmp / "state"
    cert, key = _self_signed(tmp, 10)
    common = {"siak_report_dir": str(reports), "siak_state_dir": str(state), "siak_perf_count": 4,
              "siak_perf_iperf3_seconds": 1,
              "siak_scope": "siak-app01,siak-db01,siak-ws03"}
    staged = ["siak-app01", "siak-db01", "siak-ws03", "pusat-dc", "siak-ws01"]
    _plant_job_files(lab)
    try:
        siaklab.fault("siak-app01", "http-slow", port=8080, delay_ms=1300)
        siaklab.fault("siak-app01", "http-slow", port=8081, delay_ms=20)
        siaklab.fault("siak-app01", "https-cert", cert=str(cert), key=str(key))
        siaklab.fault("siak-db01", "service-stop", service="tnslsnr")
        siaklab.fault("siak-ws03", "offline")
        siaklab.fault("pusat-dc", "dns-server", names="siak.lab=%s" % APP)
        siaklab.fault("pusat-dc", "iperf3-server")
        siaklab.fault("siak-ws01", "iperf3-missing")
        first = run_playbook("playbooks/maintenance.yml", tmp / "a", cmdline="--tags step4,report",
                             extravars=dict(common, siak_perf_probes=PROBES))
        first_round = load_round(reports)
        # Between the rounds the application behind :8081 becomes markedly slower.
        siaklab.fault("siak-app01", "http-slow", port=8081, delay_ms=400)
        second = run_playbook("playbooks/maintenance.yml", tmp / "b", cmdline="--tags step4,report",
                              extravars=dict(common, siak_perf_probes=PROBES[:4]))
        second_round = load_round(reports)
    finally:
        for target in staged:
            siaklab.reset(target)
        left = {machine: _job_folder_names(lab, machine) for machine in ("localhost", "siak-ws01")}
        for machine in left:
            _run_on(lab, machine, "rm -f %s" % " ".join(JOB_FOLDER + "/" + name for name in PLANTED))
    return {"left": left, "first": (first, first_round), "second": (second, second_round), "reports": reports, "state": state}


# What an interrupted round leaves in step 4's job folder on each machine it measured from
# (its calls' job files, never removed), planted before the rounds: two hours old, an hour
# old less a minute (a round could still read it), and an old file that is no job file.
JOB_FOLDER = "/root/.ansible_async/siak_perf"
PLANTED = {"j900000000001.4242": "2 hours ago", "j900000000002.4243.tmp": "2 hours ago",
           "j900000000003.4244": "59 minutes ago", "notes.txt": "2 hours ago"}


def _run_on(lab, machine, command):
    if machine == "localhost":
        return subprocess.run(["sh", "-c", command], capture_output=True, text=True, check=True, timeout=30)
    return ssh(lab, machine, command)


def _plant_job_files(lab):
    script = "mkdir -p %s && cd %s && " % (JOB_FOLDER, JOB_FOLDER) + " && ".join(
        "echo '{\"started\": 1, \"finished\": 0}' > %s && touch -d '%s' %s" % (name, age, name)
        for name, age in PLANTED.items())
    for machine in ("localhost", "siak-ws01"):
        _run_on(lab, machine, script)


def _job_folder_names(lab, machine):
    return set(_run_on(lab, machine, "ls -A %s" % JOB_FOLDER).stdout.split())


def _step4(data):
    return {(r["target"], r["category"], r["item"]): r for r in data["records"] if r["step"] == 4}


def test_the_rounds_finish_and_conform_to_the_schema(rounds):
    for key in ("first", "second"):
        runner, data = rounds[key]
        assert runner.status == "successful", output_of(runner)
        assert results_problems(data) == []


def test_healthy_nginx_is_ok_from_the_admin_machine_and_from_the_counter(rounds):
    recs = _step4(rounds["first"][1])
    admin = recs[("siak-app01", "http", HEALTH)]
    counter = recs[("siak-app01", "http", HEALTH + " dari siak-ws01")]
    for rec in (admin, counter):
        assert rec["status"] == "OK" and rec["unit"] == "ms" and 0 < rec["value"] < rec["warn"], rec
        stats = rec["details"]["stats_ms"]
        assert stats["p50"] <= stats["p95"] <= stats["p99"] <= stats["max"] and rec["details"]["error_pct"] == 0
        assert "p50" in rec["message"] and "p95" in rec["message"] and "p99" in rec["message"]
        assert rec["details"]["status_codes"] == {"200": 4}
    assert admin["details"]["measured_from"] == "mesin admin"
    assert counter["details"]["measured_from"] == "siak-ws01" and "diukur dari siak-ws01" in counter["message"]


def test_a_slow_endpoint_is_a_warning_by_threshold(rounds):
    rec = _step4(rounds["first"][1])[("siak-app01", "http", SLOW)]
    assert rec["status"] == "WARNING" and 1300 <= rec["value"] < 3000, rec


def test_a_stopped_service_is_critical_with_connection_refused(rounds):
    rec = _step4(rounds["first"][1])[("siak-db01", "tcp", "%s:1521" % DB)]
    assert rec["status"] == "CRITICAL" and "connection refused" in rec["message"], rec


def test_a_host_off_the_network_is_full_loss_and_critical(rounds):
    recs = _step4(rounds["first"][1])
    loss = recs[("siak-ws03", "link", "ping %s loss" % WS3)]
    assert loss["status"] == "CRITICAL" and loss["value"] == 100.0, loss
    assert loss["details"]["sent"] == 4  # the count holds for a silent host too (no ping -w)
    assert recs[("siak-ws03", "link", "ping %s rtt" % WS3)]["status"] == "CRITICAL"


def test_a_certificate_that_expires_soon_is_a_warning(rounds):
    recs = _step4(rounds["first"][1])
    cert = recs[("siak-app01", "tls", TLS)]
    assert cert["status"] == "WARNING" and cert["value"] == 10 and cert["unit"] == "hari", cert
    assert "10 hari lagi" in cert["message"]
    assert recs[("siak-app01", "http", TLS)]["status"] == "OK"


def test_a_name_that_does_not_resolve_is_critical_and_one_that_does_is_ok(rounds):
    recs = _step4(rounds["first"][1])
    assert recs[("pusat-dc", "dns", "siak.lab @%s" % DC)]["status"] == "OK"
    bad = recs[("pusat-dc", "dns", "tidakada.lab @%s" % DC)]
    assert bad["status"] == "CRITICAL" and "NXDOMAIN" in bad["message"], bad


def test_throughput_is_measured_where_iperf3_is_and_unknown_where_it_is_missing(rounds):
    recs = _step4(rounds["first"][1])
    measured = recs[("pusat-dc", "throughput", "iperf3 %s dari siak-ws02" % DC)]
    assert measured["status"] == "OK" and measured["unit"] == "Mbit/s" and measured["value"] > measured["warn"], measured
    assert measured["details"]["measured_from"] == "siak-ws02"
    missing = recs[("pusat-dc", "throughput", "iperf3 %s dari siak-ws01" % DC)]
    assert missing["status"] == "UNKNOWN" and "iperf3 tidak terpasang di siak-ws01" in missing["message"], missing


def test_a_markedly_slower_second_round_is_a_warning_naming_the_baseline(rounds):
    first = _step4(rounds["first"][1])[("siak-app01", "http", DRIFT)]
    second = _step4(rounds["second"][1])[("siak-app01", "http", DRIFT)]
    assert first["status"] == "OK" and "baseline" not in first["details"]
    assert second["status"] == "WARNING", second
    base = second["details"]["baseline"]
    assert base["regression"] is True and base["rounds"] == 1 and 20 <= base["median_ms"] < 200
    assert "acuan" in second["message"] and "median 1 putaran terakhir" in second["message"]
    # The healthy probe did not regress; the state keeps both rounds.
    assert _step4(rounds["second"][1])[("siak-app01", "http", HEALTH)]["status"] == "OK"
    kept = json.loads((rounds["state"] / "perf.json").read_text())
    assert len(kept["rounds"]) == 2


def test_the_report_shows_the_figures(rounds):
    data = rounds["second"][1]
    folder = rounds["reports"] / data["round"]["id"]
    page = (folder / "index.html").read_text()
    # The report's findings carry the percentiles and the baseline of the regression; its
    # healthy items (the probe from the counter) are summarised, and listed in the overview.
    assert "p95" in page and "acuan" in page
    assert "dari siak-ws01" in (folder / "ikhtisar.html").read_text()


START = "Start the probes from the admin machine and from the chosen hosts, all at once"
WAIT = "Wait for every probe run"


def _probe_jobs(runner):
    """(machine, job file) of every background probe call the run started."""
    return [(res["item"]["source"] or "localhost", res["results_file"])
            for _host, res in task_events(runner, START, "runner_item_on_ok") if res.get("results_file")]


def test_no_probe_job_file_is_left_where_the_probes_ran(rounds, lab):
    # Each background call writes its result to a job file on the machine it ran on; a round
    # that left them would leave one more on the admin machine and on each workstation every time.
    jobs = _probe_jobs(rounds["first"][0]) + _probe_jobs(rounds["second"][0])
    assert {machine for machine, _ in jobs} == {"localhost", "siak-ws01", "siak-ws02"}, jobs
    left = []
    for machine, job_file in jobs:
        if machine == "localhost":
            gone = not Path(job_file).exists()
        else:
            gone = ssh(lab, machine, "test ! -e %s" % shlex.quote(job_file), check=False).returncode == 0
        if not gone:
            left.append((machine, job_file))
    assert left == []
    # They were kept in step 4's own folder, where the planted leftovers were.
    assert {str(Path(job_file).parent) for _, job_file in jobs} == {JOB_FOLDER}


def test_the_job_files_an_interrupted_round_left_are_removed_once_an_hour_old(rounds):
    # The first round's probe calls removed the planted job files over an hour old, on the
    # admin machine and on the workstation; a younger one, and a file that is no job file, stay.
    for machine, names in rounds["left"].items():
        assert names & set(PLANTED) == {"j900000000003.4244", "notes.txt"}, (machine, names)
    # Each probe call says what it removed (in its job's result, read by the wait).
    def removed(key):
        return {(res["item"]["item"]["source"] or "localhost", Path(path).name)
                for _host, res in task_events(rounds[key][0], WAIT, "runner_item_on_ok")
                for path in res.get("stale_job_files_removed", [])}
    assert removed("first") == {(machine, name) for machine in ("localhost", "siak-ws01")
                                for name in ("j900000000001.4242", "j900000000002.4243.tmp")}
    assert removed("second") == set()
