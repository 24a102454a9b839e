"""Publishing from the studio: the post goes out, then every follower hears of it.

The notify side is the real one (``notify.services.start_broadcast``): these tests look
for the notifications it leaves, not for a call.
"""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bedside.core.errors import Conflict, Invalid
from bedside.notify.models import Broadcast, Notification
from bedside.posts.models import Post, Status
from bedside.practices.models import Role
from bedside.studio import services
from bedside.studio.sweeps import publish_due_posts
from bedside.studio.tasks import publish_scheduled_post
from tests.factories.posts import PostFactory
from tests.factories.practices import member

pytestmark = pytest.mark.django_db(transaction=False)


@pytest.fixture
def editor(practice):
    return member(practice, Role.EDITOR)


@pytest.fixture
def patients(practice):
    return [member(practice, Role.PATIENT) for _ in range(3)]


@pytest.fixture
def draft(practice, editor):
    return PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)


def heard_of(post):
    return set(Notification.objects.filter(post=post).values_list("user_id", flat=True))


def test_publishing_tells_every_patient_once_it_has_committed(
    draft, editor, patients, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.publish(by=editor, post=draft)
    assert callbacks, "the broadcast starts after commit"
    assert Post.objects.get(pk=draft.pk).status == Status.PUBLISHED
    assert heard_of(draft) == {patient.pk for patient in patients}
    assert Broadcast.objects.filter(post=draft).count() == 1


def test_a_publish_that_fails_broadcasts_nothing(
    practice, editor, patients, django_capture_on_commit_callbacks
):
    post = PostFactory(practice=practice, author=editor)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(Conflict):
        services.publish(by=editor, post=post)
    assert not Broadcast.objects.exists()


def test_scheduling_in_the_past_is_refused_and_enqueues_nothing(
    draft, editor, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(Invalid):
        services.schedule(by=editor, post=draft, at=timezone.now() - timedelta(minutes=5))
    assert callbacks == []


def test_the_task_publishes_a_due_post_and_is_safe_to_run_twice(
    draft, editor, patients, django_capture_on_commit_callbacks
):
    at = timezone.now() + timedelta(hours=2)
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(by=editor, post=draft, at=at)
    # The immediate backend of the tests cannot defer: the task ran at once, found the post
    # not yet due, and left it scheduled.
    assert Post.objects.get(pk=draft.pk).status == Status.SCHEDULED
    with time_machine.travel(at + timedelta(seconds=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert publish_scheduled_post.call(post_id=draft.pk) is True
        with django_capture_on_commit_callbacks(execute=True):
            assert publish_scheduled_post.call(post_id=draft.pk) is False
    assert Post.objects.get(pk=draft.pk).status == Status.PUBLISHED
    assert heard_of(draft) == {patient.pk for patient in patients}
    assert Broadcast.objects.filter(post=draft).count() == 1


def test_the_sweep_publishes_what_is_due_and_nothing_else(
    practice, editor, patients, django_capture_on_commit_callbacks
):
    due, later, unscheduled = (
        PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)
        for _ in range(3)
    )
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(by=editor, post=due, at=now + timedelta(minutes=10))
        services.schedule(by=editor, post=later, at=now + timedelta(days=2))
        services.schedule(by=editor, post=unscheduled, at=now + timedelta(minutes=5))
        services.unschedule(by=editor, post=unscheduled)
    with time_machine.travel(now + timedelta(hours=1), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert publish_due_posts() == 1
        with django_capture_on_commit_callbacks(execute=True):
            assert publish_due_posts() == 0
    statuses = dict(Post.objects.values_list("pk", "status"))
    assert statuses == {
        due.pk: Status.PUBLISHED,
        later.pk: Status.SCHEDULED,
        unscheduled.pk: Status.DRAFT,
    }
    assert heard_of(due) == {patient.pk for patient in patients}
    assert not heard_of(later)


@pytest.mark.django_db(transaction=True)
def test_the_database_queue_holds_the_task_until_its_time_across_a_worker_restart(
    settings, practice, editor, patients
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    draft = PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)
    at = timezone.now() + timedelta(hours=3)
    services.schedule(by=editor, post=draft, at=at)
    queued = DBTaskResult.objects.get(task_path="bedside.studio.tasks.publish_scheduled_post")
    assert queued.run_after == at
    assert queued.args_kwargs["kwargs"] == {"post_id": draft.pk}

    # A worker that runs now (or restarts before the time) leaves it queued.
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert Post.objects.get(pk=draft.pk).status == Status.SCHEDULED
    assert DBTaskResult.objects.get(pk=queued.pk).status == "READY"
    assert not DBTaskResult.objects.ready().exists()  # not before its time

    with time_machine.travel(at + timedelta(seconds=5), tick=False):
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        # The broadcast's own tasks were queued by that run; a second worker runs them.
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
    assert Post.objects.get(pk=draft.pk).status == Status.PUBLISHED
    assert DBTaskResult.objects.get(pk=queued.pk).status == "SUCCESSFUL"
    assert heard_of(draft) == {patient.pk for patient in patients}
    assert Broadcast.objects.filter(post=draft).count() == 1
