#!/usr/bin/python3
"""A slow web application for step-4 tests (lab only).

Listens on --address:--port inside the lab host it runs in and answers every GET after
--delay-ms milliseconds with 200 and ``OK`` (the shape of /siak/health). Started and
stopped by the ``http-slow`` fault (lab/faults.py) with start-stop-daemon and a pidfile.
"""

from __future__ import annotations

import argparse
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--address", required=True)
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--delay-ms", type=float, default=1000)
    args = parser.parse_args()
    delay = max(0.0, args.delay_ms) / 1000.0

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (http.server's name)
            time.sleep(delay)
            body = b"OK"
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *_args):
            return

    ThreadingHTTPServer((args.address, args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
