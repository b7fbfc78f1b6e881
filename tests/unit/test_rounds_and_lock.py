"""The history read from the rounds' own folders, and the one-round-at-a-time lock."""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from ..source import load_source

ROOT = Path(__file__).resolve().parents[2]


def _load(name, path):
    return load_source(path, name)


rounds_lookup = _load("siak_rounds_lookup", "lookup_plugins/siak_rounds.py")
lock = _load("siak_round_lock_callback", "playbooks/callback_plugins/siak_round_lock.py")

SUMMARY = {"status": "WARNING", "counts": {"OK": 9, "WARNING": 1, "CRITICAL": 0, "UNKNOWN": 0, "total": 10},
           "grade_counts": {"Baik": 3, "Cukup": 1, "Kurang": 0, "Rusak": 0}}


def _round(folder, rid, started, complete=True, results=True, status_file=True, page=True):
    path = folder / rid
    path.mkdir(parents=True)
    header = {"id": rid, "started": started, "operator": "Petugas ADB", "check_mode": False}
    if status_file:
        data = {"format": "siak-round-status/1", "complete": complete, "round": header}
        if complete:
            data["summary"] = SUMMARY
        (path / "round.json").write_text(json.dumps(data))
    if results:
        (path / "results.json").write_text(json.dumps({"round": header, "summary": SUMMARY,
                                                       "records": [{"status": "WARNING"}]}))
    if page:
        (path / "index.html").write_text("<p>laporan</p>")


def test_rounds_are_read_from_their_own_folders_newest_first(tmp_path):
    _round(tmp_path, "20261201-080000-aaaa", "2026-12-01T08:00:00")
    _round(tmp_path, "20261202-080000-bbbb", "2026-12-02T08:00:00", complete=False, results=False, page=False)
    _round(tmp_path, "lama", "2026-11-01T08:00:00", status_file=False)  # before round.json existed
    (tmp_path / "history.json").write_text("{ damaged")
    (tmp_path / "kosong").mkdir()
    (tmp_path / "bukan folder").write_text("x")
    out = rounds_lookup.rounds(str(tmp_path))
    assert [(e["id"], e["complete"], e["status"]) for e in out] == [
        ("20261202-080000-bbbb", False, None), ("20261201-080000-aaaa", True, "WARNING"), ("lama", True, "WARNING")]
    assert out[1]["href"] == "20261201-080000-aaaa/index.html" and out[0]["href"] is None
    assert out[1]["counts"]["WARNING"] == 1 and out[0]["counts"] is None


def test_a_round_that_says_complete_but_has_no_results_is_incomplete(tmp_path):
    _round(tmp_path, "r1", "2026-12-01T08:00:00", results=False)
    assert rounds_lookup.rounds(str(tmp_path))[0]["complete"] is False


def test_damaged_or_foreign_round_files_are_skipped_not_fatal(tmp_path):
    bad = tmp_path / "r1"
    bad.mkdir()
    (bad / "round.json").write_text("[1, 2")
    moved = tmp_path / "r2"
    _round(tmp_path, "r3", "2026-12-01T08:00:00")
    os.rename(tmp_path / "r3", moved)  # a folder renamed by hand speaks of another round
    legacy = tmp_path / "r4"
    legacy.mkdir()
    (legacy / "results.json").write_text(json.dumps({"round": {"id": "r4", "started": "x"}, "records": [
        {"status": "CRITICAL"}, {"status": "OK"}, "junk"]}))
    out = rounds_lookup.rounds(str(tmp_path))
    assert [(e["id"], e["status"], e["counts"]["total"]) for e in out] == [("r4", "CRITICAL", 2)]
    assert rounds_lookup.rounds(str(tmp_path / "missing")) == []


def test_the_lock_is_taken_once_and_names_its_holder(tmp_path):
    path = str(tmp_path / "state" / "round.lock")
    # The lock belongs to an open file: another process must hold it for the second take to fail.
    holder = subprocess.Popen([sys.executable, "-c", (
        "import importlib.util,sys,time;"
        "s=importlib.util.spec_from_file_location('l', %r);m=importlib.util.module_from_spec(s);s.loader.exec_module(m);"
        "assert m.take(%r, {'pid': 1234, 'playbook': 'maintenance.yml'}) is None;print('held', flush=True);time.sleep(30)"
    ) % (str(ROOT / "playbooks/callback_plugins/siak_round_lock.py"), path)], stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "held"
        assert lock.take(path, {"pid": 1}) == {"pid": 1234, "playbook": "maintenance.yml"}
    finally:
        holder.kill()
        holder.wait()
    assert lock.take(path, {"pid": 2}) is None  # the lock went with its process
    assert oct(os.stat(path).st_mode & 0o777) == "0o640"


def test_the_lock_file_follows_the_state_folder():
    assert lock.default_lock_file({"siak_state_dir": "/srv/siak/state"}) == "/srv/siak/state/round.lock"
    assert lock.default_lock_file({"siak_state_dir": "{{ inventory_dir }}/state"}) == str(ROOT / "state" / "round.lock")
    assert lock.default_lock_file({}) == str(ROOT / "state" / "round.lock")
