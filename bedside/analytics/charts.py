"""Charts as inline SVG drawn on the server: no script, no CDN, no inline style.

Each chart is a titled SVG (``role="img"`` with ``<title>`` and ``<desc>``) whose colours come
from CSS classes in ``bedside.css``; the page prints the same numbers as a table beside it,
so a screen reader or a printout loses nothing. Every text is escaped.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
BAR_HEIGHT = 28
BAR_GAP = 12
LABEL_WIDTH = 180
VALUE_WIDTH = 90
LINE_HEIGHT = 240
MARGIN = 32


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    # A 95 % interval drawn as a whisker, when the value is a rate.
    low: float | None = None
    high: float | None = None
    text: str = ""


@dataclass(frozen=True, slots=True)
class Point:
    label: str
    value: float


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    description: str
    svg: SafeString
    # The numbers behind the chart, for the table printed beside it.
    rows: Sequence[Bar | Point] = field(default_factory=tuple)


def _f(value: float) -> str:
    return f"{value:.1f}"


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".") if value % 1 else f"{int(value)}"


def bar_chart(
    key: str, title: str, description: str, bars: Sequence[Bar], *, unit: str = ""
) -> Chart:
    """Horizontal bars, longest first as given; a whisker shows each bar's interval."""
    top = max([bar.high if bar.high is not None else bar.value for bar in bars] + [0.0])
    scale_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = max(1, len(bars)) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP

    def x(value: float) -> float:
        return LABEL_WIDTH + (value / top * scale_width if top > 0 else 0.0)

    parts: list[SafeString] = []
    for index, bar in enumerate(bars):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        middle = y + BAR_HEIGHT / 2
        shown = bar.text or f"{_number(bar.value)}{unit}"
        parts.append(
            format_html(
                '<text class="chart-label" font-size="13" x="{}" y="{}" text-anchor="end" '
                'dominant-baseline="middle">{}</text>'
                '<rect class="chart-bar chart-series-{}" fill="#2f6f8f" x="{}" y="{}" width="{}" '
                'height="{}"></rect>',
                LABEL_WIDTH - 8,
                middle,
                bar.label,
                index % 4,
                LABEL_WIDTH,
                y,
                _f(x(bar.value) - LABEL_WIDTH),
                BAR_HEIGHT,
            )
        )
        if bar.low is not None and bar.high is not None:
            parts.append(
                format_html(
                    '<line class="chart-whisker" stroke="#1b1b1b" stroke-width="2" '
                    'x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                    '<line class="chart-whisker" stroke="#1b1b1b" stroke-width="2" '
                    'x1="{}" x2="{}" y1="{}" y2="{}"></line>'
                    '<line class="chart-whisker" stroke="#1b1b1b" stroke-width="2" '
                    'x1="{}" x2="{}" y1="{}" y2="{}"></line>',
                    _f(x(bar.low)),
                    _f(x(bar.high)),
                    middle,
                    middle,
                    _f(x(bar.low)),
                    _f(x(bar.low)),
                    y + 6,
                    y + BAR_HEIGHT - 6,
                    _f(x(bar.high)),
                    _f(x(bar.high)),
                    y + 6,
                    y + BAR_HEIGHT - 6,
                )
            )
        value_x = max(x(bar.value), x(bar.high) if bar.high is not None else 0.0) + 6
        parts.append(
            format_html(
                '<text class="chart-value" font-size="13" x="{}" y="{}" '
                'dominant-baseline="middle">{}</text>',
                _f(value_x),
                middle,
                shown,
            )
        )
    if not bars:
        parts.append(
            format_html(
                '<text class="chart-empty" font-size="13" x="{}" y="{}" '
                'text-anchor="middle">No data</text>',
                WIDTH / 2,
                height / 2 + 4,
            )
        )
    return Chart(
        key=key,
        title=title,
        description=description,
        svg=_svg(key, title, description, height, parts),
        rows=tuple(bars),
    )


def line_chart(
    key: str, title: str, description: str, points: Sequence[Point], *, unit: str = ""
) -> Chart:
    """A line over time, first point on the left; the axis starts at zero."""
    top = max([point.value for point in points] + [0.0])
    low_y = LINE_HEIGHT - MARGIN
    plot_width = WIDTH - 2 * MARGIN
    plot_height = LINE_HEIGHT - 2 * MARGIN

    def at(index: int, value: float) -> tuple[float, float]:
        step = plot_width / (len(points) - 1) if len(points) > 1 else 0.0
        x = MARGIN + index * step if len(points) > 1 else WIDTH / 2
        y = low_y - (value / top * plot_height if top > 0 else 0.0)
        return x, y

    parts: list[SafeString] = [
        format_html(
            '<line class="chart-axis" stroke="#6b6b6b" x1="{}" x2="{}" y1="{}" y2="{}"></line>',
            MARGIN,
            WIDTH - MARGIN,
            low_y,
            low_y,
        )
    ]
    if points:
        coordinates = [at(index, point.value) for index, point in enumerate(points)]
        parts.append(
            format_html(
                '<polyline class="chart-line" fill="none" stroke="#2f6f8f" stroke-width="2" '
                'points="{}"></polyline>',
                " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates),
            )
        )
        parts.append(
            format_html_join(
                "",
                '<circle class="chart-dot" fill="#2f6f8f" cx="{}" cy="{}" r="3"></circle>',
                [(_f(x), _f(y)) for x, y in coordinates],
            )
        )
        first, last = points[0], points[-1]
        parts.append(
            format_html(
                '<text class="chart-label" font-size="13" x="{}" y="{}">{}</text>'
                '<text class="chart-label" font-size="13" x="{}" y="{}" text-anchor="end">{}</text>'
                '<text class="chart-value" font-size="13" x="{}" y="{}">{}</text>',
                MARGIN,
                LINE_HEIGHT - 8,
                first.label,
                WIDTH - MARGIN,
                LINE_HEIGHT - 8,
                last.label,
                MARGIN,
                MARGIN - 12,
                f"Highest: {_number(top)}{unit}",
            )
        )
    else:
        parts.append(
            format_html(
                '<text class="chart-empty" font-size="13" x="{}" y="{}" '
                'text-anchor="middle">No data</text>',
                WIDTH / 2,
                LINE_HEIGHT / 2,
            )
        )
    return Chart(
        key=key,
        title=title,
        description=description,
        svg=_svg(key, title, description, LINE_HEIGHT, parts),
        rows=tuple(points),
    )


def _svg(
    key: str, title: str, description: str, height: float, parts: list[SafeString]
) -> SafeString:
    body = mark_safe("".join(parts))  # noqa: S308 - every part was built by format_html
    return format_html(
        '<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" '
        'role="img" aria-labelledby="chart-{}-title chart-{}-desc" '
        'preserveAspectRatio="xMinYMin meet">'
        '<title id="chart-{}-title">{}</title><desc id="chart-{}-desc">{}</desc>{}</svg>',
        WIDTH,
        _number(height),
        key,
        key,
        key,
        title,
        key,
        description,
        body,
    )
