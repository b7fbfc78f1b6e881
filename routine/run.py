"""One maintenance round through ansible-runner, as a schedule (timer, cron) or a person runs it.

    python -m routine run -i inventory/paser [--keep 10] [--tags step2,report] [-e name=value ...]

It picks the round's id, runs ``ansible-runner run`` on the private data directory
``runner/`` (env/settings, env/envvars; the project is this repository, the inventory the
one given), moves the runner's artifacts (events, stdout, status, rc) into the round's folder
(``reports/<id>/runner/``), keeps the last K rounds, prints one line (cron mail) and exits
with the round's status (README: 0 ran, 2 stopped, 75 another round running, ...).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import ROOT
from ansible.module_utils.siak_routine import round_problems, summary_line  # noqa: E402  (module_utils path set by the package)

PLAYBOOK = "playbooks/maintenance.yml"
# The runner could not start, or said nothing of how the round ended.
RC_NO_RUN = 3


def new_round_id(now=None, suffix=None, zone=""):
    """YYYYMMDD-HHMMSS-xxxx, the shape step 1 gives a round (roles/siak_order), in the time
    zone ``zone`` (the office's siak_order_timezone; '' the machine's own)."""
    now = now or (datetime.now(ZoneInfo(zone)) if zone else datetime.now())
    suffix = suffix if suffix is not None else "%04x" % random.randrange(65536)  # nosec: a name, not a secret
    return "%s-%s" % (now.strftime("%Y%m%d-%H%M%S"), suffix)


def ansible_runner_command(round_id, inventory, private_data_dir, artifact_dir, report_dir=None, keep=0, tags="",
                           scope="", extra_vars=(), vault_password_file="", quiet=True, runner_bin=None):
    """The ``ansible-runner run`` command line of one round."""
    cmdline = ["-e", "siak_order_round_id=%s" % round_id, "-e", "siak_report_runner_link=runner"]
    if report_dir:
        cmdline += ["-e", "siak_report_dir=%s" % report_dir]
    if keep:
        cmdline += ["-e", "siak_report_keep=%d" % int(keep)]
    if scope:
        cmdline += ["-e", "siak_scope=%s" % scope]
    for extra in extra_vars:
        cmdline += ["-e", extra]
    if tags:
        cmdline += ["--tags", tags]
    if vault_password_file:
        cmdline += ["--vault-password-file", str(vault_password_file)]
    runner = runner_bin or str(Path(sys.executable).parent / "ansible-runner")
    cmd = [runner, "run", str(private_data_dir), "-p", PLAYBOOK, "--project-dir", str(ROOT),
           "--inventory", str(Path(inventory).resolve()), "--ident", round_id, "--artifact-dir", str(artifact_dir),
           "--omit-env-files", "--cmdline", shlex.join(cmdline)]
    if quiet:
        cmd.append("--quiet")
    return cmd


def _read(path, default=""):
    try:
        return Path(path).read_text(encoding="utf-8").strip()
    except OSError:
        return default


def keep_artifacts(artifacts, round_folder, since=0.0):
    """Move the runner's artifacts of the round into ``<round>/runner`` (0750/0640); the new path or None.

    Only into a folder this run wrote (its round.json is not older than ``since``): an earlier
    round that happened to have the same id keeps its own files."""
    try:
        written = (round_folder / "round.json").stat().st_mtime
    except OSError:
        return None
    if not artifacts.is_dir() or written < since:
        return None
    dest = round_folder / "runner"
    if dest.exists():
        shutil.rmtree(dest)
    shutil.move(str(artifacts), str(dest))
    scrub_command(dest / "command")
    for folder, dirs, files in os.walk(dest):
        os.chmod(folder, 0o750)
        for name in files:
            os.chmod(os.path.join(folder, name), 0o640)
    return dest


def scrub_command(path):
    """ansible-runner's ``command`` artifact holds the whole environment: keep only Ansible's own
    variables (the environment of a shell or a scheduler may carry tokens)."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    if isinstance(data, dict) and isinstance(data.get("env"), dict):
        data["env"] = {k: v for k, v in data["env"].items() if k.startswith(("ANSIBLE_", "RUNNER_"))}
        path.write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


def prune_artifacts(artifact_dir, keep):
    """Artifacts left in the private data directory (rounds that never opened their folder): the last ``keep``."""
    if keep <= 0 or not artifact_dir.is_dir():
        return []
    runs = sorted((p for p in artifact_dir.iterdir() if p.is_dir()), key=lambda p: p.name, reverse=True)
    removed = runs[keep:]
    for path in removed:
        shutil.rmtree(path, ignore_errors=True)
    return [p.name for p in removed]


def finish(round_id, rc, status, report_dir):
    """The one-line summary of a finished run, from the round's results.json when there is one."""
    folder = Path(report_dir) / round_id
    results_file = folder / "results.json"
    try:
        results = json.loads(results_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        results = None
    if results is None:
        why = {2: "putaran berhenti (round stopped)", 75: "putaran lain sedang berjalan (another round is running)"}
        return "SIAK putaran %s: tidak ada laporan (no report), %s; status runner %s, kode keluar %s" % (
            round_id, why.get(rc, "lihat / see artifacts"), status or "?", rc)
    report = folder / "index.html"
    return summary_line(round_problems(results), str(report) if report.is_file() else "", rc)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m routine run", description=__doc__.split("\n\n")[0])
    parser.add_argument("-i", "--inventory", required=True, help="the office's inventory (folder or hosts.yml)")
    parser.add_argument("--report-dir", default=str(ROOT / "reports"), help="the folder of rounds (default reports/)")
    parser.add_argument("--private-data-dir", default=str(ROOT / "runner"),
                        help="ansible-runner's private data directory (default runner/)")
    parser.add_argument("--keep", type=int, default=0, help="keep only the last K rounds (0: keep all)")
    parser.add_argument("--tags", default="", help="a one-off: only these steps, e.g. step3,report")
    parser.add_argument("--scope", default="", help="a one-off: only these targets (an Ansible host pattern)")
    parser.add_argument("-e", "--extra-vars", action="append", default=[], help="name=value, as ansible-playbook -e")
    parser.add_argument("--vault-password-file", default="", help="the vault's password file")
    parser.add_argument("--show-output", action="store_true", help="print the playbook's output too")
    parser.add_argument("--timezone", default="",
                        help="the office's time zone for the round's id, as siak_order_timezone (e.g. Asia/Makassar)")
    args = parser.parse_args(argv)
    if args.keep < 0:
        parser.error("--keep must be 0 (keep every round) or more")
    try:
        round_id = new_round_id(zone=args.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        parser.error("--timezone %r is not a time zone this machine knows (e.g. Asia/Makassar, Asia/Jakarta)"
                     % args.timezone)
    private = Path(args.private_data_dir).resolve()
    artifact_dir = private / "artifacts"
    artifact_dir.mkdir(parents=True, exist_ok=True)
    report_dir = Path(args.report_dir).resolve()
    cmd = ansible_runner_command(round_id, args.inventory, private, artifact_dir, report_dir, args.keep, args.tags,
                                 args.scope, args.extra_vars, args.vault_password_file, quiet=not args.show_output)
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    started = time.time() - 1
    try:
        proc = subprocess.run(cmd, env=env, check=False)
    except OSError as exc:
        print("SIAK putaran %s: ansible-runner tidak dapat dijalankan (cannot start ansible-runner): %s" % (round_id, exc))
        return RC_NO_RUN
    artifacts = artifact_dir / round_id
    rc_text = _read(artifacts / "rc")
    rc = int(rc_text) if rc_text.lstrip("-").isdigit() else (proc.returncode or RC_NO_RUN)
    status = _read(artifacts / "status")
    kept = keep_artifacts(artifacts, report_dir / round_id, started)
    prune_artifacts(artifact_dir, args.keep)
    line = finish(round_id, rc, status, report_dir)
    if kept is None and artifacts.is_dir():
        line += "; artifacts %s" % artifacts
    print(line)
    return rc


if __name__ == "__main__":
    sys.exit(main())
