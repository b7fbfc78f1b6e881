# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files the modules write on the admin machine: always whole, never torn."""

from __future__ import annotations

import os
import tempfile


def write_atomically(path, text, mode=None, default_mode=0o644, prefix=".siak-"):
    """Replace ``path`` by ``text``: a temporary file in the same folder, fsync, rename.

    ``mode`` sets the file's mode; without it an existing file keeps its own and a new one
    gets ``default_mode``. A reader (or a round that dies half-way) sees the old file or
    the new one, never a part of either.
    """
    directory = os.path.dirname(path) or "."
    if mode is None:
        try:
            mode = os.stat(path).st_mode & 0o7777
        except FileNotFoundError:
            mode = default_mode
    handle, tmp = tempfile.mkstemp(prefix=prefix, dir=directory)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
