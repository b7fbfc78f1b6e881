"""Data-driven tests of the host parsers on captured command output (fixtures/host/cases.yml)."""

from __future__ import annotations

import builtins
import time
from pathlib import Path

import pytest
import yaml

from ansible.module_utils import siak_host_parse as P

FIXTURES = Path(__file__).parent / "fixtures" / "host"
CASES = yaml.safe_load((FIXTURES / "cases.yml").read_text(encoding="utf-8"))


def _subset(actual, expected, where="result"):
    """Assert that ``expected`` is contained in ``actual`` (dict keys, list items by index)."""
    if isinstance(expected, dict):
        assert isinstance(actual, dict), "%s: expected a mapping, got %r" % (where, actual)
        for key, value in expected.items():
            assert key in actual, "%s: missing key %r in %r" % (where, key, sorted(actual))
            _subset(actual[key], value, "%s[%r]" % (where, key))
    elif isinstance(expected, list):
        assert isinstance(actual, (list, tuple)), "%s: expected a list, got %r" % (where, actual)
        assert len(actual) >= len(expected), "%s: %d items, expected at least %d" % (where, len(actual), len(expected))
        for index, value in enumerate(expected):
            _subset(actual[index], value, "%s[%d]" % (where, index))
    elif isinstance(expected, float):
        assert actual == pytest.approx(expected, rel=1e-9, abs=1e-12), "%s: %r != %r" % (where, actual, expected)
    else:
        assert actual == expected, "%s: %r != %r" % (where, actual, expected)


@pytest.mark.parametrize("case", CASES, ids=lambda c: "%s-%s" % (c["parser"], c["fixture"]))
def test_parser_on_captured_output(case):
    parser = getattr(P, case["parser"])
    text = (FIXTURES / case["fixture"]).read_text(encoding="utf-8")
    args = case.get("args", [])
    kwargs = case.get("kwargs", {})
    if "raises" in case:
        with pytest.raises(getattr(builtins, case["raises"])):
            parser(text, *args, **kwargs)
        return
    result = parser(text, *args, **kwargs)
    if "length" in case:
        assert len(result) == case["length"]
    for key, count in case.get("count_true", {}).items():
        assert sum(1 for item in result if item[key]) == count
    if "expect" in case:
        _subset(list(result) if isinstance(result, tuple) else result, case["expect"])


def test_every_fixture_is_used_by_a_case_or_a_test():
    used = {c["fixture"] for c in CASES} | {
        "proc-mounts.lab-bak01.txt", "proc-mounts.lab-app01.txt", "syslog.lab-app01.txt",
        "proc-mounts.lab-app01-readonly.txt", "fstab.lab-app01.txt", "fstab.debian12-installer.txt",
        "syslog.debian12-rfc3339.txt", "messages.rocky9-bsd.txt",
        # read by test_filters.py (a module's interpreter too old for Ansible)
        "ansiballz-stderr.python27.txt", "ansiballz-stderr.python36.txt", "ansiballz-stderr.python37.txt"}
    present = {p.name for p in FIXTURES.iterdir() if p.suffix not in (".yml", ".md")}
    assert present - used == set()


def test_real_filesystems_on_lab_mounts_skips_pseudo_and_bind_mounts():
    mounts = P.parse_mounts((FIXTURES / "proc-mounts.lab-bak01.txt").read_text())
    kept = [(m["mountpoint"], m["device"], m["fstype"]) for m in P.real_filesystems(mounts)]
    # /var/log and /srv/backup are bind mounts of /dev/vda: "/" stands for the device.
    assert kept == [("/", "/dev/vda", "ext4"), ("/srv/data", "/dev/labdata", "tmpfs")]


def test_real_filesystems_exclusions_and_escapes():
    text = ("/dev/sda1 / ext4 rw 0 0\n/dev/sdb1 /srv/data\\040siak xfs rw 0 0\n"
            "/dev/loop0 /snap/core/1 squashfs ro 0 0\n192.168.1.5:/backup /mnt/nfs nfs4 rw 0 0\n"
            "/dev/sdc1 /media/usb vfat rw 0 0\n")
    mounts = P.real_filesystems(P.parse_mounts(text), exclude_fstypes=["vfat"], exclude_mountpoints=["/mnt/*"])
    assert [m["mountpoint"] for m in mounts] == ["/", "/srv/data siak"]
    mounts = P.real_filesystems(P.parse_mounts(text))
    assert [m["mountpoint"] for m in mounts] == ["/", "/media/usb", "/mnt/nfs", "/srv/data siak"]


def test_fstab_names_how_each_filesystem_is_meant_to_be_mounted():
    table = P.parse_fstab((FIXTURES / "fstab.debian12-installer.txt").read_text())
    # Comments and swap are skipped; \040 is a space, as in /proc/mounts.
    assert table == {"/": ["errors=remount-ro"], "/srv/oradata": ["defaults"], "/media/cdrom0": ["user", "noauto"],
                     "/mnt/siak iso": ["loop", "ro"]}
    assert P.parse_fstab((FIXTURES / "fstab.lab-app01.txt").read_text()) == {
        "/srv/data": ["defaults", "size=64m", "mode=0755"]}
    assert P.parse_fstab("") == {} and P.parse_fstab("# UNCONFIGURED FSTAB FOR BASE SYSTEM\n") == {}
    assert P.parse_fstab("/dev/sdb1 /srv/data/ xfs ro 0 2\n/dev/sda1 / ext4 rw 0 1\n") == {"/srv/data": ["ro"], "/": ["rw"]}


@pytest.mark.parametrize("blocks,bfree,bavail,files,ffree,pct,ipct", [
    (16384, 16384, 16384, 3085510, 3085509, 0.0, 0.0),        # empty 64 MiB tmpfs of the lab
    (16384, 1311, 1311, 3085510, 3085505, 92.0, 0.0),         # filled to 92 %
    (1000, 200, 150, 0, 0, 84.2, None),                        # root reserve counts as used; no inode table
])
def test_statvfs_usage_like_df(blocks, bfree, bavail, files, ffree, pct, ipct):
    usage = P.statvfs_usage(4096, blocks, bfree, bavail, files, ffree)
    assert usage["used_pct"] == pct
    assert usage["inodes_pct"] == ipct
    assert usage["avail_bytes"] == bavail * 4096


def test_memory_usage_uses_memavailable_and_falls_back():
    info = P.parse_meminfo((FIXTURES / "proc-meminfo.debian12.txt").read_text())
    usage = P.memory_usage(info)
    assert usage["basis"] == "MemAvailable"
    assert usage["used_pct"] == round(100.0 * (24684084 - 24000048) / 24684084, 1)
    assert usage["swap_pct"] is None
    old_kernel = {"MemTotal": 1000, "MemFree": 100, "Buffers": 50, "Cached": 150, "SwapTotal": 400, "SwapFree": 100}
    usage = P.memory_usage(old_kernel)
    assert usage["used_pct"] == 70.0 and usage["swap_pct"] == 75.0


def test_find_processes_by_comm_argv0_and_interpreter_script():
    procs = [(1, "sshd", ["sshd: /usr/sbin/sshd -D -f /x"]), (17, "chronyd", ["/usr/sbin/chronyd", "-x"]),
             (18, "python3", ["/usr/bin/python3", "/work/main/lab/hosts/tnslsnr.py", "--daemon"]),
             (30, "tnslsnr", ["/u01/app/oracle/product/19c/bin/tnslsnr", "LISTENER", "-inherit"])]
    assert P.find_processes(procs, "sshd") == [1]
    assert P.find_processes(procs, "chronyd") == [17]
    assert P.find_processes(procs, "tnslsnr") == [18, 30]
    assert P.find_processes(procs, "nginx") == []
    # An Oracle instance's process monitor names itself (comm and argv[0]) ora_pmon_<SID>; the
    # lab's stand-in sets its comm only. Another instance's pmon is another process.
    pmon = [(40, "ora_pmon_SIAK", ["ora_pmon_SIAK"]), (41, "ora_pmon_TEST", ["ora_pmon_TEST"]),
            (42, "ora_pmon_SIAK", ["/usr/bin/python3", "/var/lib/siaklab/bin/orapmon.py", "--daemon"])]
    assert P.find_processes(pmon, "ora_pmon_SIAK") == [40, 42]
    assert P.find_processes(pmon, "ora_pmon_SIAKDB") == []


@pytest.mark.parametrize("spec,expected", [(80, ("tcp", 80)), ("tcp/22", ("tcp", 22)), ("udp/123", ("udp", 123)), ("1521", ("tcp", 1521))])
def test_parse_port_spec(spec, expected):
    assert P.parse_port_spec(spec) == expected


@pytest.mark.parametrize("spec", ["sctp/80", "tcp/0", "http", 70000])
def test_parse_port_spec_rejects(spec):
    with pytest.raises(ValueError):
        P.parse_port_spec(spec)


def test_syslog_timestamps_rfc3339_and_bsd():
    lines = (FIXTURES / "syslog.debian12-rfc3339.txt").read_text().splitlines()
    # 2024-05-02T10:02:44.019871+08:00 == 02:02:44.019871 UTC
    assert P.parse_syslog_time(lines[1], 1714700000, time.mktime) == pytest.approx(1714615364.019871)
    now = time.mktime((2024, 5, 2, 12, 0, 0, 0, 0, -1))
    first = (FIXTURES / "messages.rocky9-bsd.txt").read_text().splitlines()[0]
    assert P.parse_syslog_time(first, now, time.mktime) == time.mktime((2024, 5, 2, 10, 0, 1, 0, 0, -1))
    # A December line read in January belongs to the previous year.
    january = time.mktime((2025, 1, 2, 8, 0, 0, 0, 0, -1))
    assert P.parse_syslog_time("Dec 31 23:59:59 host x: y", january, time.mktime) == time.mktime((2024, 12, 31, 23, 59, 59, 0, 0, -1))
    assert P.parse_syslog_time("  continuation of a line", now, time.mktime) is None


def test_repository_endpoints():
    uris = P.parse_apt_sources((FIXTURES / "apt-sources.list.ubuntu2204.list").read_text())
    result = P.repository_endpoints(uris + ["cdrom:[Ubuntu 22.04]/", "file:/srv/mirror"])
    assert result == {"endpoints": [("id.archive.ubuntu.com", 80), ("repo.kantor.example", 8443), ("security.ubuntu.com", 80)],
                      "local": True}
    uris = P.parse_yum_repos((FIXTURES / "yum-repos.rocky9.repo").read_text())
    assert P.repository_endpoints(uris)["endpoints"] == [("mirrors.rockylinux.org", 443), ("10.10.1.5", 80), ("10.10.1.6", 80)]
