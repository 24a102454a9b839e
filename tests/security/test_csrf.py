"""Forms only accept posts that carry the CSRF token of the visitor's own session."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.test import Client
from django.urls import reverse

from bedside.posts.models import Comment, Reaction
from bedside.practices.models import Role
from tests.factories import PostFactory, UserFactory, member

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


@pytest.fixture
def browser() -> Client:
    return Client(enforce_csrf_checks=True)


def csrf_token_of(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, "the form has no CSRF token"
    return match.group(1)


def test_signing_in_without_the_csrf_token_is_refused(browser):
    patient = UserFactory()

    response = browser.post(
        reverse("account_login"), {"login": patient.email, "password": PASSWORD}
    )

    assert response.status_code == 403
    assert SESSION_KEY not in browser.session


def test_signing_in_with_the_token_from_the_form_works(browser):
    patient = UserFactory()
    token = csrf_token_of(browser.get(reverse("account_login")).content.decode())

    response = browser.post(
        reverse("account_login"),
        {"login": patient.email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )

    assert response.status_code == 302
    assert browser.session[SESSION_KEY] == str(patient.pk)


def test_a_token_from_another_session_is_refused(browser):
    patient = UserFactory()
    stolen = csrf_token_of(Client().get(reverse("account_login")).content.decode())
    browser.get(reverse("account_login"))

    response = browser.post(
        reverse("account_login"),
        {"login": patient.email, "password": PASSWORD, "csrfmiddlewaretoken": stolen},
    )

    assert response.status_code == 403


def test_signing_out_requires_the_csrf_token(browser):
    patient = UserFactory()
    browser.force_login(patient)

    response = browser.post(reverse("account_logout"))

    assert response.status_code == 403
    assert browser.session[SESSION_KEY] == str(patient.pk)


def test_a_comment_without_the_csrf_token_is_refused_and_not_saved(browser):
    post = PostFactory()
    browser.force_login(member(post.practice, Role.PATIENT))

    response = browser.post(
        reverse("post_comment", kwargs={"slug": post.practice.slug, "post_id": post.pk}),
        {"body": "Posted from another site"},
    )

    assert response.status_code == 403
    assert not Comment.objects.filter(post=post).exists()


def test_an_htmx_reaction_carries_the_token_in_its_header(browser):
    post = PostFactory()
    browser.force_login(member(post.practice, Role.PATIENT))
    token = csrf_token_of(browser.get(post.get_absolute_url()).content.decode())
    url = reverse("post_react", kwargs={"slug": post.practice.slug, "post_id": post.pk})

    refused = browser.post(url, {"kind": "like", "action": "add"}, headers={"HX-Request": "true"})
    accepted = browser.post(
        url, {"kind": "like", "action": "add"}, headers={"HX-Request": "true", "X-CSRFToken": token}
    )

    assert refused.status_code == 403
    assert accepted.status_code == 200
    assert Reaction.objects.filter(post=post).count() == 1
