"""The judges of the host checks (module_utils/siak_host_judge.py) on captured output."""

from __future__ import annotations

from pathlib import Path

import pytest

from ansible.module_utils import siak_host_judge as H
from ansible.module_utils import siak_host_parse as P
from ansible.module_utils.siak_result import CRITICAL, OK, UNKNOWN, WARNING, validate

FIXTURES = Path(__file__).parent / "fixtures" / "host"


def _read(name):
    return (FIXTURES / name).read_text(encoding="utf-8")


def _valid(records):
    """Every record honours the contract once the filter stamps step and target."""
    for rec in records:
        assert validate(dict(rec, step=3, target="siak-app01")) == [], rec
        assert rec.get("message_en"), rec
    return records


def _fs(pct, inodes_pct=1.0, mount="/srv/data"):
    usage = {"size_bytes": 64 << 20, "used_bytes": int((64 << 20) * pct / 100), "avail_bytes": int((64 << 20) * (100 - pct) / 100),
             "used_pct": pct, "inodes_total": 1000, "inodes_used": int(10 * inodes_pct), "inodes_pct": inodes_pct}
    return {"mountpoint": mount, "device": "/dev/labdata", "fstype": "tmpfs", "usage": usage}


@pytest.mark.parametrize("pct,inodes,status,istatus", [
    (10.0, 1.0, OK, OK), (79.9, 89.9, OK, OK), (80.0, 90.0, WARNING, WARNING), (85.0, 50.0, WARNING, OK),
    (92.0, 95.0, CRITICAL, CRITICAL), (90.0, 94.9, CRITICAL, WARNING)])
def test_disk_and_inode_thresholds(pct, inodes, status, istatus):
    disk, inode = _valid(H.eval_disk([_fs(pct, inodes)], 80, 90, 90, 95))
    assert (disk["category"], disk["item"], disk["status"], disk["value"], disk["unit"]) == ("disk", "/srv/data", status, pct, "%")
    assert (inode["category"], inode["status"], inode["warn"], inode["crit"]) == ("inode", istatus, 90, 95)
    assert "/srv/data" in disk["message"] and "/dev/labdata" in disk["message"]


def test_disk_without_inode_table_and_unreadable_mount():
    fs = _fs(50.0)
    fs["usage"]["inodes_pct"] = None
    records = _valid(H.eval_disk([fs, {"mountpoint": "/mnt/nfs", "device": "srv:/x", "fstype": "nfs4", "error": "no answer within 5s"}],
                                 80, 90, 90, 95))
    assert [(r["category"], r["status"]) for r in records] == [("disk", OK), ("disk", UNKNOWN)]
    assert "no answer within 5s" in records[1]["message"]
    assert _valid(H.eval_disk([], 80, 90, 90, 95))[0]["status"] == UNKNOWN


@pytest.mark.parametrize("options,fstab,pct,status,words", [
    (["rw", "relatime"], ["defaults"], 10.0, OK, None),
    # errors=remount-ro after disk errors: the host runs on, nothing can be written.
    (["ro", "relatime"], ["defaults"], 10.0, CRITICAL, "padahal /etc/fstab memasangnya baca-tulis"),
    (["ro", "relatime"], ["errors=remount-ro"], 95.0, CRITICAL, "padahal /etc/fstab memasangnya baca-tulis"),
    (["ro", "relatime"], None, 10.0, WARNING, "tidak tercantum di /etc/fstab"),
    (["ro", "relatime"], None, 95.0, CRITICAL, "tidak tercantum di /etc/fstab"),    # the worse of the two
    (["ro", "relatime"], ["loop", "ro"], 10.0, OK, None),                           # read-only as meant
])
def test_a_filesystem_mounted_read_only_is_compared_with_fstab(options, fstab, pct, status, words):
    fs = dict(_fs(pct), options=options, fstab_options=fstab)
    disk, _inode = _valid(H.eval_disk([fs], 80, 90, 90, 95))
    assert (disk["status"], disk["value"]) == (status, pct)
    if words is None:
        assert "hanya-baca" not in disk["message"] and "read_only" not in disk["details"]
    else:
        assert words in disk["message"] and "/srv/data" in disk["message"] and "read-only" in disk["message_en"]
        assert "terpakai" in disk["message"]          # the space is still told
        assert disk["details"]["read_only"] is True and disk["details"]["fstab_options"] == fstab


@pytest.mark.parametrize("used,swap,status,swap_status", [(50.0, None, OK, OK), (85.0, 60.0, WARNING, WARNING), (95.0, 90.0, CRITICAL, CRITICAL)])
def test_memory_and_swap(used, swap, status, swap_status):
    usage = {"total_kb": 1000, "available_kb": int(1000 - used * 10), "used_pct": used, "basis": "MemAvailable",
             "swap_total_kb": 0 if swap is None else 1000, "swap_used_kb": 0 if swap is None else int(swap * 10), "swap_pct": swap}
    mem, swp = _valid(H.eval_memory(usage, 80, 90, 50, 80))
    assert (mem["status"], mem["value"], swp["status"]) == (status, used, swap_status)


def test_memory_from_captured_meminfo():
    usage = P.memory_usage(P.parse_meminfo(_read("proc-meminfo.debian12.txt")))
    mem, swp = _valid(H.eval_memory(usage, 80, 90, 50, 80))
    assert mem["status"] == OK and swp["message"] == "Swap tidak dikonfigurasi."


@pytest.mark.parametrize("loads,cpus,period,status,value", [
    ((0.97, 0.42, 0.19), 2, 15, OK, 0.1),
    ((9.0, 6.0, 3.2), 2, 15, WARNING, 1.6),   # 3.2 / 2 cores over the 1.5 per-core warning
    ((9.0, 8.0, 7.0), 2, 15, CRITICAL, 3.5),
    ((9.0, 1.0, 1.0), 2, 1, CRITICAL, 4.5),
    ((9.0, 1.0, 1.0), 2, 15, OK, 0.5)])       # a short burst does not alarm the 15-minute judgement
def test_load_per_core(loads, cpus, period, status, value):
    (rec,) = _valid(H.eval_load(loads, cpus, 1.5, 3.0, period))
    assert (rec["status"], rec["item"], rec["value"], rec["details"]["cpus"]) == (status, "load%d" % period, value, cpus)


def test_load_without_cpu_count_is_unknown():
    assert _valid(H.eval_load((1, 1, 1), None, 1.5, 3.0))[0]["status"] == UNKNOWN


@pytest.mark.parametrize("previous,status,rebooted", [(None, OK, False), (1000, OK, False), (1060, OK, False), (500, WARNING, True)])
def test_uptime_reboot_since_previous_round(previous, status, rebooted):
    (rec,) = _valid(H.eval_uptime(3600 * 50, 1000, previous))
    assert (rec["status"], rec["details"]["rebooted"], rec["value"]) == (status, rebooted, 180000)
    expected = "Dinyalakan ulang sejak putaran sebelumnya; menyala 2 hari 2 jam." if rebooted else "Menyala 2 hari 2 jam."
    assert rec["message"] == expected


def test_uptime_reboot_status_for_workstations():
    (rec,) = H.eval_uptime(600, 5000, 1000, reboot_status=OK)
    assert rec["status"] == OK and rec["details"]["rebooted"] and "Dinyalakan ulang" in rec["message"]


SERVICES = [{"name": "sshd", "units": ["sshd", "ssh"], "process": "sshd"}, "nginx", {"name": "chrony", "process": "chronyd"},
            {"name": "tnslsnr"}]
PROCS = [(1, "sshd", ["sshd: /usr/sbin/sshd -D"]), (17, "chronyd", ["/usr/sbin/chronyd", "-x"]),
         (18, "python3", ["/usr/bin/python3", "/work/main/lab/hosts/tnslsnr.py", "--daemon"])]


def test_services_sysv_then_process_fallback():
    states = P.parse_service_status_all(_read("service-status-all.lab-app01.txt"))
    records = _valid(H.eval_services(SERVICES, None, states, PROCS))
    got = {r["item"]: (r["status"], r["details"]["source"]) for r in records}
    assert got == {"sshd": (OK, "sysv:ssh"), "nginx": (OK, "sysv:nginx"), "chrony": (OK, "sysv:chrony"),
                   "tnslsnr": (OK, "process:tnslsnr")}


def test_services_stopped_nginx_is_critical():
    states = P.parse_service_status_all(_read("service-status-all.lab-app01.txt").replace("[ + ]  nginx", "[ - ]  nginx"))
    records = {r["item"]: r for r in H.eval_services(SERVICES, None, states, PROCS[:2])}
    assert records["nginx"]["status"] == CRITICAL and records["nginx"]["value"] == "stopped"
    assert records["tnslsnr"]["status"] == CRITICAL and records["tnslsnr"]["details"]["source"] == "process:tnslsnr"


def test_services_systemd_rocky_and_centos6():
    units = P.parse_systemctl_units(_read("systemctl-list-units.rocky9.txt"))
    got = {r["item"]: r["status"] for r in H.eval_services(SERVICES + [{"name": "ntpd"}], units, None, PROCS)}
    # nginx failed; ntpd not-found under systemd and no ntpd process either.
    assert got == {"sshd": OK, "nginx": CRITICAL, "chrony": OK, "tnslsnr": OK, "ntpd": CRITICAL}
    states = P.parse_service_status_all(_read("service-status-all.centos6.txt"))
    got = {r["item"]: r["details"]["source"] for r in H.eval_services(SERVICES, None, states, PROCS)}
    assert got["sshd"] == "sysv:sshd" and got["tnslsnr"] == "sysv:tnslsnr"


def test_services_unknown_without_any_source():
    (rec,) = _valid(H.eval_services(["nginx"], None, None, None))
    assert rec["status"] == UNKNOWN and "nginx" in rec["message"]


def test_ports_expected_list():
    tcp = P.parse_proc_net(_read("proc-net-tcp.lab-app01.txt"))
    udp = P.parse_proc_net(_read("proc-net-udp.lab-ntp01.txt"), "07")
    records = _valid(H.eval_ports([22, "tcp/80", 1521, "udp/123"], tcp, udp))
    assert [(r["item"], r["status"]) for r in records] == [("tcp/22", OK), ("tcp/80", OK), ("tcp/1521", CRITICAL), ("udp/123", OK)]
    assert _valid(H.eval_ports(["udp/123"], tcp, None))[0]["status"] == UNKNOWN


@pytest.mark.parametrize("fixture,parser,status", [
    ("chronyc-tracking.debian12-client.txt", P.parse_chronyc_tracking, OK),
    ("chronyc-tracking.debian12-unsynced.txt", P.parse_chronyc_tracking, WARNING),
    ("chronyc-tracking.rocky9.txt", P.parse_chronyc_tracking, OK),
    ("chronyc-tracking.offset-slow.txt", P.parse_chronyc_tracking, CRITICAL),
    ("ntpq-pn.centos7.txt", P.parse_ntpq_peers, OK),
    ("ntpq-pn.unsynced.txt", P.parse_ntpq_peers, WARNING),
    ("timedatectl-status.ubuntu2204.txt", P.parse_timedatectl, OK),
    ("timedatectl-status.centos7.txt", P.parse_timedatectl, WARNING)])
def test_time_sync(fixture, parser, status):
    (rec,) = _valid(H.eval_time(parser(_read(fixture)), 1.0, 60.0))
    assert rec["status"] == status and rec["category"] == "time"


def test_time_offset_warning_between_thresholds():
    info = P.parse_chronyc_tracking(_read("chronyc-tracking.offset-slow.txt").replace("75.412558317", "2.500000000"))
    (rec,) = H.eval_time(info, 1.0, 60.0)
    assert (rec["status"], rec["value"]) == (WARNING, -2.5)


def test_time_zone_against_the_offices():
    (same,) = _valid(H.eval_zone((28800, "WITA"), "Asia/Makassar", 28800))
    assert (same["category"], same["item"], same["status"], same["value"]) == ("time", "zone", OK, 8.0)
    assert same["message"] == "Zona waktu WITA (UTC+08:00), sama dengan zona kantor Asia/Makassar."
    # A server left in UTC by its installer: the clock is right, the local times 8 hours off.
    (utc,) = _valid(H.eval_zone((0, "UTC"), "Asia/Makassar", 28800))
    assert (utc["status"], utc["value"]) == (WARNING, 0.0)
    assert "bukan zona kantor Asia/Makassar (UTC+08:00)" in utc["message"] and "selisih 8 jam" in utc["message"]
    assert "8 hours off" in utc["message_en"]
    (india,) = H.eval_zone((19800, "IST"), "Asia/Jakarta", 25200)
    assert "IST (UTC+05:30)" in india["message"] and "selisih 1 jam 30 menit" in india["message"]
    (west,) = H.eval_zone((-10800, "-03"), "", -10800)
    assert west["status"] == OK and "UTC-03:00" in west["message"] and "zona mesin admin" in west["message"]
    # A zone the admin machine does not know: the value is named, never judged OK.
    (bad,) = _valid(H.eval_zone((28800, "WITA"), "Asia/Makasar", None))
    assert bad["status"] == UNKNOWN and "siak_host_check_time_zone 'Asia/Makasar'" in bad["message"]


def test_time_records_carry_the_zone_only_when_one_is_expected():
    info = P.parse_chronyc_tracking(_read("chronyc-tracking.debian12-client.txt"))
    params = {"time_offset_warn": 1.0, "time_offset_crit": 60.0}
    raw = {"info": info, "zone": (0, "UTC")}
    assert [r["item"] for r in H.judge_time(raw, params)] == ["sync"]
    records = H.judge_time(raw, dict(params, time_zone="Asia/Makassar", time_zone_offset=28800))
    assert [(r["item"], r["status"]) for r in records] == [("sync", OK), ("zone", WARNING)]
    # No time tool: the sync record is UNKNOWN, the zone is still compared.
    records = H.judge_time({"info": None, "reasons": [], "zone": (28800, "WITA")},
                           dict(params, time_zone="Asia/Makassar", time_zone_offset=28800))
    assert [(r["item"], r["status"]) for r in records] == [("sync", UNKNOWN), ("zone", OK)]


def test_log_scan_text_lines_counts_and_keeps_the_last():
    scan = H.LogScan(keep=2)
    for line in _read("syslog.debian12-rfc3339.txt").splitlines():
        scan.add_line(line)
    # EXT4-fs error, sshd "error:", nginx "[crit]" (critical)
    assert (scan.errors, scan.critical, scan.scanned) == (2, 1, 5)
    assert len(scan.last) == 2 and scan.last[-1].endswith("Connection closed by remote host")
    (rec,) = _valid(H.eval_logs(scan, "/var/log/syslog", "2024-05-02 09:00:00", 1, None, 1))
    assert (rec["status"], rec["value"], rec["details"]["critical"]) == (CRITICAL, 3, 1)


def test_log_scan_three_error_lines_warn_with_those_lines():
    scan = H.LogScan()
    lab_line = ("Nov 25 21:40:00 siak-app01 kernel: EXT4-fs error (device vda1): ext4_find_entry:1455: inode #2: comm siak: "
                "reading directory lblock 0")
    for line in _read("syslog.lab-app01.txt").splitlines() + [lab_line] * 3:
        scan.add_line(line)
    (rec,) = H.eval_logs(scan, "/var/log/syslog", "x", 1, None, 1)
    assert (rec["status"], rec["value"]) == (WARNING, 3)
    assert rec["details"]["last_lines"] == [lab_line] * 3


def test_log_scan_bounded_ignore_and_messages_file():
    scan = H.LogScan(ignore_pattern=r"oom_reaper", keep=10, line_chars=40)
    for line in _read("messages.rocky9-bsd.txt").splitlines():
        scan.add_line(line)
    assert (scan.errors, scan.critical) == (1, 0)  # "Out of memory"; the oom_reaper line is ignored
    assert len(scan.last[0]) == 40 and scan.last[0].endswith("...")


def test_log_scan_keeps_few_lines_and_masks_nik_numbers():
    scan = H.LogScan(keep=500)
    for n in range(40):
        scan.add_line("Nov 25 21:40:%02d siak-app01 siak[77]: error: NIK 640102123456%04d ditolak" % (n, n))
    assert scan.errors == 40 and len(scan.last) == H.MAX_KEEP_LINES == 20
    assert all("ditolak" in line and "****************" in line and "6401021234" not in line for line in scan.last)
    assert H.LogScan().keep == 5  # the default keeps five


def test_log_scan_journal_priorities():
    scan = H.LogScan()
    for entry in P.parse_journal_json(_read("journal-err.json")):
        scan.add_entry(entry["priority"], entry["message"])
    assert (scan.errors, scan.critical) == (2, 1)
    (rec,) = H.eval_logs(scan, "journal", "x", 1, None, None)
    assert rec["status"] == WARNING  # critical lines only count when logs_crit_lines is set


def test_log_scan_clean_log_is_ok():
    scan = H.LogScan()
    for line in _read("syslog.lab-app01.txt").splitlines():
        scan.add_line(line)
    (rec,) = H.eval_logs(scan, "/var/log/syslog", "x", 1, None, 1)
    assert (rec["status"], rec["value"], rec["details"]["last_lines"]) == (OK, 0, [])


def _loc(hours, size=4 << 20, exists=True):
    return {"path": "/srv/backup", "exists": exists, "files": 3,
            "newest": {"path": "/srv/backup/siak-db.dmp", "size": size, "age_seconds": hours * 3600}}


@pytest.mark.parametrize("loc,status", [
    (_loc(8), OK), (_loc(30), WARNING), (_loc(24 * 4), CRITICAL), (_loc(1, size=0), CRITICAL),
    ({"path": "/srv/backup", "exists": False}, CRITICAL), ({"path": "/srv/backup", "exists": True, "files": 0}, CRITICAL),
    ({"path": "/srv/backup", "error": "Permission denied"}, UNKNOWN)])
def test_backups(loc, status):
    (rec,) = _valid(H.eval_backups([loc], 26, 72, 1))
    assert rec["status"] == status and rec["item"] == "/srv/backup"


def test_a_backup_far_smaller_than_the_same_jobs_previous_one_warns():
    """A dump cut short (the disk filled up at night) is fresh and not empty: age and size
    alone called it OK."""
    loc = _loc(8, size=120 << 10)
    loc["newest"]["previous"] = {"path": "/srv/backup/siak-db-20261202.dmp", "size": 4 << 20}
    (rec,) = _valid(H.eval_backups([loc], 26, 72, 1, 50))
    assert rec["status"] == WARNING and rec["details"]["previous_size_bytes"] == 4 << 20
    assert "Jauh lebih kecil dari cadangan sebelumnya /srv/backup/siak-db-20261202.dmp (4,0 MiB): hanya 2,9%" in rec["message"]
    # Not compared: no threshold, or the previous size is unknown (0); an older one keeps its worse status.
    assert H.eval_backups([loc], 26, 72, 1, 0)[0]["status"] == OK
    assert H.eval_backups([loc], 26, 72, 1)[0]["status"] == OK
    old = _loc(24 * 4, size=120 << 10)
    old["newest"]["previous"] = loc["newest"]["previous"]
    assert H.eval_backups([old], 26, 72, 1, 50)[0]["status"] == CRITICAL
    # Day-to-day growth or a small shrink is normal (the lab: 4 MiB after 3 MiB).
    for size in (3 << 20, 5 << 20, (4 << 20) // 2 + 1):
        grown = _loc(8, size=size)
        grown["newest"]["previous"] = {"path": "/srv/backup/siak-db-20261202.dmp", "size": 4 << 20}
        assert H.eval_backups([grown], 26, 72, 1, 50)[0]["status"] == OK, size


def test_updates_from_captured_apt_and_dnf():
    packages = P.parse_apt_simulate(_read("apt-get-s-dist-upgrade.debian12.txt"))
    pending, security = _valid(H.eval_updates({"manager": "apt", "packages": packages}, 1, None, None, 1))
    assert (pending["status"], pending["value"], security["status"], security["value"]) == (WARNING, 120, CRITICAL, 74)
    dnf = {"manager": "dnf", "packages": P.parse_dnf_check_update(_read("dnf-check-update.rocky9.txt")),
           "security_count": P.parse_dnf_updateinfo_security(_read("dnf-updateinfo-security.rocky9.txt"))["packages"]}
    pending, security = _valid(H.eval_updates(dnf, 1, None, None, 1))
    assert (pending["value"], security["value"]) == (8, 5)
    pending, security = H.eval_updates({"manager": "apt", "packages": P.parse_apt_simulate(_read("apt-get-s-upgrade.uptodate.txt"))},
                                       1, None, None, 1)
    assert (pending["status"], security["status"]) == (OK, OK)


def test_a_restart_the_installed_updates_wait_for_is_a_warning_naming_them():
    params = {"updates_warn": 1, "updates_crit": None, "security_warn": 1, "security_crit": 5}
    flag = {"since": 1714500000.0, "age_seconds": 2 * 86400 + 3600, "packages": ["libc6", "linux-image-6.1.0-28-amd64"]}
    records = _valid(H.judge_updates({"manager": "apt", "packages": [], "reboot": flag}, params))
    assert [(r["item"], r["status"]) for r in records] == [("packages", OK), ("security", OK), ("reboot", WARNING)]
    assert records[2]["message"] == ("Pembaruan yang sudah terpasang menunggu nyala ulang sejak 2 hari 1 jam lalu: libc6, "
                                     "linux-image-6.1.0-28-amd64; sampai itu, versi lama yang berjalan.")
    ok = _valid(H.judge_updates({"manager": "apt", "packages": [], "reboot": None}, params))[2]
    assert (ok["item"], ok["status"]) == ("reboot", OK)
    # The updates could not be counted: the restart is still told; a dnf host has no such record.
    records = _valid(H.judge_updates({"manager": "apt", "reason": "no-lists", "reboot": flag}, params))
    assert [(r["item"], r["status"]) for r in records] == [("packages", UNKNOWN), ("reboot", WARNING)]
    assert [r["item"] for r in H.judge_updates({"manager": "dnf", "packages": []}, params)] == ["packages", "security"]


def test_updates_unknown_with_reason():
    (rec,) = _valid(H.eval_updates({"manager": "apt", "error": "tidak ada repositori yang dapat dihubungi (x)",
                                    "error_en": "no repository can be reached (x)"}, 1, None, None, 1))
    assert rec["status"] == UNKNOWN and "dihubungi" in rec["message"] and "reached" in rec["message_en"]


@pytest.mark.parametrize("fixture,expected", [
    ("mdstat.healthy.txt", [("md1", OK, "healthy"), ("md0", OK, "healthy")]),
    ("mdstat.degraded.txt", [("md0", CRITICAL, "degraded")]),
    ("mdstat.recovering.txt", [("md0", WARNING, "recovering"), ("md1", OK, "healthy")]),
    ("mdstat.check-and-inactive.txt", [("md2", OK, "checking"), ("md127", CRITICAL, "inactive")])])
def test_raid(fixture, expected):
    records = _valid(H.eval_raid(P.parse_mdstat(_read(fixture))))
    assert [(r["item"], r["status"], r["value"]) for r in records] == expected


def test_defaults_follow_design():
    d = H.DEFAULTS
    assert (d["disk_warn"], d["disk_crit"], d["inode_warn"], d["inode_crit"]) == (80, 90, 90, 95)
    assert (d["memory_warn"], d["memory_crit"], d["load_warn"], d["load_crit"]) == (80, 90, 1.5, 3.0)
    assert (d["time_offset_warn"], d["time_offset_crit"]) == (1.0, 60.0)


@pytest.mark.parametrize("spec", [{"units": ["x"]}, 5])
def test_bad_service_spec_is_refused(spec):
    with pytest.raises(ValueError):
        H.normalize_service(spec)


def test_a_service_or_port_named_twice_is_checked_once():
    units = None
    states = {"ssh": "running", "nginx": "running"}
    specs = [{"name": "sshd", "units": ["sshd", "ssh"], "process": "sshd"}, "nginx", "sshd"]
    records = _valid(H.eval_services(specs, units, states, PROCS))
    assert [r["item"] for r in records] == ["sshd", "nginx"]  # the first position is kept
    # The later expectation wins: "sshd" alone looks for a unit called sshd, then the process.
    assert records[0]["details"]["source"] == "process:sshd"
    tcp = {22: ["0.0.0.0"]}
    assert [r["item"] for r in _valid(H.eval_ports([22, "tcp/22", "22", "udp/123"], tcp, {}))] == ["tcp/22", "udp/123"]


def test_a_log_pattern_that_is_not_a_regular_expression_names_its_option():
    with pytest.raises(ValueError, match=r"logs_ignore_pattern '\(' bukan ekspresi reguler"):
        H.LogScan(ignore_pattern="(")
