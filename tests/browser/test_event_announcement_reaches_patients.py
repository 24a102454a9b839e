"""Pillar 5 end to end: an editor schedules an event, the clock publishes it on time, every
patient hears of it in the app and by email over real SMTP, and the one seat and the
waitlist work in the browser."""

import email
from datetime import timedelta
from email import policy
from zoneinfo import ZoneInfo

from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import Page, expect

from bedside.posts.models import Post, Status
from bedside.practices.models import Role
from tests.factories import member

TITLE = "Flu-shot clinic on Saturday"


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_scheduled_event_reaches_every_patient_and_fills_its_one_seat(
    page: Page, console, riverside, sign_in, smtp_sink
):
    first = member(riverside.practice, Role.PATIENT, display_name="Maple")
    second = member(riverside.practice, Role.PATIENT, display_name="Birch")
    zone = ZoneInfo(riverside.practice.time_zone)
    day = timezone.localdate(timezone=zone) + timedelta(days=3)

    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/events/new/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_role("radio", name="Medical", exact=True).check()
    page.get_by_label("About the event").fill("Walk in for your **flu shot**; it takes minutes.")
    page.get_by_label("Starts").fill(f"{day.isoformat()}T09:00")
    page.get_by_label("Ends").fill(f"{day.isoformat()}T12:00")
    page.get_by_label("At one of our locations").select_option(index=1)
    page.get_by_label("Seats").fill("1")
    page.get_by_role("button", name="Save draft event").click()

    page.get_by_label("Publish at").fill(f"{(day - timedelta(days=2)).isoformat()}T08:00")
    page.get_by_role("button", name="Schedule", exact=True).click()
    expect(page.get_by_text("Scheduled: it will be published on")).to_be_visible()
    post = Post.objects.get(title=TITLE)
    assert post.status == Status.SCHEDULED
    _sign_out(page)

    # Its time comes; the clock (as `make demo` runs it) publishes it and broadcasts it.
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))
    call_command("clock", "--once")
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED

    mailed = {}
    for _sender, recipients, raw in smtp_sink.messages:
        message = email.message_from_bytes(raw, policy=policy.default)
        for address in recipients:
            mailed[address] = message
    assert {first.email, second.email} <= set(mailed)
    letter = mailed[first.email]
    assert TITLE in letter["Subject"]
    assert letter["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    sign_in(first.email)
    page.get_by_role("link", name="Notifications 1 unread").click()
    page.get_by_role("button", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="I'm going").click()
    expect(page.locator("#rsvp-state")).to_contain_text("You're going.")
    expect(page.locator("#event-seats")).to_contain_text("0 of 1 seat left")
    _sign_out(page)

    sign_in(second.email)
    page.goto(post.get_absolute_url())
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.locator("#rsvp-state")).to_contain_text("You're on the waitlist: number 1.")
    console.assert_clean()
