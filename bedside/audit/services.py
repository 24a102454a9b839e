"""``record``: the one way anything writes to the audit trail."""

from typing import Any

from django.db import models

from bedside.audit.context import current_origin
from bedside.audit.models import AuditEvent


def record(
    *,
    action: str,
    actor: Any,
    practice: Any = None,
    target: models.Model | None = None,
    target_label: str = "",
    detail: dict[str, Any] | None = None,
    actor_label: str = "",
) -> AuditEvent:
    """Write one audit row: ``actor`` did ``action`` to ``target`` in ``practice``.

    ``action`` is a dotted name, object first (``post.publish``, ``attendees.export``).
    ``target_label`` defaults to the target's kind and id (``post #12``), never
    ``str(target)``: the trail is append-only, so a title or name written into it could
    never be taken back when a patient revokes an authorization or deletes an account. Pass
    a label only when it can name no patient (a staff member's own profile, a setting).
    ``actor_label`` defaults to the actor's email; a patient deleting their own account
    passes one that names no one. Call it inside the transaction of the change it records,
    so a change that rolls back leaves no row and vice versa.
    """
    origin = current_origin()
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEvent.objects.create(
        practice_id=getattr(practice, "pk", practice),
        actor_id=actor.pk if authenticated else None,
        actor_label=actor_label or (actor.email if authenticated else ""),
        action=action,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=(target_label or _kind_and_id(target))[:200],
        detail=detail or {},
        ip_address=origin.ip_address if origin else None,
        user_agent=origin.user_agent if origin else "",
    )


def _kind_and_id(target: models.Model | None) -> str:
    if target is None:
        return ""
    return f"{target._meta.verbose_name} #{target.pk}"
