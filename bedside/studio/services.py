"""Publishing as the studio does it: the post changes, then everyone who follows hears of it.

``posts`` knows nothing of who hears of a post; the studio sits above ``notify`` and
orchestrates: it publishes through ``posts.services`` and, once that has committed, starts
the post's broadcast. Scheduling enqueues a task for the exact time, and the clock's sweep
(``bedside/studio/sweeps.py``) publishes anything that task missed.
"""

from datetime import datetime

from django.db import transaction
from django.urls import reverse

from bedside.education.publishing import check_publishable, publishing_problems
from bedside.notify.services import notify_users, start_broadcast
from bedside.posts import services as posts
from bedside.posts.models import Post
from bedside.practices.models import User
from bedside.studio.tasks import publish_scheduled_post


def publish(*, by: User, post: Post) -> Post:
    """Publish ``post`` now and, after commit, broadcast it to the practice's followers."""
    check_publishable(post)
    with transaction.atomic():
        posts.publish_post(by=by, post=post)
        transaction.on_commit(lambda: start_broadcast(post=post))
    return post


def schedule(*, by: User, post: Post, at: datetime | None) -> Post:
    """Publish ``post`` at ``at``: the worker runs a task then; the sweep is the safety net."""
    check_publishable(post)
    with transaction.atomic():
        posts.schedule_post(by=by, post=post, at=at)
        transaction.on_commit(lambda: _enqueue_publication(post))
    return post


def unschedule(*, by: User, post: Post) -> Post:
    """Back to a draft; the task already queued finds it not scheduled and does nothing."""
    return posts.unschedule_post(by=by, post=post)


def publish_due(*, post_id: int) -> Post | None:
    """Publish one scheduled post if its time has come, and broadcast it; else None.

    Safe to call twice, from the task and the sweep at once: ``publish_due_post`` claims
    the row with a conditional update, so only one caller publishes and broadcasts. The
    rules are checked again at publishing time, since the post may have changed since it
    was scheduled: a post that fails them goes back to draft and its author is told.
    """
    waiting = Post.objects.select_related("practice").filter(pk=post_id).first()
    if waiting is not None and waiting.is_scheduled:
        problems = publishing_problems(waiting)
        if problems:
            _hold(post_id, problems)
            return None
    with transaction.atomic():
        post = posts.publish_due_post(post_id=post_id)
        if post is not None:
            published = post
            transaction.on_commit(lambda: start_broadcast(post=published))
    return post


def _hold(post_id: int, problems: list[str]) -> None:
    held = posts.hold_due_post(post_id=post_id)
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
