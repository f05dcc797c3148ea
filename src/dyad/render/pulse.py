"""The pulse of a pair written out: text, JSON, CSV, and a line chart (SVG).

    >>> print(pulse_text(kb.pulse("Kenya", "Tanzania", by="quarter")))
    >>> svg = pulse_svg(kb.pulse("KEN", "TZA"))

A period with no data is shown as such: "no data" in text, ``null`` in JSON, empty cells in CSV, a grey
band and a break in every line of the chart. The chart draws three lines (events, cooperation, conflict)
over the periods, and below them the mean Goldstein value of each period as a bar above or below zero.
The SVG is written as text; every label is escaped with :func:`html.escape`; elements carry classes
(``line``, ``point``, ``nodata``, ``goldstein``, ``tick``) for tests and styling.
"""

from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

from dyad.query.pulse import Period, Pulse
from dyad.registry import QUAD_CLASSES
from dyad.render.chart import CHART_WIDTH, FONT

__all__ = ["PULSE_FORMATS", "pulse_csv", "pulse_dict", "pulse_json", "pulse_svg", "pulse_text"]

#: Lines of the chart: the period's field, its label and its colour.
LINES = (
    ("events", "events", "#37474f"),
    ("cooperation", "cooperation", "#2e7d32"),
    ("conflict", "conflict", "#c62828"),
)
PLOT_HEIGHT = 220
GOLDSTEIN_HEIGHT = 90
_MARGIN = 48
_GAP = 48  # between the counts and the Goldstein bars: the period labels and the bars' title
_NO_DATA = "no data"


def _title(p: Pulse) -> str:
    return f"{p.names.get(p.a, p.a)} – {p.names.get(p.b, p.b)}: events by {p.by}"


def _notes(p: Pulse) -> list[str]:
    notes = []
    if p.coarse:
        notes.append(f"{p.coarse} event(s) dated less precisely than a {p.by}, not counted")
    if p.undated:
        notes.append(f"{p.undated} undated event(s), not counted")
    return notes


def pulse_text(p: Pulse) -> str:
    """A table for people: one period a line; "no data" where the sources say nothing."""
    lines = [_title(p)]
    if not p.periods:
        lines.append("no dated events")
    else:
        rows = [("period", "events", "coop", "conflict", "goldstein", "mean")]
        for x in p.periods:
            if x.empty:
                rows.append((x.label, _NO_DATA, "", "", "", ""))
            else:
                rows.append((
                    x.label, str(x.events), str(x.cooperation), str(x.conflict),
                    f"{x.goldstein_sum:+.1f}", f"{x.goldstein_mean:+.2f}",
                ))  # fmt: skip
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            cells = [r[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(r[1:], widths[1:], strict=True)]
            lines.append("  ".join(cells).rstrip())
    lines.extend(_notes(p))
    return "\n".join(lines) + "\n"


def _period_dict(x: Period) -> dict[str, Any]:
    return {
        "period": x.label,
        "events": x.events,
        "cooperation": x.cooperation,
        "conflict": x.conflict,
        "quad_classes": dict(x.quad) if x.quad is not None else None,
        "goldstein_sum": x.goldstein_sum,
        "goldstein_mean": x.goldstein_mean,
    }


def pulse_dict(p: Pulse) -> dict[str, Any]:
    """The JSON shape: the pair, the period, each period (counts null for no data), what was left out."""
    return {
        "a": {"code": p.a, "name": p.names.get(p.a, p.a)},
        "b": {"code": p.b, "name": p.names.get(p.b, p.b)},
        "by": p.by,
        "periods": [_period_dict(x) for x in p.periods],
        "events": p.events,
        "not_counted": {"coarse": p.coarse, "undated": p.undated},
    }


def pulse_json(p: Pulse) -> str:
    return json.dumps(pulse_dict(p), ensure_ascii=False, indent=2) + "\n"


def pulse_csv(p: Pulse) -> str:
    """One row a period; the cells of a period with no data are empty."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(
        ["period", "events", "cooperation", "conflict", *(q.replace("-", "_") for q in QUAD_CLASSES),
         "goldstein_sum", "goldstein_mean"]
    )  # fmt: skip
    for x in p.periods:
        quad = [x.quad[q] for q in QUAD_CLASSES] if x.quad is not None else [None] * len(QUAD_CLASSES)
        cells = [x.events, x.cooperation, x.conflict, *quad, x.goldstein_sum, x.goldstein_mean]
        writer.writerow([x.label, *("" if c is None else c for c in cells)])
    return out.getvalue()


def pulse_svg(p: Pulse, *, width: int = CHART_WIDTH) -> str:
    """The pulse as a line chart (module doc)."""
    title = html.escape(_title(p))
    top = 40
    height = top + PLOT_HEIGHT + _GAP + GOLDSTEIN_HEIGHT + 46 + 14 * len(_notes(p))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{title}" style="{FONT}">',
        f"<title>{title}</title>",
        f'<rect width="{width}" height="{height}" fill="#fff"/>',
        f'<text x="{_MARGIN}" y="20" style="font-size:14px;font-weight:bold">{title}</text>',
    ]
    n = len(p.periods)
    if n == 0:
        parts.append(f'<text x="{_MARGIN}" y="{top + 20}">no dated events</text></svg>')
        return "\n".join(parts) + "\n"
    plot_w = width - 2 * _MARGIN
    step = plot_w / n
    peak = max(x.events or 0 for x in p.periods) or 1

    def px(i: int) -> float:
        return _MARGIN + step * (i + 0.5)

    def py(v: float) -> float:
        return top + PLOT_HEIGHT - v / peak * PLOT_HEIGHT

    parts.append(f'<line x1="{_MARGIN}" y1="{top + PLOT_HEIGHT}" x2="{width - _MARGIN}" '
                 f'y2="{top + PLOT_HEIGHT}" stroke="#999"/>')  # fmt: skip
    for v in sorted({0, peak // 2, peak}):
        parts.append(f'<text class="tick" x="{_MARGIN - 6}" y="{py(v) + 4:.1f}" text-anchor="end">{v}</text>')
    for i, x in enumerate(p.periods):
        if x.empty:
            parts.append(
                f'<rect class="nodata" x="{_MARGIN + step * i:.1f}" y="{top}" width="{step:.1f}" '
                f'height="{PLOT_HEIGHT}" fill="#eceff1"><title>{html.escape(x.label)}: no data</title></rect>'
            )
    for field, label, colour in LINES:
        for run in _runs(p.periods):
            points = " ".join(f"{px(i):.1f},{py(getattr(p.periods[i], field)):.1f}" for i in run)
            if len(run) > 1:
                parts.append(f'<polyline class="line {field}" points="{points}" fill="none" '
                             f'stroke="{colour}" stroke-width="2"/>')  # fmt: skip
            for i in run:
                value = getattr(p.periods[i], field)
                parts.append(
                    f'<circle class="point {field}" cx="{px(i):.1f}" cy="{py(value):.1f}" r="3" '
                    f'fill="{colour}">'
                    f"<title>{html.escape(p.periods[i].label)}: {value} {label}</title></circle>"
                )
    parts.extend(_goldstein(p, top + PLOT_HEIGHT + _GAP, step, px))
    parts.extend(_axis_and_legend(p, top, step, px, height))
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _runs(periods: tuple[Period, ...]) -> list[list[int]]:
    """Indices of consecutive periods with data: a line never crosses a period with no data."""
    runs: list[list[int]] = []
    for i, x in enumerate(periods):
        if x.empty:
            continue
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return runs


def _goldstein(p: Pulse, y0: float, step: float, px: Any) -> list[str]:
    """Bars of the mean Goldstein value (-10 … +10) around a zero line."""
    mid = y0 + GOLDSTEIN_HEIGHT / 2
    scale = GOLDSTEIN_HEIGHT / 2 / 10
    out = [
        f'<text x="{_MARGIN}" y="{y0 - 6}">mean Goldstein value (−10 conflict … +10 cooperation)</text>',
        f'<line x1="{_MARGIN}" y1="{mid}" x2="{px(len(p.periods) - 1) + step / 2:.1f}" y2="{mid}" '
        'stroke="#999"/>',
        f'<text class="tick" x="{_MARGIN - 6}" y="{y0 + 4}" text-anchor="end">+10</text>',
        f'<text class="tick" x="{_MARGIN - 6}" y="{mid + 4}" text-anchor="end">0</text>',
        f'<text class="tick" x="{_MARGIN - 6}" y="{y0 + GOLDSTEIN_HEIGHT + 4}" text-anchor="end">−10</text>',
    ]
    for i, x in enumerate(p.periods):
        if x.goldstein_mean is None:
            continue
        h = abs(x.goldstein_mean) * scale
        y = mid - h if x.goldstein_mean >= 0 else mid
        colour = "#2e7d32" if x.goldstein_mean >= 0 else "#c62828"
        out.append(
            f'<rect class="goldstein" x="{px(i) - step * 0.3:.1f}" y="{y:.1f}" width="{step * 0.6:.1f}" '
            f'height="{max(h, 0.5):.1f}" fill="{colour}"><title>{html.escape(x.label)}: mean '
            f"{x.goldstein_mean:+.2f}, sum {x.goldstein_sum:+.1f}</title></rect>"
        )
    return out


def _axis_and_legend(p: Pulse, top: float, step: float, px: Any, height: float) -> list[str]:
    out = []
    every = max(1, round(len(p.periods) / (CHART_WIDTH / 70)))  # about one label per 70 px
    base = top + PLOT_HEIGHT + 14
    for i, x in enumerate(p.periods):
        if i % every == 0:
            out.append(
                f'<text class="tick" x="{px(i):.1f}" y="{base}" text-anchor="middle">'
                f"{html.escape(x.label)}</text>"
            )
    y = height - 12 - 14 * len(_notes(p))
    x0 = _MARGIN
    for _, label, colour in LINES:
        out.append(f'<rect x="{x0}" y="{y - 8}" width="12" height="3" fill="{colour}"/>')
        out.append(f'<text x="{x0 + 16}" y="{y - 4}">{label}</text>')
        x0 += 30 + len(label) * 7
    out.append(f'<rect x="{x0}" y="{y - 12}" width="12" height="10" fill="#eceff1"/>')
    out.append(f'<text x="{x0 + 16}" y="{y - 4}">no data</text>')
    for k, note in enumerate(_notes(p)):
        out.append(f'<text x="{_MARGIN}" y="{y + 14 * (k + 1)}">{html.escape(note)}</text>')
    return out


#: ``dyad pulse --format`` choices.
PULSE_FORMATS = {"text": pulse_text, "json": pulse_json, "csv": pulse_csv}
