# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Sending a round's notification: an email through an SMTP server, a JSON POST to a webhook.
Each returns None when sent, or the reason it was not (never raises for a network fault)."""

from __future__ import annotations

import json
import smtplib
import socket
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage


def send_email(note, host, port=25, sender="", recipients=(), username="", password="", starttls=False,
               timeout=10):
    """Send ``note`` (siak_routine.notification) by email; None when the server took it."""
    if not host or not recipients or not sender:
        return "email: SMTP server, sender and at least one recipient are needed"
    msg = EmailMessage()
    msg["Subject"] = note["subject"]
    msg["From"] = sender
    msg["To"] = ", ".join(recipients)
    msg.set_content(note["body"])
    try:
        with smtplib.SMTP(host, int(port), timeout=timeout) as smtp:
            if starttls:
                smtp.starttls(context=ssl.create_default_context())
            if username:
                smtp.login(username, password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        return "email to %s:%s failed: %s" % (host, port, exc)
    return None


def post_webhook(note, url, token="", timeout=10):
    """POST ``note['payload']`` as JSON to ``url``; None when it answered 2xx."""
    if not url or not str(url).startswith(("http://", "https://")):
        return "webhook: an http:// or https:// URL is needed, not %r" % (url,)
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "siak-maintenance"}
    if token:
        headers["Authorization"] = "Bearer %s" % token
    data = json.dumps(note["payload"], ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # nosec: the office's own URL
            code = answer.status
    except urllib.error.HTTPError as exc:
        return "webhook %s answered HTTP %s" % (url, exc.code)
    except (OSError, socket.timeout, urllib.error.URLError) as exc:
        return "webhook %s failed: %s" % (url, getattr(exc, "reason", exc))
    return None if 200 <= code < 300 else "webhook %s answered HTTP %s" % (url, code)
