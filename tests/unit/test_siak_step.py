"""The siak_step action's pure part (module_utils/siak_step.py): one step on one target, every
outcome a record. The results are shaped as ansible-core 2.19 gives them to an action plugin
(the failed ones as registered in the lab's trust tests; the connection failure as the
action turns AnsibleConnectionFailure into a result). The action itself runs against the
lab in tests/integration (test_trust.py, test_bad_input.py, test_hardware.py, test_round.py)."""

from __future__ import annotations

import socket

from ansible.errors import AnsibleConnectionFailure, AnsibleError
from ansible.module_utils import siak_step as S

# Real failed results as ansible-core 2.19 registers them (the filters' tests keep them).
from .test_filters import CRASHED, NO_INTERPRETER

UNREACHABLE = S.connection_failure(AnsibleConnectionFailure(
    "Failed to connect to the host via ssh: ssh: connect to host 198.18.0.21 port 22: No route to host"))
TEMP_FAILURE = S.connection_failure(AnsibleConnectionFailure(
    "Failed to create temporary directory. In some cases, you may have been able to authenticate and did not "
    "have permissions on the target directory."))
HW_RECORD = {"category": "hw-cpu", "item": "cpu", "status": "OK", "message": "CPU: 2 inti"}
HARDWARE = {"changed": False, "records": [HW_RECORD], "hardware": {"cpu": {"cores": 2}},
            "previous_hardware": None, "not_applicable": ["ups"], "state": {"hardware": {"cpu": {"cores": 2}}}}
PONG = {"ping": "pong", "changed": False}
PORT_TIMEOUT = {"failed": True, "elapsed": 5, "msg": "Timeout when waiting for 198.18.0.51:22"}
PORT_OK = {"changed": False, "elapsed": 0, "port": 22, "state": "started"}


def identities(outcome):
    return [(r["category"], r["item"], r["status"]) for r in outcome["records"]]


def test_a_hardware_reading_that_ran_proves_the_login_and_the_modules():
    out = S.assess_host("siak-app01", HARDWARE, None, "/s/hardware/siak-app01.json")
    assert identities(out) == [("reach", "ssh", "OK"), ("reach", "modul", "OK"), ("hw-cpu", "cpu", "OK")]
    assert out["reachable"] is True and out["reason"] == "" and out["hardware_read"] is True
    assert out["hardware"] == {"cpu": {"cores": 2}} and out["not_applicable"] == ["ups"]
    assert out["state_new"] == {"path": "/s/hardware/siak-app01.json", "state": HARDWARE["state"]}
    assert {r["step"] for r in out["records"]} == {2} and {r["target"] for r in out["records"]} == {"siak-app01"}


def test_no_state_is_handed_on_without_a_file_to_keep_it_in():
    assert S.assess_host("h", HARDWARE, None, None)["state_new"] is None


def test_a_host_that_is_down_gets_one_unknown_login_record_and_no_ping():
    assert S.needs_ping(UNREACHABLE) is False
    out = S.assess_host("siak-ws01", UNREACHABLE, None, "/s/h.json")
    assert identities(out) == [("reach", "ssh", "UNKNOWN")]
    assert out["reachable"] is False and "No route to host" in out["reason"]
    assert out["hardware_read"] is False and out["hardware"] is None and out["state_new"] is None


def test_a_temp_folder_failure_is_asked_again_with_a_ping_and_is_a_login_without_modules():
    assert S.needs_ping(TEMP_FAILURE) is True
    out = S.assess_host("h", TEMP_FAILURE, TEMP_FAILURE, "/s/h.json")
    assert identities(out) == [("reach", "ssh", "OK"), ("reach", "modul", "UNKNOWN")]
    assert out["reachable"] is False and "temporary directory" in out["reason"]


def test_a_missing_interpreter_stops_the_host_with_the_pings_reason():
    assert S.needs_ping(NO_INTERPRETER) is True
    out = S.assess_host("h", NO_INTERPRETER, NO_INTERPRETER)
    assert identities(out) == [("reach", "ssh", "OK"), ("reach", "modul", "UNKNOWN")]
    assert "python3.99" in out["reason"] and out["hardware_read"] is False


def test_a_refused_privilege_escalation_stops_the_host_with_the_reason():
    refused = S.run_failure(AnsibleError("Missing sudo password"))
    out = S.assess_host("h", refused, refused)
    assert identities(out) == [("reach", "ssh", "OK"), ("reach", "modul", "UNKNOWN")]
    assert out["reason"].endswith("Missing sudo password")


def test_a_crashed_module_is_named_by_its_exception_as_a_task_would_show_it():
    # What ansible-core 2.19's _execute_module hands an action for a module that raised:
    # no msg, the exception's summary (this stands in for its CapturedErrorSummary).
    class Event:
        msg = "division by zero"

    class Summary:
        event = Event()

    crashed = S.with_failure_message({"failed": True, "exception": Summary()})
    assert crashed["msg"] == "Module failed: division by zero"
    assert S.with_failure_message(NO_INTERPRETER) is NO_INTERPRETER
    assert S.with_failure_message(PONG) is PONG


def test_a_crashing_hardware_module_leaves_the_host_reachable_with_one_unknown_hardware_record():
    out = S.assess_host("h", CRASHED, PONG, "/s/h.json")
    assert identities(out) == [("reach", "ssh", "OK"), ("reach", "modul", "OK"), ("hw-system", "system", "UNKNOWN")]
    assert out["reachable"] is True
    assert "ZeroDivisionError" in out["records"][-1]["message"]
    assert out["hardware_read"] is True and out["hardware"] is None and out["state_new"] is None


def test_without_the_hardware_reading_the_ping_alone_decides():
    assert identities(S.assess_host("h", None, PONG)) == [("reach", "ssh", "OK"), ("reach", "modul", "OK")]
    assert S.assess_host("h", None, PONG)["hardware_read"] is False
    assert identities(S.assess_host("h", None, UNREACHABLE)) == [("reach", "ssh", "UNKNOWN")]


def test_a_switch_whose_port_does_not_answer_is_not_logged_in_to():
    out = S.assess_switch("sw-lab01", PORT_TIMEOUT, None, "/s/sw.json")
    assert identities(out) == [("reach", "ssh", "UNKNOWN")]
    assert out["reachable"] is False and "Timeout when waiting" in out["reason"]


def test_the_port_wait_answers_for_a_listening_port_and_times_out_on_a_closed_one():
    # Real sockets on loopback: one listening, one bound and closed again (nothing answers).
    with socket.socket() as listening:
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        port = listening.getsockname()[1]
        answered = S.wait_for_port("127.0.0.1", port, 2)
    assert answered == {"changed": False, "state": "started", "port": port, "elapsed": 0}
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        dead = closed.getsockname()[1]
    naps = []
    timed_out = S.wait_for_port("127.0.0.1", dead, 2, sleep=naps.append)
    assert timed_out["failed"] is True and timed_out["msg"] == "Timeout when waiting for 127.0.0.1:%d" % dead
    assert naps and all(0 < nap <= 1 for nap in naps)  # a try at most once a second, bounded by the timeout
    # The result reads as wait_for's did: the switch's one UNKNOWN record names the timeout.
    assert S.assess_switch("sw-lab01", timed_out)["reason"].endswith("Timeout when waiting for 127.0.0.1:%d" % dead)


def test_a_switch_that_answers_gives_its_port_record_and_its_environment():
    sample = {"ts": 1764680000.5, "ports": {"Gi0/1": {"in_errors": 0, "in_packets": 10}}}
    env = {"records": [{"category": "hw-fan", "item": "Fan 1", "status": "OK", "message": "ok"}],
           "hardware": {"model": "WS-C2960"}, "state": {"hardware": {"model": "WS-C2960"}}, "counter_sample": sample}
    out = S.assess_switch("sw-lab01", PORT_OK, env, "/s/sw.json")
    assert identities(out) == [("reach", "ssh", "OK"), ("hw-fan", "Fan 1", "OK")]
    assert out["hardware"] == {"model": "WS-C2960"} and out["state_new"]["path"] == "/s/sw.json"
    assert out["counter_sample"] == sample  # for step 3 of a first round
    assert S.assess_switch("sw-lab01", PORT_TIMEOUT, None)["counter_sample"] is None
    failed = S.assess_switch("sw-lab01", PORT_OK, {"failed": True, "msg": "host key of sw-lab01 is unknown"})
    assert identities(failed) == [("reach", "ssh", "OK"), ("hw-system", "system", "UNKNOWN")]
    assert failed["reachable"] is True


def test_a_check_that_ran_gives_its_records_and_its_state():
    ran = {"records": [{"category": "disk", "item": "/", "status": "WARNING", "message": "disk 85%"}],
           "state": {"time": 1.0, "boot_time": 2}, "duration": 0.42}
    out = S.check("siak-db01", 3, ["host", "siak_host_check"], ran, "/s/hosts/siak-db01.json")
    assert identities(out) == [("disk", "/", "WARNING")] and out["duration"] == 0.42
    assert out["state_new"] == {"path": "/s/hosts/siak-db01.json", "state": ran["state"]}


def test_a_check_that_did_not_run_is_one_unknown_record_with_its_identity_and_no_state():
    for result, cause in ((UNREACHABLE, "No route to host"), (CRASHED, "ZeroDivisionError"),
                          ({"changed": False}, "tidak menghasilkan data")):
        out = S.check("siak-db01", 3, ["host", "siak_host_check"], result, "/s/h.json")
        assert identities(out) == [("host", "siak_host_check", "UNKNOWN")], result
        assert cause in out["records"][0]["message"]
        assert out["state_new"] is None



def test_the_task_ends_as_the_first_module_run_that_did_not_work():
    assert S.task_status(HARDWARE) == {}
    assert S.task_status(None, PONG) == {}
    down = S.task_status(UNREACHABLE)
    assert down["unreachable"] is True and "No route to host" in down["msg"]
    crashed = S.task_status(PORT_OK, CRASHED)
    assert crashed["failed"] is True and "ZeroDivisionError" in crashed["msg"]
    assert S.task_status(PORT_TIMEOUT, None)["msg"].startswith("Timeout when waiting")


# --- the switch check run in the action's own process (action_plugins/siak_step.py) ---------

def _action():
    from .. import source  # pylint: disable=import-outside-toplevel
    return source.load_source("action_plugins/siak_step.py", "siak_step_action").ActionModule


def test_the_in_process_switch_check_refuses_arguments_as_the_module_does(tmp_path):
    action = _action()
    missing = action._switch_check({"host": "192.0.2.1", "username": "u", "password": "p",  # pylint: disable=protected-access
                                    "known_hosts": str(tmp_path / "known_hosts")})
    assert missing["failed"] is True and "platform" in missing["msg"]
    wrong = action._switch_check({"platform": "cisco_xyz", "host": "192.0.2.1", "username": "u",  # pylint: disable=protected-access
                                  "password": "p", "known_hosts": str(tmp_path / "known_hosts")})
    assert wrong["failed"] is True and "cisco_xyz" in wrong["msg"]


def test_the_in_process_switch_check_gives_the_modules_result_and_names_a_crash(tmp_path, monkeypatch):
    from ansible.module_utils import siak_switch_session  # pylint: disable=import-outside-toplevel
    action = _action()
    args = {"platform": "cisco_ios", "host": "192.0.2.1", "username": "u", "password": "p",
            "known_hosts": str(tmp_path / "known_hosts")}
    # No known_hosts file: the real check refuses to log in, one UNKNOWN record, nothing sent.
    result = action._switch_check(dict(args))  # pylint: disable=protected-access
    assert [(r["category"], r["item"], r["status"]) for r in result["records"]] == [("switch", "ssh", "UNKNOWN")]
    assert result["records"][0]["details"]["password_sent"] is False

    def crash(params, warn):
        return 1 / 0

    monkeypatch.setattr(siak_switch_session, "run", crash)
    crashed = action._switch_check(dict(args))  # pylint: disable=protected-access
    assert crashed == {"failed": True, "changed": False, "msg": "Module failed: division by zero"}
    # ... which the step turns into one UNKNOWN record with the check's identity, as for the module.
    out = S.check("sw-lab01", 3, ["switch", "siak_switch_check"], crashed)
    assert identities(out) == [("switch", "siak_switch_check", "UNKNOWN")]
    assert "division by zero" in out["records"][0]["message"]


# What ansible-core 2.19 registered for a siak_step task whose arguments could not be
# templated (a role's services given as text, before siak_as_list): the action never ran.
NOT_TEMPLATED = {"failed": True, "changed": False,
                 "msg": "Task failed: Finalization of task args for 'siak_step' failed: Error while resolving value for "
                        "'args': Error rendering template: can only concatenate list (not \"_AnsibleTaggedStr\") to list"}


def test_a_result_with_records_is_the_roles_outcome_as_it_is():
    outcome = S.check("siak-ws01", 3, ["host", "siak_host_check"], HARDWARE)
    assert S.outcome_or_failure(outcome, "check", 3, "siak-ws01") is outcome


def test_a_check_task_that_failed_before_its_action_ran_is_one_unknown_record_naming_why():
    out = S.outcome_or_failure(NOT_TEMPLATED, "check", 3, "siak-ws01")
    (rec,) = out["records"]
    assert (rec["category"], rec["item"], rec["status"], rec["step"], rec["target"]) == (
        "check", "langkah 3", "UNKNOWN", 3, "siak-ws01")
    assert "can only concatenate list" in rec["message"]
    assert out["state_new"] is None and out["duration"] is None


def test_an_assessment_that_failed_before_its_action_ran_leaves_the_target_unchecked():
    out = S.outcome_or_failure(NOT_TEMPLATED, "assess", 2, "siak-ws01")
    assert out["reachable"] is False and "can only concatenate list" in out["reason"]
    assert out["hardware_read"] is False and out["hardware"] is None and out["state_new"] is None
    assert out["counter_sample"] is None and out["not_applicable"] == []
    assert [r["status"] for r in out["records"]] == ["UNKNOWN"]


def test_a_result_neither_failed_nor_with_records_is_not_taken_as_ok():
    out = S.outcome_or_failure({"changed": False}, "check", 3, "siak-ws01")
    assert [r["status"] for r in out["records"]] == ["UNKNOWN"]
    assert "no records" in out["records"][0]["message"]
    assert S.outcome_or_failure(None, "assess", 2, "x")["reachable"] is False


def test_a_switch_port_that_is_not_a_number_is_named_without_ansibles_templating_prefix():
    """What ansible-core 2.19 registered for the step-2 task of a switch whose inventory says
    siak_switch_port: abc (the siak_port filter refused it; `| int` made it port 0 before)."""
    failed = {"failed": True, "changed": False,
              "msg": "Task failed: Finalization of task args for 'siak_step' failed: Error while resolving value for "
                     "'args': The filter plugin 'siak_port' failed: siak_switch_port: 'abc' is not a port number "
                     "(1-65535)"}
    out = S.outcome_or_failure(failed, "assess", 2, "sw-dist01")
    assert out["reachable"] is False
    assert out["reason"] == "Pemeriksaan gagal dijalankan: siak_switch_port: 'abc' is not a port number (1-65535)"
