#!/usr/bin/python3
"""A stand-in for NUT's ``upsc`` inside a lab host (lab/README.md, Hardware).

It answers from staged listings: ``/run/siaklab/ups/<host>/<ups>.txt`` is what
``upsc <ups>@<host>`` printed on a real machine (lab/hosts/hardware/); a file
``/run/siaklab/ups/<host>/refused`` means upsd on that host refuses connections (the
``ups-down`` fault), as does a host with no folder at all (no upsd there). The lab
installs this file as ``/usr/local/sbin/upsc`` in the hosts with a UPS. Standard library only.

    upsc UPS[@HOST[:PORT]] [VARIABLE]     the listing, or one variable's value
    upsc -l [HOST] / upsc -L [HOST]       the UPS names (with their descriptions)

Errors as NUT's own upsc prints them, on stderr, exit 1: ``Error: Unknown UPS``,
``Error: Connection failure: Connection refused``, ``Error: Variable not supported by UPS``.
"""

from __future__ import annotations

import glob
import os
import sys

DATA_DIR = os.environ.get("SIAKLAB_UPS_DIR", "/run/siaklab/ups")
USAGE = "Usage: upsc -l | -L [<hostname>[:port]]\n       upsc <ups> [<variable>]\n"


def _host_dir(host: str):
    """The staged folder of upsd at HOST, or None when that upsd refuses connections."""
    path = os.path.join(DATA_DIR, host.split(":")[0] or "localhost")
    if not os.path.isdir(path) or os.path.exists(os.path.join(path, "refused")):
        return None
    return path


def _fail(err, text: str) -> int:
    err.write("Error: %s\n" % text)
    return 1


def main(argv: list, out=sys.stdout, err=sys.stderr) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        out.write(USAGE)
        return 0 if argv else 1
    if argv[0] in ("-l", "-L"):
        path = _host_dir(argv[1] if len(argv) > 1 else "localhost")
        if path is None:
            return _fail(err, "Connection failure: Connection refused")
        for listing in sorted(glob.glob(os.path.join(path, "*.txt"))):
            name = os.path.basename(listing)[:-4]
            if argv[0] == "-L":
                desc = _values(listing).get("device.model", "Description unavailable")
                out.write("%s: %s\n" % (name, desc))
            else:
                out.write(name + "\n")
        return 0
    ups, _, host = argv[0].partition("@")
    path = _host_dir(host or "localhost")
    if path is None:
        return _fail(err, "Connection failure: Connection refused")
    listing = os.path.join(path, ups + ".txt")
    if not ups or not os.path.isfile(listing):
        return _fail(err, "Unknown UPS")
    if len(argv) > 1:
        values = _values(listing)
        if argv[1] not in values:
            return _fail(err, "Variable not supported by UPS")
        out.write(values[argv[1]] + "\n")
        return 0
    with open(listing, encoding="utf-8") as handle:
        out.write(handle.read())
    return 0


def _values(listing: str) -> dict:
    values = {}
    with open(listing, encoding="utf-8") as handle:
        for line in handle:
            key, sep, value = line.rstrip("\n").partition(": ")
            if sep:
                values[key] = value
    return values


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
