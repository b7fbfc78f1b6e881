"""Running playbooks against the lab through ansible-runner, as AWX would."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import ansible_runner

ROOT = Path(__file__).resolve().parents[2]
SSH_TIMEOUT_S = 20

# Runs a module file the way Ansible's local runner does: python -c MODULE_RUNNER module
# module_utils_dir args.json (the JSON holds {"ANSIBLE_MODULE_ARGS": {...}}).
MODULE_RUNNER = (
    "import runpy, sys\n"
    "import ansible.module_utils as mu\n"
    "mu.__path__.append(sys.argv[2])\n"
    "module = sys.argv[1]\n"
    "sys.argv = [module, sys.argv[3]]\n"
    "runpy.run_path(module, run_name='__main__')\n"
)


def run_playbook(playbook, tmp_path, extravars=None, limit=None, inventory=None, cmdline=None):
    """Run a playbook of this project with ansible-runner; return the Runner.

    ``playbook`` is relative to the repository root. The private data directory is a
    fresh folder under ``tmp_path`` (it must exist before the run).
    """
    private = tmp_path / "runner"
    private.mkdir(parents=True, exist_ok=True)
    return ansible_runner.run(
        private_data_dir=str(private),
        project_dir=str(ROOT),
        playbook=str(ROOT / playbook),
        inventory=str(inventory or ROOT / "inventory" / "lab" / "hosts.yml"),
        extravars=extravars or {},
        limit=limit,
        cmdline=cmdline,
        envvars={"ANSIBLE_CONFIG": str(ROOT / "ansible.cfg")},
        quiet=True,
        timeout=900,
    )


def load_round(report_dir):
    """The newest round's results.json under report_dir (via history.json)."""
    history = json.loads((Path(report_dir) / "history.json").read_text())
    return json.loads((Path(report_dir) / history[0]["id"] / "results.json").read_text())


def output_of(runner):
    """The runner's stdout, for assertion messages."""
    return runner.stdout.read()[-6000:]


def task_events(runner, task, event="runner_on_ok"):
    """[(host, module result)] of one task's events of one kind, in order (a loop: one per item)."""
    return [(ev["event_data"]["host"], ev["event_data"]["res"]) for ev in runner.events
            if ev.get("event") == event and ev.get("event_data", {}).get("task") == task]


def task_results(runner, task, event="runner_on_ok"):
    """{host: module result} of one task's events."""
    return dict(task_events(runner, task, event))


def ssh(lab, host, command, known_hosts=None, connect_timeout=5, check=True):
    """Run command on a lab host over real ssh (strict host key checking); return the result."""
    state = Path(lab["state_dir"])
    argv = [
        "ssh", "-i", str(state / "id_ed25519"),
        "-o", f"UserKnownHostsFile={known_hosts or state / 'known_hosts'}",
        "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes",
        "-o", f"ConnectTimeout={connect_timeout}", "-o", "ControlMaster=no", "-o", "ControlPath=none",
        f"root@{lab['hosts'][host]}", command,
    ]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=SSH_TIMEOUT_S, check=False)
    if check:
        assert proc.returncode == 0, f"ssh {host} {command!r}: rc={proc.returncode} {proc.stderr.strip()}"
    return proc
