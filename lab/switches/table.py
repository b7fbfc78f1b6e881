"""The lab's default switch table: one entry per simulated switch.

Data only. ``model.default_state()`` turns an entry into the switch's live state (counters,
uptime, CPU); the renderers turn that state into vendor command output.

Port tuple fields: (name, description, vlan, kind, speed_mbps, admin, oper, uplink)
- ``name``: the interface name as the platform's main interface command prints it;
- ``vlan``: access VLAN id, or "trunk";
- ``kind``: "copper" or "sfp";
- ``admin``: "up" or "down" (shut); ``oper``: "up" or "down" (no link);
- ``uplink``: True for the interfaces that must be up (``siak_switch_uplinks``).
"""

from __future__ import annotations

USERNAME = "siak"
HOST = "127.0.0.1"

# name, platform (netmiko device type, one of the platform table's), port, model facts,
# ports. One switch per platform at least (tests/unit/test_switch_render.py checks it).
SWITCHES: list[dict] = [
    {
        "name": "sw-core01",
        "platform": "cisco_ios",
        "port": 17001,
        "uptime": 87 * 86400 + 5 * 3600 + 12 * 60,
        "cpu": 7,
        "ports": [
            ("GigabitEthernet0/1", "SERVER-APP", 10, "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/2", "SERVER-DB", 10, "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/3", "SERVER-BACKUP", 10, "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/4", "NTP-SERVER", 10, "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/5", "TO-SW-DIST01", "trunk", "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/6", "TO-SW-AKSES01", "trunk", "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/7", "CADANGAN", 1, "copper", 1000, "down", "down", False),
            ("GigabitEthernet0/8", "", 1, "copper", 1000, "up", "down", False),
            ("GigabitEthernet0/9", "UPLINK-PUSAT", "trunk", "sfp", 1000, "up", "up", True),
            ("GigabitEthernet0/10", "UPLINK-CADANGAN", "trunk", "sfp", 1000, "up", "up", True),
        ],
    },
    {
        "name": "sw-dist01",
        "platform": "huawei",
        "port": 17002,
        "uptime": 143 * 86400 + 2 * 3600 + 41 * 60,
        "cpu": 11,
        "ports": [
            ("GigabitEthernet0/0/1", "LOKET-1", 20, "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/0/2", "LOKET-2", 20, "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/0/3", "LOKET-3", 20, "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/0/4", "PRINTER-KTP", 20, "copper", 100, "up", "up", False),
            ("GigabitEthernet0/0/5", "AP-RUANG-TUNGGU", 30, "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/0/6", "", 1, "copper", 1000, "up", "down", False),
            ("GigabitEthernet0/0/7", "CADANGAN", 1, "copper", 1000, "down", "down", False),
            ("GigabitEthernet0/0/8", "TO-SW-AKSES02", "trunk", "copper", 1000, "up", "up", False),
            ("GigabitEthernet0/0/9", "UPLINK-CORE", "trunk", "sfp", 1000, "up", "up", True),
            ("GigabitEthernet0/0/10", "", 1, "sfp", 1000, "up", "down", False),
        ],
    },
    {
        "name": "sw-akses01",
        "platform": "hp_comware",
        "port": 17003,
        "uptime": 35 * 7 * 86400 + 3 * 86400 + 5 * 3600 + 55 * 60,
        "cpu": 4,
        "ports": [
            ("GigabitEthernet1/0/1", "LOKET-4", 20, "copper", 1000, "up", "up", False),
            ("GigabitEthernet1/0/2", "LOKET-5", 20, "copper", 1000, "up", "up", False),
            ("GigabitEthernet1/0/3", "LOKET-6", 20, "copper", 1000, "up", "up", False),
            ("GigabitEthernet1/0/4", "KASI-PELAYANAN", 20, "copper", 1000, "up", "up", False),
            ("GigabitEthernet1/0/5", "PRINTER-KK", 20, "copper", 100, "up", "up", False),
            ("GigabitEthernet1/0/6", "", 1, "copper", 1000, "up", "down", False),
            ("GigabitEthernet1/0/7", "CADANGAN", 1, "copper", 1000, "down", "down", False),
            ("GigabitEthernet1/0/8", "CCTV-LOKET", 40, "copper", 100, "up", "up", False),
            ("Ten-GigabitEthernet1/0/9", "UPLINK-CORE", "trunk", "sfp", 10000, "up", "up", True),
            ("Ten-GigabitEthernet1/0/10", "", 1, "sfp", 10000, "up", "down", False),
        ],
    },
    {
        "name": "sw-akses02",
        "platform": "hp_procurve",
        "port": 17004,
        "uptime": 84 * 86400 + 7 * 3600,
        "cpu": 3,
        "ports": [
            ("1", "LOKET-7", 20, "copper", 1000, "up", "up", False),
            ("2", "LOKET-8", 20, "copper", 1000, "up", "up", False),
            ("3", "LOKET-9", 20, "copper", 1000, "up", "up", False),
            ("4", "ARSIP-DIGITAL", 20, "copper", 1000, "up", "up", False),
            ("5", "", 1, "copper", 1000, "up", "down", False),
            ("6", "CADANGAN", 1, "copper", 1000, "down", "down", False),
            ("7", "ANTRIAN-DISPLAY", 40, "copper", 100, "up", "up", False),
            ("8", "", 1, "copper", 1000, "up", "down", False),
            ("9", "UPLINK-DIST", "trunk", "sfp", 1000, "up", "up", True),
            ("10", "", 1, "sfp", 1000, "up", "down", False),
        ],
    },
    {
        "name": "sw-kec01",
        "platform": "mikrotik_routeros",
        "port": 17005,
        "uptime": 6 * 7 * 86400 + 5 * 86400 + 11 * 3600 + 55 * 60 + 45,
        "cpu": 2,
        "ports": [
            ("ether1", "UPLINK-DISDUKCAPIL", "trunk", "copper", 1000, "up", "up", True),
            ("ether2", "LOKET-KEC-1", 20, "copper", 1000, "up", "up", False),
            ("ether3", "LOKET-KEC-2", 20, "copper", 1000, "up", "up", False),
            ("ether4", "PRINTER-KEC", 20, "copper", 100, "up", "up", False),
            ("ether5", "CADANGAN", 1, "copper", 1000, "down", "down", False),
            ("sfp1", "", 1, "sfp", 1000, "up", "down", False),
        ],
    },
]


def switch_table(port_base: int | None = None, count: int | None = None) -> list[dict]:
    """Return the switch table; with ``port_base`` the ports become port_base, +1, ...

    A test that runs its own instance beside the real lab passes another port base. With
    ``count`` larger than SWITCHES (a lab scaled up for the benchmark), the further
    switches ``sw-lab06`` ... copy the entries above in turn (same platform and ports),
    each on the next port; a smaller ``count`` keeps the first ``count`` entries.
    """
    count = len(SWITCHES) if count is None else count
    base = SWITCHES[0]["port"] if port_base is None else port_base
    table = []
    for index in range(count):
        entry = SWITCHES[index % len(SWITCHES)]
        item = dict(entry)
        item["ports"] = [list(p) for p in entry["ports"]]
        if index >= len(SWITCHES):
            item["name"] = f"sw-lab{index + 1:02d}"
        if port_base is not None or index >= len(SWITCHES):
            item["port"] = base + index
        table.append(item)
    return table


def uplinks(entry: dict) -> list[str]:
    """Interface names of a table entry that must be up."""
    return [p[0] for p in entry["ports"] if p[7]]
