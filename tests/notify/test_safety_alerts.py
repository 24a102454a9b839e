"""Crisis posts reach every moderator at once, on every channel they enabled, exactly once."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from bedside.community.models import SafetyAlert
from bedside.community.services import create_group, join_group, post_reply, start_thread
from bedside.notify import sweeps
from bedside.notify.models import Mode, Notification, NotificationPreference
from bedside.notify.safety_alerts import SAFETY_ALERT_KIND, tell_moderators
from bedside.practices.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db

WORDS = "I took all of my sleeping pills an hour ago and I feel strange."


@pytest.fixture
def staff(practice):
    return {role: member(practice, role) for role in Role if role != Role.PATIENT}


@pytest.fixture
def group(practice, staff):
    return create_group(
        by=staff[Role.OWNER],
        practice=practice,
        name="Living with diabetes",
        description="Share what helps.",
        guidelines="Be kind.",
    )


def crisis_thread(practice, group):
    patient = member(practice)
    join_group(user=patient, group=group, accept_guidelines=True)
    return start_thread(by=patient, group=group, title="Tonight", body=WORDS)


def test_each_moderator_admin_and_owner_hears_of_a_crisis_once_and_nobody_else(
    practice, staff, group, sink, committed
):
    outcome = crisis_thread(practice, group)
    assert outcome.crisis

    with committed(execute=True):
        assert tell_moderators() == 3
    with committed(execute=True):
        assert tell_moderators() == 0

    told = {n.user for n in Notification.objects.filter(kind=SAFETY_ALERT_KIND)}
    assert told == {staff[Role.OWNER], staff[Role.ADMIN], staff[Role.MODERATOR]}
    assert sorted(sink.recipients()) == sorted(user.email for user in told)
    assert SafetyAlert.objects.get().moderators_told_at is not None
    notice = Notification.objects.filter(kind=SAFETY_ALERT_KIND).first()
    assert "overdose" in notice.title and "Living with diabetes" in notice.title
    assert "sleeping pills" not in notice.title + notice.body
    assert notice.url.endswith(f"#alert-{SafetyAlert.objects.get().pk}")


def test_quiet_hours_digest_and_muting_do_not_delay_an_alert_but_switched_off_email_is_respected(
    practice, staff, group, sink, committed
):
    local = timezone.now().astimezone(ZoneInfo(practice.time_zone))
    NotificationPreference.objects.create(
        user=staff[Role.MODERATOR],
        practice=practice,
        mode=Mode.DAILY_DIGEST,
        quiet_start=(local - timedelta(hours=1)).time(),
        quiet_end=(local + timedelta(hours=1)).time(),
        muted_kinds=[SAFETY_ALERT_KIND],
    )
    NotificationPreference.objects.create(user=staff[Role.ADMIN], practice=practice, email=False)
    NotificationPreference.objects.create(
        user=staff[Role.OWNER], practice=practice, in_app=False, email=False, push=False
    )
    crisis_thread(practice, group)

    with committed(execute=True):
        tell_moderators()

    assert sink.recipients() == [staff[Role.MODERATOR].email]
    moderator_notice = Notification.objects.get(user=staff[Role.MODERATOR])
    assert moderator_notice.push_after is None
    assert Notification.objects.get(user=staff[Role.ADMIN]).in_app
    # Every channel off: the alert still waits in the app.
    assert Notification.objects.get(user=staff[Role.OWNER]).in_app


def test_a_crisis_reply_alerts_too_and_ordinary_posts_do_not(practice, staff, group, committed):
    patient = member(practice)
    join_group(user=patient, group=group, accept_guidelines=True)
    thread = start_thread(by=patient, group=group, title="Recipes", body="This diet is killing me!")
    assert not thread.crisis
    post_reply(by=patient, thread=thread.thread, body="Honestly I want to end my life.")

    with committed(execute=True):
        assert tell_moderators() == 3

    alert = SafetyAlert.objects.get()
    assert alert.reply is not None and alert.category == "suicidal"


def test_the_clock_runs_the_safety_alert_sweep_first():
    names = [name for name, _ in sweeps.registry()]

    assert names[0] == "notify.safety_alerts.tell_moderators"
