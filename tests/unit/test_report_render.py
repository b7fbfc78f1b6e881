"""The report's HTML: every value from a device, a host, a probe or the inventory is text.

The pages are rendered the way the role renders them (``siak_render_html``, autoescape on)
from records built with ``record()`` and a summary from ``siak_summary()``, with hostile
text in every place that a host, a switch, a probe or the inventory fills; then, without
the lab, loaded in headless Chromium: nothing may run.
"""

from __future__ import annotations

import html
import json
import re
import sys
from pathlib import Path

import jinja2
import pytest
import yaml
from ansible.template import trust_as_template
from markupsafe import escape

from ansible.module_utils.siak_result import record

from .. import chromium as browser

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "reports" / "templates"
sys.path.insert(0, str(ROOT / "filter_plugins"))
import siak_hardware as HW  # noqa: E402
import siak_html as H  # noqa: E402
import siak_summary as S  # noqa: E402
import siak_texts as TX  # noqa: E402

# Each payload shows itself if it ever runs: the page's title becomes PWNED, or an element
# gets the data-pwned attribute. (No alert(): a dialog would stall headless Chromium.)
SCRIPT = "<script>document.title='PWNED'</script>"
IMG = "<img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
SVG = "\"><svg onload=\"document.body.setAttribute('data-pwned','1')\">"
JINJA = "{{ 7*7 }}"
BREAKOUT = "</td></tr></table><script>document.body.setAttribute('data-pwned','1')</script>"
PAYLOADS = (SCRIPT, IMG, SVG, JINJA, BREAKOUT)

WS = "ws<script>document.title='PWNED'</script>"   # an inventory name
APP = "siak-app01"
SWITCH = "sw-lantai2" + IMG
# Markup that the templates never write: none of it may be in a page.
FOREIGN_TAGS = re.compile(r"<\s*/?\s*(script|img|svg|iframe)\b", re.IGNORECASE)


def _records():
    return [
        record("reach", "ssh", "OK", "Dapat dihubungi; login SSH berhasil", step=2, target=WS),
        record("reach", "ssh", "OK", "Dapat dihubungi; login SSH berhasil", step=2, target=APP),
        record("reach", "port", "OK", "Port SSH terbuka", step=2, target=SWITCH),
        # switch model, in message and details
        record("device", "model", "WARNING", "Model %s tidak dikenal" % SCRIPT, step=3, target=SWITCH,
               details={"model": SCRIPT}),
        # port description
        record("port", "Gi0/1", "CRITICAL", "Uplink Gi0/1 (%s) mati" % IMG, step=3, target=SWITCH,
               details={"description": IMG}),
        # file names: a backup path as item
        record("backup", "/srv/backup/siak%s.dmp" % SVG, "WARNING", "Cadangan terakhir berumur 3 hari", value=3,
               unit="hari", warn=2, crit=7, step=3, target=APP),
        # log lines, in message and details
        record("log", "/var/log/syslog", "WARNING", "Galat di log: %s" % BREAKOUT, value=1, unit="lines", step=3,
               target=WS, details={"lines": [BREAKOUT, SCRIPT]}),
        # a value and a unit that came from a host
        record("time", "ntp", "UNKNOWN", "Sumber waktu: %s" % JINJA, value=JINJA, unit=IMG, step=3, target=WS),
        # an HTTP status line, in a probe's message
        record("http", "http://198.18.0.11/siak?a=1&b=2", "CRITICAL", "HTTP/1.1 500 %s" % SCRIPT, value=812.5,
               unit="ms", warn=500, crit=2000, step=4, target=APP),
    ]


def _round(round_id="putaran-01"):
    return {
        "id": round_id, "started": "2026-11-25T10:00:00", "finished": "2026-11-25T10:40:00", "timezone": SCRIPT,
        "regency": "Pemerintah Kabupaten Paser" + SCRIPT, "office": IMG, "unit": SVG, "place": "Paser" + IMG, "ordered_by": JINJA, "ordered_by_nip": SVG, "operator": SCRIPT,
        "operator_nip": BREAKOUT, "note": BREAKOUT, "scope": "siak_hosts:!" + SVG, "sop_code": "005/SOP/DKPS/II/2024",
        "check_mode": False, "admin_machine": IMG, "previous": "lama" + SCRIPT,
        "step_started": {"1": "2026-11-25T10:00:00", "2": "2026-11-25T10:00:05", "report": "2026-11-25T10:39:58"},
    }


def _history():
    summary = {"status": "CRITICAL", "counts": {"OK": 3, "WARNING": 2, "CRITICAL": 2, "UNKNOWN": 1, "total": 8},
               "grade_counts": {}}
    this = _round()
    history = [{"id": this["id"], "started": this["started"], "finished": this["finished"], "operator": this["operator"],
                "check_mode": False, "complete": True, "status": summary["status"], "counts": summary["counts"],
                "grade_counts": {}, "href": "%s/index.html" % this["id"]},
               {"id": "20261124-100000-ab12", "started": "2026-11-24T10:00:00", "finished": None, "operator": SCRIPT,
                "check_mode": False, "complete": False, "status": None, "counts": None, "grade_counts": None, "href": None}]
    # The history is read back from the rounds' files on disk: an entry may carry anything.
    hostile = [{"id": "javascript:document.title='PWNED'", "href": "javascript:document.title='PWNED'"},
               {"id": SVG, "href": SVG}, {"id": "..", "href": "../../etc/index.html"},
               {"id": "https://evil.example/x", "href": "https://evil.example/x"}]
    for n, entry in enumerate(hostile):
        entry.update(started="2026-11-%02dT10:00:00" % (10 + n), operator=SCRIPT, status="OK", complete=True,
                     counts=summary["counts"], grade_counts={})
    return history + hostile


def _ceklis_context():
    """The hardware checklist of hostile targets: asset data, a disk model, a sensor label, a switch's PSU name."""
    hardware = {"system": {"vendor": "Dell Inc." + SCRIPT, "model": "PowerEdge R640", "serial": IMG, "virtual": False},
                "cpu": {"model": "Xeon" + SVG, "sockets": 1, "cores": 8, "threads": 16},
                "memory": {"total_bytes": 32 * 1024 ** 3},
                "disks": [{"name": "sda", "model": "ST1000" + BREAKOUT, "serial": "Z1", "size_bytes": 10 ** 12,
                           "kind": "ata", "health": "passed"}],
                "raid": [], "sensors": [{"label": "coretemp " + IMG, "celsius": 45.0, "high": 80.0, "crit": 100.0}],
                "nics": [], "ups": []}
    records = [
        record("hw-system", "system", "OK", "Dell Inc. PowerEdge R640", step=2, target=APP),
        record("hw-cpu", "cpu", "OK", "Xeon, 8 inti", step=2, target=APP),
        record("hw-disk", "sda", "WARNING", "Disk sda: 8 sektor tertunda " + SCRIPT, step=2, target=APP),
        record("hw-temp", "coretemp " + IMG, "OK", "Suhu 45 °C", step=2, target=APP),
        record("reach", "ssh", "UNKNOWN", "Target tidak dapat dihubungi: " + BREAKOUT, step=2, target=WS),
        record("hw-power", "PSU " + SVG, "CRITICAL", "Catu daya PSU rusak " + JINJA, step=2, target=SWITCH),
    ]
    hostvars = {
        APP: {"siak_assess_hardware": {"checked": True, "hardware": hardware, "previous_hardware": hardware,
                                       "not_applicable": [{"category": "hw-ups", "item": "ups", "reason": "UPS " + IMG,
                                                           "reason_en": "no UPS"}]},
              "siak_asset_number": "02.06.03" + SCRIPT, "siak_asset_location": "<script>alert(1)</script>Ruang server",
              "siak_asset_year": JINJA, "siak_asset_owner": BREAKOUT},
        WS: {"siak_asset_location": IMG},
        SWITCH: {"siak_assess_hardware": {"checked": True, "hardware": {"system": {"model": SCRIPT}, "power": [
            {"name": "PSU " + SVG, "status": "failed"}], "fans": [], "sensors": []}, "previous_hardware": None,
            "not_applicable": []}},
    }
    summary = S.siak_summary(records, [WS, APP, SWITCH], None, {"app": [APP], "workstations": [WS], "switches": [SWITCH]})
    section = HW.siak_hardware_section(hostvars, [WS, APP, SWITCH], records)
    return {"round": _round(), "checklist": HW.siak_hardware_checklist(section, records, summary["targets"])}


def _ceklis(tag=False):
    context = _ceklis_context()
    return H.siak_render_html(_tagged(context) if tag else context, "ceklis-perangkat-keras.html.j2", TEMPLATES)


def _tagged(value):
    """The same data as Ansible 2.19 hands it to a filter: strings are tagged str subclasses."""
    if isinstance(value, dict):
        return {k: _tagged(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_tagged(v) for v in value]
    return trust_as_template(value) if isinstance(value, str) else value


def _laporan(tag=False):
    records = _records()
    previous = [dict(r, status="OK") for r in records]
    summary = S.siak_summary(records, [WS, APP, SWITCH], previous, {"app": [APP], "workstations": [WS],
                                                                    "switches": [SWITCH]})
    context = {"round": _round(), "summary": summary}
    return H.siak_render_html(_tagged(context) if tag else context, "laporan.html.j2", str(TEMPLATES))


def _riwayat(tag=False):
    context = {"history": _history(), "sop_code": "005/SOP/DKPS/II/2024" + SCRIPT}
    return H.siak_render_html(_tagged(context) if tag else context, "riwayat.html.j2", TEMPLATES)


@pytest.fixture(scope="module", params=[False, True], ids=["str", "tagged"])
def pages(request):
    return {"laporan": _laporan(request.param), "riwayat": _riwayat(request.param), "ceklis": _ceklis(request.param),
            "ikhtisar": _ikhtisar(request.param)}


def test_the_overview_shows_every_hostile_value_as_text(pages):
    page = pages["ikhtisar"]
    _assert_text_only(_without_own_script(page))
    for text in (WS, SWITCH, "Uplink Gi0/1 (%s) mati" % IMG, "/srv/backup/siak%s.dmp" % SVG, "Galat di log: " + BREAKOUT):
        assert str(escape(text)) in page, text
    assert 'data-device="%s"' % escape(WS) in page


OWN_SCRIPT = re.compile(r"<script>\n\(function \(\) \{\n  \"use strict\";.*?\n\}\(\)\);\n</script>", re.DOTALL)


def _without_own_script(page):
    """The overview page without its one script (the template's own, filtering the rows): exactly one."""
    assert len(OWN_SCRIPT.findall(page)) == 1 and page.count("<script") == 1
    return OWN_SCRIPT.sub("", page)


def _ikhtisar(tag=False):
    context = {"round": _round(), "records": _records()}
    return H.siak_render_html(_tagged(context) if tag else context, "ikhtisar.html.j2", TEMPLATES)


def _assert_text_only(page):
    assert not FOREIGN_TAGS.search(page), FOREIGN_TAGS.search(page)
    for payload in PAYLOADS:
        if payload != JINJA:
            assert payload not in page
    assert "PWNED'</script>" not in page and "onerror=\"" not in page and "onload=\"" not in page


def test_the_report_shows_every_hostile_value_as_text(pages):
    page = pages["laporan"]
    _assert_text_only(page)
    for payload in (SCRIPT, IMG, SVG, BREAKOUT):
        assert str(escape(payload)) in page, payload
    # The office is written in capitals; it is escaped all the same.
    assert str(escape(IMG.upper())) in page
    # A value is never evaluated as a template, neither by Jinja2 nor by Ansible.
    assert JINJA in page and "<td>49" not in page


@pytest.mark.parametrize("text", [WS, SWITCH, "Model %s tidak dikenal" % SCRIPT, "Uplink Gi0/1 (%s) mati" % IMG,
                                  "/srv/backup/siak%s.dmp" % SVG, "Galat di log: " + BREAKOUT, "HTTP/1.1 500 " + SCRIPT,
                                  "Sumber waktu: " + JINJA, "lama" + SCRIPT])
def test_each_source_reaches_the_report_escaped(pages, text):
    """Inventory names, a switch model, a port description, a file name, a log line, a status line, an id."""
    page = pages["laporan"]
    assert str(escape(text)) in page
    if "<" in text:
        assert text not in page


def test_details_stay_out_of_the_page_and_the_template_text_stays_markup(pages):
    page = pages["laporan"]
    assert '"lines"' not in page and "&#34;lines&#34;" not in page
    assert "&middot; SOP 005/SOP/DKPS/II/2024 &middot;" in page and "&ndash;" in page
    assert "<style>" in page and "@page { size: A4;" in page
    assert '<span class="st st-critical">Kritis</span>' in page
    assert re.findall(r'href="([^"]*)"', page) == ["ceklis-perangkat-keras.html", "ikhtisar.html", "results.json",
                                                    "results.csv", "hasil.csv",
                                                    "../index.html"]


def test_the_hardware_checklist_shows_every_hostile_value_as_text(pages):
    """Asset data from the inventory, a disk model, a sensor label, a PSU name, a reason: all text."""
    page = pages["ceklis"]
    _assert_text_only(page)
    for text in ("02.06.03" + SCRIPT, "<script>alert(1)</script>Ruang server", BREAKOUT, "Suhu coretemp " + IMG,
                 "Catu daya PSU " + SVG, "Disk sda: 8 sektor tertunda " + SCRIPT, "UPS " + IMG):
        assert str(escape(text)) in page, text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;Ruang server" in page
    assert JINJA in page and ">49<" not in page
    assert "CEKLIS PENILAIAN PERANGKAT KERAS" in page and "<style>" in page and "@page { size: A4;" in page
    assert re.findall(r'href="([^"]*)"', page) == ["index.html", "results.json", "../index.html"]


def test_the_history_links_only_to_round_folders(pages):
    page = pages["riwayat"]
    _assert_text_only(page)
    hrefs = re.findall(r'href="([^"]*)"', page)
    assert hrefs and all(re.fullmatch(r"[A-Za-z0-9._~%-]+/index\.html", h) for h in hrefs), hrefs
    assert "putaran-01/index.html" in hrefs
    assert "javascript%3Adocument.title%3D%27PWNED%27/index.html" in hrefs
    assert "../../etc/index.html" not in page and "https://evil.example" not in "".join(hrefs)
    assert "javascript:document.title=&#39;PWNED&#39;</a>" in page  # the id, as text
    assert str(escape(SCRIPT)) in page  # an operator


def test_an_undefined_variable_is_an_error_not_an_empty_cell():
    with pytest.raises(jinja2.UndefinedError):
        H.siak_render_html({"round": _round()}, "laporan.html.j2", TEMPLATES)


def test_every_html_template_escapes_by_itself():
    """Rendered by a plain Jinja2 engine with autoescape off, a template still writes every value as text.

    (The macros' markup then shows as text too: ugly, but nothing runs.) Ansible's engine
    ignores autoescape blocks altogether: see the next test.
    """
    names = sorted(p.name for p in TEMPLATES.glob("*.html.j2"))
    assert names == ["_macros.html.j2", "ceklis-perangkat-keras.html.j2", "ikhtisar.html.j2", "laporan.html.j2",
                     "riwayat.html.j2"]
    for name in names:
        text = (TEMPLATES / name).read_text()
        assert "autoescape true" in text, name
        assert not re.search(r"\|\s*safe\b", text), name
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=False, trim_blocks=True)
    env.filters.update(S.FilterModule().filters())
    env.filters.update(TX.FilterModule().filters())
    records = _records()
    summary = S.siak_summary(records, [WS, APP, SWITCH])
    _assert_text_only(env.get_template("laporan.html.j2").render(round=_round(), summary=summary))
    _assert_text_only(env.get_template("riwayat.html.j2").render(history=_history(), sop_code=SVG))
    _assert_text_only(env.get_template("ceklis-perangkat-keras.html.j2").render(**_ceklis_context()))
    _assert_text_only(_without_own_script(env.get_template("ikhtisar.html.j2").render(round=_round(), records=records)))


def _html_template_uses(node, where):
    """Places in parsed YAML that render an HTML template with Ansible's engine (module or lookup)."""
    found = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("template", "ansible.builtin.template", "ansible.legacy.template") and ".html" in str(value):
                found.append((where, key, value))
            found += _html_template_uses(value, where)
    elif isinstance(node, list):
        for value in node:
            found += _html_template_uses(value, where)
    elif isinstance(node, str) and re.search(r"lookup\(\s*['\"](ansible\.builtin\.)?template['\"][^)]*\.html", node):
        found.append((where, "lookup", node))
    return found


def test_no_task_renders_an_html_template_with_ansibles_engine():
    """ansible-core's engine turns autoescape off and ignores {% autoescape %} blocks: HTML goes through siak_render_html."""
    found = []
    for path in sorted(list((ROOT / "roles").rglob("*.yml")) + list((ROOT / "playbooks").rglob("*.yml"))
                       + list((ROOT / "molecule").rglob("*.yml"))):
        found += _html_template_uses(yaml.safe_load(path.read_text()), str(path.relative_to(ROOT)))
    assert found == []
    assert "siak_render_html('laporan.html.j2'" in (ROOT / "roles/siak_report/tasks/write.yml").read_text()
    assert "siak_render_html('riwayat.html.j2'" in (ROOT / "roles/siak_report/tasks/history.yml").read_text()
    assert "siak_render_html('ceklis-perangkat-keras.html.j2'" in (ROOT / "roles/siak_report/tasks/write.yml").read_text()


def test_ordinary_text_reads_as_before():
    records = [record("disk", "/srv/data", "CRITICAL", "Disk /srv/data terpakai 92 %", value=92.0, unit="%", warn=80,
                      crit=90, step=3, target=APP)]
    rnd = dict(_round(), regency="Pemerintah Kabupaten Paser", place="Paser",
               office="Dinas Kependudukan & Pencatatan Sipil", operator="Contoh Petugas", note="",
               ordered_by="Drs. Contoh", ordered_by_nip="197001012000031001", operator_nip="", unit="Bidang PIAK",
               timezone="WITA", admin_machine="admin", scope="siak-app01", previous=None)
    page = H.siak_render_html({"round": rnd, "summary": S.siak_summary(records, [APP])}, "laporan.html.j2", TEMPLATES)
    assert page.startswith("<!DOCTYPE html>\n<html lang=\"id\">\n") and page.endswith("</body>\n</html>\n")
    assert '<div class="l1">PEMERINTAH KABUPATEN PASER</div>' in page
    assert "DINAS KEPENDUDUKAN &amp; PENCATATAN SIPIL" in page
    assert "<td>Paser, 25 November 2026<br>" in page
    assert "<td>Drs. Contoh, NIP 197001012000031001</td>" in page
    assert '<td class="num">92 %</td><td class="num">80 / 90</td>' in page
    assert "<td>Disk /srv/data terpakai 92 %</td>" in page


# --- In a real browser (headless Chromium, no lab) -----------------------------------

needs_chromium = pytest.mark.skipif(not browser.available(), reason="chromium is not installed (scripts/setup.sh)")


def _dom(page_html, tmp_path, name):
    page = tmp_path / name
    page.write_text(page_html, encoding="utf-8")
    dom = browser.chromium("--dump-dom", page.as_uri(), timeout=60)
    assert dom.returncode == 0, dom.stderr[-2000:]
    assert "</html>" in dom.stdout, dom.stderr[-2000:]
    return dom.stdout


def _assert_nothing_ran(dom):
    # No element got the attribute (the payloads' own text names it, escaped, in text nodes).
    assert not re.search(r"<[a-z][^<>]*\sdata-pwned=", dom, re.IGNORECASE)
    assert "<title>PWNED</title>" not in dom
    assert not re.search(r"<script\b", dom, re.IGNORECASE)
    assert not FOREIGN_TAGS.search(dom)


@needs_chromium
def test_the_browser_catches_a_page_that_runs_a_payload(tmp_path):
    """The check below is not blind: a page that writes the payloads as markup is caught."""
    dom = _dom("<!DOCTYPE html><html><head><title>x</title></head><body><p>%s</p><p>%s</p></body></html>"
               % (SCRIPT, IMG), tmp_path, "raw.html")
    assert "<title>PWNED</title>" in dom and 'data-pwned="1"' in dom


@needs_chromium
def test_nothing_runs_in_the_report_in_a_browser(tmp_path):
    dom = _dom(_laporan(tag=True), tmp_path, "index.html")
    _assert_nothing_ran(dom)
    assert "<title>Laporan Hasil Pemeliharaan Aplikasi dan Jaringan SIAK - putaran-01</title>" in dom
    # The payloads are on the page as text (the DOM serialiser escapes <, > and & in text).
    for text in (WS, "Uplink Gi0/1 (%s) mati" % IMG, "Galat di log: " + BREAKOUT, "HTTP/1.1 500 " + SCRIPT,
                 "/srv/backup/siak%s.dmp" % SVG, JINJA, IMG.upper()):
        assert html.escape(text, quote=False) in dom, text


@needs_chromium
def test_nothing_runs_in_the_hardware_checklist_in_a_browser(tmp_path):
    dom = _dom(_ceklis(tag=True), tmp_path, "ceklis-perangkat-keras.html")
    _assert_nothing_ran(dom)
    assert "<title>Ceklis Penilaian Perangkat Keras - putaran-01</title>" in dom
    for text in ("<script>alert(1)</script>Ruang server", "02.06.03" + SCRIPT, "Suhu coretemp " + IMG, BREAKOUT):
        assert html.escape(text, quote=False) in dom, text


@needs_chromium
def test_nothing_runs_in_the_history_page_in_a_browser(tmp_path):
    dom = _dom(_riwayat(tag=True), tmp_path, "riwayat.html")
    _assert_nothing_ran(dom)
    assert html.escape(SCRIPT, quote=False) in dom and html.escape(SVG, quote=False) in dom
    hrefs = re.findall(r'href="([^"]*)"', dom)
    assert hrefs and not [h for h in hrefs if not re.fullmatch(r"[A-Za-z0-9._~%-]+/index\.html", h)], hrefs


def test_the_fixture_really_is_hostile():
    """Guard against a fixture that lost its teeth: the raw data carries every payload."""
    raw = json.dumps([_records(), _round(), _history()])
    for payload in PAYLOADS:
        assert json.dumps(payload)[1:-1] in raw


def test_the_office_and_the_sop_come_from_the_round_not_the_template():
    """Another regency's office: its names and SOP code are printed, and nothing of Paser's."""
    records = [record("disk", "/", "OK", "Disk / terpakai 10 %", step=3, target=APP)]
    rnd = dict(_round(), regency="Pemerintah Kota Contoh", office="Dinas Kependudukan dan Pencatatan Sipil Kota Contoh",
               unit="Bidang PIAK Kota Contoh", place="Kota Contoh", sop_code="001/SOP/CONTOH/2030", operator="A",
               ordered_by="B", note="", timezone="WIB", admin_machine="admin", scope="siak-app01", previous=None)
    page = H.siak_render_html({"round": rnd, "summary": S.siak_summary(records, [APP])}, "laporan.html.j2", TEMPLATES)
    assert '<div class="l1">PEMERINTAH KOTA CONTOH</div>' in page
    assert '<div class="l2">DINAS KEPENDUDUKAN DAN PENCATATAN SIPIL KOTA CONTOH</div>' in page
    assert '<div class="l3">Bidang PIAK Kota Contoh</div>' in page
    assert "<td>Kota Contoh, 25 November 2026<br>" in page
    assert "SOP 001/SOP/CONTOH/2030" in page
    history = H.siak_render_html({"history": [], "sop_code": "001/SOP/CONTOH/2030"}, "riwayat.html.j2", TEMPLATES)
    assert "SOP 001/SOP/CONTOH/2030" in history
    for text in (page, history):
        assert "paser" not in text.lower() and "005/SOP" not in text
    for template in TEMPLATES.glob("*.j2"):
        assert not re.search(r"paser|pemerintah|005/SOP", template.read_text(), re.IGNORECASE), template.name
