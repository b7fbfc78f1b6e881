"""Least privilege in the shipped configuration: SSH sockets under the operator's home,
sudo for the SIAK hosts only (never for the admin machine's own tasks)."""

import configparser
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = ROOT / "inventory" / "production"
BECOME = ("ansible_become", "ansible_become_user", "ansible_become_method", "become")


def _vars(folder):
    out = {}
    for path in sorted(folder.glob("*.yml")):
        out.update(yaml.safe_load(path.read_text()) or {})
    return out


def test_the_ssh_control_path_lives_under_the_operators_home():
    cfg = configparser.ConfigParser(interpolation=None)
    cfg.read(ROOT / "ansible.cfg")
    assert cfg.get("ssh_connection", "control_path_dir").startswith("~/")
    assert cfg.getboolean("defaults", "host_key_checking")


def test_host_keys_are_checked_however_the_round_runs():
    """ansible-runner (the scheduled rounds, the tests) and AWX set ANSIBLE_HOST_KEY_CHECKING=False
    unless it is given: ansible.cfg alone left a scheduled round logging in to any host."""
    connection = _vars(PRODUCTION / "group_vars" / "siak_hosts")
    assert connection["ansible_host_key_checking"] is True       # a variable beats the environment
    assert "StrictHostKeyChecking=yes" in connection["ansible_ssh_common_args"]   # never asks
    envvars = yaml.safe_load((ROOT / "runner" / "env" / "envvars").read_text())
    assert envvars["ANSIBLE_HOST_KEY_CHECKING"] == "True"
    from lab.inventory import inventory_dict
    hosts = inventory_dict([])["all"]["children"]["siak_hosts"]["children"]["workstations"]["hosts"]
    assert all(h["ansible_host_key_checking"] is True for h in hosts.values())


def test_privilege_escalation_is_for_the_siak_hosts_only():
    # The implicit localhost takes group_vars/all: a become there would run the admin machine's tasks as root.
    group_vars = PRODUCTION / "group_vars"
    assert _vars(group_vars / "siak_hosts")["ansible_become"] is True
    for group in group_vars.iterdir():
        if group.name != "siak_hosts":
            assert not set(_vars(group)) & set(BECOME), group.name
    hosts = yaml.safe_load((PRODUCTION / "hosts.yml").read_text())
    assert "become" not in (PRODUCTION / "hosts.yml").read_text()
    assert set(hosts["all"]["children"]) == {"siak_hosts", "switches"}
    for playbook in (ROOT / "playbooks").glob("*.yml"):
        for play in yaml.safe_load(playbook.read_text()):
            assert "become" not in play, playbook.name
