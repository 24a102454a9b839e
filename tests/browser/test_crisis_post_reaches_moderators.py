"""A patient's post in crisis shows them the crisis resources at once, and the moderator is
told urgently and finds the alert in the moderation queue."""

from playwright.sync_api import Page, expect

from bedside.community.models import SafetyAlert
from bedside.community.services import create_group, join_group
from bedside.notify.safety_alerts import SAFETY_ALERT_KIND
from bedside.notify.sweeps import run_all
from bedside.practices.models import Role
from tests.factories import member


def test_a_crisis_post_shows_the_resources_and_the_moderator_gets_the_alert(
    page: Page, console, riverside, sign_in
):
    group = create_group(
        by=riverside.owner,
        practice=riverside.practice,
        name="Living with diabetes",
        description="Share what helps.",
        guidelines="Be kind. No medical advice.",
    )
    patient = member(riverside.practice, Role.PATIENT, display_name="Willow")
    moderator = member(riverside.practice, Role.MODERATOR, display_name="Sam")
    join_group(user=patient, group=group, accept_guidelines=True)

    sign_in(patient.email)
    page.goto(f"/p/{riverside.slug}/groups/{group.slug}/")
    page.get_by_role("link", name="Start a conversation").click()
    page.get_by_label("Title").fill("I can't anymore")
    page.get_by_label("What would you like to share?").fill(
        "Everyone would be better off without me. I don't want to wake up tomorrow."
    )
    page.get_by_role("button", name="Post").click()

    resources = page.get_by_role("alert")
    expect(resources).to_contain_text("You are not alone")
    expect(resources).to_contain_text("988 Suicide & Crisis Lifeline")
    alert = SafetyAlert.objects.get()
    assert alert.category == "suicidal"
    page.get_by_role("button", name="Sign out").click()

    run_all()  # the clock's next tick
    run_all()  # and the one after: still one notice

    sign_in(moderator.email)
    link = page.get_by_role("link", name="Notifications 1 unread")
    expect(link).to_be_visible()
    link.click()
    page.get_by_role(
        "button", name="Urgent: possible suicidal thoughts in Living with diabetes"
    ).click()
    expect(page.get_by_role("heading", name="Safety alerts")).to_be_visible()
    expect(page.locator(".safety-alert")).to_contain_text("I can't anymore")
    assert SafetyAlert.objects.get().moderators_told_at is not None
    assert moderator.notifications.filter(kind=SAFETY_ALERT_KIND).count() == 1
    console.assert_clean()
