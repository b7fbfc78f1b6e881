"""The thin parts of library/siak_switch_hostkey.py that need no switch: its documentation
against its argument spec, the atomic write and the folder lock."""

import os
import threading
import time
from pathlib import Path

import pytest
import yaml
from ..source import load_source


MODULE = Path(__file__).resolve().parents[2] / "library" / "siak_switch_hostkey.py"


@pytest.fixture(scope="module")
def mod():
    return load_source(MODULE, "siak_switch_hostkey")


def test_it_returns_what_its_documentation_says(mod):
    # tests/unit/test_module_docs.py checks the options of every module against its ARGUMENT_SPEC.
    assert {"outcome", "fingerprint_sha256", "fingerprint_md5", "line", "msg"} <= set(yaml.safe_load(mod.RETURN))


def test_write_is_atomic_and_keeps_the_mode(mod, tmp_path):
    path = tmp_path / "switch_known_hosts"
    mod.write_atomically(str(path), "a\n")
    assert path.read_text() == "a\n" and oct(os.stat(path).st_mode & 0o777) == "0o644"
    os.chmod(path, 0o600)
    mod.write_atomically(str(path), "a\nb\n")
    assert path.read_text() == "a\nb\n" and oct(os.stat(path).st_mode & 0o777) == "0o600"
    assert [p.name for p in tmp_path.iterdir()] == ["switch_known_hosts"]  # no temporary file left


def test_missing_file_reads_as_empty(mod, tmp_path):
    assert mod.read_text(str(tmp_path / "none")) == ""


def test_folder_lock_serialises_writers(mod, tmp_path):
    order = []

    def hold():
        with mod.FolderLock(str(tmp_path)):
            order.append("first in")
            time.sleep(0.3)
            order.append("first out")

    thread = threading.Thread(target=hold)
    thread.start()
    time.sleep(0.1)
    with mod.FolderLock(str(tmp_path)):
        order.append("second in")
    thread.join()
    assert order == ["first in", "first out", "second in"]
    assert list(tmp_path.iterdir()) == []  # no lock file left behind
