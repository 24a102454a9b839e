"""Moderators hear at once of crisis language in a support group: a sweep the clock runs.

Posting a thread or reply that ``bedside.screening.crisis.screen`` flags records a
``SafetyAlert`` (community sits below notify, so it records and nothing more). This sweep
tells every moderator, admin and owner of the practice, once per alert (idempotent by key,
then ``moderators_told_at`` is set), and urgently: through every channel each enabled, now,
whatever their quiet hours, digest mode or muted kinds. The notice carries the category and
the group, never the patient's words, and leads to the moderation queue.
"""

from dataclasses import replace

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from bedside.community.models import SafetyAlert
from bedside.community.services import record_moderators_told
from bedside.notify.fanout import Recipient, choices_for, enqueue_delivery, plan_notices
from bedside.notify.models import Mode
from bedside.practices.models import Membership, Role
from bedside.screening.crisis import LABELS, Category

SAFETY_ALERT_KIND = "safety_alert"
MODERATOR_ROLES = (Role.MODERATOR, Role.ADMIN, Role.OWNER)
BATCH = 200


def alert_key(alert: SafetyAlert) -> str:
    return f"safety-alert:{alert.pk}"


def _label(category: str) -> str:
    try:
        return LABELS[Category(category)]
    except ValueError:
        return category.replace("_", " ")


def _group_name(alert: SafetyAlert) -> str:
    thread = alert.thread if alert.thread_id else (alert.reply.thread if alert.reply else None)
    return thread.group.name if thread is not None else "a support group"


def tell_moderators_urgently(alert: SafetyAlert) -> int:
    """Notify the practice's moderators of ``alert`` now, on every channel they enabled."""
    practice = alert.practice
    moderators = list(
        Membership.objects.filter(practice=practice, role__in=MODERATOR_ROLES)
        .select_related("user")
        .order_by("user_id")
    )
    people = {m.user_id: m.user.email for m in moderators if m.user.is_active}
    if not people:
        return 0
    user_ids = list(people)
    choices = choices_for(practice.pk, user_ids)
    urgent = {
        # Quiet hours, the digest and muting wait for ordinary news, not for this.
        user_id: replace(
            chosen,
            muted_kinds=frozenset(),
            mode=Mode.IMMEDIATE,
            quiet_start=None,
            quiet_end=None,
        )
        for user_id, chosen in choices.items()
    }
    # Someone who switched every channel off still sees it in the app.
    urgent = {
        user_id: chosen
        if (chosen.in_app or chosen.push or chosen.wants_email)
        else replace(chosen, in_app=True)
        for user_id, chosen in urgent.items()
    }
    url = reverse("studio_groups", kwargs={"slug": practice.slug}) + f"#alert-{alert.pk}"
    with transaction.atomic():
        planned = plan_notices(
            recipients=[
                Recipient(user_id=user_id, email=people[user_id], choices=urgent[user_id])
                for user_id in user_ids
            ],
            practice_id=practice.pk,
            zone=practice.time_zone,
            post=None,
            broadcast=None,
            kind=SAFETY_ALERT_KIND,
            title=f"Urgent: possible {_label(alert.category)} in {_group_name(alert)}"[:200],
            body=(
                "A post in a support group may mean someone is in danger. They were shown the "
                "crisis resources. Please look at it now in the moderation queue."
            ),
            url=url,
            key=alert_key(alert),
            now=timezone.now(),
        )
        transaction.on_commit(lambda: enqueue_delivery(planned, broadcast_id=None))
    return planned.created


def tell_moderators() -> int:
    """Tell moderators of each alert not yet told, oldest first. Returns notices created."""
    waiting = list(
        SafetyAlert.objects.filter(moderators_told_at__isnull=True)
        .select_related("practice", "thread__group", "reply__thread__group")
        .order_by("created_at", "id")[:BATCH]
    )
    told = 0
    for alert in waiting:
        told += tell_moderators_urgently(alert)
        record_moderators_told(alert=alert)
    return told
