"""Headless Chromium for the tests: the DOM of a page after its scripts ran, or the page printed to PDF.

Shared by the lab's round test and the report's rendering test (which needs no lab).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync")


def available():
    """True when Chromium is installed (scripts/setup.sh installs it)."""
    return os.access(CHROMIUM, os.X_OK)


def chromium(*args, timeout=120):
    """Run headless Chromium with a fresh profile and ``args``; return the CompletedProcess (text)."""
    with tempfile.TemporaryDirectory() as profile:
        return subprocess.run([CHROMIUM, *FLAGS, "--user-data-dir=" + profile, *args],
                              capture_output=True, text=True, timeout=timeout, check=False)
