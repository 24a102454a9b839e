"""Publishing as the studio does it: the post changes, then everyone who follows hears of it.

``posts`` knows nothing of who hears of a post; the studio sits above ``notify`` and
orchestrates: it publishes through ``posts.services`` and, once that has committed, starts
the post's broadcast. Scheduling enqueues a task for the exact time, and the clock's sweep
(``bedside/studio/sweeps.py``) publishes anything that task missed.

Before a post goes out (now, scheduled, or when it falls due) three gates are asked in
order: the pillar's rules (``education.publishing``), the practice's approval policy
(``studio.approvals``) and the compliance guard (``compliance.guard``). Every change is a
step in the post's history and a row of the audit trail (``studio.workflow.add_step``).
"""

from datetime import datetime

from django.db import transaction
from django.urls import reverse

from bedside.audit.services import record
from bedside.compliance import guard
from bedside.education.publishing import check_publishable, publishing_problems
from bedside.notify.services import notify_users, start_broadcast
from bedside.posts import services as posts
from bedside.posts.models import Post, Status
from bedside.practices.models import User
from bedside.practices.permissions import ROLE_GRANTS, Action
from bedside.studio.approvals import approval_problems, approval_state, check_approved
from bedside.studio.models import Step
from bedside.studio.tasks import publish_scheduled_post
from bedside.studio.workflow import add_step, move
from bedside.syndication.models import Channel, ChannelStatus
from bedside.syndication.services import retract, syndicate


def check_ready(post: Post) -> None:
    """Raise ``Invalid`` unless every gate lets ``post`` go public, in the house's order."""
    check_publishable(post)
    check_approved(post)
    guard.check_publishable(post)


def ready_problems(post: Post) -> list[str]:
    """The same gates as ``check_ready``, as sentences (for a scheduled post falling due)."""
    return publishing_problems(post) + approval_problems(post) + guard.publish_problems(post)


def publish(*, by: User, post: Post) -> Post:
    """Publish ``post`` now and, after commit, broadcast it to the practice's followers."""
    check_ready(post)
    with transaction.atomic():
        posts.publish_post(by=by, post=post)
        add_step(post=post, by=by, step=Step.PUBLISHED)
        transaction.on_commit(lambda: start_broadcast(post=post))
        transaction.on_commit(lambda: syndicate(post=post))
    return post


def schedule(*, by: User, post: Post, at: datetime | None) -> Post:
    """Publish ``post`` at ``at``: the worker runs a task then; the sweep is the safety net."""
    check_ready(post)
    with transaction.atomic():
        posts.schedule_post(by=by, post=post, at=at)
        add_step(post=post, by=by, step=Step.SCHEDULED)
        transaction.on_commit(lambda: _enqueue_publication(post))
    return post


def unschedule(*, by: User, post: Post) -> Post:
    """Back to a draft, or to approved while its approval stands; the task already queued
    finds it not scheduled and does nothing."""
    with transaction.atomic():
        posts.unschedule_post(by=by, post=post)
        state = approval_state(post)
        if state.is_needed and state.is_complete:
            move(post, to=Status.APPROVED, allowed_from=[Status.DRAFT])
        add_step(post=post, by=by, step=Step.UNSCHEDULED)
    return post


def unpublish(*, by: User, post: Post) -> Post:
    """Off every feed, back to a draft."""
    with transaction.atomic():
        posts.unpublish_post(by=by, post=post)
        retract(post=post)  # off every network too
        add_step(post=post, by=by, step=Step.UNPUBLISHED)
    return post


def archive(*, by: User, post: Post) -> Post:
    """Off every feed but kept for the record."""
    with transaction.atomic():
        posts.archive_post(by=by, post=post)
        retract(post=post)
        add_step(post=post, by=by, step=Step.ARCHIVED)
    return post


def delete(*, by: User, post: Post) -> None:
    """Deleted with its history; the audit trail keeps that it was, and who deleted it."""
    with transaction.atomic():
        record(
            action="post.delete",
            actor=by,
            practice=post.practice_id,
            target=post,
            detail={"status": post.status, "kind": post.kind},
        )
        retract(post=post)  # while the post row still names its deliveries
        posts.delete_post(by=by, post=post)


def record_edit(*, by: User, post: Post, created: bool, was_pinned: bool) -> None:
    """Audit a post written or changed in the studio, and a pin it gained or lost."""
    record(
        action="post.create" if created else "post.edit",
        actor=by,
        practice=post.practice_id,
        target=post,
        detail={"status": post.status},
    )
    if post.is_pinned != was_pinned:
        action = "post.pin" if post.is_pinned else "post.unpin"
        record(action=action, actor=by, practice=post.practice_id, target=post)


def publish_due(*, post_id: int) -> Post | None:
    """Publish one scheduled post if its time has come, and broadcast it; else None.

    Safe to call twice, from the task and the sweep at once: ``publish_due_post`` claims
    the row with a conditional update, so only one caller publishes and broadcasts. The
    rules are checked again at publishing time, since the post may have changed since it
    was scheduled: a post that fails them goes back to draft and its author is told.
    """
    waiting = Post.objects.select_related("practice").filter(pk=post_id).first()
    if waiting is not None and waiting.is_scheduled:
        problems = ready_problems(waiting)
        if problems:
            _hold(post_id, problems)
            return None
    with transaction.atomic():
        post = posts.publish_due_post(post_id=post_id)
        if post is not None:
            published = post
            add_step(post=published, by=None, step=Step.PUBLISHED)
            transaction.on_commit(lambda: start_broadcast(post=published))
            transaction.on_commit(lambda: syndicate(post=published))
    return post


def _hold(post_id: int, problems: list[str]) -> None:
    with transaction.atomic():
        held = posts.hold_due_post(post_id=post_id)
        if held is not None:
            add_step(post=held, by=None, step=Step.HELD, comment=" ".join(problems))
    if held is None or held.author is None:
        return
    url = reverse("studio_post_edit", kwargs={"slug": held.practice.slug, "post_id": held.pk})
    notify_users(
        users=[held.author],
        practice=held.practice,
        kind="post_held",
        title=f"“{held.title}” was not published",
        body="It went back to draft because " + " ".join(problems),
        url=url,
        key=f"post:{held.pk}:held:{int(held.updated_at.timestamp())}",
    )


def _enqueue_publication(post: Post) -> None:
    task = publish_scheduled_post
    # Backends that cannot defer (the immediate one of tests) run it now: it finds the post
    # not yet due and leaves it to the sweep.
    if task.get_backend().supports_defer:
        task = task.using(run_after=post.scheduled_at)
    task.enqueue(post_id=post.pk)


def tell_about_broken_channels() -> int:
    """Tell a practice's managers once when a network stops accepting our token (a sweep).

    Syndication marks the channel and the time it broke; notify and syndication sit side by
    side in the layers, so the studio above both does the telling. ``notify_users`` is
    idempotent by key, so running this every minute tells each break once.
    """
    told = 0
    broken = Channel.objects.filter(status=ChannelStatus.NEEDS_RECONNECT, broken_at__isnull=False)
    for channel in broken.select_related("practice"):
        broken_at = channel.broken_at
        assert broken_at is not None  # filtered above
        managers = User.objects.filter(
            memberships__practice=channel.practice,
            memberships__role__in=[str(role) for role in ROLE_GRANTS[Action.MANAGE_CHANNELS]],
        )
        told += notify_users(
            users=managers,
            practice=channel.practice,
            kind="channel_needs_reconnect",
            title=f"Reconnect {channel}",
            body=f"{channel} no longer accepts our access, so posts are waiting. "
            f"Connect it again on the Networks page. ({channel.last_error})",
            url=reverse("syndication_channels", kwargs={"slug": channel.practice.slug}),
            key=f"channel:{channel.pk}:reconnect:{int(broken_at.timestamp())}",
        )
    return told
