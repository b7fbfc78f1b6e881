"""Switch host keys (module_utils/siak_hostkeys.py): known_hosts names, lines, lookups and
fingerprints, checked against OpenSSH's ssh-keygen and paramiko's own HostKeys."""

import shutil
import subprocess

import paramiko
import pytest

from ansible.module_utils import siak_hostkeys as hk
from ansible.module_utils.siak_result import UNKNOWN, unknown, validate

needs_ssh_keygen = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")


def keygen(tmp_path, kind, name=None, bits=None):
    """A fresh key pair made by ssh-keygen; returns (key_type, key_b64, path of the .pub)."""
    path = tmp_path / (name or kind)
    argv = ["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", "test", "-f", str(path)]
    if bits:
        argv[4:4] = ["-b", str(bits)]
    subprocess.run(argv, check=True, capture_output=True)
    key_type, key_b64 = (path.parent / (path.name + ".pub")).read_text(encoding="ascii").split()[:2]
    return key_type, key_b64, path.parent / (path.name + ".pub")


def ssh_keygen_fingerprint(path, hash_name="sha256"):
    """The fingerprint field of `ssh-keygen -l -E HASH -f PATH` (first line)."""
    out = subprocess.run(["ssh-keygen", "-l", "-E", hash_name, "-f", str(path)], check=True,
                         capture_output=True, text=True).stdout
    return out.split()[1]


# ------------------------------------------------------------------------------- names
@pytest.mark.parametrize("host, port, name", [
    ("192.0.2.2", 22, "192.0.2.2"),
    ("192.0.2.2", "22", "192.0.2.2"),
    ("127.0.0.1", 17001, "[127.0.0.1]:17001"),
    ("sw-core01.paser.local", 2222, "[sw-core01.paser.local]:2222"),
])
def test_known_hosts_name_is_bracketed_off_port_22(host, port, name):
    assert hk.known_hosts_name(host, port) == name


def test_line_for_a_non_22_port(tmp_path):
    key_b64 = "AAAAC3NzaC1lZDI1NTE5AAAAICPeVi8uC2x4UQcIWdaEbCqNKvlga03AEVDUAcbp0gOR"
    assert hk.known_hosts_line("127.0.0.1", 27101, "ssh-ed25519", key_b64) == (
        "[127.0.0.1]:27101 ssh-ed25519 " + key_b64)
    assert hk.known_hosts_line("192.0.2.2", 22, "ssh-ed25519", key_b64).startswith("192.0.2.2 ssh-ed25519 ")
    with pytest.raises(ValueError):
        hk.known_hosts_line("192.0.2.2", 22, "ssh-dss", key_b64)
    with pytest.raises(ValueError):
        hk.known_hosts_line("192.0.2.2", 22, "ssh-ed25519", "not base64!")


# ------------------------------------------------------------------------- fingerprints
@needs_ssh_keygen
@pytest.mark.parametrize("kind, bits", [("ed25519", None), ("rsa", 2048), ("ecdsa", 256), ("ecdsa", 384)])
def test_fingerprints_are_what_ssh_keygen_prints(tmp_path, kind, bits):
    key_type, key_b64, pub = keygen(tmp_path, kind, bits=bits)
    fps = hk.fingerprints(key_type, key_b64)
    assert fps["key_type"] == key_type
    assert fps["sha256"] == ssh_keygen_fingerprint(pub, "sha256")
    assert fps["md5"] == ssh_keygen_fingerprint(pub, "md5")
    assert "=" not in fps["sha256"] and len(fps["sha256"]) == len("SHA256:") + 43
    assert len(fps["md5"]) == len("MD5:") + 47


@needs_ssh_keygen
def test_fingerprint_of_a_known_hosts_line_matches_ssh_keygen_on_the_file(tmp_path):
    key_type, key_b64, _ = keygen(tmp_path, "ed25519")
    known = tmp_path / "known_hosts"
    known.write_text(hk.known_hosts_line("127.0.0.1", 27101, key_type, key_b64) + "\n")
    out = subprocess.run(["ssh-keygen", "-l", "-f", str(known)], check=True, capture_output=True, text=True).stdout
    assert out.split()[1] == hk.fingerprints(key_type, key_b64)["sha256"]
    assert "[127.0.0.1]:27101" in out


# ------------------------------------------------------------------------------ lookups
KEY_A = ("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAICPeVi8uC2x4UQcIWdaEbCqNKvlga03AEVDUAcbp0gOR")
KEY_B = ("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIPYREBaypEUriSRl893vc21dn1UdlD28Xj7OVV1vvBGi")
KEY_C = ("ssh-ed25519", "AAAAC3NzaC1lZDI1NTE5AAAAIKD34gkvkitcuXEGzYf7AUf2PD8IcXyScr2GTYt1LG7+")


def text_of(*lines):
    return "\n".join(lines) + "\n"


def test_lookup_tells_ports_apart():
    text = text_of(
        "# switches of the office",
        "[127.0.0.1]:27101 %s %s" % KEY_A,
        "[127.0.0.1]:27102 %s %s" % KEY_B,
        "127.0.0.1 %s %s" % KEY_C,
    )
    assert hk.recorded_keys(text, "[127.0.0.1]:27101") == [KEY_A]
    assert hk.recorded_keys(text, "[127.0.0.1]:27102") == [KEY_B]
    assert hk.recorded_keys(text, "127.0.0.1") == [KEY_C]  # port 22
    assert hk.recorded_keys(text, "[127.0.0.1]:27103") == []
    assert hk.recorded_keys(text, "[127.0.0.1]:2710") == []


def test_lookup_reads_comma_lists_and_skips_what_paramiko_skips():
    text = text_of(
        "",
        "   # indented comment",
        "[192.0.2.9]:2222 ssh-dss AAAAB3NzaC1kc3MAAACBAP8=",  # a type paramiko 4 does not know
        "[192.0.2.9]:2222 ssh-ed25519",  # too few fields
        "sw-core01,[192.0.2.9]:2222 %s %s" % KEY_A,
        "[192.0.2.9]:2222 %s %s" % KEY_C,  # a second ed25519 line: the first counts
    )
    assert hk.recorded_keys(text, "[192.0.2.9]:2222") == [KEY_A]
    assert hk.recorded_keys(text, "sw-core01") == [KEY_A]
    assert hk.recorded_keys(text, "[192.0.2.9]:22") == []


@pytest.mark.parametrize("bad", [
    "[192.0.2.9]:2222 ssh-ed25519 %%%notbase64",
    "@revoked [192.0.2.9]:22 %s %s" % KEY_B,
    "@cert-authority *.paser.local %s %s" % KEY_B,
])
def test_a_line_paramiko_refuses_is_named(bad):
    text = text_of("[192.0.2.9]:2222 %s %s" % KEY_A, bad)
    with pytest.raises(hk.BadLine) as caught:
        hk.recorded_keys(text, "[192.0.2.9]:2222")
    assert caught.value.lineno == 2 and "base64" in caught.value.reason


@needs_ssh_keygen
def test_lookup_reads_hashed_names_and_ssh_keygen_R_removes_a_bracketed_line(tmp_path):
    key_type, key_b64, _ = keygen(tmp_path, "ed25519")
    known = tmp_path / "known_hosts"
    known.write_text(text_of(hk.known_hosts_line("127.0.0.1", 27101, key_type, key_b64),
                             hk.known_hosts_line("127.0.0.1", 27102, *KEY_B)))
    subprocess.run(["ssh-keygen", "-H", "-f", str(known)], check=True, capture_output=True)
    hashed = known.read_text()
    assert "27101" not in hashed and hashed.startswith("|1|")
    assert hk.recorded_keys(hashed, "[127.0.0.1]:27101") == [(key_type, key_b64)]
    assert hk.recorded_keys(hashed, "[127.0.0.1]:27103") == []
    # The removal command the messages print works on the line this module writes.
    known.write_text(text_of(hk.known_hosts_line("127.0.0.1", 27101, key_type, key_b64),
                             hk.known_hosts_line("127.0.0.1", 27102, *KEY_B)))
    command = hk.remove_command("[127.0.0.1]:27101", str(known))
    assert command == "ssh-keygen -R '[127.0.0.1]:27101' -f %s" % known
    subprocess.run(["ssh-keygen", "-R", "[127.0.0.1]:27101", "-f", str(known)], check=True, capture_output=True)
    left = known.read_text()
    assert hk.recorded_keys(left, "[127.0.0.1]:27101") == []
    assert hk.recorded_keys(left, "[127.0.0.1]:27102") == [KEY_B]


@needs_ssh_keygen
def test_lookup_agrees_with_paramiko(tmp_path):
    rsa = keygen(tmp_path, "rsa", "rsa", 2048)[:2]
    ecdsa = keygen(tmp_path, "ecdsa", "ecdsa", 256)[:2]
    known = tmp_path / "known_hosts"
    known.write_text(text_of(
        "# comment",
        "[127.0.0.1]:27101 %s %s" % rsa,
        "[127.0.0.1]:27101 %s %s" % KEY_A,
        "[127.0.0.1]:27101 %s %s" % KEY_B,
        "sw-a,[127.0.0.1]:27102 %s %s" % ecdsa,
        "[127.0.0.1]:27103 ssh-dss AAAAB3NzaC1kc3MAAACBAP8=",
        "127.0.0.1 %s %s" % KEY_C,
    ))
    subprocess.run(["ssh-keygen", "-H", "-f", str(known)], check=True, capture_output=True)
    text = known.read_text()
    theirs = paramiko.HostKeys(str(known))
    for name in ("[127.0.0.1]:27101", "[127.0.0.1]:27102", "[127.0.0.1]:27103", "127.0.0.1", "sw-a", "sw-b"):
        found = theirs.lookup(name)
        listed = [] if found is None else [(t, found[t].get_base64()) for t in found.keys()]
        first = []  # the first entry of each type is the one SSHClient compares with
        for key_type, key_b64 in listed:
            if key_type not in dict(first):
                first.append((key_type, key_b64))
        assert hk.recorded_keys(text, name) == first, name
    # A line paramiko refuses: it refuses the whole file, and so do we.
    known.write_text(text + "@revoked [127.0.0.1]:27104 %s %s\n" % KEY_C)
    with pytest.raises(paramiko.hostkeys.InvalidHostKey):
        paramiko.HostKeys(str(known))
    with pytest.raises(hk.BadLine):
        hk.recorded_keys(known.read_text(), "[127.0.0.1]:27101")


# ---------------------------------------------------------------------------- outcomes
def test_classify_unknown_known_and_changed():
    assert hk.classify([], *KEY_A) == (hk.UNKNOWN_KEY, None)
    assert hk.classify([KEY_A], *KEY_A) == (hk.KNOWN, KEY_A)
    assert hk.classify([KEY_B], *KEY_A) == (hk.CHANGED, KEY_B)
    rsa = ("ssh-rsa", "AAAAB3NzaC1yc2EAAAADAQABAAABAQ")
    assert hk.classify([rsa, KEY_A], *KEY_A) == (hk.KNOWN, KEY_A)
    # another type offered than any recorded: changed, compared with the first recorded
    assert hk.classify([rsa], *KEY_A) == (hk.CHANGED, rsa)


def test_append_line_keeps_the_file_line_based():
    assert hk.append_line("", "a") == "a\n"
    assert hk.append_line("x\n", "a") == "x\na\n"
    assert hk.append_line("x", "a") == "x\na\n"


# ---------------------------------------------------------------------------- messages
def test_messages_name_the_cause_and_the_fingerprints():
    offered = hk.fingerprints(*KEY_A)
    old = hk.fingerprints(*KEY_B)
    msg, msg_en = hk.unknown_key_messages(offered)
    assert msg.startswith("Kunci host SSH switch belum dikenal (%s" % offered["sha256"])
    assert "jalankan playbooks/switch_keys.yml dan cocokkan sidik jarinya dengan konsol switch" in msg
    assert offered["md5"] in msg and offered["sha256"] in msg_en and "not known" in msg_en
    msg, msg_en = hk.changed_key_messages("[127.0.0.1]:27101", "/etc/siak/switch_known_hosts", offered, old)
    for text in (msg, msg_en):
        assert old["sha256"] in text and offered["sha256"] in text
        assert "ssh-keygen -R '[127.0.0.1]:27101' -f /etc/siak/switch_known_hosts" in text
    assert "BERUBAH" in msg and "kata sandi tidak dikirim" in msg and "CHANGED" in msg_en
    msg, msg_en = hk.known_hosts_problem_messages("/x/switch_known_hosts", "missing")
    assert "/x/switch_known_hosts" in msg and "tidak ada" in msg and "missing" in msg_en
    msg, msg_en = hk.known_hosts_problem_messages("/x/switch_known_hosts", "Permission denied")
    assert "tidak terbaca" in msg and "Permission denied" in msg_en
    rec = unknown("switch", "ssh", msg, msg_en)
    assert rec["status"] == UNKNOWN and validate(dict(rec, step=3, target="sw-core01")) == []
