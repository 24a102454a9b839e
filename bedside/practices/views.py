"""Public pages of a practice's people and ways in: the team, joining, the welcome tour."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from bedside.core.errors import Conflict, Invalid
from bedside.practices.accounts import INVITATION_TOKEN_KEY, NEXT_JOIN_KEY
from bedside.practices.forms import JoinForm, show_error
from bedside.practices.models import Invitation, Practice
from bedside.practices.permissions import (
    access_invitation,
    access_own_membership,
    access_practice,
    access_staff_profile,
    role_in,
)
from bedside.practices.queries import visible_team
from bedside.practices.services import complete_tour, join_practice


@require_http_methods(["GET", "HEAD"])
def practice_team(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access_practice(slug)
    return render(
        request,
        "practices/team.html",
        {"practice": practice, "profiles": visible_team(practice)},
    )


@require_http_methods(["GET", "HEAD"])
def team_member(request: HttpRequest, slug: str, profile_slug: str) -> HttpResponse:
    practice = access_practice(slug)
    profile = access_staff_profile(practice, profile_slug, viewer=request.user)
    return render(request, "practices/team_member.html", {"practice": practice, "profile": profile})


@require_http_methods(["GET", "HEAD", "POST"])
def join(request: HttpRequest, token: str) -> HttpResponse:
    """Join with an invitation link or QR code."""
    invitation = access_invitation(token)
    reason = invitation.unusable_reason()
    if reason is not None:
        return _refuse(request, invitation.practice, reason)
    return _join_flow(request, invitation.practice, invitation)


@require_http_methods(["GET", "HEAD", "POST"])
def follow(request: HttpRequest, slug: str) -> HttpResponse:
    """Join from the practice's public page, where the practice allows open sign-up."""
    practice = access_practice(slug)
    if not practice.is_open_signup:
        return _refuse(
            request, practice, f"{practice.name} welcomes new members by invitation only."
        )
    return _join_flow(request, practice, None)


def _refuse(request: HttpRequest, practice: Practice, reason: str) -> HttpResponse:
    return render(
        request, "practices/join.html", {"practice": practice, "reason": reason}, status=403
    )


def _join_flow(
    request: HttpRequest, practice: Practice, invitation: Invitation | None
) -> HttpResponse:
    if not request.user.is_authenticated:
        if invitation is not None:
            request.session[INVITATION_TOKEN_KEY] = invitation.token
        else:
            request.session[NEXT_JOIN_KEY] = request.path
        return render(
            request, "practices/join.html", {"practice": practice, "invitation": invitation}
        )
    # Signed in: the sign-in round trip is over, so the adapter must not send them here again.
    request.session.pop(INVITATION_TOKEN_KEY, None)
    request.session.pop(NEXT_JOIN_KEY, None)
    if role_in(request.user, practice.pk) is not None:
        messages.info(request, f"You are already a member of {practice.name}.")
        return redirect("practice_home", slug=practice.slug)
    form = JoinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        response = _try_join(request, form, practice, invitation)
        if response is not None:
            return response
    return render(
        request,
        "practices/join.html",
        {"practice": practice, "invitation": invitation, "form": form},
    )


def _try_join(
    request: HttpRequest, form: JoinForm, practice: Practice, invitation: Invitation | None
) -> HttpResponse | None:
    try:
        join_practice(
            user=request.user,  # type: ignore[arg-type]
            practice=practice,
            display_name=form.cleaned_data["display_name"],
            accepted_guidelines=form.cleaned_data["accepted_guidelines"],
            invitation=invitation,
        )
    except Invalid as error:
        show_error(form, error)
        return None
    except Conflict as error:
        return _refuse(request, practice, error.message)
    return HttpResponseRedirect(reverse("welcome", kwargs={"slug": practice.slug}))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def welcome(request: HttpRequest, slug: str) -> HttpResponse:
    """The welcome message and the first-visit tour; "Got it" marks the tour as seen."""
    practice = access_practice(slug)
    membership = access_own_membership(request.user, practice)
    if request.method == "POST":
        complete_tour(user=request.user, practice=practice)  # type: ignore[arg-type]
        messages.success(request, f"Welcome to {practice.name}!")
        return redirect("practice_home", slug=practice.slug)
    return render(
        request, "practices/welcome.html", {"practice": practice, "membership": membership}
    )
