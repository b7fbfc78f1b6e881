#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Ansible module: tell someone when a round found CRITICAL records or unreachable targets."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: siak_notify
short_description: Notify by email and/or webhook when a round needs attention
description:
  - Reads a round's C(results.json) and, when the round found a CRITICAL record or a target
    it could not reach (or always, with I(when=always)), sends its one-line summary, its worst
    findings and the report's location by email (SMTP) and/or as a JSON POST to a webhook.
  - Nothing is sent when neither I(email) nor I(webhook) is given, or when the round needs no
    attention.
  - Runs on the admin machine. Secrets (the SMTP password, the webhook token) come from the vault
    and are never returned.
version_added: "1.0.0"
author:
  - SIAK maintenance project
options:
  results:
    description: Path of the round's C(results.json).
    type: path
    required: true
  report:
    description: Where the report is (a path or a URL), written in the notification.
    type: str
    default: ""
  when:
    description: C(problems) sends only for a round with a CRITICAL record or an unreachable target; C(always) sends for every round.
    type: str
    choices: [problems, always]
    default: problems
  email:
    description: Send an email through this SMTP server (omit for no email).
    type: dict
    suboptions:
      host:
        description: The SMTP server.
        type: str
        required: true
      port:
        description: Its port.
        type: int
        default: 25
      sender:
        description: The sender's address.
        type: str
        required: true
      to:
        description: The recipients.
        type: list
        elements: str
        required: true
      username:
        description: Login name on the server (empty for none).
        type: str
        default: ""
      password:
        description: Password on the server.
        type: str
        default: ""
        no_log: true
      starttls:
        description: Use STARTTLS.
        type: bool
        default: false
  webhook:
    description: POST the summary as JSON to this webhook (omit for no webhook).
    type: dict
    suboptions:
      url:
        description: The webhook's URL (http or https).
        type: str
        required: true
      token:
        description: Sent as C(Authorization Bearer) when not empty.
        type: str
        default: ""
        no_log: true
  timeout:
    description: Seconds to wait for the SMTP server or the webhook.
    type: int
    default: 10
attributes:
  check_mode:
    description: Can run in check_mode and return changed status prediction without modifying target.
    support: full
    details: Sends nothing; says what it would send.
"""

EXAMPLES = r"""
- name: Notify the office when the round needs attention
  siak_notify:
    results: /srv/siak/reports/20261125-100007-a1b2/results.json
    report: /srv/siak/reports/20261125-100007-a1b2/index.html
    email:
      host: mail.example.go.id
      sender: siak@example.go.id
      to: [pejabat@example.go.id]
    webhook:
      url: https://chat.example.go.id/hooks/siak
      token: "{{ vault_siak_notify_webhook_token }}"
"""

RETURN = r"""
attention:
  description: Whether the round found a CRITICAL record or an unreachable target.
  returned: always
  type: bool
summary:
  description: The round's one-line summary (the email's subject, the webhook's C(text)).
  returned: always
  type: str
sent:
  description: The channels the notification went to (C(email), C(webhook)).
  returned: always
  type: list
  elements: str
"""

import json

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.siak_notify import post_webhook, send_email
from ansible.module_utils.siak_routine import notification, round_problems

ARGUMENT_SPEC = dict(
    results=dict(type="path", required=True),
    report=dict(type="str", default=""),
    when=dict(type="str", choices=["problems", "always"], default="problems"),
    email=dict(type="dict", options=dict(
        host=dict(type="str", required=True), port=dict(type="int", default=25), sender=dict(type="str", required=True),
        to=dict(type="list", elements="str", required=True), username=dict(type="str", default=""),
        password=dict(type="str", default="", no_log=True), starttls=dict(type="bool", default=False))),
    webhook=dict(type="dict", options=dict(url=dict(type="str", required=True),
                                           token=dict(type="str", default="", no_log=True))),
    timeout=dict(type="int", default=10),
)


def main():
    module = AnsibleModule(argument_spec=ARGUMENT_SPEC, supports_check_mode=True)
    params = module.params
    try:
        with open(params["results"], encoding="utf-8") as handle:
            results = json.load(handle)
    except (OSError, ValueError) as exc:
        module.fail_json(msg="cannot read the round's results %s: %s" % (params["results"], exc))
    problems = round_problems(results)
    note = notification(problems, params["report"])
    out = {"attention": problems["attention"], "summary": note["subject"], "sent": [], "changed": False}
    if not (problems["attention"] or params["when"] == "always"):
        module.exit_json(**out)
    channels = [name for name in ("email", "webhook") if params[name]]
    if module.check_mode or not channels:
        module.exit_json(**out)
    errors = []
    if params["email"]:
        email = params["email"]
        error = send_email(note, email["host"], email["port"], email["sender"], email["to"], email["username"],
                           email["password"], email["starttls"], params["timeout"])
        (errors.append(error) if error else out["sent"].append("email"))
    if params["webhook"]:
        error = post_webhook(note, params["webhook"]["url"], params["webhook"]["token"], params["timeout"])
        (errors.append(error) if error else out["sent"].append("webhook"))
    out["changed"] = bool(out["sent"])
    if errors:
        module.fail_json(msg="notification not sent: " + "; ".join(errors), **out)
    module.exit_json(**out)


if __name__ == "__main__":
    main()
