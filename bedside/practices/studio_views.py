"""The staff side of pillar 3: practice profile, locations, team, invitations, members.

Every page first asks ``can(USE_STUDIO)``: for anyone who is not on the staff the studio
does not exist (404); staff without the specific right get 403.
"""

import io

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from bedside.audit.services import record
from bedside.core.cursor import Cursor
from bedside.core.errors import Conflict, DomainError, Invalid, NotFound
from bedside.practices.forms import (
    HoursFormSet,
    InvitationForm,
    LocationForm,
    PracticeProfileForm,
    RoleForm,
    StaffProfileForm,
    TeamPlacementForm,
    hours_spans,
    show_error,
    show_formset_error,
)
from bedside.practices.models import Location, Practice, Role, StaffProfile, User
from bedside.practices.permissions import (
    Action,
    access_invitation_of,
    access_location,
    access_membership,
    access_practice,
    access_staff_profile,
    can,
    require,
)
from bedside.practices.queries import (
    invitations_page,
    locations_with_hours,
    members_page,
    staff_memberships,
    studio_team,
)
from bedside.practices.services import (
    change_role,
    create_invitation,
    delete_location,
    revoke_invitation,
    save_location,
    save_staff_profile,
    update_practice_profile,
)

GET_POST = ["GET", "HEAD", "POST"]


def _studio(request: HttpRequest, slug: str, action: Action) -> Practice:
    practice = access_practice(slug)
    if not can(request.user, Action.USE_STUDIO, practice):
        raise NotFound("No such page.")
    require(request.user, action, practice)
    return practice


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


# --- practice profile and locations ------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def studio_practice(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio(request, slug, Action.EDIT_PRACTICE)
    form = PracticeProfileForm(
        request.POST or None, request.FILES or None, initial=_practice_initial(practice)
    )
    if request.method == "POST" and form.is_valid():
        try:
            update_practice_profile(
                by=_user(request),
                practice=practice,
                details=form.details(),
                logo=form.cleaned_data["logo"],
                remove_logo=form.cleaned_data["remove_logo"],
            )
        except Invalid as error:
            show_error(form, error)
        else:
            messages.success(request, "The practice profile is saved.")
            return redirect("studio_practice", slug=practice.slug)
    practice.refresh_from_db()
    return render(
        request,
        "practices/studio/practice.html",
        {"practice": practice, "form": form, "locations": locations_with_hours(practice)},
    )


def _practice_initial(practice: Practice) -> dict[str, object]:
    fields = PracticeProfileForm.base_fields.keys() - {"logo", "remove_logo"}
    return {field: getattr(practice, field) for field in fields}


@login_required
@require_http_methods(GET_POST)
def studio_location_new(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio(request, slug, Action.EDIT_PRACTICE)
    return _location_editor(request, practice, None)


@login_required
@require_http_methods(GET_POST)
def studio_location_edit(request: HttpRequest, slug: str, location_id: int) -> HttpResponse:
    practice = _studio(request, slug, Action.EDIT_PRACTICE)
    return _location_editor(request, practice, access_location(practice, location_id))


def _location_editor(
    request: HttpRequest, practice: Practice, location: Location | None
) -> HttpResponse:
    initial_hours = (
        [
            {"weekday": h.weekday, "opens_at": h.opens_at, "closes_at": h.closes_at}
            for h in location.hours.all()
        ]
        if location
        else []
    )
    form = LocationForm(request.POST or None, initial=_location_initial(location))
    formset = HoursFormSet(request.POST or None, initial=initial_hours, prefix="hours")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            save_location(
                by=_user(request),
                practice=practice,
                details=form.details(),
                hours=hours_spans(formset),
                location=location,
            )
        except Invalid as error:
            if not show_formset_error(formset, error):
                show_error(form, error)
        else:
            messages.success(request, "The location and its opening hours are saved.")
            return redirect("studio_practice", slug=practice.slug)
    return render(
        request,
        "practices/studio/location.html",
        {"practice": practice, "location": location, "form": form, "formset": formset},
    )


def _location_initial(location: Location | None) -> dict[str, object]:
    if location is None:
        return {}
    return {field: getattr(location, field) for field in LocationForm.base_fields}


@login_required
@require_POST
def studio_location_delete(request: HttpRequest, slug: str, location_id: int) -> HttpResponse:
    practice = _studio(request, slug, Action.EDIT_PRACTICE)
    location = access_location(practice, location_id)
    delete_location(by=_user(request), location=location)
    messages.success(request, f"{location.name} is removed.")
    return redirect("studio_practice", slug=practice.slug)


# --- team ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def studio_team_list(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio(request, slug, Action.USE_STUDIO)
    rows = [
        (profile, can(request.user, Action.EDIT_PROFILE, profile))
        for profile in studio_team(practice)
    ]
    return render(
        request,
        "practices/studio/team.html",
        {
            "practice": practice,
            "rows": rows,
            "may_manage_team": can(request.user, Action.MANAGE_TEAM, practice),
        },
    )


@login_required
@require_http_methods(GET_POST)
def studio_team_new(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio(request, slug, Action.MANAGE_TEAM)
    return _profile_editor(request, practice, None)


@login_required
@require_http_methods(GET_POST)
def studio_team_edit(request: HttpRequest, slug: str, profile_slug: str) -> HttpResponse:
    practice = _studio(request, slug, Action.USE_STUDIO)
    profile = access_staff_profile(practice, profile_slug, viewer=request.user)
    require(request.user, Action.EDIT_PROFILE, profile)
    return _profile_editor(request, practice, profile)


def _profile_editor(
    request: HttpRequest, practice: Practice, profile: StaffProfile | None
) -> HttpResponse:
    data, files = request.POST or None, request.FILES or None
    form = StaffProfileForm(data, files, initial=_profile_initial(profile))
    placement_form = None
    if can(request.user, Action.MANAGE_TEAM, practice):
        placement_form = TeamPlacementForm(
            data, initial=_placement_initial(profile), staff=staff_memberships(practice)
        )
    if request.method == "POST" and _all_valid(form, placement_form):
        try:
            saved = save_staff_profile(
                by=_user(request),
                practice=practice,
                details=form.details(),
                profile=profile,
                photo=form.cleaned_data["photo"],
                remove_photo=form.cleaned_data["remove_photo"],
                placement=placement_form.placement() if placement_form else None,
            )
        except Invalid as error:
            target = placement_form if placement_form and error.field == "membership" else form
            show_error(target, error)
        else:
            messages.success(request, f"{saved.name}'s profile is saved.")
            return redirect("studio_team", slug=practice.slug)
    return render(
        request,
        "practices/studio/team_edit.html",
        {"practice": practice, "profile": profile, "form": form, "placement_form": placement_form},
    )


def _all_valid(form: StaffProfileForm, placement_form: TeamPlacementForm | None) -> bool:
    valid = form.is_valid()
    return (placement_form is None or placement_form.is_valid()) and valid


def _profile_initial(profile: StaffProfile | None) -> dict[str, object]:
    if profile is None:
        return {}
    fields = StaffProfileForm.base_fields.keys() - {"photo", "remove_photo"}
    return {field: getattr(profile, field) for field in fields}


def _placement_initial(profile: StaffProfile | None) -> dict[str, object]:
    if profile is None:
        return {"position": 0, "is_visible": True}
    return {
        "membership": profile.membership_id,
        "position": profile.position,
        "is_visible": profile.is_visible,
    }


# --- invitations -----------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def studio_invitations(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio(request, slug, Action.MANAGE_INVITATIONS)
    may_invite_staff = can(request.user, Action.INVITE_STAFF, practice)
    form = InvitationForm(request.POST or None, may_invite_staff=may_invite_staff)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = create_invitation(
                by=_user(request), practice=practice, **form.cleaned_data
            )
        except Invalid as error:
            show_error(form, error)
        else:
            sent = " We are emailing it now." if invitation.email else ""
            messages.success(request, f"The invitation “{invitation.label}” is ready.{sent}")
            return redirect("studio_invitations", slug=practice.slug)
    page = invitations_page(practice, Cursor.decode(request.GET.get("cursor")))
    return render(
        request,
        "practices/studio/invitations.html",
        {"practice": practice, "form": form, "page": page},
    )


@login_required
@require_POST
def studio_invitation_revoke(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    practice = _studio(request, slug, Action.MANAGE_INVITATIONS)
    invitation = access_invitation_of(practice, invitation_id)
    try:
        revoke_invitation(by=_user(request), invitation=invitation)
    except Conflict as error:
        messages.info(request, error.message)
    else:
        messages.success(request, f"The invitation “{invitation.label}” no longer works.")
    return redirect("studio_invitations", slug=practice.slug)


@login_required
@require_http_methods(["GET", "HEAD"])
def invitation_poster(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    practice = _studio(request, slug, Action.MANAGE_INVITATIONS)
    invitation = access_invitation_of(practice, invitation_id)
    return render(
        request,
        "practices/studio/poster.html",
        {"practice": practice, "invitation": invitation},
    )


@login_required
@require_http_methods(["GET", "HEAD"])
def invitation_qr(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    """The invitation's join link as a QR code, an SVG that prints sharp at any size."""
    practice = _studio(request, slug, Action.MANAGE_INVITATIONS)
    invitation = access_invitation_of(practice, invitation_id)
    svg = qr_svg(invitation.join_url)
    response = HttpResponse(svg, content_type="image/svg+xml")
    response["Cache-Control"] = "private, max-age=3600"
    return response


def qr_svg(url: str) -> bytes:
    """A standalone SVG (with XML declaration and namespace) of ``url``'s QR code.

    Error correction M, so a scuffed poster still scans; no fixed size, so it prints
    sharp at whatever size the poster gives it.
    """
    out = io.BytesIO()
    segno.make(url, error="m", micro=False).save(
        out, kind="svg", scale=10, border=4, title=f"QR code for {url}", omitsize=True
    )
    return out.getvalue()


# --- members -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD"])
def studio_members(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio(request, slug, Action.VIEW_MEMBERS)
    page = members_page(practice, Cursor.decode(request.GET.get("cursor")))
    # Staff reading who belongs to the practice read patients' data: say who, when.
    record(
        action="members.view",
        actor=request.user,
        practice=practice,
        detail={"rows": len(page.items), "page": "later" if request.GET.get("cursor") else "first"},
    )
    return render(
        request,
        "practices/studio/members.html",
        {
            "practice": practice,
            "page": page,
            "roles": Role.choices,
            "may_manage": can(request.user, Action.MANAGE_MEMBERS, practice),
        },
    )


@login_required
@require_POST
def studio_member_role(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    practice = _studio(request, slug, Action.MANAGE_MEMBERS)
    membership = access_membership(practice, membership_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Please choose one of the roles.")
        return redirect("studio_members", slug=practice.slug)
    try:
        changed = change_role(
            by=_user(request), membership=membership, role=form.cleaned_data["role"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, f"{changed.display_name} is now {changed.get_role_display().lower()}."
        )
    return redirect("studio_members", slug=practice.slug)
