"""The identifier guard on the publishing side: findings block, authorizations and overrides
clear, and nothing stale (expired, revoked, edited since) ever does."""

from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from bedside.audit.models import AuditEvent
from bedside.compliance import guard
from bedside.compliance.models import Authorization, Cover, IdentifierOverride
from bedside.compliance.services import (
    attach_authorization,
    detach_authorization,
    override_identifiers,
)
from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.posts.models import Status
from bedside.posts.services import update_post
from bedside.practices.models import Role
from tests.factories import AuthorizationFactory, PostFactory, PostImageFactory, member

pytestmark = pytest.mark.django_db


def test_a_post_without_identifiers_passes(practice, editor):
    post = PostFactory(practice=practice, author=editor, body="Flu shots are in.")
    assert guard.findings_for(post) == []
    assert guard.publish_problems(post) == []
    guard.check_publishable(post)


def test_a_patient_named_in_a_post_stops_it_without_naming_her_in_the_message(draft):
    findings = guard.findings_for(draft)
    assert [(f.kind, f.text, f.needs) for f in findings] == [("name", "Maria Lopez", Cover.NAME)]
    with pytest.raises(Invalid) as raised:
        guard.check_publishable(draft)
    assert "patient's name" in raised.value.message or "name" in raised.value.message
    assert "their name" in raised.value.message
    assert "Maria" not in raised.value.message


def test_the_practice_s_own_phone_number_is_not_a_finding(practice, editor):
    post = PostFactory(practice=practice, author=editor, body=f"Call us on {practice.phone}.")
    assert guard.findings_for(post) == []


def test_an_attached_authorization_covering_the_name_clears_the_post(draft, editor, consent):
    attach_authorization(by=editor, post=draft, authorization=consent)
    assert guard.publish_problems(draft) == []
    event = AuditEvent.objects.get(action="authorization.attach")
    assert event.actor_id == editor.pk and event.target_id == str(draft.pk)
    assert event.target_label == f"post #{draft.pk}"
    assert event.detail == {"authorization": consent.pk}


def test_an_authorization_that_does_not_cover_the_name_leaves_the_post_blocked(
    practice, draft, editor
):
    photos_only = AuthorizationFactory(practice=practice, covers=[Cover.PHOTO, Cover.STORY])
    attach_authorization(by=editor, post=draft, authorization=photos_only)
    problems = guard.publish_problems(draft)
    assert problems and "their name" in problems[0]


def test_a_picture_showing_patients_needs_photo_cover(practice, editor, consent):
    post = PostFactory(
        practice=practice, author=editor, status=Status.DRAFT, published_at=None, body="Hello."
    )
    PostImageFactory(post=post, shows_patients=True, alt_text="Two people in the waiting room")
    assert {f.needs for f in guard.findings_for(post)} == {Cover.PHOTO}
    attach_authorization(by=editor, post=post, authorization=consent)
    assert "photos of them" in guard.publish_problems(post)[0]
    consent.covers = [Cover.PHOTO]
    consent.save()
    assert guard.publish_problems(post) == []


def test_a_post_with_video_and_findings_also_needs_video_cover(draft, editor, consent):
    draft.video_embed_url = "https://www.youtube.com/embed/abc123"
    draft.save()
    attach_authorization(by=editor, post=draft, authorization=consent)
    assert "video of them" in guard.publish_problems(draft)[0]
    consent.covers = [Cover.NAME, Cover.VIDEO]
    consent.save()
    assert guard.publish_problems(draft) == []


def test_an_expired_authorization_cannot_be_attached(practice, draft, editor):
    expired = AuthorizationFactory(
        practice=practice, expires_on=timezone.localdate() - timedelta(days=2)
    )
    with pytest.raises(Invalid, match=r"expired on .*cannot be attached"):
        attach_authorization(by=editor, post=draft, authorization=expired)
    assert not AuditEvent.objects.filter(action="authorization.attach").exists()


def test_a_revoked_authorization_cannot_be_attached(practice, draft, editor):
    revoked = AuthorizationFactory(practice=practice, revoked_at=timezone.now())
    with pytest.raises(Invalid, match=r"revoked; it cannot be attached"):
        attach_authorization(by=editor, post=draft, authorization=revoked)


def test_another_practice_s_authorization_cannot_be_attached(draft, editor, other_practice):
    theirs = AuthorizationFactory(practice=other_practice)
    with pytest.raises(Invalid):
        attach_authorization(by=editor, post=draft, authorization=theirs)


@pytest.mark.parametrize("change", ["expire", "revoke"])
def test_an_attached_authorization_that_expired_or_was_revoked_clears_nothing(
    draft, editor, consent, change
):
    attach_authorization(by=editor, post=draft, authorization=consent)
    if change == "expire":
        Authorization.objects.filter(pk=consent.pk).update(
            expires_on=timezone.localdate() - timedelta(days=2)
        )
    else:
        Authorization.objects.filter(pk=consent.pk).update(revoked_at=timezone.now())
    assert guard.publish_problems(draft)


def test_an_authorization_is_good_through_its_last_day(draft, editor, consent):
    Authorization.objects.filter(pk=consent.pk).update(
        expires_on=guard.practice_today(draft.practice)
    )
    consent.refresh_from_db()
    attach_authorization(by=editor, post=draft, authorization=consent)
    assert guard.publish_problems(draft) == []


@pytest.mark.parametrize("role", [Role.OWNER, Role.COMPLIANCE])
def test_an_override_with_a_reason_clears_the_post_as_it_stands(practice, draft, role):
    officer = member(practice, role)
    override = override_identifiers(
        by=officer, post=draft, reason="Maria asked us to thank her by name; form on paper."
    )
    assert override.fingerprint == guard.fingerprint(draft)
    assert override.findings == [{"where": "body", "kind": "name", "text": "Maria Lopez"}]
    assert guard.publish_problems(draft) == []
    event = AuditEvent.objects.get(action="identifier.override")
    assert event.detail["kinds"] == ["name"]
    assert "Maria Lopez" not in str(event.detail["kinds"]) and event.target_label.startswith("post")


def test_editing_the_post_after_an_override_voids_it(draft, officer, editor):
    override_identifiers(by=officer, post=draft, reason="Public figure, consent on file.")
    update_post(
        by=editor,
        post=draft,
        kind=draft.kind,
        topic=draft.topic,
        title=draft.title,
        body=draft.body + " Her phone is 312-555-0199.",
        visibility=draft.visibility,
    )
    assert guard.matching_override(draft) is None
    assert guard.publish_problems(draft)


@pytest.mark.parametrize("reason", ["", "   ", "ok"])
def test_an_override_without_a_reason_is_refused(draft, officer, reason):
    with pytest.raises(Invalid) as raised:
        override_identifiers(by=officer, post=draft, reason=reason)
    assert raised.value.field == "reason"
    assert not IdentifierOverride.objects.exists()
    assert not AuditEvent.objects.filter(action="identifier.override").exists()


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MODERATOR, Role.EDITOR, Role.ADMIN])
def test_only_owners_and_compliance_officers_may_override(practice, draft, role):
    someone = member(practice, role)
    with pytest.raises(NotAllowed):
        override_identifiers(by=someone, post=draft, reason="I am sure this is fine to publish.")
    assert not IdentifierOverride.objects.exists()


def test_an_override_of_a_post_with_nothing_found_is_refused(practice, officer):
    post = PostFactory(practice=practice, body="Flu shots are in.")
    with pytest.raises(Conflict):
        override_identifiers(by=officer, post=post, reason="Nothing to see here at all.")


def test_a_public_post_cannot_lose_the_authorization_it_relies_on(practice, editor, consent):
    post = PostFactory(
        practice=practice, author=editor, body="Our patient Maria Lopez ran the marathon."
    )
    attach_authorization(by=editor, post=post, authorization=consent)
    with pytest.raises(Conflict, match="unpublish it first"):
        detach_authorization(by=editor, post=post, authorization=consent)
    assert guard.attached_authorizations(post) == [consent]


def test_a_draft_may_lose_its_authorization(draft, editor, consent):
    attach_authorization(by=editor, post=draft, authorization=consent)
    detach_authorization(by=editor, post=draft, authorization=consent)
    assert guard.attached_authorizations(draft) == []
    assert AuditEvent.objects.filter(action="authorization.detach").count() == 1


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MODERATOR])
def test_patients_and_moderators_cannot_attach(practice, draft, consent, role):
    with pytest.raises(NotAllowed):
        attach_authorization(by=member(practice, role), post=draft, authorization=consent)


@settings(max_examples=60, deadline=None)
@given(
    text=st.text(max_size=80),
    spans=st.lists(st.tuples(st.integers(0, 80), st.integers(0, 20)), max_size=5),
)
def test_highlight_segments_always_rebuild_the_text(text, spans):
    class Found:
        def __init__(self, start: int, end: int) -> None:
            self.start, self.end = start, end

    findings = sorted(
        (Found(min(a, len(text)), min(a + n, len(text))) for a, n in spans),
        key=lambda f: f.start,
    )
    kept, at = [], 0
    for found in findings:
        if found.start >= at and found.end > found.start:
            kept.append(found)
            at = found.end
    pieces = guard._own_segments(text, kept)
    assert "".join(piece for piece, _ in pieces) == text
    assert [text[f.start : f.end] for f in kept] == [p for p, f in pieces if f is not None]
