"""The module siak_host_hardware, run for real on this machine with ``ansible localhost -c local``.

Reads this machine's /proc and /sys (no network but loopback: the UPS name points at
127.0.0.1); checks the contract of what it returns, that it is fast, and that the state
of one round comes back as the next round's previous_hardware.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from ansible.module_utils.siak_result import validate

ROOT = Path(__file__).resolve().parents[2]
ANSIBLE = Path(sys.executable).parent / "ansible"


def run_module(args):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_CALLBACK_RESULT_FORMAT="json",
               ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_LOCALHOST_WARNING="0")
    proc = subprocess.run([str(ANSIBLE), "localhost", "-c", "local", "-m", "siak_host_hardware", "-a", json.dumps(args)],
                          cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    head, sep, body = proc.stdout.partition("=>")
    assert sep and "SUCCESS" in head, proc.stdout
    return json.loads(body)


def test_the_module_reads_this_machine_and_keeps_the_contract():
    result = run_module({"ups": ["ups@127.0.0.1"]})
    assert result["changed"] is False
    assert result["duration"] < 2.0
    assert result["previous_hardware"] is None
    assert set(result["hardware"]) == {"system", "cpu", "memory", "disks", "raid", "sensors", "nics", "ups"}
    assert result["state"]["hardware"] == result["hardware"]
    categories = {r["category"] for r in result["records"]}
    assert {"hw-system", "hw-cpu", "hw-memory", "hw-ups"} <= categories
    for rec in result["records"]:
        assert validate(dict(rec, step=2, target="localhost")) == [], rec
        assert rec["category"].startswith("hw-") or rec["category"] == "raid"
    for entry in result["not_applicable"]:
        assert set(entry) == {"category", "item", "reason", "reason_en"}
    (ups,) = [r for r in result["records"] if r["category"] == "hw-ups"]
    assert ups["item"] == "ups@127.0.0.1" and ups["status"] == "UNKNOWN"  # no upsd here (or no upsc)

    again = run_module({"state": result["state"]})
    assert again["previous_hardware"] == result["hardware"]
    assert {"category": "hw-ups", "item": "ups", "reason": "UPS tidak dikonfigurasi", "reason_en": "no UPS configured"} in again["not_applicable"]
