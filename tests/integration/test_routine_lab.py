"""The routine against the lab: a round through ``python -m routine run`` (ansible-runner run
on the private data directory runner/), asserting on the runner's artifacts kept in the
round's folder, the one-line summary, retention and the webhook notification (a receiver on
127.0.0.1).

To stay within the suite's time, the round runs steps 1, 2 and the report (the assessment
reaches every target; steps 3 and 4 are covered by test_round.py through ansible-runner
too), with siak-ws03 offline so that the notification has an unreachable target to report.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from ..schemas import results_problems

pytestmark = pytest.mark.lab

ROOT = Path(__file__).resolve().parents[2]


def _targets(lab):
    return set(lab["hosts"]) - {"pusat-dc"} | {s["name"] for s in lab["switches"]}


@pytest.fixture(scope="module")
def routine_round(lab, tmp_path_factory):
    from lab import siaklab

    reports = tmp_path_factory.mktemp("reports")
    state = tmp_path_factory.mktemp("state")
    private = tmp_path_factory.mktemp("runner")
    (private / "env").mkdir()
    for name in ("settings", "envvars"):
        (private / "env" / name).write_text((ROOT / "runner" / "env" / name).read_text())
    # An earlier round that retention (--keep 1) must remove.
    old = reports / "20200101-000000-0000"
    old.mkdir()
    (old / "round.json").write_text(json.dumps({"format": "siak-round-status/1", "complete": False,
                                                "round": {"id": old.name, "started": "2020-01-01T00:00:00"}}))
    posts = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            posts.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=http.serve_forever, daemon=True).start()
    extra = {"siak_state_dir": str(state), "siak_notify_webhook": True,
             "siak_notify_webhook_url": "http://127.0.0.1:%d/siak" % http.server_port}
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"))
    siaklab.fault("siak-ws03", "offline")
    try:
        proc = subprocess.run([sys.executable, "-m", "routine", "run", "-i", str(ROOT / "inventory" / "lab" / "hosts.yml"),
                               "--report-dir", str(reports), "--private-data-dir", str(private), "--keep", "1",
                               "--tags", "step1,step2,report", "-e", json.dumps(extra)],
                              capture_output=True, text=True, env=env, cwd=ROOT, timeout=900, check=False)
    finally:
        siaklab.reset("siak-ws03")
        http.shutdown()
        http.server_close()
    return {"proc": proc, "reports": reports, "posts": posts, "private": private}


def _round_folder(result):
    history = json.loads((result["reports"] / "history.json").read_text())
    return result["reports"] / history[0]["id"], history


def test_the_round_runs_through_ansible_runner_and_prints_one_line(routine_round):
    proc = routine_round["proc"]
    assert proc.returncode == 0, proc.stdout + proc.stderr[-4000:]
    (line,) = proc.stdout.splitlines()
    folder, _ = _round_folder(routine_round)
    assert line.startswith("SIAK putaran %s: " % folder.name)
    assert "tidak terjangkau: siak-ws03" in line and str(folder / "index.html") in line


def test_the_runner_artifacts_are_kept_with_the_round(routine_round, lab):
    folder, _ = _round_folder(routine_round)
    runner = folder / "runner"
    assert (runner / "status").read_text().strip() == "successful"
    assert (runner / "rc").read_text().strip() == "0"
    events = [json.loads(p.read_text()) for p in (runner / "job_events").glob("*.json")]
    hosts = {e["event_data"].get("host") for e in events if e.get("event", "").startswith("runner_on_")}
    assert _targets(lab) <= hosts  # every target was worked on under ansible-runner
    assert any(e["event"] in ("runner_on_unreachable", "runner_on_failed") and e["event_data"]["host"] == "siak-ws03"
               for e in events)
    (stats,) = [e for e in events if e["event"] == "playbook_on_stats"]
    assert stats["event_data"]["failures"] == {}
    assert "Langkah 2" in (runner / "stdout").read_text()
    assert not list((routine_round["private"] / "artifacts").iterdir())
    assert 'href="runner/"' in (folder / "index.html").read_text()


def test_the_round_s_records_are_what_the_runner_ran(routine_round, lab):
    folder, _ = _round_folder(routine_round)
    results = json.loads((folder / "results.json").read_text())
    assert results_problems(results) == []
    login = {r["target"]: r["status"] for r in results["records"] if (r["category"], r["item"]) == ("reach", "ssh")}
    assert set(login) == _targets(lab)
    assert login["siak-ws03"] != "OK" and all(s == "OK" for t, s in login.items() if t != "siak-ws03")
    assert results["grades"]["siak-ws03"]["grade"] == "Rusak"


def test_retention_and_notification(routine_round):
    folder, history = _round_folder(routine_round)
    assert [h["id"] for h in history] == [folder.name]  # --keep 1: the earlier round was removed
    assert not (routine_round["reports"] / "20200101-000000-0000").exists()
    (post,) = routine_round["posts"]
    assert post["round"] == folder.name and post["unreachable"] == ["siak-ws03"]
    assert post["report"] == str(folder / "index.html")
