"""Views and clicks are counted once per viewer and day, privately, and never against wishes."""

import re
from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.backends.db import SessionStore
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from bedside.analytics.links import follow_link, sign_link
from bedside.analytics.models import DailySalt, LinkClick, PostView
from bedside.analytics.recording import forget_old_salts, viewer_hash
from bedside.posts.models import Status
from bedside.practices.models import Role
from tests.factories import member
from tests.factories.posts import PostFactory

pytestmark = pytest.mark.django_db


def page_of(post) -> str:
    return reverse("post_detail", kwargs={"slug": post.practice.slug, "post_id": post.pk})


def test_a_patient_reading_a_post_three_times_in_a_day_is_one_view(client, practice):
    post = PostFactory(practice=practice)
    client.force_login(member(practice))
    for _ in range(3):
        assert client.get(page_of(post)).status_code == 200
    view = PostView.objects.get()
    assert (view.post_id, view.is_signed_in) == (post.pk, True)


def test_two_patients_are_two_views(client, practice):
    post = PostFactory(practice=practice)
    for _ in range(2):
        client.force_login(member(practice))
        client.get(page_of(post))
    assert PostView.objects.filter(post=post).count() == 2


def test_the_view_row_holds_no_user_id_ip_or_user_agent(client, practice):
    post = PostFactory(practice=practice)
    patient = member(practice)
    client.force_login(patient)
    client.get(page_of(post), REMOTE_ADDR="203.0.113.9", HTTP_USER_AGENT="Firefox/140")
    row = PostView.objects.values().get()
    assert set(row) == {"id", "post_id", "day", "viewer", "is_signed_in", "created_at"}
    assert str(patient.pk) != row["viewer"] and len(row["viewer"]) == 64
    assert "203.0.113.9" not in str(row) and "Firefox" not in str(row)


@pytest.mark.parametrize("header", [{"HTTP_DNT": "1"}, {"HTTP_SEC_GPC": "1"}])
def test_do_not_track_and_global_privacy_control_record_nothing(client, practice, header):
    post = PostFactory(practice=practice)
    client.force_login(member(practice))
    assert client.get(page_of(post), **header).status_code == 200
    assert not PostView.objects.exists()


def test_dnt_zero_is_not_a_refusal(client, practice):
    post = PostFactory(practice=practice)
    client.force_login(member(practice))
    client.get(page_of(post), HTTP_DNT="0")
    assert PostView.objects.count() == 1


def test_the_practice_staff_reading_their_own_post_is_not_counted(client, practice):
    post = PostFactory(practice=practice)
    client.force_login(member(practice, Role.EDITOR))
    client.get(page_of(post))
    assert not PostView.objects.exists()


def test_a_visitor_without_a_session_is_not_counted_and_gets_no_cookie_for_it(client, practice):
    post = PostFactory(practice=practice)
    response = client.get(page_of(post))
    assert response.status_code == 200
    assert not PostView.objects.exists()
    assert "sessionid" not in response.cookies


def test_a_visitor_with_a_session_is_counted_once_by_its_session(client, practice):
    post = PostFactory(practice=practice)
    session = client.session
    session["seen_tour"] = True
    session.save()
    client.get(page_of(post))
    client.get(page_of(post))
    view = PostView.objects.get()
    assert view.is_signed_in is False
    assert session.session_key not in view.viewer


def test_a_missing_or_hidden_post_is_not_counted(client, practice, other_practice):
    draft = PostFactory(practice=practice, status=Status.DRAFT, published_at=None)
    client.force_login(member(other_practice))
    assert client.get(page_of(draft)).status_code == 404
    assert not PostView.objects.exists()


def test_a_pillar_page_counts_as_a_view_of_its_post(client, practice):
    from bedside.analytics.middleware import POST_PAGES

    assert {"event_detail", "article_detail", "poll_detail", "quiz_detail"} <= POST_PAGES
    assert "post_detail" in POST_PAGES


def test_the_same_person_hashes_alike_within_a_day_and_differently_the_next_day(practice):
    request = RequestFactory().get("/")
    request.user = member(practice)
    monday, tuesday = date(2026, 3, 2), date(2026, 3, 3)
    assert viewer_hash(request, monday) == viewer_hash(request, monday)
    assert viewer_hash(request, monday) != viewer_hash(request, tuesday)


def test_salts_of_days_before_yesterday_are_forgotten(practice):
    from datetime import UTC, datetime

    request = RequestFactory().get("/")
    request.user = member(practice)
    for day in (date(2026, 3, 1), date(2026, 3, 2), date(2026, 3, 3)):
        viewer_hash(request, day)
    assert forget_old_salts(now=datetime(2026, 3, 3, 12, tzinfo=UTC)) == 1
    assert sorted(DailySalt.objects.values_list("day", flat=True)) == [
        date(2026, 3, 2),
        date(2026, 3, 3),
    ]


def _click_request(user=None, **headers):
    request = RequestFactory().get("/go/", **headers)
    request.user = user or AnonymousUser()
    request.session = SessionStore()
    return request


def test_a_signed_link_counts_one_click_per_day_and_redirects(practice):
    post = PostFactory(practice=practice)
    patient = member(practice)
    token = sign_link(post_id=post.pk, url="https://www.cdc.gov/flu/")
    for _ in range(2):
        response = follow_link(_click_request(patient), token)
        assert response.status_code == 302
        assert response["Location"] == "https://www.cdc.gov/flu/"
    click = LinkClick.objects.get()
    assert (click.post_id, click.url) == (post.pk, "https://www.cdc.gov/flu/")


def test_a_click_from_a_browser_that_declines_tracking_still_redirects_uncounted(practice):
    post = PostFactory(practice=practice)
    token = sign_link(post_id=post.pk, url="https://example.org/")
    response = follow_link(_click_request(member(practice), HTTP_SEC_GPC="1"), token)
    assert response.status_code == 302
    assert not LinkClick.objects.exists()


def test_an_altered_or_forged_link_is_not_found_never_an_open_redirect(practice):
    post = PostFactory(practice=practice)
    token = sign_link(post_id=post.pk, url="https://example.org/")
    with pytest.raises(Http404):
        follow_link(_click_request(), token[:-2] + ("AA" if token[-2:] != "AA" else "BB"))
    with pytest.raises(Http404):
        follow_link(_click_request(), "https://evil.example/")


def test_only_web_links_can_be_signed():
    for url in ("javascript:alert(1)", "//evil.example/", "mailto:a@example.org"):
        with pytest.raises(ValueError):
            sign_link(post_id=1, url=url)


def test_a_counted_link_in_a_post_goes_to_its_destination_and_counts_once(client, practice):
    from bedside.analytics.links import click_url

    post = PostFactory(practice=practice)
    client.force_login(member(practice))
    url = click_url(post_id=post.pk, url="https://medlineplus.gov/flu.html")
    assert url.startswith("/go/")
    for _ in range(2):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "https://medlineplus.gov/flu.html"
        assert response["Referrer-Policy"] == "no-referrer"
    assert LinkClick.objects.filter(post=post).count() == 1
    assert client.get("/go/not-a-token/").status_code == 404


def test_links_in_a_sanitized_post_go_through_the_counted_redirect(practice):
    from bedside.analytics.links import read_link
    from bedside.analytics.templatetags.counted_links import counted_links
    from bedside.core.sanitizer import render_markdown

    body = render_markdown(
        "See [the CDC](https://www.cdc.gov/flu/?a=1&b=2) and [our hours](/p/x/) or "
        "<a href='javascript:alert(1)'>this</a>."
    )
    rewritten = str(counted_links(body, 7))
    tokens = re.findall(r'href="/go/([^/"]+)/"', rewritten)
    assert [read_link(token) for token in tokens] == [(7, "https://www.cdc.gov/flu/?a=1&b=2")]
    assert 'href="/p/x/"' in rewritten and 'href="javascript' not in rewritten
