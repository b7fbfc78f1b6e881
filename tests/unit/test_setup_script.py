"""scripts/setup.sh: the admin machine's set-up (--admin) and the full one (lab and tests).

The script runs for real in a copy of the repository; only `.venv/bin/pip` is a stand-in
that records its call (a real pip would download packages, and tests send no traffic off
this machine). The Debian packages are the ones CI installed, so apt-get is not called.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "setup.sh"


def _list(name):
    text = SCRIPT.read_text(encoding="utf-8")
    body = re.search(r"^%s=\((.*?)^\)" % name, text, re.S | re.M).group(1)
    return [word for line in body.splitlines() for word in line.split("#")[0].split()]


@pytest.fixture()
def copy(tmp_path):
    """A copy with the script, the requirements and a .venv whose pip records its calls."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(SCRIPT, tmp_path / "scripts" / "setup.sh")
    shutil.copy(ROOT / "requirements.txt", tmp_path / "requirements.txt")
    bin_dir = tmp_path / ".venv" / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "ansible-playbook"):
        (bin_dir / name).write_text("#!/bin/sh\nexit 0\n")
    (bin_dir / "pip").write_text('#!/bin/sh\necho "$@" >> "$(dirname "$0")/pip-calls"\n')
    for path in bin_dir.iterdir():
        path.chmod(0o755)
    return tmp_path


def _run(copy, *args):
    return subprocess.run(["bash", str(copy / "scripts" / "setup.sh"), *args], capture_output=True, text=True,
                          timeout=120, check=False, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def _pip_calls(copy):
    calls = copy / ".venv" / "bin" / "pip-calls"
    return calls.read_text().splitlines() if calls.exists() else []


def test_the_admin_machine_gets_no_lab_or_test_package():
    admin, lab = _list("ADMIN_PACKAGES"), _list("LAB_PACKAGES")
    assert {"python3-venv", "openssh-client", "iputils-ping", "iperf3", "tzdata", "chromium"} <= set(admin)
    assert not {"openssh-server", "nginx-light", "dnsmasq-base", "chrony", "poppler-utils", "iproute2"} & set(admin)
    assert {"openssh-server", "nginx-light", "dnsmasq-base", "chrony", "poppler-utils"} <= set(lab)


@pytest.mark.skipif(os.geteuid() != 0, reason="the script runs as root only")
def test_admin_set_up_installs_the_venv_and_a_full_one_is_still_owed(copy):
    done = _run(copy, "--admin")
    assert done.returncode == 0, done.stderr
    assert "setup: done (admin)" in done.stdout
    assert _pip_calls(copy) == ["install -q --disable-pip-version-check -r requirements.txt"]
    assert (copy / ".setup-stamp").read_text().strip().endswith(" admin")
    # Again: nothing to do.
    assert _run(copy, "--admin").returncode == 0 and len(_pip_calls(copy)) == 1
    # The lab and the tests need the full set-up: an admin one does not count for it.
    full = _run(copy)
    assert full.returncode == 0, full.stderr
    assert "setup: done (full)" in full.stdout and len(_pip_calls(copy)) == 2
    assert not (copy / ".setup-stamp").read_text().strip().endswith(" admin")
    # A full set-up serves the admin machine too.
    assert _run(copy, "--admin").returncode == 0 and _run(copy).returncode == 0 and len(_pip_calls(copy)) == 2


def test_an_unknown_option_is_named(copy):
    wrong = _run(copy, "--lab")
    assert wrong.returncode == 2 and "unknown option '--lab'" in wrong.stderr and _pip_calls(copy) == []
