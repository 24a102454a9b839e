"""``manage.py clock``: every sweep of the house, each on its own, one failure stopping none."""

import logging
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from bedside.posts.models import Post, Status
from bedside.practices.models import Role
from bedside.studio import clock
from bedside.studio import services as studio
from tests.factories.posts import PostFactory
from tests.factories.practices import member

pytestmark = pytest.mark.django_db


def test_the_clock_runs_the_studio_sweep_and_the_notify_sweeps():
    names = [name for name, _ in clock.SWEEPS]
    assert names == [
        "studio.publish_due_posts",
        "notify.run_all",
        "analytics.run",
        "compliance.expire_authorizations",
        "syndication.run",
        "studio.tell_about_broken_channels",
    ]


def test_clock_once_publishes_a_post_whose_time_has_come(practice):
    editor = member(practice, Role.EDITOR)
    post = PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)
    at = timezone.now() + timedelta(minutes=5)
    studio.schedule(by=editor, post=post, at=at)
    with time_machine.travel(at + timedelta(minutes=1)):
        call_command("clock", once=True)
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED


def test_a_failing_sweep_is_logged_and_the_others_still_run(caplog):
    ran = []

    def broken():
        raise RuntimeError("the database is away")

    sweeps = (("broken", broken), ("fine", lambda: ran.append("fine")))
    with caplog.at_level(logging.ERROR, logger="bedside.studio.clock"):
        assert clock.run_sweeps(sweeps) == {"broken": False, "fine": True}
    assert ran == ["fine"]
    assert "sweep broken failed" in caplog.text
    assert "the database is away" in caplog.text


def test_the_interval_must_be_positive():
    with pytest.raises((SystemExit, CommandError)):
        call_command("clock", every=0, once=True)


def test_the_demo_starts_the_clock_beside_the_web_server_and_the_worker(monkeypatch):
    from bedside.demo.management.commands import demo

    started = []

    class Recorder:
        def __init__(self, command, **kwargs):
            started.append(command)

    monkeypatch.setattr(demo.subprocess, "Popen", Recorder)
    demo.Command()._start("127.0.0.1", 8000, {}, mail_port=8025)
    assert started[0][2:5] == ["mail_sink", "--port", "8025"]
    assert [command[2:4] for command in started[2:]] == [
        ["db_worker"],
        ["db_worker", "--queue-name"],
        ["clock", "--every"],
    ]
    assert started[3][-1] == "syndication"  # its own worker: a slow network holds up no mail
    assert started[4][-1] == str(demo.CLOCK_SECONDS)


def test_the_demo_starts_no_mail_sink_when_mail_has_somewhere_to_go(monkeypatch):
    from bedside.demo.management.commands import demo

    started = []

    class Recorder:
        def __init__(self, command, **kwargs):
            started.append(command)

    monkeypatch.setattr(demo.subprocess, "Popen", Recorder)
    demo.Command()._start("127.0.0.1", 8000, {}, mail_port=None)
    assert not any("mail_sink" in command for command in started)
    assert len(started) == 4  # web, worker, syndication worker, clock
