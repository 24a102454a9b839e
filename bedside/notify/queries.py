"""Reads the notify pages need, each a constant number of queries."""

from bedside.core.cursor import Cursor, Page, keyset_after, page_of
from bedside.notify.models import Notification
from bedside.practices.models import User

PAGE_SIZE = 20


def notification_page(
    user: User, *, cursor: str | None, size: int = PAGE_SIZE
) -> Page[Notification]:
    """The user's notification centre, newest first, one keyset page: one query."""
    rows = keyset_after(
        Notification.objects.filter(user=user, in_app=True).select_related("practice"),
        field="created_at",
        cursor=Cursor.decode(cursor),
    )
    return page_of(list(rows[: size + 1]), field="created_at", size=size)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True, in_app=True).count()
