#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""A STAND-IN for library/siak_host_hardware.py, for tests/unit/test_hardware_wiring.py only.

It answers as the contract of issue 9 says the real module does (records, hardware,
not_applicable, previous_hardware, state), with fixed hardware, so that step 2's wiring and
the report can be exercised on this machine without the lab. The test's inventory sets
``siak_assess_smartctl`` per host to steer it: "fake-fail" fails the module, "fake-shrink"
halves the RAM once a previous round is known.
"""

from ansible.module_utils.basic import AnsibleModule


def main():
    module = AnsibleModule(argument_spec={
        "state": {"type": "dict", "default": {}}, "ups": {"type": "list", "elements": "str", "default": []},
        "smartctl": {"type": "str", "default": "smartctl"}, "command_timeout": {"type": "int", "default": 10},
        "temp_margin": {"type": "float", "default": 5}, "battery_warn": {"type": "float", "default": 50},
        "battery_crit": {"type": "float", "default": 20},
    }, supports_check_mode=True)
    fake = module.params["smartctl"]
    if fake == "fake-fail":
        module.fail_json(msg="smartctl hung: stand-in failure")
    previous = (module.params["state"] or {}).get("hardware")
    ram = 16 if fake == "fake-shrink" and previous else 32
    hardware = {"system": {"vendor": "QEMU", "model": "Standard PC", "serial": None, "virtual": True},
                "cpu": {"model": "Stand-in CPU", "sockets": 1, "cores": 2, "threads": 2},
                "memory": {"total_bytes": ram * 1024 ** 3}, "disks": [], "raid": [], "sensors": [], "nics": [],
                "ups": []}
    records = [
        {"category": "hw-system", "item": "system", "status": "OK", "value": "Standard PC", "unit": None, "warn": None,
         "crit": None, "message": "QEMU Standard PC (mesin virtual)", "message_en": "QEMU Standard PC (virtual)"},
        {"category": "hw-memory", "item": "ram", "status": "WARNING" if ram == 16 else "OK", "value": ram * 1024 ** 3,
         "unit": "B", "warn": None, "crit": None,
         "message": "RAM berkurang: 32 GiB menjadi 16 GiB" if ram == 16 else "RAM 32 GiB"},
    ]
    not_applicable = [{"category": "hw-ups", "item": "ups", "reason": "UPS tidak dikonfigurasi",
                       "reason_en": "no UPS configured"},
                      {"category": "hw-disk", "item": "vda", "reason": "disk virtual: tidak ada SMART",
                       "reason_en": "virtual disk: no SMART"}]
    module.exit_json(changed=False, records=records, hardware=hardware, not_applicable=not_applicable,
                     previous_hardware=previous, state={"hardware": hardware})


if __name__ == "__main__":
    main()
