"""The report rendered from fixture rounds (tests/report_fixtures.py): every status and grade,
empty sections, one device, 300 devices; the findings grouped by cause; the people's CSV.

No lab: the records have the shape and the words of the real checks.
"""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import jsonschema
import pytest

from ansible.module_utils.siak_outcome import siak_reach_reason, siak_reach_records, siak_skip_record
from ansible.module_utils.siak_result import record

from .. import report_fixtures as F

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "reports" / "templates"
sys.path.insert(0, str(ROOT / "filter_plugins"))
import siak_findings as FI  # noqa: E402
import siak_html as H  # noqa: E402
import siak_summary as S  # noqa: E402

SCHEMA = json.loads((ROOT / "docs" / "schema" / "results.schema.json").read_text())


def _render(data, previous=None, template="laporan.html.j2", **report):
    summary = F.summary_of(data, previous)
    rnd = dict(data["round"], previous=previous["round"]["id"] if previous else None)
    return H.siak_render_html({"round": rnd, "summary": summary, "report": report}, template, TEMPLATES), summary


def _first_page(page):
    """The decision page: everything before section A (which starts on a new page)."""
    return page.split('<h2 class="halaman-baru">A. Perintah pemeliharaan', 1)[0]


@pytest.mark.parametrize("data", [F.office(), F.office(hosts=1, switches=0), F.every_status_and_grade(),
                                  F.office(hosts=0, switches=0)], ids=["office", "one", "every", "empty"])
def test_fixture_rounds_are_valid_results_documents(data):
    jsonschema.validate(F.results_document(data), SCHEMA)


def test_every_status_and_every_grade_reach_the_first_page():
    data = F.every_status_and_grade()
    page, summary = _render(data)
    assert {r["status"] for r in data["records"]} == {"OK", "WARNING", "CRITICAL", "UNKNOWN"}
    # siak-app01 Baik; siak-db01 (a warning) and sw-01 (no counter sample yet) Cukup; siak-bak01 (a
    # critical disk) and sw-kosong (no record) Kurang; siak-ws01 (unreachable) Rusak.
    assert summary["grade_counts"] == {"Baik": 1, "Cukup": 2, "Kurang": 2, "Rusak": 1}
    first = _first_page(page)
    for grade in ("Baik", "Cukup", "Kurang", "Rusak"):
        assert 'class="chip gr-%s"' % grade.lower() in first
    for status in ("Kritis", "Peringatan", "Tidak diketahui"):
        assert ">%s</span>" % status in first
    # Each device's chip, once.
    for target in data["targets"]:
        assert first.count(">%s &middot; " % target) == 1, target
    assert "Perangkat tidak dapat dihubungi" in first and "Petugas ADB" in first
    assert "Hapus atau pindahkan berkas lama" in first


def test_the_grade_count_is_the_office_devices_and_the_probe_targets_stand_apart():
    """9 hosts and 7 switches: 16 devices counted, gateway and pusat-dc listed apart (not 18)."""
    data = F.office()
    page, summary = _render(data)
    assert sum(summary["grade_counts"].values()) == len(data["targets"]) == 16
    assert summary["other_targets"] == ["gateway", "pusat-dc"]
    assert set(summary["grades"]) == set(data["targets"]) | {"gateway", "pusat-dc"}
    first = _first_page(page)
    assert "16 perangkat kantor" in first
    assert "gateway" not in re.findall(r'class="chip[^>]*>([^<]*)', first)
    assert "tidak dihitung sebagai perangkat kantor" in first


def test_the_same_cause_on_seven_workstations_is_one_finding_of_seven():
    data = F.office(hosts=10, switches=0, seed=3)   # 3 servers, 7 workstations, repository unreachable
    page, summary = _render(data)
    groups = [g for g in summary["finding_groups"] if g["rule"] == "update-unchecked"]
    assert len(groups) == 1
    workstations = data["groups"]["workstations"]
    down = {r["target"] for r in data["records"] if r["category"] == "reach" and r["status"] != "OK"}
    assert groups[0]["devices"] == sorted(set(workstations) - down)
    assert groups[0]["count"] == len(groups[0]["devices"]) == len(groups[0]["records"])
    assert groups[0]["kinds"] == {"Komputer loket": groups[0]["count"]}
    assert groups[0]["actor_id"] == "adb"
    first = _first_page(page)
    assert first.count("&mdash; Pembaruan paket tidak dapat diperiksa (apt)") == 1
    assert "<b>%d perangkat</b> (%d komputer loket)" % (groups[0]["count"], groups[0]["count"]) in first


def test_grouping_counts_devices_not_records_and_keeps_different_causes_apart():
    recs = [record("disk", "/", "CRITICAL", "Ruang disk / (/dev/sda1) terpakai 95,1%%, sisa %d GiB." % n, value=95.1,
                   step=3, target="ws%02d" % n) for n in range(5)]
    recs += [record("disk", "/srv", "CRITICAL", "Ruang disk /srv (/dev/sda2) terpakai 91,0%, sisa 1 GiB.", step=3,
                    target="ws00")]
    recs += [record("disk", "/", "WARNING", "Ruang disk / (/dev/sda1) terpakai 85,0%, sisa 15 GiB.", step=3,
                    target="ws09")]
    recs += [record("hw-power", "PSU1", "CRITICAL", "Catu daya PSU1 rusak", step=2, target="sw1"),
             record("link", "ping 198.18.0.1 loss", "CRITICAL", "Kehilangan paket ke pusat-dc 100% (10 dari 10)",
                    step=4, target="pusat-dc")]
    groups = FI.siak_finding_groups(recs, {"sw1": "Switch"})
    by = {(g["rule"], g["status"], g["count"]) for g in groups}
    assert ("disk-full", "CRITICAL", 5) in by          # five devices, the same words but their numbers
    assert ("disk-full", "CRITICAL", 1) in by          # /srv on ws00: other words
    assert ("disk-full", "WARNING", 1) in by
    assert ("hardware", "CRITICAL", 1) in by and ("datacentre", "CRITICAL", 1) in by
    assert [g for g in groups if g["rule"] == "hardware"][0]["actor_id"] == "vendor"
    assert [g for g in groups if g["rule"] == "datacentre"][0]["actor_id"] == "helpdesk"
    # Worst first, then most devices first.
    severities = [FI.SEVERITY[g["status"]] for g in groups]
    assert severities == sorted(severities, reverse=True)
    assert groups[0]["count"] == 5
    # No finding is lost: every record is in exactly one group.
    assert sum(len(g["records"]) for g in groups) == len(recs)


def test_a_hardware_state_that_could_not_be_read_is_no_call_to_the_vendor():
    """The records of the real judges: a disk read without smartctl, a UPS without upsc, a
    switch fan whose state words are unknown. None is a hardware fault."""
    from ansible.module_utils import siak_hw_judge as HJ  # pylint: disable=import-outside-toplevel
    from ansible.module_utils import siak_switch_hw as SH  # pylint: disable=import-outside-toplevel

    disk = {"name": "sda", "kind": "physical", "model": "ST1000DM010", "size_bytes": 10 ** 12, "smart_error": "missing"}
    (no_smartctl,), _na = HJ.judge_disk(disk, dict(HJ.DEFAULTS))
    no_upsc = HJ.judge_ups({"name": "ups@localhost", "error": "missing"}, 50, 20)
    (fan,) = SH._judge_parts("fans", {"fan1": {"name": "Fan 1", "status": None, "said": "Spinning?"}}, None)
    recs = [dict(r, step=2, target=t) for r, t in ((no_smartctl, "srv1"), (no_upsc, "srv1"), (fan, "sw1"))]
    assert [r["status"] for r in recs] == ["UNKNOWN"] * 3
    rules = {r["category"]: FI.rule_of(r)["id"] for r in recs}
    assert rules == {"hw-disk": "hardware-tool", "hw-ups": "hardware-tool", "hw-fan": "hardware-unread"}
    groups = FI.siak_finding_groups(recs, lang="en")
    assert {g["actor_id"] for g in groups} == {"adb"}
    assert any("smartmontools" in g["action"] for g in groups)


def test_every_rule_names_a_known_actor_and_an_action_in_both_languages():
    for rule in FI.FINDING_RULES + (FI.DEFAULT_RULE,):
        assert rule["actor"] in FI.ACTORS
        assert all(rule["action"]) and all(rule["cause"]) and len(rule["action"]) == 2


def test_changes_since_the_previous_round_stay_on_the_first_page():
    before, after = F.rounds(2)
    page, summary = _render(after, before)
    first = _first_page(page)
    assert "Perubahan sejak putaran sebelumnya" in first
    assert "Baru (%d butir)" % len(summary["changes"]["new"]) in first
    assert "Normal kembali (%d butir)" % len(summary["changes"]["resolved"]) in first
    # Round 0 had no counter sample: round 1's port error rates resolve those UNKNOWNs.
    resolved_rules = {g["rule"] for g in summary["change_groups"]["resolved"]}
    assert "port-first-sample" in resolved_rules


def test_healthy_items_are_summarised_and_the_appendix_prints_them_all():
    data = F.office()
    short, summary = _render(data)
    full, _ = _render(data, appendix=True)
    ok_messages = [r["message"] for r in data["records"] if r["status"] == "OK" and r["step"] in (3, 4)]
    bad_messages = [r["message"] for r in data["records"] if r["status"] != "OK" and r["step"] in (3, 4)]
    assert "Semua butir normal" in short or "butir normal:" in short
    shown_ok = sum(1 for m in set(ok_messages) if "<td>%s</td>" % m in short)
    assert shown_ok == 0
    assert all(str(H.jinja2.utils.markupsafe.escape(m)) in short for m in bad_messages)
    assert all(str(H.jinja2.utils.markupsafe.escape(m)) in full for m in ok_messages)
    assert len(short) < len(full) * 0.7


def test_one_device_and_an_empty_round_render():
    page, summary = _render(F.office(hosts=1, switches=0))
    assert summary["targets"][0]["target"] == "siak-app01" and "1 perangkat kantor" in page
    page, summary = _render(F.office(hosts=0, switches=0))
    assert "0 perangkat kantor" in page and "Tidak ada temuan" in page and "Tidak ada butir pada langkah ini." in page


def test_three_hundred_devices_render_and_name_every_device():
    data = F.office(hosts=240, switches=60, seed=7)
    page, summary = _render(data)
    assert len(summary["targets"]) == 300
    first = _first_page(page)
    # Listed by grade, worst first: every device once, under its grade.
    lines = re.findall(r'<div><span class="gr gr-([a-z]+)">[A-Za-z]+</span> \((\d+)\): ([^<]*)</div>', first)
    assert [g for g, _n, _names in lines] == [g.lower() for g in ("Rusak", "Kurang", "Cukup", "Baik")
                                              if summary["grade_counts"][g]]
    listed = {name: grade for grade, _n, names in lines for name in names.split(", ")}
    assert len(listed) == 300 and all(listed[t["target"]] == t["grade"].lower() for t in summary["targets"])
    assert all(int(n) == summary["grade_counts"][g.capitalize()] for g, n, _names in lines)
    for group in summary["finding_groups"]:
        assert group["count"] == len(set(r["target"] for r in group["records"]))
    # A group of many devices names the first eight and counts the rest.
    big = [g for g in summary["finding_groups"] if g["count"] > 8]
    assert big and "dan %d lainnya" % (big[0]["count"] - 8) in first


def test_the_logo_is_embedded_and_a_bad_logo_is_named(tmp_path):
    png = tmp_path / "logo.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 16)
    logo = H.siak_logo_data_uri(str(png))
    assert logo["uri"].startswith("data:image/png;base64,iVBORw0KGgo") and logo["problem"] == ""
    page, _ = _render(F.office(hosts=1, switches=0), logo=logo["uri"])
    assert '<img class="logo" src="data:image/png;base64,' in page
    assert H.siak_logo_data_uri("") == {"uri": "", "problem": ""}
    assert "tidak dapat dibaca" in H.siak_logo_data_uri(str(tmp_path / "none.png"))["problem"]
    assert "jenis berkas" in H.siak_logo_data_uri(str(tmp_path / "logo.exe"))["problem"]
    page, _ = _render(F.office(hosts=1, switches=0))
    assert "<img" not in page


def test_the_people_csv_opens_with_semicolons_and_decimal_commas():
    data = F.every_status_and_grade()
    text = S.siak_csv_people(data["records"])
    assert text.startswith("\ufeff") and "\r\n" in text
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][:5] == ["Langkah", "Perangkat", "Kategori", "Butir", "Status"]
    assert len(rows) == len(data["records"]) + 1 and all(len(r) == len(rows[0]) for r in rows)
    disk = [r for r in rows if r[3] == "/srv/backup" and r[2] == "Disk"][0]
    assert disk[4] == "Kritis" and disk[5] == "96" and disk[2] == "Disk"
    temps = [r for r in rows if r[2] == "Suhu"]
    assert temps and all(re.fullmatch(r"[0-9]+(,[0-9]+)?", r[5]) for r in temps)
    assert any("," in r[5] for r in temps)
    assert {r[6] for r in temps} == {"°C"}                                 # "C" in results.json
    # The machine CSV is unchanged: "," and a decimal point.
    machine = list(csv.reader(io.StringIO(S.siak_csv(data["records"]))))
    assert machine[0][0] == "step" and any(re.fullmatch(r"[0-9]+\.[0-9]+", r[5]) for r in machine[1:])


def test_units_are_shown_in_the_reports_language_and_kept_as_written_in_the_data():
    recs = [record("hw-cpu", "cpu", "OK", "Intel: 1 soket, 4 inti, 8 utas.", value=4, unit="cores", step=2, target="a"),
            record("tls", "siak", "WARNING", "Sertifikat berakhir 10 hari lagi", value=10, unit="hari", step=4, target="a"),
            record("port-errors", "Gi1/0/1", "OK", "ok", value=3, unit="errors", step=3, target="sw"),
            record("http", "siak", "OK", "ok", value=12.5, unit="ms", step=4, target="a"),
            record("log", "syslog", "OK", "ok", value=0, unit="future-unit", step=3, target="a")]
    people = {lang: [r[6] for r in csv.reader(io.StringIO(S.siak_csv_people(recs, lang)[1:]), delimiter=";")][1:]
              for lang in ("id", "en")}
    assert people["id"] == ["inti", "hari", "galat", "ms", "future-unit"]
    assert people["en"] == ["cores", "days", "errors", "ms", "future-unit"]
    assert [r[6] for r in csv.reader(io.StringIO(S.siak_csv(recs)))][1:] == ["cores", "hari", "errors", "ms", "future-unit"]
    data = F.office(hosts=2, switches=1)
    host = data["records"][0]["target"]
    data["records"] += [dict(r, target=host) for r in recs]
    pages = {lang: H.siak_render_html({"round": data["round"], "records": data["records"], "report": {"lang": lang}},
                                      "ikhtisar.html.j2", TEMPLATES) for lang in ("id", "en")}
    assert ">4 inti<" in pages["id"] and ">10 hari<" in pages["id"] and ">3 galat<" in pages["id"]
    assert ">4 cores<" in pages["en"] and ">10 days<" in pages["en"] and ">3 errors<" in pages["en"]
    assert ">12,50 ms<" in pages["id"] and ">0 future-unit<" in pages["id"]


def test_the_people_csv_cannot_hold_a_formula():
    recs = [record("log", "=HYPERLINK(\"http://x\")", "WARNING", "-2+3", value=-1.5, step=3, target="@ws")]
    rows = list(csv.reader(io.StringIO(S.siak_csv_people(recs)[1:]), delimiter=";"))
    assert rows[1][1] == "'@ws" and rows[1][3].startswith("'=") and rows[1][9] == "'-2+3"
    assert rows[1][5] == "-1,5"


def test_the_report_in_english():
    _, before, after = F.rounds(3, hosts=10, switches=2, seed=3)   # round 2: the repository is unreachable
    page, summary = _render(after, before, lang="en")
    assert page.startswith('<!DOCTYPE html>\n<html lang="en">')
    first = _first_page(page.replace('<h2 class="halaman-baru">A. Maintenance order', '<h2 class="halaman-baru">A. Perintah pemeliharaan'))
    assert "Findings that need action" in first and "Recommended action" in first
    assert "Package updates cannot be checked" in first            # the cause, and the record's message_en
    assert "Database administrator (Petugas ADB)" in first
    assert "Changes since the previous round" in first
    english = {"Baik": "Good", "Cukup": "Fair", "Kurang": "Poor", "Rusak": "Broken"}
    for grade, count in summary["grade_counts"].items():
        if count:
            assert 'class="gr gr-%s">%s</span>' % (grade.lower(), english[grade]) in page
    # The report's own Indonesian words are gone; record messages without English follow a known pattern.
    for word in ("Temuan yang perlu", "Ringkasan untuk keputusan", "Pengesahan", "Tindakan yang disarankan",
                 "butir normal", "Dibanding putaran"):
        assert word not in page, word
    assert "Disk space / (/dev/sda1)" in page and "Ruang disk / (/dev/sda1)" not in page
    assert "16 November 2026 09:00" in page   # round 2: the date in English, with a colon


def test_every_catalogue_entry_has_both_languages_and_unknown_patterns_stay_indonesian():
    import siak_texts as TX  # noqa: E402  pylint: disable=import-outside-toplevel

    assert set(TX.siak_texts("id")) == set(TX.siak_texts("en")) == set(TX.TEXTS)
    assert all(len(pair) == 2 and pair[0] for pair in TX.TEXTS.values())
    assert all(pair[1] for key, pair in TX.TEXTS.items() if not key.endswith("_sub_en"))
    rec = record("log", "x", "WARNING", "Kalimat yang tidak dikenal", step=3, target="a")
    assert TX.siak_message(rec, "en") == "Kalimat yang tidak dikenal"
    assert TX.siak_message(dict(rec, message_en="Known"), "en") == "Known"
    assert TX.siak_message(dict(rec, message_en="Known"), "id") == "Kalimat yang tidak dikenal"
    assert TX.siak_message(record("service", "nginx", "CRITICAL", "Layanan nginx TIDAK berjalan (inactive).", step=3,
                                  target="a"), "en") == "Service nginx is NOT running (inactive)."


def _write_rounds(folder, rounds):
    """Round folders as the role leaves them: round.json (complete) and results.json."""
    import siak_round as R  # noqa: E402  pylint: disable=import-outside-toplevel

    previous = None
    for data in rounds:
        doc = F.results_document(data, previous)
        path = folder / data["round"]["id"]
        path.mkdir()
        (path / "results.json").write_text(json.dumps(doc))
        (path / "round.json").write_text(json.dumps(R.siak_round_status(doc["round"], F.summary_of(data, previous))))
        (path / "index.html").write_text("<html></html>")
        previous = data


def _trend_lookup():
    import importlib.util  # noqa: E402  pylint: disable=import-outside-toplevel

    spec = importlib.util.spec_from_file_location("_test_trends", ROOT / "lookup_plugins" / "siak_round_trends.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_history_draws_the_trends_of_the_rounds_kept(tmp_path):
    import siak_trends as TR  # noqa: E402  pylint: disable=import-outside-toplevel

    rounds = F.rounds(4, hosts=4, switches=2)
    _write_rounds(tmp_path, rounds)
    (tmp_path / "rusak").mkdir()
    (tmp_path / "rusak" / "results.json").write_text("{not json")
    kept = _trend_lookup().trend_rounds(str(tmp_path), 3)
    assert [r["id"] for r in kept] == [r["round"]["id"] for r in rounds[1:]]   # the newest 3, oldest first
    charts = TR.siak_trend_charts(kept)
    assert [c["id"] for c in charts] == ["disk", "http", "ping-loss", "ping-rtt", "port-errors"]
    disk = charts[0]
    # siak-app01's root file system: one value per round, as in the records.
    app_root = [s for s in disk["series"] if s["label"] == "siak-app01 /"][0]
    expected = [[r["value"] for r in d["records"] if r["category"] == "disk" and r["target"] == "siak-app01"
                 and r["item"] == "/"][0] for d in rounds[1:]]
    assert app_root["values"] == expected and len(app_root["points"].split()) == 3
    http = charts[1]["series"][0]
    p95 = [[r["details"]["stats_ms"]["p95"] for r in d["records"] if r["category"] == "http"][0] for d in rounds[1:]]
    assert http["values"] == p95    # the p95 of the details, not the median
    page = H.siak_render_html({"history": [], "sop_code": "005/SOP/DKPS/II/2024",
                               "trend_groups": [{"office": "x", "charts": charts}]}, "riwayat.html.j2", TEMPLATES)
    assert page.count("<svg ") == 5 and page.count("<polyline ") == sum(len(c["series"]) for c in charts)
    assert "<script" not in page and "Kecenderungan" in page and "Pemakaian disk" in page
    english = H.siak_render_html({"history": [], "sop_code": "x", "trend_groups": [{"office": "x", "charts": charts}],
                                  "report": {"lang": "en"}}, "riwayat.html.j2", TEMPLATES)
    assert "Trends" in english and "Disk use per host and mount" in english and '<html lang="en">' in english
    # A folder two offices share: each office's trends are its own; the history names each round's office.
    office = rounds[0]["round"]["office"]
    other = dict(rounds[3], round=dict(rounds[3]["round"], id="lain-1", office="Dinas Lain"))
    _write_rounds(tmp_path, [other])
    assert "lain-1" in [r["id"] for r in _trend_lookup().trend_rounds(str(tmp_path), 12)]
    assert "lain-1" not in [r["id"] for r in _trend_lookup().trend_rounds(str(tmp_path), 12, office)]
    history = [{"id": "a-1", "office": office, "complete": False, "started": "2026-11-02T09:00:00", "operator": "x"},
               {"id": "lain-1", "office": "Dinas Lain", "complete": False, "started": "2026-11-01T09:00:00", "operator": "y"}]
    page = H.siak_render_html({"history": history, "sop_code": "x"}, "riwayat.html.j2", TEMPLATES)
    assert '<span class="small">Dinas Lain</span>' in page and '<span class="small">%s</span>' % office in page
    single = H.siak_render_html({"history": history[:1], "sop_code": "x"}, "riwayat.html.j2", TEMPLATES)
    assert '<span class="small">%s</span>' % office not in single   # one office: no column of the same name
    # Each office's trends under its name, this round's office first; one office: no heading.
    mine = TR.siak_trend_charts(_trend_lookup().trend_rounds(str(tmp_path), 12, office))
    theirs = TR.siak_trend_charts(_trend_lookup().trend_rounds(str(tmp_path), 12, "Dinas Lain"))
    both = H.siak_render_html({"history": history, "sop_code": "x", "trend_groups": [
        {"office": office, "charts": mine}, {"office": "Dinas Lain", "charts": theirs}]}, "riwayat.html.j2", TEMPLATES)
    assert both.index('<h3 class="office">%s</h3>' % office) < both.index('<h3 class="office">Dinas Lain</h3>')
    assert both.count("<svg ") == len(mine) + len(theirs)
    assert '<h3 class="office">' not in page


def test_a_missing_value_is_a_gap_in_the_trend_not_a_zero():
    import siak_trends as TR  # noqa: E402  pylint: disable=import-outside-toplevel

    rounds = [{"id": "a", "started": "2026-01-01T00:00:00", "records": [
                  record("disk", "/", "OK", "x", value=40.0, step=3, target="h")]},
              {"id": "b", "started": "2026-01-08T00:00:00", "records": [
                  record("disk", "/", "UNKNOWN", "tidak terbaca", step=3, target="h")]},
              {"id": "c", "started": "2026-01-15T00:00:00", "records": [
                  record("disk", "/", "OK", "x", value=60.0, step=3, target="h")]}]
    chart = TR.siak_trend_charts(rounds)[0]
    assert chart["series"][0]["values"] == [40.0, None, 60.0]
    assert len(chart["series"][0]["dots"]) == 2
    assert TR.siak_trend_charts([]) == []


def test_each_round_links_to_the_round_before():
    data = F.office(hosts=1, switches=0)
    page, _ = _render(data, prev_href="../20261026-090000-r99/index.html", next_href="../index.html#r-x")
    assert '<a href="../20261026-090000-r99/index.html">&larr; putaran sebelumnya</a>' in page
    assert '<a href="../index.html#r-x">putaran berikutnya (di riwayat) &rarr;</a>' in page
    # Two links, two words apart: not "putaran sebelumnyaputaran berikutnya".
    assert '&larr; putaran sebelumnya</a> &middot; <a href="../index.html#r-x">' in page
    history = H.siak_render_html({"history": [{"id": "x", "started": "2026-11-02T09:00:00", "operator": "A",
                                               "complete": True, "status": "OK", "counts": {"OK": 1, "WARNING": 0,
                                               "CRITICAL": 0, "UNKNOWN": 0, "total": 1}}], "sop_code": "s"},
                                 "riwayat.html.j2", TEMPLATES)
    assert '<tr id="r-x">' in history
    page, _ = _render(data)
    assert "putaran sebelumnya</a>" not in page


def test_an_unreachable_device_is_one_finding_not_one_per_step():
    recs = [record("reach", "ssh", "UNKNOWN", "Target tidak dapat dihubungi: ssh: connect to host sw-02 port 22: "
                   "No route to host", step=2, target="sw-02"),
            record("check", "langkah 3", "UNKNOWN", "Tidak diperiksa: Target tidak dapat dihubungi", step=3,
                   target="sw-02"),
            record("reach", "ssh", "UNKNOWN", "Target tidak dapat dihubungi: Connection timed out", step=2,
                   target="sw-04"),
            record("check", "langkah 3", "UNKNOWN", "Tidak diperiksa: langkah 2 dilewati", step=3, target="ws1")]
    groups = FI.siak_finding_groups(recs)
    unreachable = [g for g in groups if g["rule"] == "unreachable"]
    assert len(unreachable) == 1 and unreachable[0]["devices"] == ["sw-02", "sw-04"]
    assert len(unreachable[0]["records"]) == 3
    assert [g["devices"] for g in groups if g["rule"] != "unreachable"] == [["ws1"]]


def test_the_hardware_checklist_summarises_good_rows_unless_the_appendix_is_asked():
    from . import test_hardware_checklist as HC  # noqa: E402  pylint: disable=import-outside-toplevel
    import siak_hardware as HW  # noqa: E402  pylint: disable=import-outside-toplevel

    hostvars, targets, records = HC._round()  # pylint: disable=protected-access
    summary = S.siak_summary(records, targets)
    checklist = HW.siak_hardware_checklist(HW.siak_hardware_section(hostvars, targets, records), records,
                                           summary["targets"])
    rnd = dict(F.header(1), previous=None)
    short = H.siak_render_html({"round": rnd, "checklist": checklist}, "ceklis-perangkat-keras.html.j2", TEMPLATES)
    full = H.siak_render_html({"round": rnd, "checklist": checklist, "report": {"appendix": True}},
                              "ceklis-perangkat-keras.html.j2", TEMPLATES)
    rows = [r for d in checklist["devices"] for r in d["rows"]]
    bad = [r for r in rows if r["status"] not in ("OK", None)]
    assert bad and len(bad) < len(rows)
    assert short.count('<span class="mk mk-') == len(bad)
    assert full.count('<span class="mk mk-') == len(rows)
    # A good row is still named, with the system's identity; a row that does not apply says why.
    assert "butir sesuai atau tidak berlaku:\n  Sistem (Dell Inc. PowerEdge R640, nomor seri 7XK2N53)" in short
    assert "UPS (tidak berlaku: UPS tidak dikonfigurasi)" in short


def test_the_hardware_checklist_in_english():
    from . import test_hardware_checklist as HC  # noqa: E402  pylint: disable=import-outside-toplevel
    import siak_hardware as HW  # noqa: E402  pylint: disable=import-outside-toplevel

    hostvars, targets, records = HC._round()  # pylint: disable=protected-access
    summary = S.siak_summary(records, targets)
    checklist = HW.siak_hardware_checklist(HW.siak_hardware_section(hostvars, targets, records), records,
                                           summary["targets"])
    page = H.siak_render_html({"round": dict(F.header(1), previous=None), "checklist": checklist,
                               "report": {"lang": "en", "appendix": True}}, "ceklis-perangkat-keras.html.j2", TEMPLATES)
    assert '<html lang="en">' in page and "HARDWARE ASSESSMENT CHECKLIST" in page
    assert "Expected condition" in page and "Approval" in page and "Carried out by," in page
    assert ">Good</span>" in page and ">No</span>" in page and ">Not applicable</span>" in page
    assert "no UPS configured" in page             # the row's note_en
    assert "the device could not be reached in step 2" in page   # the English legend
    for words in ("Kondisi yang diharapkan", "Pengesahan", "Keterangan kondisi", "Tanda:"):
        assert words not in page, words


def test_a_slow_service_in_the_office_is_for_the_administrator_and_the_data_centre_for_the_helpdesk():
    recs = [record("http", "http://198.18.0.11/siak", "CRITICAL", "siak menjawab dalam 2.500 ms", step=4,
                   target="siak-app01"),
            record("http", "https://siak.pusat.invalid/", "CRITICAL", "pusat menjawab dalam 2.500 ms", step=4,
                   target="pusat-dc")]
    data = {"records": recs, "targets": ["siak-app01"], "groups": {"app": ["siak-app01"]}}
    groups = {g["rule"]: g for g in F.summary_of(data)["finding_groups"]}
    assert groups["office-service"]["devices"] == ["siak-app01"] and groups["office-service"]["actor_id"] == "adb"
    assert groups["datacentre"]["devices"] == ["pusat-dc"] and groups["datacentre"]["actor_id"] == "helpdesk"


def test_the_fixture_set_is_written_and_every_document_is_valid(tmp_path):
    written = F.write_set(tmp_path)
    assert len(written) == len(F.SCENARIOS) + 4
    for path in written:
        jsonschema.validate(json.loads(path.read_text()), SCHEMA)
    kept = _trend_lookup().trend_rounds(str(tmp_path / "rounds"), 12)
    assert len(kept) == 4


# The result ansible-core 2.19 registered for `ping` on a lab host whose temp folders and root's
# home were full (the lab's `tmp-full` fault), trimmed to the fields the records read.
NO_ROOM = {"failed": True, "rc": 1, "module_stdout": "",
           "module_stderr": "Traceback (most recent call last):\n  File \"<stdin>\", line 266, in <module>\n"
                            "  File \"/usr/lib/python3.11/tempfile.py\", line 362, in _get_default_tempdir\n"
                            "    raise FileNotFoundError(_errno.ENOENT,\nFileNotFoundError: [Errno 2] No usable "
                            "temporary directory found in ['/tmp', '/var/tmp', '/usr/tmp', '/root']\n",
           "msg": "Module result deserialization failed: No start of json char found"}


def test_a_host_whose_disk_is_full_is_named_with_what_to_do_in_both_languages():
    reach = siak_reach_records(NO_ROOM, 2, "siak-db01")
    modul = reach[1]
    assert (modul["item"], modul["status"]) == ("modul", "UNKNOWN")
    assert modul["message"].endswith(": FileNotFoundError: [Errno 2] No usable temporary directory found in "
                                     "['/tmp', '/var/tmp', '/usr/tmp', '/root']")
    assert "deserialization" not in modul["message"]            # Ansible's words for "no result" say nothing here
    skipped = siak_skip_record(3, "siak-db01", "pada langkah 2 (penilaian): " + siak_reach_reason(reach),
                               "in step 2 (assessment): " + siak_reach_reason(reach, "en"))
    assert skipped[0]["message_en"].startswith("Not checked: in step 2 (assessment): SSH login succeeded, but")
    assert "Login SSH" not in skipped[0]["message_en"]
    for lang in ("id", "en"):
        groups = FI.siak_finding_groups(reach + skipped, lang=lang)
        # One finding: step 3's "not checked" record has step 2's cause.
        assert [(g["rule"], g["items"]) for g in groups] == [("no-room", ["modul", "langkah 3"])], groups
        assert ("df -h" in groups[0]["action"]) and groups[0]["devices"] == ["siak-db01"]
    # Python missing is still the account, sudo and Python.
    other = siak_reach_records({"failed": True, "module_stderr": "/bin/sh: 1: /usr/bin/python3.99: not found\n",
                                "msg": "The module interpreter '/usr/bin/python3.99' was not found."}, 2, "ws")
    assert [g["rule"] for g in FI.siak_finding_groups(other)] == ["no-modules"]


def test_an_item_that_could_not_be_checked_is_not_judged_as_its_fault():
    """UNKNOWN records of the real judges: a host without any time tool, a switch whose
    session broke off, a failed step-4 probe setup. None is "the clock is not synchronised",
    "check the port's cable" or "report it to the national helpdesk"."""
    from ansible.module_utils import siak_host_judge as HJ  # pylint: disable=import-outside-toplevel
    from ansible.module_utils.siak_result import unknown  # pylint: disable=import-outside-toplevel

    (no_time_tool,) = HJ.judge_time({"info": None, "reasons": []}, dict(HJ.DEFAULTS))
    session = unknown("switch", "ssh", "Sesi SSH terputus: OSError: Socket is closed",
                      "SSH session broke off: OSError: Socket is closed")
    probe = unknown("http", "http://198.18.0.11/siak", "Uji 'Aplikasi' gagal: certificate verify failed",
                    "The probe 'Aplikasi' failed: certificate verify failed")
    recs = [dict(no_time_tool, step=3, target="srv1"), dict(session, step=3, target="sw1"),
            dict(probe, step=4, target="pusat-dc")]
    assert {FI.rule_of(r, {"pusat-dc": FI.OUTSIDE_KIND})["id"] for r in recs} == {"unchecked"}
    assert {g["actor_id"] for g in FI.siak_finding_groups(recs, {"pusat-dc": FI.OUTSIDE_KIND})} == {"adb"}
    # The same categories, judged, keep their own causes.
    late = dict(no_time_tool, status="CRITICAL", message="Jam sistem TIDAK tersinkron (chrony).")
    assert FI.rule_of(late)["id"] == "time"


def test_a_target_step_2_could_not_assess_is_one_finding_for_both_steps():
    """Step 3's "not checked" record carries step 2's cause: one finding per cause and device
    (it was a second finding, "another item" or "could not be checked", for every such target)."""
    from ansible.module_utils.siak_outcome import (  # pylint: disable=import-outside-toplevel
        siak_reach_reason, siak_reach_records, siak_skip_record)

    out = []
    for target, result in (("ws03", {"unreachable": True, "msg": "Failed to connect to the host via ssh: ssh: connect to "
                                     "host 198.18.0.23 port 22: No route to host"}),
                           ("app01", {"failed": True, "msg": "Task failed: Missing sudo password"})):
        step2 = siak_reach_records(result, 2, target)
        step3 = siak_skip_record(3, target, "pada langkah 2 (penilaian): " + siak_reach_reason(step2),
                                 "in step 2 (assessment): " + siak_reach_reason(step2, "en"))
        out += step2 + step3
    groups = {g["rule"]: g for g in FI.siak_finding_groups(out)}
    assert set(groups) == {"unreachable", "sudo-password"}
    assert groups["unreachable"]["devices"] == ["ws03"] and groups["unreachable"]["items"] == ["ssh", "langkah 3"]
    assert groups["sudo-password"]["devices"] == ["app01"] and groups["sudo-password"]["items"] == ["modul", "langkah 3"]
