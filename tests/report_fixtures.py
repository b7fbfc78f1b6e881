"""Fixture rounds for the report: results.json documents of offices of any size, without the lab.

The records have the shape and the words of the real checks (module_utils/siak_host_judge.py,
siak_switch_*.py, siak_probe.py; the step-2 reach and coverage records of
filter_plugins/siak_records.py and siak_summary.py), so the report is rendered from what a
real round writes. ``office()`` builds one round; ``rounds()`` several consecutive rounds
of the same office (for the history's trends); ``results_document()`` the results.json
the role writes (siak_results_document), valid against docs/schema/results.schema.json.

The generator is deterministic (a seeded Random): a test that fails fails again.

    office(hosts=9, switches=7, faults=True, seed=1, round_no=0) -> {"round", "records", "targets", "groups"}

The set as files (results.json of every scenario, and four weekly rounds for the history):

    .venv/bin/python -m tests.report_fixtures <folder>
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

import ansible.module_utils as _ansible_module_utils

ROOT = Path(__file__).resolve().parent.parent
# module_utils/ as ansible.module_utils.<name> (as tests/conftest.py does), also when run as a script.
if str(ROOT / "module_utils") not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(str(ROOT / "module_utils"))

from ansible.module_utils.siak_result import CRITICAL, OK, UNKNOWN, WARNING, judge, record  # noqa: E402
from ansible.module_utils import siak_host_judge as J  # noqa: E402  pylint: disable=wrong-import-position
if str(ROOT / "filter_plugins") not in sys.path:
    sys.path.insert(0, str(ROOT / "filter_plugins"))

import siak_round as R  # noqa: E402  pylint: disable=wrong-import-position
import siak_summary as S  # noqa: E402  pylint: disable=wrong-import-position

REPO_UNREACHABLE = "repositori tidak dapat dihubungi (Temporary failure resolving 'deb.debian.org')"
STEP4_TARGETS = ("gateway", "pusat-dc")


def header(round_no=0, office_name="Paser"):
    """A round's header as step 1 builds it (siak_round_header), plus what the report adds."""
    started = datetime(2026, 11, 2, 9, 0, 0) + timedelta(days=7 * round_no)
    head = R.siak_round_header({"regency": "Pemerintah Kabupaten %s" % office_name,
                                "office": "Dinas Kependudukan dan Pencatatan Sipil Kabupaten %s" % office_name,
                                "unit": "Bidang Pengelolaan Informasi Administrasi Kependudukan",
                                "place": office_name, "sop_code": "005/SOP/DKPS/II/2024",
                                "ordered_by": "Drs. Contoh Pejabat", "ordered_by_nip": "197001012000031001",
                                "operator": "Contoh Petugas ADB", "operator_nip": "198502022010011002"},
                               started.isoformat(), "WITA", "admin-siak", "r%02d" % round_no)
    head.update(finished=(started + timedelta(minutes=41)).isoformat(), previous=None,
                step_started={"1": started.isoformat(), "2": (started + timedelta(seconds=20)).isoformat(),
                              "3": (started + timedelta(minutes=4)).isoformat(),
                              "4": (started + timedelta(minutes=30)).isoformat(),
                              "report": (started + timedelta(minutes=40)).isoformat()})
    return head


def _reach(target, rng, faults, switch=False):
    if faults and rng.random() < 0.05:
        return [record("reach", "ssh", UNKNOWN, "Target tidak dapat dihubungi: ssh: connect to host %s port 22: "
                       "No route to host" % target, message_en="Target cannot be reached: No route to host",
                       step=2, target=target)], False
    if switch:
        return [record("reach", "ssh", OK, "Dapat dihubungi; port SSH menjawab",
                       message_en="Reachable; the SSH port answers", step=2, target=target)], True
    return [record("reach", "ssh", OK, "Dapat dihubungi; login SSH berhasil",
                   message_en="Reachable; SSH login succeeded", step=2, target=target),
            record("reach", "modul", OK, "Modul Ansible berjalan di perangkat ini",
                   message_en="Ansible modules run on this target", step=2, target=target)], True


def _pick(rng, faults, p_warn=0.08, p_crit=0.03):
    if not faults:
        return OK
    roll = rng.random()
    return CRITICAL if roll < p_crit else WARNING if roll < p_crit + p_warn else OK


def _host(target, kind, rng, faults, round_no, extra=0):
    """Records of one Linux host (a server or a workstation)."""
    recs, up = _reach(target, rng, faults)
    if not up:
        recs.append(record("check", "langkah 3", UNKNOWN, "Tidak diperiksa: Target tidak dapat dihubungi",
                           message_en="Not checked: target cannot be reached", step=3, target=target))
        return recs
    for cat, item, msg in (("hw-system", "system", "Dell Inc. OptiPlex 7090"), ("hw-cpu", "cpu", "Intel Core i5, 6 inti"),
                           ("hw-memory", "memory", "RAM 16,0 GiB terpasang")):
        recs.append(record(cat, item, OK, msg, step=2, target=target))
    smart = _pick(rng, faults, 0.04, 0.01)
    recs.append(record("hw-disk", "sda", smart, "Disk sda: SMART %s" % ("lulus" if smart == OK else
                                                                       "8 sektor tertunda"), step=2, target=target))
    temp = 40 + rng.random() * 10
    recs.append(record("hw-temp", "coretemp Package id 0", OK, "Suhu %s °C" % S.siak_number(temp), value=round(temp, 1),
                       unit="C", warn=80, crit=95, step=2, target=target))
    mounts = ["/", "/srv/data"] if kind != "workstations" else ["/"]
    for n, mount in enumerate(mounts):
        pct = round(min(99.0, 35 + 4 * round_no + rng.random() * 20 + (45 if faults and rng.random() < 0.1 else 0)), 1)
        status = judge(pct, 80, 90)
        recs.append(record("disk", mount, status, "Ruang disk %s (/dev/sda%d) terpakai %s%%, sisa %s GiB dari 100 GiB."
                           % (mount, n + 1, S.siak_number(pct), S.siak_number(100 - pct)), value=pct, unit="%",
                           warn=80, crit=90, step=3, target=target))
        recs.append(record("inode", mount, OK, "Inode %s terpakai 3%% (30000 dari 1000000)." % mount, value=3.0,
                           unit="%", warn=80, crit=90, step=3, target=target))
    mem = round(30 + rng.random() * 40, 1)
    recs.append(record("memory", "ram", judge(mem, 85, 95), "Memori terpakai %s%% (tersedia 8 GiB dari 16 GiB)."
                       % S.siak_number(mem), value=mem, unit="%", warn=85, crit=95, step=3, target=target))
    recs.append(record("swap", "swap", OK, "Swap terpakai 0%% (0 B dari 2 GiB).", value=0.0, unit="%", warn=50, crit=80,
                       step=3, target=target))
    load = round(rng.random() * 2, 2)
    recs.append(record("load", "load15", OK, "Beban CPU 15 menit %s per inti" % S.siak_number(load, 2), value=load,
                       warn=2, crit=4, step=3, target=target))
    recs.append(record("uptime", "uptime", OK, "Menyala 12 hari", value=12 * 86400, unit="s", step=3, target=target))
    time_status = _pick(rng, faults, 0.04, 0.0)
    recs.append(record("time", "sync", time_status, "Jam sistem tersinkron (chrony; selisih 0,002 s)." if time_status == OK
                       else "Jam sistem TIDAK tersinkron (chrony: no selectable sources).", step=3, target=target))
    services = {"app": ["nginx", "php8.2-fpm"], "db": ["postgresql"], "backup": ["cron"]}.get(kind, ["sshd"])
    for svc in services:
        st = _pick(rng, faults, 0.0, 0.03)
        recs.append(record("service", svc, st, "Layanan %s berjalan." % svc if st == OK else
                           "Layanan %s TIDAK berjalan (inactive)." % svc, step=3, target=target))
    if kind == "workstations" and faults and round_no % 2 == 0:
        # The common fault of an office: the workstations cannot reach the package mirror.
        recs.append(record("update", "security", UNKNOWN, "Pembaruan paket tidak dapat diperiksa (apt): %s" % REPO_UNREACHABLE,
                           message_en="Package updates cannot be checked (apt): %s" % REPO_UNREACHABLE, step=3,
                           target=target))
    else:
        pending = rng.randint(1, 12) if faults and rng.random() < 0.15 else 0
        recs.append(record("update", "security", WARNING if pending else OK,
                           "%d pembaruan keamanan tertunda (apt)." % pending if pending else
                           "Tidak ada pembaruan keamanan tertunda (apt).", value=pending, unit="packages", warn=1, crit=20,
                           step=3, target=target))
    recs.append(record("log", "/var/log/syslog", OK, "Tidak ada baris galat di /var/log/syslog sejak putaran sebelumnya.",
                       value=0, unit="lines", step=3, target=target))
    if kind == "backup":
        # The words the real check writes (its judge, with the role's defaults: 26 h / 72 h).
        hours = rng.choice([12, 30, 80]) if faults else 12
        newest = {"path": "/srv/backup/siak-%s.dmp.gz" % target, "age_seconds": hours * 3600, "size": 7_340_032_000}
        (backup,) = J.eval_backups([{"path": "/srv/backup", "exists": True, "newest": newest, "files": 14}], 26, 72, 0)
        recs.append(dict(backup, step=3, target=target))
    for n in range(extra):
        recs.append(record("service", "unit-%02d" % n, OK, "Layanan unit-%02d berjalan." % n, step=3, target=target))
    return recs


def _switch(target, rng, faults, round_no, ports=8, extra=0):
    recs, up = _reach(target, rng, faults, switch=True)
    if not up:
        recs.append(record("check", "langkah 3", UNKNOWN, "Tidak diperiksa: Target tidak dapat dihubungi",
                           message_en="Not checked: target cannot be reached", step=3, target=target))
        return recs
    recs.append(record("hw-system", "system", OK, "Cisco IOS, WS-C2960X-24TS-L", step=2, target=target))
    for n in (1, 2):
        st = _pick(rng, faults, 0.0, 0.02)
        recs.append(record("hw-power", "PSU%d" % n, st, "Catu daya PSU%d %s" % (n, "normal" if st == OK else "rusak"),
                           step=2, target=target))
    recs.append(record("hw-fan", "Fan 1", OK, "Kipas Fan 1 normal", step=2, target=target))
    recs.append(record("device", "model", OK, "Model WS-C2960X-24TS-L, IOS 15.2(7)E8", step=3, target=target))
    cpu = round(5 + rng.random() * 20, 1)
    recs.append(record("cpu", "cpu", judge(cpu, 70, 90), "CPU switch %s%% (5 menit)" % S.siak_number(cpu), value=cpu,
                       unit="%", warn=70, crit=90, step=3, target=target))
    for port in range(1, ports + 1 + extra):
        name = "Gi0/%d" % port
        up_port = not (faults and port == 1 and rng.random() < 0.1)
        recs.append(record("port", name, OK if up_port else CRITICAL, "Port %s terhubung (1000 Mb/s)" % name if up_port
                           else "Uplink wajib mati (link down)", step=3, target=target))
        if round_no == 0:
            recs.append(record("port-errors", name, UNKNOWN, "Belum ada sampel penghitung sebelumnya untuk port ini",
                               message_en="No earlier counter sample for this port", unit="%", warn=0.1, crit=1.0,
                               step=3, target=target))
        else:
            pct = round(rng.random() * (0.5 if faults and port == 2 else 0.01), 3)
            recs.append(record("port-errors", name, judge(pct, 0.1, 1.0), "Galat %s %% dari paket (%d galat dalam 300 detik)"
                               % (S.siak_number(pct, 3), int(pct * 1000)), value=pct, unit="%", warn=0.1, crit=1.0,
                               step=3, target=target))
    return recs


def _probes(rng, faults, round_no):
    recs = []
    p95 = round(180 + 40 * round_no + rng.random() * 80 + (900 if faults and rng.random() < 0.2 else 0), 1)
    recs.append(record("http", "https://siak.pusat.invalid/siak/login", judge(p95, 800, 2000),
                       "Aplikasi SIAK pusat menjawab dalam %s ms (median 10 percobaan)" % S.siak_number(p95), value=p95,
                       unit="ms", warn=800, crit=2000, message_en="SIAK (national) answered in %s ms" % p95, step=4,
                       target="pusat-dc", details={"probe": "siak-pusat", "samples": 10, "ok": 10,
                                                    "stats_ms": {"median": p95, "p95": round(p95 * 1.3, 1)}}))
    for host, target in (("198.18.0.1", "gateway"), ("pusat-dc", "pusat-dc")):
        loss = float(rng.choice([0, 0, 0, 10, 30])) if faults else 0.0
        rtt = round((2 if target == "gateway" else 35) + rng.random() * 10 + 3 * round_no, 1)
        name = "ping-" + target
        recs.append(record("link", "ping %s loss" % host, judge(loss, 5, 20), "Kehilangan paket ke %s %s%% (%d dari 10)"
                           % (target, S.siak_number(loss), int(loss / 10)), value=loss, unit="%", warn=5, crit=20,
                           step=4, target=target, details={"probe": name}))
        recs.append(record("link", "ping %s rtt" % host, judge(rtt, 100, 300), "Waktu pulang-pergi ke %s rata-rata %s ms"
                           % (target, S.siak_number(rtt)), value=rtt, unit="ms", warn=100, crit=300, step=4,
                           target=target, details={"probe": name}))
    return recs


def _pad(recs, count, category, item, target):
    """Exactly ``count`` records for the benchmark (an unreachable device gets OK fillers too)."""
    for n in range(len(recs), count or 0):
        recs.append(record(category, item % n, OK, "Butir pengisi %d" % n, step=3, target=target))
    return recs


def office(hosts=9, switches=7, faults=True, seed=1, round_no=0, records_per_device=None, office_name="Paser"):
    """One round of an office: ``hosts`` Linux hosts (3 servers, the rest workstations) and ``switches``.

    ``records_per_device``: pad every device to about this many records (the benchmark's 40).
    """
    rng = random.Random(seed * 1000 + round_no)
    groups = {"app": [], "db": [], "backup": [], "workstations": [], "switches": []}
    records = []
    server_kinds = ("app", "db", "backup")
    for n in range(hosts):
        kind = server_kinds[n] if n < min(3, hosts) and hosts > 1 else "workstations"
        name = {"app": "siak-app01", "db": "siak-db01", "backup": "siak-bak01"}.get(kind, "siak-ws%02d" % (n - 2))
        if hosts == 1:
            name = "siak-app01"
            kind = "app"
        groups[kind].append(name)
        recs = _host(name, kind, rng, faults, round_no)
        if records_per_device and len(recs) < records_per_device:
            recs = _host(name, kind, rng, faults, round_no, extra=records_per_device - len(recs))
        records.extend(_pad(recs, records_per_device, "service", "unit-%02d", name))
    for n in range(switches):
        name = "sw-%02d" % (n + 1)
        groups["switches"].append(name)
        recs = _switch(name, rng, faults, round_no)
        if records_per_device and len(recs) < records_per_device:
            recs = _switch(name, rng, faults, round_no, extra=(records_per_device - len(recs)) // 2)
        records.extend(_pad(recs, records_per_device, "port", "Gi1/0/%d", name))
    if hosts or switches:
        records.extend(_probes(rng, faults, round_no))
    targets = [t for g in groups.values() for t in g]
    records.sort(key=lambda r: (r["step"], r["target"], r["category"], str(r["item"])))
    groups = {k: v for k, v in groups.items() if v}
    return {"round": header(round_no, office_name), "records": records, "targets": targets, "groups": groups}


def every_status_and_grade():
    """A small office where every status and every grade appear (and a coverage gap)."""
    data = office(hosts=4, switches=1, faults=False, seed=2)
    recs = data["records"]
    # siak-ws01: unreachable (Rusak); siak-bak01: a critical disk (Kurang); siak-db01: a warning (Cukup).
    recs[:] = [r for r in recs if r["target"] != "siak-ws01"]
    recs.append(record("reach", "ssh", UNKNOWN, "Target tidak dapat dihubungi: ssh: connect to host siak-ws01 port 22: "
                       "Connection timed out", step=2, target="siak-ws01"))
    recs.append(record("check", "langkah 3", UNKNOWN, "Tidak diperiksa: Target tidak dapat dihubungi", step=3,
                       target="siak-ws01"))
    recs.append(record("disk", "/srv/backup", CRITICAL, "Ruang disk /srv/backup (/dev/sdb1) terpakai 96,0%, sisa 4,0 GiB "
                       "dari 100 GiB.", value=96.0, unit="%", warn=80, crit=90, step=3, target="siak-bak01"))
    recs.append(record("update", "security", WARNING, "3 pembaruan keamanan tertunda (apt).", value=3, unit="packages",
                       warn=1, crit=20, step=3, target="siak-db01"))
    data["targets"].append("sw-kosong")   # in the inventory, no record at all: coverage
    recs.extend(S.coverage_records(recs, ["sw-kosong"], steps=(2, 3)))
    recs.sort(key=lambda r: (r["step"], r["target"], r["category"], str(r["item"])))
    return data


def summary_of(data, previous=None):
    return S.siak_summary(data["records"], data["targets"], previous["records"] if previous else None, data["groups"])


def results_document(data, previous=None):
    """results.json of a fixture round, as roles/siak_report writes it."""
    summary = summary_of(data, previous)
    return R.siak_results_document(dict(data["round"], previous=previous["round"]["id"] if previous else None),
                                   summary, data["records"], {})


def rounds(count=4, **kwargs):
    """``count`` consecutive weekly rounds of the same office (round_no 0..count-1)."""
    return [office(round_no=n, **kwargs) for n in range(count)]


SCENARIOS = {
    "every-status-and-grade": every_status_and_grade,
    "office-16": lambda: office(hosts=9, switches=7),
    "one-device": lambda: office(hosts=1, switches=0),
    "empty": lambda: office(hosts=0, switches=0),
    "office-300": lambda: office(hosts=240, switches=60, seed=7),
}


def write_set(folder):
    """Write the fixture set: <folder>/<scenario>/results.json, and four weekly rounds of the
    16-device office under <folder>/rounds/<round-id>/ (round.json, results.json) for the history."""
    import json  # pylint: disable=import-outside-toplevel

    folder = Path(folder)
    written = []
    for name, build in SCENARIOS.items():
        path = folder / name
        path.mkdir(parents=True, exist_ok=True)
        (path / "results.json").write_text(json.dumps(results_document(build()), indent=2) + "\n", encoding="utf-8")
        written.append(path / "results.json")
    previous = None
    for data in rounds(4):
        path = folder / "rounds" / data["round"]["id"]
        path.mkdir(parents=True, exist_ok=True)
        doc = results_document(data, previous)
        (path / "results.json").write_text(json.dumps(doc, indent=2) + "\n", encoding="utf-8")
        (path / "round.json").write_text(json.dumps(R.siak_round_status(doc["round"], summary_of(data, previous)),
                                                    indent=2) + "\n", encoding="utf-8")
        written.append(path / "results.json")
        previous = data
    return written


if __name__ == "__main__":
    # .venv/bin/python -m tests.report_fixtures <folder>
    for written_path in write_set(sys.argv[1] if len(sys.argv) > 1 else "report-fixtures"):
        print(written_path)
