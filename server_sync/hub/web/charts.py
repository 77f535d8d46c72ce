"""Charts for the staff pages, drawn by matplotlib on the server into inline SVG.

Each function returns an `<svg …>` string ready to place in a page (`{{ svg | safe }}`), with a
`<title>` (and `role="img"` + `aria-labelledby`) so a screen reader announces what it shows; the
page should still give the numbers as a table or text beside it. No pyplot: a `Figure` per call is
thread-safe under the web server's worker threads. DejaVu Sans draws Cyrillic.

    line_chart_svg(xs, ys, title=…, xlabel=…, ylabel=…, lang="bg")
    bar_chart_svg(labels, values, title=…, xlabel=…, ylabel=…, lang="bg")
    heatmap_svg(rows, cols, values, title=…, xlabel=…, ylabel=…, lang="bg")

Text passed in (titles, labels) is escaped into the SVG by matplotlib; the `<title>` we add is
escaped here. `lang` only picks the date format on time axes.
"""

from __future__ import annotations

import io
import itertools
import re
import warnings
from datetime import datetime, timedelta
from html import escape
from typing import Sequence

import matplotlib

matplotlib.use("Agg")  # never a GUI backend on the hub (harmless when pyplot is not imported)

from matplotlib import dates as mdates
from matplotlib.figure import Figure

FONT = {"font.family": "DejaVu Sans", "font.size": 10, "svg.fonttype": "path"}
INK, GRID, ACCENT = "#1b1b1b", "#c8c8c8", "#0b5cad"  # contrast ≥ 4.5:1 on white
_ids = itertools.count(1)


def _figure(width: float, height: float) -> Figure:
    with matplotlib.rc_context(FONT):
        fig = Figure(figsize=(width, height), dpi=96)
        fig.patch.set_facecolor("white")
    return fig


def _style(ax, *, title: str, xlabel: str, ylabel: str) -> None:
    ax.set_title(title, color=INK, fontsize=11, loc="left")
    ax.set_xlabel(xlabel, color=INK)
    ax.set_ylabel(ylabel, color=INK)
    ax.tick_params(colors=INK)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.grid(True, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def _style_to_attributes(match: re.Match) -> str:
    """style="fill: #fff; stroke: none" → fill="#fff" stroke="none": the pages' CSP (style-src 'self')
    refuses inline style attributes, but SVG presentation attributes are markup, not CSS."""
    out = []
    for decl in match.group(1).split(";"):
        if ":" in decl:
            name, value = (part.strip() for part in decl.split(":", 1))
            if re.fullmatch(r"[a-z-]+", name):
                out.append(f'{name}="{escape(value)}"')
    return " ".join(out)


def _to_svg(fig: Figure, title: str, desc: str = "") -> str:
    buf = io.StringIO()
    with matplotlib.rc_context(FONT), warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a few points seconds apart: the date locator grumbles
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue()
    start = svg.find("<svg")
    svg = svg[start:] if start >= 0 else svg
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)  # its two rules go on the root below
    svg = re.sub(r'style="([^"]*)"', _style_to_attributes, svg)
    n = next(_ids)
    # Ids unique on the page (two charts on one page would share glyph and clip-path ids).
    svg = re.sub(r'\bid="([^"]+)"', rf'id="c{n}-\1"', svg)
    svg = re.sub(r'href="#([^"]+)"', rf'href="#c{n}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#c{n}-\1)", svg)
    title_id = f"chart-title-{n}"
    # Accessible name; no fixed pixel size so CSS can scale it (the viewBox keeps the aspect).
    head_end = svg.find(">")
    head = svg[:head_end]
    head = re.sub(r'\s(width|height)="[^"]*"', "", head)
    head += (f' role="img" aria-labelledby="{title_id}" class="chart" stroke-linejoin="round"'
             ' stroke-linecap="butt"')
    inner = f'<title id="{title_id}">{escape(title)}</title>'
    if desc:
        inner += f"<desc>{escape(desc)}</desc>"
    return head + ">" + inner + svg[head_end + 1:]


def _date_axis(ax, xs: Sequence, lang: str) -> None:
    if xs and isinstance(xs[0], datetime):
        tz = getattr(xs[0], "tzinfo", None)
        span = (max(xs) - min(xs)).total_seconds()
        if span == 0:  # one day's point (a trend of one day): that day, between its neighbours
            ax.set_xlim(xs[0] - timedelta(days=1), xs[0] + timedelta(days=1))
            ax.xaxis.set_major_locator(mdates.DayLocator(tz=tz))
            ax.xaxis.set_major_formatter(mdates.DateFormatter("%d.%m", tz=tz))
            return
        if span < 3600:  # reports seconds apart: an hour around them, labelled by the minute
            middle = min(xs) + (max(xs) - min(xs)) / 2
            ax.set_xlim(middle - timedelta(minutes=30), middle + timedelta(minutes=30))
        fmt = "%H:%M" if span <= 36 * 3600 else "%d.%m"
        ax.xaxis.set_major_formatter(mdates.DateFormatter(fmt, tz=tz))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=8, tz=tz))


def line_chart_svg(xs: Sequence, ys: Sequence[float | None], *, title: str, xlabel: str = "", ylabel: str = "",
                   lang: str = "bg", width: float = 7.0, height: float = 2.8, desc: str = "",
                   ymin: float | None = 0) -> str:
    """A line over xs (numbers or aware datetimes, shown in their own time zone)."""
    fig = _figure(width, height)
    ax = fig.add_subplot()
    _style(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    if xs:
        ax.plot(list(xs), [float("nan") if y is None else y for y in ys], color=ACCENT, linewidth=1.6,
                marker="o" if len(xs) <= 40 else None, markersize=3)
        _date_axis(ax, list(xs), lang)
    else:
        ax.text(0.5, 0.5, "—", transform=ax.transAxes, ha="center", va="center", color=INK)
    if ymin is not None:
        ax.set_ylim(bottom=ymin)
    return _to_svg(fig, title, desc)


def bar_chart_svg(labels: Sequence[str], values: Sequence[float], *, title: str, xlabel: str = "",
                  ylabel: str = "", lang: str = "bg", width: float = 7.0, height: float = 2.8,
                  desc: str = "", horizontal: bool = False) -> str:
    fig = _figure(width, height)
    ax = fig.add_subplot()
    _style(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    positions = list(range(len(labels)))
    if horizontal:
        ax.barh(positions, list(values), color=ACCENT)
        ax.set_yticks(positions, list(labels))
        ax.invert_yaxis()
    else:
        ax.bar(positions, list(values), color=ACCENT)
        ax.set_xticks(positions, list(labels), rotation=30 if len(labels) > 6 else 0,
                      ha="right" if len(labels) > 6 else "center")
    return _to_svg(fig, title, desc)


def heatmap_svg(rows: Sequence[str], cols: Sequence[str], values: Sequence[Sequence[float | None]], *,
                title: str, xlabel: str = "", ylabel: str = "", lang: str = "bg", width: float = 7.0,
                height: float | None = None, desc: str = "", vmin: float | None = None,
                vmax: float | None = None, cmap: str = "viridis", annotate: bool = True,
                fmt: str = "{:.0f}") -> str:
    """A grid of values (rows × cols), empty cells (None) left blank; each cell may carry its number."""
    import numpy as np

    data = np.array([[np.nan if v is None else float(v) for v in row] for row in values], dtype=float)
    fig = _figure(width, height or max(2.0, 0.35 * len(rows) + 1.2))
    ax = fig.add_subplot()
    ax.set_title(title, color=INK, fontsize=11, loc="left")
    ax.set_xlabel(xlabel, color=INK)
    ax.set_ylabel(ylabel, color=INK)
    if data.size:
        image = ax.imshow(np.ma.masked_invalid(data), aspect="auto", cmap=cmap, vmin=vmin, vmax=vmax)
        fig.colorbar(image, ax=ax, fraction=0.04, pad=0.02)
        if annotate and data.shape[0] * data.shape[1] <= 400:
            lo = np.nanmin(data) if np.isfinite(data).any() else 0
            hi = np.nanmax(data) if np.isfinite(data).any() else 1
            mid = (lo + hi) / 2
            for (i, j), v in np.ndenumerate(data):
                if np.isfinite(v):
                    ax.text(j, i, fmt.format(v), ha="center", va="center", fontsize=7,
                            color="white" if v < mid else "black")
    ax.set_xticks(range(len(cols)), list(cols), rotation=45 if len(cols) > 8 else 0,
                  ha="right" if len(cols) > 8 else "center")
    ax.set_yticks(range(len(rows)), list(rows))
    ax.tick_params(colors=INK)
    return _to_svg(fig, title, desc)
