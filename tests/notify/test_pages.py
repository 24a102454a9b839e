"""The notification centre, the header badge, preferences and the staff progress partial."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.notify.models import Broadcast, BroadcastStatus, Notification, NotificationPreference
from bedside.notify.services import notify_users
from bedside.practices.models import Role
from tests.factories import member
from tests.notify.conftest import published

pytestmark = pytest.mark.django_db


def give(user, practice, count: int, start: int = 0) -> None:
    for n in range(start, start + count):
        notify_users(
            users=[user],
            practice=practice,
            kind="notice",
            title=f"Notice {n}",
            body="",
            url="/",
            key=f"notice:{n}",
        )


def test_the_centre_lists_newest_first_and_pages_with_a_cursor(client, practice):
    patient = member(practice)
    give(patient, practice, 25)
    client.force_login(patient)

    first = client.get(reverse("notifications"))
    titles = [n.title for n in first.context["page"].items]
    assert titles[:2] == ["Notice 24", "Notice 23"] and len(titles) == 20
    cursor = first.context["page"].next_cursor
    second = client.get(reverse("notifications"), {"cursor": cursor})
    assert [n.title for n in second.context["page"].items] == [
        f"Notice {n}" for n in range(4, -1, -1)
    ]


def test_the_centre_runs_the_same_queries_for_10_or_110_notifications(client, practice):
    patient = member(practice)
    client.force_login(patient)

    def queries_for(count: int, start: int) -> int:
        give(patient, practice, count, start)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("notifications")).status_code == 200
        return len(captured)

    assert queries_for(10, 0) == queries_for(100, 10)


def test_the_badge_counts_unread_in_one_query_and_opening_marks_read(client, practice):
    patient = member(practice)
    give(patient, practice, 3)
    client.force_login(patient)

    page = client.get(reverse("home")).content.decode()
    assert "data-unread-count>3<" in page
    notification = Notification.objects.filter(user=patient).first()
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response.status_code == 302 and response["Location"] == "/"
    assert "data-unread-count>2<" in client.get(reverse("home")).content.decode()

    client.post(reverse("notifications_read_all"))
    assert "data-unread-count" not in client.get(reverse("home")).content.decode()


def test_nobody_opens_another_persons_notification(client, practice):
    owner, other = member(practice), member(practice)
    give(owner, practice, 1)
    client.force_login(other)

    notification = Notification.objects.get(user=owner)
    assert client.post(reverse("notification_open", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_notification_never_redirects_off_site(client, practice):
    patient = member(practice)
    notify_users(
        users=[patient],
        practice=practice,
        kind="notice",
        title="Odd",
        body="",
        url="https://evil.example/",
        key="odd",
    )
    client.force_login(patient)

    notification = Notification.objects.get(user=patient)
    response = client.post(reverse("notification_open", args=[notification.pk]))
    assert response["Location"] == reverse("notifications")


def test_preferences_are_only_for_members(client, practice, other_practice):
    outsider = member(other_practice)
    client.force_login(outsider)

    assert client.get(reverse("notify_preferences", args=[practice.slug])).status_code == 404


def test_a_bad_preference_is_shown_next_to_its_field_with_what_was_typed(client, practice):
    patient = member(practice)
    client.force_login(patient)

    response = client.post(
        reverse("notify_preferences", args=[practice.slug]),
        {"kinds": ["announcement"], "email": "on", "mode": "immediate", "quiet_start": "22:00"},
    )

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["quiet_end"] == ["Give both the start and the end of your quiet hours."]
    assert 'value="22:00"' in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_staff_see_the_broadcast_progress_and_patients_do_not(client, practice):
    editor = member(practice, Role.EDITOR)
    patient = member(practice)
    post = published(practice, editor)
    Broadcast.objects.create(
        post=post,
        status=BroadcastStatus.RUNNING,
        total=12000,
        processed_count=4210,
        in_app_count=4100,
        email_sent_count=3900,
    )
    url = reverse("broadcast_progress", args=[practice.slug, post.pk])

    client.force_login(editor)
    page = client.get(url).content.decode()
    assert "Delivered to 4,210 of 12,000" in page
    assert 'hx-trigger="every 2s"' in page

    Broadcast.objects.update(status=BroadcastStatus.DONE, processed_count=12000)
    assert "hx-trigger" not in client.get(url).content.decode()

    client.force_login(patient)
    assert client.get(url).status_code == 404
