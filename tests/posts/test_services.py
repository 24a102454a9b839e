import io

import pytest
from django.db import IntegrityError, transaction
from PIL import Image

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.posts import services
from bedside.posts.models import (
    Comment,
    Kind,
    Post,
    PostImage,
    Reaction,
    ReactionKind,
    Status,
    Topic,
    Visibility,
)
from bedside.practices.models import Role
from tests.factories.posts import CommentFactory, PostFactory, image_bytes, image_upload
from tests.factories.practices import StaffProfileFactory, member

pytestmark = pytest.mark.django_db


def draft(practice, by, **overrides):
    fields = {
        "by": by,
        "practice": practice,
        "kind": Kind.OFFICE_LIFE,
        "topic": Topic.NON_MEDICAL,
        "title": "Our new waiting room",
        "body": "Come and see the **new** chairs.",
        "visibility": Visibility.PUBLIC,
    }
    fields.update(overrides)
    return services.create_post(**fields)


def published(practice, by=None, **overrides):
    by = by or member(practice, Role.EDITOR)
    return services.publish_post(by=by, post=draft(practice, by, **overrides))


# --- composing ---------------------------------------------------------------------------


def test_an_editor_writes_a_draft_whose_body_is_rendered_and_sanitized(practice):
    editor = member(practice, Role.EDITOR)
    post = draft(
        practice, editor, body="**Hello** <script>alert(1)</script> [x](javascript:alert(1))"
    )
    assert post.status == Status.DRAFT
    assert post.published_at is None
    assert post.author == editor
    assert "<strong>Hello</strong>" in post.body_html
    assert "<script" not in post.body_html
    assert "href" not in post.body_html


def test_updating_a_post_renders_its_body_again(practice):
    editor = member(practice, Role.EDITOR)
    post = draft(practice, editor)
    services.update_post(
        by=editor, post=post, kind=Kind.ANNOUNCEMENT, topic=Topic.MEDICAL, title="Flu shots",
        body="Flu shots are *in*.", visibility=Visibility.PATIENTS,
    )  # fmt: skip
    post.refresh_from_db()
    assert post.body_html == "<p>Flu shots are <em>in</em>.</p>\n"
    assert (post.kind, post.topic, post.visibility) == ("announcement", "medical", "patients")


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MODERATOR])
def test_members_who_do_not_write_cannot_compose(practice, role):
    with pytest.raises(NotAllowed):
        draft(practice, member(practice, role))


def test_an_editor_of_another_practice_cannot_compose_here(practice, other_practice):
    with pytest.raises(NotAllowed):
        draft(practice, member(other_practice, Role.EDITOR))
    assert not Post.objects.exists()


def test_a_clinician_cannot_edit_a_colleagues_post(practice):
    post = draft(practice, member(practice, Role.CLINICIAN))
    with pytest.raises(NotAllowed):
        services.update_post(
            by=member(practice, Role.CLINICIAN), post=post, kind=post.kind, topic=post.topic,
            title="Changed", body="Changed", visibility=post.visibility,
        )  # fmt: skip


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kind": Kind.QUESTION}, "kind"),
        ({"topic": ""}, "topic"),
        ({"visibility": "friends"}, "visibility"),
        ({"title": "   "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": ""}, "body"),
    ],
)
def test_a_post_with_a_missing_or_wrong_field_is_refused_naming_the_field(
    practice, overrides, field
):
    with pytest.raises(Invalid) as error:
        draft(practice, member(practice, Role.EDITOR), **overrides)
    assert error.value.field == field


def test_a_team_post_spotlights_a_member_of_the_same_team(practice):
    profile = StaffProfileFactory(practice=practice)
    post = draft(practice, member(practice, Role.EDITOR), kind=Kind.TEAM, spotlight=profile)
    assert post.spotlight == profile


def test_a_spotlight_from_another_practice_is_refused(practice, other_practice):
    stranger = StaffProfileFactory(practice=other_practice)
    with pytest.raises(Invalid) as error:
        draft(practice, member(practice, Role.EDITOR), kind=Kind.TEAM, spotlight=stranger)
    assert error.value.field == "spotlight"


def test_only_team_posts_have_a_spotlight(practice):
    profile = StaffProfileFactory(practice=practice)
    with pytest.raises(Invalid) as error:
        draft(practice, member(practice, Role.EDITOR), kind=Kind.OFFICE_LIFE, spotlight=profile)
    assert error.value.field == "spotlight"


# --- publishing and pinning --------------------------------------------------------------


def test_publishing_stamps_the_time_and_a_second_publish_is_a_conflict(practice):
    editor = member(practice, Role.EDITOR)
    post = services.publish_post(by=editor, post=draft(practice, editor))
    assert post.status == Status.PUBLISHED
    assert post.published_at is not None
    with pytest.raises(Conflict):
        services.publish_post(by=editor, post=post)


def test_a_clinician_publishes_their_own_post_but_not_a_colleagues(practice):
    clinician = member(practice, Role.CLINICIAN)
    services.publish_post(by=clinician, post=draft(practice, clinician))
    other = draft(practice, member(practice, Role.CLINICIAN))
    with pytest.raises(NotAllowed):
        services.publish_post(by=clinician, post=other)


def test_unpublishing_makes_a_draft_again_and_unpins_it(practice):
    editor = member(practice, Role.EDITOR)
    post = published(practice, editor, is_pinned=True)
    services.unpublish_post(by=editor, post=post)
    post.refresh_from_db()
    assert (post.status, post.published_at, post.is_pinned) == (Status.DRAFT, None, False)
    with pytest.raises(Conflict):
        services.unpublish_post(by=editor, post=post)


def test_archiving_takes_a_post_off_the_feeds_once(practice):
    editor = member(practice, Role.EDITOR)
    post = published(practice, editor)
    services.archive_post(by=editor, post=post)
    assert Post.objects.get(pk=post.pk).status == Status.ARCHIVED
    with pytest.raises(Conflict):
        services.archive_post(by=editor, post=post)


def test_pinning_a_post_unpins_the_one_pinned_before(practice, other_practice):
    editor = member(practice, Role.EDITOR)
    first = published(practice, editor, is_pinned=True)
    elsewhere = published(other_practice, is_pinned=True)
    second = published(practice, editor)
    services.pin_post(by=editor, post=second)
    assert list(Post.objects.filter(is_pinned=True).order_by("pk")) == [elsewhere, second]
    first.refresh_from_db()
    assert not first.is_pinned


def test_the_database_refuses_two_pinned_posts_in_one_practice(practice):
    published(practice, is_pinned=True)
    other = published(practice)
    with pytest.raises(IntegrityError), transaction.atomic():
        Post.objects.filter(pk=other.pk).update(is_pinned=True)


def test_a_clinician_may_not_pin(practice):
    clinician = member(practice, Role.CLINICIAN)
    with pytest.raises(NotAllowed):
        draft(practice, clinician, is_pinned=True)
    post = published(practice, clinician)
    with pytest.raises(NotAllowed):
        services.pin_post(by=clinician, post=post)


def test_deleting_a_post_removes_its_image_files_after_commit(
    practice, django_capture_on_commit_callbacks
):
    editor = member(practice, Role.EDITOR)
    post = draft(practice, editor, images=[image_upload()])
    image = post.images.get()
    storage, name = image.image.storage, image.image.name
    assert storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_post(by=editor, post=post)
    assert not Post.objects.filter(pk=post.pk).exists()
    assert not storage.exists(name)


def test_a_clinician_may_not_delete_a_post(practice):
    clinician = member(practice, Role.CLINICIAN)
    with pytest.raises(NotAllowed):
        services.delete_post(by=clinician, post=draft(practice, clinician))


# --- images ------------------------------------------------------------------------------


def test_several_images_make_an_album_in_the_order_given(practice):
    post = draft(
        practice,
        member(practice, Role.EDITOR),
        images=[image_upload(alt_text="The cake"), image_upload(alt_text="The team", caption="Hi")],
    )
    images = list(post.images.all())
    assert [(i.alt_text, i.caption, i.position) for i in images] == [
        ("The cake", "", 0),
        ("The team", "Hi", 1),
    ]


def gps_exif() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (51.0, 30.0, 0.0), 3: "W", 4: (0.0, 7.0, 0.0)}  # GPS
    return exif.tobytes()


def test_a_stored_image_keeps_no_exif_or_gps_and_is_at_most_2000_pixels(practice):
    raw = image_bytes(size=(2400, 1200), exif=gps_exif())
    assert Image.open(io.BytesIO(raw)).getexif()  # the upload does carry EXIF
    post = draft(practice, member(practice, Role.EDITOR), images=[image_upload(data=raw)])
    stored = post.images.get()
    with stored.image.open("rb") as handle:
        data = handle.read()
    reread = Image.open(io.BytesIO(data))
    assert not reread.getexif()
    assert b"Exif" not in data
    assert b"PhoneMaker" not in data
    assert max(reread.size) == 2000
    assert (stored.width, stored.height) == (2000, 1000)


@pytest.mark.parametrize("alt_text", ["", "   "])
def test_an_image_without_alt_text_is_refused_and_nothing_is_saved(practice, alt_text):
    editor = member(practice, Role.EDITOR)
    post = draft(practice, editor)
    uploads = [image_upload(), image_upload(alt_text=alt_text)]
    with pytest.raises(Invalid) as error:
        services.add_post_images(by=editor, post=post, uploads=uploads)
    assert error.value.field == "images-1-alt_text"
    assert not PostImage.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(practice):
    editor = member(practice, Role.EDITOR)
    post = draft(practice, editor)
    upload = image_upload(data=b"%PDF-1.4 not a picture")
    with pytest.raises(Invalid) as error:
        services.add_post_images(by=editor, post=post, uploads=[upload])
    assert error.value.field == "images-0-image"
    assert "not an image" in error.value.message


def test_an_image_over_10_mb_is_refused(practice):
    editor = member(practice, Role.EDITOR)
    post = draft(practice, editor)
    with pytest.raises(Invalid) as error:
        services.add_post_images(
            by=editor, post=post, uploads=[image_upload(size=10 * 1024 * 1024 + 1)]
        )
    assert "10 MB" in error.value.message


def test_an_image_of_absurd_dimensions_is_refused(practice):
    editor = member(practice, Role.EDITOR)
    post = draft(practice, editor)
    tall = image_bytes(fmt="PNG", size=(1, 13_000))
    with pytest.raises(Invalid) as error:
        services.add_post_images(by=editor, post=post, uploads=[image_upload(data=tall)])
    assert error.value.field == "images-0-image"


def test_a_post_holds_at_most_twelve_images(practice):
    editor = member(practice, Role.EDITOR)
    post = draft(practice, editor, images=[image_upload() for _ in range(10)])
    with pytest.raises(Invalid) as error:
        services.add_post_images(by=editor, post=post, uploads=[image_upload() for _ in range(3)])
    assert error.value.field == "images"
    assert post.images.count() == 10


def test_a_patient_cannot_add_images(practice):
    post = draft(practice, member(practice, Role.EDITOR))
    with pytest.raises(NotAllowed):
        services.add_post_images(by=member(practice), post=post, uploads=[image_upload()])


def test_removing_an_image_deletes_its_file(practice, django_capture_on_commit_callbacks):
    editor = member(practice, Role.EDITOR)
    post = draft(practice, editor, images=[image_upload()])
    image = post.images.get()
    name = image.image.name
    with django_capture_on_commit_callbacks(execute=True):
        services.remove_post_image(by=editor, image=image)
    assert not post.images.exists()
    assert not image.image.storage.exists(name)


# --- reactions ---------------------------------------------------------------------------


def test_reacting_twice_counts_once_and_unreacting_twice_removes_once(practice):
    post = published(practice)
    patient = member(practice)
    assert services.react(user=patient, post=post, kind=ReactionKind.HEART)
    assert not services.react(user=patient, post=post, kind=ReactionKind.HEART)
    assert Post.objects.get(pk=post.pk).reaction_count == 1
    assert services.unreact(user=patient, post=post, kind=ReactionKind.HEART)
    assert not services.unreact(user=patient, post=post, kind=ReactionKind.HEART)
    assert Post.objects.get(pk=post.pk).reaction_count == 0


def test_different_kinds_of_reaction_each_count(practice):
    post = published(practice)
    patient = member(practice)
    services.react(user=patient, post=post, kind=ReactionKind.LIKE)
    services.react(user=patient, post=post, kind=ReactionKind.CELEBRATE)
    assert Post.objects.get(pk=post.pk).reaction_count == 2


def test_a_reaction_that_lost_a_race_is_absorbed_without_error(practice):
    post = published(practice)
    patient = member(practice)
    # The other request's row landed between our page load and our insert.
    Reaction.objects.create(post=post, user=patient, kind=ReactionKind.LIKE)
    assert services.react(user=patient, post=post, kind=ReactionKind.LIKE) is False
    assert Reaction.objects.filter(post=post).count() == 1
    assert Post.objects.get(pk=post.pk).reaction_count == 0


def test_an_unknown_reaction_kind_is_refused(practice):
    with pytest.raises(Invalid):
        services.react(user=member(practice), post=published(practice), kind="angry")


def test_only_members_react(practice, other_practice):
    post = published(practice)
    with pytest.raises(NotAllowed):
        services.react(user=member(other_practice), post=post, kind=ReactionKind.LIKE)


def test_nobody_reacts_to_a_draft(practice):
    editor = member(practice, Role.EDITOR)
    with pytest.raises(Conflict):
        services.react(user=editor, post=draft(practice, editor), kind=ReactionKind.LIKE)


# --- comments ----------------------------------------------------------------------------


def test_a_comment_is_rendered_sanitized_and_counted(practice):
    post = published(practice)
    comment = services.add_comment(
        user=member(practice), post=post, body="  *Thanks!* <img src=x onerror=alert(1)>  "
    )
    assert comment.body == "*Thanks!* <img src=x onerror=alert(1)>"
    assert "<em>Thanks!</em>" in comment.body_html
    assert "<img" not in comment.body_html
    assert Post.objects.get(pk=post.pk).comment_count == 1


@pytest.mark.parametrize("body", ["", "   ", "x" * 2001])
def test_an_empty_or_overlong_comment_is_refused(practice, body):
    with pytest.raises(Invalid) as error:
        services.add_comment(user=member(practice), post=published(practice), body=body)
    assert error.value.field == "body"


def test_a_comment_of_exactly_2000_characters_is_accepted(practice):
    comment = services.add_comment(user=member(practice), post=published(practice), body="y" * 2000)
    assert len(comment.body) == 2000


def test_a_stranger_cannot_comment(practice, other_practice):
    with pytest.raises(NotAllowed):
        services.add_comment(user=member(other_practice), post=published(practice), body="Hi")


def test_authors_delete_their_own_comments_and_not_others(practice):
    post = published(practice)
    author = member(practice)
    comment = services.add_comment(user=author, post=post, body="Mine")
    with pytest.raises(NotAllowed):
        services.delete_comment(by=member(practice), comment=comment)
    services.delete_comment(by=author, comment=comment)
    assert not Comment.objects.exists()
    assert Post.objects.get(pk=post.pk).comment_count == 0


def test_a_moderator_deletes_anyones_comment(practice):
    post = published(practice)
    comment = services.add_comment(user=member(practice), post=post, body="Spam")
    services.delete_comment(by=member(practice, Role.MODERATOR), comment=comment)
    assert not Comment.objects.exists()


def test_a_moderator_of_another_practice_cannot_delete(practice, other_practice):
    comment = CommentFactory(post=PostFactory(practice=practice))
    with pytest.raises(NotAllowed):
        services.delete_comment(by=member(other_practice, Role.MODERATOR), comment=comment)


def test_hiding_a_comment_takes_it_out_of_the_count_once(practice):
    post = published(practice)
    comment = services.add_comment(user=member(practice), post=post, body="Rude")
    moderator = member(practice, Role.MODERATOR)
    services.hide_comment(by=moderator, comment=comment)
    assert Comment.objects.get(pk=comment.pk).is_hidden
    assert Post.objects.get(pk=post.pk).comment_count == 0
    with pytest.raises(Conflict):
        services.hide_comment(by=moderator, comment=comment)
    services.delete_comment(by=moderator, comment=comment)
    assert Post.objects.get(pk=post.pk).comment_count == 0


def test_a_patient_cannot_hide_a_comment(practice):
    comment = services.add_comment(user=member(practice), post=published(practice), body="Hi")
    with pytest.raises(NotAllowed):
        services.hide_comment(by=member(practice), comment=comment)
