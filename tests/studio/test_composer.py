import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bedside.posts.models import Post, PostImage, Status
from bedside.practices.models import Role
from tests.factories.posts import PostFactory, PostImageFactory, image_bytes
from tests.factories.practices import StaffProfileFactory, member

pytestmark = pytest.mark.django_db


def compose_url(practice):
    return reverse("studio_compose", args=[practice.slug])


def edit_url(post):
    return reverse("studio_post_edit", args=[post.practice.slug, post.pk])


def form_data(**overrides):
    data = {
        "title": "Our new waiting room",
        "kind": "office_life",
        "topic": "non_medical",
        "visibility": "public",
        "body": "Come and see the **new** chairs.",
        "spotlight": "",
        "images-TOTAL_FORMS": "4",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "4",
        "action": "save",
    }
    data.update(overrides)
    return data


def photo(name="party.jpg", **kwargs):
    return SimpleUploadedFile(name, image_bytes(**kwargs), content_type="image/jpeg")


@pytest.fixture
def editor(client, practice):
    user = member(practice, Role.EDITOR)
    client.force_login(user)
    return user


# --- access ------------------------------------------------------------------------------


def test_a_visitor_is_sent_to_sign_in(client, practice):
    response = client.get(reverse("studio_posts", args=[practice.slug]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("url_name", ["studio_posts", "studio_compose"])
def test_patients_and_staff_of_other_practices_may_not_enter(
    client, practice, other_practice, url_name
):
    url = reverse(url_name, args=[practice.slug])
    # Outsiders learn nothing: the studio of a practice they are not staff of is not found.
    client.force_login(member(practice))
    assert client.get(url).status_code == 404
    client.force_login(member(other_practice, Role.OWNER))
    assert client.get(url).status_code == 404


def test_a_moderator_sees_the_list_but_may_not_compose(client, practice):
    client.force_login(member(practice, Role.MODERATOR))
    assert client.get(reverse("studio_posts", args=[practice.slug])).status_code == 200
    assert client.get(compose_url(practice)).status_code == 403


# --- the list ----------------------------------------------------------------------------


def test_the_studio_lists_drafts_and_filters_by_status(client, practice, editor):
    PostFactory(practice=practice, title="Draft news", status=Status.DRAFT, published_at=None)
    PostFactory(practice=practice, title="Live news")
    url = reverse("studio_posts", args=[practice.slug])
    html = client.get(url).text
    assert "Draft news" in html and "Live news" in html
    assert 'aria-label="Studio"' in html
    drafts = client.get(url, {"status": "draft"}).text
    assert "Draft news" in drafts and "Live news" not in drafts


# --- composing ---------------------------------------------------------------------------


def test_the_composer_asks_medical_or_not_without_a_default(client, practice, editor):
    html = client.get(compose_url(practice)).text
    assert 'name="topic" value="medical"' in html
    assert "checked" not in html.split('name="topic"')[1].split("</fieldset>")[0]
    assert 'hx-post="/p/' in html and 'hx-trigger="input changed delay:500ms"' in html
    assert 'value="article"' not in html


def test_saving_a_draft_keeps_it_off_the_feed(client, practice, editor):
    response = client.post(compose_url(practice), form_data())
    post = Post.objects.get()
    assert response["Location"] == edit_url(post)
    assert post.status == Status.DRAFT
    assert post.author == editor
    assert post.body_html == "<p>Come and see the <strong>new</strong> chairs.</p>\n"


def test_publishing_an_album_from_the_composer(client, practice, editor):
    data = form_data(action="publish")
    data.update({
        "images-0-image": photo(), "images-0-alt_text": "Cake on the front desk",
        "images-1-image": photo(size=(2600, 100)), "images-1-alt_text": "The team",
        "images-1-caption": "All of us",
    })  # fmt: skip
    response = client.post(compose_url(practice), data)
    post = Post.objects.get()
    assert response["Location"] == post.get_absolute_url()
    assert post.status == Status.PUBLISHED
    images = list(post.images.all())
    assert [(i.alt_text, i.caption) for i in images] == [
        ("Cake on the front desk", ""),
        ("The team", "All of us"),
    ]
    assert images[1].width == 2000


def test_a_missing_topic_is_shown_again_with_what_was_typed(client, practice, editor):
    response = client.post(
        compose_url(practice), form_data(topic="", title="Keep my title", body="Keep my body")
    )
    assert response.status_code == 422
    html = response.text
    assert "Say whether this post is medical or non-medical." in html
    assert 'value="Keep my title"' in html
    assert "Keep my body</textarea>" in html
    assert not Post.objects.exists()


def test_an_image_without_alt_text_is_flagged_on_its_row_and_files_must_be_chosen_again(
    client, practice, editor
):
    data = form_data()
    data.update({
        "images-0-image": photo(), "images-0-alt_text": "Fine",
        "images-2-image": photo(), "images-2-alt_text": "",
    })  # fmt: skip
    response = client.post(compose_url(practice), data)
    assert response.status_code == 422
    html = response.text
    assert 'id="id_images-2-alt_text_error"' in html
    assert "alt text is required" in html
    assert "please choose them again" in html
    assert not Post.objects.exists()
    assert not PostImage.objects.exists()


def test_a_file_that_is_not_an_image_is_flagged_on_its_row(client, practice, editor):
    data = form_data()
    data.update({
        "images-1-image": SimpleUploadedFile("notes.jpg", b"just text", content_type="image/jpeg"),
        "images-1-alt_text": "Notes",
    })  # fmt: skip
    response = client.post(compose_url(practice), data)
    assert response.status_code == 422
    assert 'id="id_images-1-image_error"' in response.text


def test_a_spotlight_is_chosen_among_the_practices_team(client, practice, other_practice, editor):
    ours = StaffProfileFactory(practice=practice, name="Ana Ruiz")
    theirs = StaffProfileFactory(practice=other_practice, name="Zed Stranger")
    html = client.get(compose_url(practice)).text
    assert "Ana Ruiz" in html and "Zed Stranger" not in html
    response = client.post(compose_url(practice), form_data(kind="team", spotlight=theirs.pk))
    assert response.status_code == 422
    client.post(compose_url(practice), form_data(kind="team", spotlight=ours.pk))
    assert Post.objects.get().spotlight == ours


def test_a_clinician_is_not_offered_the_pin(client, practice):
    client.force_login(member(practice, Role.CLINICIAN))
    html = client.get(compose_url(practice)).text
    assert 'name="is_pinned"' not in html
    client.post(compose_url(practice), form_data(is_pinned="on"))
    assert not Post.objects.get().is_pinned


def test_an_editor_pins_from_the_composer(client, practice, editor):
    old = PostFactory(practice=practice, is_pinned=True)
    client.post(compose_url(practice), form_data(is_pinned="on", action="publish"))
    assert Post.objects.get(is_pinned=True).title == "Our new waiting room"
    old.refresh_from_db()
    assert not old.is_pinned


# --- editing -----------------------------------------------------------------------------


def test_editing_changes_the_post_removes_and_adds_images(client, practice, editor):
    post = PostFactory(practice=practice, author=editor)
    kept = PostImageFactory(post=post, alt_text="Kept")
    dropped = PostImageFactory(post=post, alt_text="Dropped")
    html = client.get(edit_url(post)).text
    assert f'value="{post.title}"' in html
    assert "Save changes" in html
    data = form_data(title="New title", remove=[dropped.pk])
    data.update({"images-0-image": photo(), "images-0-alt_text": "Added"})
    response = client.post(edit_url(post), data)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.title == "New title"
    assert [i.alt_text for i in post.images.all()] == ["Kept", "Added"]
    assert kept.pk in {i.pk for i in post.images.all()}


def test_the_edit_page_offers_only_as_many_rows_as_the_post_can_still_hold(
    client, practice, editor
):
    post = PostFactory(practice=practice)
    PostImageFactory.create_batch(10, post=post)
    html = client.get(edit_url(post)).text
    assert 'name="images-TOTAL_FORMS" value="2"' in html


def test_unpublish_archive_and_delete_from_the_edit_page(client, practice, editor):
    post = PostFactory(practice=practice)
    client.post(edit_url(post), {"action": "unpublish"})
    post.refresh_from_db()
    assert post.status == Status.DRAFT
    client.post(edit_url(post), {"action": "archive"})
    post.refresh_from_db()
    assert post.status == Status.ARCHIVED
    response = client.post(edit_url(post), {"action": "delete"})
    assert response["Location"] == reverse("studio_posts", args=[practice.slug])
    assert not Post.objects.exists()


def test_a_clinician_cannot_open_a_colleagues_draft(client, practice):
    draft = PostFactory(
        practice=practice, author=member(practice, Role.CLINICIAN), status=Status.DRAFT,
        published_at=None,
    )  # fmt: skip
    client.force_login(member(practice, Role.CLINICIAN))
    assert client.get(edit_url(draft)).status_code == 404


def test_a_post_of_another_practice_is_404_in_this_studio(client, practice, other_practice, editor):
    post = PostFactory(practice=other_practice)
    url = reverse("studio_post_edit", args=[practice.slug, post.pk])
    assert client.get(url).status_code == 404


# --- preview -----------------------------------------------------------------------------


def test_the_preview_renders_markdown_through_the_sanitizer(client, practice, editor):
    response = client.post(
        reverse("studio_preview", args=[practice.slug]),
        {"body": "**Bold** <script>alert(1)</script>"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "<strong>Bold</strong>" in response.text
    assert "<script>" not in response.text
    assert 'id="preview"' in response.text


def test_a_patient_gets_no_preview(client, practice):
    client.force_login(member(practice))
    response = client.post(reverse("studio_preview", args=[practice.slug]), {"body": "x"})
    assert response.status_code == 404


# --- scheduling, announcements and video -------------------------------------------------


def test_scheduling_from_the_composer_reads_the_time_in_the_practices_zone(
    client, practice, editor
):
    practice.time_zone = "Europe/Paris"
    practice.save(update_fields=["time_zone"])
    data = form_data(action="schedule", kind="announcement", scheduled_at="2099-07-01T09:30")
    response = client.post(compose_url(practice), data)
    post = Post.objects.get()
    assert response.status_code == 302
    assert post.status == Status.SCHEDULED
    # 09:30 in Paris in July is 07:30 UTC.
    assert post.scheduled_at.isoformat() == "2099-07-01T07:30:00+00:00"
    page = client.get(response["Location"]).content.decode()
    assert "Scheduled: it will be published on Wednesday July 1, 2099 at 09:30." in page
    assert 'value="unschedule"' in page


def test_a_past_time_is_shown_next_to_the_field_and_nothing_is_saved(client, practice, editor):
    data = form_data(action="schedule", scheduled_at="2001-01-01T09:00")
    response = client.post(compose_url(practice), data)
    assert response.status_code == 422
    assert response.context["form"].errors["scheduled_at"] == [
        "Choose a time in the future to publish at."
    ]
    assert "Our new waiting room" in response.content.decode()
    assert not Post.objects.exists()


def test_schedule_without_a_time_asks_for_one(client, practice, editor):
    response = client.post(compose_url(practice), form_data(action="schedule"))
    assert response.status_code == 422
    assert (
        "Give the date and time to publish at." in response.context["form"].errors["scheduled_at"]
    )


def test_unscheduling_from_the_edit_page_makes_a_draft(client, practice, editor):
    data = form_data(action="schedule", scheduled_at="2099-07-01T09:30")
    client.post(compose_url(practice), data)
    post = Post.objects.get()
    client.post(edit_url(post), {"action": "unschedule"})
    post.refresh_from_db()
    assert (post.status, post.scheduled_at) == (Status.DRAFT, None)


def test_an_interview_without_a_transcript_is_flagged_next_to_the_transcript(
    client, practice, editor
):
    data = form_data(kind="interview", video_embed_url="https://youtu.be/dQw4w9WgXcQ")
    response = client.post(compose_url(practice), data)
    assert response.status_code == 422
    assert response.context["form"].errors["transcript"]
    assert not Post.objects.exists()


def test_an_announcement_with_an_uploaded_video(client, practice, editor):
    from tests.posts.test_video import MP4

    video = SimpleUploadedFile("award.mov", MP4, content_type="video/quicktime")
    data = form_data(kind="announcement", announcement_type="award", video=video)
    client.post(compose_url(practice), data)
    post = Post.objects.get()
    assert (post.announcement_type, post.video.name.endswith(".mp4")) == ("award", True)


def test_a_file_that_is_not_a_video_is_flagged_next_to_the_video_field(client, practice, editor):
    fake = SimpleUploadedFile("clip.mp4", b"<html>hello</html>", content_type="video/mp4")
    response = client.post(compose_url(practice), form_data(video=fake))
    assert response.status_code == 422
    assert response.context["form"].errors["video"] == ["Upload an MP4 or WebM video."]


def test_an_embedded_video_waits_for_a_click_on_the_post_page(client, practice, editor):
    data = form_data(action="publish", video_embed_url="https://vimeo.com/76979871")
    response = client.post(compose_url(practice), data)
    page = client.get(response["Location"]).content.decode()
    assert 'data-embed-src="https://player.vimeo.com/video/76979871?dnt=1"' in page
    assert "Play the video from Vimeo" in page
    assert "<iframe" not in page
    csp = client.get(response["Location"])["Content-Security-Policy"]
    assert "frame-src https://www.youtube-nocookie.com https://player.vimeo.com" in csp


def test_the_edit_page_of_an_event_post_links_to_its_event_details(client, practice, editor):
    post = PostFactory(practice=practice, kind="event", status=Status.DRAFT, published_at=None)
    page = client.get(edit_url(post)).content.decode()
    assert reverse("studio_event_edit", args=[practice.slug, post.pk]) in page
    assert "Event details" in page


def test_scheduling_an_event_from_the_edit_page_keeps_it_an_event(client, practice, editor):
    # The composer cannot offer the event kind; its select must not quietly turn the event
    # into its first choice (this once made scheduled events publish as announcements).
    event = PostFactory(
        practice=practice, kind="event", status=Status.DRAFT, published_at=None, author=editor
    )
    page = client.get(edit_url(event)).content.decode()
    assert 'value="event"' in page
    data = form_data(action="schedule", kind="announcement", scheduled_at="2099-07-01T09:30")
    response = client.post(edit_url(event), data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.kind == "event"
    assert event.status == Status.SCHEDULED


@pytest.mark.parametrize(
    ("kind", "url_name", "label"),
    [
        ("event", "studio_event_edit", "Event details"),
        ("article", "studio_article_edit", "Sources and medical review"),
        ("answer", "studio_answer_edit", "Answer details"),
        ("poll", "studio_poll_edit", "Poll details"),
        ("quiz", "studio_quiz_edit", "Quiz questions"),
        ("contest", "studio_contest_edit", "Contest details"),
    ],
)
def test_a_pillar_posts_page_links_back_to_its_own_editor(
    client, practice, editor, kind, url_name, label
):
    post = PostFactory(
        practice=practice, kind=kind, status=Status.DRAFT, published_at=None, author=editor
    )
    page = client.get(edit_url(post)).content.decode()
    link = reverse(url_name, args=[practice.slug, post.pk])
    assert f'<a href="{link}">{label}</a>' in page
