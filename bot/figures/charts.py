"""The four charts of ``/cijfers`` as PNG bytes (matplotlib, Agg backend).

Rendering takes a while and blocks: callers run :func:`render_all` in a thread
(``asyncio.to_thread``), never on the event loop. Sized for a phone: 1080 px wide, big fonts,
Dutch labels (``figures/label.j2``) and Dutch month names.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from bot.core.dates import MONTH_NAMES
from bot.figures.rules.definitions import MonthPoint
from bot.figures.views import Labels, label

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

#: The font sizes are process-wide rcParams (``rc_context``): one album at a time per process.
_LOCK = threading.Lock()
#: A colour-blind safe palette (Okabe-Ito).
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")


@dataclass(frozen=True)
class ChartData:
    """Everything the charts show, already computed by the pure figures."""

    months: Sequence[MonthPoint]
    #: Doorstroom matrix: row codes, column codes and counts (from figure D7).
    matrix_rows: Sequence[str]
    matrix_cols: Sequence[str]
    matrix: Sequence[Sequence[int]]
    #: Uitstroom per reason code (``unknown``: reasons not recorded).
    exits: Sequence[tuple[str, int]]
    reasons_known: bool


def _month_label(day: object) -> str:
    month = getattr(day, "month", 1)
    year = getattr(day, "year", 2000)
    return f"{MONTH_NAMES[month - 1][:3]} {str(year)[2:]}"


def _wrap(text: str, width: int = 14) -> str:
    """A long label over two lines, so the bars keep their room on a phone."""
    if len(text) <= width or " " not in text:
        return text
    cut = text.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else text.find(" ")
    return f"{text[:cut]}\n{text[cut + 1 :]}"


def _figure() -> tuple[Figure, Axes]:
    # A Figure of its own, not pyplot's: no global figure registry to close, safe in a thread.
    from matplotlib.figure import Figure

    fig = Figure()
    return fig, fig.subplots()


def _png(fig: Figure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=120)
    return buffer.getvalue()


def render_all(data: ChartData, labels: Labels) -> list[tuple[str, bytes]]:
    """The four charts as (title, PNG) in album order."""
    import matplotlib

    with (
        _LOCK,
        matplotlib.rc_context(
            {
                "font.size": 17,
                "axes.titlesize": 21,
                "axes.labelsize": 17,
                "xtick.labelsize": 15,
                "ytick.labelsize": 15,
                "legend.fontsize": 15,
                "figure.figsize": (9, 9),
                "axes.spines.top": False,
                "axes.spines.right": False,
            }
        ),
    ):
        charts = [
            (label("chart", "caseload"), _caseload(data, labels)),
            (label("chart", "doorstroom"), _heatmap(data, labels)),
            (label("chart", "shares"), _shares(data)),
            (label("chart", "uitstroom"), _exits(data, labels)),
        ]
    return charts


def _caseload(data: ChartData, labels: Labels) -> bytes:
    fig, ax = _figure()
    months = list(data.months)
    categories = sorted({c for m in months for c in m.per_category}, key=lambda c: (c == "-", c))
    x = list(range(len(months)))
    bottom = [0] * len(months)
    for index, category in enumerate(categories):
        values = [m.per_category.get(category, 0) for m in months]
        ax.bar(
            x,
            values,
            bottom=bottom,
            label=label("chart", "unclassified") if category == "-" else labels.category(category),
            color=PALETTE[index % len(PALETTE)],
        )
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    fig.subplots_adjust(left=0.14, right=0.97, top=0.92, bottom=0.27)
    ax.set_title(label("chart", "caseload"))
    ax.set_ylabel(label("chart", "clients"))
    step = max(1, len(months) // 6)
    ax.set_xticks(x[::step], [_month_label(m.month) for m in months][::step], rotation=30)
    if categories:
        ax.legend(loc="upper left", bbox_to_anchor=(0, -0.16), ncol=3, frameon=False)
    else:
        ax.text(0.5, 0.5, label("chart", "nothing"), ha="center", transform=ax.transAxes)
    return _png(fig)


def _heatmap(data: ChartData, labels: Labels) -> bytes:
    fig, ax = _figure()
    rows = [
        _wrap(label("chart", "first") if r == "-" else labels.category(r), 12)
        for r in data.matrix_rows
    ]
    cols = [labels.category(c) for c in data.matrix_cols]
    if rows and cols:
        values = [list(r) for r in data.matrix]
        peak = max([1, *[v for r in values for v in r]])
        ax.imshow(values, cmap="Blues", vmin=0, vmax=peak, aspect="auto")
        for i, row in enumerate(values):
            for j, value in enumerate(row):
                ax.text(
                    j,
                    i,
                    str(value),
                    ha="center",
                    va="center",
                    fontsize=20,
                    color="white" if value > peak * 0.55 else "black",
                )
        ax.set_xticks(range(len(cols)), cols, rotation=30)
        ax.set_yticks(range(len(rows)), rows)
        ax.spines[:].set_visible(False)
    else:
        ax.axis("off")
        ax.text(0.5, 0.5, label("chart", "nothing"), ha="center", transform=ax.transAxes)
    fig.subplots_adjust(left=0.27, right=0.98, top=0.92, bottom=0.2)
    ax.set_title(label("chart", "doorstroom"))
    ax.set_xlabel(label("chart", "to"))
    ax.set_ylabel(label("chart", "from"))
    return _png(fig)


def _shares(data: ChartData) -> bytes:
    fig, ax = _figure()
    months = list(data.months)
    x = list(range(len(months)))

    def series(values: list[float | None]) -> list[float]:
        return [float("nan") if v is None else v * 100 for v in values]

    ax.plot(
        x,
        series([m.exemption_share for m in months]),
        marker="o",
        linewidth=3,
        color=PALETTE[0],
        label=label("chart", "exemption_share"),
    )
    ax.plot(
        x,
        series([m.contact_coverage for m in months]),
        marker="s",
        linewidth=3,
        color=PALETTE[1],
        label=label("chart", "contact_share"),
    )
    fig.subplots_adjust(left=0.14, right=0.97, top=0.92, bottom=0.27)
    ax.set_ylim(0, 100)
    ax.set_ylabel(label("chart", "share_axis"))
    ax.set_title(label("chart", "shares"))
    step = max(1, len(months) // 6)
    ax.set_xticks(x[::step], [_month_label(m.month) for m in months][::step], rotation=30)
    ax.grid(axis="y", alpha=0.3)
    ax.legend(loc="upper left", bbox_to_anchor=(0, -0.16), ncol=1, frameon=False)
    return _png(fig)


def _exits(data: ChartData, labels: Labels) -> bytes:
    fig, ax = _figure()
    names = [
        _wrap(label("chart", "reason_unknown") if code == "unknown" else labels.reason(code))
        for code, _ in data.exits
    ]
    values = [n for _, n in data.exits]
    fig.subplots_adjust(left=0.42, right=0.9, top=0.92, bottom=0.12)
    if values and sum(values):
        from matplotlib.ticker import MaxNLocator

        bars = ax.barh(
            names, values, height=0.6, color=[PALETTE[i % len(PALETTE)] for i in range(len(values))]
        )
        ax.set_ylim(max(len(values), 2) - 0.5, -0.5)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.bar_label(bars, padding=4, fontsize=18)
        ax.set_xlabel(label("chart", "exits"))
    else:
        ax.axis("off")
        ax.text(0.5, 0.5, label("chart", "nothing"), ha="center", transform=ax.transAxes)
    ax.set_title(label("chart", "uitstroom"))
    return _png(fig)
