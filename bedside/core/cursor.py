"""Keyset pagination: an opaque cursor over (timestamp, id), stable under inserts.

Offset pagination gets slower with every page and skips or repeats rows when new posts
arrive; a keyset cursor is one indexed range scan whatever the page number.
"""

import base64
import binascii
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Model, Q, QuerySet


@dataclass(frozen=True)
class Cursor:
    at: datetime
    pk: int

    def encode(self) -> str:
        raw = f"{self.at.isoformat()}|{self.pk}".encode()
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    @classmethod
    def decode(cls, token: str | None) -> "Cursor | None":
        """Return the cursor, or None for a missing or malformed token (start over)."""
        if not token or len(token) > 200:
            return None
        try:
            padded = token + "=" * (-len(token) % 4)
            at_text, pk_text = base64.urlsafe_b64decode(padded).decode().split("|")
            at = datetime.fromisoformat(at_text)
            pk = int(pk_text)
        except (ValueError, binascii.Error, UnicodeDecodeError):
            return None
        if at.tzinfo is None or pk < 0:
            return None
        return cls(at=at, pk=pk)


@dataclass(frozen=True)
class Page[T]:
    items: list[T]
    next_cursor: str | None


def keyset_after[M: Model](
    queryset: "QuerySet[M]", *, field: str, cursor: Cursor | None
) -> "QuerySet[M]":
    """Rows strictly older than ``cursor`` in (``field``, id) order, newest first."""
    if cursor is not None:
        queryset = queryset.filter(
            Q(**{f"{field}__lt": cursor.at}) | Q(**{field: cursor.at, "id__lt": cursor.pk})
        )
    return queryset.order_by(f"-{field}", "-id")


def page_of[T](rows: list[T], *, field: str, size: int) -> Page[T]:
    """``rows`` holds up to ``size + 1`` items; the extra one only says there is more."""
    items = rows[:size]
    next_cursor = None
    if len(rows) > size:
        last = items[-1]
        next_cursor = Cursor(at=getattr(last, field), pk=last.pk).encode()  # type: ignore[attr-defined]
    return Page(items=items, next_cursor=next_cursor)


def keyset_page[M: Model](
    queryset: "QuerySet[M]", *, field: str, cursor: Cursor | None, size: int
) -> Page[M]:
    """Newest first by ``field`` then ``id``; one query of ``size + 1`` rows."""
    rows = list(keyset_after(queryset, field=field, cursor=cursor)[: size + 1])
    return page_of(rows, field=field, size=size)
