"""The team page's profiles: who is on the team, and how patients see them."""

from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.text import slugify

from bedside.audit.services import record
from bedside.core.errors import Invalid, NotFound
from bedside.core.images import clean_image
from bedside.core.sanitizer import render_markdown
from bedside.practices.models import Membership, Practice, StaffProfile, User
from bedside.practices.permissions import Action, require

SLUG_MAX = 80


@dataclass(frozen=True)
class StaffDetails:
    """What a team member may write about themselves."""

    name: str
    role_title: str
    credentials: str = ""
    specialties: str = ""
    languages: str = ""
    bio: str = ""
    life_outside: str = ""
    fun_fact: str = ""
    photo_alt: str = ""


@dataclass(frozen=True)
class TeamPlacement:
    """What only those who manage the team decide: the account, the order, visibility."""

    membership: Membership | None = None
    position: int = 0
    is_visible: bool = True


def save_staff_profile(
    *,
    by: User,
    practice: Practice,
    details: StaffDetails,
    profile: StaffProfile | None = None,
    photo: "UploadedFile[bytes] | None" = None,
    remove_photo: bool = False,
    placement: TeamPlacement | None = None,
) -> StaffProfile:
    """Create (``profile=None``) or update a team profile; a photo needs alt text."""
    details = _clean_details(details)
    has_photo = photo is not None or (profile is not None and bool(profile.photo))
    will_have_photo = photo is not None or (has_photo and not remove_photo)
    if will_have_photo and not details.photo_alt:
        raise Invalid("Please describe the photo for people who cannot see it.", field="photo_alt")
    if profile is not None and profile.practice_id != practice.pk:
        raise NotFound("No such team member.")
    _require_may_save(by, practice, profile, placement)
    if placement is not None:
        _validate_placement(practice, profile, placement)
    cleaned = clean_image(photo, size=photo.size or 0, field="photo") if photo else None
    is_new = profile is None
    profile = profile or StaffProfile(practice=practice, slug=_unique_slug(practice, details.name))
    for field, value in details.__dict__.items():
        setattr(profile, field, value)
    profile.bio_html = render_markdown(details.bio)
    if not will_have_photo:
        profile.photo_alt = ""
    if placement is not None:
        profile.membership = placement.membership
        profile.position = placement.position
        profile.is_visible = placement.is_visible
    with transaction.atomic():
        if cleaned is not None:
            profile.photo.save(cleaned.file.name or "photo", cleaned.file, save=False)
        elif remove_photo:
            profile.photo.delete(save=False)
        profile.save()
        record(
            action="team.create" if is_new else "team.update",
            actor=by,
            practice=practice,
            target=profile,
            detail={"is_visible": profile.is_visible, "placed": placement is not None},
        )
    return profile


def _clean_details(details: StaffDetails) -> StaffDetails:
    values = {field: value.strip() for field, value in details.__dict__.items()}
    if not values["name"]:
        raise Invalid("Please give the team member's name.", field="name")
    if not values["role_title"]:
        raise Invalid("Please say what they do, e.g. “Family physician”.", field="role_title")
    return StaffDetails(**values)


def _require_may_save(
    by: User, practice: Practice, profile: StaffProfile | None, placement: TeamPlacement | None
) -> None:
    if profile is None or placement is not None:
        require(by, Action.MANAGE_TEAM, practice)
    if profile is not None:
        require(by, Action.EDIT_PROFILE, profile)


def _validate_placement(
    practice: Practice, profile: StaffProfile | None, placement: TeamPlacement
) -> None:
    membership = placement.membership
    if membership is None:
        return
    if membership.practice_id != practice.pk or not membership.is_staff_role:
        raise Invalid("Please choose a member of the practice's staff.", field="membership")
    taken = StaffProfile.objects.filter(membership=membership)
    if profile is not None:
        taken = taken.exclude(pk=profile.pk)
    if taken.exists():
        raise Invalid("This person already has a profile on the team.", field="membership")


def _unique_slug(practice: Practice, name: str) -> str:
    """A slug from the name, made unique within the practice with -2, -3, …"""
    base = slugify(name)[: SLUG_MAX - 4].strip("-") or "member"
    taken = set(
        StaffProfile.objects.filter(practice=practice, slug__startswith=base).values_list(
            "slug", flat=True
        )
    )
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
