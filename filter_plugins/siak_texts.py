# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The report's own words in Bahasa Indonesia and English: a message catalogue keyed by id.

    siak_texts(lang)            {id: text} of the report's own text in ``lang`` ("id" or "en")
    siak_message(rec, lang)     a record's message in ``lang``: the record's ``message_en`` in
                                English, else a known Indonesian pattern translated
                                (MESSAGE_PATTERNS), else the Indonesian message as it is
    siak_category_text(cat, lang), siak_group_text(label, lang), siak_grade_text(grade, lang),
    siak_date_text(iso, lang, with_time)

Records keep their Indonesian messages in results.json; only what the report shows is
translated. The variable ``siak_report_lang`` ("id", the default, or "en") chooses.
"""

from __future__ import annotations

import re
from datetime import datetime

LANGS = ("id", "en")

# id -> (Bahasa Indonesia, English)
TEXTS = {
    "html_lang": ("id", "en"),
    "report_title": ("Laporan Hasil Pemeliharaan Aplikasi dan Jaringan SIAK", "SIAK Application and Network Maintenance Report"),
    "report_heading": ("LAPORAN HASIL PEMELIHARAAN APLIKASI DAN JARINGAN SIAK", "SIAK APPLICATION AND NETWORK MAINTENANCE REPORT"),
    "report_sub": ("beserta Ceklist Penilaian Aplikasi dan Jaringan SIAK", "with the SIAK application and network assessment checklist"),
    "round": ("Putaran", "Round"),
    # The English line under an Indonesian title (empty in English).
    "report_sub_en": ("Maintenance report of the SIAK application and network, with the assessment checklist", ""),
    "hw_sub_en": ("Hardware assessment checklist of the SIAK servers, workstations and switches", ""),
    "history_sub_en": ("History of maintenance rounds", ""),
    "decision": ("Ringkasan untuk keputusan", "Summary for decision"),
    "overall": ("Status keseluruhan", "Overall status"),
    "office_devices": ("perangkat kantor", "office devices"),
    "items_checked": ("Jumlah butir diperiksa", "Items checked"),
    "n_ok": ("normal", "OK"), "n_warning": ("peringatan", "warning"), "n_critical": ("kritis", "critical"),
    "n_unknown": ("tidak diketahui", "unknown"),
    "vs_previous": ("Dibanding putaran sebelumnya", "Compared with the previous round"),
    "no_previous": ("Belum ada putaran sebelumnya.", "No previous round."),
    "new_findings": ("temuan baru", "new findings"), "worse": ("memburuk", "worse"),
    "resolved": ("sudah normal kembali", "resolved"),
    "other_targets": ("Tujuan uji unjuk kerja di luar perangkat kantor (tidak dihitung sebagai perangkat kantor)",
                      "Performance-test targets outside the office (not counted as office devices)"),
    "findings": ("Temuan yang perlu ditindaklanjuti", "Findings that need action"),
    "no": ("No", "No"), "status": ("Status", "Status"), "devices": ("Perangkat", "Devices"),
    "finding": ("Temuan", "Finding"), "action": ("Tindakan yang disarankan", "Recommended action"),
    "actor": ("Pelaksana", "Who acts"), "device_word": ("perangkat", "devices"),
    "and_more": ("dan %d lainnya", "and %d more"), "items_word": ("butir", "items"),
    "no_findings": ("Tidak ada temuan: semua butir normal.", "No findings: every item is OK."),
    "changes": ("Perubahan sejak putaran sebelumnya", "Changes since the previous round"),
    "ch_new": ("Baru", "New"), "ch_worse": ("Memburuk", "Worse"), "ch_resolved": ("Normal kembali", "Resolved"),
    "none": ("tidak ada", "none"), "previously": ("sebelumnya", "previously"),
    "more_groups": ("dan %d kelompok lainnya", "and %d more groups"),
    "a_order": ("A. Perintah pemeliharaan (Langkah 1)", "A. Maintenance order (step 1)"),
    "round_no": ("Nomor putaran", "Round number"),
    "ordered_by": ("Diperintahkan oleh (Pejabat Fungsional SIAK)", "Ordered by (SIAK functional officer)"),
    "done_by": ("Dilaksanakan oleh (Petugas ADB)", "Carried out by (database administrator)"),
    "scope": ("Cakupan", "Scope"), "start_end": ("Mulai / selesai", "Start / end"),
    "admin_machine": ("Mesin admin", "Admin machine"), "note": ("Catatan", "Note"), "mode": ("Mode", "Mode"),
    "check_mode": ("Dijalankan dengan --check: pemeriksaan sama, tetapi keadaan untuk putaran berikutnya (posisi log, "
                   "sampel penghitung switch) tidak disimpan.", "Run with --check: the same checks, but the state for the "
                   "next round (log positions, switch counter samples) is not kept."),
    "step": ("Langkah", "Step"), "activity": ("Kegiatan", "Activity"), "standard": ("Mutu baku (waktu)", "Standard (time)"),
    "actual": ("Waktu pelaksanaan", "Time taken"), "minutes": ("menit", "min"), "seconds": ("detik", "s"),
    "over_standard": ("melebihi mutu baku", "over the standard"),
    "b_checklist": ("B. Ceklist Penilaian Aplikasi dan Jaringan SIAK (Langkah 2)",
                    "B. SIAK application and network assessment checklist (step 2)"),
    "device": ("Perangkat", "Device"), "kind": ("Jenis", "Kind"), "grade": ("Kondisi", "Condition"),
    "remark": ("Keterangan", "Remark"),
    "other_in_b": ("Tujuan uji unjuk kerja (langkah 4) di luar perangkat kantor, tidak termasuk dalam jumlah perangkat",
                   "Performance-test targets (step 4) outside the office, not counted as devices"),
    "legend_intro": ("Kondisi menurut semua butir langkah 2, 3 dan 4 (aturan pertama yang berlaku)",
                     "Condition from every item of steps 2, 3 and 4 (the first rule that applies)"),
    "hw_link": ("Perangkat keras tiap perangkat (prosesor, memori, disk, RAID, suhu, jaringan, UPS, catu daya, kipas) "
                "dan data asetnya", "Each device's hardware (processor, memory, disks, RAID, temperature, network, UPS, "
                "power, fans) and its asset data"),
    "hw_title": ("Ceklis Penilaian Perangkat Keras", "Hardware assessment checklist"),
    "step_items": ("butir", "items"),
    "summarised": ("Butir normal diringkas per perangkat; semua butir ada di results.json dan results.csv.",
                   "OK items are summarised per device; every item is in results.json and results.csv."),
    "category": ("Kategori", "Category"), "item": ("Butir", "Item"), "value": ("Nilai", "Value"),
    "thresholds": ("Ambang (peringatan / kritis)", "Thresholds (warning / critical)"),
    "ok_items": ("butir normal", "OK items"),
    "all_ok": ("Semua butir normal", "Every item OK"),
    "all_ok_tail": ("perangkat, jumlah butir", "devices, number of items"),
    "no_items": ("Tidak ada butir pada langkah ini.", "No item in this step."),
    "e_sign": ("E. Pengesahan", "E. Approval"),
    "closing": ("Demikian laporan hasil pemeliharaan aplikasi dan jaringan SIAK ini dibuat untuk dipergunakan "
                "sebagaimana mestinya.", "This report of the maintenance of the SIAK application and network is "
                "made to be used as appropriate."),
    "executor": ("Pelaksana,", "Carried out by,"), "adb": ("Petugas ADB", "Database administrator"),
    "acknowledged": ("Mengetahui,", "Acknowledged,"), "functional": ("Pejabat Fungsional SIAK", "SIAK functional officer"),
    "machine_data": ("Data mesin", "Machine data"), "for_spreadsheets": ("untuk Excel / LibreOffice", "for Excel / LibreOffice"),
    "history_link": ("riwayat putaran", "history of rounds"), "overview_link": ("ikhtisar", "overview"),
    "history_title": ("Riwayat Pemeliharaan Aplikasi dan Jaringan SIAK", "History of SIAK maintenance rounds"),
    "started": ("Mulai", "Started"), "operator": ("Petugas ADB", "Administrator"),
    "incomplete": ("Tidak selesai", "Incomplete"),
    "trends": ("Kecenderungan", "Trends"),
    "runner_link": ("Catatan pelaksanaan oleh ansible-runner (events, stdout, status)",
                    "The run as ansible-runner recorded it (events, stdout, status)"),
    "kept_rounds": ("putaran terakhir yang disimpan; putaran yang lebih lama dihapus otomatis beserta laporannya",
                    "latest rounds are kept; earlier rounds are removed automatically with their reports"),
    "only": ("Hanya", "Only the"),
    "overview_title": ("Ikhtisar butir pemeriksaan", "Overview of the checked items"),
    "search": ("Cari", "Search"), "search_hint": ("perangkat, butir, keterangan", "device, item, message"),
    "hw_heading": ("CEKLIS PENILAIAN PERANGKAT KERAS", "HARDWARE ASSESSMENT CHECKLIST"),
    "hw_sub": ("Langkah 2 (Penilaian)", "Step 2 (assessment)"),
    "device_count": ("Jumlah perangkat", "Devices"), "executor_adb": ("Pelaksana (Petugas ADB)",
                                                                      "Carried out by (administrator)"),
    "expected": ("Kondisi yang diharapkan", "Expected condition"), "found": ("Hasil", "Found"),
    "previous_round": ("Ronde sebelumnya", "Previous round"), "mark": ("Tanda", "Mark"),
    "fine_rows": ("butir sesuai atau tidak berlaku", "rows good or not applicable"),
    "not_applicable": ("tidak berlaku", "not applicable"), "grade_reason": ("Alasan kondisi", "Why this condition"),
    "hw_first_round": ("Belum ada data perangkat keras putaran sebelumnya untuk dibandingkan.",
                       "No hardware data of a previous round to compare with."),
    "no_devices": ("Tidak ada perangkat pada putaran ini.", "No device in this round."),
    "grade_legend_title": ("Keterangan kondisi", "Conditions"),
    "hw_legend_intro": ("Kondisi perangkat menurut butir-butirnya (aturan pertama yang berlaku)",
                        "A device's condition from its rows (the first rule that applies)"),
    "marks_legend": ("Tanda: Baik = sesuai kondisi yang diharapkan; Tidak = tidak sesuai atau tidak dapat dinilai "
                     "(lihat keterangan); Tidak berlaku = pemeriksaan ini tidak berlaku untuk perangkat tersebut.",
                     "Marks: Good = as expected; No = not as expected or could not be judged (see the remark); "
                     "Not applicable = this check does not apply to the device."),
    "sign": ("Pengesahan", "Approval"),
    "all": ("semua", "all"), "page": ("Halaman", "Page"), "of": ("dari", "of"), "report_link": ("laporan putaran ini", "this round's report"),
    "prev_round": ("putaran sebelumnya", "previous round"), "next_round": ("putaran berikutnya (di riwayat)", "next rounds (in the history)"),
}

CATEGORY_EN = {
    "reach": "Connectivity", "listen": "Service port", "disk": "Disk", "inode": "Inodes", "memory": "Memory",
    "swap": "Swap", "load": "CPU load", "uptime": "Uptime", "service": "Service", "time": "System time",
    "log": "System log", "backup": "Backup", "update": "Package updates", "raid": "RAID", "host": "Server",
    "device": "Device", "port": "Switch port", "port-errors": "Port errors", "cpu": "CPU", "switch": "Switch",
    "link": "Network", "http": "Application (HTTP)", "tcp": "TCP connection", "ping": "Network",
    "coverage": "Coverage", "check": "Check", "probe": "Performance test", "hw-system": "System",
    "hw-cpu": "Processor", "hw-memory": "Memory (RAM)", "hw-disk": "Physical disk", "hw-temp": "Temperature",
    "hw-net": "Network interface", "hw-ups": "UPS", "hw-power": "Power supply", "hw-fan": "Fan",
}

GROUP_EN = {"Server aplikasi": "Application server", "Server basis data": "Database server",
            "Server cadangan": "Backup server", "Server waktu": "Time server", "Server": "Server",
            "Komputer loket": "Counter workstation", "Switch": "Switch",
            "Tujuan uji unjuk kerja": "Performance-test target", "Perangkat lain": "Other target"}

MARK_EN = {"Baik": "Good", "Tidak": "No", "Tidak berlaku": "Not applicable"}

GRADE_EN = {"Baik": "Good", "Cukup": "Fair", "Kurang": "Poor", "Rusak": "Broken"}

MONTHS = {"id": ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
                 "November", "Desember"),
          "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                 "November", "December")}

# Known Indonesian messages of the checks without a message_en: (pattern, English with \\g<n>).
MESSAGE_PATTERNS = tuple((re.compile(p), e) for p, e in (
    (r"^Ruang disk (\S+) \((\S+)\) terpakai ([0-9.,]+)%, sisa (.+) dari (.+)\.$",
     r"Disk space \1 (\2) \3% used, \4 free of \5."),
    (r"^Inode (\S+) terpakai ([0-9.,]+)% \((.+) dari (.+)\)\.$", r"Inodes \1 \2% used (\3 of \4)."),
    (r"^Memori terpakai ([0-9.,]+) ?%(?: \(tersedia (.+) dari (.+)\))?\.?$", r"Memory \1% used."),
    (r"^Swap terpakai ([0-9.,]+)% \((.+) dari (.+)\)\.$", r"Swap \1% used (\2 of \3)."),
    (r"^Swap tidak dikonfigurasi\.$", r"No swap configured."),
    (r"^Layanan (\S+) berjalan\.$", r"Service \1 is running."),
    (r"^Layanan (\S+) TIDAK berjalan \((.*)\)\.$", r"Service \1 is NOT running (\2)."),
    (r"^Jam sistem tersinkron \((.*)\)\.$", r"The system clock is synchronised (\1)."),
    (r"^Jam sistem TIDAK tersinkron \((.*)\)\.$", r"The system clock is NOT synchronised (\1)."),
    (r"^Tidak ada pembaruan keamanan tertunda \((.*)\)\.$", r"No pending security updates (\1)."),
    (r"^([0-9]+) pembaruan keamanan tertunda \((.*)\)\.$", r"\1 pending security updates (\2)."),
    (r"^Pembaruan paket tidak dapat diperiksa \((.*?)\): (.*)$", r"Package updates cannot be checked (\1): \2"),
    (r"^Tidak ada baris galat di (\S+) sejak (.*)\.$", r"No error lines in \1 since \2."),
    (r"^Cadangan terakhir berumur (.+) hari$", r"The last backup is \1 days old"),
    (r"^Port (\S+) TIDAK terbuka: tidak ada layanan yang mendengarkan\.$", r"Port \1 is NOT open: nothing listens."),
    (r"^Uplink wajib mati \(link down\)$", r"A required uplink is down (link down)"),
    (r"^Port (\S+) terhubung \((.*)\)$", r"Port \1 is connected (\2)"),
    (r"^Galat (\S+) % dari paket \(([0-9]+) galat dalam ([0-9]+) detik\)$", r"Errors \1 % of packets (\2 errors in \3 s)"),
    (r"^Kehilangan paket ke (\S+) (\S+)% \((.*) dari (.*)\)$", r"Packet loss to \1 \2% (\3 of \4)"),
    (r"^Waktu pulang-pergi ke (\S+) rata-rata (\S+) ms(.*)$", r"Round trip to \1 averages \2 ms"),
    (r"^Suhu (.*) °C$", r"Temperature \1 °C"),
    (r"^Tidak diperiksa: (.*)$", r"Not checked: \1"),
    (r"^Target tidak dapat dihubungi: (.*)$", r"Target cannot be reached: \1"),
))


def _lang(lang):
    return "en" if str(lang or "id").lower().startswith("en") else "id"


def siak_texts(lang="id"):
    """The report's own text in ``lang``: {id: text}."""
    index = 1 if _lang(lang) == "en" else 0
    return {key: pair[index] for key, pair in TEXTS.items()}


_CSS_UNSAFE = re.compile(r"[^A-Za-z0-9 ._,:/()&+-]")


def siak_css_string(text):
    """Text for a CSS string (a printed page header): only letters, digits and plain punctuation are kept."""
    return _CSS_UNSAFE.sub("", str(text or ""))[:120]


def siak_message(rec, lang="id"):
    """A record's message as the report shows it in ``lang`` (results.json keeps the Indonesian one)."""
    message = str(rec.get("message") or "")
    if _lang(lang) != "en":
        return message
    if rec.get("message_en"):
        return str(rec["message_en"])
    for pattern, english in MESSAGE_PATTERNS:
        if pattern.match(message):
            return pattern.sub(english, message)
    return message


def siak_category_text(category, lang="id", indonesian=None):
    """A category's name in ``lang`` (``indonesian``: the Indonesian name, from siak_category_label)."""
    if _lang(lang) == "en":
        return CATEGORY_EN.get(category, category)
    return indonesian if indonesian is not None else category


def siak_group_text(label, lang="id"):
    return GROUP_EN.get(label, label) if _lang(lang) == "en" else label


def siak_grade_text(grade, lang="id"):
    """A grade (or a checklist mark, or "Tidak berlaku") in ``lang``."""
    if _lang(lang) != "en":
        return grade
    return GRADE_EN.get(grade) or MARK_EN.get(grade) or ("Not applicable" if grade == "Tidak berlaku" else grade)


def siak_date_text(iso, lang="id", with_time=True):
    """An ISO time as the report writes it: "25 November 2026 21.24" / "25 November 2026 21:24"."""
    try:
        moment = datetime.fromisoformat(str(iso))
    except ValueError:
        return str(iso)
    text = "%d %s %d" % (moment.day, MONTHS[_lang(lang)][moment.month - 1], moment.year)
    if with_time:
        text += (" %02d:%02d" if _lang(lang) == "en" else " %02d.%02d") % (moment.hour, moment.minute)
    return text


class FilterModule:
    """Report language filters."""

    def filters(self):
        return {"siak_texts": siak_texts, "siak_message": siak_message, "siak_category_text": siak_category_text,
                "siak_group_text": siak_group_text, "siak_grade_text": siak_grade_text,
                "siak_date_text": siak_date_text, "siak_css_string": siak_css_string}
