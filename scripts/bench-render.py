#!/usr/bin/env python3
"""Benchmark: render the records of a round of 1,000 devices with 40 records each; print the times.

Not a test (speed goals live in benchmarks that print figures). Target: the whole report
(summary, report HTML, overview HTML, both CSV files, results.json) under 2 seconds.

    .venv/bin/python scripts/bench-render.py [--devices 1000] [--records 40] [--repeat 3]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ANSIBLE_CONFIG", str(ROOT / "ansible.cfg"))

import tests.conftest  # noqa: E402,F401  pylint: disable=unused-import  (module_utils as ansible.module_utils)
from tests import report_fixtures as F  # noqa: E402

sys.path.insert(0, str(ROOT / "filter_plugins"))
import siak_html as H  # noqa: E402
import siak_round as R  # noqa: E402
import siak_summary as S  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=1000)
    parser.add_argument("--records", type=int, default=40)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--trend-rounds", type=int, default=12,
                        help="rounds of this office written to a temporary folder for the history's trends (0: skip)")
    args = parser.parse_args()
    switches = args.devices // 10
    before = F.office(hosts=args.devices - switches, switches=switches, records_per_device=args.records, round_no=0)
    data = F.office(hosts=args.devices - switches, switches=switches, records_per_device=args.records, round_no=1)
    print("devices %d, records %d (%.1f per device)" % (len(data["targets"]), len(data["records"]),
                                                         len(data["records"]) / max(1, len(data["targets"]))))
    best = {}
    for _ in range(max(1, args.repeat)):
        times = {}
        start = time.perf_counter()
        summary = S.siak_summary(data["records"], data["targets"], before["records"], data["groups"])
        times["summary"] = time.perf_counter() - start
        mark = time.perf_counter()
        rnd = dict(data["round"], previous=before["round"]["id"])
        page = H.siak_render_html({"round": rnd, "summary": summary, "report": {}}, "laporan.html.j2",
                                  ROOT / "reports" / "templates")
        times["laporan.html"] = time.perf_counter() - mark
        mark = time.perf_counter()
        overview = H.siak_render_html({"round": rnd, "records": data["records"], "report": {}}, "ikhtisar.html.j2",
                                      ROOT / "reports" / "templates")
        times["ikhtisar.html"] = time.perf_counter() - mark
        mark = time.perf_counter()
        S.siak_csv(data["records"])
        times["results.csv"] = time.perf_counter() - mark
        mark = time.perf_counter()
        S.siak_csv_people(data["records"])
        times["hasil.csv"] = time.perf_counter() - mark
        mark = time.perf_counter()
        json.dumps(R.siak_results_document(rnd, summary, data["records"], {}), indent=2)
        times["results.json"] = time.perf_counter() - mark
        times["total"] = time.perf_counter() - start
        for key, value in times.items():
            best[key] = min(best.get(key, value), value)
    print("report html: %d KiB, overview html: %d KiB" % (len(page) // 1024, len(overview) // 1024))
    for key, value in best.items():
        print("%-14s %7.3f s" % (key, value))
    print("target: total under 2 s -> %s" % ("met" if best["total"] < 2 else "NOT met"))
    if args.trend_rounds > 0:
        _bench_trends(args, switches)


def _bench_trends(args, switches):
    """The history page's trends: read N rounds' results.json (lookup siak_round_trends), draw the charts."""
    import importlib.util  # pylint: disable=import-outside-toplevel
    import tempfile  # pylint: disable=import-outside-toplevel

    import siak_trends as TR  # noqa: E402  pylint: disable=import-outside-toplevel

    spec = importlib.util.spec_from_file_location("_bench_trends", ROOT / "lookup_plugins" / "siak_round_trends.py")
    lookup = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(lookup)
    with tempfile.TemporaryDirectory(prefix="bench-trends-") as folder:
        for number in range(args.trend_rounds):
            data = F.office(hosts=args.devices - switches, switches=switches, records_per_device=args.records,
                            round_no=number)
            doc = F.results_document(data)
            path = Path(folder) / data["round"]["id"]
            path.mkdir()
            (path / "results.json").write_text(json.dumps(doc))
            (path / "round.json").write_text(json.dumps(R.siak_round_status(doc["round"], F.summary_of(data))))
        start = time.perf_counter()
        kept = lookup.trend_rounds(folder, args.trend_rounds)
        read = time.perf_counter() - start
        start = time.perf_counter()
        charts = TR.siak_trend_charts(kept)
        drawn = time.perf_counter() - start
    print("trends of %d rounds: read %.3f s, charts %.3f s (%d charts)" % (len(kept), read, drawn, len(charts)))


if __name__ == "__main__":
    main()
