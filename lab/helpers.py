"""Small helpers every lab module uses: running a command, writing a file only when its
content changes, looking at links and namespaces, and the lab's exclusive lock."""

from __future__ import annotations

import fcntl
import os
import shlex
import subprocess
import time
from pathlib import Path

from lab.office import CLEAN_ENV, CMD_TIMEOUT_S, LOCK_WAIT_S, LabError, state_dir


def say(msg: str) -> None:
    print(f"siaklab: {msg}", flush=True)


def run(argv, check=True, timeout=CMD_TIMEOUT_S, capture=True, **kw) -> subprocess.CompletedProcess:
    """Run argv (no shell), bounded in time; raise LabError with stderr on failure."""
    try:
        proc = subprocess.run(
            [str(a) for a in argv],
            stdin=subprocess.DEVNULL,
            capture_output=capture,
            text=True,
            timeout=timeout,
            env=CLEAN_ENV,
            check=False,
            **kw,
        )
    except subprocess.TimeoutExpired as exc:
        raise LabError(f"command timed out after {timeout:.0f} s: {shlex.join(map(str, argv))}") from exc
    except FileNotFoundError as exc:
        raise LabError(f"command not found: {argv[0]} (run scripts/setup.sh)") from exc
    if check and proc.returncode != 0:
        err = (proc.stderr or proc.stdout or "").strip().splitlines()
        raise LabError(f"{shlex.join(map(str, argv))} failed: {err[-1] if err else proc.returncode}")
    return proc


def write_if_changed(path: Path, content: str, mode: int = 0o644) -> bool:
    """Write content atomically unless the file already holds it; return True if written."""
    try:
        if path.read_text(encoding="utf-8") == content:
            if path.stat().st_mode & 0o7777 != mode:
                os.chmod(path, mode)
            return False
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(content, encoding="utf-8")
    os.chmod(tmp, mode)
    os.replace(tmp, path)
    return True


def link_exists(name: str) -> bool:
    return Path("/sys/class/net", name).exists()


def netns_exists(name: str) -> bool:
    return Path("/run/netns", name).exists()


def ns_inode(path: str) -> int | None:
    try:
        return os.stat(path).st_ino
    except OSError:
        return None


def link_state(name: str) -> str:
    try:
        flags = int(Path(f"/sys/class/net/{name}/flags").read_text(encoding="ascii"), 16)
    except (OSError, ValueError):
        return "missing"
    return "up" if flags & 1 else "down"


class Lock:
    """Process-wide re-entrant exclusive lock on the state dir (bounded wait)."""

    depth = 0
    handle = None

    def __enter__(self):
        if Lock.depth == 0:
            sd = state_dir()
            sd.mkdir(parents=True, exist_ok=True)
            handle = open(sd / ".lock", "a+", encoding="ascii")  # held until the outermost __exit__
            deadline = time.monotonic() + LOCK_WAIT_S
            while True:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        handle.close()
                        raise LabError(f"another siaklab command holds {sd / '.lock'} for over {LOCK_WAIT_S:.0f} s")
                    time.sleep(0.2)
            Lock.handle = handle
        Lock.depth += 1
        return self

    def __exit__(self, *exc):
        Lock.depth -= 1
        if Lock.depth == 0 and Lock.handle is not None:
            fcntl.flock(Lock.handle, fcntl.LOCK_UN)
            Lock.handle.close()
            Lock.handle = None
        return False
