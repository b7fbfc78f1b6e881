"""Verify the schedule: the timer and its service, the cron entry, and a removed schedule
leaving nothing behind (files in molecule's scratch roots, read through testinfra)."""

import os

ROOT = os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]


def test_the_systemd_timer_runs_the_round_weekly(host):
    timer = host.file(ROOT + "/root-systemd/etc/systemd/system/siak-pemeliharaan.timer")
    service = host.file(ROOT + "/root-systemd/etc/systemd/system/siak-pemeliharaan.service")
    assert timer.is_file and service.is_file
    assert "OnCalendar=Wed *-*-* 06:30:00" in timer.content_string
    assert "Persistent=true" in timer.content_string
    text = service.content_string
    assert "User=siakops" in text and "Type=oneshot" in text
    assert "-m routine run" in text and "--keep 8" in text and "--scope app:switches" in text
    assert not host.file(ROOT + "/root-systemd/etc/cron.d/siak-pemeliharaan").exists


def test_the_cron_entry_runs_the_round_weekly_as_the_operator(host):
    cron = host.file(ROOT + "/root-cron/etc/cron.d/siak-pemeliharaan")
    assert cron.is_file and cron.mode == 0o644
    line = [ln for ln in cron.content_string.splitlines() if ln and not ln.startswith(("#", "SHELL", "PATH", "MAILTO"))]
    assert len(line) == 1 and line[0].startswith("30 6 * * 3 siakops cd "), line
    assert "-m routine run" in line[0] and "--keep 8" in line[0]
    assert "MAILTO=adb@disdukcapil.example.go.id" in cron.content_string
    assert not host.file(ROOT + "/root-cron/etc/systemd/system/siak-pemeliharaan.timer").exists


def test_a_removed_schedule_leaves_nothing(host):
    assert host.file(ROOT + "/root-removed/etc").is_directory  # prepare.yml did install one there
    assert not host.file(ROOT + "/root-removed/etc/systemd/system/siak-pemeliharaan.service").exists
    assert not host.file(ROOT + "/root-removed/etc/cron.d/siak-pemeliharaan").exists
    assert not host.file(ROOT + "/root-removed/etc/systemd/system/siak-pemeliharaan.timer").exists
