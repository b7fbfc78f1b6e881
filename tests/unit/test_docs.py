"""The documentation stands alone: every role has a README naming each of its variables,
and no document in the repository points outside it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ROLES = sorted(p.name for p in (ROOT / "roles").iterdir() if (p / "meta" / "argument_specs.yml").is_file())

# READMEs written by other parts of the project, still to be completed there (issue 8): the
# integrator removes a role from here once its README names every option (strict: an
# entry that passes fails the test, so it cannot be forgotten).
def _docs():
    skip = {".venv", ".git", ".pytest_cache", "node_modules"}
    return sorted(p for p in ROOT.rglob("*.md") if not skip & set(p.relative_to(ROOT).parts))


def _options(role):
    specs = yaml.safe_load((ROOT / "roles" / role / "meta" / "argument_specs.yml").read_text())["argument_specs"]
    return sorted({name for entry in specs.values() for name in (entry.get("options") or {})})


def test_the_six_roles_are_all_covered():
    assert set(ROLES) >= {"siak_order", "siak_assess", "siak_host_check", "siak_switch_check", "siak_perf",
                          "siak_report"}


@pytest.mark.parametrize("role", [
    r for r in ROLES])
def test_every_role_has_a_readme_naming_each_of_its_variables(role):
    readme = ROOT / "roles" / role / "README.md"
    assert readme.is_file(), "%s has no README.md" % role
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("# %s\n" % role)
    missing = [name for name in _options(role) if not re.search(r"(?<!\w)%s(?!\w)" % re.escape(name), text)]
    assert missing == [], "%s/README.md does not name %s" % (role, ", ".join(missing))
    assert "## Example" in text or "## Example Playbook" in text, "%s/README.md has no example" % role


# A path that starts with ../ (not one relative to something else, such as {{ role_path }}/../..).
_UP_PATH = re.compile(r"(?<![\w/}.])((?:\.\./)+[^\s`)\]\"'>]*)")
_MD_NAME = re.compile(r"(?<![\w/.-])([A-Za-z][A-Za-z0-9_-]*\.md)\b")


@pytest.mark.parametrize("doc", _docs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_document_points_outside_the_repository(doc):
    text = doc.read_text(encoding="utf-8")
    outside = [path for path in _UP_PATH.findall(text)
               if ROOT not in (doc.parent / path).resolve().parents and (doc.parent / path).resolve() != ROOT]
    assert outside == [], "%s points outside the repository: %s" % (doc.relative_to(ROOT), outside)
    known = {p.name for p in _docs()}
    unknown = sorted(set(_MD_NAME.findall(text)) - known)
    assert unknown == [], "%s names documents that are not in the repository: %s" % (doc.relative_to(ROOT), unknown)


def test_the_check_above_finds_what_it_looks_for(tmp_path):
    """The patterns catch a reference outside and leave paths relative to something else alone."""
    assert _UP_PATH.findall("Read `../shared/DESIGN.md` first") == ["../shared/DESIGN.md"]
    assert _UP_PATH.findall("[design](../../x.md)") == ["../../x.md"]
    assert _UP_PATH.findall("default `{{ role_path }}/../../reports`") == []
    assert _MD_NAME.findall("see STYLE.md and docs/DEVELOPING.md") == ["STYLE.md"]
