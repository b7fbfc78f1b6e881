"""Verify the notification: the receiver got exactly one POST (converge, then idempotence,
which must send nothing more), with the round's summary, and the round keeps what was sent."""

import json
import os
from pathlib import Path

DIR = Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"])


def test_the_webhook_got_the_round_once(host):
    inbox = sorted((DIR / "inbox").glob("*.json"))
    assert len(inbox) == 1, inbox
    post = json.loads(inbox[0].read_text())
    assert post["path"] == "/hooks/siak" and post["authorization"] == "Bearer molecule-token"
    body = post["body"]
    assert body["round"] == "20261125-070000-a1b2" and body["status"] == "CRITICAL"
    assert body["unreachable"] == ["siak-ws03"] and body["counts"]["CRITICAL"] == 1
    assert body["report"].endswith("/reports/20261125-070000-a1b2/index.html")


def test_the_round_keeps_what_was_sent(host):
    marker = host.file(str(DIR / "reports" / "20261125-070000-a1b2" / "notified.json"))
    assert marker.is_file and json.loads(marker.content_string)["sent"] == ["webhook"]
