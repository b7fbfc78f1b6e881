"""A webhook receiver for the siak_notify scenario: 127.0.0.1 only, saves each POST's
headers and JSON body in the inbox folder, answers 200; ends after 5 requests or 2 minutes."""

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

PORT, INBOX = int(sys.argv[1]), Path(sys.argv[2])
MAX_REQUESTS, LIFETIME_S = 5, 120


class Handler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server name
        body = self.rfile.read(min(int(self.headers.get("Content-Length", 0)), 1 << 20))
        seen = len(list(INBOX.glob("*.json")))
        (INBOX / ("%d.json" % seen)).write_text(json.dumps(
            {"path": self.path, "authorization": self.headers.get("Authorization"), "body": json.loads(body or b"null")}))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


server = HTTPServer(("127.0.0.1", PORT), Handler)
server.timeout = 1
deadline = time.monotonic() + LIFETIME_S
handled = 0
while handled < MAX_REQUESTS and time.monotonic() < deadline:
    before = len(list(INBOX.glob("*.json")))
    server.handle_request()
    handled += len(list(INBOX.glob("*.json"))) - before
server.server_close()
