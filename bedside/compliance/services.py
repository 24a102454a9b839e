"""Every change to authorizations, their attachment to posts, and identifier overrides.

Each service validates, checks the kernel, writes in one transaction with its audit row,
and leaves what reaches outside (notifications, retracting copies on other networks) to
``on_commit``. Revoking an authorization, or its expiry found by the sweep
(``bedside/compliance/sweeps.py``), takes down at once every published or scheduled post
that no longer passes the guard without it.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO

from django.core.files import File
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from bedside.audit.models import AuditEvent
from bedside.audit.services import record
from bedside.compliance import guard
from bedside.compliance.audit_log import AuditFilters, audit_events
from bedside.compliance.documents import check_document
from bedside.compliance.models import (
    Authorization,
    Cover,
    IdentifierOverride,
    PostAuthorization,
)
from bedside.core.errors import Conflict, Invalid
from bedside.notify.services import notify_users
from bedside.posts import services as posts
from bedside.posts.models import Post, Status
from bedside.practices.models import Membership, Practice, User
from bedside.practices.permissions import ROLE_GRANTS, Action, require
from bedside.syndication.services import retract

MAX_SUBJECT_NAME = 200
MAX_REASON = 2000
MIN_REASON = 10


@dataclass(frozen=True)
class DocumentUpload:
    """The signed form as uploaded: its bytes are checked, never its name or stated type."""

    file: IO[bytes]
    size: int


# --- authorizations ------------------------------------------------------------------------


def _validated_covers(covers: Iterable[str]) -> list[str]:
    chosen = sorted(set(covers))
    if not chosen or any(value not in Cover.values for value in chosen):
        raise Invalid(
            "Tick what the patient agreed to: story, photos, video or name.", field="covers"
        )
    return chosen


def _validated_dates(signed_on: date | None, expires_on: date | None, today: date) -> date:
    if signed_on is None:
        raise Invalid("Give the date the form was signed.", field="signed_on")
    if signed_on > today:
        raise Invalid("The form cannot be signed in the future.", field="signed_on")
    if expires_on is not None and expires_on < signed_on:
        raise Invalid("It cannot expire before it was signed.", field="expires_on")
    return signed_on


def create_authorization(
    *,
    by: User,
    practice: Practice,
    subject_name: str,
    covers: Iterable[str],
    signed_on: date | None,
    expires_on: date | None,
    document: DocumentUpload | None,
    membership: Membership | None = None,
) -> Authorization:
    """Record a patient's signed authorization with its form, kept privately."""
    subject_name = subject_name.strip()
    if not subject_name or len(subject_name) > MAX_SUBJECT_NAME:
        raise Invalid("Give the patient's name as it is on the signed form.", field="subject_name")
    chosen = _validated_covers(covers)
    signed = _validated_dates(signed_on, expires_on, guard.practice_today(practice))
    if document is None:
        raise Invalid("Upload the signed form.", field="document")
    checked = check_document(document.file, size=document.size)
    if membership is not None and membership.practice_id != practice.pk:
        raise Invalid("Choose a patient of this practice.", field="membership")
    require(by, Action.MANAGE_AUTHORIZATIONS, practice)
    with transaction.atomic():
        authorization = Authorization(
            practice=practice,
            subject_name=subject_name,
            membership=membership,
            covers=chosen,
            signed_on=signed,
            expires_on=expires_on,
            document_type=checked.content_type,
            created_by=by,
        )
        authorization.document.save(f"form.{checked.extension}", File(checked.file), save=False)
        try:
            authorization.save()
            record(
                action="authorization.create",
                actor=by,
                practice=practice,
                target=authorization,
                detail={"covers": chosen, "expires_on": str(expires_on or "")},
            )
        except BaseException:
            # A failed save must not leave a patient's signed form on disk.
            authorization.document.storage.delete(authorization.document.name or "")
            raise
    return authorization


def open_document(*, by: User, authorization: Authorization) -> IO[bytes]:
    """The signed form's bytes for ``by``; every opening is in the audit trail."""
    require(by, Action.MANAGE_AUTHORIZATIONS, authorization)
    with transaction.atomic():
        record(
            action="authorization.view_document",
            actor=by,
            practice=authorization.practice_id,
            target=authorization,
        )
    return authorization.document.open("rb")


def revoke_authorization(*, by: User, authorization: Authorization, reason: str) -> list[Post]:
    """The patient withdrew consent: record it and take down every post relying on it.

    Returns the posts taken down. Staff who manage authorizations are told.
    """
    reason = _validated_reason(reason)
    require(by, Action.MANAGE_AUTHORIZATIONS, authorization)
    with transaction.atomic():
        claimed = Authorization.objects.filter(pk=authorization.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now(), revoked_by=by, revocation_reason=reason
        )
        if not claimed:
            raise Conflict("This authorization is already revoked.")
        authorization.refresh_from_db()
        record(
            action="authorization.revoke",
            actor=by,
            practice=authorization.practice_id,
            target=authorization,
            detail={"reason": reason},
        )
        taken_down = _take_down_dependents(authorization, actor=by)
        transaction.on_commit(lambda: _tell_staff(authorization, taken_down, event="revoked"))
    return taken_down


def expire_authorization(*, authorization_id: int) -> list[Post] | None:
    """The expiry sweep's work for one authorization; None if another run handled it."""
    with transaction.atomic():
        claimed = Authorization.objects.filter(
            pk=authorization_id, revoked_at__isnull=True, expiry_handled_at__isnull=True
        ).update(expiry_handled_at=timezone.now())
        if not claimed:
            return None
        authorization = Authorization.objects.select_related("practice").get(pk=authorization_id)
        record(
            action="authorization.expire",
            actor=None,
            practice=authorization.practice_id,
            target=authorization,
            detail={"expires_on": str(authorization.expires_on)},
        )
        taken_down = _take_down_dependents(authorization, actor=None)
        transaction.on_commit(lambda: _tell_staff(authorization, taken_down, event="expired"))
    return taken_down


def _take_down_dependents(authorization: Authorization, *, actor: User | None) -> list[Post]:
    """Posts public or due to be that fail the guard now: back to draft, audited, and their
    copies on other networks retracted, all in the caller's transaction."""
    candidates = (
        Post.objects.filter(
            authorization_links__authorization=authorization,
            status__in=[Status.PUBLISHED, Status.SCHEDULED],
        )
        .select_related("practice")
        .order_by("id")
    )
    taken_down = []
    for post in candidates:
        if not guard.publish_problems(post):
            continue
        was = post.status
        if not posts.withdraw_post(post_id=post.pk):
            continue
        record(
            action="post.take_down",
            actor=actor,
            practice=post.practice_id,
            target=post,
            target_label=_post_label(post),
            detail={"authorization": authorization.pk, "was": was},
        )
        # Copies on other networks go too; the syndication sweep retries what fails.
        retract(post=post)
        taken_down.append(post)
    return taken_down


def _tell_staff(authorization: Authorization, taken_down: Sequence[Post], *, event: str) -> None:
    practice = authorization.practice
    staff_roles = ROLE_GRANTS[Action.MANAGE_AUTHORIZATIONS]
    people = [
        membership.user
        for membership in Membership.objects.filter(
            practice=practice, role__in=list(staff_roles)
        ).select_related("user")
    ]
    count = len(taken_down)
    posts_text = f"{count} post{'s' if count != 1 else ''} that relied on it"
    outcome = f"{posts_text} went back to draft." if count else "No published post relied on it."
    notify_users(
        users=people,
        practice=practice,
        kind=f"authorization_{event}",
        title=f"{str(authorization).capitalize()} {event}",
        body=outcome,
        url=reverse(
            "compliance_authorization",
            kwargs={"slug": practice.slug, "authorization_id": authorization.pk},
        ),
        key=f"authorization:{authorization.pk}:{event}",
    )


def _post_label(post: Post) -> str:
    # A post that needs a patient's consent may carry their name in its title.
    return f"post #{post.pk}"


# --- posts and their authorizations ----------------------------------------------------------


def _require_may_attach(by: User, post: Post) -> None:
    # Whoever may see the post and records consents may link one to it; a clinician, who
    # sees only their own drafts, links only to those and to published posts.
    require(by, Action.MANAGE_AUTHORIZATIONS, post)
    require(by, Action.VIEW_POST, post)


def attach_authorization(
    *, by: User, post: Post, authorization: Authorization
) -> PostAuthorization:
    """Rely on ``authorization`` for ``post``; an expired or revoked one is refused."""
    if authorization.practice_id != post.practice_id:
        raise Invalid("Choose an authorization of this practice.", field="authorization")
    today = guard.practice_today(post.practice)
    if authorization.revoked_at is not None:
        raise Invalid(
            f"{str(authorization).capitalize()} was revoked; it cannot be attached.",
            field="authorization",
        )
    if authorization.is_expired_on(today):
        raise Invalid(
            f"{str(authorization).capitalize()} expired on {authorization.expires_on:%B %-d, %Y};"
            " it cannot be attached.",
            field="authorization",
        )
    _require_may_attach(by, post)
    if PostAuthorization.objects.filter(post=post, authorization=authorization).exists():
        raise Conflict("This authorization is already attached to the post.")
    with transaction.atomic():
        link = PostAuthorization.objects.create(
            post=post, authorization=authorization, attached_by=by
        )
        record(
            action="authorization.attach",
            actor=by,
            practice=post.practice_id,
            target=post,
            target_label=_post_label(post),
            detail={"authorization": authorization.pk},
        )
    return link


def detach_authorization(*, by: User, post: Post, authorization: Authorization) -> None:
    """Stop relying on ``authorization``; refused while a public post still needs it."""
    _require_may_attach(by, post)
    with transaction.atomic():
        deleted, _ = PostAuthorization.objects.filter(
            post=post, authorization=authorization
        ).delete()
        if not deleted:
            raise Conflict("This authorization is not attached to the post.")
        if post.status in {Status.PUBLISHED, Status.SCHEDULED} and guard.publish_problems(post):
            # Raising rolls the detachment back: the post stays as it was.
            raise Conflict(
                "The post is public (or scheduled) and relies on this authorization: "
                "unpublish it first."
            )
        record(
            action="authorization.detach",
            actor=by,
            practice=post.practice_id,
            target=post,
            target_label=_post_label(post),
            detail={"authorization": authorization.pk},
        )


def _validated_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON or len(reason) > MAX_REASON:
        raise Invalid(
            f"Write the reason ({MIN_REASON} to {MAX_REASON:,} characters): it is kept in the"
            " audit log.",
            field="reason",
        )
    return reason


def override_identifiers(*, by: User, post: Post, reason: str) -> IdentifierOverride:
    """Let ``post`` go public despite its findings, as it stands now; refused without a reason.

    The override holds the post's fingerprint: once its words or pictures change, the
    guard looks again.
    """
    reason = _validated_reason(reason)
    require(by, Action.OVERRIDE_IDENTIFIERS, post)
    findings = guard.findings_for(post)
    if not findings:
        raise Conflict("The identifier check found nothing in this post to override.")
    snapshot = [{"where": f.where, "kind": f.kind, "text": f.text} for f in findings]
    with transaction.atomic():
        override = IdentifierOverride.objects.create(
            post=post,
            by=by,
            reason=reason,
            findings=snapshot,
            fingerprint=guard.fingerprint(post),
        )
        record(
            action="identifier.override",
            actor=by,
            practice=post.practice_id,
            target=post,
            target_label=_post_label(post),
            # Kinds only: the audit trail never repeats a patient's name or number.
            detail={
                "reason": reason,
                "kinds": sorted({f.kind for f in findings}),
                "fingerprint": override.fingerprint,
            },
        )
    return override


# --- the audit trail ---------------------------------------------------------------------------


def export_audit_log(
    *, by: User, practice: Practice, filters: AuditFilters
) -> "QuerySet[AuditEvent]":
    """The rows an export holds, newest first; the export itself goes in the trail first."""
    require(by, Action.VIEW_AUDIT_LOG, practice)
    with transaction.atomic():
        record(
            action="audit.export",
            actor=by,
            practice=practice,
            target_label="audit log",
            detail={"filters": filters.as_detail()},
        )
    return audit_events(practice, filters).order_by("-at", "-id")
