import re
from xml.etree import ElementTree

from bedside.analytics.charts import Bar, Point, bar_chart, line_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own output, not untrusted input


def test_bar_chart_is_a_titled_image_with_one_bar_per_row() -> None:
    chart = bar_chart(
        "rate",
        "Engagement by topic",
        "Non-medical against medical posts",
        [Bar("Non-medical", 30.0, low=25.0, high=35.0), Bar("Medical", 15.0)],
        unit="%",
    )
    root = _parse(chart.svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-rate-title chart-rate-desc"
    assert root.find(f"{SVG}title").text == "Engagement by topic"  # type: ignore[union-attr]
    rects = root.findall(f"{SVG}rect")
    assert len(rects) == 2
    # Bars are proportional: the widest value (35, the top of the interval) spans the scale.
    widths = [float(rect.get("width", "0")) for rect in rects]
    assert abs(widths[0] - 2 * widths[1]) <= 0.2
    assert len(root.findall(f"{SVG}line")) == 3  # one whisker: a line and two caps
    texts = [text.text for text in root.findall(f"{SVG}text")]
    assert texts == ["Non-medical", "30%", "Medical", "15%"]
    assert chart.rows[0].label == "Non-medical"


def test_chart_text_is_escaped_and_carries_no_inline_style_or_script() -> None:
    chart = bar_chart("x", "<script>alert(1)</script>", "a & b", [Bar('"><img>', 1.0)])
    assert "<script>" not in chart.svg
    assert "<img>" not in chart.svg
    assert "style=" not in chart.svg
    _parse(chart.svg)  # still well-formed XML


def test_empty_charts_say_there_is_no_data() -> None:
    assert "No data" in bar_chart("b", "t", "d", []).svg
    assert "No data" in line_chart("l", "t", "d", []).svg


def test_line_chart_runs_left_to_right_and_rises_with_the_value() -> None:
    chart = line_chart(
        "growth",
        "Followers",
        "Followers per day",
        [Point("1 Jan", 10), Point("2 Jan", 20), Point("3 Jan", 40)],
    )
    root = _parse(chart.svg)
    polyline = root.find(f"{SVG}polyline")
    assert polyline is not None
    pairs = [tuple(map(float, pair.split(","))) for pair in polyline.get("points", "").split()]
    xs = [x for x, _ in pairs]
    ys = [y for _, y in pairs]
    assert xs == sorted(xs)
    assert ys[0] > ys[1] > ys[2]  # SVG y grows downwards
    assert "Highest: 40" in chart.svg
    assert not re.search(r"\bstyle=", chart.svg)


def test_a_single_point_line_chart_is_centred() -> None:
    root = _parse(line_chart("one", "t", "d", [Point("today", 3)]).svg)
    dot = root.find(f"{SVG}circle")
    assert dot is not None and float(dot.get("cx", "0")) == 320.0
