# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Switch SSH host keys: known_hosts names, lines, lookups and fingerprints.

Pure Python (no network, no paramiko): the module ``siak_switch_hostkey`` reads a
switch's host key and records it here; ``siak_switch_check`` connects with paramiko's
strict checking against the same file and names the outcome with these messages.

The lookup follows what paramiko's ``HostKeys``/``SSHClient`` do with the file, so that
what the key collection says agrees with what the checks will do:

- a switch on port 22 is named ``host``, on any other port ``[host]:port`` (OpenSSH);
- a line matches when one of its comma-separated names equals that name exactly, or is
  a hashed name (``|1|salt|hmac``, ``HashKnownHosts``) of it; no wildcards or negations
  (paramiko has none);
- comments, blank lines, lines with fewer than three fields and lines with a key type
  paramiko does not know are skipped;
- a line whose third field is not base64 makes paramiko refuse the WHOLE file (its
  ``InvalidHostKey``; marker lines such as ``@revoked`` are such lines): ``parse_line`` and
  ``recorded_keys`` raise ValueError naming the line, so the checks can say so instead of
  failing on every switch with a traceback;
- of several lines for one name and key type, the first counts.

Fingerprints are OpenSSH's: ``SHA256:<base64 without padding>`` (what ``ssh-keygen -lf``
prints, and what newer switch consoles show) and ``MD5:aa:bb:...`` (older consoles).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re

# Host key types paramiko 4 can check (others are skipped, as paramiko skips them).
KEY_TYPES = (
    "ssh-ed25519",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "ssh-rsa",
)

KNOWN, UNKNOWN_KEY, CHANGED = "known", "unknown", "changed"


class BadLine(ValueError):
    """A known_hosts line that makes paramiko refuse the whole file."""

    def __init__(self, lineno, reason):
        super().__init__("line %d: %s" % (lineno, reason))
        self.lineno = lineno
        self.reason = reason

# What the technician runs to collect keys, and the console commands that show them.
PLAYBOOK = "playbooks/switch_keys.yml"


def known_hosts_name(host, port=22):
    """The name of a switch in known_hosts: ``host`` on port 22, else ``[host]:port``."""
    port = int(port)
    if port == 22:
        return host
    return "[%s]:%d" % (host, port)


def key_blob(key_b64):
    """The raw key (SSH wire format) from the base64 field of a known_hosts line."""
    return base64.b64decode(key_b64.encode("ascii"), validate=True)


def fingerprint_sha256(blob):
    """OpenSSH's SHA256 fingerprint of a raw key: ``SHA256:`` + base64 without padding."""
    return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")


def fingerprint_md5(blob):
    """OpenSSH's MD5 fingerprint of a raw key: ``MD5:`` + colon-separated hex pairs."""
    digest = hashlib.md5(blob).hexdigest()  # noqa: S324 - a fingerprint format, not security
    return "MD5:" + ":".join(digest[i:i + 2] for i in range(0, len(digest), 2))


def fingerprints(key_type, key_b64):
    """{"key_type", "sha256", "md5"} for a key given as in known_hosts."""
    blob = key_blob(key_b64)
    return {"key_type": key_type, "sha256": fingerprint_sha256(blob), "md5": fingerprint_md5(blob)}


def known_hosts_line(host, port, key_type, key_b64):
    """One known_hosts line (no newline) for a switch's key."""
    if key_type not in KEY_TYPES:
        raise ValueError("unsupported host key type %r" % key_type)
    key_blob(key_b64)  # refuses a key that is not base64
    return "%s %s %s" % (known_hosts_name(host, port), key_type, key_b64)


def _hashed_name_matches(pattern, name):
    """True when ``pattern`` is ``|1|salt|hmac`` (OpenSSH's HashKnownHosts) of ``name``."""
    parts = pattern.split("|")
    if len(parts) != 4 or parts[0] != "" or parts[1] != "1":
        return False
    try:
        salt = base64.b64decode(parts[2])
        expected = base64.b64decode(parts[3])
    except (binascii.Error, ValueError):
        return False
    digest = hmac.new(salt, name.encode("utf-8"), hashlib.sha1).digest()
    return hmac.compare_digest(digest, expected)


def parse_line(line):
    """(names, key_type, key_b64) of one known_hosts line, or None for lines paramiko skips.

    Raises ValueError for a line paramiko refuses (third field not base64), as
    ``paramiko.hostkeys.HostKeyEntry.from_line`` does (fields split on one space or tab).
    """
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    fields = re.split(" |\t", line)
    if len(fields) < 3:
        return None
    names, key_type, key_b64 = fields[0].split(","), fields[1], fields[2]
    try:
        base64.decodebytes(key_b64.encode("utf-8"))
    except binascii.Error as exc:
        raise ValueError("the key field %r is not base64 (%s)" % (key_b64[:20], exc))
    if key_type not in KEY_TYPES:
        return None
    return names, key_type, key_b64


def recorded_keys(text, name):
    """The keys recorded for ``name`` in a known_hosts text: [(key_type, key_b64)], file order.

    Only the first line of each key type counts (as in paramiko). Raises BadLine (a
    ValueError) when a line would make paramiko refuse the file.
    """
    found = []
    seen_types = set()
    for lineno, line in enumerate(text.splitlines(), 1):
        try:
            parsed = parse_line(line)
        except ValueError as exc:
            raise BadLine(lineno, str(exc))
        if parsed is None:
            continue
        names, key_type, key_b64 = parsed
        if key_type in seen_types:
            continue
        if any(n == name or (n.startswith("|1|") and _hashed_name_matches(n, name)) for n in names):
            found.append((key_type, key_b64))
            seen_types.add(key_type)
    return found


def classify(recorded, key_type, key_b64):
    """Compare an offered key with the recorded ones, as paramiko's SSHClient does.

    Returns (outcome, expected): outcome is ``known`` (the same key is recorded),
    ``unknown`` (nothing recorded for this switch) or ``changed`` (something else is
    recorded); expected is the recorded (key_type, key_b64) the offered key was compared
    with, or None when unknown.
    """
    if not recorded:
        return UNKNOWN_KEY, None
    by_type = dict(recorded)
    if by_type.get(key_type) == key_b64:
        return KNOWN, (key_type, key_b64)
    if key_type in by_type:
        return CHANGED, (key_type, by_type[key_type])
    return CHANGED, recorded[0]


def append_line(text, line):
    """The known_hosts text with one more line (a missing final newline is added first)."""
    if text and not text.endswith("\n"):
        text += "\n"
    return text + line + "\n"


def remove_command(name, path):
    """The command that deliberately removes a switch's recorded key(s)."""
    return "ssh-keygen -R '%s' -f %s" % (name, path)


# ----------------------------------------------------------------------------- messages
def _both(fps):
    """'SHA256:..., MD5:...' for a fingerprints() dict."""
    return "%s, %s" % (fps["sha256"], fps["md5"])


def unknown_key_messages(fps):
    """(message, message_en) for a switch whose key is not in the known_hosts file."""
    return (
        "Kunci host SSH switch belum dikenal (%s): jalankan %s dan cocokkan sidik jarinya "
        "dengan konsol switch; kata sandi tidak dikirim" % (_both(fps), PLAYBOOK),
        "The switch's SSH host key is not known yet (%s): run %s and compare its fingerprint "
        "with the switch console; password not sent" % (_both(fps), PLAYBOOK),
    )


def changed_key_messages(name, path, offered, expected):
    """(message, message_en) for a switch that offers another key than the recorded one.

    ``offered`` and ``expected`` are fingerprints() dicts (expected may be None).
    """
    old = _both(expected) if expected else "-"
    return (
        "PERINGATAN: kunci host SSH switch BERUBAH (mungkin ada pihak lain yang menyamar "
        "sebagai switch ini); kata sandi tidak dikirim. Tercatat %s, diterima %s. Bila switch "
        "memang diganti atau kuncinya dibuat ulang: cocokkan dengan konsol switch, hapus baris "
        "lama (%s), lalu jalankan %s" % (old, _both(offered), remove_command(name, path), PLAYBOOK),
        "WARNING: the switch's SSH host key CHANGED (someone may be impersonating this switch); "
        "password not sent. Recorded %s, offered %s. If the switch was really replaced or "
        "re-keyed: compare with the switch console, remove the old line (%s), then run %s"
        % (old, _both(offered), remove_command(name, path), PLAYBOOK),
    )


def known_hosts_problem_messages(path, reason, lineno=None):
    """(message, message_en) for a known_hosts file that is missing, unreadable or damaged.

    ``reason`` is "missing", an OS error text, or with ``lineno`` what is wrong on that line.
    """
    if lineno is not None:
        return (
            "Berkas known_hosts switch rusak: %s baris %d tidak dapat dibaca (%s); kata sandi "
            "tidak dikirim" % (path, lineno, reason),
            "The switches' known_hosts file is damaged: %s line %d cannot be read (%s); password "
            "not sent" % (path, lineno, reason),
        )
    if reason == "missing":
        return (
            "Berkas known_hosts switch tidak ada: %s (jalankan %s); kata sandi tidak dikirim"
            % (path, PLAYBOOK),
            "The switches' known_hosts file is missing: %s (run %s); password not sent" % (path, PLAYBOOK),
        )
    return (
        "Berkas known_hosts switch tidak terbaca: %s (%s); kata sandi tidak dikirim" % (path, reason),
        "The switches' known_hosts file cannot be read: %s (%s); password not sent" % (path, reason),
    )


def incompatible_ssh_messages(error):
    """(message, message_en) for a switch whose SSH offers only algorithms paramiko does not
    speak; ``error`` is paramiko's text, "Incompatible ssh peer (no acceptable host key)" for a
    DSA-only switch, of which the words in brackets are shown."""
    found = re.search(r"\(([^)]*)\)", str(error))
    what = found.group(1) if found else str(error)
    return (
        "Switch menjawab, tetapi SSH-nya hanya menawarkan algoritme yang tidak didukung (%s): buat kunci host "
        "RSA di switch (mis. crypto key generate rsa modulus 2048) atau perbarui firmware-nya" % what,
        "The switch answers, but its SSH offers only algorithms that are not supported (%s): give the switch "
        "an RSA host key (e.g. crypto key generate rsa modulus 2048) or update its firmware" % what,
    )
