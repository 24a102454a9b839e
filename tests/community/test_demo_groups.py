from io import StringIO

import pytest
from django.core.management import call_command

from bedside.community.models import (
    Group,
    GroupMember,
    MemberStatus,
    PostStatus,
    Reply,
    SafetyAlert,
    Thread,
    Visibility,
)
from bedside.demo import riverside

pytestmark = pytest.mark.django_db


def test_the_demo_has_three_groups_with_conversations_and_a_request_waiting():
    call_command("seed_demo", stdout=StringIO())
    groups = {
        group.visibility: group for group in Group.objects.filter(practice__slug=riverside.SLUG)
    }
    assert set(groups) == {Visibility.PUBLIC, Visibility.PRIVATE, Visibility.HIDDEN}
    for group in groups.values():
        assert Thread.objects.filter(group=group, status=PostStatus.PUBLISHED).exists()
    assert Reply.objects.filter(thread__group=groups[Visibility.PUBLIC]).count() >= 4
    assert (
        GroupMember.objects.filter(
            group=groups[Visibility.PRIVATE], status=MemberStatus.PENDING
        ).count()
        == 1
    )
    demo_patient = riverside.LOGINS[-1].email
    assert not GroupMember.objects.filter(user__email=demo_patient).exists()
    assert not SafetyAlert.objects.exists()  # nothing in the demo's words reads as a crisis
