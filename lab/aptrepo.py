"""The lab's package repository: the package lists each managed host sees.

pusat-dc stands in for the office's package mirror."""

from __future__ import annotations

import os

from lab.helpers import run, write_if_changed
from lab.office import DATACENTRE, Host, LabError, host_dir

# Each managed host sees only the lab's repository (its own /etc/apt/sources.list.d) and
# its own package lists (/var/lib/apt/lists, /var/cache/apt), so that the update check
# finds a reachable repository and a known set of pending updates. Nothing is ever
# downloaded: the check only simulates (apt-get -s) from these lists.
APT_SUITES = {"bookworm": "Debian", "bookworm-security": "Debian-Security"}
APT_SOURCES = f"""Types: deb
URIs: http://{DATACENTRE}/debian
Suites: {" ".join(APT_SUITES)}
Components: main
Trusted: yes
"""


def _apt_arch() -> str:
    return run(["dpkg", "--print-architecture"]).stdout.strip()


def write_apt_lists(host: Host, pending: dict | None = None) -> None:
    """Write the host's package lists: empty (nothing pending) or with ``pending``
    ({"package": name, "security": bool}) one newer version of an installed package.
    The lists are stamped now, as after an index refresh."""
    lists = host_dir(host) / "apt-lists"
    (lists / "partial").mkdir(parents=True, exist_ok=True)
    (host_dir(host) / "apt-cache" / "archives" / "partial").mkdir(parents=True, exist_ok=True)
    arch = _apt_arch()
    for suite, label in APT_SUITES.items():
        prefix = f"{DATACENTRE}_debian_dists_{suite}"
        write_if_changed(lists / f"{prefix}_Release",
                          f"Origin: {label}\nLabel: {label}\nSuite: {suite}\nCodename: {suite}\n"
                          f"Architectures: {arch}\nComponents: main\n")
        body = ""
        if pending and bool(pending.get("security")) == (suite != "bookworm"):
            body = _apt_stanza(pending["package"])
        packages = lists / f"{prefix}_main_binary-{arch}_Packages"
        write_if_changed(packages, body)
        os.utime(packages)


def _apt_stanza(package: str) -> str:
    query = run(["dpkg-query", "-W", "-f", "${Version} ${Architecture}", package], check=False)
    if query.returncode != 0 or not query.stdout.strip():
        raise LabError(f"package {package!r} is not installed on this machine, so no update of it can be staged")
    version, arch = query.stdout.split()
    return (f"Package: {package}\nVersion: {version}+lab1\nArchitecture: {arch}\n"
            f"Maintainer: SIAK lab <lab@example.invalid>\nInstalled-Size: 1\n"
            f"Filename: pool/main/{package}_{version}+lab1_{arch}.deb\nSize: 1\n"
            f"MD5sum: 00000000000000000000000000000000\nDescription: lab stand-in of a pending update\n\n")
