"""Two patients want the one seat of an online event: the first gets it and its link, the
second waits in line, and takes the seat when the first cancels."""

from datetime import date, datetime, timedelta

from playwright.sync_api import Page, expect

from bedside.events.services import EventDetails, PostText, create_event
from bedside.posts.services import publish_post
from bedside.practices.models import Role
from tests.factories import member

JOIN_URL = "https://meet.example.org/riverside-sleep-webinar"


def _online_event(riverside):
    day = date.today() + timedelta(days=4)
    starts = datetime(day.year, day.month, day.day, 19, 0)
    event = create_event(
        by=riverside.editor,
        practice=riverside.practice,
        text=PostText(
            topic="medical",
            title="Webinar: sleep better",
            body="Bring your questions about **sleep**.",
            visibility="public",
        ),
        details=EventDetails(
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            time_zone="America/New_York",
            online_url=JOIN_URL,
            capacity=1,
        ),
    )
    publish_post(by=riverside.editor, post=event.post)
    return event


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_the_second_patient_waits_then_takes_the_seat_the_first_gives_up(
    page: Page, console, riverside, sign_in
):
    event = _online_event(riverside)
    first = member(riverside.practice, Role.PATIENT, display_name="Maple")
    second = member(riverside.practice, Role.PATIENT, display_name="Birch")
    url = event.post.get_absolute_url()

    sign_in(first.email)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Webinar: sleep better")
    expect(page.locator("#event-seats")).to_contain_text("1 of 1 seat left")
    # The browser runs in UTC, the event in New York: both clocks are shown.
    expect(page.locator("[data-local-time]")).to_contain_text("In your time zone (UTC)")
    expect(page.get_by_role("link", name="Join online")).to_have_count(0)
    page.get_by_role("button", name="I'm going").click()
    expect(page.locator("#rsvp-state")).to_contain_text("You're going.")
    expect(page.get_by_role("link", name="Join online")).to_have_attribute("href", JOIN_URL)
    expect(page.locator("#event-seats")).to_contain_text("0 of 1 seat left")
    _sign_out(page)

    sign_in(second.email)
    page.goto(url)
    page.get_by_role("button", name="Join the waitlist").click()
    expect(page.locator("#rsvp-state")).to_contain_text("You're on the waitlist: number 1.")
    expect(page.get_by_role("link", name="Join online")).to_have_count(0)
    expect(page.locator("body")).not_to_contain_text(JOIN_URL)
    _sign_out(page)

    sign_in(first.email)
    page.goto(url)
    page.get_by_role("button", name="I can't go any more").click()
    expect(page.locator("#rsvp-state")).to_contain_text("You said you can't make it.")
    expect(page.get_by_role("link", name="Join online")).to_have_count(0)
    _sign_out(page)

    sign_in(second.email)
    page.goto(url)
    expect(page.locator("#rsvp-state")).to_contain_text("You're going.")
    expect(page.locator("#rsvp-state")).to_contain_text("A seat freed up and it is yours.")
    expect(page.get_by_role("link", name="Join online")).to_have_attribute("href", JOIN_URL)
    console.assert_clean()
