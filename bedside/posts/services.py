"""Every change to posts, their images, reactions and comments.

Each service validates its input, checks permission through ``practices.permissions``,
writes in one transaction and leaves file clean-up to ``on_commit``, so a rolled-back
request never deletes a file that is still referenced.
"""

from collections.abc import Sequence
from typing import IO, NamedTuple

from django.core.files.storage import Storage, default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bedside.core.errors import Conflict, Invalid
from bedside.core.images import clean_image
from bedside.core.sanitizer import render_markdown
from bedside.posts.models import (
    COMPOSER_KINDS,
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
from bedside.practices.models import Practice, StaffProfile, User
from bedside.practices.permissions import Action, require

MAX_IMAGES = 12
MAX_TITLE = 200
MAX_BODY = 20_000
MAX_COMMENT = 2000
MAX_ALT_TEXT = 500
MAX_CAPTION = 300


class ImageUpload(NamedTuple):
    """One image to attach: the file, its size in bytes, and the words that go with it."""

    file: IO[bytes]
    size: int
    alt_text: str
    caption: str = ""


# --- posts -------------------------------------------------------------------------------


def _validated_fields(
    *,
    practice: Practice,
    kind: str,
    topic: str,
    title: str,
    body: str,
    visibility: str,
    spotlight: StaffProfile | None,
) -> dict[str, object]:
    if kind not in COMPOSER_KINDS:
        raise Invalid("Choose what kind of post this is.", field="kind")
    if topic not in Topic.values:
        raise Invalid("Say whether this post is medical or non-medical.", field="topic")
    if visibility not in Visibility.values:
        raise Invalid("Choose who can see this post.", field="visibility")
    title = title.strip()
    if not title or len(title) > MAX_TITLE:
        raise Invalid(f"Give the post a title of 1 to {MAX_TITLE} characters.", field="title")
    if not body.strip() or len(body) > MAX_BODY:
        raise Invalid(f"Write the post (1 to {MAX_BODY:,} characters).", field="body")
    if spotlight is not None:
        if spotlight.practice_id != practice.pk:
            raise Invalid("Choose a member of this practice's team.", field="spotlight")
        if kind != Kind.TEAM:
            raise Invalid("Only team posts spotlight a team member.", field="spotlight")
    return {
        "kind": kind,
        "topic": topic,
        "title": title,
        "body": body,
        "body_html": render_markdown(body),
        "visibility": visibility,
        "spotlight": spotlight,
    }


def create_post(
    *,
    by: User,
    practice: Practice,
    kind: str,
    topic: str,
    title: str,
    body: str,
    visibility: str,
    spotlight: StaffProfile | None = None,
    is_pinned: bool = False,
    images: Sequence[ImageUpload] = (),
) -> Post:
    """A new draft; ``images`` are attached in the same transaction (an album if several)."""
    fields = _validated_fields(
        practice=practice,
        kind=kind,
        topic=topic,
        title=title,
        body=body,
        visibility=visibility,
        spotlight=spotlight,
    )
    require(by, Action.CREATE_POST, practice)
    if is_pinned:
        require(by, Action.PIN_POST, practice)
    with transaction.atomic():
        post = Post.objects.create(practice=practice, author=by, status=Status.DRAFT, **fields)
        if is_pinned:
            _pin(post)
        if images:
            add_post_images(by=by, post=post, uploads=images)
    return post


def update_post(
    *,
    by: User,
    post: Post,
    kind: str,
    topic: str,
    title: str,
    body: str,
    visibility: str,
    spotlight: StaffProfile | None = None,
    is_pinned: bool | None = None,
) -> Post:
    """Change what a post says; ``is_pinned=None`` leaves the pin as it is."""
    fields = _validated_fields(
        practice=post.practice,
        kind=kind,
        topic=topic,
        title=title,
        body=body,
        visibility=visibility,
        spotlight=spotlight,
    )
    require(by, Action.EDIT_POST, post)
    with transaction.atomic():
        for name, value in fields.items():
            setattr(post, name, value)
        post.save(update_fields=[*fields, "updated_at"])
        if is_pinned is not None and is_pinned != post.is_pinned:
            (pin_post if is_pinned else unpin_post)(by=by, post=post)
    return post


def publish_post(*, by: User, post: Post) -> Post:
    require(by, Action.PUBLISH_POST, post)
    if post.status == Status.PUBLISHED:
        raise Conflict("This post is already published.")
    post.status = Status.PUBLISHED
    post.published_at = timezone.now()
    with transaction.atomic():
        post.save(update_fields=["status", "published_at", "updated_at"])
    return post


def unpublish_post(*, by: User, post: Post) -> Post:
    """Back to a draft: off every feed, and no longer pinned."""
    require(by, Action.PUBLISH_POST, post)
    if post.status != Status.PUBLISHED:
        raise Conflict("This post is not published.")
    return _take_down(post, Status.DRAFT)


def archive_post(*, by: User, post: Post) -> Post:
    """Off every feed but kept, with its reactions and comments, for the record."""
    require(by, Action.PUBLISH_POST, post)
    if post.status == Status.ARCHIVED:
        raise Conflict("This post is already archived.")
    return _take_down(post, Status.ARCHIVED)


def _take_down(post: Post, status: Status) -> Post:
    post.status = status
    post.published_at = None
    post.is_pinned = False
    with transaction.atomic():
        post.save(update_fields=["status", "published_at", "is_pinned", "updated_at"])
    return post


def delete_post(*, by: User, post: Post) -> None:
    require(by, Action.DELETE_POST, post)
    files = [image.image.name for image in post.images.all()]
    with transaction.atomic():
        post.delete()
        transaction.on_commit(lambda: _delete_files(default_storage, files))


def pin_post(*, by: User, post: Post) -> Post:
    """Pin ``post`` to the top of its practice's page, unpinning whichever was pinned."""
    require(by, Action.PIN_POST, post)
    with transaction.atomic():
        _pin(post)
    return post


def unpin_post(*, by: User, post: Post) -> Post:
    require(by, Action.PIN_POST, post)
    post.is_pinned = False
    with transaction.atomic():
        post.save(update_fields=["is_pinned", "updated_at"])
    return post


def _pin(post: Post) -> None:
    # Lock the practice so two pins at once queue up instead of tripping the constraint.
    list(Practice.objects.select_for_update().filter(pk=post.practice_id).values_list("pk"))
    Post.objects.filter(practice_id=post.practice_id, is_pinned=True).exclude(pk=post.pk).update(
        is_pinned=False
    )
    post.is_pinned = True
    post.save(update_fields=["is_pinned", "updated_at"])


# --- images ------------------------------------------------------------------------------


def add_post_images(*, by: User, post: Post, uploads: Sequence[ImageUpload]) -> list[PostImage]:
    """Attach cleaned copies of ``uploads``; ``Invalid.field`` is ``images-<i>-<field>``."""
    require(by, Action.EDIT_POST, post)
    existing = post.images.count()
    if existing + len(uploads) > MAX_IMAGES:
        raise Invalid(f"A post holds at most {MAX_IMAGES} images.", field="images")
    rows = []
    for index, upload in enumerate(uploads):
        alt_text = upload.alt_text.strip()
        caption = upload.caption.strip()
        if not alt_text or len(alt_text) > MAX_ALT_TEXT:
            raise Invalid(
                "Describe the image for people who cannot see it (alt text is required).",
                field=f"images-{index}-alt_text",
            )
        if len(caption) > MAX_CAPTION:
            raise Invalid(
                f"Keep the caption under {MAX_CAPTION} characters.",
                field=f"images-{index}-caption",
            )
        cleaned = clean_image(upload.file, size=upload.size, field=f"images-{index}-image")
        rows.append((cleaned, alt_text, caption, existing + index))
    created = []
    with transaction.atomic():
        for cleaned, alt_text, caption, position in rows:
            image = PostImage(post=post, alt_text=alt_text, caption=caption, position=position)
            image.image.save(cleaned.file.name or "image", cleaned.file, save=False)
            image.save()
            created.append(image)
    return created


def remove_post_image(*, by: User, image: PostImage) -> None:
    require(by, Action.EDIT_POST, image.post)
    storage = image.image.storage
    name = image.image.name
    with transaction.atomic():
        image.delete()
        transaction.on_commit(lambda: _delete_files(storage, [name]))


def _delete_files(storage: Storage, names: Sequence[str | None]) -> None:
    for name in names:
        if name:
            storage.delete(name)


# --- reactions ---------------------------------------------------------------------------


def react(*, user: User, post: Post, kind: str) -> bool:
    """Add ``user``'s reaction of ``kind``; True if it was new (a repeat changes nothing)."""
    if kind not in ReactionKind.values:
        raise Invalid("Choose a reaction.", field="kind")
    require(user, Action.REACT, post)
    _require_published(post)
    with transaction.atomic():
        try:
            # The unique constraint decides: a double click or a race lands here once.
            with transaction.atomic():
                Reaction.objects.create(post=post, user=user, kind=kind)
        except IntegrityError:
            return False
        Post.objects.filter(pk=post.pk).update(reaction_count=F("reaction_count") + 1)
    return True


def unreact(*, user: User, post: Post, kind: str) -> bool:
    """Remove ``user``'s reaction of ``kind``; True if there was one."""
    if kind not in ReactionKind.values:
        raise Invalid("Choose a reaction.", field="kind")
    require(user, Action.REACT, post)
    with transaction.atomic():
        deleted, _ = Reaction.objects.filter(post=post, user=user, kind=kind).delete()
        if not deleted:
            return False
        Post.objects.filter(pk=post.pk, reaction_count__gt=0).update(
            reaction_count=F("reaction_count") - 1
        )
    return True


def _require_published(post: Post) -> None:
    if post.status != Status.PUBLISHED:
        raise Conflict("This post is not published yet.")


# --- comments ----------------------------------------------------------------------------


def add_comment(*, user: User, post: Post, body: str) -> Comment:
    """A member's comment; ``comment_count`` counts the comments that are not hidden."""
    body = body.strip()
    if not body or len(body) > MAX_COMMENT:
        raise Invalid(f"Write a comment of 1 to {MAX_COMMENT:,} characters.", field="body")
    require(user, Action.COMMENT, post)
    _require_published(post)
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post, author=user, body=body, body_html=render_markdown(body)
        )
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
    return comment


def delete_comment(*, by: User, comment: Comment) -> None:
    """Authors delete their own comments; moderators delete anyone's."""
    require(by, Action.DELETE_COMMENT, comment)
    with transaction.atomic():
        comment.delete()
        if not comment.is_hidden:
            _count_one_comment_less(comment.post_id)


def hide_comment(*, by: User, comment: Comment) -> Comment:
    """Hide a comment from everyone but staff, keeping it for the record."""
    require(by, Action.HIDE_COMMENT, comment)
    if comment.is_hidden:
        raise Conflict("This comment is already hidden.")
    with transaction.atomic():
        updated = Comment.objects.filter(pk=comment.pk, is_hidden=False).update(is_hidden=True)
        if updated:
            _count_one_comment_less(comment.post_id)
    comment.is_hidden = True
    return comment


def _count_one_comment_less(post_id: int) -> None:
    Post.objects.filter(pk=post_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
