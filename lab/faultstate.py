"""What is staged: the faults recorded in ``<state>/faults.json`` (read by up, fault, reset)."""

from __future__ import annotations

import json
from pathlib import Path

from lab.helpers import write_if_changed
from lab.office import state_dir


def faults_path() -> Path:
    return state_dir() / "faults.json"


def load_faults() -> dict:
    try:
        return json.loads(faults_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def save_faults(faults: dict) -> None:
    faults = {k: v for k, v in faults.items() if v}
    write_if_changed(faults_path(), json.dumps(faults, indent=1, sort_keys=True) + "\n")
