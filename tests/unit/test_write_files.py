"""Writing a round's files in one call (module_utils/siak_files.write_files, library/siak_write_files):
in order, each atomically, stopping at the first failure, the state never under --check.

Everything is written for real in tmp_path; failures are real ones (a folder where a file
should go, a file where a folder should go), not mocks. The last tests run it through Ansible
(``ansible localhost -c local``: the action, which runs the module's logic in its own process).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ansible.module_utils.siak_files import WriteFilesError, parse_mode, plan_files, render_state, run, write_files

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE = Path(sys.executable).parent / "ansible"
STATE = {"boot_time": 1764600000, "time": 1764650000.5}


def mode_of(path):
    return os.stat(path).st_mode & 0o7777


def leftovers(folder):
    return sorted(p.name for p in Path(folder).iterdir() if p.name.startswith(".siak-"))


def round_files(tmp_path):
    """A report's call: the round's folder, its results, its report page, then one state file."""
    folder = tmp_path / "reports" / "r1"
    return folder, [
        {"path": str(folder), "directory": True},
        {"path": str(folder / "results.json"), "content": '{"records": []}\n'},
        {"path": str(folder / "hasil.csv"), "content": "\ufeffperangkat;status\r\nsiak-app01;Normal\r\n"},
        {"path": str(tmp_path / "state" / "hosts" / "siak-app01.json"), "state": STATE},
    ]


def test_files_are_written_in_order_with_their_modes(tmp_path):
    folder, entries = round_files(tmp_path)
    written, held_back = write_files(entries)
    assert written == [e["path"] for e in entries] and held_back == []
    assert (folder / "results.json").read_text() == '{"records": []}\n'
    assert (folder / "hasil.csv").read_bytes() == "\ufeffperangkat;status\r\nsiak-app01;Normal\r\n".encode("utf-8")
    assert json.loads((tmp_path / "state" / "hosts" / "siak-app01.json").read_text()) == STATE
    assert (tmp_path / "state" / "hosts" / "siak-app01.json").read_text() == render_state(STATE)
    assert mode_of(folder) == 0o750 and mode_of(tmp_path / "state" / "hosts") == 0o750
    assert {mode_of(folder / n) for n in ("results.json", "hasil.csv")} == {0o640}
    assert leftovers(folder) == [] and leftovers(tmp_path / "state" / "hosts") == []


def test_a_file_that_holds_its_content_is_left_alone_and_a_wrong_mode_is_fixed(tmp_path):
    folder, entries = round_files(tmp_path)
    write_files(entries)
    inode = os.stat(folder / "results.json").st_ino
    assert write_files(entries) == ([], [])
    assert os.stat(folder / "results.json").st_ino == inode
    os.chmod(folder / "results.json", 0o644)
    os.chmod(folder, 0o755)
    assert write_files(entries) == ([str(folder), str(folder / "results.json")], [])
    assert mode_of(folder / "results.json") == 0o640 and mode_of(folder) == 0o750
    changed = [dict(entries[1], content='{"records": [1]}\n')]
    assert write_files(changed) == ([str(folder / "results.json")], [])
    assert (folder / "results.json").read_text() == '{"records": [1]}\n'


def test_modes_per_entry_and_per_call(tmp_path):
    entries = [{"path": str(tmp_path / "d"), "directory": True, "mode": "0700"},
               {"path": str(tmp_path / "d" / "a.txt"), "content": "a", "mode": 0o600},
               {"path": str(tmp_path / "d" / "b.txt"), "content": "b"}]
    write_files(entries, file_mode=0o644)
    assert mode_of(tmp_path / "d") == 0o700
    assert mode_of(tmp_path / "d" / "a.txt") == 0o600 and mode_of(tmp_path / "d" / "b.txt") == 0o644
    assert parse_mode("0640", 0) == 0o640 and parse_mode("750", 0) == 0o750 and parse_mode(None, 0o640) == 0o640
    for bad in ("rw-r-----", "99999", -1):
        with pytest.raises(ValueError):
            parse_mode(bad, 0)


def test_the_first_failure_stops_the_call_and_names_the_file(tmp_path):
    """results.json cannot be written (a folder stands in its place): the state after it is not kept."""
    folder, entries = round_files(tmp_path)
    (folder / "results.json").mkdir(parents=True)
    with pytest.raises(WriteFilesError) as caught:
        write_files(entries)
    assert caught.value.path == str(folder / "results.json")
    assert str(folder / "results.json") in str(caught.value)
    assert caught.value.written == [str(folder)]
    assert not (folder / "hasil.csv").exists()
    assert not (tmp_path / "state").exists()
    assert leftovers(folder) == []  # the temporary file of the failed write is gone


def test_a_file_whose_folder_cannot_be_made_is_named(tmp_path):
    (tmp_path / "state").write_text("a file where a folder should be")
    entries = [{"path": str(tmp_path / "a.json"), "content": "{}\n"},
               {"path": str(tmp_path / "state" / "hosts" / "h.json"), "state": STATE},
               {"path": str(tmp_path / "b.json"), "content": "{}\n"}]
    with pytest.raises(WriteFilesError) as caught:
        write_files(entries)
    assert caught.value.path == str(tmp_path / "state" / "hosts" / "h.json")
    assert caught.value.written == [str(tmp_path / "a.json")] and not (tmp_path / "b.json").exists()


def test_an_existing_file_is_replaced_whole_or_not_at_all(tmp_path):
    path = tmp_path / "round.json"
    path.write_text('{"complete": false}\n')
    os.chmod(path, 0o640)
    entries = [{"path": str(path), "content": '{"complete": true}\n'},
               {"path": str(tmp_path / "x.json"), "content": "\udc80 cannot be encoded"}]
    with pytest.raises(WriteFilesError) as caught:
        write_files(entries)  # checked before anything is written
    assert caught.value.path == str(tmp_path / "x.json")
    assert path.read_text() == '{"complete": false}\n' and leftovers(tmp_path) == []
    write_files(entries[:1])
    assert path.read_text() == '{"complete": true}\n' and leftovers(tmp_path) == []


@pytest.mark.parametrize("entry, reason", [
    ({"path": "/x", "content": "a", "state": {}}, "exactly one"),
    ({"path": "/x"}, "exactly one"),
    ({"path": "/x", "content": "a", "directory": True}, "exactly one"),
    ({"path": "", "content": "a"}, "no path"),
    ({"path": "/x", "state": ["not", "a", "mapping"]}, "mapping"),
    ({"path": "/x", "state": {"t": object()}}, "serializable"),
    ({"path": "/x", "content": 5}, "not text"),
    ({"path": "/x", "content": "a", "mode": "u+rw"}, "octal"),
])
def test_a_bad_entry_is_refused_before_anything_is_written(tmp_path, entry, reason):
    first = {"path": str(tmp_path / "first.json"), "content": "{}\n"}
    with pytest.raises(WriteFilesError) as caught:
        write_files([first, entry])
    assert reason in str(caught.value)
    assert not (tmp_path / "first.json").exists()


def test_check_mode_writes_the_documents_but_never_the_state(tmp_path):
    folder, entries = round_files(tmp_path)
    state_path = entries[-1]["path"]
    written, held_back = write_files(entries, check_mode=True, documents_in_check_mode=True)
    assert written == [e["path"] for e in entries[:-1]] and held_back == [state_path]
    assert (folder / "results.json").is_file() and not os.path.exists(state_path)


def test_check_mode_alone_writes_nothing_and_says_what_would_change(tmp_path):
    folder, entries = round_files(tmp_path)
    written, held_back = write_files(entries, check_mode=True)
    assert written == [] and held_back == [e["path"] for e in entries]
    assert not (tmp_path / "reports").exists() and not (tmp_path / "state").exists()


def test_plan_names_the_kinds():
    kinds = [k for k, *_ in plan_files([{"path": "/a", "directory": True}, {"path": "/a/b", "content": ""},
                                        {"path": "/s", "state": {}}])]
    assert kinds == ["directory", "document", "state"]


# --- the module, run for real ----------------------------------------------------------------

def run_module(args, *options):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_CALLBACK_RESULT_FORMAT="json",
               ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOCALHOST_WARNING="0")
    proc = subprocess.run([str(ANSIBLE), "localhost", "-c", "local", *options, "-m", "siak_write_files",
                           "-a", json.dumps(args)],
                          cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=120, check=False)
    head, sep, body = proc.stdout.partition("=>")
    assert sep, proc.stdout + proc.stderr
    return proc.returncode, head, json.loads(body)


def test_the_module_under_check_writes_the_report_and_keeps_the_state_back(tmp_path):
    folder, entries = round_files(tmp_path)
    rc, head, result = run_module({"files": entries, "documents_in_check_mode": True}, "--check")
    assert rc == 0 and "CHANGED" in head, result
    assert result["written"] == [e["path"] for e in entries[:-1]] and result["held_back"] == [entries[-1]["path"]]
    assert (folder / "hasil.csv").read_bytes().startswith("\ufeff".encode("utf-8"))
    assert not (tmp_path / "state").exists()
    rc, head, result = run_module({"files": entries})
    assert rc == 0 and result["written"] == [entries[-1]["path"]] and result["changed"] is True
    assert json.loads(Path(entries[-1]["path"]).read_text()) == STATE


def test_the_module_fails_naming_the_file(tmp_path):
    folder, entries = round_files(tmp_path)
    (folder / "results.json").mkdir(parents=True)
    rc, head, result = run_module({"files": entries})
    assert rc != 0 and "FAILED" in head
    assert result["path"] == str(folder / "results.json") and str(folder / "results.json") in result["msg"]
    assert result["written"] == [str(folder)] and not (tmp_path / "state").exists()


def test_the_module_and_its_action_share_one_result(tmp_path):
    # module_utils/siak_files.run gives the result of both the module (any connection) and the
    # action (the local one, which the tests above run through `ansible localhost -c local`).
    folder, entries = round_files(tmp_path)
    params = {"files": entries, "mode": "0640", "folder_mode": "0750", "documents_in_check_mode": False}
    done = run(dict(params), check_mode=False)
    assert done == {"changed": True, "written": [e["path"] for e in entries], "held_back": []}
    assert run(dict(params), check_mode=False) == {"changed": False, "written": [], "held_back": []}
    bad = run(dict(params, mode="rw-all"), check_mode=False)
    assert bad["failed"] is True and "rw-all" in bad["msg"]
