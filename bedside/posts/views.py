"""Public pages: the home feed, a practice's page, a post with its reactions and comments."""

import html

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_vary_headers
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from bedside.core.errors import Invalid
from bedside.core.sanitizer import plain_text
from bedside.posts.access import access_comment, access_post
from bedside.posts.forms import CommentForm
from bedside.posts.models import Post, Reaction, ReactionKind
from bedside.posts.queries import (
    FeedPage,
    attach_page_details,
    home_feed,
    post_with_comments,
    practice_directory,
    practice_feed,
    practice_locations,
)
from bedside.posts.services import add_comment, delete_comment, hide_comment, react, unreact
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, access_practice, can, role_in


def _is_htmx_fragment(request: HttpRequest) -> bool:
    htmx = getattr(request, "htmx", None)
    return htmx is not None and bool(htmx) and not htmx.boosted


def signed_in(request: HttpRequest) -> User:
    """The user of a view behind ``login_required``."""
    user = request.user
    assert isinstance(user, User)
    return user


def _feed_response(
    request: HttpRequest, page: FeedPage, template: str, context: dict[str, object]
) -> HttpResponse:
    """The whole page, or only the next posts when htmx asks for "Older posts"."""
    context = {"page": page, "reaction_kinds": ReactionKind.choices, **context}
    if _is_htmx_fragment(request):
        response = render(request, "posts/_feed_page.html", context)
    else:
        response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])
    return response


def absolute(url: str) -> str:
    """``url`` from ``SITE_URL``, unless storage already gave a full one (object storage)."""
    if url.startswith(("https://", "http://")):
        return url
    return f"{settings.SITE_URL}{url}"


def summary(markdown: str) -> str:
    """Plain text for meta tags; unescaped here because templates escape it once."""
    return html.unescape(plain_text(markdown))


def _practice_image(practice: Practice) -> str | None:
    return absolute(practice.logo.url) if practice.logo else None


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return render(request, "posts/directory.html", {"practices": practice_directory()})
    page = home_feed(request.user, request.GET.get("cursor"))
    # An empty feed points to practices to follow.
    practices = practice_directory() if not page.posts else []
    context = {"show_practice": True, "practices": practices}
    return _feed_response(request, page, "posts/home_feed.html", context)


@require_GET
def practice_home(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access_practice(slug)
    page = practice_feed(practice, request.user, request.GET.get("cursor"))
    if _is_htmx_fragment(request):
        return _feed_response(request, page, "posts/practice_home.html", {"practice": practice})
    social = {
        "title": practice.name,
        "description": practice.tagline or summary(practice.about) or practice.specialty,
        "image": _practice_image(practice),
        "url": absolute(practice.get_absolute_url()),
        "type": "website",
    }
    context = {
        "practice": practice,
        "locations": practice_locations(practice),
        "is_member": role_in(request.user, practice.pk) is not None,
        "can_follow": can(request.user, Action.FOLLOW_PRACTICE, practice),
        "social": social,
    }
    return _feed_response(request, page, "posts/practice_home.html", context)


def _post_social(post: Post) -> dict[str, object]:
    images = list(post.images.all())
    image = absolute(images[0].image.url) if images else _practice_image(post.practice)
    return {
        "title": post.title,
        "description": summary(post.body),
        "image": image,
        "url": absolute(post.get_absolute_url()),
        "type": "article",
    }


def _reaction_counts(post: Post) -> dict[str, int]:
    rows = Reaction.objects.filter(post=post).values("kind").annotate(n=Count("id"))
    return {row["kind"]: row["n"] for row in rows}


def _render_post_detail(
    request: HttpRequest, practice: Practice, post_id: int, form: CommentForm, status: int = 200
) -> HttpResponse:
    thread = post_with_comments(request.user, practice, post_id)
    post = thread.post
    comments = [
        {
            "comment": comment,
            "author_name": thread.display_names.get(comment.author_id, "Former member"),
            "can_delete": can(request.user, Action.DELETE_COMMENT, comment),
            "can_hide": not comment.is_hidden and can(request.user, Action.HIDE_COMMENT, comment),
        }
        for comment in thread.comments
    ]
    context = {
        "practice": practice,
        "post": post,
        "comments": comments,
        "form": form,
        "can_comment": can(request.user, Action.COMMENT, post) and post.is_published,
        "reaction_kinds": ReactionKind.choices,
        "reaction_counts": _reaction_counts(post),
        "social": _post_social(post),
    }
    return render(request, "posts/post_detail.html", context, status=status)


@require_GET
def post_detail(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    return _render_post_detail(request, practice, post_id, CommentForm())


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_POST
def post_react(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    post = access_post(request.user, practice, post_id)
    kind = request.POST.get("kind", "")
    if request.POST.get("action") == "remove":
        unreact(user=signed_in(request), post=post, kind=kind)
    else:
        react(user=signed_in(request), post=post, kind=kind)
    if not _is_htmx_fragment(request):
        return _back(request, post.get_absolute_url())
    post.refresh_from_db(fields=["reaction_count"])
    attach_page_details([post], request.user)
    context = {
        "post": post,
        "reaction_kinds": ReactionKind.choices,
        "reaction_counts": _reaction_counts(post) if request.POST.get("detail") else None,
        "next": request.POST.get("next", ""),
    }
    return render(request, "posts/_reactions.html", context)


@login_required
@require_POST
def post_comment(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    post = access_post(request.user, practice, post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            comment = add_comment(
                user=signed_in(request), post=post, body=form.cleaned_data["body"]
            )
        except Invalid as error:
            form.add_error("body" if error.field == "body" else None, error.message)
        else:
            messages.success(request, "Your comment is posted.")
            return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    return _render_post_detail(request, practice, post_id, form, status=422)


@login_required
@require_POST
def comment_delete(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    practice = access_practice(slug)
    comment = access_comment(request.user, practice, comment_id)
    delete_comment(by=signed_in(request), comment=comment)
    messages.success(request, "The comment is deleted.")
    return redirect(f"{comment.post.get_absolute_url()}#comments")


@login_required
@require_POST
def comment_hide(request: HttpRequest, slug: str, comment_id: int) -> HttpResponse:
    practice = access_practice(slug)
    comment = access_comment(request.user, practice, comment_id)
    hide_comment(by=signed_in(request), comment=comment)
    messages.success(request, "The comment is hidden from patients.")
    return redirect(f"{reverse('post_detail', args=[slug, comment.post_id])}#comment-{comment.pk}")
