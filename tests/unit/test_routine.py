"""The routine of rounds: a round through ansible-runner (python -m routine run) with its
artifacts kept in the round's folder, retention of the last K rounds, the schedule (systemd
timer or cron entry rendered into a scratch root, and removed), the notification (a real
SMTP server, aiosmtpd, and a real HTTP receiver, both on 127.0.0.1), the execution
environment (ansible-builder create) and the merge of several offices' rounds.

Everything runs for real on this machine (ansible-playbook, ansible-runner against
localhost with a local connection); nothing is mocked."""

from __future__ import annotations

import email
import email.policy
import json
import os
import socket
import subprocess
import sys
import threading
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "filter_plugins"))
import siak_records as R  # noqa: E402
import siak_retention as RT  # noqa: E402
import siak_round as RD  # noqa: E402
import siak_schedule as SC  # noqa: E402
import siak_summary as S  # noqa: E402

from ansible.errors import AnsibleFilterError  # noqa: E402
from ansible.module_utils.siak_notify import post_webhook, send_email  # noqa: E402
from ansible.module_utils.siak_result import record  # noqa: E402
from ansible.module_utils.siak_routine import notification, round_problems, summary_line  # noqa: E402

from routine import merge as M  # noqa: E402
from routine import run as RUN  # noqa: E402

from ..schemas import results_problems  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
ENV = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / "ansible.cfg"), ANSIBLE_NOCOLOR="1")

ORDER = {"regency": "Pemerintah Kabupaten Paser", "office": "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser",
         "unit": "Bidang Pengelolaan Informasi Administrasi Kependudukan", "place": "Paser",
         "sop_code": "005/SOP/DKPS/II/2024", "ordered_by": "Drs. Contoh", "ordered_by_nip": "",
         "operator": "Contoh Petugas", "operator_nip": "", "note": "", "round_id": ""}


def make_results(started, office=None, regency=None, critical=False, unreachable=False, suffix="a1b2"):
    """A results.json built by the report's own filters (filter_plugins), as the role writes it."""
    order = dict(ORDER, office=office or ORDER["office"], regency=regency or ORDER["regency"])
    records = R.siak_reach_records({"ping": "pong"}, 2, "siak-app01")
    if unreachable:
        records += R.siak_reach_records({"unreachable": True, "msg": "ssh: connect to host 10.0.0.23 port 22: No route to host"},
                                        2, "siak-ws03")
    else:
        records += R.siak_reach_records({"ping": "pong"}, 2, "siak-ws03")
    records.append(record("disk", "/", "CRITICAL" if critical else "OK", "Disk / terisi %d%%" % (95 if critical else 40),
                          value=95 if critical else 40, unit="%", warn=80, crit=90, step=3, target="siak-app01"))
    targets = ["siak-app01", "siak-ws03"]
    header = RD.siak_round_header(order, started, "WITA", "admin", suffix)
    header = dict(header, finished=started, previous=None, step_started={"2": started, "3": started})
    document = json.loads(json.dumps(RD.siak_results_document(header, S.siak_summary(records, targets), records)))
    assert results_problems(document) == []
    return document


def ansible_playbook(playbook, *args, inventory="localhost,"):
    local = ["-c", "local", "-e", "ansible_python_interpreter=%s" % sys.executable] if inventory == "localhost," else []
    proc = subprocess.run([str(BIN / "ansible-playbook"), "-i", inventory, *local, str(playbook), *args],
                          capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300, check=False)
    return proc


def local_inventory(tmp_path):
    """An office of one workstation: this machine, reached with a local connection."""
    inv = tmp_path / "inventory"
    inv.mkdir()
    (inv / "hosts.yml").write_text(yaml.safe_dump({"all": {"children": {
        "siak_hosts": {"children": {"workstations": {"hosts": {"local-ws": {
            "ansible_connection": "local", "ansible_python_interpreter": sys.executable}}}}},
        "switches": {"hosts": {}}}}}))
    return inv


# --- retention -------------------------------------------------------------------------------

def test_retention_keeps_the_newest_k_and_never_the_round_being_written():
    history = [{"id": "r5"}, {"id": "r4"}, {"id": "r3"}, {"id": "r2"}, {"id": "r1"}]
    assert RT.siak_rounds_beyond(history, 0) == []
    assert RT.siak_rounds_beyond(history, 2) == ["r3", "r2", "r1"]
    assert RT.siak_rounds_beyond(history, 2, "r5") == ["r3", "r2", "r1"]
    assert RT.siak_rounds_beyond(history, 2, "r1") == ["r4", "r3", "r2"]  # the current round stays, whatever its place
    assert RT.siak_rounds_beyond(history, 9) == []
    assert RT.siak_rounds_beyond(history + [{"id": "../etc"}], 1, "r5") == ["r4", "r3", "r2", "r1"]


def test_a_report_folder_two_offices_share_keeps_each_offices_rounds_apart():
    history = [{"id": "b2", "office": "Dinas B"}, {"id": "a2", "office": "Dinas A"}, {"id": "b1", "office": "Dinas B"},
               {"id": "old", "office": None}, {"id": "a1", "office": "Dinas A"}]
    mine = RT.siak_same_office(history, "Dinas A")
    assert [e["id"] for e in mine] == ["a2", "old", "a1"]        # a round that names no office counts as this one's
    assert RT.siak_rounds_beyond(mine, 1, "a2") == ["old", "a1"]  # never b1 or b2
    assert RT.siak_same_office(history, "") == history
    for bad in (-1, "many"):
        with pytest.raises(AnsibleFilterError):
            RT.siak_rounds_beyond(history, bad)


# --- the schedule ----------------------------------------------------------------------------

def test_the_period_as_systemd_and_cron_say_it():
    assert SC.siak_schedule_calendar("daily", "06:30") == {"oncalendar": "*-*-* 06:30:00", "cron": "30 6 * * *"}
    assert SC.siak_schedule_calendar("weekly", "07:00", "Mon") == {"oncalendar": "Mon *-*-* 07:00:00", "cron": "0 7 * * 1"}
    assert SC.siak_schedule_calendar("weekly", "23:05", "sunday") == {"oncalendar": "Sun *-*-* 23:05:00",
                                                                     "cron": "5 23 * * 0"}
    # The office's time zone ends systemd's calendar (cron has no such field).
    assert SC.siak_schedule_calendar("weekly", "07:00", "Mon", zone="Asia/Makassar") == {
        "oncalendar": "Mon *-*-* 07:00:00 Asia/Makassar", "cron": "0 7 * * 1"}
    assert SC.siak_schedule_calendar("monthly", "07:00", monthday=15) == {"oncalendar": "*-*-15 07:00:00",
                                                                         "cron": "0 7 15 * *"}
    for args in (("hourly",), ("daily", "25:00"), ("weekly", "07:00", "Xyz"), ("monthly", "07:00", "Mon", 31)):
        with pytest.raises(AnsibleFilterError):
            SC.siak_schedule_calendar(*args)


def test_the_schedule_is_installed_as_a_timer_or_a_cron_entry_and_removed(tmp_path):
    root = tmp_path / "root"
    inv = local_inventory(tmp_path)
    common = ["-e", "siak_schedule_root=%s" % root, "-e", "siak_schedule_user=operator"]
    playbook = ROOT / "playbooks" / "schedule.yml"
    command = ("%s/.venv/bin/python -m routine run -i %s --report-dir %s/reports --keep 5 --scope app:switches"
               % (ROOT, inv.resolve(), ROOT))

    proc = ansible_playbook(playbook, *common, "-e", "siak_schedule_kind=systemd", "-e", "siak_schedule_keep=5",
                            "-e", "siak_schedule_scope=app:switches", inventory=str(inv))
    assert proc.returncode == 0, proc.stdout[-3000:]
    units = root / "etc" / "systemd" / "system"
    service = (units / "siak-pemeliharaan.service").read_text()
    timer = (units / "siak-pemeliharaan.timer").read_text()
    assert "\nExecStart=%s\n" % command in service
    assert "\nUser=operator\n" in service and "\nWorkingDirectory=%s\n" % ROOT in service and "\nType=oneshot\n" in service
    assert "\nOnCalendar=Mon *-*-* 09:00:00\n" in timer and "\nPersistent=true\n" in timer
    assert "\nUnit=siak-pemeliharaan.service\n" in timer and "\nWantedBy=timers.target\n" in timer
    assert not (root / "etc" / "cron.d").exists()

    # The office's time zone: the timer keeps 09:00 in it and the round's id is written in it.
    proc = ansible_playbook(playbook, *common, "-e", "siak_schedule_kind=systemd", "-e", "siak_order_timezone=Asia/Makassar",
                            inventory=str(inv))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "\nOnCalendar=Mon *-*-* 09:00:00 Asia/Makassar\n" in (units / "siak-pemeliharaan.timer").read_text()
    assert " --keep 12 --timezone Asia/Makassar\n" in (units / "siak-pemeliharaan.service").read_text()

    proc = ansible_playbook(playbook, *common, "-e", "siak_schedule_kind=cron", "-e", "siak_schedule_period=daily",
                            "-e", "siak_schedule_time=05:45", "-e", "siak_schedule_mailto=adb@example.invalid",
                            inventory=str(inv))
    assert proc.returncode == 0, proc.stdout[-3000:]
    cron = (root / "etc" / "cron.d" / "siak-pemeliharaan").read_text()
    lines = [line for line in cron.splitlines() if line and not line.startswith("#")]
    assert lines == ["SHELL=/bin/sh", "PATH=/usr/local/bin:/usr/bin:/bin", "MAILTO=adb@example.invalid",
                     "45 5 * * * operator cd %s && %s" % (ROOT, command.replace("--keep 5 --scope app:switches",
                                                                                  "--keep 12"))]
    assert cron.endswith("\n")  # cron ignores a last line without its newline
    assert list(units.iterdir()) == []  # one schedule, never two

    proc = ansible_playbook(playbook, "-e", "siak_schedule_root=%s" % root, "-e", "siak_schedule_state=absent",
                            inventory=str(inv))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert [p for p in root.rglob("*") if p.is_file()] == []

    proc = ansible_playbook(playbook, "-e", "siak_schedule_root=%s" % root, "-e", "siak_schedule_user=root",
                            inventory=str(inv))
    assert proc.returncode != 0 and "bukan root" in proc.stdout
    proc = ansible_playbook(playbook, *common, "-e", json.dumps({"siak_schedule_scope": "app\nExecStartPre=/bin/false"}),
                            inventory=str(inv))
    assert proc.returncode != 0 and "control character" in proc.stdout
    assert [p for p in root.rglob("*") if p.is_file()] == []


# --- a round through ansible-runner ----------------------------------------------------------

def test_the_runner_command_of_a_round(tmp_path):
    cmd = RUN.ansible_runner_command("20261125-070000-ab12", tmp_path, tmp_path / "runner", tmp_path / "art",
                                     tmp_path / "reports", keep=4, tags="step3,report", scope="app",
                                     extra_vars=["siak_order_note=uji"], vault_password_file="/home/op/.vp")
    assert cmd[1:3] == ["run", str(tmp_path / "runner")] and cmd[cmd.index("-p") + 1] == "playbooks/maintenance.yml"
    assert cmd[cmd.index("--project-dir") + 1] == str(ROOT) and cmd[cmd.index("--ident") + 1] == "20261125-070000-ab12"
    cmdline = cmd[cmd.index("--cmdline") + 1]
    for part in ("-e siak_order_round_id=20261125-070000-ab12", "-e siak_report_keep=4", "-e siak_scope=app",
                 "--tags step3,report", "-e siak_order_note=uji", "--vault-password-file /home/op/.vp",
                 "-e siak_report_runner_link=runner"):
        assert part in cmdline
    assert RUN.new_round_id(suffix="00ff").endswith("-00ff") and len(RUN.new_round_id()) == 20
    # In the office's time zone (WITA is UTC+8, without daylight saving).
    utc = RUN.new_round_id(suffix="0000", zone="UTC")
    wita = RUN.new_round_id(suffix="0000", zone="Asia/Makassar")
    assert (datetime.strptime(wita, "%Y%m%d-%H%M%S-0000") - datetime.strptime(utc, "%Y%m%d-%H%M%S-0000")).total_seconds() \
        in (8 * 3600, 8 * 3600 + 1)


def _old_round(report_dir, name, started):
    folder = report_dir / name
    folder.mkdir(parents=True)
    header = {"id": name, "started": started, "operator": "x"}
    (folder / "round.json").write_text(json.dumps({"format": "siak-round-status/1", "complete": False, "round": header}))


def test_a_round_runs_through_ansible_runner_keeps_its_artifacts_and_the_last_k_rounds(tmp_path):
    inv = local_inventory(tmp_path)
    reports = tmp_path / "reports"
    for day in (1, 2, 3):
        _old_round(reports, "20200101-00000%d-old%d" % (day, day), "2020-01-0%dT00:00:00" % day)
    (reports / "catatan").mkdir()  # not a round: never touched
    private = tmp_path / "runner"
    (private / "env").mkdir(parents=True)
    for name in ("settings", "envvars"):
        (private / "env" / name).write_text((ROOT / "runner" / "env" / name).read_text())
    proc = subprocess.run([sys.executable, "-m", "routine", "run", "-i", str(inv), "--report-dir", str(reports),
                           "--private-data-dir", str(private), "--keep", "2", "--tags", "step1,report",
                           "-e", json.dumps({"siak_order_note": "uji <rutin>"})],
                          capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr[-3000:]
    lines = proc.stdout.splitlines()
    assert len(lines) == 1 and lines[0].startswith("SIAK putaran "), proc.stdout  # one line: what cron mails
    round_id = lines[0].split()[2].rstrip(":")
    folder = reports / round_id
    assert "laporan %s" % (folder / "index.html") in lines[0]

    # The runner's artifacts, kept with the round and linked from its report.
    runner = folder / "runner"
    assert (runner / "status").read_text().strip() == "successful" and (runner / "rc").read_text().strip() == "0"
    events = [json.loads(p.read_text()) for p in (runner / "job_events").glob("*.json")]
    stats = [e for e in events if e.get("event") == "playbook_on_stats"]
    assert len(stats) == 1 and stats[0]["event_data"]["failures"] == {}
    assert any(e.get("event_data", {}).get("task") == "Write the round's results, checklist and report, then keep the state for the next round"
               for e in events)
    assert "Langkah 1" in (runner / "stdout").read_text()
    command = json.loads((runner / "command").read_text())
    assert all(k.startswith(("ANSIBLE_", "RUNNER_")) for k in command["env"])  # no token of the shell's environment
    assert 'href="runner/"' in (folder / "index.html").read_text()
    results = json.loads((folder / "results.json").read_text())
    assert results_problems(results) == [] and results["round"]["note"] == "uji <rutin>"
    assert not list((private / "artifacts").iterdir())  # moved, not copied

    # Retention: exactly K rounds stay (this one and the newest earlier one); the history says so.
    rounds = sorted(p.name for p in reports.iterdir() if p.is_dir())
    assert rounds == sorted(["20200101-000003-old3", round_id, "catatan"])
    history = json.loads((reports / "history.json").read_text())
    assert [h["id"] for h in history] == [round_id, "20200101-000003-old3"]
    assert "Hanya 2 putaran terakhir yang disimpan" in (reports / "index.html").read_text()


def test_a_round_that_cannot_run_says_so_in_one_line(tmp_path):
    inv = tmp_path / "broken"
    inv.mkdir()
    (inv / "hosts.yml").write_text("all: [this is: not an inventory\n")
    private = tmp_path / "runner"
    proc = subprocess.run([sys.executable, "-m", "routine", "run", "-i", str(inv), "--report-dir", str(tmp_path / "r"),
                           "--private-data-dir", str(private)],
                          capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=300, check=False)
    assert proc.returncode == 2, proc.stdout + proc.stderr[-2000:]
    assert proc.stdout.count("\n") == 1 and "tidak ada laporan" in proc.stdout and "artifacts" in proc.stdout


# --- notification ----------------------------------------------------------------------------

def test_what_a_round_amounts_to():
    quiet = round_problems(make_results("2026-11-25T07:00:00"))
    assert quiet["attention"] is False and quiet["unreachable"] == [] and quiet["worst"] == []
    bad = round_problems(make_results("2026-11-25T07:00:00", critical=True, unreachable=True))
    assert bad["attention"] is True and bad["unreachable"] == ["siak-ws03"] and bad["status"] == "CRITICAL"
    assert bad["worst"][0]["status"] == "CRITICAL" and bad["worst"][0]["item"] == "/"
    line = summary_line(bad, "/srv/r/index.html", 0)
    assert line.startswith("SIAK putaran 20261125-070000-a1b2: kritis; 1 kritis") and "\n" not in line
    assert "tidak terjangkau: siak-ws03" in line and line.endswith("laporan /srv/r/index.html")
    note = notification(bad, "/srv/r/index.html")
    assert note["payload"]["unreachable"] == ["siak-ws03"] and "Disk / terisi 95%" in note["body"]
    assert round_problems({"records": "garbage"})["status"] == "UNKNOWN"  # never a crash


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def receivers():
    """A real SMTP server (aiosmtpd) and a real HTTP receiver, both on 127.0.0.1."""
    from aiosmtpd.controller import Controller

    class Sink:
        def __init__(self):
            self.messages = []

        async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
            self.messages.append(envelope)
            return "250 OK"

    sink = Sink()
    smtp = Controller(sink, hostname="127.0.0.1", port=_free_port())
    smtp.start()

    posts = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (http.server's name)
            body = self.rfile.read(int(self.headers["Content-Length"]))
            posts.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(body)})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args):
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    try:
        yield {"smtp_port": smtp.port, "mail": sink.messages, "url": "http://127.0.0.1:%d/hooks/siak" % http.server_port,
               "posts": posts}
    finally:
        smtp.stop()
        http.shutdown()
        http.server_close()


def test_the_senders_reach_a_real_smtp_server_and_http_receiver(receivers):
    note = notification(round_problems(make_results("2026-11-25T07:00:00", critical=True)), "/srv/r/index.html")
    assert send_email(note, "127.0.0.1", receivers["smtp_port"], "siak@example.invalid", ["adb@example.invalid"]) is None
    assert post_webhook(note, receivers["url"], token="rahasia") is None
    (mail,) = receivers["mail"]
    assert mail.rcpt_tos == ["adb@example.invalid"] and b"Subject: SIAK putaran 20261125-070000-a1b2" in mail.content
    (post,) = receivers["posts"]
    assert post["headers"]["Authorization"] == "Bearer rahasia" and post["body"]["status"] == "CRITICAL"
    # A server that is not there is a reason, never an exception.
    assert "failed" in send_email(note, "127.0.0.1", _free_port(), "a@example.invalid", ["b@example.invalid"], timeout=2)
    assert "failed" in post_webhook(note, "http://127.0.0.1:%d/" % _free_port(), timeout=2)


def _notify_playbook(tmp_path, results):
    reports = tmp_path / "reports"
    (reports / results["round"]["id"]).mkdir(parents=True)
    (reports / results["round"]["id"] / "results.json").write_text(json.dumps(results))
    playbook = tmp_path / "notify.yml"
    playbook.write_text(yaml.safe_dump([{"name": "Notify", "hosts": "localhost", "gather_facts": False,
                                         "vars": {"siak_report_round": {"id": results["round"]["id"]}},
                                         "roles": [{"role": "siak_notify"}]}]))
    return playbook, reports


def test_the_round_notifies_by_email_and_webhook_only_when_on(tmp_path, receivers):
    playbook, reports = _notify_playbook(tmp_path, make_results("2026-11-25T07:00:00", critical=True, unreachable=True))
    on = ["-e", json.dumps({"siak_notify_report_dir": str(reports), "siak_notify_email": True, "siak_notify_webhook": True,
                            "siak_notify_smtp_host": "127.0.0.1", "siak_notify_smtp_port": receivers["smtp_port"],
                            "siak_notify_from": "siak@example.invalid", "siak_notify_to": ["pejabat@example.invalid"],
                            "siak_notify_webhook_url": receivers["url"], "siak_notify_webhook_token": "token-rahasia"})]
    # Off (the default): nothing is sent.
    proc = ansible_playbook(playbook, "-e", json.dumps({"siak_notify_report_dir": str(reports)}))
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert receivers["mail"] == [] and receivers["posts"] == []
    # On, for a round with a CRITICAL record and an unreachable target: one email, one POST.
    proc = ansible_playbook(playbook, *on)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "token-rahasia" not in proc.stdout
    (mail,) = receivers["mail"]
    message = email.message_from_bytes(mail.content, policy=email.policy.default)
    text = message["Subject"] + "\n" + message.get_content()
    assert mail.rcpt_tos == ["pejabat@example.invalid"] and "tidak terjangkau: siak-ws03" in text
    assert str(reports / "20261125-070000-a1b2" / "index.html") in text
    (post,) = receivers["posts"]
    assert post["path"] == "/hooks/siak" and post["body"]["unreachable"] == ["siak-ws03"]
    assert post["body"]["counts"]["CRITICAL"] == 1 and post["headers"]["Authorization"] == "Bearer token-rahasia"
    # Once per round: the report written again for the same round sends nothing more.
    assert json.loads((reports / "20261125-070000-a1b2" / "notified.json").read_text())["sent"] == ["email", "webhook"]
    proc = ansible_playbook(playbook, *on)
    assert proc.returncode == 0 and "sudah diberitahukan" in proc.stdout, proc.stdout[-3000:]
    assert len(receivers["mail"]) == 1 and len(receivers["posts"]) == 1


# --- execution environment -------------------------------------------------------------------

def test_ansible_builder_creates_a_valid_build_context(tmp_path):
    context = tmp_path / "context"
    proc = subprocess.run([str(BIN / "ansible-builder"), "create", "-f", str(ROOT / "execution-environment.yml"),
                           "-c", str(context), "--output-filename", "Containerfile"],
                          capture_output=True, text=True, cwd=ROOT, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    containerfile = (context / "Containerfile").read_text()
    assert 'ARG EE_BASE_IMAGE="quay.io/centos/centos:stream9"' in containerfile
    assert 'ARG ANSIBLE_INSTALL_REFS="ansible-core==2.19.14 ansible-runner==2.4.3"' in containerfile
    assert "FROM $EE_BASE_IMAGE AS base" in containerfile and "ENTRYPOINT" in containerfile
    assert (context / "_build" / "requirements.txt").read_text() == (ROOT / "execution-environment" / "requirements.txt").read_text()
    assert "openssh-clients" in (context / "_build" / "bindep.txt").read_text()
    for script in ("assemble", "install-from-bindep", "introspect.py", "entrypoint"):
        assert (context / "_build" / "scripts" / script).is_file()


def _pins(path):
    pins = {}
    for line in path.read_text().splitlines():
        if line and not line.startswith("#"):
            name, version = line.split("==")
            pins[name.lower().replace("_", "-")] = version
    return pins


def test_the_execution_environment_pins_what_the_project_pins():
    ee, project = _pins(ROOT / "execution-environment" / "requirements.txt"), _pins(ROOT / "requirements.txt")
    assert {"netmiko", "ntc-templates", "textfsm", "paramiko", "jinja2", "pyyaml"} <= set(ee)
    assert {name: version for name, version in ee.items() if project.get(name) != version} == {}
    spec = yaml.safe_load((ROOT / "execution-environment.yml").read_text())
    for key in ("ansible_core", "ansible_runner"):
        name, version = spec["dependencies"][key]["package_pip"].split("==")
        assert project[name] == version


# --- many districts, one view ----------------------------------------------------------------

def test_the_merge_of_three_rounds_from_two_offices(tmp_path):
    base = tmp_path / "provinsi"
    paser = base / "paser" / "reports"
    evil = 'Dinas <script>alert("x")</script> Kabupaten Contoh'
    documents = {
        paser / "20261118-070000-aaaa": make_results("2026-11-18T07:00:00", suffix="aaaa"),
        paser / "20261125-070000-bbbb": make_results("2026-11-25T07:00:00", critical=True, unreachable=True, suffix="bbbb"),
        base / "contoh" / "20261124-080000-cccc": make_results("2026-11-24T08:00:00", office=evil,
                                                                regency="Pemerintah Kabupaten Contoh", suffix="cccc"),
    }
    for folder, document in documents.items():
        folder.mkdir(parents=True)
        (folder / "results.json").write_text(json.dumps(document))
        (folder / "runner").mkdir()
        (folder / "runner" / "results.json").write_text("{}")  # not a round: the runner's folder is not read
    bad = base / "rusak"
    bad.mkdir()
    (bad / "results.json").write_text("{not json")
    (base / "lama").mkdir()
    (base / "lama" / "results.json").write_text(json.dumps(dict(documents[paser / "20261118-070000-aaaa"],
                                                                format="siak-maintenance-round/0")))
    broken = json.loads(json.dumps(documents[paser / "20261118-070000-aaaa"]))
    broken["records"][0]["status"] = "BAIK"
    (base / "salah").mkdir()
    (base / "salah" / "results.json").write_text(json.dumps(broken))

    out = tmp_path / "out" / "ikhtisar.html"
    proc = subprocess.run([sys.executable, "-m", "routine", "merge", "-o", str(out), "--title", "Provinsi <Kaltim>",
                           str(base)], capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120, check=False)
    assert proc.returncode == 1, proc.stdout + proc.stderr  # some files were refused
    assert "2 kantor, 3 putaran, 3 berkas ditolak" in proc.stdout
    overview = json.loads(out.with_suffix(".json").read_text())
    offices = {o["office"]: o for o in overview["offices"]}
    assert set(offices) == {ORDER["office"], evil}
    latest = offices[ORDER["office"]]["latest"]
    assert latest["round"] == "20261125-070000-bbbb" and latest["status"] == "CRITICAL"
    assert latest["unreachable"] == ["siak-ws03"] and latest["worst"][0]["item"] == "/"
    assert [r["round"] for r in offices[ORDER["office"]]["rounds"]] == ["20261125-070000-bbbb", "20261118-070000-aaaa"]
    assert offices[evil]["latest"]["grade_counts"] == documents[base / "contoh" / "20261124-080000-cccc"]["summary"]["grade_counts"]
    rejected = {Path(r["file"]).parent.name: r["reason"] for r in overview["rejected"]}
    assert set(rejected) == {"rusak", "lama", "salah"}
    assert "bukan JSON" in rejected["rusak"] and "siak-maintenance-round/0" in rejected["lama"]
    assert "records/0/status" in rejected["salah"]
    for name in rejected:
        assert str(base / name / "results.json") in proc.stderr

    page = out.read_text()
    assert "<script>" not in page and "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    assert "<title>Provinsi &lt;Kaltim&gt;</title>" in page and "Berkas yang ditolak" in page
    assert "20261118-070000-aaaa" in page and "20261124-080000-cccc" in page

    # Nothing mergeable: exit 2, still a page that names the file.
    proc = subprocess.run([sys.executable, "-m", "routine", "merge", "-o", str(tmp_path / "x.html"), str(bad)],
                          capture_output=True, text=True, env=ENV, cwd=ROOT, timeout=120, check=False)
    assert proc.returncode == 2 and "rusak" in (tmp_path / "x.html").read_text()


def test_the_merge_reads_what_a_round_writes_by_its_version():
    assert M.KNOWN_FORMATS == (RD.RESULTS_FORMAT,)
    schema = json.loads((ROOT / "docs" / "schema" / "results.schema.json").read_text())
    assert schema["properties"]["format"] == {"const": RD.RESULTS_FORMAT}
