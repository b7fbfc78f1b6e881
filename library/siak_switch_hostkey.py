#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible module: read a switch's SSH host key (no login) and record it in known_hosts."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_switch_hostkey
short_description: Read a switch's SSH host key without logging in, and record it in known_hosts
description:
  - Opens an SSH connection to the switch, runs the key exchange only (paramiko
    C(Transport.start_client)), reads the host key the switch offers and closes the
    connection. No user name, password or key is ever sent.
  - When the switch is not yet in O(known_hosts), adds one line for it (C(host) on port 22,
    C([host]:port) on any other port), atomically, creating the file (mode 0644) if needed.
    Compare the returned fingerprints with the switch's console before trusting the key.
  - When the same key is already recorded, changes nothing.
  - When another key is recorded for the switch, changes nothing and fails, naming both
    fingerprints. The key may have changed because the switch was replaced or re-keyed,
    or because something else answers in its place. Remove the old line deliberately
    (C(ssh-keygen -R '[host]:port' -f FILE)) after checking the console, then run again.
  - The lookup follows paramiko (plain and hashed names, the first line per key type
    counts), so what this module records is what C(siak_switch_check) will accept.
  - Runs on the admin machine (C(ansible_connection=local)).
version_added: "1.1.0"
author: SIAK maintenance project
options:
  host:
    description: Address of the switch, exactly as the checks connect to it (C(ansible_host)).
    type: str
    required: true
  port:
    description: SSH port of the switch.
    type: int
    default: 22
  known_hosts:
    description:
      - known_hosts file (OpenSSH format) kept with the inventory; the file C(siak_switch_check) trusts.
      - Its folder must exist; the file is created when missing.
    type: path
    required: true
  timeout:
    description: Seconds to wait for the connection and the key exchange.
    type: int
    default: 10
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Reads the key and reports whether it would be added; writes nothing.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in check_mode), when in diff mode.
    support: full
    details: Shows the line that is (or would be) added.
notes:
  - The file is written atomically (temporary file in the same folder + rename) under an
    exclusive lock on the folder, so several switches can be recorded in parallel.
  - The fingerprints are OpenSSH's (C(SHA256:...) as C(ssh-keygen -lf) prints it, and
    C(MD5:...) for older switch consoles).
seealso:
  - module: siak_switch_check
"""

EXAMPLES = r"""
- name: Record the switch's SSH host key when it is new
  siak_switch_hostkey:
    host: "{{ ansible_host }}"
    port: "{{ siak_switch_port | default(22) }}"
    known_hosts: "{{ inventory_dir }}/switch_known_hosts"
  register: __siak_switch_check_hostkey
  # Then show __siak_switch_check_hostkey.msg: the fingerprints to compare with the console.
"""

RETURN = r"""
outcome:
  description:
    - C(added) (new key, written), C(would-add) (new key, check mode, nothing written),
      C(known) (the same key was recorded) or C(changed) (another key is recorded; the task fails).
  returned: when the key was read
  type: str
  sample: added
name:
  description: The switch's name in known_hosts.
  returned: always
  type: str
  sample: "[192.0.2.2]:2222"
key_type:
  description: Type of the host key the switch offered.
  returned: when the key was read
  type: str
  sample: ssh-ed25519
fingerprint_sha256:
  description: OpenSSH SHA256 fingerprint of the offered key.
  returned: when the key was read
  type: str
  sample: "SHA256:RMQc3aUcnLYkL0cZLpocnDx333QO8zXLjj1f/OshzXI"
fingerprint_md5:
  description: OpenSSH MD5 fingerprint of the offered key (older consoles show this one).
  returned: when the key was read
  type: str
  sample: "MD5:d4:1d:35:59:68:73:82:01:e3:ad:a4:aa:08:a5:2b:66"
recorded_sha256:
  description: SHA256 fingerprint of the key recorded in known_hosts (on a changed key, the old one).
  returned: when a key was recorded
  type: str
line:
  description: The known_hosts line of the offered key.
  returned: when the key was read
  type: str
known_hosts:
  description: Path of the known_hosts file.
  returned: always
  type: str
msg:
  description: What happened and the fingerprints to compare with the console (Bahasa Indonesia, then English).
  returned: always
  type: str
"""

import fcntl
import os
import socket

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.siak_files import write_atomically
from ansible.module_utils.siak_hostkeys import (CHANGED, KNOWN, append_line, classify, fingerprints,
                                                incompatible_ssh_messages, known_hosts_line, known_hosts_name,
                                                recorded_keys, remove_command)

try:
    import paramiko
    HAS_PARAMIKO = True
except ImportError:  # reported by main()
    HAS_PARAMIKO = False


def read_host_key(host, port, timeout, prefer=None):
    """(key_type, key_b64) the switch offers; only the key exchange, never any credential.

    ``prefer`` puts a key type first, as paramiko's SSHClient does when that type is
    recorded, so that a switch with several keys is compared like with like.
    """
    sock = socket.create_connection((host, port), timeout=timeout)
    transport = paramiko.Transport(sock)
    try:
        transport.banner_timeout = timeout
        if prefer:
            options = transport.get_security_options()
            options.key_types = [prefer] + [t for t in options.key_types if t != prefer]
        transport.start_client(timeout=timeout)
        key = transport.get_remote_server_key()
        return key.get_name(), key.get_base64()
    finally:
        transport.close()
        sock.close()


def read_text(path):
    """The file's text, or "" when it does not exist yet."""
    try:
        with open(path, encoding="utf-8") as handle:
            return handle.read()
    except FileNotFoundError:
        return ""


class FolderLock:
    """An exclusive flock on the known_hosts folder (no lock file left beside it)."""

    def __init__(self, directory):
        self.directory = directory
        self.fd = None

    def __enter__(self):
        self.fd = os.open(self.directory, os.O_RDONLY)
        fcntl.flock(self.fd, fcntl.LOCK_EX)
        return self

    def __exit__(self, *exc):
        fcntl.flock(self.fd, fcntl.LOCK_UN)
        os.close(self.fd)


def _fps_text(fps):
    return "%s %s (%s)" % (fps["key_type"], fps["sha256"], fps["md5"])


def run(module):
    """Read the key, compare, add when new; return the result dict (or fail on a changed key)."""
    p = module.params
    path, host, port = p["known_hosts"], p["host"], p["port"]
    name = known_hosts_name(host, port)
    result = {"changed": False, "name": name, "known_hosts": path}
    directory = os.path.dirname(path) or "."
    if not os.path.isdir(directory):
        module.fail_json(msg="the folder of known_hosts does not exist: %s" % directory, **result)
    try:
        recorded = recorded_keys(read_text(path), name)
    except (OSError, ValueError) as exc:  # ValueError: not UTF-8, or a line paramiko would refuse
        module.fail_json(msg="cannot use %s: %s (paramiko, and so the switch checks, would refuse it; fix or "
                             "remove that line)" % (path, getattr(exc, "strerror", None) or exc), **result)
    try:
        key_type, key_b64 = read_host_key(host, port, p["timeout"], recorded[0][0] if recorded else None)
    except (OSError, EOFError, paramiko.SSHException) as exc:
        reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
        reason_id = reason_en = reason
        if "Incompatible ssh peer" in reason:
            # A DSA-only switch (paramiko 4 no longer speaks DSA): what the switch check says too.
            reason_id, reason_en = incompatible_ssh_messages(reason)
        module.fail_json(msg="Kunci host SSH %s tidak terbaca: %s / could not read the SSH host key of %s: %s"
                         % (name, reason_id, name, reason_en), **result)
    offered = fingerprints(key_type, key_b64)
    line = known_hosts_line(host, port, key_type, key_b64)
    result.update(key_type=key_type, fingerprint_sha256=offered["sha256"], fingerprint_md5=offered["md5"], line=line)
    with FolderLock(directory):
        text = read_text(path)  # again, under the lock: another switch may have been added meanwhile
        try:
            recorded = recorded_keys(text, name)
        except ValueError as exc:
            module.fail_json(msg="cannot use %s: %s" % (path, exc), **result)
        outcome, expected = classify(recorded, key_type, key_b64)
        if expected is not None:
            result["recorded_sha256"] = fingerprints(*expected)["sha256"]
        if outcome == CHANGED:
            old = fingerprints(*expected)
            module.fail_json(
                msg=("KUNCI HOST SSH %s BERUBAH, tidak diganti: tercatat %s, diterima %s. Periksa konsol switch; "
                     "bila switch memang diganti atau kuncinya dibuat ulang, hapus baris lama dengan sengaja: %s, "
                     "lalu jalankan lagi. / The SSH host key of %s CHANGED and was not replaced: recorded %s, "
                     "offered %s. Check the switch console; if the switch was really replaced or re-keyed, remove "
                     "the old line deliberately: %s, then run again."
                     % (name, _fps_text(old), _fps_text(offered), remove_command(name, path),
                        name, _fps_text(old), _fps_text(offered), remove_command(name, path))),
                outcome="changed", **result)
        if outcome == KNOWN:
            result.update(outcome="known", msg="%s: kunci sudah tercatat, tidak ada perubahan: %s. / Key already "
                                               "recorded, nothing changed." % (name, _fps_text(offered)))
            return result
        new_text = append_line(text, line)
        result["changed"] = True
        result["diff"] = {"before": text, "after": new_text, "before_header": path, "after_header": path}
        if module.check_mode:
            result["outcome"] = "would-add"
        else:
            write_atomically(path, new_text, prefix=".siak-known-hosts-")
            result["outcome"] = "added"
    added = result["outcome"] == "added"
    result["msg"] = ("%s: kunci BARU %s: %s. Cocokkan sidik jari ini dengan konsol switch (mis. show ip ssh, "
                     "display ssh server, /ip ssh print) sebelum mempercayainya. / NEW key %s: %s. Compare this "
                     "fingerprint with the switch console before trusting it."
                     % (name, "dicatat" if added else "akan dicatat (check mode)", _fps_text(offered),
                        "recorded" if added else "would be recorded (check mode)", _fps_text(offered)))
    return result


ARGUMENT_SPEC = dict(
    host=dict(type="str", required=True),
    port=dict(type="int", default=22),
    known_hosts=dict(type="path", required=True),
    timeout=dict(type="int", default=10),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    if not HAS_PARAMIKO:
        module.fail_json(msg="the paramiko Python package is required on the admin machine")
    module.exit_json(**run(module))


if __name__ == "__main__":
    main()
