"""Revoking an authorization, or its expiry, takes down every post relying on it at once,
tells staff without naming the patient, and leaves an audit trail."""

from datetime import timedelta

import pytest
from django.utils import timezone

from bedside.audit.models import AuditEvent
from bedside.compliance.models import Authorization, Cover
from bedside.compliance.services import attach_authorization, revoke_authorization
from bedside.compliance.sweeps import expire_authorizations
from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.notify.models import Notification
from bedside.posts.models import Post, Status
from bedside.practices.models import Role
from bedside.studio import clock
from bedside.syndication.models import DeliveryStatus
from tests.compliance.conftest import NAMING_BODY
from tests.factories import AuthorizationFactory, PostFactory, member
from tests.factories.syndication import ChannelFactory, DeliveryFactory

pytestmark = pytest.mark.django_db

REASON = "The patient called to withdraw consent."


def _relying(practice, author, authorization, **fields):
    post = PostFactory(practice=practice, author=author, body=NAMING_BODY, **fields)
    attach_authorization(by=author, post=post, authorization=authorization)
    return post


@pytest.fixture
def relying_posts(practice, editor, consent):
    published = _relying(practice, editor, consent, is_pinned=True)
    scheduled = _relying(
        practice,
        editor,
        consent,
        status=Status.SCHEDULED,
        published_at=None,
        scheduled_at=timezone.now() + timedelta(days=1),
    )
    return published, scheduled


def test_revoking_takes_down_every_published_and_scheduled_post_relying_on_it(
    practice, editor, owner, consent, relying_posts
):
    unrelated = PostFactory(practice=practice, body="Flu shots are in.")
    taken_down = revoke_authorization(by=owner, authorization=consent, reason=REASON)
    assert sorted(post.pk for post in taken_down) == sorted(post.pk for post in relying_posts)
    for post in relying_posts:
        post.refresh_from_db()
        assert post.status == Status.DRAFT
        assert post.published_at is None and post.scheduled_at is None and not post.is_pinned
    assert Post.objects.get(pk=unrelated.pk).status == Status.PUBLISHED
    consent.refresh_from_db()
    assert consent.revoked_by == owner and consent.revocation_reason == REASON


def test_revoking_records_the_revocation_and_each_take_down(owner, consent, relying_posts):
    revoke_authorization(by=owner, authorization=consent, reason=REASON)
    revoke = AuditEvent.objects.get(action="authorization.revoke")
    assert revoke.actor_id == owner.pk
    assert revoke.target_label == f"authorization #{consent.pk}"
    assert "Maria" not in revoke.target_label
    take_downs = AuditEvent.objects.filter(action="post.take_down")
    assert sorted(int(e.target_id) for e in take_downs) == sorted(p.pk for p in relying_posts)
    assert {e.detail["authorization"] for e in take_downs} == {consent.pk}


def test_revoking_tells_staff_who_manage_authorizations_without_naming_the_patient(
    practice, editor, owner, officer, consent, relying_posts, django_capture_on_commit_callbacks
):
    patient = member(practice, Role.PATIENT)
    moderator = member(practice, Role.MODERATOR)
    with django_capture_on_commit_callbacks(execute=True):
        revoke_authorization(by=owner, authorization=consent, reason=REASON)
    told = Notification.objects.filter(kind="authorization_revoked")
    assert set(told.values_list("user_id", flat=True)) == {editor.pk, owner.pk, officer.pk}
    assert not told.filter(user__in=[patient, moderator]).exists()
    notice = told.first()
    assert notice.title == f"Authorization #{consent.pk} revoked"
    assert "2 posts" in notice.body
    assert "Maria" not in notice.title + notice.body
    assert notice.url.endswith(f"/studio/authorizations/{consent.pk}/")


def test_a_post_covered_by_a_second_authorization_stays_up(practice, editor, owner, consent):
    post = _relying(practice, editor, consent)
    second = AuthorizationFactory(practice=practice, covers=[Cover.NAME])
    attach_authorization(by=editor, post=post, authorization=second)
    assert revoke_authorization(by=owner, authorization=consent, reason=REASON) == []
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED


def test_a_revocation_needs_a_reason(owner, consent, relying_posts):
    with pytest.raises(Invalid):
        revoke_authorization(by=owner, authorization=consent, reason=" ")
    assert Authorization.objects.get(pk=consent.pk).revoked_at is None
    assert all(Post.objects.get(pk=p.pk).status != Status.DRAFT for p in relying_posts)


def test_revoking_twice_is_a_conflict(owner, consent):
    revoke_authorization(by=owner, authorization=consent, reason=REASON)
    with pytest.raises(Conflict):
        revoke_authorization(by=owner, authorization=consent, reason=REASON)


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MODERATOR])
def test_patients_and_moderators_cannot_revoke(practice, consent, role):
    with pytest.raises(NotAllowed):
        revoke_authorization(by=member(practice, role), authorization=consent, reason=REASON)


def test_the_expiry_sweep_takes_down_posts_once(
    practice, editor, consent, relying_posts, django_capture_on_commit_callbacks
):
    Authorization.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() - timedelta(days=2)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_authorizations() == 1
    assert all(Post.objects.get(pk=p.pk).status == Status.DRAFT for p in relying_posts)
    expire = AuditEvent.objects.get(action="authorization.expire")
    assert expire.actor_id is None and expire.target_id == str(consent.pk)
    assert AuditEvent.objects.filter(action="post.take_down").count() == 2
    notices = Notification.objects.filter(kind="authorization_expired", user=editor)
    assert notices.count() == 1 and "Maria" not in notices.get().title

    with django_capture_on_commit_callbacks(execute=True):
        assert expire_authorizations() == 0
    assert AuditEvent.objects.filter(action="authorization.expire").count() == 1
    assert Notification.objects.filter(kind="authorization_expired", user=editor).count() == 1


def test_the_expiry_sweep_leaves_current_and_revoked_authorizations_alone(
    practice, owner, consent, relying_posts
):
    revoked = AuthorizationFactory(
        practice=practice,
        expires_on=timezone.localdate() - timedelta(days=3),
        revoked_at=timezone.now(),
    )
    open_ended = AuthorizationFactory(practice=practice, expires_on=None)
    assert expire_authorizations() == 0
    assert Post.objects.get(pk=relying_posts[0].pk).status == Status.PUBLISHED
    assert Authorization.objects.get(pk=revoked.pk).expiry_handled_at is None
    assert Authorization.objects.get(pk=open_ended.pk).expiry_handled_at is None


def test_the_clock_runs_the_expiry_sweep(practice, consent, relying_posts):
    Authorization.objects.filter(pk=consent.pk).update(
        expires_on=timezone.localdate() - timedelta(days=2)
    )
    assert clock.run_sweeps()["compliance.expire_authorizations"] is True
    assert Post.objects.get(pk=relying_posts[0].pk).status == Status.DRAFT


def test_revoking_retracts_the_copies_on_other_networks(practice, editor, owner, consent):
    post = _relying(practice, editor, consent)
    sent = DeliveryFactory(
        channel=ChannelFactory(practice=practice), post=post, status=DeliveryStatus.DONE,
        remote_id="at://did:plc:riverside123/app.bsky.feed.post/1", attempts=1,
    )  # fmt: skip
    revoke_authorization(by=owner, authorization=consent, reason=REASON)
    sent.refresh_from_db()
    assert sent.status == DeliveryStatus.RETRACTING
