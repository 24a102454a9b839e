"""Announcements, interviews and videos on posts, through the posts services."""

import io
from pathlib import Path

import pytest
from django.urls import NoReverseMatch, reverse

from bedside.core.errors import Invalid
from bedside.posts import services
from bedside.posts.models import AnnouncementType, Kind, Pillar, Post, Topic, Visibility
from bedside.posts.services import VideoUpload
from bedside.practices.models import Role
from tests.factories.posts import PostFactory
from tests.factories.practices import member
from tests.posts.test_video import MP4, WEBM

pytestmark = pytest.mark.django_db

YOUTUBE = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
YOUTUBE_PLAYER = "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"


def write(practice, by, **overrides):
    fields = {
        "by": by,
        "practice": practice,
        "kind": Kind.ANNOUNCEMENT,
        "topic": Topic.NON_MEDICAL,
        "title": "Dr. Osei joins us",
        "body": "Please welcome her.",
        "visibility": Visibility.PUBLIC,
    }
    fields.update(overrides)
    return services.create_post(**fields)


def video(data=MP4):
    return VideoUpload(file=io.BytesIO(data), size=len(data))


@pytest.fixture
def editor(practice):
    return member(practice, Role.EDITOR)


@pytest.mark.parametrize("kind", AnnouncementType.values)
def test_an_announcement_says_what_it_is_about(practice, editor, kind):
    post = write(practice, editor, announcement_type=kind)
    assert post.announcement_type == kind
    assert post.pillar == Pillar.SPREAD_THE_WORD


def test_an_announcement_without_a_type_is_general_news(practice, editor):
    assert write(practice, editor).announcement_type == AnnouncementType.GENERAL


def test_an_unknown_announcement_type_is_refused(practice, editor):
    with pytest.raises(Invalid) as error:
        write(practice, editor, announcement_type="gossip")
    assert error.value.field == "announcement_type"


def test_other_kinds_carry_no_announcement_type(practice, editor):
    post = write(practice, editor, kind=Kind.OFFICE_LIFE, announcement_type="award")
    assert post.announcement_type == ""


def test_a_video_link_is_stored_as_the_private_player(practice, editor):
    post = write(practice, editor, video_embed_url=YOUTUBE)
    assert Post.objects.get(pk=post.pk).video_embed_url == YOUTUBE_PLAYER


def test_an_uploaded_video_is_stored_under_a_random_name_by_its_content(practice, editor):
    post = write(practice, editor, video=video(WEBM))
    stored = Post.objects.get(pk=post.pk).video
    assert stored.name.endswith(".webm")
    assert "Dr" not in stored.name
    assert stored.read() == WEBM


def test_an_upload_and_a_link_together_are_refused(practice, editor):
    with pytest.raises(Invalid) as error:
        write(practice, editor, video=video(), video_embed_url=YOUTUBE)
    assert error.value.field == "video_embed_url"
    assert not Post.objects.exists()


def test_an_interview_needs_a_video(practice, editor):
    with pytest.raises(Invalid) as error:
        write(practice, editor, kind=Kind.INTERVIEW, transcript="Q: Why medicine?")
    assert error.value.field == "video"


def test_an_interview_needs_a_transcript(practice, editor):
    with pytest.raises(Invalid) as error:
        write(practice, editor, kind=Kind.INTERVIEW, video_embed_url=YOUTUBE, transcript="  ")
    assert error.value.field == "transcript"


def test_an_interview_with_video_and_transcript_is_saved_with_the_transcript_sanitized(
    practice, editor
):
    post = write(
        practice,
        editor,
        kind=Kind.INTERVIEW,
        video=video(),
        transcript="**Q:** Why medicine?<script>alert(1)</script>",
    )
    assert "<strong>Q:</strong>" in post.transcript_html
    assert "<script" not in post.transcript_html


def test_editing_keeps_an_interviews_uploaded_video_when_nothing_new_is_given(practice, editor):
    post = write(practice, editor, kind=Kind.INTERVIEW, video=video(), transcript="Hello.")
    name = post.video.name
    services.update_post(
        by=editor, post=post, kind=Kind.INTERVIEW, topic=Topic.MEDICAL, title="New title",
        body="Changed.", visibility=Visibility.PUBLIC, video_embed_url="",
    )  # fmt: skip
    assert Post.objects.get(pk=post.pk).video.name == name


def test_a_new_link_replaces_an_uploaded_video_and_its_file_goes(
    practice, editor, settings, django_capture_on_commit_callbacks
):
    post = write(practice, editor, video=video())
    path = Path(settings.MEDIA_ROOT) / post.video.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.update_post(
            by=editor, post=post, kind=post.kind, topic=post.topic, title=post.title,
            body=post.body, visibility=post.visibility,
            video_embed_url="https://vimeo.com/76979871",
        )  # fmt: skip
    post.refresh_from_db()
    assert (post.video.name, post.video_embed_url) == (
        "",
        "https://player.vimeo.com/video/76979871?dnt=1",
    )
    assert not path.exists()


def test_removing_the_video_of_an_interview_is_refused(practice, editor):
    post = write(practice, editor, kind=Kind.INTERVIEW, video_embed_url=YOUTUBE, transcript="Hi")
    with pytest.raises(Invalid) as error:
        services.update_post(
            by=editor, post=post, kind=post.kind, topic=post.topic, title=post.title,
            body=post.body, visibility=post.visibility, remove_video=True,
        )  # fmt: skip
    assert error.value.field == "video"


def test_deleting_a_post_deletes_its_video_file(
    practice, editor, settings, django_capture_on_commit_callbacks
):
    post = write(practice, editor, video=video())
    path = Path(settings.MEDIA_ROOT) / post.video.name
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_post(by=editor, post=post)
    assert not path.exists()


def test_events_are_created_by_the_services_but_not_offered_by_the_composer(practice, editor):
    from bedside.posts.forms import PostForm

    assert write(practice, editor, kind=Kind.EVENT).kind == Kind.EVENT
    offered = dict(PostForm(practice=practice, can_pin=False).fields["kind"].choices)
    assert set(offered) == {"announcement", "interview", "team", "office_life"}


def test_an_event_post_links_to_its_event_page(practice):
    post = PostFactory(practice=practice, kind=Kind.EVENT)
    try:
        expected = reverse("event_detail", kwargs={"slug": practice.slug, "post_id": post.pk})
    except NoReverseMatch:
        pytest.fail("the events app's event_detail URL is not installed")
    assert post.get_absolute_url() == expected
    other = PostFactory(practice=practice, kind=Kind.ANNOUNCEMENT)
    assert other.get_absolute_url() == f"/p/{practice.slug}/posts/{other.pk}/"
