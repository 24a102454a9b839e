"""Django admin for operators of the install. Day-to-day work happens in the studio.

Markdown fields edited here are not re-rendered (that is the services' job), so the
practice's texts and team bios are read-only in the admin: edit them in the studio.
"""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from bedside.practices.models import (
    Invitation,
    Location,
    Membership,
    OpeningHours,
    Practice,
    StaffProfile,
    User,
)


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_superuser"]
    search_fields = ["email", "full_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Person", {"fields": ("full_name",)}),
        ("Access", {"fields": ("is_active", "is_staff", "is_superuser", "groups")}),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "password1", "password2")}),)
    filter_horizontal = ["groups"]


class LocationInline(admin.StackedInline[Location, Practice]):
    model = Location
    extra = 0


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin[Practice]):
    list_display = ["name", "slug", "specialty", "is_open_signup", "created_at"]
    list_filter = ["is_open_signup"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["about", "welcome_message", "guidelines"]
    inlines = [LocationInline]


class OpeningHoursInline(admin.TabularInline[OpeningHours, Location]):
    model = OpeningHours
    extra = 0


@admin.register(Location)
class LocationAdmin(admin.ModelAdmin[Location]):
    list_display = ["name", "practice", "city", "country"]
    list_select_related = ["practice"]
    search_fields = ["name", "city", "practice__name"]
    inlines = [OpeningHoursInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin[Membership]):
    list_display = ["display_name", "practice", "role", "created_at"]
    list_filter = ["role"]
    list_select_related = ["practice"]
    search_fields = ["display_name", "practice__name"]
    raw_id_fields = ["user", "invitation"]
    readonly_fields = ["accepted_guidelines_at"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin[Invitation]):
    list_display = [
        "label",
        "practice",
        "role",
        "use_count",
        "max_uses",
        "expires_at",
        "revoked_at",
    ]
    list_filter = ["role"]
    list_select_related = ["practice"]
    search_fields = ["label", "practice__name", "email"]
    raw_id_fields = ["created_by"]
    readonly_fields = ["token", "use_count", "email_sent_at"]


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin[StaffProfile]):
    list_display = ["name", "practice", "role_title", "position", "is_visible"]
    list_filter = ["is_visible"]
    list_select_related = ["practice"]
    search_fields = ["name", "practice__name"]
    raw_id_fields = ["membership"]
    readonly_fields = ["bio"]
