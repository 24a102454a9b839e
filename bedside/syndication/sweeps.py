"""The syndication sweep, run by the clock every minute (``bedside/studio/clock.py``).

It is the safety net behind the studio's calls: it frees deliveries whose worker died,
queues due retries and removals, reconciles rows with the posts' state (a published post
with no delivery to a channel connected before it was published gets one; a delivery whose
post was unpublished or deleted is taken down) and, every 15 minutes, pulls counts and
replies of the last 14 days' posts.
"""

from datetime import timedelta

from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone

from bedside.posts.models import Post, Status, Visibility
from bedside.syndication.engine import LEASE
from bedside.syndication.models import Channel, ChannelStatus, Delivery, DeliveryStatus
from bedside.syndication.services import ensure_deliveries, retract_deliveries
from bedside.syndication.tasks import pull_responses, run_delivery

BATCH = 200
RESPONSES_EVERY = timedelta(minutes=15)
RESPONSES_FOR = timedelta(days=14)


def run() -> dict[str, int]:
    return {
        "freed": free_stale_claims(),
        "reconciled": reconcile(),
        "queued": queue_due(),
        "pulled": pull_due_responses(),
    }


def free_stale_claims() -> int:
    """A worker that died mid-send left ``sending``: back to ``failed``, due now.

    Its remote id, if the write got through, is already stored; the retry then only marks
    the row done, or asks the network before writing.
    """
    now = timezone.now()
    return Delivery.objects.filter(
        status=DeliveryStatus.SENDING, claimed_at__lt=now - LEASE
    ).update(status=DeliveryStatus.FAILED, next_attempt_at=now, claimed_at=None, updated_at=now)


def queue_due() -> int:
    now = timezone.now()
    due = list(
        Delivery.objects.filter(
            Q(
                status__in=(DeliveryStatus.PENDING, DeliveryStatus.FAILED),
                channel__status=ChannelStatus.ACTIVE,
            )
            | Q(status=DeliveryStatus.RETRACTING),
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:BATCH]
    )
    for delivery_id in due:
        run_delivery.enqueue(delivery_id)
    return len(due)


def reconcile() -> int:
    # Posts no longer public (or deleted: post is NULL) must not stay on any network.
    stale = Delivery.objects.filter(
        Q(post__isnull=True)
        | ~Q(post__status=Status.PUBLISHED)
        | ~Q(post__visibility=Visibility.PUBLIC),
        status__in=(
            DeliveryStatus.PENDING,
            DeliveryStatus.SENDING,
            DeliveryStatus.DONE,
            DeliveryStatus.FAILED,
        ),
    )
    retracted = retract_deliveries(stale)
    # Published posts missing a delivery to a channel connected before they went out.
    created = 0
    for channel in Channel.objects.filter(status=ChannelStatus.ACTIVE, connected_at__isnull=False):
        missing = (
            Post.objects.filter(
                practice_id=channel.practice_id,
                status=Status.PUBLISHED,
                visibility=Visibility.PUBLIC,
                published_at__gte=channel.connected_at,
            )
            .exclude(Exists(Delivery.objects.filter(post=OuterRef("pk"), channel=channel)))
            .order_by("published_at")[:BATCH]
        )
        for post in missing:
            created += len(ensure_deliveries(post=post, channels=[channel]))
    # A post published again after it was taken down.
    again = Delivery.objects.filter(
        status=DeliveryStatus.RETRACTED,
        post__status=Status.PUBLISHED,
        post__visibility=Visibility.PUBLIC,
        channel__status=ChannelStatus.ACTIVE,
    ).select_related("post", "channel")[:BATCH]
    for delivery in again:
        if delivery.post is not None:
            created += len(ensure_deliveries(post=delivery.post, channels=[delivery.channel]))
    return retracted + created


def pull_due_responses() -> int:
    now = timezone.now()
    due = list(
        Delivery.objects.filter(
            Q(counts_at__isnull=True) | Q(counts_at__lte=now - RESPONSES_EVERY),
            status=DeliveryStatus.DONE,
            published_at__gte=now - RESPONSES_FOR,
            channel__status=ChannelStatus.ACTIVE,
        )
        .order_by(F("counts_at").asc(nulls_first=True))
        .values_list("pk", flat=True)[:BATCH]
    )
    for delivery_id in due:
        pull_responses.enqueue(delivery_id)
    return len(due)
