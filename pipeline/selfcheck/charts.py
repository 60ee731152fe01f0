"""The report's charts, drawn with matplotlib as inline SVG (text as paths: no font needed to view).

Chinese text needs a CJK font at drawing time (WenQuanYi Micro Hei from ``fonts-wqy-microhei``,
or Noto CJK); without one the charts fall back to English labels instead of empty boxes.
"""

from __future__ import annotations

import io
from functools import lru_cache

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

CJK_FONT_NAMES = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC")
COLOR = "#1f5fa8"


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The name of an installed CJK font matplotlib can use, or None."""
    installed = {font.name for font in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONT_NAMES if name in installed), None)


def _text(chinese: str, english: str) -> str:
    return chinese if cjk_font() else english


def _figure(width: float, height: float) -> Figure:
    if cjk_font():
        matplotlib.rcParams["font.sans-serif"] = [cjk_font(), "DejaVu Sans"]
    figure = Figure(figsize=(width, height), layout="constrained")
    matplotlib.rcParams["svg.hashsalt"] = "callqa"  # stable ids: the same data gives the same SVG
    return figure


def _svg(figure: Figure) -> str:
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    return svg[svg.index("<svg") :]


def monthly_chart(months) -> str:
    """Violation rate by month with its Wilson interval as a band, calls per month as bars."""
    figure = _figure(8, 3.2)
    axes = figure.subplots()
    labels = [m.name[-2:] if m.name and m.name != "(未填)" else "?" for m in months]
    x = range(len(months))
    bars = axes.twinx()
    bars.bar(x, [m.violating.n for m in months], color="#d9e2ef", width=0.6, zorder=0)
    bars.set_ylabel(_text("通话数", "calls"))
    axes.set_zorder(bars.get_zorder() + 1)
    axes.patch.set_visible(False)
    rates = [m.violating.rate * 100 for m in months]
    axes.fill_between(
        x,
        [m.violating.low * 100 for m in months],
        [m.violating.high * 100 for m in months],
        color=COLOR,
        alpha=0.15,
        linewidth=0,
    )
    axes.plot(x, rates, color=COLOR, marker="o")
    axes.set_xticks(list(x), labels)
    axes.set_xlabel(_text("月份", "month"))
    axes.set_ylabel(_text("违规通话占比（%）", "violating calls (%)"))
    axes.set_ylim(bottom=0)
    axes.grid(axis="y", color="#e5e5e5")
    return _svg(figure)


def category_chart(categories, confidence: float) -> str:
    """Violation rate per category with Wilson interval error bars."""
    figure = _figure(8, 0.45 * max(len(categories), 2) + 1)
    axes = figure.subplots()
    names = [row.label if cjk_font() else row.category for row in categories]
    rates = [row.violating.rate * 100 for row in categories]
    errors = [
        [(row.violating.rate - row.violating.low) * 100 for row in categories],
        [(row.violating.high - row.violating.rate) * 100 for row in categories],
    ]
    y = range(len(categories))
    axes.barh(y, rates, height=0.6, color="#9dbbe0")
    axes.errorbar(rates, list(y), xerr=errors, fmt="o", color=COLOR, ecolor="#333", capsize=3, markersize=4)
    axes.set_yticks(list(y), names)
    axes.invert_yaxis()
    axes.set_xlabel(
        _text(
            f"违规通话占比（%），误差线为 {confidence:.0%} 置信区间",
            f"violating calls (%), bars: {confidence:.0%} interval",
        )
    )
    axes.grid(axis="x", color="#e5e5e5")
    return _svg(figure)
