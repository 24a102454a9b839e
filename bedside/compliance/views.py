"""Studio pages for patients' authorizations, and the post panel's forms.

Studio pages answer 404 to anyone not on the practice's staff, as the rest of the studio
does; staff without the right get 403. The panel's forms (attach, detach, override) post
here and go back to the post's edit page (or its review page, for a compliance officer, who
reviews but never edits), with the outcome as a message.
"""

import functools
import zoneinfo
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.audit.services import record
from bedside.compliance import queries, services
from bedside.compliance.access import access_authorization
from bedside.compliance.forms import AuthorizationForm, ReasonForm
from bedside.compliance.guard import practice_today
from bedside.compliance.models import State
from bedside.core.errors import Conflict, Invalid, NotFound
from bedside.posts.access import access_post
from bedside.posts.models import Post
from bedside.posts.views import signed_in
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, access_practice, can, require

View = Callable[..., HttpResponseBase]


def _zone(practice: Practice) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(practice.time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


def compliance_page(action: Action | None) -> Callable[[View], View]:
    """Signed in, on the practice's staff (else 404), and allowed ``action`` (else 403)."""

    def decorate(view: View) -> View:
        @login_required
        @functools.wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponseBase:
            practice = access_practice(slug)
            if not can(request.user, Action.USE_STUDIO, practice):
                raise NotFound("No such page.")
            if action is not None:
                require(request.user, action, practice)
            with timezone.override(_zone(practice)):
                return view(request, practice, **kwargs)

        return wrapper

    return decorate


# --- authorizations --------------------------------------------------------------------------


@compliance_page(Action.MANAGE_AUTHORIZATIONS)
@require_GET
def authorization_list(request: HttpRequest, practice: Practice) -> HttpResponse:
    state = request.GET.get("state", "")
    state = state if state in State.values else ""
    page = queries.authorizations_page(practice, state=state, cursor=request.GET.get("cursor"))
    # A list of patients' names and what they consented to: reading it is on record.
    record(
        action="authorizations.view",
        actor=request.user,
        practice=practice,
        target_label="authorizations",
        detail={"state": state} if state else {},
    )
    today = practice_today(practice)
    context = {
        "practice": practice,
        "page": page,
        "rows": [(row, row.state_on(today)) for row in page.items],
        "states": State.choices,
        "state": state,
    }
    return render(request, "compliance/authorizations.html", context)


@compliance_page(Action.MANAGE_AUTHORIZATIONS)
@require_http_methods(["GET", "POST"])
def authorization_new(request: HttpRequest, practice: Practice) -> HttpResponse:
    if request.method != "POST":
        form = AuthorizationForm()
        return render(request, "compliance/authorization_new.html", _new(practice, form))
    form = AuthorizationForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            authorization = services.create_authorization(
                by=signed_in(request), practice=practice, **form.service_fields()
            )
        except Invalid as error:
            form.add_invalid(error.field, error.message)
        else:
            messages.success(request, f"Saved as {authorization}.")
            return redirect(
                "compliance_authorization", slug=practice.slug, authorization_id=authorization.pk
            )
    return render(request, "compliance/authorization_new.html", _new(practice, form), status=422)


def _new(practice: Practice, form: AuthorizationForm) -> dict[str, Any]:
    return {"practice": practice, "form": form}


@compliance_page(Action.MANAGE_AUTHORIZATIONS)
@require_GET
def authorization_detail(
    request: HttpRequest, practice: Practice, authorization_id: int
) -> HttpResponse:
    authorization = access_authorization(request.user, practice, authorization_id)
    record(action="authorization.view", actor=request.user, practice=practice, target=authorization)
    return render(request, "compliance/authorization_detail.html", _detail(practice, authorization))


def _detail(practice: Practice, authorization: Any, form: ReasonForm | None = None) -> Any:
    return {
        "practice": practice,
        "authorization": authorization,
        "state": authorization.state_on(practice_today(practice)),
        "links": queries.dependent_posts(authorization),
        "form": form or ReasonForm(),
    }


@compliance_page(Action.MANAGE_AUTHORIZATIONS)
@require_GET
def authorization_document(
    request: HttpRequest, practice: Practice, authorization_id: int
) -> FileResponse:
    authorization = access_authorization(request.user, practice, authorization_id)
    handle = services.open_document(by=signed_in(request), authorization=authorization)
    extension = (authorization.document.name or "").rsplit(".", 1)[-1]
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"authorization-{authorization.pk}.{extension}",
        content_type=authorization.document_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@compliance_page(Action.MANAGE_AUTHORIZATIONS)
@require_POST
def authorization_revoke(
    request: HttpRequest, practice: Practice, authorization_id: int
) -> HttpResponse:
    authorization = access_authorization(request.user, practice, authorization_id)
    form = ReasonForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        taken_down = services.revoke_authorization(
            by=signed_in(request), authorization=authorization, reason=reason
        )
    except Invalid as error:
        form.is_valid()
        form.add_error("reason", error.message)
        context = _detail(practice, authorization, form)
        return render(request, "compliance/authorization_detail.html", context, status=422)
    count = len(taken_down)
    messages.success(
        request,
        f"Revoked. {count} post{'s' if count != 1 else ''} that relied on it went back to draft.",
    )
    return redirect(
        "compliance_authorization", slug=practice.slug, authorization_id=authorization.pk
    )


# --- the post panel's forms --------------------------------------------------------------------


def _back_to_post(request: HttpRequest, post: Post) -> HttpResponse:
    """To the page the panel was on: the edit page for whoever may edit the post, else the
    review page (a compliance officer reviews and overrides, but never edits)."""
    name = "studio_post_edit" if can(request.user, Action.EDIT_POST, post) else "studio_post_review"
    return redirect(name, slug=post.practice.slug, post_id=post.pk)


def _panel_action(
    request: HttpRequest, practice: Practice, post_id: int, act: Callable[[Post], str]
) -> HttpResponse:
    post = access_post(request.user, practice, post_id)
    try:
        message = act(post)
    except (Invalid, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, message)
    return _back_to_post(request, post)


def _posted_authorization_id(request: HttpRequest) -> int:
    try:
        return int(request.POST.get("authorization", ""))
    except ValueError:
        raise Invalid("Choose an authorization to attach.", field="authorization") from None


@compliance_page(None)
@require_POST
def post_attach(request: HttpRequest, practice: Practice, post_id: int) -> HttpResponse:
    def act(post: Post) -> str:
        authorization = access_authorization(
            request.user, practice, _posted_authorization_id(request)
        )
        services.attach_authorization(by=signed_in(request), post=post, authorization=authorization)
        return f"Attached {authorization}."

    return _panel_action(request, practice, post_id, act)


@compliance_page(None)
@require_POST
def post_detach(
    request: HttpRequest, practice: Practice, post_id: int, authorization_id: int
) -> HttpResponse:
    def act(post: Post) -> str:
        authorization = access_authorization(request.user, practice, authorization_id)
        services.detach_authorization(by=signed_in(request), post=post, authorization=authorization)
        return f"Removed {authorization} from this post."

    return _panel_action(request, practice, post_id, act)


@compliance_page(None)
@require_POST
def post_override(request: HttpRequest, practice: Practice, post_id: int) -> HttpResponse:
    def act(post: Post) -> str:
        services.override_identifiers(
            by=signed_in(request), post=post, reason=request.POST.get("reason", "")
        )
        return "Override recorded: the post may be published as it stands now."

    return _panel_action(request, practice, post_id, act)
