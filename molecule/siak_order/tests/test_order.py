"""Verify SOP step 1: the order names who ordered, who carries out, and the SOP."""

import json
import os
from pathlib import Path


def test_the_order_is_recorded(host):
    order = json.loads((Path(os.environ["MOLECULE_EPHEMERAL_DIRECTORY"]) / "order.json").read_text())
    assert order["id"] == "molecule-order"
    assert order["ordered_by"] == "Drs. Contoh Pejabat"
    assert order["operator"] == "Contoh Petugas ADB"
    assert order["sop_code"] == "005/SOP/DKPS/II/2024"
    assert order["regency"] == "Pemerintah Kabupaten Paser" and order["place"] == "Paser"
    assert order["office"] == "Dinas Kependudukan dan Pencatatan Sipil Kabupaten Paser"
    assert order["check_mode"] is False and order["note"] == "Perintah uji molecule"
    assert order["admin_machine"] == host.check_output("hostname")
