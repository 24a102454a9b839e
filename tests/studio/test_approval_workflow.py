"""The approval workflow: who must approve each kind of post, and the steps to get there.

``draft → in_review → approved → scheduled → published → archived``, with "request
changes" back to draft. Notifications are the real ones notify leaves behind; every step
must be in the post's history and in the audit trail.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from bedside.audit.models import AuditEvent
from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.notify.models import Notification
from bedside.posts.models import Kind, Post, Status
from bedside.practices.models import Role
from bedside.studio import services, workflow
from bedside.studio.approvals import POLICY_KINDS, approval_state, policies_of
from bedside.studio.models import ApprovalPolicy, Approver, PostEvent, Step
from tests.factories.posts import PostFactory
from tests.factories.practices import member
from tests.factories.studio import set_approval_policy

pytestmark = pytest.mark.django_db

CLINICIAN, ADMIN, COMPLIANCE = Approver.CLINICIAN, Approver.ADMIN, Approver.COMPLIANCE


@pytest.fixture
def owner(practice):
    return member(practice, Role.OWNER)


@pytest.fixture
def admin(practice):
    return member(practice, Role.ADMIN)


@pytest.fixture
def editor(practice):
    return member(practice, Role.EDITOR)


@pytest.fixture
def clinician(practice):
    return member(practice, Role.CLINICIAN)


@pytest.fixture
def officer(practice):
    return member(practice, Role.COMPLIANCE)


def draft(practice, author, kind=Kind.ANNOUNCEMENT, **fields):
    return PostFactory(
        practice=practice, author=author, kind=kind, status=Status.DRAFT, published_at=None,
        **fields,
    )  # fmt: skip


def steps(post):
    return list(PostEvent.objects.filter(post=post).values_list("step", flat=True))


def audited(post):
    return list(
        AuditEvent.objects.filter(target_type="posts.Post", target_id=str(post.pk))
        .order_by("at", "id")
        .values_list("action", flat=True)
    )


def told(user, kind):
    return list(Notification.objects.filter(user=user, kind=kind).values_list("url", flat=True))


def reload(post):
    return Post.objects.get(pk=post.pk)


# --- the policy ---------------------------------------------------------------------------


def test_no_kind_needs_approval_until_the_practice_says_so(practice, editor):
    post = draft(practice, editor)
    assert set(policies_of(practice).values()) == {frozenset()}
    services.publish(by=editor, post=post)
    assert reload(post).status == Status.PUBLISHED
    assert steps(post) == [Step.PUBLISHED]


def test_the_policy_is_per_kind(practice, editor):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    office_life = draft(practice, editor, kind=Kind.OFFICE_LIFE)
    services.publish(by=editor, post=office_life)
    announcement = draft(practice, editor)
    with pytest.raises(Invalid, match="needs approval by an admin"):
        services.publish(by=editor, post=announcement)
    with pytest.raises(Invalid, match="needs approval by an admin"):
        services.schedule(by=editor, post=announcement, at=timezone.now() + timedelta(days=1))
    assert reload(announcement).status == Status.DRAFT


def test_articles_need_a_clinician_and_everything_needs_an_admin(practice):
    everything = {kind: [ADMIN] for kind in POLICY_KINDS}
    set_approval_policy(practice, {**everything, Kind.ARTICLE: [CLINICIAN, ADMIN]})
    policies = policies_of(practice)
    assert policies[Kind.ARTICLE] == {CLINICIAN, ADMIN}
    assert policies[Kind.TEAM] == {ADMIN}
    assert ApprovalPolicy.objects.filter(practice=practice).count() == len(POLICY_KINDS)


def test_configuring_is_for_owners_and_admins_and_is_audited(practice, owner, editor):
    with pytest.raises(NotAllowed):
        workflow.configure_approvals(
            by=editor, practice=practice, required={Kind.ARTICLE: [CLINICIAN]}
        )
    workflow.configure_approvals(by=owner, practice=practice, required={Kind.ARTICLE: [CLINICIAN]})
    row = AuditEvent.objects.get(action="approvals.configure")
    assert row.actor_id == owner.pk and row.practice_id == practice.pk
    assert row.detail["changed"] == {"article": {"before": [], "after": ["clinician"]}}


def test_configuring_refuses_a_kind_or_approver_it_does_not_know(practice, owner):
    with pytest.raises(Invalid):
        workflow.configure_approvals(by=owner, practice=practice, required={"gossip": []})
    with pytest.raises(Invalid):
        workflow.configure_approvals(
            by=owner, practice=practice, required={Kind.ARTICLE: ["receptionist"]}
        )


# --- the steps ----------------------------------------------------------------------------


def test_submit_approve_publish_with_history_audit_and_notices(
    practice, owner, admin, editor, clinician, django_capture_on_commit_callbacks
):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, editor)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit_for_review(by=editor, post=post, comment="Ready when you are.")
    assert reload(post).status == Status.IN_REVIEW
    review_url = reverse("studio_post_review", args=[practice.slug, post.pk])
    assert told(admin, "review_requested") == [review_url]
    assert told(owner, "review_requested") == [review_url]
    assert told(clinician, "review_requested") == []  # the policy asks no clinician
    assert told(editor, "review_requested") == []

    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(by=admin, post=post, comment="Lovely.")
    assert reload(post).status == Status.APPROVED
    edit_url = reverse("studio_post_edit", args=[practice.slug, post.pk])
    assert told(editor, "post_approved") == [edit_url]

    services.publish(by=editor, post=post)
    services.archive(by=editor, post=post)
    assert reload(post).status == Status.ARCHIVED
    history = list(PostEvent.objects.filter(post=post).select_related("actor"))
    assert [(e.step, e.actor, e.comment) for e in history] == [
        (Step.SUBMITTED, editor, "Ready when you are."),
        (Step.APPROVED, admin, "Lovely."),
        (Step.PUBLISHED, editor, ""),
        (Step.ARCHIVED, editor, ""),
    ]
    assert history[1].approver == ADMIN
    assert audited(post) == [
        "post.submit_for_review", "post.approve", "post.publish", "post.archive"
    ]  # fmt: skip


def test_a_post_needing_two_approvals_waits_for_both(practice, admin, editor, clinician):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [CLINICIAN, ADMIN]})
    post = draft(practice, editor)
    workflow.submit_for_review(by=editor, post=post)
    workflow.approve(by=clinician, post=post)
    assert reload(post).status == Status.IN_REVIEW
    assert approval_state(post).missing == [ADMIN]
    with pytest.raises(Conflict, match="already approved"):
        workflow.approve(by=member(practice, Role.CLINICIAN), post=post)
    workflow.approve(by=admin, post=post)
    assert reload(post).status == Status.APPROVED
    services.publish(by=editor, post=post)


def test_nobody_approves_their_own_post(practice, admin):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, admin)
    workflow.submit_for_review(by=admin, post=post)
    with pytest.raises(NotAllowed, match="own post"):
        workflow.approve(by=admin, post=post)
    with pytest.raises(NotAllowed, match="own post"):
        workflow.request_changes(by=admin, post=post, comment="Hmm.")
    assert reload(post).status == Status.IN_REVIEW


@pytest.mark.parametrize("role", [Role.EDITOR, Role.MODERATOR, Role.PATIENT, Role.CLINICIAN])
def test_a_role_the_policy_does_not_name_cannot_approve(practice, editor, role):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN, COMPLIANCE]})
    post = draft(practice, editor)
    workflow.submit_for_review(by=editor, post=post)
    with pytest.raises(NotAllowed):
        workflow.approve(by=member(practice, role), post=post)
    assert not PostEvent.objects.filter(post=post, step=Step.APPROVED).exists()


def test_a_compliance_officer_fills_the_compliance_slot(practice, editor, officer):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [COMPLIANCE]})
    post = draft(practice, editor)
    workflow.submit_for_review(by=editor, post=post)
    workflow.approve(by=officer, post=post)
    assert reload(post).status == Status.APPROVED


def test_staff_of_another_practice_cannot_approve(practice, other_practice, editor):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, editor)
    workflow.submit_for_review(by=editor, post=post)
    with pytest.raises(NotAllowed):
        workflow.approve(by=member(other_practice, Role.OWNER), post=post)


def test_approving_a_post_not_in_review_is_a_conflict(practice, admin, editor):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, editor)
    with pytest.raises(Conflict):
        workflow.approve(by=admin, post=post)


def test_only_a_draft_or_a_post_whose_approval_lapsed_is_submitted(practice, editor):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, editor)
    workflow.submit_for_review(by=editor, post=post)
    with pytest.raises(Conflict, match="in review is not sent"):
        workflow.submit_for_review(by=editor, post=post)
    published = PostFactory(practice=practice, author=editor)
    with pytest.raises(Conflict, match="published is not sent"):
        workflow.submit_for_review(by=editor, post=published)


def test_submitting_a_kind_that_needs_nobody_is_a_conflict(practice, editor):
    with pytest.raises(Conflict, match="need no approval"):
        workflow.submit_for_review(by=editor, post=draft(practice, editor))


def test_a_clinician_submits_only_their_own_posts(practice, editor, clinician):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    with pytest.raises(NotAllowed):
        workflow.submit_for_review(by=clinician, post=draft(practice, editor))
    workflow.submit_for_review(by=clinician, post=draft(practice, clinician))


def test_asking_for_changes_needs_a_comment_and_sends_the_post_back(
    practice, admin, editor, django_capture_on_commit_callbacks
):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, editor)
    workflow.submit_for_review(by=editor, post=post)
    with pytest.raises(Invalid) as refused:
        workflow.request_changes(by=admin, post=post, comment="   ")
    assert refused.value.field == "comment"
    assert reload(post).status == Status.IN_REVIEW
    with django_capture_on_commit_callbacks(execute=True):
        workflow.request_changes(by=admin, post=post, comment="Say which Saturdays.")
    assert reload(post).status == Status.DRAFT
    notice = Notification.objects.get(user=editor, kind="changes_requested")
    assert "Say which Saturdays." in notice.body
    event = PostEvent.objects.get(post=post, step=Step.CHANGES_REQUESTED)
    assert (event.actor, event.comment) == (admin, "Say which Saturdays.")
    assert audited(post)[-1] == "post.request_changes"


def test_comments_on_the_review_reach_the_author_and_whoever_took_part(
    practice, admin, owner, editor, clinician, django_capture_on_commit_callbacks
):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, editor)
    workflow.submit_for_review(by=editor, post=post)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.comment_on_review(by=admin, post=post, comment="Is the date right?")
    assert Notification.objects.filter(user=editor, kind="review_comment").count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        workflow.comment_on_review(by=editor, post=post, comment="Yes, checked.")
    assert Notification.objects.filter(user=admin, kind="review_comment").count() == 1
    assert not Notification.objects.filter(user=owner, kind="review_comment").exists()
    with pytest.raises(Invalid):
        workflow.comment_on_review(by=admin, post=post, comment="")
    with pytest.raises(NotAllowed):
        workflow.comment_on_review(by=member(practice, Role.MODERATOR), post=post, comment="Hi")
    assert audited(post).count("post.comment_review") == 2


# --- approval is of the words ----------------------------------------------------------------


def _edit(client, user, post, **changes):
    client.force_login(user)
    data = {
        "title": post.title, "kind": post.kind, "topic": post.topic,
        "visibility": post.visibility, "body": post.body, "spotlight": "",
        "announcement_type": post.announcement_type or "general",
        "images-TOTAL_FORMS": "0", "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0", "images-MAX_NUM_FORMS": "4", "action": "save",
        **changes,
    }  # fmt: skip
    return client.post(reverse("studio_post_edit", args=[post.practice.slug, post.pk]), data)


@pytest.fixture
def approved(practice, admin, editor):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, editor)
    workflow.submit_for_review(by=editor, post=post)
    workflow.approve(by=admin, post=post)
    return reload(post)


def test_saving_an_approved_post_unchanged_keeps_its_approval(client, approved, editor):
    response = _edit(client, editor, approved)
    assert response.status_code == 302
    assert reload(approved).status == Status.APPROVED


def test_editing_an_approved_posts_words_sends_it_back_to_draft(client, approved, editor):
    response = _edit(client, editor, approved, body="Open on Saturdays **and Sundays**.")
    assert response.status_code == 302
    post = reload(approved)
    assert post.status == Status.DRAFT
    assert steps(post)[-1] == Step.WITHDRAWN
    assert "post.withdraw_approval" in audited(post)
    with pytest.raises(Invalid, match="needs approval"):
        services.publish(by=editor, post=post)


def test_editing_a_scheduled_approved_post_takes_it_off_the_schedule(client, approved, editor):
    services.schedule(by=editor, post=approved, at=timezone.now() + timedelta(days=2))
    _edit(client, editor, reload(approved), title="Saturday AND Sunday mornings")
    post = reload(approved)
    assert (post.status, post.scheduled_at) == (Status.DRAFT, None)


def test_approvals_given_before_an_edit_in_review_no_longer_count(
    client, practice, admin, editor, clinician
):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [CLINICIAN, ADMIN]})
    post = draft(practice, editor)
    workflow.submit_for_review(by=editor, post=post)
    workflow.approve(by=clinician, post=post)
    _edit(client, editor, post, body="Different words now.")
    post = reload(post)
    assert post.status == Status.IN_REVIEW
    assert approval_state(post).missing == [CLINICIAN, ADMIN]
    assert steps(post)[-1] == Step.EDITED
    workflow.approve(by=clinician, post=post)  # the new words, approved again


def test_a_published_post_that_needed_approval_cannot_change_its_words_in_place(
    client, approved, editor
):
    services.publish(by=editor, post=approved)
    response = _edit(client, editor, reload(approved), body="Sneaky new words.")
    assert response.status_code == 422
    assert "unpublish it" in response.content.decode()
    assert reload(approved).body != "Sneaky new words."


def test_unscheduling_an_approved_post_keeps_it_approved(approved, editor):
    services.schedule(by=editor, post=approved, at=timezone.now() + timedelta(days=2))
    services.unschedule(by=editor, post=reload(approved))
    assert reload(approved).status == Status.APPROVED
    assert steps(approved)[-2:] == [Step.SCHEDULED, Step.UNSCHEDULED]


def test_a_scheduled_post_whose_words_changed_elsewhere_is_held_when_due(approved, editor):
    services.schedule(by=editor, post=approved, at=timezone.now() + timedelta(days=2))
    # As the article editor would: new words without passing through the studio.
    Post.objects.filter(pk=approved.pk).update(
        body="Changed after approval.", scheduled_at=timezone.now() - timedelta(minutes=1)
    )
    assert services.publish_due(post_id=approved.pk) is None
    post = reload(approved)
    assert post.status == Status.DRAFT
    held = PostEvent.objects.get(post=post, step=Step.HELD)
    assert held.actor is None and "needs approval by an admin" in held.comment
    assert audited(post)[-1] == "post.hold"


def test_a_due_post_that_is_still_approved_is_published_and_recorded(approved, editor):
    services.schedule(by=editor, post=approved, at=timezone.now() + timedelta(days=2))
    Post.objects.filter(pk=approved.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))
    assert services.publish_due(post_id=approved.pk) is not None
    assert steps(approved)[-1] == Step.PUBLISHED
    assert audited(approved)[-1] == "post.publish"


def test_an_article_meets_educations_rules_before_the_approval_policy(practice, clinician):
    set_approval_policy(practice, {Kind.ARTICLE: [ADMIN]})
    article = draft(practice, clinician, kind=Kind.ARTICLE)  # no Article row: no sources
    with pytest.raises(Invalid, match="article editor"):
        services.publish(by=clinician, post=article)


# --- the studio's other actions, audited ------------------------------------------------------


def test_every_studio_action_writes_an_audit_row(client, practice, editor):
    client.force_login(editor)
    post = draft(practice, editor)
    url = reverse("studio_post_edit", args=[practice.slug, post.pk])
    _edit(client, editor, post, is_pinned="on")
    _edit(client, editor, reload(post))
    at = (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT%H:%M")
    _edit(client, editor, reload(post), action="schedule", scheduled_at=at)
    client.post(url, {"action": "unschedule"})
    _edit(client, editor, reload(post), action="publish")
    client.post(url, {"action": "unpublish"})
    client.post(url, {"action": "archive"})
    client.post(url, {"action": "delete"})
    assert not Post.objects.filter(pk=post.pk).exists()
    assert audited(post) == [
        "post.edit", "post.pin", "post.edit", "post.unpin",
        "post.edit", "post.schedule", "post.unschedule",
        "post.edit", "post.publish", "post.unpublish", "post.archive", "post.delete",
    ]  # fmt: skip
    assert set(AuditEvent.objects.values_list("actor_id", flat=True)) == {editor.pk}


NAMING = "Thank you to our patient Maria Lopez for letting us share her recovery story."


def test_the_approval_policy_is_asked_before_the_identifier_guard(practice, editor):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, editor, body=NAMING)
    with pytest.raises(Invalid, match="needs approval by an admin"):
        services.publish(by=editor, post=post)


def test_a_post_needing_no_approval_that_names_a_patient_still_needs_her_consent(practice, editor):
    post = draft(practice, editor, body=NAMING)
    with pytest.raises(Invalid) as refused:
        services.publish(by=editor, post=post)
    assert refused.value.field == "identifiers"
    assert reload(post).status == Status.DRAFT


def test_nobody_approves_words_that_expose_a_patient_without_consent(practice, admin, editor):
    set_approval_policy(practice, {Kind.ANNOUNCEMENT: [ADMIN]})
    post = draft(practice, editor, body=NAMING)
    workflow.submit_for_review(by=editor, post=post)
    with pytest.raises(Invalid, match="authorization"):
        workflow.approve(by=admin, post=post)
    assert reload(post).status == Status.IN_REVIEW
