"""The staff studio: the post list, the composer (publish now or schedule) and the calendar.

Every view runs in the practice's time zone, so the times staff type and read are the
practice's local times (``Practice.time_zone``).
"""

import functools
import zoneinfo
from collections.abc import Callable
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.core.errors import Invalid, NotFound
from bedside.core.sanitizer import render_markdown
from bedside.posts.access import access_post
from bedside.posts.forms import ChosenImages, RemoveImagesForm, image_formset
from bedside.posts.models import Kind, Pillar, Post, Status
from bedside.posts.queries import studio_posts as studio_posts_page
from bedside.posts.services import (
    add_post_images,
    create_post,
    remove_post_image,
    update_post,
)
from bedside.posts.views import signed_in
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, access_practice, can, require
from bedside.studio import services, workflow
from bedside.studio.approvals import approval_state, fingerprint, policies_of, post_history
from bedside.studio.forms import ComposerForm
from bedside.studio.queries import CalendarView, content_calendar

FILES_AGAIN = "Files you chose were not saved: please choose them again."

View = Callable[..., HttpResponse]


def _studio_practice(request: HttpRequest, slug: str) -> Practice:
    practice = access_practice(slug)
    # Outsiders get the same 404 as for a practice that does not exist.
    if not can(request.user, Action.USE_STUDIO, practice):
        raise NotFound("No such page.")
    return practice


def _practice_zone(practice: Practice) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(practice.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def studio_page(view: View) -> View:
    """Sign-in required; the practice loaded (404 for outsiders) and its time zone active."""

    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        practice = _studio_practice(request, slug)
        with timezone.override(_practice_zone(practice)):
            return view(request, practice, **kwargs)

    return wrapper


@studio_page
@require_GET
def studio_posts(request: HttpRequest, practice: Practice) -> HttpResponse:
    status = request.GET.get("status") or None
    page = studio_posts_page(
        practice, request.user, status=status, cursor=request.GET.get("cursor")
    )
    context = {
        "practice": practice,
        "page": page,
        "statuses": Status.choices,
        "status": status,
        "can_create": can(request.user, Action.CREATE_POST, practice),
    }
    return render(request, "studio/posts.html", context)


def _composer(
    request: HttpRequest,
    practice: Practice,
    *,
    form: ComposerForm,
    images: Any,
    post: Post | None = None,
    remove_form: RemoveImagesForm | None = None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "practice": practice,
        "post": post,
        "form": form,
        "images": images,
        "remove_form": remove_form,
        "files_again": FILES_AGAIN if request.FILES and status != 200 else "",
        "event_kind": Kind.EVENT,
        **(_workflow_context(request, post) if post else _new_post_workflow(practice)),
    }
    return render(request, "studio/compose.html", context, status=status)


def _workflow_context(request: HttpRequest, post: Post) -> dict[str, Any]:
    """Where the post stands against the approval policy, and what this viewer may do."""
    approval = approval_state(post)
    waits = approval.is_needed and not approval.is_complete
    return {
        "approval": approval,
        "needs_approval": waits,
        "may_submit": waits
        and post.status in (Status.DRAFT, Status.APPROVED)
        and can(request.user, Action.SUBMIT_FOR_REVIEW, post),
        "may_comment": isinstance(request.user, User) and workflow.may_comment(request.user, post),
        "history": post_history(post),
    }


def _new_post_workflow(practice: Practice) -> dict[str, Any]:
    # The kind is chosen in the form, so the composer offers review whenever any kind needs it.
    return {"offers_review": any(policies_of(practice).values())}


def _form(
    request: HttpRequest, practice: Practice, *, can_pin: bool, post: Post | None = None
) -> ComposerForm:
    options: dict[str, Any] = {
        "practice": practice,
        "can_pin": can_pin,
        "has_video": bool(post and (post.video or post.video_embed_url)),
        "time_zone_name": practice.time_zone,
        "kind": post.kind if post else None,
    }
    if request.method == "POST":
        return ComposerForm(request.POST, request.FILES, **options)
    return ComposerForm(initial=_post_initial(post) if post else None, **options)


def _add_invalid(form: ComposerForm, chosen: ChosenImages, error: Invalid) -> None:
    if not chosen.add_invalid(error):
        form.add_invalid(error)


@studio_page
@require_http_methods(["GET", "POST"])
def studio_compose(request: HttpRequest, practice: Practice) -> HttpResponse:
    require(request.user, Action.CREATE_POST, practice)
    form = _form(request, practice, can_pin=can(request.user, Action.PIN_POST, practice))
    if request.method != "POST":
        return _composer(request, practice, form=form, images=image_formset(0))
    images = image_formset(0, request.POST, request.FILES)
    if form.is_valid() and images.is_valid():
        chosen = ChosenImages(images)
        user = signed_in(request)
        try:
            with transaction.atomic():
                post = create_post(
                    by=user,
                    practice=practice,
                    is_pinned=form.cleaned_data.get("is_pinned", False),
                    images=chosen.uploads,
                    **form.post_fields(),
                    **form.media_fields(),
                )
                services.record_edit(by=user, post=post, created=True, was_pinned=False)
                _go_live(user, post, request.POST.get("action"), form)
        except Invalid as error:
            _add_invalid(form, chosen, error)
        else:
            return _saved(request, post)
    return _composer(request, practice, form=form, images=images, status=422)


def _go_live(user: User, post: Post, action: str | None, form: ComposerForm) -> None:
    """Publish now, schedule or submit for review, as the button pressed asks; a plain save
    does none of these."""
    if action == "publish" and not post.is_published:
        services.publish(by=user, post=post)
    elif action == "schedule":
        services.schedule(by=user, post=post, at=form.cleaned_data.get("scheduled_at"))
    elif action == "submit":
        workflow.submit_for_review(by=user, post=post, comment=form.data.get("comment", ""))


def _saved(request: HttpRequest, post: Post) -> HttpResponse:
    if post.is_published:
        messages.success(request, "Published. Your patients can see it now.")
        return redirect(post.get_absolute_url())
    if post.is_scheduled and post.scheduled_at is not None:
        when = timezone.localtime(post.scheduled_at).strftime("%A %B %-d, %Y at %H:%M")
        messages.success(request, f"Scheduled: it will be published on {when}.")
    elif post.status == Status.IN_REVIEW:
        messages.success(request, "Submitted for review: the reviewers have been told.")
    else:
        messages.success(request, "Saved.")
    return redirect("studio_post_edit", slug=post.practice.slug, post_id=post.pk)


def _post_initial(post: Post) -> dict[str, Any]:
    return {
        "title": post.title,
        "kind": post.kind,
        "topic": post.topic,
        "visibility": post.visibility,
        "body": post.body,
        "spotlight": post.spotlight_id,
        "is_pinned": post.is_pinned,
        "announcement_type": post.announcement_type or None,
        "video_embed_url": post.video_embed_url,
        "transcript": post.transcript,
        "scheduled_at": post.scheduled_at,
    }


@studio_page
@require_http_methods(["GET", "POST"])
def studio_post_edit(request: HttpRequest, practice: Practice, post_id: int) -> HttpResponse:
    post = access_post(request.user, practice, post_id)
    if request.method == "GET" and not can(request.user, Action.EDIT_POST, post):
        # A reviewer who may read but not edit (a clinician, a compliance officer coming
        # back from the privacy panel's forms) lands on the post's review page instead.
        return redirect("studio_post_review", slug=practice.slug, post_id=post.pk)
    require(request.user, Action.EDIT_POST, post)
    user = signed_in(request)
    action = request.POST.get("action", "save")
    if request.method == "POST" and action in _STATE_CHANGES:
        return _change_state(request, user, post, action)
    form = _form(request, practice, can_pin=can(user, Action.PIN_POST, post), post=post)
    existing = post.images.count()
    if request.method != "POST":
        return _composer(
            request, practice, form=form, images=image_formset(existing), post=post,
            remove_form=RemoveImagesForm(post=post),
        )  # fmt: skip
    images = image_formset(existing, request.POST, request.FILES)
    remove_form = RemoveImagesForm(request.POST, post=post)
    if form.is_valid() and images.is_valid() and remove_form.is_valid():
        chosen = ChosenImages(images)
        try:
            with transaction.atomic():
                _save_edit(user, post, form, chosen, remove_form)
                _go_live(user, post, action, form)
        except Invalid as error:
            _add_invalid(form, chosen, error)
        else:
            return _saved(request, post)
    post.refresh_from_db()
    return _composer(
        request, practice, form=form, images=images, post=post, remove_form=remove_form,
        status=422,
    )  # fmt: skip


def _save_edit(
    user: User,
    post: Post,
    form: ComposerForm,
    chosen: ChosenImages,
    remove_form: RemoveImagesForm,
) -> None:
    pinned = form.cleaned_data.get("is_pinned") if "is_pinned" in form.fields else None
    was_pinned, words_before = post.is_pinned, fingerprint(post)
    update_post(
        by=user,
        post=post,
        is_pinned=pinned,
        remove_video=bool(form.cleaned_data.get("remove_video")),
        **form.post_fields(),
        **form.media_fields(),
    )
    for image in remove_form.cleaned_data["remove"]:
        remove_post_image(by=user, image=image)
    if chosen.uploads:
        add_post_images(by=user, post=post, uploads=chosen.uploads)
    services.record_edit(by=user, post=post, created=False, was_pinned=was_pinned)
    workflow.reconsider_after_edit(by=user, post=post, words_before=words_before)


_STATE_CHANGES: dict[str, tuple[Callable[..., object], str]] = {
    "unpublish": (services.unpublish, "Unpublished: the post is a draft again."),
    "unschedule": (services.unschedule, "Unscheduled: it will not publish by itself."),
    "archive": (services.archive, "Archived: the post is off every feed."),
    "delete": (services.delete, "Deleted."),
}


def _change_state(request: HttpRequest, user: User, post: Post, action: str) -> HttpResponse:
    service, message = _STATE_CHANGES[action]
    service(by=user, post=post)
    messages.success(request, message)
    if action == "delete":
        return redirect("studio_posts", slug=post.practice.slug)
    return redirect("studio_post_edit", slug=post.practice.slug, post_id=post.pk)


@studio_page
@require_POST
def studio_preview(request: HttpRequest, practice: Practice) -> HttpResponse:
    html = render_markdown(request.POST.get("body", ""))
    return render(request, "studio/_preview.html", {"preview_html": html})


@studio_page
@require_GET
def studio_calendar(request: HttpRequest, practice: Practice) -> HttpResponse:
    view = CalendarView.WEEK if request.GET.get("view") == "week" else CalendarView.MONTH
    try:
        around = date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        around = timezone.localdate()
    calendar = content_calendar(practice, request.user, view=view, around=around)
    context = {
        "practice": practice,
        "calendar": calendar,
        "pillars": Pillar.choices,
        "today": timezone.localdate(),
    }
    return render(request, "studio/calendar.html", context)
