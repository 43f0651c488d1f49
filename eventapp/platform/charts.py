"""Charts made on the server (pygal) as SVG images: figures in, an image address out, plus the same figures as a table.

A chart is shown as an <img> of a data: address, so it needs no JavaScript, no CDN and no inline
style in the page (pygal's own script and styles stay inside the image, where no script runs).
Every chart travels with its table (`Figure.columns`, `Figure.rows`), which the page shows beside
it for screen readers and for print.
"""

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field

import pygal
from pygal.style import Style

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1b2631",
    foreground_strong="#1b2631",
    foreground_subtle="#4f5d6b",
    # Eleven, one per kind of organisation in the chain mix, told apart by hue and lightness.
    colors=(
        "#16425b",
        "#d98e04",
        "#2f7d4f",
        "#8c2f39",
        "#7fa7c9",
        "#8a5a00",
        "#3c8dad",
        "#6b4f8a",
        "#c5d86d",
        "#e07a5f",
        "#4a4a4a",
    ),
    font_family="DejaVu Sans, Arial, Helvetica, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    value_font_size=12,
    legend_font_size=13,
    title_font_size=15,
)


@dataclass
class Figure:
    """One chart and its figures: the table has `columns` as its header and one row per label."""

    title: str
    columns: Sequence[str]
    rows: Sequence[Sequence[object]] = field(default_factory=list)
    image: str = ""  # data:image/svg+xml;base64,... (empty: nothing to draw)
    values: Sequence[float | None] = field(default_factory=list)  # per row, what a bar shows (the PDF draws them)


def _image(chart) -> str:
    svg = chart.render(is_unicode=True).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _config(**options) -> dict:
    return {
        "style": STYLE,
        "js": [],
        "width": 800,
        "height": 360,
        "print_values": False,
        "truncate_label": -1,
        "truncate_legend": -1,
        **options,
    }


def bar_image(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], **options) -> str:
    """A bar chart: one bar per label and series (a legend when there is more than one series)."""
    if not labels or not any(any(v for v in values if v) for _, values in series):
        return ""
    horizontal = options.pop("horizontal", False)
    stacked = options.pop("stacked", False)
    kind = {(False, False): pygal.Bar, (True, False): pygal.HorizontalBar, (False, True): pygal.StackedBar}
    kind[(True, True)] = pygal.HorizontalStackedBar
    chart = kind[(horizontal, stacked)](**_config(show_legend=len(series) > 1, legend_at_bottom=True, **options))
    # pygal draws a horizontal chart's first label at the bottom: reversed, it reads top-down like the table.
    order = (lambda items: list(items)[::-1]) if horizontal else list
    chart.x_labels = order(str(label) for label in labels)
    for name, values in series:
        chart.add(name, order(values))
    return _image(chart)


def line_image(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], **options) -> str:
    """A line chart over `labels` (dates, times); the labels are thinned out to stay readable."""
    if not labels:
        return ""
    chart = pygal.Line(
        **_config(
            show_legend=len(series) > 1,
            legend_at_bottom=True,
            x_label_rotation=30,
            show_minor_x_labels=False,
            dots_size=2,
            **options,
        )
    )
    chart.x_labels = [str(label) for label in labels]
    step = max(len(labels) // 10, 1)
    chart.x_labels_major = [str(label) for label in labels[::step]]
    for name, values in series:
        chart.add(name, list(values))
    return _image(chart)
