import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.community.models import (
    ModAction,
    ModerationLogEntry,
    PostStatus,
    Reply,
    Report,
    SafetyAlert,
    Thread,
    Visibility,
)
from bedside.community.services import post_reply, report_post, start_thread, toggle_reaction
from bedside.practices.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db


def thread_url(practice, group, thread):
    return reverse("group_thread", args=[practice.slug, group.slug, thread.pk])


def test_a_private_groups_links_tell_a_non_member_nothing(
    client, practice, make_group, patient, joined
):
    group = make_group(visibility=Visibility.PRIVATE)
    joined(patient, group)
    thread = start_thread(by=patient, group=group, title="Private worry", body="Secret").thread
    stranger = member(practice)
    client.force_login(stranger)
    page = client.get(reverse("group_detail", args=[practice.slug, group.slug]))
    assert page.status_code == 200
    assert b"Private worry" not in page.content
    assert client.get(thread_url(practice, group, thread)).status_code == 404
    client.logout()
    assert client.get(thread_url(practice, group, thread)).status_code == 404


def test_a_hidden_group_does_not_exist_for_the_uninvited(client, practice, make_group):
    group = make_group(name="Caregivers", visibility=Visibility.HIDDEN)
    client.force_login(member(practice))
    assert client.get(reverse("group_detail", args=[practice.slug, group.slug])).status_code == 404
    listing = client.get(reverse("group_list", args=[practice.slug]))
    assert b"Caregivers" not in listing.content


def test_posts_show_the_pseudonym_never_the_real_name(
    client, practice, make_group, patient, joined
):
    group = make_group()
    joined(patient, group)
    thread = start_thread(by=patient, group=group, title="Hello", body="Hi there").thread
    page = client.get(thread_url(practice, group, thread))
    assert b"Sunny Days" in page.content
    assert b"Jane Realname" not in page.content


def test_joining_through_the_page_needs_the_guidelines_ticked(client, practice, make_group):
    group = make_group()
    client.force_login(member(practice))
    url = reverse("group_join", args=[practice.slug, group.slug])
    refused = client.post(url, {"note": ""})
    assert refused.status_code == 422
    assert b"accept the group" in refused.content
    assert client.post(url, {"accept_guidelines": "on"}).status_code == 302


def test_a_crisis_post_shows_the_resources_at_once(client, practice, make_group, patient, joined):
    group = make_group()
    joined(patient, group)
    client.force_login(patient)
    page = client.post(
        reverse("thread_new", args=[practice.slug, group.slug]),
        {"title": "Goodbye", "body": "I want to end my life tonight."},
    )
    assert page.status_code == 200
    assert b"988" in page.content
    assert b"moderators" in page.content
    assert SafetyAlert.objects.count() == 1
    assert Thread.objects.get().status == PostStatus.HELD


def test_identifiers_are_shown_and_the_text_kept_until_confirmed(
    client, practice, make_group, patient, joined
):
    group = make_group()
    joined(patient, group)
    client.force_login(patient)
    url = reverse("thread_new", args=[practice.slug, group.slug])
    body = "Email me at jane.doe@example.com please"
    page = client.post(url, {"title": "Pen pals", "body": body})
    assert page.status_code == 422
    assert b"jane.doe@example.com" in page.content
    assert b"Post it as it is" in page.content
    assert not Thread.objects.exists()
    done = client.post(url, {"title": "Pen pals", "body": body, "confirm_identifiers": "on"})
    assert done.status_code == 302


def test_a_banned_member_gets_a_clear_answer(client, practice, make_group, patient, joined):
    from bedside.community.services import ban_member

    group = make_group()
    seat = joined(patient, group)
    ban_member(by=member(practice, Role.MODERATOR), member=seat, reason="Abuse")
    client.force_login(patient)
    page = client.post(
        reverse("thread_new", args=[practice.slug, group.slug]), {"title": "Hi", "body": "Hi"}
    )
    assert page.status_code == 403
    assert b"no longer post" in page.content


def test_a_reported_post_is_hidden_from_the_queue_and_logged(
    client, practice, make_group, patient, joined, moderator
):
    group = make_group()
    joined(patient, group)
    reporter = member(practice)
    joined(reporter, group)
    thread = start_thread(by=patient, group=group, title="Spam here", body="Buy now").thread
    report_post(by=reporter, post=thread, reason="Advertising")
    client.force_login(moderator)
    queue = client.get(reverse("studio_groups", args=[practice.slug]))
    assert b"Advertising" in queue.content
    client.post(
        reverse("studio_moderate", args=[practice.slug, "thread", thread.pk]),
        {"action": ModAction.HIDE, "reason": "Advertising is not allowed"},
    )
    log = client.get(reverse("studio_group_log", args=[practice.slug]))
    assert b"Advertising is not allowed" in log.content
    assert ModerationLogEntry.objects.filter(action=ModAction.HIDE).exists()
    client.force_login(reporter)
    assert client.get(thread_url(practice, group, thread)).status_code == 404


def test_the_studio_queue_is_not_found_for_patients(client, practice, patient):
    client.force_login(patient)
    assert client.get(reverse("studio_groups", args=[practice.slug])).status_code == 404
    assert client.get(reverse("studio_group_log", args=[practice.slug])).status_code == 404


def _replies(thread, people, count):
    for number in range(count):
        author = people[number % len(people)]
        reply = post_reply(by=author, thread=thread, body=f"Reply {number}").reply
        toggle_reaction(by=people[(number + 1) % len(people)], post=reply, kind="hug")


def test_a_thread_page_runs_the_same_queries_for_ten_or_sixty_replies(
    client, practice, make_group, patient, joined, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    group = make_group()
    joined(patient, group)
    people = [member(practice) for _ in range(3)]
    for person in people:
        joined(person, group)
    thread = start_thread(by=patient, group=group, title="Counting", body="Let's see").thread
    client.force_login(patient)
    _replies(thread, people, 10)
    client.get(thread_url(practice, group, thread))  # the first view seeds the trusted sources
    with CaptureQueriesContext(connection) as small:
        assert client.get(thread_url(practice, group, thread)).status_code == 200
    _replies(thread, people, 50)
    with CaptureQueriesContext(connection) as large:
        page = client.get(thread_url(practice, group, thread))
    assert len(re.findall(rb'id="reply-\d+"', page.content)) == 60
    assert len(large.captured_queries) == len(small.captured_queries)


def test_posting_too_fast_is_refused_with_a_clear_answer(
    client, practice, make_group, patient, joined
):
    group = make_group()
    joined(patient, group)
    thread = start_thread(by=patient, group=group, title="Hi", body="Hello").thread
    client.force_login(patient)
    url = reverse("thread_reply", args=[practice.slug, group.slug, thread.pk])
    for number in range(10):
        assert client.post(url, {"body": f"Reply {number}"}).status_code == 302
    refused = client.post(url, {"body": "One too many"})
    assert refused.status_code == 429
    assert b"a little fast" in refused.content
    assert Reply.objects.count() == 10


def test_reporting_too_often_is_refused(client, practice, make_group, patient, joined):
    group = make_group()
    joined(patient, group)
    thread = start_thread(by=patient, group=group, title="Hi", body="Hello").thread
    reporter = member(practice)
    joined(reporter, group)
    client.force_login(reporter)
    url = reverse("post_report", args=[practice.slug, group.slug, thread.pk])
    for _ in range(10):
        assert client.post(url, {"reason": "Spam"}).status_code == 302
    assert client.post(url, {"reason": "Spam"}).status_code == 429
    assert Report.objects.count() == 10


def test_links_outside_the_trusted_sources_are_labelled_on_the_thread_page(
    client, practice, make_group, patient, joined
):
    group = make_group()
    joined(patient, group)
    thread = start_thread(
        by=patient,
        group=group,
        title="Reading",
        body="See [the CDC](https://www.cdc.gov/diabetes/) and [a blog](https://cure-all.example/)",
    ).thread
    page = client.get(thread_url(practice, group, thread)).content.decode()
    blog = page.index("https://cure-all.example/")
    cdc = page.index("https://www.cdc.gov/diabetes/")
    assert "not reviewed by our clinicians" in page[blog : blog + 300]
    assert "not reviewed by our clinicians" not in page[cdc : cdc + 100]


def test_the_group_list_says_where_the_viewer_stands(client, practice, make_group, patient):
    from bedside.community.services import join_group

    group = make_group(name="Survivors", visibility=Visibility.PRIVATE)
    join_group(user=patient, group=group, accept_guidelines=True)
    client.force_login(patient)
    assert b"You asked to join" in client.get(reverse("group_list", args=[practice.slug])).content
