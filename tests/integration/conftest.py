"""Fixtures of the integration tests (helpers.py holds the plain functions)."""

from __future__ import annotations

import pytest

from .helpers import run_playbook


@pytest.fixture
def playbook_runner(lab, tmp_path):
    """run(playbook, **kw) -> Runner, against the lab."""

    def _run(playbook, **kwargs):
        return run_playbook(playbook, tmp_path, **kwargs)

    return _run
