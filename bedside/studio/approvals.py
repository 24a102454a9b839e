"""Reads of the approval workflow: the practice's policy, a post's approvals, the queue.

An approval is of the words: each one keeps the fingerprint of what the post said when it
was given and counts only while the post still says exactly that, so an edit after
approval needs approving again whatever the post's status field says.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Prefetch

from bedside.compliance import texts
from bedside.core.errors import Invalid
from bedside.posts.models import CREATABLE_KINDS, Post, Status
from bedside.practices.models import Practice, Role, User
from bedside.practices.permissions import AnyUser, role_in
from bedside.studio.models import APPROVER_OF_ROLE, ApprovalPolicy, Approver, PostEvent, Step

POLICY_KINDS: tuple[str, ...] = tuple(CREATABLE_KINDS)
QUEUE_LIMIT = 100
ROLES_OF_APPROVER: dict[Approver, tuple[Role, ...]] = {
    Approver.CLINICIAN: (Role.CLINICIAN,),
    Approver.ADMIN: (Role.OWNER, Role.ADMIN),
    Approver.COMPLIANCE: (Role.COMPLIANCE,),
}


def fingerprint(post: Post) -> str:
    """SHA-256 of what the public reads: title, body, transcript, video, images, and the
    public texts of the post's pillar row (``compliance.texts``: an article's summary, a
    poll's choices, …).

    Reads ``post.images.all()`` and the pillar row, so a list that prefetched them
    (``texts.prefetch_paths``) costs no query.
    """
    images = [
        [image.image.name, image.alt_text, image.caption, image.shows_patients]
        for image in post.images.all()
    ]
    words = {
        "title": post.title,
        "body": post.body,
        "transcript": post.transcript,
        "content_warning": post.content_warning,
        "video": post.video.name if post.video else "",
        "video_embed_url": post.video_embed_url,
        "images": images,
    }
    pillar = texts.texts_of(post)
    if pillar:
        # Left out when empty, so approvals of plain posts given before still count.
        words["pillar"] = [list(text) for text in pillar]
    encoded = json.dumps(words, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def policies_of(practice: Practice) -> dict[str, frozenset[Approver]]:
    """Whose approval each kind needs in ``practice``; kinds without a row need nobody's."""
    rows = ApprovalPolicy.objects.filter(practice=practice)
    required = {kind: frozenset[Approver]() for kind in POLICY_KINDS}
    required.update({row.kind: row.required for row in rows})
    return required


def required_for(post: Post) -> frozenset[Approver]:
    row = ApprovalPolicy.objects.filter(practice_id=post.practice_id, kind=post.kind).first()
    return row.required if row is not None else frozenset()


def approver_slot(user: AnyUser, practice_id: int) -> Approver | None:
    """The slot ``user``'s approval fills in that practice; None if it fills none."""
    role = role_in(user, practice_id)
    return APPROVER_OF_ROLE.get(role) if role is not None else None


@dataclass(frozen=True)
class ApprovalState:
    """Where a post stands against its policy, for the words it holds now."""

    required: frozenset[Approver]
    given: dict[Approver, PostEvent]

    @property
    def is_needed(self) -> bool:
        return bool(self.required)

    @property
    def missing(self) -> list[Approver]:
        return [slot for slot in Approver if slot in self.required and slot not in self.given]

    @property
    def is_complete(self) -> bool:
        return not self.missing

    @property
    def missing_labels(self) -> str:
        return _and([str(slot.label).lower() for slot in self.missing])


def _and(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def approval_state(
    post: Post,
    *,
    required: frozenset[Approver] | None = None,
    approvals: Iterable[PostEvent] | None = None,
) -> ApprovalState:
    """The approvals that count for ``post`` as it reads now.

    ``required`` and ``approvals`` (the post's ``approved`` events) may come from a list
    query that loaded them for many posts at once; otherwise they are read here.
    """
    if required is None:
        required = required_for(post)
    if not required:
        return ApprovalState(required=required, given={})
    if approvals is None:
        approvals = post.events.filter(step=Step.APPROVED).select_related("actor")
    current = fingerprint(post)
    given: dict[Approver, PostEvent] = {}
    for event in approvals:
        if event.step == Step.APPROVED and event.fingerprint == current:
            slot = Approver(event.approver)
            if slot in required:
                given.setdefault(slot, event)
    return ApprovalState(required=required, given=given)


def approval_problems(post: Post) -> list[str]:
    """Why the policy keeps ``post`` from going public; empty when it may."""
    state = approval_state(post)
    if state.is_complete:
        return []
    return [f"It needs approval by {state.missing_labels} before it goes public."]


def check_approved(post: Post) -> None:
    problems = approval_problems(post)
    if problems:
        raise Invalid(" ".join(problems))


def reviewers_for(post: Post, slots: Iterable[Approver]) -> list[User]:
    """Staff whose approval would fill one of ``slots``, never the post's author."""
    roles = [role for slot in slots for role in ROLES_OF_APPROVER[slot]]
    people = User.objects.filter(
        memberships__practice_id=post.practice_id, memberships__role__in=roles
    )
    if post.author_id is not None:
        people = people.exclude(pk=post.author_id)
    return list(people)


def post_history(post: Post) -> list[PostEvent]:
    """Every step the post took, oldest first, with who took it: one query."""
    return list(post.events.select_related("actor").order_by("at", "id"))


@dataclass(frozen=True)
class QueueItem:
    post: Post
    submitted: PostEvent | None
    state: ApprovalState


def review_queue(practice: Practice, viewer: AnyUser) -> list[QueueItem]:
    """Posts in review that wait for ``viewer``'s kind of approval, longest waiting first.

    Never the viewer's own posts, nor posts whose slot the viewer fills is already taken
    for the words they hold now. Four queries whatever the queue's length, and the pillar
    rows' (one to three per kind in the queue).
    """
    slot = approver_slot(viewer, practice.pk)
    if slot is None:
        return []
    policies = policies_of(practice)
    kinds = [kind for kind, required in policies.items() if slot in required]
    if not kinds:
        return []
    steps = PostEvent.objects.filter(step__in=[Step.SUBMITTED, Step.APPROVED])
    posts = (
        Post.objects.filter(practice=practice, status=Status.IN_REVIEW, kind__in=kinds)
        .exclude(author_id=viewer.pk)
        .select_related("author", "practice")
        .prefetch_related(
            "images",
            *texts.prefetch_paths(kinds),
            Prefetch(
                "events",
                queryset=steps.select_related("actor").order_by("at", "id"),
                to_attr="review_steps",
            ),
        )
        .order_by("updated_at", "id")[:QUEUE_LIMIT]
    )
    items = []
    for post in posts:
        state = approval_state(post, required=policies[post.kind], approvals=post.review_steps)
        if slot in state.given:
            continue
        submitted = [e for e in post.review_steps if e.step == Step.SUBMITTED]
        latest = submitted[-1] if submitted else None
        items.append(QueueItem(post=post, submitted=latest, state=state))
    return items
