"""Practices (the tenant), their people, places and ways in.

A ``Membership`` is both a staff seat and a patient's follow: one row per (user, practice)
with a role. A ``StaffProfile`` is the public face of a person on the team, who may or may
not have an account.
"""

import secrets
from datetime import datetime, time
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from bedside.core.models import TimeStampedModel


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in. Their real name is private to the practices they belong to."""

    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May use the Django admin.")
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    def __str__(self) -> str:
        return self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email.split("@")[0]

    def get_short_name(self) -> str:
        return self.get_full_name()


class Practice(TimeStampedModel):
    """The tenant: every practice-owned row points here and every query is scoped by it."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=120)
    specialty = models.CharField(max_length=120, blank=True)
    tagline = models.CharField(max_length=160, blank=True)
    about = models.TextField(blank=True, help_text="Markdown.")
    about_html = models.TextField(blank=True, editable=False)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    website = models.URLField(blank=True)
    booking_url = models.URLField(blank=True, help_text="Where patients book appointments.")
    portal_url = models.URLField(blank=True, help_text="The patient portal, for private questions.")
    logo = models.ImageField(upload_to="logos/", blank=True)
    logo_alt = models.CharField(max_length=200, blank=True)
    welcome_message = models.TextField(blank=True, help_text="Markdown, shown to new patients.")
    welcome_html = models.TextField(blank=True, editable=False)
    guidelines = models.TextField(blank=True, help_text="Community guidelines, Markdown.")
    guidelines_html = models.TextField(blank=True, editable=False)
    is_open_signup = models.BooleanField(
        default=True, help_text="Anyone may follow from the public page, without an invitation."
    )
    time_zone = models.CharField(max_length=64, default="America/New_York")
    target_grade = models.PositiveSmallIntegerField(
        default=8,
        validators=[MinValueValidator(3), MaxValueValidator(16)],
        help_text="The reading grade patient-facing writing should not exceed.",
    )

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target_grade__gte=3, target_grade__lte=16),
                name="practice_target_grade_3_to_16",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("practice_home", kwargs={"slug": self.slug})


class Location(models.Model):
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="locations")
    name = models.CharField(max_length=120)
    street = models.CharField(max_length=200)
    city = models.CharField(max_length=100)
    region = models.CharField(max_length=100, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")
    phone = models.CharField(max_length=40, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.name}, {self.city}"

    @property
    def one_line_address(self) -> str:
        parts = [self.street, self.city, f"{self.region} {self.postal_code}".strip(), self.country]
        return ", ".join(p for p in parts if p)


class OpeningHours(models.Model):
    """One opening span on one weekday; several spans make a lunch break."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, "Monday"
        TUESDAY = 1, "Tuesday"
        WEDNESDAY = 2, "Wednesday"
        THURSDAY = 3, "Thursday"
        FRIDAY = 4, "Friday"
        SATURDAY = 5, "Saturday"
        SUNDAY = 6, "Sunday"

    location = models.ForeignKey(Location, on_delete=models.CASCADE, related_name="hours")
    weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    opens_at = models.TimeField()
    closes_at = models.TimeField()

    class Meta:
        ordering = ["weekday", "opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__gt=models.F("opens_at")), name="hours_close_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens_at:%H:%M}–{self.closes_at:%H:%M}"

    @staticmethod
    def span(opens: str, closes: str) -> tuple[time, time]:
        return time.fromisoformat(opens), time.fromisoformat(closes)


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    ADMIN = "admin", "Admin"
    EDITOR = "editor", "Editor"
    CLINICIAN = "clinician", "Clinician"
    MODERATOR = "moderator", "Moderator"
    # Reads what is about to go public, signs off identifier overrides, reads the audit log.
    COMPLIANCE = "compliance", "Compliance officer"
    PATIENT = "patient", "Patient"


STAFF_ROLES = frozenset(
    {Role.OWNER, Role.ADMIN, Role.EDITOR, Role.CLINICIAN, Role.MODERATOR, Role.COMPLIANCE}
)


class Membership(TimeStampedModel):
    """A user's place in one practice: a staff seat, or a patient following it."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    display_name = models.CharField(
        max_length=40, help_text="The name others in this practice see; need not be real."
    )
    accepted_guidelines_at = models.DateTimeField(null=True, blank=True)
    has_completed_tour = models.BooleanField(default=False)
    invitation = models.ForeignKey(
        "Invitation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "practice"], name="one_membership_per_practice"
            ),
        ]
        indexes = [models.Index(fields=["practice", "role"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_role_display()}) at {self.practice_id}"

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


def new_invitation_token() -> str:
    return secrets.token_urlsafe(24)


class Invitation(TimeStampedModel):
    """A link (and its QR code) that lets people join a practice with a given role."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="invitations")
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    label = models.CharField(max_length=100, help_text="Where it is used, e.g. “Front desk”.")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.PATIENT)
    email = models.EmailField(blank=True, help_text="If set, sent to this address.")
    created_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    expires_at = models.DateTimeField(null=True, blank=True)
    max_uses = models.PositiveIntegerField(null=True, blank=True)
    use_count = models.PositiveIntegerField(default=0)
    revoked_at = models.DateTimeField(null=True, blank=True)
    email_sent_at = models.DateTimeField(
        null=True, blank=True, help_text="When the invitation email went out (sent once)."
    )

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label} ({self.practice_id})"

    def get_absolute_url(self) -> str:
        return reverse("join", kwargs={"token": self.token})

    @property
    def join_url(self) -> str:
        """The absolute link printed on posters, encoded in the QR code and emailed."""
        return f"{settings.SITE_URL}{self.get_absolute_url()}"

    def unusable_reason(self, now: datetime | None = None) -> str | None:
        """Why this link no longer works, in words for the visitor; None if it works."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "This invitation has been withdrawn by the practice."
        if self.expires_at is not None and self.expires_at <= now:
            return "This invitation has expired."
        if self.max_uses is not None and self.use_count >= self.max_uses:
            return "This invitation has already been used."
        return None


class StaffProfile(TimeStampedModel):
    """A person on the team as patients see them, with or without an account."""

    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="staff_profiles")
    membership = models.OneToOneField(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="profile"
    )
    slug = models.SlugField(max_length=80)
    name = models.CharField(max_length=120)
    role_title = models.CharField(max_length=120, help_text="e.g. Family physician")
    credentials = models.CharField(max_length=120, blank=True, help_text="e.g. MD, FAAFP")
    specialties = models.CharField(max_length=250, blank=True)
    languages = models.CharField(max_length=200, blank=True)
    bio = models.TextField(blank=True, help_text="Markdown.")
    bio_html = models.TextField(blank=True, editable=False)
    life_outside = models.TextField(blank=True, help_text="Hobbies and life outside the office.")
    fun_fact = models.CharField(max_length=250, blank=True)
    photo = models.ImageField(upload_to="team/", blank=True)
    photo_alt = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    is_visible = models.BooleanField(default=True)

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(fields=["practice", "slug"], name="unique_profile_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "team_member", kwargs={"slug": self.practice.slug, "profile_slug": self.slug}
        )

    @property
    def display_name(self) -> str:
        return f"{self.name}, {self.credentials}" if self.credentials else self.name

    @property
    def initials(self) -> str:
        """Up to two letters for the placeholder shown when there is no photo."""
        words = [w for w in self.name.split() if w[:1].isalpha()]
        if not words:
            return "?"
        picked = [words[0], words[-1]] if len(words) > 1 else words[:1]
        return "".join(w[0].upper() for w in picked)
