# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""One switch's check over SSH with netmiko: connect (strict host key), read, judge (SOP step 3).

``run(params, warn)`` takes the options of the ``siak_switch_check`` module (ARGUMENT_SPEC,
already validated) and returns the module's result. Two callers: the module's main()
(library/siak_switch_check.py, for a playbook or ``ansible -m``), and the ``siak_step``
action, which runs it in its own process on the admin machine: a switch is always checked
from there, and a module process of its own would cost each switch a Python start, the
compilation of Ansible's module code and netmiko's import (about 0.6 s of CPU) twice a round.
"""

from __future__ import annotations

import time

from ansible.module_utils.siak_hostkeys import (BadLine, changed_key_messages, fingerprints,
                                                incompatible_ssh_messages, known_hosts_name,
                                                known_hosts_problem_messages, recorded_keys,
                                                unknown_key_messages)
from ansible.module_utils.siak_result import threshold_problems, unknown
from ansible.module_utils.siak_state import SWITCH_STATE_SCHEMA, state_problems
from ansible.module_utils.siak_switch_hw import judge_environment
from ansible.module_utils.siak_switch_judge import failure_records, judge_device, judge_ports, judge_resources
from ansible.module_utils.siak_switch_parse import collect, counters_sample, parse_command
from ansible.module_utils.siak_switch_platforms import (ALL_CHECKS, CHECKS, ENVIRONMENT, PLATFORMS, UnsafeCommand,
                                                        assert_read_only, commands_for, counter_commands)
from ansible.module_utils.siak_switch_rates import error_records, has_usable_previous, make_sample, uncounted_records

try:
    import paramiko
    from netmiko import ConnectHandler
    from netmiko.exceptions import (NetmikoAuthenticationException, NetmikoTimeoutException,
                                    ReadTimeout)
    HAS_NETMIKO = True
except ImportError:  # reported by the module and the siak_step action (NO_NETMIKO)
    HAS_NETMIKO = False
NO_NETMIKO = "the netmiko Python package is required on the admin machine"


# The module's options; DOCUMENTATION describes the same (tests/unit/test_module_docs.py; the
# platform choices come from the platform table, DOCUMENTATION repeats them and a test compares).
ARGUMENT_SPEC = dict(
    platform=dict(type="str", required=True, choices=list(PLATFORMS)),
    host=dict(type="str", required=True),
    port=dict(type="int", default=22),
    username=dict(type="str", required=True),
    password=dict(type="str", required=True, no_log=True),
    secret=dict(type="str", no_log=True),
    enable=dict(type="bool", default=False),
    checks=dict(type="list", elements="str", choices=list(ALL_CHECKS), default=list(CHECKS)),
    uplinks=dict(type="list", elements="str", default=[]),
    half_duplex_ok=dict(type="list", elements="str", default=[]),
    uplink_min_mbps=dict(type="int", default=1000),
    error_pct_warn=dict(type="float", default=0.01),
    error_pct_crit=dict(type="float", default=0.1),
    error_rate_warn=dict(type="float"),
    error_rate_crit=dict(type="float"),
    cpu_warn=dict(type="float", default=80),
    cpu_crit=dict(type="float", default=90),
    memory_warn=dict(type="float", default=80),
    memory_crit=dict(type="float", default=90),
    first_sample_interval=dict(type="float", default=30),
    sample_counters=dict(type="bool", default=False),
    earlier_sample=dict(type="dict"),
    state=dict(type="dict", default={}),
    known_hosts=dict(type="path", required=True),
    conn_timeout=dict(type="int", default=10),
    command_timeout=dict(type="int", default=30),
)


class BadOptions(ValueError):
    """Options that cannot be judged with (a warning threshold above its critical one)."""


def scrub(text, secrets):
    """Remove every secret from a text before it can reach a record or a log."""
    text = str(text)
    for secret in secrets:
        if secret:
            text = text.replace(secret, "********")
    return " ".join(text.split())[:300]


def _ssh_error(exc):
    """The paramiko SSHException behind a failed connection (netmiko wraps it), else None."""
    seen = exc.__context__ or exc.__cause__
    for _ in range(5):  # a short chain: netmiko's exception, paramiko's, the socket's
        if seen is None:
            return None
        if HAS_NETMIKO and isinstance(seen, paramiko.SSHException):
            return seen
        seen = seen.__context__ or seen.__cause__
    return None


def connect_failure(exc, params, secrets):
    """The UNKNOWN record for a connection netmiko reports as failed (NetmikoTimeoutException).

    netmiko raises the same exception for a refused port, a network error and silence;
    the original error (the exception's context) tells them apart.
    """
    cause = exc.__context__
    ssh_error = _ssh_error(exc)
    port = params["port"]
    if ssh_error is not None and "Incompatible ssh peer" in str(ssh_error):
        # The switch answers with SSH, but only with algorithms paramiko no longer speaks (a
        # DSA-only host key, an old switch's key exchange): "(no acceptable host key)".
        message, message_en = incompatible_ssh_messages(scrub(str(ssh_error), secrets))
        return unknown("switch", "ssh", message, message_en, details={"password_sent": False})
    if ssh_error is not None and "protocol banner" in str(ssh_error) and not isinstance(ssh_error.__context__, TimeoutError):
        # Something answered on the port and hung up, but not SSH (a web server, a switch with
        # Telnet only). A banner that never came (a TimeoutError behind the error) is silence:
        # paramiko and netmiko race to report it, as this error or as "No existing session",
        # so it is "no answer" below, whichever wins.
        return unknown("switch", "ssh",
                       "Port %d menjawab, tetapi bukan dengan SSH (mungkin Telnet atau layanan lain): aktifkan SSH "
                       "di switch atau perbaiki siak_switch_port" % port,
                       "Port %d answers, but not with SSH (Telnet or another service?): enable SSH on the switch "
                       "or correct siak_switch_port" % port, details={"password_sent": False})
    # paramiko wraps the socket errors of every address tried (NoValidConnectionsError).
    tried = list((getattr(cause, "errors", None) or {}).values())
    if isinstance(cause, ConnectionRefusedError) or (tried and all(isinstance(e, ConnectionRefusedError)
                                                                  for e in tried)):
        return unknown("switch", "ssh", "Koneksi SSH ditolak (port %d tertutup)" % port,
                       "SSH connection refused (port %d closed)" % port)
    if isinstance(cause, OSError) and not isinstance(cause, TimeoutError) and cause.strerror:
        reason = scrub(cause.strerror, secrets)
        return unknown("switch", "ssh", "Koneksi SSH gagal: %s" % reason, "SSH connection failed: %s" % reason)
    seconds = params["conn_timeout"]
    return unknown("switch", "ssh", "Tidak ada jawaban dalam %d detik" % seconds, "No answer in %d s" % seconds)


class HostKeyProblem(Exception):
    """The switch cannot be trusted (unknown or changed host key, no known_hosts): no login."""

    def __init__(self, rec):
        super().__init__(rec["message_en"])
        self.record = rec


if HAS_NETMIKO:
    class KeyRememberingRejectPolicy(paramiko.RejectPolicy):
        """paramiko's RejectPolicy that also keeps the rejected key, to show its fingerprint."""

        def __init__(self):
            self.key = None

        def missing_host_key(self, client, hostname, key):
            self.key = key
            super().missing_host_key(client, hostname, key)


def known_hosts_problem(path):
    """The UNKNOWN record for a known_hosts file that is missing, unreadable or damaged, else None.

    A line paramiko refuses would make it refuse the whole file (netmiko would raise
    before connecting); a missing file netmiko would skip silently.
    """
    lineno = None
    try:
        with open(path, "rb") as handle:
            recorded_keys(handle.read().decode("utf-8"), "")
        return None
    except FileNotFoundError:
        reason = "missing"
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
    except UnicodeDecodeError:
        reason = "not UTF-8 text"
    except BadLine as exc:
        lineno, reason = exc.lineno, exc.reason
    message, message_en = known_hosts_problem_messages(path, reason, lineno)
    return unknown("switch", "ssh", message, message_en,
                   details={"host_key": "no-known-hosts", "known_hosts": path, "password_sent": False})


def host_key_failure(exc, policy, params):
    """The UNKNOWN record when the connection failed on the host key check, else None.

    netmiko turns paramiko's SSHException into NetmikoTimeoutException inside its except
    block, so the exception's context is paramiko's: BadHostKeyException for a changed key;
    RejectPolicy's SSHException (our policy then holds the key) for an unknown one. Both
    are raised after the key exchange and before any authentication.
    """
    cause = exc.__context__
    name = known_hosts_name(params["host"], params["port"])
    details = {"known_hosts": params["known_hosts"], "name": name, "password_sent": False}
    if isinstance(cause, paramiko.BadHostKeyException):
        offered = fingerprints(cause.key.get_name(), cause.key.get_base64())
        expected = fingerprints(cause.expected_key.get_name(), cause.expected_key.get_base64())
        message, message_en = changed_key_messages(name, params["known_hosts"], offered, expected)
        return unknown("switch", "ssh", message, message_en,
                       details=dict(details, host_key="changed", offered=offered, recorded=expected))
    if isinstance(cause, paramiko.SSHException) and policy.key is not None:
        offered = fingerprints(policy.key.get_name(), policy.key.get_base64())
        message, message_en = unknown_key_messages(offered)
        return unknown("switch", "ssh", message, message_en, details=dict(details, host_key="unknown", offered=offered))
    return None


class Session:
    """One netmiko session: connect (strict host key), send read-only commands, close."""

    def __init__(self, params):
        self.params = params
        self.conn = None

    def connect(self):
        """Log in, trusting only the host key recorded in known_hosts (HostKeyProblem if not).

        ssh_strict gives paramiko's RejectPolicy, which netmiko applies after the key
        exchange and before authentication; our subclass of it also keeps the rejected key.
        netmiko would skip a missing alt_key_file silently: it is checked here first.
        """
        p = self.params
        problem = known_hosts_problem(p["known_hosts"])
        if problem is not None:
            raise HostKeyProblem(problem)
        policy = KeyRememberingRejectPolicy()
        self.conn = ConnectHandler(
            device_type=p["platform"], host=p["host"], port=p["port"], username=p["username"],
            password=p["password"], secret=p["secret"] or "", conn_timeout=p["conn_timeout"],
            auth_timeout=p["conn_timeout"], banner_timeout=p["conn_timeout"], timeout=p["conn_timeout"],
            use_keys=False, allow_agent=False, session_log=None,
            ssh_strict=True, system_host_keys=False, alt_host_keys=True, alt_key_file=p["known_hosts"],
            auto_connect=False)
        self.conn.key_policy = policy  # used by netmiko's _build_ssh_client() in _open()
        try:
            self.conn._open()  # what ConnectHandler(auto_connect=True) does  # pylint: disable=protected-access
        except NetmikoTimeoutException as exc:
            rec = host_key_failure(exc, policy, p)
            if rec is not None:
                raise HostKeyProblem(rec) from None
            raise
        if p["enable"]:
            self.conn.enable()

    def send(self, commands):
        """Send commands in order; return {command: text}. A read timeout ends the loop.

        Every command passes the read-only guard before the first one is sent (commands_for()
        checked them already; this holds even for a list that did not come from there).
        """
        for command in commands:
            assert_read_only(command)
        out = {}
        for command in commands:
            out[command] = self.conn.send_command(command, read_timeout=self.params["command_timeout"])
        return out

    def close(self):
        """Close the SSH transport without netmiko's logout dialogue.

        netmiko's disconnect() first types "quit"/"exit" and waits for an answer (2.2 s
        per Huawei switch); closing the transport ends the session on the switch just as
        well, and keeps what is sent to show/display/print commands.
        """
        if self.conn is not None:
            try:
                self.conn.paramiko_cleanup()
            except Exception:  # pylint: disable=broad-except  # closing a dead session is no news
                pass
            self.conn = None


def run(p, warn):
    """Run the checks for one switch (``p``: the module's validated options; ``warn``: takes a warning); return the module's result dict."""
    problems = threshold_problems(p, ("cpu", "memory", "error_pct", "error_rate"))
    if problems:
        # Before the login: a warning above its critical threshold would never show.
        raise BadOptions("; ".join(problems))
    secrets = [p["password"], p["secret"]]
    checks = [c for c in ALL_CHECKS if c in p["checks"]]
    platform = p["platform"]
    state = p["state"] or {}
    problems = state_problems("switch", state) if state else []
    if problems:
        warn("the previous state of this switch is ignored (a first round): %s" % "; ".join(problems[:3]))
        state = {}
    result = {"changed": False, "records": [], "sampled_twice": False,
              "timing": {"connect_s": None, "session_s": None, "waited_s": 0}}
    if ENVIRONMENT in checks:
        previous_hardware = state.get("hardware") if isinstance(state.get("hardware"), dict) else None
        result.update(hardware=None, previous_hardware=previous_hardware, not_applicable=[])
    commands = commands_for(platform, checks)
    session = Session(p)
    started = time.monotonic()
    outputs, first_sample, sample_ts = {}, None, None
    try:
        try:
            session.connect()
        except HostKeyProblem as exc:
            result["records"] = [exc.record]
            return result
        except NetmikoAuthenticationException:
            result["records"] = [unknown("switch", "ssh", "Autentikasi gagal", "Authentication failed")]
            return result
        except NetmikoTimeoutException as exc:
            result["records"] = [connect_failure(exc, p, secrets)]
            return result
        except Exception as exc:  # pylint: disable=broad-except  # refused, reset, DNS...
            reason = scrub("%s: %s" % (type(exc).__name__, exc), secrets)
            result["records"] = [unknown("switch", "ssh", "Koneksi SSH gagal: %s" % reason,
                                         "SSH connection failed: %s" % reason)]
            return result
        result["timing"]["connect_s"] = round(time.monotonic() - started, 3)
        try:
            only_sample = p["sample_counters"] and "errors" not in checks
            counters = counter_commands(platform) if ("errors" in checks or only_sample) else []
            others = [c for c in commands if c not in counters]
            if counters:
                sample_ts = time.time()
                outputs.update(session.send(counters))
            outputs.update(session.send(others))
            if only_sample:
                first = _sample_of(platform, outputs)
                result["counter_sample"] = make_sample(first, sample_ts) if first is not None else None
            elif counters:
                first = _sample_of(platform, outputs)
                if first is not None and not has_usable_previous(state.get("counters"), first):
                    # No sample from an earlier round: compare with this round's earlier one
                    # (step 2's) when it is old enough; else wait for a second sample.
                    earlier = _earlier_sample(p["earlier_sample"], platform, first)
                    base = earlier or make_sample(first, sample_ts)
                    wait = max(0.0, base["ts"] + p["first_sample_interval"] - time.time())
                    if earlier is not None and wait == 0.0:
                        first_sample = earlier
                    else:
                        time.sleep(wait)
                        result["timing"]["waited_s"] = round(wait, 3)
                        second_ts = time.time()
                        second = session.send(counters)
                        first_sample = base
                        sample_ts = second_ts
                        outputs.update(second)
                        result["sampled_twice"] = True
        except UnsafeCommand:
            raise  # a refused command is a fault of this code, not of the switch: fail the task
        except ReadTimeout:
            n = p["command_timeout"]
            missing = [c for c in commands if c not in outputs]
            for command in missing:
                outputs[command] = None
            result["records"].append(unknown("switch", "ssh", "Tidak ada jawaban dalam %d detik (perintah '%s')"
                                             % (n, missing[0] if missing else "-"),
                                             "No answer in %d s (command '%s')" % (n, missing[0] if missing else "-")))
        except Exception as exc:  # pylint: disable=broad-except  # session dropped mid-way
            reason = scrub("%s: %s" % (type(exc).__name__, exc), secrets)
            result["records"].append(unknown("switch", "ssh", "Sesi SSH terputus: %s" % reason,
                                             "SSH session broke off: %s" % reason))
    finally:
        session.close()
        result["timing"]["session_s"] = round(time.monotonic() - started, 3)

    model = collect(platform, outputs, checks)
    records = []
    new_state = dict(state, schema=SWITCH_STATE_SCHEMA, platform=platform)
    now = time.time()
    if "device" in checks:
        records += judge_device(model, state.get("uptime"), now)
        if model["device"] and model["device"].get("uptime_s") is not None:
            new_state["uptime"] = {"ts": now, "uptime_s": model["device"]["uptime_s"]}
    if "ports" in checks:
        records += judge_ports(model, platform, p["uplinks"], p["half_duplex_ok"], p["uplink_min_mbps"])
    if "errors" in checks:
        thresholds = {"pct_warn": p["error_pct_warn"], "pct_crit": p["error_pct_crit"],
                      "rate_warn": p["error_rate_warn"], "rate_crit": p["error_rate_crit"]}
        if model["counters"] is not None:
            current = make_sample(counters_sample(model), sample_ts or now)
            previous = first_sample or state.get("counters")
            records += error_records(previous, current, thresholds)
            new_state["counters"] = current
            counted, reason = {name.lower() for name in current["ports"]}, (None, None)
        else:
            counted, reason = set(), ("perintah penghitung galat tidak memberi data",
                                      "the error counter command gave no data")
        # Every port the switch lists has an error verdict: the ones without counters are UNKNOWN.
        listed = [port["name"] for key, port in sorted((model["ports"] or {}).items()) if key not in counted]
        records += uncounted_records(listed, reason[0], reason[1], thresholds)
    if "cpu" in checks:
        records += judge_resources(model, p["cpu_warn"], p["cpu_crit"], p["memory_warn"], p["memory_crit"])
    if ENVIRONMENT in checks:
        hw_records, hardware, not_applicable = judge_environment(model, result["previous_hardware"])
        records += hw_records
        result["not_applicable"] = not_applicable
        if model["device"] or model["power"] or model["fans"] or model["sensors"]:
            result["hardware"] = hardware
            new_state["hardware"] = hardware
    records += failure_records(model)
    result["records"] += records
    result["state"] = new_state
    return result


def _earlier_sample(sample, platform, current_ports):
    """``sample`` (step 2's counters of this round) when it is well formed and shares a port with the counters now; else None."""
    if not sample or state_problems("switch", {"schema": SWITCH_STATE_SCHEMA, "platform": platform, "counters": sample}):
        return None
    if sample["ts"] > time.time():  # not taken earlier: a clock that jumped
        return None
    return sample if has_usable_previous(sample, current_ports) else None


def _sample_of(platform, outputs):
    """Counters from the error commands' outputs, or None when they do not parse."""
    merged = {}
    for command in counter_commands(platform):
        try:
            parsed = parse_command(platform, command, outputs.get(command), ("counters",))
        except Exception:  # pylint: disable=broad-except  # reported later as an UNKNOWN record
            return None
        for name, values in parsed.get("counters", {}).items():
            merged.setdefault(name, {}).update({k: v for k, v in values.items() if v is not None})
    return merged or None
