from html.parser import HTMLParser

from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.core.sanitizer import ALLOWED_TAGS, plain_text, render_markdown

DANGEROUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js>",
    "<img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD4=)",
    "![x](javascript:alert(1))",
    '<div onclick="alert(1)">x</div>',
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)>",
    '<a href="x" onmouseover="alert(1)">x</a>',
    "<<script>script>alert(1)<</script>/script>",
    "`<script>`",
    "| a | b |\n|---|---|\n| <script> | [x](javascript:y) |",
    "<style>body{}</style>",
    "\n\n",
    "> ",
    "* ",
    "[",
    "](",
    '"',
    "'",
]

markdownish = st.lists(
    st.one_of(st.sampled_from(DANGEROUS), st.text(max_size=40)), max_size=12
).map("".join)


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.attributes: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend((name, value or "") for name, value in attrs)


def parsed(html: str) -> Collector:
    collector = Collector()
    collector.feed(html)
    collector.close()
    return collector


@settings(max_examples=300)
@given(markdownish)
def test_rendered_markdown_never_carries_a_script_a_javascript_url_or_an_event_handler(text):
    html = render_markdown(text)
    assert "<script" not in html.lower()
    found = parsed(html)
    assert set(found.tags) <= ALLOWED_TAGS
    for name, value in found.attributes:
        assert not name.lower().startswith("on"), (name, html)
        squeezed = "".join(value.split()).lower()
        assert not squeezed.startswith(("javascript:", "data:", "vbscript:")), (value, html)


@given(markdownish)
def test_plain_text_carries_no_markup_at_all(text):
    assert "<" not in plain_text(text)


def test_links_keep_their_safe_target_and_gain_rel_nofollow():
    html = render_markdown("[our site](https://example.org/a?b=1)")
    found = parsed(html)
    assert ("href", "https://example.org/a?b=1") in found.attributes
    assert ("rel", "nofollow noopener noreferrer") in found.attributes


def test_raw_html_is_shown_as_text_not_run():
    assert render_markdown("<b>hi</b>") == "<p>&lt;b&gt;hi&lt;/b&gt;</p>\n"
