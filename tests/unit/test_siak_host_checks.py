"""The table of host checks (module_utils/siak_host_checks.py): the pass that runs it, and
the one list of check names that the module, the role and its README follow."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible.module_utils import siak_host_checks as T
from ansible.module_utils import siak_host_collect as C
from ansible.module_utils.siak_result import UNKNOWN, validate

from .test_siak_host_collect import PARAMS, FakeHost
from ..integration.helpers import MODULE_RUNNER
from ..source import load_source

ROOT = Path(__file__).resolve().parents[2]
ROLE = ROOT / "roles" / "siak_host_check"
MODULE = load_source("library/siak_host_check.py", "siak_host_check_module")


def module_params(**overrides):
    """The module's defaults, as AnsibleModule would fill them in, with ``overrides``."""
    params = {name: spec.get("default") for name, spec in MODULE.ARGUMENT_SPEC.items()}
    params.update(overrides)
    return params


def role_argument_specs():
    return yaml.safe_load((ROLE / "meta" / "argument_specs.yml").read_text())["argument_specs"]["main"]["options"]


def readme_tables():
    """The README's markdown tables: {first header cell: [[cells], ...]}."""
    tables = {}
    rows = None
    for line in (ROLE / "README.md").read_text().splitlines():
        if not line.startswith("|"):
            rows = None
            continue
        cells = [c.strip().replace("\\|", "|") for c in line.strip("|").split(" | ")]
        if rows is None:
            rows = tables.setdefault(cells[0], [])
        elif not set(line) <= set("|- "):
            rows.append(cells)
    return tables


# ------------------------------------------------------------------------------------
# One list of check names
# ------------------------------------------------------------------------------------

def test_the_table_names_each_check_once_with_its_parts():
    assert len(set(T.NAMES)) == len(T.NAMES)
    for check in T.CHECKS:
        assert check.collect is getattr(C, "collect_%s" % check.name)
        assert check.judge.__name__ == "judge_%s" % check.name
        assert check.categories and all(isinstance(c, str) for c in check.categories)


def test_module_options_and_documentation_follow_the_table():
    assert MODULE.ARGUMENT_SPEC["checks"]["choices"] == list(T.NAMES)
    documented = yaml.safe_load(MODULE.DOCUMENTATION)["options"]["checks"]
    assert documented["choices"] == list(T.NAMES)


def test_role_argument_specs_follow_the_table():
    assert role_argument_specs()["siak_host_check_checks"]["choices"] == list(T.NAMES)


def test_readme_lists_the_checks_of_the_table_in_order():
    assert [row[0] for row in readme_tables()["check"]] == list(T.NAMES)


def test_role_defaults_are_the_argument_specs():
    """Every role variable has its value in defaults/main.yml, documented the same in
    meta/argument_specs.yml; only the check list is left to the module (all checks)."""
    defaults = yaml.safe_load((ROLE / "defaults" / "main.yml").read_text())
    options = role_argument_specs()
    assert sorted(set(options) - set(defaults)) == ["siak_host_check_checks"]
    assert sorted(set(defaults) - set(options)) == []
    for name, value in defaults.items():
        assert value == options[name].get("default"), name


def test_readme_variables_table_follows_the_argument_specs():
    options = role_argument_specs()
    rows = {row[0].strip("`"): row for row in readme_tables()["variable"]}
    assert list(rows) == list(options)
    for name, option in options.items():
        default = option.get("default")
        if isinstance(default, list):
            expected = "`[%s]`" % ", ".join(str(v) for v in default)
        elif isinstance(default, bool):
            expected = "`%s`" % str(default).lower()
        elif default is None:
            expected = "all" if name == "siak_host_check_checks" else ""
        else:
            expected = "`%s`" % default
        assert rows[name][2] == expected, name
        assert rows[name][1].startswith(option["type"]), name


def test_role_passes_every_module_option_but_the_log_read_bound():
    task = yaml.safe_load((ROLE / "tasks" / "check.yml").read_text())[0]
    assert task["siak_step"]["module"] == "siak_host_check"
    args = task["siak_step"]["args"]
    # The state comes from the state file (the siak_step action reads it on the admin machine).
    assert sorted(set(MODULE.ARGUMENT_SPEC) - set(args)) == ["logs_max_bytes", "state"]
    assert sorted(set(args) - set(MODULE.ARGUMENT_SPEC)) == []
    for option, value in args.items():
        if option not in ("checks", "state", "services", "ports", "time_zone_offset"):
            assert value == "{{ siak_host_check_%s }}" % option, option
    # The zone's offset is the admin machine's reading of the role's zone (the host may have no zone data).
    assert args["time_zone_offset"] == "{{ siak_host_check_time_zone | siak_zone_offset }}"


# ------------------------------------------------------------------------------------
# The pass
# ------------------------------------------------------------------------------------

def _lab_host():
    return FakeHost(files={"/proc/meminfo": "proc-meminfo.debian12.txt", "/proc/loadavg": "proc-loadavg.txt",
                           "/proc/stat": "proc-stat.debian12.txt", "/proc/uptime": "proc-uptime.txt",
                           "/proc/mounts": "proc-mounts.lab-bak01.txt", "/proc/net/tcp": "proc-net-tcp.lab-app01.txt",
                           "/proc/mdstat": "mdstat.degraded.txt"},
                    commands={"service": (0, "service-status-all.lab-app01.txt", ""),
                              "chronyc": (0, "chronyc-tracking.debian12-client.txt", "")})


def test_a_pass_gives_records_of_the_table_categories_in_table_order():
    params = module_params(checks=list(T.NAMES), services=["nginx"], ports=[22], logs_files=["/nowhere"])
    result = T.run_checks(_lab_host(), params, {"boot_time": 1000, "logs": {"source": "file"}})
    assert result["checks"] == list(T.NAMES)
    assert result["not_applicable"] == ["backups"]
    categories = {c: check.name for check in T.CHECKS for c in check.categories}
    order = [T.NAMES.index(categories[r["category"]]) for r in result["records"]]
    assert order == sorted(order)
    for rec in result["records"]:
        assert validate(dict(rec, step=3, target="siak-bak01")) == [], rec
    # The log was not read (no file): its position is carried forward; the boot time is new.
    assert result["state"]["logs"] == {"source": "file"} and result["state"]["boot_time"] != 1000
    got = {(r["category"], r["item"]): r["status"] for r in result["records"]}
    assert got[("raid", "md0")] == "CRITICAL" and got[("service", "nginx")] == "OK" and got[("log", "syslog")] == UNKNOWN


def test_a_broken_check_is_one_unknown_record_and_the_others_still_run():
    warnings = []
    host = _lab_host()
    del host.files["/proc/meminfo"]
    result = T.run_checks(host, module_params(checks=["memory", "load"]), {}, warnings.append)
    (memory, load) = result["records"]
    assert (memory["category"], memory["item"], memory["status"]) == ("memory", "memory", UNKNOWN)
    cause = "FileNotFoundError: [Errno 2] No such file or directory: '/proc/meminfo'"
    assert memory["message"] == "Pemeriksaan memory gagal: " + cause
    assert memory["message_en"] == "The memory check failed: " + cause
    assert load["category"] == "load" and len(warnings) == 1 and warnings[0].startswith("check memory failed")


def test_a_check_that_applies_and_finds_nothing_is_unknown():
    host = _lab_host()
    host.files["/proc/mdstat"] = "Personalities : \nunused devices: <none>\n"
    (rec,) = T.run_checks(host, module_params(checks=["raid"]), {})["records"]
    assert (rec["category"], rec["item"], rec["status"]) == ("raid", "raid", UNKNOWN)
    assert rec["message"] == "Pemeriksaan raid tidak menghasilkan data"


@pytest.mark.parametrize("name", T.NAMES)
def test_every_check_records_only_its_categories(name):
    params = module_params(checks=[name], services=["nginx"], ports=[22], backup_paths=["/srv/backup"])
    host = _lab_host()
    host.newest = {"/srv/backup": ({"path": "/srv/backup/x.dmp", "size": 10, "mtime": 0.0}, 1)}
    host.probed = lambda endpoints, budget: (None, [])
    result = T.run_checks(host, params, {})
    (check,) = [c for c in T.CHECKS if c.name == name]
    assert result["records"] and {r["category"] for r in result["records"]} <= set(check.categories)


def test_no_check_writes_its_name_outside_the_table():
    """The list of check names is written once in code (the table); the places that must
    repeat it for tools that cannot import it are tested above."""
    listing = re.compile(r"\W+".join(T.NAMES))
    for path in list((ROOT / "module_utils").glob("siak_host*.py")) + [ROOT / "library" / "siak_host_check.py"]:
        hits = listing.findall(path.read_text())
        allowed = 1 if path.name == "siak_host_check.py" else 0  # DOCUMENTATION's static choices
        assert len(hits) == allowed, path


@pytest.mark.parametrize("value", [150, -1])
def test_a_backup_shrink_percentage_out_of_range_is_refused_naming_it(tmp_path, value):
    """The module itself (run as Ansible runs it): a percentage outside 0-100 would warn on
    every backup or never; it is refused, naming the option, before the host is touched."""
    args = tmp_path / "args.json"
    args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": {"checks": ["time"], "backup_shrink_pct": value}}))
    proc = subprocess.run([sys.executable, "-c", MODULE_RUNNER, str(ROOT / "library" / "siak_host_check.py"),
                           str(ROOT / "module_utils"), str(args)], capture_output=True, text=True, timeout=60, check=False)
    out = json.loads(proc.stdout)
    assert out["failed"] and out["msg"] == "backup_shrink_pct (%s) must be 0 to 100" % float(value)
