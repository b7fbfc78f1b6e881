"""Merge the rounds of several offices into one overview page, for a province or the nation.

    python -m routine merge -o ikhtisar.html PATH [PATH ...]

Each PATH is a round's ``results.json``, a round's folder, or a folder of rounds (an office's
``reports/``, or a folder holding several offices' copies): every ``results.json`` under it is
read (the ansible-runner artifacts are not). Each file is validated against
``docs/schema/results.schema.json`` (its ``format`` names the schema version); a file that
cannot be read, is not JSON, has a format this tool does not know or breaks the schema is
listed by name with the reason, never merged and never a crash. The page (escaped: the
values come from other offices' files) and a JSON twin (``.json`` beside it) list, per office,
each round: date, status, grade counts, counts and the worst findings. Exit status 0 when
every file was merged, 1 when some were refused, 2 when nothing could be merged.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import jsonschema
from jinja2 import Environment, FileSystemLoader, select_autoescape

from . import ROOT
from ansible.module_utils.siak_routine import round_problems  # noqa: E402  (module_utils path set by the package)

SCHEMA_FILE = ROOT / "docs" / "schema" / "results.schema.json"
# The versions of results.json this tool reads (docs/schema/README.md, "Versions").
KNOWN_FORMATS = ("siak-maintenance-round/1",)
MAX_BYTES = 50 * 1024 * 1024
MAX_FILES = 20000
WORST_SHOWN = 5
GRADES = ("Baik", "Cukup", "Kurang", "Rusak")


def find_results(paths):
    """Every results.json named by or under ``paths`` (sorted, each once; runner/ folders skipped)."""
    found = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for folder, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if d != "runner" and not d.startswith("."))
                if "results.json" in files:
                    found.append(Path(folder) / "results.json")
                if len(found) > MAX_FILES:
                    break
        else:
            found.append(path)
    seen, out = set(), []
    for path in found[:MAX_FILES]:
        key = os.path.realpath(path)
        if key not in seen:
            seen.add(key)
            out.append(path)
    return out


def _validator():
    return jsonschema.Draft202012Validator(json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))


def load_round(path, validator):
    """(document, None) for a valid results.json, else (None, the reason)."""
    try:
        if path.stat().st_size > MAX_BYTES:
            return None, "terlalu besar (too large): lebih dari %d MiB" % (MAX_BYTES // 1024 // 1024)
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, "tidak ada (no such file)"
    except OSError as exc:
        return None, "tidak terbaca (cannot read): %s" % (exc.strerror or exc)
    except UnicodeDecodeError:
        return None, "bukan teks UTF-8 (not UTF-8 text)"
    except ValueError as exc:
        return None, "bukan JSON (not JSON): %s" % exc
    if not isinstance(document, dict):
        return None, "bukan objek JSON (not a JSON object)"
    fmt = document.get("format")
    if fmt not in KNOWN_FORMATS:
        return None, "versi format tidak dikenal (unknown format) %r; dikenal: %s" % (
            str(fmt)[:80], ", ".join(KNOWN_FORMATS))
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.absolute_path))
    if errors:
        first = errors[0]
        where = "/".join(str(p) for p in first.absolute_path) or "(dokumen)"
        return None, "tidak sesuai skema (breaks the schema) di %s: %s%s" % (
            where, first.message[:300], " (dan %d lagi)" % (len(errors) - 1) if len(errors) > 1 else "")
    return document, None


def overview_row(document, path):
    """One round's line of the overview."""
    header, summary = document["round"], document["summary"]
    problems = round_problems(document)
    return {
        "office": header["office"],
        "regency": header["regency"],
        "place": header["place"],
        "round": header["id"],
        "started": header["started"],
        "finished": header["finished"],
        "check_mode": header["check_mode"],
        "status": summary["status"],
        "counts": summary["counts"],
        "grade_counts": {g: summary["grade_counts"].get(g, 0) for g in GRADES},
        "unreachable": problems["unreachable"],
        "worst": problems["worst"][:WORST_SHOWN],
        "file": str(path),
    }


def merge(paths):
    """{'offices': [{office, rounds: [...]}], 'rejected': [{file, reason}], 'files': n}."""
    validator = _validator()
    rows, rejected = [], []
    files = find_results(paths)
    for path in files:
        document, reason = load_round(path, validator)
        if document is None:
            rejected.append({"file": str(path), "reason": reason})
        else:
            rows.append(overview_row(document, path))
    offices = {}
    for row in rows:
        offices.setdefault((row["regency"], row["office"]), []).append(row)
    merged = []
    for (regency, office), rounds in sorted(offices.items()):
        rounds.sort(key=lambda r: (r["started"], r["round"]), reverse=True)
        merged.append({"office": office, "regency": regency, "latest": rounds[0], "rounds": rounds})
    return {"format": "siak-maintenance-overview/1", "files": len(files), "offices": merged, "rejected": rejected}


def render(overview, title):
    env = Environment(loader=FileSystemLoader(str(Path(__file__).parent / "templates")),
                      autoescape=select_autoescape(default=True, default_for_string=True), trim_blocks=True,
                      lstrip_blocks=True)
    return env.get_template("ikhtisar.html.j2").render(overview=overview, title=title, grades=GRADES)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m routine merge", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="results.json files, round folders or folders of rounds")
    parser.add_argument("-o", "--output", default="ikhtisar.html", help="the overview page (a .json twin beside it)")
    parser.add_argument("--title", default="Ikhtisar Pemeliharaan Aplikasi dan Jaringan SIAK",
                        help="the page's title (e.g. the province)")
    args = parser.parse_args(argv)
    overview = merge(args.paths)
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(render(overview, args.title), encoding="utf-8")
    out.with_suffix(".json").write_text(json.dumps(overview, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    merged = sum(len(o["rounds"]) for o in overview["offices"])
    for bad in overview["rejected"]:
        print("ditolak / refused: %s: %s" % (bad["file"], bad["reason"]), file=sys.stderr)
    print("Ikhtisar / overview: %s (%d kantor, %d putaran, %d berkas ditolak)"
          % (out, len(overview["offices"]), merged, len(overview["rejected"])))
    if not merged:
        return 2
    return 1 if overview["rejected"] else 0


if __name__ == "__main__":
    sys.exit(main())
