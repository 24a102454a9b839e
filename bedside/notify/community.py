"""Followers of a support-group conversation hear of new replies: a sweep the clock runs.

The community app sits below notify, so posting a reply only saves it; this sweep finds
published replies whose followers were not yet told (a partial index keeps the scan
small), tells every follower but the reply's author through ``notify_users``, idempotent
by key, and records it. A held reply is told when a moderator publishes it. The notice
names only the group and the thread, never the reply's words, which may be private.
"""

from collections import defaultdict

from django.urls import reverse

from bedside.community.models import PostStatus, Reply, ThreadFollow
from bedside.community.services import record_followers_told
from bedside.notify.services import notify_users
from bedside.practices.models import User

REPLY_KIND = "group_reply"
BATCH = 500


def reply_key(reply: Reply) -> str:
    return f"group-reply:{reply.pk}"


def tell_followers() -> int:
    """Tell each thread's followers once of each new reply. Returns how many were told."""
    waiting = list(
        Reply.objects.filter(status=PostStatus.PUBLISHED, followers_told_at__isnull=True)
        .select_related("thread__group", "practice", "author_membership")
        .order_by("created_at", "id")[:BATCH]
    )
    if not waiting:
        return 0
    followers: dict[int, list[int]] = defaultdict(list)
    for thread_id, user_id in ThreadFollow.objects.filter(
        thread_id__in={reply.thread_id for reply in waiting}
    ).values_list("thread_id", "user_id"):
        followers[thread_id].append(user_id)

    users = User.objects.in_bulk({uid for uids in followers.values() for uid in uids})
    told = 0
    for reply in waiting:
        thread = reply.thread
        audience = [
            users[uid]
            for uid in followers.get(thread.pk, [])
            if uid != reply.author_id and uid in users
        ]
        if audience:
            url = reverse(
                "group_thread",
                kwargs={
                    "slug": reply.practice.slug,
                    "group_slug": thread.group.slug,
                    "thread_id": thread.pk,
                },
            )
            told += notify_users(
                users=audience,
                practice=reply.practice,
                kind=REPLY_KIND,
                title=f"New reply in “{thread.title}”",
                body=f"{reply.author_membership.display_name} replied in {thread.group.name}.",
                url=f"{url}#reply-{reply.pk}",
                key=reply_key(reply),
            )
        record_followers_told(reply=reply)
    return told
