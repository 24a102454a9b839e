from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from bedside.audit.models import AuditEvent
from bedside.compliance import guard
from bedside.compliance.models import Authorization, State
from bedside.demo import riverside
from bedside.demo.compliance import STORY_TITLE
from bedside.posts.models import Post, Status

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_a_patient_story_under_her_authorization():
    call_command("seed_demo", stdout=StringIO())
    post = Post.objects.get(practice__slug=riverside.SLUG, title=STORY_TITLE)
    assert post.status == Status.PUBLISHED
    assert any(f.kind == "name" and f.text == "Maria Lopez" for f in guard.findings_for(post))
    assert guard.publish_problems(post) == []
    maria = Authorization.objects.get(subject_name="Maria Lopez")
    assert guard.attached_authorizations(post) == [maria]
    assert sorted(maria.covers) == ["name", "photo", "story"]
    today = guard.practice_today(post.practice)
    assert maria.state_on(today) == State.ACTIVE
    expired = Authorization.objects.get(subject_name="Robert Chen")
    assert expired.state_on(today) == State.EXPIRED and expired.expiry_handled_at is not None
    assert Path(maria.document.path).is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    actions = set(
        AuditEvent.objects.filter(practice_id=post.practice_id).values_list("action", flat=True)
    )
    assert {"authorization.create", "authorization.attach", "authorization.expire"} <= actions


def test_resetting_the_demo_deletes_the_signed_forms():
    call_command("seed_demo", stdout=StringIO())
    paths = [Path(a.document.path) for a in Authorization.objects.all()]
    assert paths and all(path.exists() for path in paths)
    call_command("seed_demo", "--reset", stdout=StringIO())
    assert not any(path.exists() for path in paths)
