"""Shared pytest fixtures.

- module_utils/ is importable as ansible.module_utils.<name>, exactly as modules see it;
- ``lab``: the real lab (Linux namespaces + FakeNOS switches), brought up once per session;
- ``stage``: stage a fault in the lab; every fault staged by a test is cleared after it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import ansible.module_utils as _ansible_module_utils
import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "module_utils") not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(str(ROOT / "module_utils"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
# The venv's bin (ansible-playbook, ansible-runner) must be on PATH for runner and testinfra.
_VENV_BIN = str(Path(sys.executable).parent)
if _VENV_BIN not in os.environ.get("PATH", "").split(os.pathsep):
    os.environ["PATH"] = _VENV_BIN + os.pathsep + os.environ.get("PATH", "")
os.environ.setdefault("ANSIBLE_CONFIG", str(ROOT / "ansible.cfg"))


@pytest.fixture(scope="session")
def lab():
    """Bring the lab up (idempotent) and return its description (inventory path, targets)."""
    from lab import siaklab

    return siaklab.up()


@pytest.fixture
def stage(lab):
    """Return a function stage(target, kind, **params); staged faults are reset afterwards."""
    from lab import siaklab

    staged = []

    def _stage(target, kind, **params):
        siaklab.fault(target, kind, **params)
        staged.append(target)

    yield _stage
    for target in dict.fromkeys(staged):
        siaklab.reset(target)


def pytest_collection_modifyitems(config, items):
    """A test that uses the lab (the ``lab`` or ``stage`` fixture, itself or through another
    fixture) is marked ``lab``, wherever it sits: scripts/test.sh runs the tests not marked
    ``lab`` beside the lab's, so none of them may touch the shared lab."""
    for item in items:
        if {"lab", "stage"} & set(getattr(item, "fixturenames", ())) and item.get_closest_marker("lab") is None:
            item.add_marker(pytest.mark.lab)
