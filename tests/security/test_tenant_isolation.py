"""A practice's private pages and rows answer 404 to everyone outside it, like missing ones.

A 404 tells a stranger nothing: not whether a post exists, nor whether a practice has a
studio page they are not allowed into.
"""

import pytest
from django.test import Client
from django.urls import reverse

from bedside.posts.models import Visibility
from bedside.practices.models import Role
from tests.factories import (
    CommentFactory,
    InvitationFactory,
    PostFactory,
    PracticeFactory,
    StaffProfileFactory,
    member,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ours():
    return PracticeFactory()


@pytest.fixture
def theirs():
    return PracticeFactory()


@pytest.fixture
def our_owner(client, ours) -> Client:
    client.force_login(member(ours, Role.OWNER))
    return client


def test_a_visitor_gets_not_found_for_a_patients_only_post(client, ours):
    post = PostFactory(practice=ours, visibility=Visibility.PATIENTS, title="For patients only")

    response = client.get(post.get_absolute_url())

    assert response.status_code == 404
    assert "For patients only" not in response.content.decode()
    assert "We cannot find that page" in response.content.decode()


def test_a_patient_of_another_practice_gets_not_found_for_a_patients_only_post(
    client, ours, theirs
):
    post = PostFactory(practice=theirs, visibility=Visibility.PATIENTS)
    client.force_login(member(ours, Role.PATIENT))

    assert client.get(post.get_absolute_url()).status_code == 404


def test_a_patient_of_the_practice_reads_its_patients_only_post(client, ours):
    post = PostFactory(practice=ours, visibility=Visibility.PATIENTS, title="For patients only")
    client.force_login(member(ours, Role.PATIENT))

    response = client.get(post.get_absolute_url())

    assert response.status_code == 200
    assert "For patients only" in response.content.decode()


STUDIO_PAGES = [
    "studio_posts",
    "studio_compose",
    "studio_practice",
    "studio_team",
    "studio_team_new",
    "studio_invitations",
    "studio_members",
]


@pytest.mark.parametrize("name", STUDIO_PAGES)
def test_an_owner_gets_not_found_in_another_practices_studio(our_owner, theirs, name):
    response = our_owner.get(reverse(name, kwargs={"slug": theirs.slug}))

    assert response.status_code == 404


def foreign_rows(ours, theirs) -> dict[str, str]:
    """Our practice's URLs, pointed at another practice's rows."""
    post = PostFactory(practice=theirs)
    profile = StaffProfileFactory(practice=theirs)
    invitation = InvitationFactory(practice=theirs)
    slug = ours.slug
    return {
        "post": reverse("post_detail", kwargs={"slug": slug, "post_id": post.pk}),
        "post editor": reverse("studio_post_edit", kwargs={"slug": slug, "post_id": post.pk}),
        "team member": reverse("team_member", kwargs={"slug": slug, "profile_slug": profile.slug}),
        "team editor": reverse(
            "studio_team_edit", kwargs={"slug": slug, "profile_slug": profile.slug}
        ),
        "poster": reverse(
            "invitation_poster", kwargs={"slug": slug, "invitation_id": invitation.pk}
        ),
        "qr code": reverse("invitation_qr", kwargs={"slug": slug, "invitation_id": invitation.pk}),
    }


@pytest.mark.parametrize(
    "row", ["post", "post editor", "team member", "team editor", "poster", "qr code"]
)
def test_another_practices_rows_are_not_found_through_our_urls(our_owner, ours, theirs, row):
    url = foreign_rows(ours, theirs)[row]

    assert our_owner.get(url).status_code == 404


@pytest.mark.parametrize("action", ["comment_delete", "comment_hide"])
def test_moderating_another_practices_comment_through_our_urls_is_not_found(
    our_owner, ours, theirs, action
):
    comment = CommentFactory(post=PostFactory(practice=theirs))

    response = our_owner.post(reverse(action, kwargs={"slug": ours.slug, "comment_id": comment.pk}))

    assert response.status_code == 404
    comment.refresh_from_db()
    assert not comment.is_hidden
