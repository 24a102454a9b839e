"""The staff side of posts: the list with drafts, the composer and its live preview."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bedside.core.errors import Invalid, NotFound
from bedside.core.sanitizer import render_markdown
from bedside.posts.access import access_post
from bedside.posts.forms import ChosenImages, PostForm, RemoveImagesForm, image_formset
from bedside.posts.models import Post, Status
from bedside.posts.queries import studio_posts as studio_posts_page
from bedside.posts.services import (
    add_post_images,
    archive_post,
    create_post,
    delete_post,
    publish_post,
    remove_post_image,
    unpublish_post,
    update_post,
)
from bedside.posts.views import signed_in
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, access_practice, can, require

FILES_AGAIN = "Images you chose were not saved: please choose them again."


def _studio_practice(request: HttpRequest, slug: str) -> Practice:
    practice = access_practice(slug)
    # Outsiders get the same 404 as for a practice that does not exist.
    if not can(request.user, Action.USE_STUDIO, practice):
        raise NotFound("No such page.")
    return practice


@login_required
def studio_posts(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
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
    return render(request, "posts/studio/posts.html", context)


def _composer(
    request: HttpRequest,
    practice: Practice,
    *,
    form: PostForm,
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
    }
    return render(request, "posts/studio/compose.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def studio_compose(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    require(request.user, Action.CREATE_POST, practice)
    can_pin = can(request.user, Action.PIN_POST, practice)
    if request.method != "POST":
        form = PostForm(practice=practice, can_pin=can_pin)
        return _composer(request, practice, form=form, images=image_formset(0))
    form = PostForm(request.POST, practice=practice, can_pin=can_pin)
    images = image_formset(0, request.POST, request.FILES)
    if form.is_valid() and images.is_valid():
        chosen = ChosenImages(images)
        try:
            with transaction.atomic():
                post = create_post(
                    by=signed_in(request),
                    practice=practice,
                    is_pinned=form.cleaned_data.get("is_pinned", False),
                    images=chosen.uploads,
                    **form.post_fields(),
                )
                if request.POST.get("action") == "publish":
                    publish_post(by=signed_in(request), post=post)
        except Invalid as error:
            if not chosen.add_invalid(error):
                form.add_invalid(error)
        else:
            return _saved(request, post)
    return _composer(request, practice, form=form, images=images, status=422)


def _saved(request: HttpRequest, post: Post) -> HttpResponse:
    if post.is_published:
        messages.success(request, "Published. Your patients can see it now.")
        return redirect(post.get_absolute_url())
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
    }


@login_required
@require_http_methods(["GET", "POST"])
def studio_post_edit(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    post = access_post(request.user, practice, post_id)
    require(request.user, Action.EDIT_POST, post)
    user = signed_in(request)
    action = request.POST.get("action", "save")
    if request.method == "POST" and action in _STATE_CHANGES:
        return _change_state(request, user, post, action)
    can_pin = can(user, Action.PIN_POST, post)
    existing = post.images.count()
    if request.method != "POST":
        form = PostForm(initial=_post_initial(post), practice=practice, can_pin=can_pin)
        remove_form = RemoveImagesForm(post=post)
        return _composer(
            request, practice, form=form, images=image_formset(existing), post=post,
            remove_form=remove_form,
        )  # fmt: skip
    form = PostForm(request.POST, practice=practice, can_pin=can_pin)
    images = image_formset(existing, request.POST, request.FILES)
    remove_form = RemoveImagesForm(request.POST, post=post)
    if form.is_valid() and images.is_valid() and remove_form.is_valid():
        chosen = ChosenImages(images)
        try:
            with transaction.atomic():
                _save_edit(user, post, form, chosen, remove_form, publish=action == "publish")
        except Invalid as error:
            if not chosen.add_invalid(error):
                form.add_invalid(error)
        else:
            return _saved(request, post)
    return _composer(
        request, practice, form=form, images=images, post=post, remove_form=remove_form,
        status=422,
    )  # fmt: skip


def _save_edit(
    user: User,
    post: Post,
    form: PostForm,
    chosen: ChosenImages,
    remove_form: RemoveImagesForm,
    *,
    publish: bool,
) -> None:
    pinned = form.cleaned_data.get("is_pinned") if "is_pinned" in form.fields else None
    update_post(by=user, post=post, is_pinned=pinned, **form.post_fields())
    for image in remove_form.cleaned_data["remove"]:
        remove_post_image(by=user, image=image)
    if chosen.uploads:
        add_post_images(by=user, post=post, uploads=chosen.uploads)
    if publish and not post.is_published:
        publish_post(by=user, post=post)


_STATE_CHANGES: dict[str, tuple[Callable[..., object], str]] = {
    "unpublish": (unpublish_post, "Unpublished: the post is a draft again."),
    "archive": (archive_post, "Archived: the post is off every feed."),
    "delete": (delete_post, "Deleted."),
}


def _change_state(request: HttpRequest, user: User, post: Post, action: str) -> HttpResponse:
    service, message = _STATE_CHANGES[action]
    service(by=user, post=post)
    messages.success(request, message)
    if action == "delete":
        return redirect("studio_posts", slug=post.practice.slug)
    return redirect("studio_post_edit", slug=post.practice.slug, post_id=post.pk)


@login_required
@require_POST
def studio_preview(request: HttpRequest, slug: str) -> HttpResponse:
    _studio_practice(request, slug)
    html = render_markdown(request.POST.get("body", ""))
    return render(request, "posts/studio/_preview.html", {"preview_html": html})
