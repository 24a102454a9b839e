from datetime import timedelta

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from bedside.posts import queries
from bedside.posts.models import ReactionKind, Status, Visibility
from bedside.posts.services import add_comment, hide_comment, pin_post, react
from bedside.practices.models import OpeningHours, Role
from tests.factories.posts import PostFactory
from tests.factories.practices import (
    LocationFactory,
    MembershipFactory,
    PracticeFactory,
    member,
)

pytestmark = pytest.mark.django_db


def ids(posts):
    return [post.pk for post in posts]


def test_a_visitor_sees_only_public_published_posts(practice):
    public = PostFactory(practice=practice)
    PostFactory(practice=practice, visibility=Visibility.PATIENTS)
    PostFactory(practice=practice, status=Status.DRAFT, published_at=None)
    PostFactory(practice=practice, status=Status.ARCHIVED, published_at=None)
    PostFactory()
    page = queries.practice_feed(practice, AnonymousUser(), None)
    assert ids(page.posts) == [public.pk]


def test_a_patient_also_sees_posts_for_patients_only(practice, other_practice):
    public = PostFactory(practice=practice)
    private = PostFactory(practice=practice, visibility=Visibility.PATIENTS)
    page = queries.practice_feed(practice, member(practice), None)
    assert ids(page.posts) == [private.pk, public.pk]
    stranger_page = queries.practice_feed(practice, member(other_practice), None)
    assert ids(stranger_page.posts) == [public.pk]


def test_the_pinned_post_comes_apart_on_the_first_page_only(practice):
    editor = member(practice, Role.EDITOR)
    old = PostFactory(practice=practice, published_at=timezone.now() - timedelta(days=30))
    pin_post(by=editor, post=old)
    newer = PostFactory.create_batch(queries.FEED_PAGE_SIZE + 1, practice=practice)
    first = queries.practice_feed(practice, AnonymousUser(), None)
    assert first.pinned == old
    assert old.pk not in ids(first.posts)
    second = queries.practice_feed(practice, AnonymousUser(), first.next_cursor)
    assert second.pinned is None
    assert set(ids(first.posts)) | set(ids(second.posts)) == {p.pk for p in newer}


def test_a_pinned_post_for_patients_is_not_shown_to_visitors(practice):
    editor = member(practice, Role.EDITOR)
    pin_post(by=editor, post=PostFactory(practice=practice, visibility=Visibility.PATIENTS))
    assert queries.practice_feed(practice, AnonymousUser(), None).pinned is None
    assert queries.practice_feed(practice, member(practice), None).pinned is not None


def test_the_home_feed_holds_every_followed_practice_newest_first(practice, other_practice):
    patient = member(practice)
    MembershipFactory(user=patient, practice=other_practice)
    now = timezone.now()
    a = PostFactory(practice=practice, published_at=now - timedelta(hours=2))
    b = PostFactory(
        practice=other_practice,
        visibility=Visibility.PATIENTS,
        published_at=now - timedelta(hours=1),
    )
    PostFactory(published_at=now)  # a practice the patient does not follow
    PostFactory(practice=practice, status=Status.DRAFT, published_at=None)
    page = queries.home_feed(patient, None)
    assert ids(page.posts) == [b.pk, a.pk]


def test_the_viewers_own_reactions_come_with_the_page(practice):
    patient = member(practice)
    liked, other = PostFactory.create_batch(2, practice=practice)
    react(user=patient, post=liked, kind=ReactionKind.LIKE)
    react(user=member(practice), post=other, kind=ReactionKind.HEART)
    page = queries.practice_feed(practice, patient, None)
    kinds = {post.pk: post.viewer_reaction_kinds for post in page.posts}
    assert kinds == {liked.pk: {"like"}, other.pk: set()}
    assert all(post.viewer_can_react for post in page.posts)


@pytest.mark.parametrize("feed", ["practice", "home"])
def test_keyset_pages_have_no_duplicates_and_no_gaps(practice, feed):
    patient = member(practice)
    now = timezone.now()
    # Ties on published_at are where offset-free paging usually slips.
    posts = [
        PostFactory(practice=practice, published_at=now - timedelta(minutes=i // 3))
        for i in range(3 * queries.FEED_PAGE_SIZE + 7)
    ]
    seen, cursor, pages = [], None, 0
    while True:
        if feed == "practice":
            page = queries.practice_feed(practice, patient, cursor)
        else:
            page = queries.home_feed(patient, cursor)
        seen.extend(ids(page.posts))
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert pages == 4
    assert len(seen) == len(set(seen))
    expected = sorted(posts, key=lambda p: (p.published_at, p.pk), reverse=True)
    assert seen == ids(expected)


def test_home_pages_across_several_practices_have_no_duplicates_and_no_gaps(
    practice, other_practice
):
    # With several follows PostgreSQL merges one index scan per practice (UNION ALL).
    third = PracticeFactory()
    patient = member(practice)
    MembershipFactory(user=patient, practice=other_practice)
    MembershipFactory(user=patient, practice=third)
    now = timezone.now()
    followed = [practice, other_practice, third]
    posts = [
        PostFactory(practice=followed[i % 3], published_at=now - timedelta(minutes=i // 4))
        for i in range(2 * queries.FEED_PAGE_SIZE + 11)
    ]
    PostFactory.create_batch(5, published_at=now)  # not followed
    seen, cursor = [], None
    while True:
        page = queries.home_feed(patient, cursor)
        seen.extend(ids(page.posts))
        cursor = page.next_cursor
        if cursor is None:
            break
    expected = sorted(posts, key=lambda p: (p.published_at, p.pk), reverse=True)
    assert seen == ids(expected)


@pytest.mark.parametrize("cursor", ["garbage", "", "%%%", "MjAyNC0wMS0wMVQwMDowMDowMHw1"])
def test_a_bad_cursor_starts_over_from_the_newest(practice, cursor):
    posts = PostFactory.create_batch(3, practice=practice)
    page = queries.practice_feed(practice, AnonymousUser(), cursor)
    assert ids(page.posts) == ids(reversed(posts))


def test_comments_come_oldest_first_under_their_members_display_names(practice):
    post = PostFactory(practice=practice)
    first = MembershipFactory(practice=practice, display_name="Sunny")
    second = MembershipFactory(practice=practice, display_name="Rosa")
    a = add_comment(user=first.user, post=post, body="First!")
    b = add_comment(user=second.user, post=post, body="Second")
    hide_comment(by=member(practice, Role.MODERATOR), comment=b)
    thread = queries.post_with_comments(first.user, practice, post.pk)
    assert thread.comments == [a]
    assert thread.display_names[first.user_id] == "Sunny"
    moderator_view = queries.post_with_comments(member(practice, Role.MODERATOR), practice, post.pk)
    assert moderator_view.comments == [a, b]


def test_the_studio_list_shows_drafts_and_a_clinician_only_their_own(practice):
    editor = member(practice, Role.EDITOR)
    clinician = member(practice, Role.CLINICIAN)
    mine = PostFactory(practice=practice, author=clinician, status=Status.DRAFT, published_at=None)
    theirs = PostFactory(practice=practice, author=editor, status=Status.DRAFT, published_at=None)
    live = PostFactory(practice=practice, author=editor)
    everything = queries.studio_posts(practice, editor, status=None, cursor=None)
    assert set(ids(everything.posts)) == {mine.pk, theirs.pk, live.pk}
    drafts = queries.studio_posts(practice, editor, status="draft", cursor=None)
    assert set(ids(drafts.posts)) == {mine.pk, theirs.pk}
    own = queries.studio_posts(practice, clinician, status=None, cursor=None)
    assert set(ids(own.posts)) == {mine.pk, live.pk}


def test_opening_hours_are_laid_out_monday_to_sunday(practice):
    location = LocationFactory(practice=practice)
    for weekday, opens, closes in [
        (0, "13:00", "17:00"),
        (0, "08:00", "12:00"),
        (5, "09:00", "12:00"),
    ]:
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens_at=opens, closes_at=closes
        )
    (week,) = queries.practice_locations(practice)
    assert [day for day, _ in week.days][:2] == ["Monday", "Tuesday"]
    monday = [f"{h.opens_at:%H:%M}" for h in week.days[0][1]]
    assert monday == ["08:00", "13:00"]
    assert week.days[1][1] == []
    assert len(week.days[5][1]) == 1
