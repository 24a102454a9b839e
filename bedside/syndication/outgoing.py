"""A Bedside post as every network adapter starts from it (``adapters.base.Outgoing``)."""

import html
import mimetypes
import re
from pathlib import Path

from django.conf import settings

from bedside.posts.models import Post, PostImage
from bedside.syndication.adapters.base import Media, Outgoing

_BLOCK_END = re.compile(r"</(p|li|h[1-6]|blockquote|pre)>|<br\s*/?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")
_BLANK_LINES = re.compile(r"\n{3,}")


def plain_text(body_html: str) -> str:
    """The sanitized HTML of a post as plain text, paragraphs kept as blank lines."""
    text = _BLOCK_END.sub("\n\n", body_html)
    text = html.unescape(_TAG.sub("", text))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else f"{settings.SITE_URL}{url}"


def _media(field_file: object, alt_text: str = "", width: int = 0, height: int = 0) -> Media:
    path = Path(field_file.path)  # type: ignore[attr-defined]
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    size = path.stat().st_size if path.exists() else 0
    return Media(
        path=path,
        content_type=content_type,
        size=size,
        alt_text=alt_text,
        width=width,
        height=height,
        url=absolute(field_file.url),  # type: ignore[attr-defined]
    )


def _image(image: PostImage) -> Media:
    return _media(image.image, image.alt_text, image.width, image.height)


def outgoing_for(post: Post, delivery_key: str) -> Outgoing:
    """What every network receives of ``post``; ``delivery_key`` is the idempotency key.

    Images come from ``post.images`` in their order (prefetch them to save a query).
    """
    images = tuple(_image(image) for image in post.images.all())
    return Outgoing(
        key=delivery_key,
        title=post.title,
        text=plain_text(post.body_html),
        url=absolute(post.get_absolute_url()),
        images=images,
        video=_media(post.video) if post.video else None,
        video_link=post.video_embed_url,
        content_warning=post.content_warning,
        kind=post.kind,
        pillar=str(post.pillar),
    )
