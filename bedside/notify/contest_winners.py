"""Contest winners hear that they won, with the deadline to claim: a sweep the clock runs.

The contests app sits below notify, so the draw only records ``drawn_at`` and each
entry's ``draw_position``; this sweep finds winners who have not been told (the
``Notification`` row with the notice's key is the proof) and tells them through
``notify_users``, which is idempotent by key. Alternates are not told: they hear only if
a prize passes to them.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from bedside.engagement.contests.models import Entry
from bedside.notify.models import Notification
from bedside.notify.services import notify_users

WINNER_KIND = "contest_winner"


def winner_key(entry: Entry) -> str:
    return f"contest-entry:{entry.pk}:won"


def announce_contest_winners(*, now: datetime | None = None) -> int:
    """Tell every winner of a drawn contest whose claim deadline has not passed, once.
    Returns how many were newly told."""
    now = now or timezone.now()
    winners = list(
        Entry.objects.filter(
            contest__drawn_at__isnull=False,
            contest__claim_deadline__gt=now,
            draw_position__isnull=False,
            draw_position__lt=F("contest__winners_count"),
            claimed_at__isnull=True,
        ).select_related("user", "contest__post", "contest__practice")
    )
    keys = {entry.pk: winner_key(entry) for entry in winners}
    told = set(
        Notification.objects.filter(
            user_id__in={entry.user_id for entry in winners}, key__in=keys.values()
        ).values_list("user_id", "key")
    )
    return sum(
        _tell(entry, key=keys[entry.pk])
        for entry in winners
        if (entry.user_id, keys[entry.pk]) not in told
    )


def _tell(entry: Entry, *, key: str) -> int:
    contest = entry.contest
    assert contest.claim_deadline is not None
    deadline = contest.claim_deadline.astimezone(ZoneInfo(contest.time_zone))
    hour = deadline.hour % 12 or 12
    when = f"{deadline:%A, %B} {deadline.day} at {hour}:{deadline:%M %p} ({deadline:%Z})"
    url = reverse(
        "contest_detail", kwargs={"slug": contest.practice.slug, "post_id": contest.post_id}
    )
    return notify_users(
        users=[entry.user],
        practice=contest.practice,
        kind=WINNER_KIND,
        title=f"You won: {contest.post.title}",
        body=(
            f"Your entry {entry.public_id} was drawn for {contest.prize}. "
            f"Claim your prize on the contest page by {when}."
        ),
        url=url,
        key=key,
    )
