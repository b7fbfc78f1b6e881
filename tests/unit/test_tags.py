"""Each SOP step of a round can be run on its own: its play carries the tag step1 ... step4, the report report."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
STEP_TAGS = {"step1_order.yml": "step1", "step2_assess.yml": "step2", "step3_check.yml": "step3",
             "step4_perf.yml": "step4", "report.yml": "report"}


def test_every_play_of_a_step_carries_its_tag():
    for name, tag in STEP_TAGS.items():
        plays = yaml.safe_load((ROOT / "playbooks" / name).read_text())
        assert plays and all(play.get("tags") == [tag] for play in plays), name
    imported = [entry["ansible.builtin.import_playbook"]
                for entry in yaml.safe_load((ROOT / "playbooks" / "maintenance.yml").read_text())]
    assert imported == list(STEP_TAGS)


def test_ansible_lists_the_tags_of_the_round():
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    proc = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,", "--list-tags",
                           str(ROOT / "playbooks" / "maintenance.yml")],
                          capture_output=True, text=True, env=env, cwd=ROOT, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr[-3000:]
    play_tags = re.findall(r"^\s+play #\d+ \([^)]*\): .*\tTAGS: \[([^\]]*)\]$", proc.stdout, re.MULTILINE)
    assert play_tags == ["step1", "step2", "step3", "step4", "report"], proc.stdout


def test_a_report_without_step_one_opens_the_rounds_folder_itself():
    """--tags step2,report: the report's own start (no header from step 1) runs within the report's tag."""
    main = yaml.safe_load((ROOT / "roles" / "siak_report" / "tasks" / "main.yml").read_text())
    start = next(task for task in main if task.get("ansible.builtin.include_tasks") == "start.yml")
    assert start["when"] == "siak_report_round is not defined"
    steps = yaml.safe_load((ROOT / "roles" / "siak_report" / "tasks" / "start.yml").read_text())
    header = steps[0]
    assert header["ansible.builtin.include_role"] == {"name": "siak_order", "tasks_from": "header"}
    assert header["vars"] == {"siak_order_ordered": False} and header["when"] == "siak_order_round is not defined"
