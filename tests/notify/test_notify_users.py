"""One-off notices (reminders, a freed seat): once per key, by each person's channels."""

import pytest

from bedside.core.errors import Invalid
from bedside.notify.models import EmailDelivery, Notification, NotificationPreference
from bedside.notify.services import notify_users
from tests.factories import member

pytestmark = pytest.mark.django_db


def notice(users, practice, key="event:1:reminder:24h"):
    return notify_users(
        users=users,
        practice=practice,
        kind="event_reminder",
        title="Flu clinic tomorrow",
        body="Tomorrow at 9:00 at the Riverside office.",
        url="/p/riverside/events/1/",
        key=key,
    )


def test_notify_users_is_idempotent_by_key(practice, sink, committed):
    people = [member(practice), member(practice)]

    with committed(execute=True):
        assert notice(people, practice) == 2
    with committed(execute=True):
        assert notice(people, practice) == 0

    assert Notification.objects.count() == 2
    assert sorted(sink.recipients()) == sorted(p.email for p in people)
    with committed(execute=True):
        assert notice(people, practice, key="event:1:reminder:1h") == 2
    assert len(sink.messages) == 4


def test_notify_users_follows_preferences_and_skips_non_members(
    practice, other_practice, sink, committed
):
    quiet_email, outsider = member(practice), member(other_practice)
    NotificationPreference.objects.create(user=quiet_email, practice=practice, email=False)

    with committed(execute=True):
        assert notice([quiet_email, outsider], practice) == 1

    assert Notification.objects.get().user == quiet_email
    assert not EmailDelivery.objects.exists()
    assert sink.messages == []


def test_notify_users_needs_a_title_and_a_key(practice):
    with pytest.raises(Invalid):
        notify_users(
            users=[member(practice)],
            practice=practice,
            kind="x",
            title=" ",
            body="",
            url="/",
            key="k",
        )
    with pytest.raises(Invalid):
        notify_users(
            users=[member(practice)],
            practice=practice,
            kind="x",
            title="T",
            body="",
            url="/",
            key="",
        )
