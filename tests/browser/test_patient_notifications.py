"""A patient hears of a new post in the header, reads it from the notification centre, and
chooses how Riverside may reach them."""

from datetime import time

from playwright.sync_api import Page, expect

from bedside.notify.models import Mode, NotificationPreference
from bedside.posts.models import Kind, Topic, Visibility
from bedside.posts.services import create_post
from bedside.practices.models import Role
from bedside.studio.services import publish
from tests.factories import member


def test_a_patient_follows_a_notification_to_the_post_and_sets_preferences(
    page: Page, console, riverside, sign_in
):
    patient = member(riverside.practice, Role.PATIENT, display_name="Maple")
    post = create_post(
        by=riverside.editor,
        practice=riverside.practice,
        kind=Kind.ANNOUNCEMENT,
        topic=Topic.NON_MEDICAL,
        title="Flu shots are in",
        body="Walk in any weekday morning.",
        visibility=Visibility.PATIENTS,
    )
    publish(by=riverside.editor, post=post)

    sign_in(patient.email)
    link = page.get_by_role("link", name="Notifications 1 unread")
    expect(link).to_be_visible()
    link.click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Notifications")
    item = page.locator(".notification").first
    expect(item).to_contain_text("Riverside Family Practice")
    expect(item).to_contain_text("Unread")
    page.get_by_role("button", name="Flu shots are in").click()

    expect(page).to_have_url(post.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Flu shots are in")
    expect(page.locator("[data-unread-count]")).to_have_count(0)
    expect(page.get_by_role("link", name="Notifications", exact=True)).to_be_visible()

    page.goto(f"/p/{riverside.slug}/notifications/")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Notifications from Riverside Family Practice"
    )
    page.get_by_label("Office life").uncheck()
    page.get_by_label("One email a day (digest)").check()
    page.get_by_label("Quiet hours start").fill("22:00")
    page.get_by_role("button", name="Save my choices").click()
    # Half a pair of quiet hours is refused next to the field, the rest kept as typed.
    expect(page.get_by_text("Give both the start and the end of your quiet hours.")).to_be_visible()
    expect(page.get_by_label("Office life")).not_to_be_checked()
    page.get_by_label("Quiet hours end").fill("07:00")
    page.get_by_role("button", name="Save my choices").click()

    expect(page.get_by_text("Your notification choices are saved.")).to_be_visible()
    expect(page.get_by_label("One email a day (digest)")).to_be_checked()
    expect(page.get_by_label("Quiet hours start")).to_have_value("22:00")
    choices = NotificationPreference.objects.get(user=patient, practice=riverside.practice)
    assert choices.muted_kinds == [Kind.OFFICE_LIFE]
    assert choices.mode == Mode.DAILY_DIGEST
    assert (choices.quiet_start, choices.quiet_end) == (time(22), time(7))
    console.assert_clean()
