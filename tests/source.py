"""Load a Python file of the repository (a module in library/, a plugin) as a module, for tests."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def load_source(path, name=None):
    """The file at ``path`` (absolute, or relative to the repository) as a module named ``name``."""
    path = ROOT / path
    spec = importlib.util.spec_from_file_location(name or path.stem, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module
