"""Every change to posts, their images, reactions and comments.

Each service validates its input, checks permission through ``practices.permissions``,
writes in one transaction and leaves file clean-up to ``on_commit``, so a rolled-back
request never deletes a file that is still referenced.
"""

from collections.abc import Sequence
from datetime import datetime
from typing import IO, NamedTuple

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bedside.audit.services import record
from bedside.core.errors import Conflict, Invalid
from bedside.core.images import clean_image
from bedside.core.sanitizer import render_markdown
from bedside.posts.models import (
    CREATABLE_KINDS,
    AnnouncementType,
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
from bedside.posts.video import CheckedVideo, check_video, embed_url
from bedside.practices.models import Practice, StaffProfile, User
from bedside.practices.permissions import Action, require

MAX_IMAGES = 12
MAX_TITLE = 200
MAX_BODY = 20_000
MAX_COMMENT = 2000
MAX_ALT_TEXT = 500
MAX_CAPTION = 300
MAX_TRANSCRIPT = 100_000


class ImageUpload(NamedTuple):
    """One image to attach: the file, its size in bytes, and the words that go with it."""

    file: IO[bytes]
    size: int
    alt_text: str
    caption: str = ""


class VideoUpload(NamedTuple):
    """A video file to attach: checked by its content, never by its name."""

    file: IO[bytes]
    size: int


class Media(NamedTuple):
    """What a post carries besides its words, validated: the fields to save and the file."""

    fields: dict[str, object]
    upload: CheckedVideo | None


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
    if kind not in CREATABLE_KINDS:
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


def _validated_media(
    *,
    kind: str,
    announcement_type: str,
    video: VideoUpload | None,
    video_embed_url: str,
    transcript: str,
    keeps_upload: bool,
) -> Media:
    """Announcement type, video and transcript; ``keeps_upload``: an uploaded video stays."""
    if kind == Kind.ANNOUNCEMENT:
        announcement_type = announcement_type or AnnouncementType.GENERAL
        if announcement_type not in AnnouncementType.values:
            raise Invalid("Choose what the announcement is about.", field="announcement_type")
    else:
        announcement_type = ""
    embed = embed_url(video_embed_url) if video_embed_url.strip() else ""
    if video is not None and embed:
        raise Invalid("Upload a video or paste a link, not both.", field="video_embed_url")
    upload = check_video(video.file, size=video.size) if video is not None else None
    if len(transcript) > MAX_TRANSCRIPT:
        raise Invalid(
            f"Keep the transcript under {MAX_TRANSCRIPT:,} characters.", field="transcript"
        )
    if kind == Kind.INTERVIEW:
        if upload is None and not embed and not keeps_upload:
            raise Invalid(
                "An interview needs its video: upload one or paste a link.", field="video"
            )
        if not transcript.strip():
            raise Invalid(
                "An interview needs a transcript, for people who cannot hear the video.",
                field="transcript",
            )
    fields: dict[str, object] = {
        "announcement_type": announcement_type,
        "video_embed_url": embed,
        "transcript": transcript,
        "transcript_html": render_markdown(transcript) if transcript.strip() else "",
    }
    return Media(fields=fields, upload=upload)


def _attach_video(post: Post, media: Media, *, drop_upload: bool) -> None:
    """Save the checked upload, or drop the old one; the old file goes after commit."""
    old = post.video.name if post.video else ""
    if media.upload is not None:
        post.video.save(media.upload.name, File(media.upload.file), save=False)
    elif drop_upload:
        post.video = ""
    else:
        return
    post.save(update_fields=["video", "updated_at"])
    if old and old != post.video.name:
        storage = post.video.storage
        transaction.on_commit(lambda: _delete_files(storage, [old]))


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
    announcement_type: str = "",
    video: VideoUpload | None = None,
    video_embed_url: str = "",
    transcript: str = "",
) -> Post:
    """A new draft; ``images`` are attached in the same transaction (an album if several).

    A post has at most one video, uploaded (``video``) or linked (``video_embed_url``);
    an interview needs one, and a transcript.
    """
    fields = _validated_fields(
        practice=practice,
        kind=kind,
        topic=topic,
        title=title,
        body=body,
        visibility=visibility,
        spotlight=spotlight,
    )
    media = _validated_media(
        kind=kind,
        announcement_type=announcement_type,
        video=video,
        video_embed_url=video_embed_url,
        transcript=transcript,
        keeps_upload=False,
    )
    require(by, Action.CREATE_POST, practice)
    if is_pinned:
        require(by, Action.PIN_POST, practice)
    with transaction.atomic():
        post = Post.objects.create(
            practice=practice, author=by, status=Status.DRAFT, **fields, **media.fields
        )
        _attach_video(post, media, drop_upload=False)
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
    announcement_type: str | None = None,
    video: VideoUpload | None = None,
    video_embed_url: str | None = None,
    transcript: str | None = None,
    remove_video: bool = False,
) -> Post:
    """Change what a post says; ``is_pinned=None`` leaves the pin as it is.

    ``None`` for ``announcement_type``, ``video_embed_url`` or ``transcript`` keeps what the
    post has. A new upload or link replaces the post's video; ``remove_video`` drops it.
    """
    fields = _validated_fields(
        practice=post.practice,
        kind=kind,
        topic=topic,
        title=title,
        body=body,
        visibility=visibility,
        spotlight=spotlight,
    )
    link = post.video_embed_url if video_embed_url is None else video_embed_url
    if remove_video:
        link = ""
    new_link = bool(link.strip()) and link != post.video_embed_url
    media = _validated_media(
        kind=kind,
        announcement_type=(
            post.announcement_type if announcement_type is None else announcement_type
        ),
        video=video,
        video_embed_url="" if video is not None and not new_link else link,
        transcript=post.transcript if transcript is None else transcript,
        keeps_upload=bool(post.video) and not remove_video and not new_link,
    )
    require(by, Action.EDIT_POST, post)
    with transaction.atomic():
        for name, value in {**fields, **media.fields}.items():
            setattr(post, name, value)
        post.save(update_fields=[*fields, *media.fields, "updated_at"])
        _attach_video(post, media, drop_upload=remove_video or new_link)
        if is_pinned is not None and is_pinned != post.is_pinned:
            (pin_post if is_pinned else unpin_post)(by=by, post=post)
    return post


def publish_post(*, by: User, post: Post) -> Post:
    """Publish now; a scheduled post published early keeps its ``scheduled_at`` as a record."""
    require(by, Action.PUBLISH_POST, post)
    if post.status == Status.PUBLISHED:
        raise Conflict("This post is already published.")
    post.status = Status.PUBLISHED
    post.published_at = timezone.now()
    with transaction.atomic():
        post.save(update_fields=["status", "published_at", "updated_at"])
    return post


def schedule_post(*, by: User, post: Post, at: datetime | None) -> Post:
    """Set ``post`` to publish at ``at`` (aware, in the future); rescheduling moves it."""
    if at is None or timezone.is_naive(at):
        raise Invalid("Give the date and time to publish at.", field="scheduled_at")
    if at <= timezone.now():
        raise Invalid("Choose a time in the future to publish at.", field="scheduled_at")
    require(by, Action.PUBLISH_POST, post)
    if post.status == Status.PUBLISHED:
        raise Conflict("This post is already published.")
    if post.status == Status.ARCHIVED:
        raise Conflict("This post is archived: make it a draft before scheduling it.")
    post.status = Status.SCHEDULED
    post.scheduled_at = at
    with transaction.atomic():
        post.save(update_fields=["status", "scheduled_at", "updated_at"])
    return post


def unschedule_post(*, by: User, post: Post) -> Post:
    """Back to a draft: it will not publish by itself."""
    require(by, Action.PUBLISH_POST, post)
    if post.status != Status.SCHEDULED:
        raise Conflict("This post is not scheduled.")
    post.status = Status.DRAFT
    post.scheduled_at = None
    with transaction.atomic():
        post.save(update_fields=["status", "scheduled_at", "updated_at"])
    return post


def publish_due_post(*, post_id: int) -> Post | None:
    """Publish a scheduled post whose time has come; None if it is not (or no longer) due.

    Permission was checked when it was scheduled. The update is conditional on the row
    still being scheduled and due, so a task and a sweep racing for it publish it once,
    and a post unscheduled or rescheduled meanwhile is left alone.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = Post.objects.filter(
            pk=post_id, status=Status.SCHEDULED, scheduled_at__lte=now
        ).update(status=Status.PUBLISHED, published_at=now, updated_at=now)
        if not claimed:
            return None
        return Post.objects.select_related("practice").get(pk=post_id)


def hold_due_post(*, post_id: int) -> Post | None:
    """Send a scheduled post back to draft instead of publishing it; None if not scheduled.

    For a post that no longer meets the rules when its time comes (an article edited after
    scheduling, whose review went stale): the studio holds it and tells its author.
    """
    with transaction.atomic():
        held = Post.objects.filter(pk=post_id, status=Status.SCHEDULED).update(
            status=Status.DRAFT, scheduled_at=None, updated_at=timezone.now()
        )
        if not held:
            return None
        return Post.objects.select_related("practice", "author").get(pk=post_id)


def due_post_ids(*, limit: int = 500) -> list[int]:
    """Ids of scheduled posts whose time has come, oldest first (the ``post_due`` index)."""
    rows = Post.objects.filter(status=Status.SCHEDULED, scheduled_at__lte=timezone.now())
    return list(rows.order_by("scheduled_at", "id").values_list("pk", flat=True)[:limit])


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


def withdraw_post(*, post_id: int) -> bool:
    """Take a published or scheduled post back to draft as the system, not as a person.

    For rules that stop holding after publication (the patient's authorization a post
    relies on is revoked or expires): no one's permission is asked, and the update is
    conditional, so a second call, or a race with an editor, changes nothing. True if this
    call took it down.
    """
    with transaction.atomic():
        withdrawn = Post.objects.filter(
            pk=post_id, status__in=[Status.PUBLISHED, Status.SCHEDULED]
        ).update(
            status=Status.DRAFT,
            published_at=None,
            scheduled_at=None,
            is_pinned=False,
            updated_at=timezone.now(),
        )
    return bool(withdrawn)


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
    if post.video:
        files.append(post.video.name)
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
        if comment.author_id != by.pk:  # a moderator's act; an author's own is not staff's
            _record_moderation("comment.delete", by, comment)
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
            _record_moderation("comment.hide", by, comment)
    comment.is_hidden = True
    return comment


def _record_moderation(action: str, by: User, comment: Comment) -> None:
    # A patient's comment: the audit row names it by id, never by its words or author.
    record(
        action=action,
        actor=by,
        practice=comment.post.practice_id,
        target=comment,
        target_label=f"comment #{comment.pk}",
        detail={"post": comment.post_id},
    )


def _count_one_comment_less(post_id: int) -> None:
    Post.objects.filter(pk=post_id, comment_count__gt=0).update(
        comment_count=F("comment_count") - 1
    )
