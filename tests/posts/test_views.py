import re

import pytest
from django.conf import settings
from django.urls import reverse

from bedside.posts.models import Comment, Post, Reaction, ReactionKind, Status, Visibility
from bedside.posts.services import add_comment, react
from bedside.practices.models import OpeningHours, Role
from tests.factories.posts import PostFactory, PostImageFactory
from tests.factories.practices import (
    LocationFactory,
    MembershipFactory,
    PracticeFactory,
    StaffProfileFactory,
    member,
)

pytestmark = pytest.mark.django_db


def detail_url(post):
    return reverse("post_detail", args=[post.practice.slug, post.pk])


def signed_in(client, user):
    client.force_login(user)
    return client


# --- home --------------------------------------------------------------------------------


def test_a_visitor_sees_the_directory_of_practices(client):
    PracticeFactory(name="Hillside Dental", specialty="Dentistry")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Hillside Dental" in response.text
    assert "Dentistry" in response.text


def test_a_new_patient_with_an_empty_feed_is_pointed_to_practices(client, practice):
    PracticeFactory(name="Lakeview Pediatrics")
    response = signed_in(client, member(practice)).get(reverse("home"))
    assert "Nothing here yet" in response.text
    assert "Lakeview Pediatrics" in response.text


def test_the_home_feed_shows_posts_of_followed_practices(client, practice, other_practice):
    PostFactory(practice=practice, title="Saturday hours")
    PostFactory(practice=other_practice, title="Somebody else's news")
    response = signed_in(client, member(practice)).get(reverse("home"))
    assert "Saturday hours" in response.text
    assert "Somebody else" not in response.text


# --- practice page -----------------------------------------------------------------------


def test_the_practice_page_shows_the_profile_and_how_to_reach_it(client):
    practice = PracticeFactory(
        name="Riverside Family", tagline="Care close to home", phone="(555) 010-2000"
    )
    location = LocationFactory(practice=practice, street="12 River Road", city="Springfield")
    OpeningHours.objects.create(location=location, weekday=0, opens_at="08:00", closes_at="12:00")
    response = client.get(reverse("practice_home", args=[practice.slug]))
    html = response.text
    assert response.status_code == 200
    assert "Care close to home" in html
    assert 'href="tel:(555)010-2000"' in html
    assert "Book an appointment" in html
    assert practice.booking_url in html
    assert "https://www.openstreetmap.org/search?query=12%20River%20Road%2C%20Springfield" in html
    assert re.search(r"<th scope=\"row\">Monday</th><td>08:00–12:00</td>", html)
    assert re.search(r"<th scope=\"row\">Sunday</th><td>Closed</td>", html)
    assert reverse("practice_team", args=[practice.slug]) in html


def test_the_practice_page_carries_social_cards_and_the_atom_link(client, practice):
    response = client.get(reverse("practice_home", args=[practice.slug]))
    html = response.text
    page_url = f"{settings.SITE_URL}/p/{practice.slug}/"
    assert f'<meta property="og:url" content="{page_url}">' in html
    assert f'<meta property="og:title" content="{practice.name}">' in html
    assert '<meta property="og:type" content="website">' in html
    assert 'name="twitter:card"' in html
    feed = reverse("practice_feed_atom", args=[practice.slug])
    alternate = f'type="application/atom+xml" title="{practice.name}: posts" href="{feed}"'
    assert f'<link rel="alternate" {alternate}>' in html


def test_a_signed_in_stranger_may_follow_and_a_visitor_may_join(client, practice):
    follow = reverse("follow", args=[practice.slug])
    page = reverse("practice_home", args=[practice.slug])
    assert f'href="{follow}">Join</a>' in client.get(page).text
    client.force_login(member(PracticeFactory()))
    assert f'href="{follow}">Follow</a>' in client.get(page).text
    client.force_login(member(practice))
    assert follow not in client.get(page).text


def test_the_pinned_post_is_shown_first_and_once(client, practice):
    PostFactory(practice=practice, title="Newest news")
    PostFactory(practice=practice, title="Pinned welcome", is_pinned=True)
    html = client.get(reverse("practice_home", args=[practice.slug])).text
    assert html.count("Pinned welcome</a>") == 1
    assert html.index("Pinned welcome") < html.index("Newest news")
    assert 'class="pill pill-pinned">Pinned' in html


def test_older_posts_load_by_link_or_by_htmx_fragment(client, practice):
    posts = PostFactory.create_batch(25, practice=practice)
    url = reverse("practice_home", args=[practice.slug])
    html = client.get(url).text
    match = re.search(r'href="\?cursor=([^"]+)" hx-get="\?cursor=\1"', html)
    assert match, "the Older posts link needs a real href and an hx-get"
    fragment = client.get(f"{url}?cursor={match.group(1)}", headers={"HX-Request": "true"})
    assert "<html" not in fragment.text
    assert posts[0].title in fragment.text
    assert "HX-Request" in fragment["Vary"]
    full = client.get(f"{url}?cursor={match.group(1)}")
    assert "<html" in full.text
    assert posts[0].title in full.text


def test_an_unknown_practice_is_404(client):
    assert client.get(reverse("practice_home", args=["nowhere"])).status_code == 404


# --- post page ---------------------------------------------------------------------------


def test_a_post_page_shows_the_album_pills_spotlight_and_social_card(client, practice):
    profile = StaffProfileFactory(practice=practice, name="Ana Ruiz", credentials="MD")
    post = PostFactory(practice=practice, kind="team", topic="medical", spotlight=profile)
    first = PostImageFactory(post=post, alt_text="Dr Ruiz at the fair", caption="Health fair")
    PostImageFactory(post=post, alt_text="The team booth")
    html = client.get(detail_url(post)).text
    assert 'alt="Dr Ruiz at the fair"' in html
    assert "<figcaption>Health fair</figcaption>" in html
    assert "Team spotlight" in html
    assert 'class="pill pill-medical">Medical' in html
    profile_url = reverse("team_member", args=[practice.slug, profile.slug])
    assert f'href="{profile_url}">Ana Ruiz, MD</a>' in html
    assert f'<meta property="og:image" content="{settings.SITE_URL}{first.image.url}">' in html
    assert f'<meta property="og:url" content="{settings.SITE_URL}{detail_url(post)}">' in html
    assert '<meta property="og:type" content="article">' in html


def test_a_post_for_patients_is_404_for_visitors_strangers_and_other_practices(
    client, practice, other_practice
):
    post = PostFactory(practice=practice, visibility=Visibility.PATIENTS)
    url = detail_url(post)
    assert client.get(url).status_code == 404
    client.force_login(member(other_practice))
    assert client.get(url).status_code == 404
    client.force_login(member(other_practice, Role.OWNER))
    assert client.get(url).status_code == 404
    client.force_login(member(practice))
    assert client.get(url).status_code == 200


def test_a_post_is_404_under_another_practices_address(client, practice, other_practice):
    post = PostFactory(practice=practice)
    url = reverse("post_detail", args=[other_practice.slug, post.pk])
    assert client.get(url).status_code == 404


def test_a_draft_is_404_for_patients_and_visible_to_editors(client, practice):
    post = PostFactory(practice=practice, status=Status.DRAFT, published_at=None)
    client.force_login(member(practice))
    assert client.get(detail_url(post)).status_code == 404
    client.force_login(member(practice, Role.EDITOR))
    response = client.get(detail_url(post))
    assert response.status_code == 200
    assert "only staff can see it" in response.text


def test_visitors_and_strangers_are_invited_to_join_to_comment(client, practice):
    post = PostFactory(practice=practice)
    assert "Join to comment" in client.get(detail_url(post)).text
    client.force_login(member(PracticeFactory()))
    html = client.get(detail_url(post)).text
    assert "Join to comment" in html
    assert 'name="body"' not in html


# --- reactions ---------------------------------------------------------------------------


def test_reacting_without_javascript_posts_a_form_and_comes_back(client, practice):
    post = PostFactory(practice=practice)
    patient = member(practice)
    client.force_login(patient)
    url = reverse("post_react", args=[practice.slug, post.pk])
    back = reverse("practice_home", args=[practice.slug])
    response = client.post(url, {"kind": "heart", "action": "add", "next": back})
    assert response.status_code == 302
    assert response["Location"] == back
    assert Post.objects.get(pk=post.pk).reaction_count == 1
    client.post(url, {"kind": "heart", "action": "remove", "next": "https://evil.example/"})
    assert not Reaction.objects.exists()


def test_reacting_with_htmx_returns_the_bar_with_the_button_pressed(client, practice):
    post = PostFactory(practice=practice)
    client.force_login(member(practice))
    url = reverse("post_react", args=[practice.slug, post.pk])
    response = client.post(url, {"kind": "like", "detail": "1"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<html" not in response.text
    assert re.search(r'aria-pressed="true">Like <span[^>]*>1</span>', response.text)
    assert re.search(r'aria-pressed="false">Love', response.text)
    assert "1 reaction<" in response.text


def test_the_post_page_shows_counts_and_which_reactions_are_mine(client, practice):
    post = PostFactory(practice=practice)
    patient = member(practice)
    react(user=patient, post=post, kind=ReactionKind.CELEBRATE)
    react(user=member(practice), post=post, kind=ReactionKind.CELEBRATE)
    client.force_login(patient)
    html = client.get(detail_url(post)).text
    assert re.search(r'aria-pressed="true">Celebrate <span[^>]*>2</span>', html)


def test_a_visitor_who_reacts_is_sent_to_sign_in(client, practice):
    post = PostFactory(practice=practice)
    response = client.post(reverse("post_react", args=[practice.slug, post.pk]), {"kind": "like"})
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert not Reaction.objects.exists()


def test_a_stranger_may_not_react(client, practice):
    post = PostFactory(practice=practice)
    client.force_login(member(PracticeFactory()))
    response = client.post(reverse("post_react", args=[practice.slug, post.pk]), {"kind": "like"})
    assert response.status_code == 403


# --- comments ----------------------------------------------------------------------------


def test_a_member_comments_and_lands_on_the_comment(client, practice):
    post = PostFactory(practice=practice)
    membership = MembershipFactory(practice=practice, display_name="Sunny")
    client.force_login(membership.user)
    response = client.post(
        reverse("post_comment", args=[practice.slug, post.pk]), {"body": "So *helpful*"}
    )
    comment = Comment.objects.get()
    assert response["Location"].endswith(f"#comment-{comment.pk}")
    html = client.get(detail_url(post)).text
    assert "<em>helpful</em>" in html
    assert "<strong>Sunny</strong>" in html


def test_an_empty_comment_is_shown_again_with_its_error(client, practice):
    post = PostFactory(practice=practice)
    client.force_login(member(practice))
    response = client.post(reverse("post_comment", args=[practice.slug, post.pk]), {"body": "  "})
    assert response.status_code == 422
    assert 'class="errorlist"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Comment.objects.exists()


def test_an_overlong_comment_keeps_what_the_member_typed(client, practice):
    post = PostFactory(practice=practice)
    client.force_login(member(practice))
    typed = "Thank you " * 201
    response = client.post(reverse("post_comment", args=[practice.slug, post.pk]), {"body": typed})
    assert response.status_code == 422
    assert "at most 2000 characters" in response.text
    assert typed.strip() in response.text


def test_a_member_deletes_their_own_comment_but_not_anothers(client, practice):
    post = PostFactory(practice=practice)
    author, neighbour = member(practice), member(practice)
    comment = add_comment(user=author, post=post, body="Mine")
    url = reverse("comment_delete", args=[practice.slug, comment.pk])
    client.force_login(neighbour)
    assert "Delete" not in client.get(detail_url(post)).text.split('id="comments"')[1]
    assert client.post(url).status_code == 403
    client.force_login(author)
    assert client.post(url).status_code == 302
    assert not Comment.objects.exists()


def test_a_moderator_hides_a_comment_which_patients_then_do_not_see(client, practice):
    post = PostFactory(practice=practice)
    comment = add_comment(user=member(practice), post=post, body="Buy cheap pills")
    moderator = member(practice, Role.MODERATOR)
    client.force_login(moderator)
    assert client.post(reverse("comment_hide", args=[practice.slug, comment.pk])).status_code == 302
    assert "Hidden from patients" in client.get(detail_url(post)).text
    client.force_login(member(practice))
    assert "cheap pills" not in client.get(detail_url(post)).text


def test_a_patient_may_not_hide_and_another_practice_sees_no_such_comment(client, practice):
    post = PostFactory(practice=practice)
    comment = add_comment(user=member(practice), post=post, body="Hello")
    client.force_login(member(practice))
    assert client.post(reverse("comment_hide", args=[practice.slug, comment.pk])).status_code == 403
    other = PracticeFactory()
    client.force_login(member(other, Role.MODERATOR))
    url = reverse("comment_hide", args=[other.slug, comment.pk])
    assert client.post(url).status_code == 404
    assert not Comment.objects.get(pk=comment.pk).is_hidden


def test_the_social_description_is_plain_text_escaped_exactly_once(client, practice):
    post = PostFactory(practice=practice, body="Tom & Jerry say **hi** <b>there</b>")
    html = client.get(detail_url(post)).text
    expected = "Tom &amp; Jerry say hi &lt;b&gt;there&lt;/b&gt;"
    assert f'<meta property="og:description" content="{expected}">' in html
