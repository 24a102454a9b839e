"""The approval workflow's pages: a post's review, the queue of what waits for me, and the
practice's approval policy."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.core.errors import Invalid
from bedside.education.models import Article
from bedside.education.publishing import article_problems
from bedside.education.queries import article_with_details
from bedside.education.services import review_state
from bedside.posts.access import access_post
from bedside.posts.models import Kind, Post
from bedside.posts.views import signed_in
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, can, require
from bedside.studio import workflow
from bedside.studio.approvals import (
    POLICY_KINDS,
    approval_state,
    approver_slot,
    policies_of,
    post_history,
    review_queue,
)
from bedside.studio.models import Approver
from bedside.studio.views import studio_page


def _medical_review(user: User, post: Post) -> dict[str, Any] | None:
    """An article's medical review, for the clinician who reviews it here: they may not be
    allowed to edit the article, where education's own sign-off form lives, so the review
    page offers it (posting to education's view, which comes back here)."""
    if post.kind != Kind.ARTICLE:
        return None
    article = Article.objects.filter(post=post).first()
    if article is None:
        return None
    article = article_with_details(article)
    return {
        "article": article,
        "state": review_state(article),
        "problems": article_problems(article),
        "may_sign_off": can(user, Action.REVIEW_ARTICLE, article),
    }


def _review_page(
    request: HttpRequest, practice: Practice, post: Post, *, error: Invalid | None = None
) -> HttpResponse:
    user = signed_in(request)
    approval = approval_state(post)
    slot = approver_slot(user, practice.pk)
    may_review = (
        can(user, Action.APPROVE_POST, post)
        and post.author_id != user.pk
        and slot is not None
        and slot in approval.required
        and post.status == "in_review"
    )
    context = {
        "practice": practice,
        "post": post,
        "approval": approval,
        "history": post_history(post),
        "may_review": may_review,
        "already_approved": slot in approval.given if slot else False,
        "may_comment": workflow.may_comment(user, post),
        "may_edit": can(user, Action.EDIT_POST, post),
        "medical": _medical_review(user, post),
        "error": error,
        "comment": request.POST.get("comment", "") if error else "",
    }
    return render(request, "studio/review.html", context, status=422 if error else 200)


_ACTIONS: dict[str, tuple[Callable[..., object], str]] = {
    "approve": (workflow.approve, "Approved."),
    "request_changes": (workflow.request_changes, "Sent back to the author with your comment."),
    "comment": (workflow.comment_on_review, "Comment added."),
}


@studio_page
@require_http_methods(["GET", "POST"])
def studio_post_review(request: HttpRequest, practice: Practice, post_id: int) -> HttpResponse:
    post = access_post(request.user, practice, post_id)
    if request.method != "POST":
        return _review_page(request, practice, post)
    action = request.POST.get("action", "")
    if action not in _ACTIONS:
        return redirect("studio_post_review", slug=practice.slug, post_id=post.pk)
    service, message = _ACTIONS[action]
    user = signed_in(request)
    try:
        service(by=user, post=post, comment=request.POST.get("comment", ""))
    except Invalid as error:
        return _review_page(request, practice, post, error=error)
    messages.success(request, message)
    if request.POST.get("back") == "edit" and can(user, Action.EDIT_POST, post):
        return redirect("studio_post_edit", slug=practice.slug, post_id=post.pk)
    if not can(user, Action.VIEW_POST, post):
        # Sent back to an author whose drafts this reviewer does not read.
        return redirect("studio_approval_queue", slug=practice.slug)
    return redirect("studio_post_review", slug=practice.slug, post_id=post.pk)


@studio_page
@require_GET
def studio_approval_queue(request: HttpRequest, practice: Practice) -> HttpResponse:
    slot = approver_slot(request.user, practice.pk)
    context = {
        "practice": practice,
        "items": review_queue(practice, request.user),
        "slot": slot,
    }
    return render(request, "studio/approval_queue.html", context)


def _policy_rows(practice: Practice) -> list[dict[str, Any]]:
    policies = policies_of(practice)
    labels = dict(Kind.choices)
    return [
        {
            "kind": kind,
            "label": labels[kind],
            "slots": [(slot, slot.label, slot in policies[kind]) for slot in Approver],
        }
        for kind in POLICY_KINDS
    ]


@studio_page
@require_GET
def studio_approvals(request: HttpRequest, practice: Practice) -> HttpResponse:
    require(request.user, Action.CONFIGURE_APPROVALS, practice)
    workflow.ensure_policies(practice)
    context = {"practice": practice, "rows": _policy_rows(practice)}
    return render(request, "studio/approvals.html", context)


@studio_page
@require_POST
def studio_approvals_save(request: HttpRequest, practice: Practice) -> HttpResponse:
    user: User = signed_in(request)
    required = {kind: request.POST.getlist(f"needs-{kind}") for kind in POLICY_KINDS}
    workflow.configure_approvals(by=user, practice=practice, required=required)
    messages.success(request, "Approval policy saved.")
    return redirect("studio_approvals", slug=practice.slug)
