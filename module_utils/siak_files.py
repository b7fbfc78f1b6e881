# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Files the modules write on the admin machine: always whole, never torn."""

from __future__ import annotations

import json
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


# What siak_write_files writes: folders 0750, files 0640 (the operator and the operator's group).
FOLDER_MODE = 0o750
FILE_MODE = 0o640


class WriteFilesError(Exception):
    """A file that could not be written: ``path`` names it, ``written`` lists what was before it."""

    def __init__(self, path, reason, written=()):
        super().__init__("cannot write %s: %s" % (path, reason))
        self.path = path
        self.reason = reason
        self.written = list(written)


def render_state(state):
    """A state file's text: sorted, indented JSON with a final newline."""
    return json.dumps(state, indent=1, sort_keys=True) + "\n"


def parse_mode(mode, default):
    """A mode as an int: None gives ``default``; "0640" and "640" are octal; an int is taken as it is."""
    if mode is None or mode == "":
        return default
    if isinstance(mode, int) and not isinstance(mode, bool):
        value = mode
    else:
        try:
            value = int(str(mode), 8)
        except ValueError:
            raise ValueError("mode %r is not an octal number" % (mode,)) from None
    if not 0 <= value <= 0o7777:
        raise ValueError("mode %r is out of range" % (mode,))
    return value


def plan_files(entries, file_mode=FILE_MODE, folder_mode=FOLDER_MODE):
    """Check every entry and render its text before anything is written.

    Each entry is ``{path, content}`` (a document, written as it is), ``{path, state}`` (the
    state kept for the next round, written as JSON) or ``{path, directory: true}`` (a folder),
    with an optional ``mode``. Returns ``[(kind, path, text, mode)]`` in the order given, kind
    being "document", "state" or "directory"; a bad entry raises WriteFilesError naming it.
    """
    plan = []
    for index, entry in enumerate(entries):
        path = entry.get("path") or ""
        name = path or "entry %d" % (index + 1)
        given = [key for key in ("content", "state") if entry.get(key) is not None]
        if entry.get("directory"):
            given.append("directory")
        if not path:
            raise WriteFilesError(name, "no path")
        if len(given) != 1:
            raise WriteFilesError(name, "give exactly one of content, state or directory: true (given: %s)"
                                  % (", ".join(given) or "none"))
        kind = {"content": "document"}.get(given[0], given[0])
        try:
            mode = parse_mode(entry.get("mode"), folder_mode if kind == "directory" else file_mode)
            if kind == "state":
                if not isinstance(entry["state"], dict):
                    raise ValueError("the state is not a mapping")
                text = render_state(entry["state"])
            elif kind == "document":
                if not isinstance(entry["content"], str):
                    raise ValueError("the content is not text")
                text = entry["content"]
                text.encode("utf-8")  # a text that cannot be written fails here, before anything is written
            else:
                text = None
        except (TypeError, ValueError) as exc:
            raise WriteFilesError(path, str(exc)) from None
        plan.append((kind, path, text, mode))
    return plan


def _unchanged(path, text, mode):
    """True when ``path`` already holds ``text`` with ``mode`` (nothing to write)."""
    try:
        if os.stat(path).st_mode & 0o7777 != mode:
            return False
        with open(path, encoding="utf-8", newline="") as handle:
            return handle.read() == text
    except (OSError, UnicodeDecodeError):
        return False


def _make_folder(path, mode):
    """Make the folder ``path`` (and its parents) and give it ``mode``; True when something changed."""
    if os.path.isdir(path):
        if os.stat(path).st_mode & 0o7777 == mode:
            return False
    else:
        os.makedirs(path, mode=FOLDER_MODE, exist_ok=True)
    os.chmod(path, mode)
    return True


def write_files(entries, check_mode=False, documents_in_check_mode=False,
                file_mode=FILE_MODE, folder_mode=FOLDER_MODE):
    """Write ``entries`` (see plan_files) in their order, each file atomically.

    A file that already holds its text with its mode is left alone. A file's missing folder is
    made (``FOLDER_MODE``). In check mode the states are never written, and the documents and
    folders only with ``documents_in_check_mode`` (a report is written under --check, the
    state for the next round is not). Stops at the first failure: WriteFilesError names the
    file and lists what was written before it.

    Returns ``(written, held_back)``: the paths changed on disk, and the paths that would have
    changed but were not written because of check mode.
    """
    plan = plan_files(entries, file_mode=file_mode, folder_mode=folder_mode)
    written, held_back = [], []
    for kind, path, text, mode in plan:
        write = not check_mode or (documents_in_check_mode and kind != "state")
        try:
            if kind == "directory":
                if not write:
                    if not os.path.isdir(path) or os.stat(path).st_mode & 0o7777 != mode:
                        held_back.append(path)
                    continue
                if _make_folder(path, mode):
                    written.append(path)
                continue
            if _unchanged(path, text, mode):
                continue
            if not write:
                held_back.append(path)
                continue
            folder = os.path.dirname(path)
            if folder and not os.path.isdir(folder):
                os.makedirs(folder, mode=FOLDER_MODE, exist_ok=True)
            write_atomically(path, text, mode=mode, prefix=".siak-")
        except OSError as exc:
            raise WriteFilesError(path, exc.strerror or str(exc), written) from None
        written.append(path)
    return written, held_back


# The options of the siak_write_files module (library/siak_write_files.py documents them);
# its action (action_plugins/siak_write_files.py) validates the same.
ARGUMENT_SPEC = dict(
    files=dict(type="list", elements="dict", required=True,
               options=dict(path=dict(type="path", required=True), content=dict(type="str"), state=dict(type="dict"),
                            directory=dict(type="bool", default=False), mode=dict(type="raw"))),
    mode=dict(type="raw", default="0640"),
    folder_mode=dict(type="raw", default="0750"),
    documents_in_check_mode=dict(type="bool", default=False),
)


def run(params, check_mode):
    """The module's result for validated ``params``: what was written, or ``failed`` with the reason."""
    try:
        file_mode = parse_mode(params["mode"], 0o640)
        folder_mode = parse_mode(params["folder_mode"], 0o750)
    except ValueError as exc:
        return {"failed": True, "changed": False, "msg": str(exc)}
    try:
        written, held_back = write_files(params["files"], check_mode=check_mode,
                                         documents_in_check_mode=params["documents_in_check_mode"],
                                         file_mode=file_mode, folder_mode=folder_mode)
    except WriteFilesError as exc:
        return {"failed": True, "changed": False, "msg": str(exc), "path": exc.path, "written": exc.written}
    return {"changed": bool(written or held_back), "written": written, "held_back": held_back}
