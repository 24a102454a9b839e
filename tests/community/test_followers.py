import pytest

from bedside.community.models import ModAction
from bedside.community.services import follow_thread, moderate_post, post_reply, start_thread
from bedside.notify.community import tell_followers
from bedside.notify.models import Notification
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_followers_hear_of_a_new_reply_once_and_the_author_not_at_all(
    practice, make_group, patient, joined
):
    group = make_group()
    joined(patient, group)
    replier, reader = member(practice), member(practice)
    joined(replier, group)
    joined(reader, group)
    thread = start_thread(by=patient, group=group, title="Hello", body="Hi").thread
    follow_thread(by=reader, thread=thread, follow=True)
    post_reply(by=replier, thread=thread, body="Welcome, you are not alone.")
    tell_followers()
    tell_followers()
    told = Notification.objects.filter(kind="group_reply")
    assert sorted(told.values_list("user_id", flat=True)) == sorted([patient.pk, reader.pk])
    assert "Welcome" not in told.first().body  # a notice never carries the reply's words


def test_a_held_reply_is_told_only_once_a_moderator_publishes_it(
    practice, make_group, patient, joined, moderator
):
    group = make_group(premoderate_first=1)
    joined(patient, group)
    newcomer = member(practice)
    joined(newcomer, group)
    joined(moderator, group)
    thread = start_thread(by=moderator, group=group, title="Welcome", body="Say hi").thread
    reply = post_reply(by=newcomer, thread=thread, body="Hi everyone").reply
    assert reply is not None and reply.status == "held"
    tell_followers()
    assert not Notification.objects.filter(kind="group_reply").exists()
    moderate_post(by=moderator, post=reply, action=ModAction.APPROVE_POST, reason="Fine")
    tell_followers()
    assert list(
        Notification.objects.filter(kind="group_reply").values_list("user_id", flat=True)
    ) == [moderator.pk]
