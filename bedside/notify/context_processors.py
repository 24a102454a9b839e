"""The unread count for the header badge: one query, and only if a page prints it."""

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from bedside.notify.models import Notification


def unread_notifications(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}

    def count() -> int:
        return Notification.objects.filter(user=user, read_at__isnull=True, in_app=True).count()

    return {"unread_notification_count": SimpleLazyObject(count)}
