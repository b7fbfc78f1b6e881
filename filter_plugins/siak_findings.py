# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""The first page's findings: the problems of a round grouped by cause across devices.

    siak_finding_groups(problems, kinds=None, lang="id")
        records that are not OK -> one entry per cause (FINDING_RULES and the record's
        normalised message), worst first, each naming its devices, a recommended action
        in plain words and who should act (ACTORS).

Seven workstations that cannot check their package updates for the same reason give one
line "7 perangkat: ...", not seven. The cause, the action and the actor come from the
table below, never from the templates. A rule matches a record by ``category`` (and,
when given, ``item`` and ``message`` regular expressions and ``status``); the first that
matches applies; DEFAULT_RULE applies to the rest, so no finding is ever dropped. A rule
with ``by_message`` false groups its records whatever their words (an unreachable device
is one cause, whichever SSH error it gave).
"""

from __future__ import annotations

import os
import re

import ansible.module_utils as _ansible_module_utils

_MODULE_UTILS = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "module_utils")
if _MODULE_UTILS not in _ansible_module_utils.__path__:
    _ansible_module_utils.__path__.append(_MODULE_UTILS)

from ansible.module_utils.siak_result import SEVERITY  # noqa: E402  pylint: disable=wrong-import-position

# Who acts on a finding: (Bahasa Indonesia, English).
ACTORS = {
    "adb": ("Petugas ADB", "Database administrator (Petugas ADB)"),
    "vendor": ("Vendor / penyedia perangkat (melalui Petugas ADB)", "The hardware vendor (through the administrator)"),
    "helpdesk": ("Helpdesk Ditjen Dukcapil (pusat), dilaporkan oleh Petugas ADB",
                 "The national helpdesk (Ditjen Dukcapil), reported by the administrator"),
    "isp": ("Penyedia jaringan (ISP) / pengelola jaringan kantor", "The network provider / the office's network team"),
}

_UNJUDGED = ("UNKNOWN",)
_PROBLEM = ("WARNING", "CRITICAL")

# (id, match, cause id/en, action id/en, actor). First match wins.
FINDING_RULES = (
    # A target that let Ansible in but never finished its check (a task's time limit).
    {"id": "no-answer", "category": r"^(reach|check)$",
     "message": r"(?:tidak menjawab dalam|did not answer within) [0-9]+ (?:detik|s)\b",
     "cause": ("perangkat tidak menjawab pemeriksaan dalam batas waktu (macet atau sangat sibuk)",
               "the device did not answer the check in time (hung or overloaded)"),
     "action": ("Periksa perangkat di tempat: beban, memori, disk (dmesg, SMART) dan proses yang macet; nyalakan ulang "
                "bila perlu, lalu ulangi pemeriksaan.", "Check the device on site: load, memory, disks (dmesg, SMART) "
                "and hung processes; restart it if need be, then check again."),
     "actor": "adb"},
    # A value of the inventory that Ansible or a role refuses (ansible_port: 22a, a list written
    # as text where a mapping is expected, a threshold "80%" or above its critical one, a
    # missing password): the target (or the workstation a probe runs from) was never tried,
    # so it is no network fault. The message names the setting.
    {"id": "inventory-value",
     "message": r"Validation of arguments failed|Error processing keyword '|connection plugin '[^']*' was not found|"
                r"is not a port number|a list is expected|must be a mapping of inventory group|'\w+' is undefined|"
                r"the warning threshold must not be|^Uji tidak dijalankan: siak_perf_probes|_pct \(\S+\) must be 0 to 100",
     "cause": ("pengaturan perangkat ini di inventaris salah atau tidak ada; perangkat belum dicoba diperiksa",
               "a setting of this device in the inventory is wrong or missing; the device was not tried"),
     "action": ("Perbaiki nilai yang disebut di keterangan, di inventaris (hosts.yml, group_vars atau host_vars): "
                "keyword 'port' adalah ansible_port, 'timeout' ansible_timeout, 'become' ansible_become, connection "
                "plugin ansible_connection; lalu ulangi pemeriksaan.",
                "Correct the value the message names, in the inventory (hosts.yml, group_vars or host_vars): keyword "
                "'port' is ansible_port, 'timeout' ansible_timeout, 'become' ansible_become, a connection plugin "
                "ansible_connection; then check again."),
     "actor": "adb"},
    # OpenSSH refused the host's key (strict checking): a host never accepted, or one whose key
    # changed. The network is fine; "check the cable" would send the technician the wrong way.
    {"id": "host-key-changed", "category": r"^(reach|check|probe)$", "by_message": False,
     "message": r"Host key for \S+ has changed",
     "cause": ("kunci SSH perangkat berubah sejak diterima (dipasang ulang, diganti, atau sambungan disadap)",
               "the device's SSH host key changed since it was accepted (reinstalled, replaced, or intercepted)"),
     "action": ("Jangan hapus kunci lama begitu saja: tanyakan apakah server dipasang ulang atau diganti, dan cocokkan "
                "sidik jari di konsol server (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub). Bila cocok, ganti "
                "kuncinya di known_hosts (ssh-keygen -R <alamat>, lalu ssh-keyscan); bila tidak, laporkan sebagai "
                "kemungkinan penyadapan.",
                "Do not just remove the old key: ask whether the server was reinstalled or replaced, and compare the "
                "fingerprint on the server's console (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub). If it "
                "matches, replace the key in known_hosts (ssh-keygen -R <address>, then ssh-keyscan); if not, report a "
                "possible interception."),
     "actor": "adb"},
    {"id": "host-key-unknown", "category": r"^(reach|check|probe)$", "by_message": False,
     "message": r"No \S+ host key is known for|Host key verification failed",
     "cause": ("kunci SSH perangkat belum diterima di mesin admin (known_hosts)",
               "the device's SSH host key has not been accepted on the admin machine (known_hosts)"),
     "action": ("Terima kunci host sekali: ssh-keyscan <alamat>, cocokkan sidik jarinya dengan konsol server, lalu "
                "tambahkan ke known_hosts operator (README, langkah 6 \"Pointing it at a real office\"); lalu ulangi "
                "pemeriksaan.",
                "Accept the host's key once: ssh-keyscan <address>, compare its fingerprint with the server's console, "
                "then add it to the operator's known_hosts (README, step 6 of \"Pointing it at a real office\"); then "
                "check again."),
     "actor": "adb"},
    # One cause whatever the SSH error says; the steps it could not check are the same cause.
    {"id": "unreachable", "category": r"^(reach|check|probe)$", "item": r"^(ssh|langkah [234])$",
     "message": r"^(?!Tidak diperiksa: )|^Tidak diperiksa: Target tidak dapat dihubungi", "by_message": False,
     "cause": ("perangkat tidak dapat dihubungi", "the device cannot be reached"),
     "action": ("Periksa apakah perangkat menyala, kabel jaringan terpasang dan alamatnya benar; lalu ulangi "
                "pemeriksaan.", "Check that the device is on, its network cable is plugged in and its address is "
                "right; then check again."),
     "actor": "adb"},
    # The login works but no module can start: no temporary folder it can write (Python's
    # tempfile found none, or the disk is full or read-only). On a server that is the disk.
    # Step 3's "not checked" record of that host names the same cause.
    {"id": "no-room", "category": r"^(reach|check)$",
     "message": r"No usable temporary directory|No space left on device|Disk quota exceeded|Read-only file system",
     "cause": ("perangkat menjawab tetapi tidak dapat diperiksa: disknya penuh atau hanya-baca (tidak ada folder "
               "sementara yang dapat ditulisi)", "the device answers but cannot be checked: its disk is full or "
               "read-only (no temporary folder it can write)"),
     "action": ("Periksa ruang disk di perangkat (df -h) dan kosongkan berkas lama (log, cadangan lama); bila disk "
                "hanya-baca, periksa kesehatan disk (dmesg, SMART). Lalu ulangi pemeriksaan.",
                "Check the device's disk space (df -h) and remove old files (logs, old backups); if the disk is "
                "read-only, check the disk's health (dmesg, SMART). Then check again."),
     "actor": "adb"},
    # Python itself refused Ansible's module code: an interpreter older than ansible-core 2.19
    # supports on a managed host (3.8; CentOS 7 has 2.7 and 3.6).
    {"id": "old-python", "category": r"^(reach|check)$",
     "message": r"SyntaxError: (?:invalid syntax|future feature annotations is not defined)",
     "cause": ("perangkat menjawab tetapi tidak dapat diperiksa: Python di perangkat terlalu lama untuk Ansible "
               "(perlu Python 3.8 atau lebih baru)", "the device answers but cannot be checked: its Python is too "
               "old for Ansible (Python 3.8 or newer is needed)"),
     "action": ("Pasang Python 3.8 atau lebih baru di perangkat (CentOS/RHEL 7: rh-python38 dari Software "
                "Collections; RHEL/Rocky/Oracle Linux 8, yang python3-nya 3.6: dnf install python39) dan tulis "
                "jalurnya sebagai ansible_python_interpreter di host_vars perangkat itu; lalu ulangi pemeriksaan.",
                "Install Python 3.8 or newer on the device (CentOS/RHEL 7: rh-python38 from Software Collections; "
                "RHEL/Rocky/Oracle Linux 8, whose python3 is 3.6: dnf install python39) and set its path as "
                "ansible_python_interpreter in that device's host_vars; then check again."),
     "actor": "adb"},
    # sudo refuses to run without a terminal (requiretty), which Ansible's pipelining has not.
    {"id": "sudo-tty", "category": r"^(reach|check)$", "message": r"must have a tty to run sudo",
     "cause": ("perangkat menjawab tetapi tidak dapat diperiksa: sudo di perangkat hanya mau berjalan dari terminal "
               "(requiretty)", "the device answers but cannot be checked: its sudo runs only from a terminal "
               "(requiretty)"),
     "action": ("Matikan requiretty untuk akun pemeliharaan di perangkat (visudo: Defaults:<akun> !requiretty), atau "
                "tulis ansible_pipelining: false di host_vars perangkat itu; lalu ulangi pemeriksaan.",
                "Turn requiretty off for the maintenance account on the device (visudo: Defaults:<account> "
                "!requiretty), or set ansible_pipelining: false in that device's host_vars; then check again."),
     "actor": "adb"},
    # sudo asks for a password the inventory does not give, or not the one it gives, or the
    # account may not use sudo at all.
    {"id": "sudo-password", "category": r"^(reach|check|probe)$",
     "message": r"Missing sudo password|Incorrect sudo password|a password is required|not in the sudoers file|"
                r"is not allowed to execute",
     "cause": ("perangkat menjawab tetapi tidak dapat diperiksa: sudo di perangkat meminta kata sandi yang tidak "
               "diberikan atau salah, atau akun pemeliharaan tidak boleh memakai sudo",
               "the device answers but cannot be checked: its sudo asks for a password that is not given or is "
               "wrong, or the maintenance account may not use sudo"),
     "action": ("Tulis kata sandi sudo akun pemeliharaan di vault inventaris (ansible_become_password, lihat "
                "group_vars/siak_hosts/vault.yml.example), atau izinkan akun itu memakai sudo tanpa kata sandi "
                "(/etc/sudoers.d: <akun> ALL=(ALL) NOPASSWD: ALL, periksa dengan visudo -c); lalu ulangi pemeriksaan.",
                "Put the maintenance account's sudo password in the inventory's vault (ansible_become_password, see "
                "group_vars/siak_hosts/vault.yml.example), or let that account use sudo without a password "
                "(/etc/sudoers.d: <account> ALL=(ALL) NOPASSWD: ALL, checked with visudo -c); then check again."),
     "actor": "adb"},
    {"id": "no-modules", "category": "reach",
     "cause": ("perangkat menjawab tetapi tidak dapat diperiksa", "the device answers but cannot be checked"),
     "action": ("Periksa akun pemeliharaan, hak sudo dan Python di perangkat.",
                "Check the maintenance account, its sudo rights and Python on the device."),
     "actor": "adb"},
    {"id": "coverage", "category": "coverage",
     "cause": ("pemeriksaan yang diharapkan tidak ada hasilnya", "an expected check gave no result"),
     "action": ("Jalankan ulang putaran untuk perangkat ini dan baca log Ansible.",
                "Run the round again for this device and read the Ansible log."),
     "actor": "adb"},
    {"id": "reboot-required", "category": "update", "item": r"^reboot$", "status": _PROBLEM, "by_message": False,
     "cause": ("pembaruan yang sudah terpasang menunggu nyala ulang", "installed updates wait for a restart"),
     "action": ("Jadwalkan nyala ulang perangkat di luar jam layanan, setelah cadangan data berhasil; untuk server "
                "basis data, hentikan basis data dengan benar lebih dulu.",
                "Schedule a restart of the device outside service hours, after a good backup; on the database "
                "server, shut the database down cleanly first."),
     "actor": "adb"},
    {"id": "update-unchecked", "category": "update", "status": _UNJUDGED,
     "cause": ("pembaruan paket tidak dapat diperiksa", "package updates cannot be checked"),
     "action": ("Pastikan perangkat dapat menghubungi repositori paket (proksi, DNS, cermin lokal).",
                "Make sure the device can reach its package repository (proxy, DNS, local mirror)."),
     "actor": "adb"},
    {"id": "update-pending", "category": "update",
     "cause": ("pembaruan keamanan tertunda", "security updates are pending"),
     "action": ("Pasang pembaruan keamanan di luar jam layanan, setelah cadangan data berhasil.",
                "Install the security updates outside service hours, after a good backup."),
     "actor": "adb"},
    # A filesystem the kernel remounted read-only (errors=remount-ro): space is not the cause.
    {"id": "disk-readonly", "category": "disk", "status": _PROBLEM, "by_message": False,
     "message": r"padahal /etc/fstab memasangnya baca-tulis",
     "cause": ("sistem berkas terpasang hanya-baca, biasanya karena galat disk",
               "a filesystem is mounted read-only, usually after disk errors"),
     "action": ("Jangan menyalakan ulang dulu: salin data yang masih terbaca dan pastikan ada cadangan terbaru. Baca "
                "'dmesg' dan periksa kesehatan disk (SMART, daftar periksa perangkat keras). Perbaiki sistem berkas "
                "dengan fsck di luar jam layanan; bila disknya rusak, ganti melalui vendor.",
                "Do not restart yet: copy the data that still reads and make sure a recent backup exists. Read "
                "'dmesg' and check the disk's health (SMART, the hardware checklist). Repair the filesystem with fsck "
                "outside service hours; if the disk is failing, have the vendor replace it."),
     "actor": "adb"},
    {"id": "disk-readonly-unlisted", "category": "disk", "status": _PROBLEM, "by_message": False,
     "message": r"hanya-baca \(read-only\) dan tidak tercantum di /etc/fstab",
     "cause": ("sistem berkas terpasang hanya-baca dan tidak tercantum di /etc/fstab",
               "a filesystem is mounted read-only and /etc/fstab does not list it"),
     "action": ("Bila memang disengaja, tulis sistem berkas itu dengan opsi 'ro' di /etc/fstab (atau kecualikan lewat "
                "siak_host_check_disk_exclude). Bila tidak, baca 'dmesg' dan periksa kesehatan disk sebelum "
                "memasangnya ulang baca-tulis.",
                "If it is meant, list the filesystem with the option 'ro' in /etc/fstab (or leave it out with "
                "siak_host_check_disk_exclude). If not, read 'dmesg' and check the disk's health before mounting it "
                "read-write again."),
     "actor": "adb"},
    {"id": "disk-full", "category": "disk", "status": _PROBLEM,
     "cause": ("ruang disk hampir penuh", "disk space is running out"),
     "action": ("Hapus atau pindahkan berkas lama (log, cadangan lama); bila tetap penuh, tambah kapasitas disk.",
                "Remove or move old files (logs, old backups); if it stays full, add disk capacity."),
     "actor": "adb"},
    {"id": "inode-full", "category": "inode", "status": _PROBLEM,
     "cause": ("inode hampir habis", "inodes are running out"),
     "action": ("Hapus berkas kecil yang menumpuk (sesi, antrean, cache).",
                "Remove piled-up small files (sessions, queues, caches)."),
     "actor": "adb"},
    {"id": "resources", "category": r"^(memory|swap|load|cpu)$", "status": _PROBLEM,
     "cause": ("sumber daya (memori/CPU) terlalu terpakai", "memory or CPU is overused"),
     "action": ("Cari proses yang paling banyak memakai sumber daya; bila berulang, tambah memori.",
                "Find the processes that use the most; if it recurs, add memory."),
     "actor": "adb"},
    {"id": "service-down", "status": _PROBLEM, "category": r"^(service|listen)$",
     "cause": ("layanan tidak berjalan", "a service is not running"),
     "action": ("Jalankan ulang layanan dan baca lognya; bila layanan SIAK tetap mati, hubungi helpdesk pusat.",
                "Restart the service and read its log; if a SIAK service stays down, call the national helpdesk."),
     "actor": "adb"},
    # A host kept in another time zone: its clock may be right, its local times are not.
    {"id": "time-zone", "status": _PROBLEM, "category": "time", "item": r"^zone$", "by_message": False,
     "cause": ("zona waktu perangkat berbeda dari zona kantor", "the device keeps another time zone than the office's"),
     "action": ("Setel zona waktu kantor (mis. timedatectl set-timezone Asia/Makassar), lalu mulai ulang layanan "
                "aplikasi dan basis data agar mencatat waktu setempat yang benar.",
                "Set the office's time zone (e.g. timedatectl set-timezone Asia/Makassar), then restart the "
                "application and database services so that they record the right local time."),
     "actor": "adb"},
    {"id": "time-zone-value", "status": _UNJUDGED, "category": "time", "item": r"^zone$", "by_message": False,
     "cause": ("zona waktu kantor di inventaris tidak dikenal", "the office's time zone in the inventory is not known"),
     "action": ("Perbaiki siak_host_check_time_zone (atau siak_order_timezone) di inventaris: nama IANA seperti "
                "Asia/Makassar, Asia/Jakarta atau Asia/Jayapura.",
                "Correct siak_host_check_time_zone (or siak_order_timezone) in the inventory: an IANA name such as "
                "Asia/Makassar, Asia/Jakarta or Asia/Jayapura."),
     "actor": "adb"},
    {"id": "time", "status": _PROBLEM, "category": "time", "item": r"^sync$",
     "cause": ("jam sistem tidak tersinkron", "the system clock is not synchronised"),
     "action": ("Periksa layanan NTP (chrony) dan server waktu kantor.",
                "Check the NTP service (chrony) and the office's time server."),
     "actor": "adb"},
    {"id": "log", "status": _PROBLEM, "category": "log",
     "cause": ("ada galat di log sistem", "errors in the system log"),
     "action": ("Baca baris galat di log dan tindak lanjuti penyebabnya.",
                "Read the error lines in the log and follow up on their cause."),
     "actor": "adb"},
    # A fresh backup far smaller than the same job's previous one: age is not the cause.
    {"id": "backup-shrunk", "status": _PROBLEM, "category": "backup", "by_message": False,
     "message": r"Jauh lebih kecil dari cadangan sebelumnya",
     "cause": ("cadangan terbaru jauh lebih kecil dari sebelumnya, mungkin terpotong",
               "the newest backup is far smaller than the previous one, maybe cut short"),
     "action": ("Baca log pekerjaan pencadangan malam itu (exp/expdp, RMAN) dan ruang disk tujuannya; ulangi "
                "pencadangan dan uji pemulihannya sebelum cadangan lama terhapus.",
                "Read that night's backup job log (exp/expdp, RMAN) and the free space where it writes; run the "
                "backup again and test a restore before the older backups are removed."),
     "actor": "adb"},
    {"id": "backup", "status": _PROBLEM, "category": "backup",
     "cause": ("cadangan data tidak mutakhir", "the data backup is not up to date"),
     "action": ("Jalankan cadangan data sekarang dan periksa jadwal cadangannya.",
                "Run a backup now and check its schedule."),
     "actor": "adb"},
    # A hardware state that could not be read is no fault of the part: the reading lacks a
    # tool or its rights (an office without smartmontools would call the vendor for every disk).
    {"id": "hardware-tool", "category": r"^(raid|hw-.*)$", "status": _UNJUDGED,
     "message": r"smartctl (?:tidak terpasang|butuh hak root)|upsc tidak terpasang",
     "cause": ("alat pembaca perangkat keras tidak terpasang atau tidak punya hak di perangkat",
               "a tool that reads the hardware is missing on the device or lacks rights there"),
     "action": ("Pasang alat yang disebut di perangkat (smartctl: paket smartmontools; upsc: paket nut-client) dan "
                "jalankan pemeriksaan dengan sudo (ansible_become); lalu ulangi pemeriksaan.",
                "Install the tool named on the device (smartctl: package smartmontools; upsc: package nut-client) "
                "and run the check with sudo (ansible_become); then check again."),
     "actor": "adb"},
    {"id": "hardware-unread", "category": r"^(raid|hw-.*)$", "status": _UNJUDGED,
     "cause": ("keadaan perangkat keras tidak terbaca", "the hardware state could not be read"),
     "action": ("Periksa keterangannya: perbaiki yang disebut di sana (alat, hak akses, perintah yang ditolak "
                "perangkat), atau periksa bagian itu langsung di perangkat; lalu ulangi pemeriksaan.",
                "Read its message: fix what it names (a tool, a right, a command the device refused), or check "
                "that part on the device itself; then check again."),
     "actor": "adb"},
    {"id": "hardware", "category": r"^(raid|hw-.*)$",
     "cause": ("perangkat keras bermasalah", "a hardware fault"),
     "action": ("Catat nomor seri dan ajukan perbaikan atau penggantian ke vendor / penyedia.",
                "Note the serial number and ask the vendor to repair or replace it."),
     "actor": "vendor"},
    {"id": "office-service", "status": _PROBLEM, "step": 4, "where": "office",
     "cause": ("layanan di kantor lambat atau tidak menjawab", "a service in the office is slow or does not answer"),
     "action": ("Periksa beban dan layanan perangkat ini (langkah 3) serta jaringan kantor.",
                "Check this device's load and services (step 3) and the office network."),
     "actor": "adb"},
    {"id": "datacentre", "status": _PROBLEM, "step": 4,
     "cause": ("layanan atau jaringan ke pusat data lambat / terputus",
               "the service or the network to the data centre is slow or down"),
     "action": ("Uji ulang dari kantor; bila gangguan di luar kantor, laporkan ke helpdesk pusat dengan waktu "
                "kejadian.", "Test again from the office; if the fault is outside the office, report it to the "
                "national helpdesk with the time it happened."),
     "actor": "helpdesk"},
    {"id": "port-first-sample", "category": "port-errors", "status": _UNJUDGED, "message": r"^Belum ada sampel",
     "cause": ("laju galat port belum dapat dihitung (putaran pertama)", "port error rates cannot be computed yet "
               "(first round)"),
     "action": ("Tidak perlu tindakan: laju galat dihitung mulai putaran berikutnya.",
                "No action: the error rate is computed from the next round on."),
     "actor": "adb"},
    # A required uplink up at a lower speed: the link works, the cable does not (one broken pair).
    {"id": "uplink-slow", "status": _PROBLEM, "category": "port", "by_message": False,
     "message": r"^Uplink wajib hanya \S+ Mb/s",
     "cause": ("uplink berjalan di bawah kecepatan semestinya", "an uplink runs below its speed"),
     "action": ("Periksa dan ganti kabel uplink (kabel gigabit dengan satu pasang putus jatuh ke 100 Mb/s) serta "
                "port di ujung lainnya; pastikan keduanya diatur auto-negosiasi.",
                "Check and replace the uplink cable (a gigabit cable with one broken pair falls back to 100 Mb/s) "
                "and the port at its other end; make sure both auto-negotiate."),
     "actor": "adb"},
    {"id": "switch-port", "status": _PROBLEM, "category": r"^(port|port-errors|link|switch|device)$",
     "cause": ("port atau tautan switch bermasalah", "a switch port or link has a problem"),
     "action": ("Periksa kabel dan konektor port; bila galat terus naik, ganti kabel atau port.",
                "Check the port's cable and connector; if errors keep rising, replace the cable or port."),
     "actor": "adb"},
    {"id": "probe", "status": _PROBLEM, "category": r"^(http|tcp|ping|probe)$",
     "cause": ("layanan atau jaringan ke pusat data lambat / terputus",
               "the service or the network to the data centre is slow or down"),
     "action": ("Uji ulang dari kantor; bila gangguan di luar kantor, laporkan ke helpdesk pusat dengan waktu "
                "kejadian.", "Test again from the office; if the fault is outside the office, report it to the "
                "national helpdesk with the time it happened."),
     "actor": "helpdesk"},
    # Whatever else could not be judged: its message names why (a command the device refused,
    # a state it did not give); never a fault of the thing it was meant to judge.
    {"id": "unchecked", "status": _UNJUDGED,
     "cause": ("butir ini tidak dapat diperiksa; keterangannya menyebut sebabnya",
               "this item could not be checked; its message names why"),
     "action": ("Perbaiki sebab yang disebut keterangannya, lalu ulangi pemeriksaan.",
                "Fix the cause its message names, then check again."),
     "actor": "adb"},
)
DEFAULT_RULE = {"id": "other",
                "cause": ("butir lain yang tidak normal", "another item that is not OK"),
                "action": ("Periksa butir ini sesuai keterangannya.", "Check this item as its message says."),
                "actor": "adb"}

_NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")


# A step-3 record of a target step 2 could not assess says so before step 2's own words: it has
# the cause of that step-2 record, and groups with it (one finding per cause and device; see
# siak_finding_groups).
_NOT_ASSESSED = re.compile(r"^Tidak diperiksa: pada langkah [0-9]+ \([^)]*\): ")


def cause_text(message):
    """The words of a record's message that name its cause (without _NOT_ASSESSED's prefix)."""
    return _NOT_ASSESSED.sub("", str(message or ""), count=1)


def normalise_message(message, target=""):
    """A record's message without what differs from device to device: its name and its numbers."""
    text = cause_text(message)
    if target:
        text = text.replace(str(target), "<perangkat>")
    return " ".join(_NUMBER.sub("#", text).split())


# The kind siak_summary gives a target that is not a device of the office (a step-4 probe
# of the gateway or the data centre).
OUTSIDE_KIND = "Tujuan uji unjuk kerja"


def device_of(rec):
    """The device a record's cause lies with: its target, or for a step-4 probe whose call
    failed on the host it runs from (``details.failed_on``, siak_probe_records) that host."""
    details = rec.get("details") if isinstance(rec.get("details"), dict) else {}
    if rec.get("step") == 4 and rec.get("status") != "OK" and details.get("failed_on"):
        return str(details["failed_on"])
    return rec["target"]


def _matches(rule, rec, kinds=None):
    if "step" in rule and rec.get("step") != rule["step"]:
        return False
    if "where" in rule:
        # "office": the target is a device of the office (known kind, not a probe target).
        inside = kinds is not None and rec.get("target") in kinds and kinds[rec.get("target")] != OUTSIDE_KIND
        if (rule["where"] == "office") != inside:
            return False
    if "status" in rule and rec["status"] not in rule["status"]:
        return False
    category = rule.get("category")
    if category is not None:
        if category.startswith("^"):
            if not re.search(category, str(rec["category"])):
                return False
        elif rec["category"] != category:
            return False
    if "item" in rule and not re.search(rule["item"], str(rec["item"])):
        return False
    if "message" in rule and not re.search(rule["message"], str(rec.get("message", ""))):
        return False
    return True


def rule_of(rec, kinds=None):
    """The FINDING_RULES entry that applies to a record (DEFAULT_RULE when none).

    ``kinds`` ({target: kind}) tells the office's devices from the targets outside it.
    """
    for rule in FINDING_RULES:
        if _matches(rule, rec, kinds):
            return rule
    return DEFAULT_RULE


def siak_finding_groups(problems, kinds=None, lang="id"):
    """Group non-OK records by cause across devices; worst first, then most devices first.

    ``kinds`` maps a target to its kind ("Komputer loket", ...). The key is the rule, the
    record's status and its normalised message: the same cause with the same words on
    seven hosts is one group of seven devices. Each group: status, rule id, cause,
    action, actor (also cause_en, action_en, actor_en), message and first (the first record), devices (sorted, unique), count,
    records, kinds ({kind: number of devices}).
    """
    lang_index = 1 if lang == "en" else 0
    kinds = kinds or {}
    groups = {}
    # The rule of each step-2 record that is not OK, by target and words: a later step's "not
    # checked" record naming the same words (see cause_text) takes it, and joins its group.
    origin = {(rec.get("target"), normalise_message(rec.get("message"), rec.get("target"))): rule_of(rec, kinds)
              for rec in problems or () if rec.get("step") == 2 and rec.get("status") != "OK"}
    for rec in problems or ():
        if rec.get("status") == "OK":
            continue
        rule = rule_of(rec, kinds)
        if _NOT_ASSESSED.match(str(rec.get("message") or "")):
            rule = origin.get((rec.get("target"), normalise_message(rec.get("message"), rec.get("target"))), rule)
        words = normalise_message(rec.get("message"), rec.get("target")) if rule.get("by_message", True) else ""
        key = (rule["id"], rec["status"], words)
        group = groups.get(key)
        if group is None:
            message = rec.get("message_en") if lang == "en" and rec.get("message_en") else rec.get("message", "")
            group = groups[key] = {
                "status": rec["status"], "rule": rule["id"], "cause": rule["cause"][lang_index],
                "action": rule["action"][lang_index], "actor": ACTORS[rule["actor"]][lang_index],
                "cause_en": rule["cause"][1], "action_en": rule["action"][1], "actor_en": ACTORS[rule["actor"]][1],
                "actor_id": rule["actor"], "message": message, "first": rec, "devices": [], "records": [],
                "items": []}
        group["records"].append(rec)
        device = device_of(rec)
        if device not in group["devices"]:
            group["devices"].append(device)
        if str(rec["item"]) not in group["items"]:
            group["items"].append(str(rec["item"]))
    out = []
    for group in groups.values():
        group["devices"].sort()
        group["count"] = len(group["devices"])
        counted = {}
        for device in group["devices"]:
            kind = kinds.get(device) or ("Perangkat lain" if lang_index == 0 else "Other target")
            counted[kind] = counted.get(kind, 0) + 1
        group["kinds"] = counted
        out.append(group)
    out.sort(key=lambda g: (-SEVERITY[g["status"]], -g["count"], g["rule"], g["message"]))
    return out


class FilterModule:
    """Findings filters."""

    def filters(self):
        return {"siak_finding_groups": siak_finding_groups}
