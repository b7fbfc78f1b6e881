# -*- coding: utf-8 -*-
# Copyright: the SIAK maintenance project contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
"""Trends over the rounds kept: series taken from the records, and the geometry of their charts.

    siak_trend_records(records)
        the records a trend needs, reduced to what it draws (TREND_SERIES), for keeping
        many rounds in memory: [{"category", "target", "item", "value", "p95"}]
    siak_trend_charts(rounds, width=640, height=170, max_series=8)
        ``rounds``: [{"id", "started", "records"}] (any order; drawn oldest first) ->
        one chart per entry of TREND_SERIES that has data: its title (id, en), unit, the
        rounds on the x axis, and per series its label, colour, value per round (None when
        the round has no value) and the SVG polyline points. Only geometry and text: the
        template writes the <svg> markup (inline, no script).

Which records make which trend is data (TREND_SERIES), generic over records: a field a
step-4 probe adds to its details does not change it; a record with no numeric value is
left out of its series (a gap, never a zero).
"""

from __future__ import annotations

import re

# (id, title id, title en, unit, match(rec) -> bool, label(rec) -> str, value(rec) -> number or None)
TREND_SERIES = (
    ("disk", "Pemakaian disk per perangkat dan titik kait", "Disk use per host and mount", "%",
     lambda r: r["category"] == "disk", lambda r: "%s %s" % (r["target"], r["item"]), lambda r: r.get("value")),
    ("http", "Latensi aplikasi (p95, atau median bila p95 tidak ada)", "Application latency (p95, or the median "
     "when there is no p95)", "ms", lambda r: r["category"] == "http",
     lambda r: "%s %s" % (r["target"], r["item"]), lambda r: r.get("p95") if r.get("p95") is not None else r.get("value")),
    ("ping-loss", "Kehilangan paket ping", "Ping packet loss", "%",
     lambda r: r["category"] == "link" and str(r["item"]).endswith(" loss"),
     lambda r: re.sub(r"^ping | loss$", "", str(r["item"])) + " (" + r["target"] + ")", lambda r: r.get("value")),
    ("ping-rtt", "Waktu pulang-pergi ping (RTT)", "Ping round-trip time (RTT)", "ms",
     lambda r: r["category"] == "link" and str(r["item"]).endswith(" rtt"),
     lambda r: re.sub(r"^ping | rtt$", "", str(r["item"])) + " (" + r["target"] + ")", lambda r: r.get("value")),
    ("port-errors", "Laju galat port switch", "Switch port error rate", "%",
     lambda r: r["category"] == "port-errors", lambda r: "%s %s" % (r["target"], r["item"]), lambda r: r.get("value")),
)
TREND_CATEGORIES = ("disk", "http", "link", "port-errors")

# Colours of the series, in order (readable in print, distinct in grey too).
COLOURS = ("#1f4e9c", "#b52020", "#2e7d32", "#8a5a00", "#6a1b9a", "#00838f", "#444444", "#c2185b")


def _number(value):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value)


def siak_trend_records(records):
    """The records a trend draws, reduced to the fields it needs."""
    out = []
    for rec in records or ():
        if not isinstance(rec, dict) or rec.get("category") not in TREND_CATEGORIES:
            continue
        details = rec.get("details") if isinstance(rec.get("details"), dict) else {}
        stats = details.get("stats_ms") if isinstance(details.get("stats_ms"), dict) else {}
        out.append({"category": rec["category"], "target": str(rec.get("target", "")), "item": str(rec.get("item", "")),
                    "value": _number(rec.get("value")),
                    # Already reduced (the lookup's output): keep its p95.
                    "p95": _number(stats.get("p95")) if stats else _number(rec.get("p95"))})
    return out


def siak_trend_charts(rounds, width=640, height=170, max_series=8):
    """The charts of the trends over ``rounds`` (see the module docstring)."""
    ordered = sorted((r for r in rounds or () if isinstance(r, dict)), key=lambda r: (str(r.get("started") or ""),
                                                                                     str(r.get("id"))))
    n = len(ordered)
    left, right, top, bottom = 44, 32, 8, 22
    plot_w, plot_h = width - left - right, height - top - bottom
    charts = []
    for chart_id, title, title_en, unit, match, label, value in TREND_SERIES:
        series = {}
        for index, rnd in enumerate(ordered):
            for rec in siak_trend_records(rnd.get("records")):
                if not match(rec):
                    continue
                number = _number(value(rec))
                if number is None:
                    continue
                series.setdefault(label(rec), [None] * n)[index] = number
        if not series:
            continue
        # The series that matter most: the highest values in the newest round they have.
        def weight(item):
            values = [v for v in item[1] if v is not None]
            return (-(values[-1] if values else 0), item[0])
        chosen = sorted(series.items(), key=weight)[:max_series]
        values = [v for _label, vals in chosen for v in vals if v is not None]
        top_value = max(values) if values and max(values) > 0 else 1.0
        top_value = 100.0 if unit == "%" and top_value > 50 else top_value * 1.1
        x_of = (lambda i: left + (plot_w * i / (n - 1) if n > 1 else plot_w / 2))
        y_of = (lambda v: top + plot_h - plot_h * min(v, top_value) / top_value)
        drawn = []
        for number, (name, vals) in enumerate(chosen):
            points = ["%.1f,%.1f" % (x_of(i), y_of(v)) for i, v in enumerate(vals) if v is not None]
            drawn.append({"label": name, "colour": COLOURS[number % len(COLOURS)], "values": vals,
                          "last": next((v for v in reversed(vals) if v is not None), None),
                          "points": " ".join(points),
                          "dots": [{"x": round(x_of(i), 1), "y": round(y_of(v), 1)} for i, v in enumerate(vals)
                                   if v is not None]})
        ticks = [{"y": round(y_of(top_value * f), 1), "value": round(top_value * f, 3 if top_value < 1 else 1)}
                 for f in (0, 0.5, 1)]
        step = max(1, n // 6)
        xlabels = [{"x": round(x_of(i), 1), "text": str(ordered[i].get("started") or ordered[i].get("id"))[:10]}
                   for i in range(0, n, step)]
        charts.append({"id": chart_id, "title": title, "title_en": title_en, "unit": unit, "width": width,
                       "height": height, "left": left, "bottom_y": top + plot_h, "right_x": left + plot_w,
                       "ticks": ticks, "xlabels": xlabels, "series": drawn, "hidden": len(series) - len(chosen),
                       "rounds": [r.get("id") for r in ordered]})
    return charts


class FilterModule:
    """Trend filters."""

    def filters(self):
        return {"siak_trend_records": siak_trend_records, "siak_trend_charts": siak_trend_charts}
