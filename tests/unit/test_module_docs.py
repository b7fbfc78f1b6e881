"""Every module in library/ documents itself truly: DOCUMENTATION, EXAMPLES and RETURN are
valid YAML, the documented options are the argument spec's, and ansible-doc reads them."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ..source import load_source

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(ROOT.glob("library/*.py"))
NAMES = [path.stem for path in MODULES]
ANSIBLE_DOC = Path(sys.executable).parent / "ansible-doc"
OPTION_TYPES = {"bits", "bool", "bytes", "dict", "float", "int", "json", "jsonarg", "list", "path", "raw", "sid", "str"}


def load(path):
    return load_source(path, "docs_%s" % path.stem)


@pytest.fixture(scope="module", params=MODULES, ids=NAMES)
def mod(request):
    return load(request.param)


def doc(mod):
    return yaml.safe_load(mod.DOCUMENTATION)


def argument_spec(mod):
    spec = getattr(mod, "ARGUMENT_SPEC", None)
    if spec is None and callable(getattr(mod, "argument_spec", None)):
        spec = mod.argument_spec()
    assert isinstance(spec, dict) and spec, "no module-level ARGUMENT_SPEC or argument_spec()"
    return spec


def normalise(value):
    """Compare values as Ansible does: 80 == 80.0, lists and dicts element by element.

    Booleans are tagged so that true never equals 1.
    """
    if isinstance(value, bool):
        return ("bool", value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, (list, tuple)):
        return [normalise(v) for v in value]
    if isinstance(value, dict):
        return {k: normalise(v) for k, v in value.items()}
    return value


def description_text(option):
    text = option.get("description", "")
    return " ".join(text) if isinstance(text, list) else str(text)


def test_there_are_modules():
    assert NAMES == ["siak_host_check", "siak_host_hardware", "siak_notify", "siak_probe", "siak_step", "siak_switch_check",
                     "siak_switch_hostkey", "siak_write_files"]


def test_blocks_are_in_ansible_order(mod):
    source = Path(mod.__file__).read_text(encoding="utf-8")
    positions = [source.index("\n%s = r\"\"\"" % name) for name in ("DOCUMENTATION", "EXAMPLES", "RETURN")]
    assert positions == sorted(positions)


def test_documentation_is_valid_yaml_with_the_required_keys(mod):
    data = doc(mod)
    name = Path(mod.__file__).stem
    assert isinstance(data, dict)
    assert data["module"] == name
    assert isinstance(data["short_description"], str) and data["short_description"]
    assert data["description"] and all(isinstance(line, str) for line in data["description"])
    assert data["author"]
    assert data["attributes"]["check_mode"]["support"] == "full"
    assert data["attributes"]["check_mode"]["description"]
    # An action's documentation (library/<name>.py, nothing runs from it) speaks for its plugin.
    action = ROOT / "action_plugins" / Path(mod.__file__).name
    if action.exists():
        assert data["attributes"]["action"]["support"] == "full"
        assert "_supports_check_mode = True" in action.read_text(encoding="utf-8")
    else:
        assert "supports_check_mode=True" in Path(mod.__file__).read_text(encoding="utf-8")
    for option, spec in data["options"].items():
        assert description_text(spec), option
        assert spec.get("type", "str") in OPTION_TYPES, option
        if spec.get("type") == "list":
            assert spec.get("elements") in OPTION_TYPES, option


def _shape(option):
    """What an option (of DOCUMENTATION or of the argument spec) says, compared field by field."""
    return {
        "type": option.get("type", "str"),
        "required": bool(option.get("required", False)),
        "default": normalise(option.get("default")),
        "choices": normalise(option.get("choices")),
        "elements": option.get("elements"),
        "aliases": sorted(option.get("aliases", [])),
    }


def test_documented_options_are_the_argument_spec(mod):
    documented = doc(mod)["options"]
    spec = argument_spec(mod)
    assert sorted(documented) == sorted(spec)
    problems = []
    for name, arg in spec.items():
        option = documented[name]
        expected, actual = _shape(arg), _shape(option)
        for key, value in expected.items():
            if actual[key] != value:
                problems.append("%s.%s: documented %r, argument spec %r" % (name, key, actual[key], value))
        if arg.get("no_log") and "never logged" not in description_text(option).lower():
            problems.append("%s: no_log option whose description does not say 'Never logged'" % name)
    assert not problems, "\n".join(problems)


def test_only_no_log_options_claim_to_be_never_logged(mod):
    documented = doc(mod)["options"]
    spec = argument_spec(mod)
    for name, option in documented.items():
        if "never logged" in description_text(option).lower():
            assert spec[name].get("no_log") is True, name


def test_examples_are_tasks_using_the_module(mod):
    name = Path(mod.__file__).stem
    spec = argument_spec(mod)
    tasks = yaml.safe_load(mod.EXAMPLES)
    assert isinstance(tasks, list) and tasks
    for task in tasks:
        assert isinstance(task, dict) and task.get("name"), task
        assert name in task, "example %r does not use %s" % (task.get("name"), name)
        args = task[name]
        assert isinstance(args, dict), task["name"]
        assert set(args) <= set(spec), (task["name"], sorted(set(args) - set(spec)))
        required = {k for k, v in spec.items() if v.get("required")}
        assert required <= set(args), (task["name"], sorted(required - set(args)))


def test_return_is_valid_yaml(mod):
    data = yaml.safe_load(mod.RETURN)
    assert isinstance(data, dict) and data
    for key, value in data.items():
        assert value.get("description") and value.get("returned") and value.get("type"), key
        if value["type"] == "list":
            assert value.get("elements"), key


def ansible_doc(*args):
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1", ANSIBLE_FORCE_COLOR="0")
    return subprocess.run([str(ANSIBLE_DOC), "-M", str(ROOT / "library"), "-t", "module", *args],
                          cwd=str(ROOT), env=env, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.parametrize("name", NAMES)
def test_ansible_doc_reads_the_module(name):
    proc = ansible_doc(name)
    output = proc.stdout + proc.stderr
    assert proc.returncode == 0, output
    assert "ERROR" not in output, output
    assert name in proc.stdout


@pytest.mark.parametrize("path", MODULES, ids=NAMES)
def test_ansible_doc_json_names_the_options(path):
    proc = ansible_doc("--json", path.stem)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    data = json.loads(proc.stdout)[path.stem]
    assert sorted(data["doc"]["options"]) == sorted(argument_spec(load(path)))
    assert data["examples"] and data["return"]
