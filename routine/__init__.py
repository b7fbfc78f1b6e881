"""The routine of maintenance rounds: run one through ansible-runner (python -m routine run),
merge several offices' rounds into one overview (python -m routine merge)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _module_utils():
    """The project's module_utils, importable as ansible.module_utils.<name> (as the filters do)."""
    import ansible.module_utils as mu  # pylint: disable=import-outside-toplevel

    path = str(ROOT / "module_utils")
    if path not in mu.__path__:
        mu.__path__.append(path)


_module_utils()
__all__ = ["ROOT", "os", "sys"]
