"""The thin parts of library/siak_switch_hostkey.py that need no switch: its documentation
against its argument spec, the atomic write and the folder lock."""

import importlib.util
import os
import threading
import time
from pathlib import Path

import pytest
import yaml

from .test_siak_switch_module import argument_spec_of

MODULE = Path(__file__).resolve().parents[2] / "library" / "siak_switch_hostkey.py"


@pytest.fixture(scope="module")
def mod():
    spec = importlib.util.spec_from_file_location("siak_switch_hostkey", MODULE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_documentation_is_yaml_and_matches_the_argument_spec(mod):
    doc = yaml.safe_load(mod.DOCUMENTATION)
    yaml.safe_load(mod.EXAMPLES)
    returns = yaml.safe_load(mod.RETURN)
    assert all(isinstance(item, str) for item in doc["description"])
    assert doc["attributes"]["check_mode"]["support"] == "full"
    spec = argument_spec_of(mod)
    assert set(doc["options"]) == set(spec)
    for name, option in doc["options"].items():
        assert option["type"] == spec[name]["type"], name
        assert option.get("required", False) == spec[name].get("required", False), name
        assert option.get("default") == spec[name].get("default"), name
    assert {"outcome", "fingerprint_sha256", "fingerprint_md5", "line", "msg"} <= set(returns)


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
