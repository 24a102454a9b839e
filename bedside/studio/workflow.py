"""The approval workflow's services: submit, approve, ask for changes, comment, configure.

``draft → in_review → approved``, and ``in_review → draft`` when a reviewer asks for
changes (with a comment). Who must approve a kind of post is the practice's policy
(``ApprovalPolicy``); nobody approves their own post, and an approval counts only for the
words it saw (``approvals.fingerprint``). Every step is a ``PostEvent`` for the post's
history and an audit row, written in the transaction of the change.
"""

from collections.abc import Iterable, Mapping

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bedside.audit.services import record
from bedside.compliance import guard
from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.notify.services import notify_users
from bedside.posts.models import Post, Status
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, can, require
from bedside.studio.approvals import (
    POLICY_KINDS,
    approval_state,
    approver_slot,
    fingerprint,
    policies_of,
    required_for,
    reviewers_for,
)
from bedside.studio.models import ApprovalPolicy, Approver, PostEvent, Step

MAX_COMMENT = 2000
AUDIT_ACTION: dict[Step, str] = {
    Step.SUBMITTED: "post.submit_for_review",
    Step.APPROVED: "post.approve",
    Step.CHANGES_REQUESTED: "post.request_changes",
    Step.COMMENTED: "post.comment_review",
    Step.EDITED: "post.edit_in_review",
    Step.WITHDRAWN: "post.withdraw_approval",
    Step.SCHEDULED: "post.schedule",
    Step.UNSCHEDULED: "post.unschedule",
    Step.PUBLISHED: "post.publish",
    Step.HELD: "post.hold",
    Step.UNPUBLISHED: "post.unpublish",
    Step.ARCHIVED: "post.archive",
}


def add_step(
    *,
    post: Post,
    by: User | None,
    step: Step,
    comment: str = "",
    approver: str = "",
    words: str = "",
) -> PostEvent:
    """Write one step of ``post``'s history and its audit row (call inside the change's
    transaction)."""
    event = PostEvent.objects.create(
        post=post,
        practice_id=post.practice_id,
        actor=by,
        step=step,
        comment=comment,
        approver=approver,
        fingerprint=words,
    )
    detail: dict[str, object] = {"status": post.status, "kind": post.kind}
    if approver:
        detail["approver"] = approver
    if comment:
        detail["comment"] = comment[:500]
    if words:
        detail["fingerprint"] = words
    record(
        action=AUDIT_ACTION[step], actor=by, practice=post.practice_id, target=post, detail=detail
    )
    return event


def move(post: Post, *, to: Status, allowed_from: Iterable[Status]) -> None:
    """Change the post's status if it is still in one of ``allowed_from`` (a conditional
    update, so two reviewers at once cannot both move it); Conflict otherwise."""
    moved = Post.objects.filter(pk=post.pk, status__in=list(allowed_from)).update(
        status=to, scheduled_at=None, updated_at=timezone.now()
    )
    if not moved:
        raise Conflict("Someone changed this post meanwhile: reload the page.")
    post.status = to
    post.scheduled_at = None


def _review_url(post: Post) -> str:
    return reverse("studio_post_review", kwargs={"slug": post.practice.slug, "post_id": post.pk})


def _edit_url(post: Post) -> str:
    return reverse("studio_post_edit", kwargs={"slug": post.practice.slug, "post_id": post.pk})


def _comment(text: str, *, required: bool) -> str:
    text = text.strip()
    if required and not text:
        raise Invalid("Say what should change, so the author knows.", field="comment")
    if len(text) > MAX_COMMENT:
        raise Invalid(f"Keep the comment under {MAX_COMMENT:,} characters.", field="comment")
    return text


def _tell_author(post: Post, *, by: User, kind: str, title: str, body: str, key: str) -> None:
    if post.author is None or post.author_id == by.pk:
        return
    author = post.author
    transaction.on_commit(
        lambda: notify_users(
            users=[author],
            practice=post.practice,
            kind=kind,
            title=title,
            body=body,
            url=_edit_url(post),
            key=key,
        )
    )


def submit_for_review(*, by: User, post: Post, comment: str = "") -> Post:
    """Ask the approvers the policy names to approve ``post``; they are told at once."""
    comment = _comment(comment, required=False)
    require(by, Action.SUBMIT_FOR_REVIEW, post)
    state = approval_state(post)
    if not state.is_needed:
        raise Conflict("Posts of this kind need no approval here: publish it when it is ready.")
    if post.status == Status.APPROVED and state.is_complete:
        raise Conflict("This post is already approved.")
    if post.status not in (Status.DRAFT, Status.APPROVED):
        raise Conflict(
            f"A post that is {post.get_status_display().lower()} is not sent for review."
        )
    with transaction.atomic():
        move(post, to=Status.IN_REVIEW, allowed_from=[Status.DRAFT, Status.APPROVED])
        event = add_step(
            post=post, by=by, step=Step.SUBMITTED, comment=comment, words=fingerprint(post)
        )
        if state.is_complete:
            # The words were approved before (sent back unchanged): nothing left to ask.
            move(post, to=Status.APPROVED, allowed_from=[Status.IN_REVIEW])
            return post
        reviewers = reviewers_for(post, state.missing)
        transaction.on_commit(
            lambda: notify_users(
                users=reviewers,
                practice=post.practice,
                kind="review_requested",
                title=f"Please review “{post.title}”",
                body=f"{by.get_full_name() or by.email} asks for your approval."
                + (f" “{comment}”" if comment else ""),
                url=_review_url(post),
                key=f"post:{post.pk}:review:{event.pk}",
            )
        )
    return post


def _require_reviewer(by: User, post: Post) -> Approver:
    """The slot ``by`` fills on ``post``: never their own post, only a slot the policy asks."""
    require(by, Action.APPROVE_POST, post)
    if post.author_id == by.pk:
        raise NotAllowed("Nobody approves their own post: ask a colleague.")
    slot = approver_slot(by, post.practice_id)
    if slot is None or slot not in required_for(post):
        raise NotAllowed("This practice's approval policy does not ask for your approval here.")
    if post.status != Status.IN_REVIEW:
        raise Conflict("This post is not waiting for review.")
    return slot


def approve(*, by: User, post: Post, comment: str = "") -> Post:
    """Approve the words ``post`` holds now; it is approved once every slot is filled."""
    comment = _comment(comment, required=False)
    slot = _require_reviewer(by, post)
    # What is approved may go public as it stands: no patient exposed without consent.
    guard.check_publishable(post)
    with transaction.atomic():
        locked = Post.objects.select_for_update().get(pk=post.pk)
        if locked.status != Status.IN_REVIEW:
            raise Conflict("This post is not waiting for review.")
        state = approval_state(post)
        if slot in state.given:
            raise Conflict(f"{slot.label} has already approved these words.")
        event = add_step(
            post=post,
            by=by,
            step=Step.APPROVED,
            comment=comment,
            approver=slot,
            words=fingerprint(post),
        )
        still_missing = [missing for missing in state.missing if missing != slot]
        if not still_missing:
            move(post, to=Status.APPROVED, allowed_from=[Status.IN_REVIEW])
        _tell_author_of_approval(post, by=by, event=event, still_missing=still_missing)
    return post


def _tell_author_of_approval(
    post: Post, *, by: User, event: PostEvent, still_missing: list[Approver]
) -> None:
    who = by.get_full_name() or by.email
    if still_missing:
        labels = " and ".join(str(slot.label).lower() for slot in still_missing)
        title, after = f"{who} approved “{post.title}”", f" It still waits for {labels}."
    else:
        title, after = f"“{post.title}” was approved", " You may publish it."
    _tell_author(
        post,
        by=by,
        kind="post_approved",
        title=title,
        body=(event.comment or f"Approved by {who}.") + after,
        key=f"post:{post.pk}:approved:{event.pk}",
    )


def request_changes(*, by: User, post: Post, comment: str) -> Post:
    """Send ``post`` back to its author as a draft, saying what should change."""
    comment = _comment(comment, required=True)
    _require_reviewer(by, post)
    with transaction.atomic():
        move(post, to=Status.DRAFT, allowed_from=[Status.IN_REVIEW])
        event = add_step(post=post, by=by, step=Step.CHANGES_REQUESTED, comment=comment)
        _tell_author(
            post,
            by=by,
            kind="changes_requested",
            title=f"Changes asked for “{post.title}”",
            body=f"{by.get_full_name() or by.email}: {comment}",
            key=f"post:{post.pk}:changes:{event.pk}",
        )
    return post


def may_comment(user: User, post: Post) -> bool:
    return can(user, Action.EDIT_POST, post) or can(user, Action.APPROVE_POST, post)


def comment_on_review(*, by: User, post: Post, comment: str) -> PostEvent:
    """A word on the review thread; the author and whoever took part before hear of it."""
    comment = _comment(comment, required=True)
    if not may_comment(by, post):
        raise NotAllowed("You do not have permission to do that.")
    with transaction.atomic():
        event = add_step(post=post, by=by, step=Step.COMMENTED, comment=comment)
        took_part = set(post.events.exclude(actor=None).values_list("actor_id", flat=True))
        if post.author_id is not None:
            took_part.add(post.author_id)
        took_part.discard(by.pk)
        people = list(User.objects.filter(pk__in=took_part))
        transaction.on_commit(
            lambda: notify_users(
                users=people,
                practice=post.practice,
                kind="review_comment",
                title=f"A comment on “{post.title}”",
                body=f"{by.get_full_name() or by.email}: {comment}",
                url=_review_url(post),
                key=f"post:{post.pk}:comment:{event.pk}",
            )
        )
    return event


def reconsider_after_edit(*, by: User, post: Post, words_before: str) -> None:
    """After ``post``'s words changed: an approval of the old words no longer counts.

    An approved or scheduled post goes back to draft to be submitted again; a post in
    review stays there (its reviewers now read the new words); a published post that
    needs approval may not change its words in place.
    """
    words = fingerprint(post)
    if words == words_before:
        return
    state = approval_state(post)
    if not state.is_needed:
        return
    if post.status == Status.PUBLISHED:
        raise Invalid(
            "This post went out as approved: to change its words, unpublish it, edit it and "
            "submit it for review again."
        )
    if post.status == Status.IN_REVIEW:
        add_step(post=post, by=by, step=Step.EDITED, words=words)
    elif post.status in (Status.APPROVED, Status.SCHEDULED) and not state.is_complete:
        move(post, to=Status.DRAFT, allowed_from=[Status.APPROVED, Status.SCHEDULED])
        add_step(post=post, by=by, step=Step.WITHDRAWN, words=words)


def configure_approvals(
    *, by: User, practice: Practice, required: Mapping[str, Iterable[str]]
) -> dict[str, frozenset[Approver]]:
    """Set whose approval each kind of post needs; kinds left out need nobody's."""
    wanted: dict[str, frozenset[Approver]] = {}
    for kind, slots in required.items():
        if kind not in POLICY_KINDS:
            raise Invalid("Choose kinds of post this practice publishes.", field="kind")
        if any(slot not in Approver.values for slot in slots):
            raise Invalid("Choose who must approve from the list.", field=kind)
        wanted[kind] = frozenset(Approver(slot) for slot in slots)
    require(by, Action.CONFIGURE_APPROVALS, practice)
    with transaction.atomic():
        before = policies_of(practice)
        after = {kind: wanted.get(kind, frozenset()) for kind in POLICY_KINDS}
        for kind in POLICY_KINDS:
            ApprovalPolicy.objects.update_or_create(
                practice=practice,
                kind=kind,
                defaults={
                    "needs_clinician": Approver.CLINICIAN in after[kind],
                    "needs_admin": Approver.ADMIN in after[kind],
                    "needs_compliance": Approver.COMPLIANCE in after[kind],
                },
            )
        changed = {
            kind: {"before": sorted(before[kind]), "after": sorted(after[kind])}
            for kind in POLICY_KINDS
            if before[kind] != after[kind]
        }
        record(
            action="approvals.configure",
            actor=by,
            practice=practice,
            target=practice,
            detail={"changed": changed},
        )
    return after


def ensure_policies(practice: Practice) -> None:
    """Seed a row for every kind, asking for nobody's approval, where none exists yet."""
    ApprovalPolicy.objects.bulk_create(
        [ApprovalPolicy(practice=practice, kind=kind) for kind in POLICY_KINDS],
        ignore_conflicts=True,
    )
