"""Links in what patients write that point outside the practice's trusted sources.

``unreviewed_links(text, trusted_domains)`` lists the web links in Markdown, HTML or plain
text whose host is neither a trusted domain nor a subdomain of one (``www.cdc.gov`` is under
``cdc.gov``; ``cdc.gov.example.com`` and ``notcdc.gov`` are not). Links within the site
(``/p/riverside/``) and non-web links (``mailto:``) are not the concern here.

``label_unreviewed(html, trusted_domains)`` adds a plain "not reviewed by our clinicians"
note after each such link in sanitized HTML; the education template filter
``label_unreviewed_links`` calls it. Pure Python, no settings: any layer may use it.
"""

import html as html_lib
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

NOTE = "not reviewed by our clinicians"
NOTE_HTML = f' <span class="unreviewed-link">({NOTE})</span>'

_BARE_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'()\[\]]+", re.IGNORECASE)
_TRAILING = ".,;:!?"
_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
# In HTML: a whole anchor, any other tag (skipped: its attributes are not text), or a bare URL.
_HTML_TOKEN = re.compile(
    r"(?P<anchor><a\b[^>]*>.*?</a\s*>)|(?P<tag><[^>]*>)|(?P<url>" + _BARE_URL.pattern + ")",
    re.IGNORECASE | re.DOTALL,
)


def host_of(url: str) -> str | None:
    """The host of a web link, lower case and without ``www.``; None for other links."""
    url = html_lib.unescape(url.strip())
    if url.lower().startswith("www."):
        url = "https://" + url
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not host:
        return None
    return host.rstrip(".").lower().removeprefix("www.")


def is_trusted(host: str, trusted_domains: Iterable[str]) -> bool:
    host = host.lower()
    for domain in trusted_domains:
        domain = domain.strip().lower().removeprefix("www.").rstrip(".")
        if domain and (host == domain or host.endswith("." + domain)):
            return True
    return False


def _strip_trailing(url: str) -> str:
    return url.rstrip(_TRAILING)


def _links(text: str) -> list[str]:
    found: list[str] = []
    for match in _HREF.finditer(text):
        found.append(next(group for group in match.groups() if group is not None))
    without_attributes = _HREF.sub(" ", text)
    found.extend(_strip_trailing(url) for url in _BARE_URL.findall(without_attributes))
    return found


def unreviewed_links(text: str, trusted_domains: Iterable[str]) -> list[str]:
    """The web links in ``text`` outside ``trusted_domains``, in order, each once."""
    trusted = list(trusted_domains)
    result: list[str] = []
    for url in _links(text):
        host = host_of(url)
        if host is None or is_trusted(host, trusted):
            continue
        clean = html_lib.unescape(url)
        if clean not in result:
            result.append(clean)
    return result


def label_unreviewed(html: str, trusted_domains: Iterable[str]) -> str:
    """``html`` (already sanitized) with ``NOTE_HTML`` after each unreviewed link."""
    trusted = list(trusted_domains)

    def unreviewed(url: str) -> bool:
        host = host_of(url)
        return host is not None and not is_trusted(host, trusted)

    def replace(match: re.Match[str]) -> str:
        token = match.group(0)
        if match.group("anchor"):
            href = _HREF.search(token.split(">", 1)[0])
            url = next((g for g in href.groups() if g is not None), "") if href else ""
            return token + NOTE_HTML if unreviewed(url) else token
        if match.group("tag"):
            return token
        url = _strip_trailing(token)
        rest = token[len(url) :]
        return url + NOTE_HTML + rest if unreviewed(url) else token

    return _HTML_TOKEN.sub(replace, html)
