"""The thin collecting side of library/siak_host_check.py, on this machine (no mocks).

Network use stays on loopback (127.0.0.1).
"""

from __future__ import annotations

import importlib.util
import os
import socket
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
_SPEC = importlib.util.spec_from_file_location("siak_host_check_module", ROOT / "library" / "siak_host_check.py")
M = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(M)


class _FakeModule:
    """Only get_bin_path is needed by Host.run's callers; Host.run itself runs for real."""

    @staticmethod
    def get_bin_path(name, required=False, opt_dirs=None):
        return None


def test_repository_probe_reachable_and_refused_on_loopback():
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    port = listener.getsockname()[1]
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    try:
        reachable, errors = M.probe_endpoints([("127.0.0.1", closed_port), ("127.0.0.1", port)], 3)
        assert reachable == "127.0.0.1:%d" % port
        assert len(errors) == 1 and "refused" in errors[0].lower()
        started = time.monotonic()
        reachable, errors = M.probe_endpoints([("127.0.0.1", closed_port)], 3)
        assert reachable is None and errors and time.monotonic() - started < 1
    finally:
        listener.close()


def test_run_kills_a_command_at_its_timeout():
    host = M.Host(_FakeModule(), timeout=0.5)
    started = time.monotonic()
    rc, _out, err = host.run(["/bin/sleep", "5"])
    assert rc is None and "timed out" in err
    assert time.monotonic() - started < 3
    rc, out, _err = host.run(["/bin/sh", "-c", "echo $LC_ALL"])
    assert (rc, out.strip()) == (0, "C")


def test_statvfs_with_deadline_and_newest_file(tmp_path):
    st, error = M.statvfs_with_deadline("/", 5)
    assert error is None and st.f_blocks > 0
    st, error = M.statvfs_with_deadline(str(tmp_path / "missing"), 5)
    assert st is None and "No such file" in error
    (tmp_path / "2024" / "05").mkdir(parents=True)
    old = tmp_path / "2024" / "db-old.dmp"
    new = tmp_path / "2024" / "05" / "db-new.dmp"
    old.write_bytes(b"x" * 10)
    new.write_bytes(b"y" * 20)
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    newest, count = M.newest_file(str(tmp_path))
    assert (newest["path"], newest["size"], count) == (str(new), 20, 2)
    assert M.newest_file(str(tmp_path), max_depth=0) == (None, 0)


def test_read_segment_keeps_complete_lines_and_bounds_bytes(tmp_path):
    log = tmp_path / "syslog"
    log.write_bytes(b"one\ntwo\nthree\npartial")
    lines, offset, skipped = M._read_segment(str(log), 0, log.stat().st_size, 1 << 20)
    assert (lines, offset, skipped) == (["one", "two", "three"], 14, 0)
    lines, offset, skipped = M._read_segment(str(log), 0, 14, 7)
    # only the newest 7 bytes ("\nthree\n"); the cut first line is dropped
    assert (lines, offset, skipped) == (["three"], 14, 7)


@pytest.mark.parametrize("spec", [{"units": ["x"]}, 5])
def test_bad_service_spec_is_refused(spec):
    with pytest.raises(ValueError):
        M.H.normalize_service(spec)
