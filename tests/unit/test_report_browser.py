"""The documents in a real headless Chromium (no lab), from fixture rounds (tests/report_fixtures.py).

- the overview page filters its rows offline, with no console error;
- the report and the history page (with its SVG trends) run no script and log no error;
- scripts/pdf.sh prints the report and the hardware checklist to A4 PDF: the header and
  the page number on every page, every device in the text (nothing cut), the signature
  block whole on the last page (the text of each page read with pdftotext).

Chromium starts once per test (each test needs its own page); the pages are built once
per module.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .. import chromium as browser
from .. import report_fixtures as F

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "reports" / "templates"
sys.path.insert(0, str(ROOT / "filter_plugins"))
import siak_hardware as HW  # noqa: E402
import siak_html as H  # noqa: E402
import siak_trends as TR  # noqa: E402

pytestmark = pytest.mark.skipif(not browser.available(), reason="chromium is not installed (scripts/setup.sh)")
needs_pdftotext = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils is not installed "
                                                                              "(scripts/setup.sh)")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    """A round folder of a 30-device office: report, checklist, overview; and a history page with trends."""
    path = tmp_path_factory.mktemp("round")
    rounds = F.rounds(4, hosts=24, switches=6, seed=5)
    data, previous = rounds[-1], rounds[-2]
    summary = F.summary_of(data, previous)
    rnd = dict(data["round"], previous=previous["round"]["id"])
    (path / "index.html").write_text(H.siak_render_html({"round": rnd, "summary": summary, "report": {}},
                                                        "laporan.html.j2", TEMPLATES), encoding="utf-8")
    section = HW.siak_hardware_section({}, data["targets"], data["records"])
    checklist = HW.siak_hardware_checklist(section, data["records"], summary["targets"])
    (path / "ceklis-perangkat-keras.html").write_text(H.siak_render_html(
        {"round": rnd, "checklist": checklist}, "ceklis-perangkat-keras.html.j2", TEMPLATES), encoding="utf-8")
    (path / "ikhtisar.html").write_text(H.siak_render_html({"round": rnd, "records": data["records"]},
                                                           "ikhtisar.html.j2", TEMPLATES), encoding="utf-8")
    charts = TR.siak_trend_charts([{"id": r["round"]["id"], "started": r["round"]["started"], "records": r["records"]}
                                   for r in rounds])
    (path / "riwayat.html").write_text(H.siak_render_html({"history": [], "sop_code": "005/SOP/DKPS/II/2024",
                                                           "trend_groups": [{"office": "", "charts": charts}]},
                                                          "riwayat.html.j2", TEMPLATES),
                                       encoding="utf-8")
    return {"path": path, "data": data, "round": rnd, "summary": summary}


def _load(page, fragment=""):
    """The DOM after the page's scripts ran, and the console messages Chromium logged."""
    done = browser.chromium("--enable-logging=stderr", "--v=0", "--dump-dom", page.as_uri() + fragment, timeout=90)
    assert done.returncode == 0 and "</html>" in done.stdout, done.stderr[-2000:]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console


def _visible_rows(dom):
    """(all rows, shown rows) of the overview's table as (hidden, status, category, device)."""
    body = dom.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    rows = []
    for tag in re.findall(r"<tr\b[^>]*>", body):
        attrs = dict(re.findall(r'([a-z-]+)="([^"]*)"', tag))
        rows.append(("hidden" in attrs.get("class", "").split(), attrs["data-status"], attrs["data-category"],
                     attrs["data-device"]))
    return rows, [r for r in rows if not r[0]]


def test_the_overview_filters_by_status_and_category(folder):
    records = folder["data"]["records"]
    dom, console = _load(folder["path"] / "ikhtisar.html", "#status=OK&category=disk")
    assert console == []
    rows, shown = _visible_rows(dom)
    assert len(rows) == len(records)
    expected = [r for r in records if r["status"] == "OK" and r["category"] == "disk"]
    assert expected and len(shown) == len(expected)
    assert all(s[1] == "OK" and s[2] == "disk" for s in shown)
    assert '<span id="shown">%d</span>' % len(expected) in dom


def test_the_overview_searches_text_within_a_device(folder):
    records = folder["data"]["records"]
    device = sorted({r["target"] for r in records if r["category"] == "port"})[0]
    dom, console = _load(folder["path"] / "ikhtisar.html", "#device=%s&q=gi0/1" % device)
    assert console == []
    _rows, shown = _visible_rows(dom)
    expected = [r for r in records if r["target"] == device and "gi0/1" in (
        "%s %s %s" % (r["item"], r["message"], r["target"])).lower()]
    assert expected and len(shown) == len(expected)   # Gi0/1, Gi0/10.. of sw-01 only
    assert {s[3] for s in shown} == {device}


def test_the_report_and_the_history_run_nothing_and_log_no_error(folder):
    dom, console = _load(folder["path"] / "index.html")
    assert console == [] and "<script" not in dom
    dom, console = _load(folder["path"] / "riwayat.html")
    assert console == [] and "<script" not in dom
    assert dom.count("<svg") == 5 and dom.count("<polyline") >= 5


def _pages(pdf):
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))
    size = re.search(r"^Page size:\s+([\d.]+) x ([\d.]+) pts", info, re.MULTILINE)
    texts = [subprocess.run(["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(pdf), "-"], capture_output=True,
                            text=True, check=True).stdout for n in range(1, count + 1)]
    return (float(size.group(1)), float(size.group(2))), texts


@needs_pdftotext
def test_the_report_prints_to_a4_with_its_header_on_every_page_and_the_signature_whole(folder):
    path = folder["path"]
    done = subprocess.run(["bash", str(ROOT / "scripts" / "pdf.sh"), str(path)], capture_output=True, text=True,
                          timeout=240, check=False)
    assert done.returncode == 0, done.stderr
    assert (path / "laporan.pdf").stat().st_size > 0 and (path / "ceklis-perangkat-keras.pdf").stat().st_size > 0
    size, pages = _pages(path / "laporan.pdf")
    assert abs(size[0] - 595.3) < 2 and abs(size[1] - 841.9) < 2          # A4
    # A district office of 30 devices prints in a handful of pages.
    assert 2 <= len(pages) <= 8, len(pages)
    header = "Laporan Hasil Pemeliharaan Aplikasi dan Jaringan SIAK - %s" % folder["round"]["id"]
    for number, text in enumerate(pages, 1):
        assert header in text, number
        assert "Halaman %d dari %d" % (number, len(pages)) in text, number
    # The decision is on page 1: the status, every device's grade, the grouped findings.
    assert "Ringkasan untuk keputusan" in pages[0] and "Temuan yang perlu ditindaklanjuti" in pages[0]
    assert "Perubahan sejak putaran sebelumnya" in pages[0]
    for t in folder["summary"]["targets"]:   # every device's grade at a glance, on page 1
        assert "%s · %s" % (t["target"], t["grade"]) in pages[0], t["target"]
    # Nothing cut: every device's name is in the text.
    whole = "\n".join(pages)
    for target in folder["data"]["targets"]:
        assert target in whole, target
    # The signature block is whole, on the last page.
    last = pages[-1]
    for words in ("E. Pengesahan", "Pelaksana,", "Mengetahui,", "Pejabat Fungsional SIAK", folder["round"]["operator"],
                  folder["round"]["ordered_by"], "NIP " + folder["round"]["operator_nip"],
                  "NIP " + folder["round"]["ordered_by_nip"]):
        assert words in last, words
    for words in ("E. Pengesahan", "Mengetahui,", "Demikian laporan"):
        assert all(words not in text for text in pages[:-1]), words
    size, pages = _pages(path / "ceklis-perangkat-keras.pdf")
    assert abs(size[0] - 595.3) < 2
    for number, text in enumerate(pages, 1):
        assert "Ceklis Penilaian Perangkat Keras - %s" % folder["round"]["id"] in text, number
        assert "Halaman %d dari %d" % (number, len(pages)) in text, number
    assert "Pengesahan" in pages[-1] and "Pejabat Fungsional SIAK" in pages[-1]
