"""On a 320 px phone the content calendar is a list of the days that have posts."""

from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bedside.posts.models import Status
from tests.browser.test_mobile_layout import assert_fits_the_screen
from tests.factories.posts import PostFactory


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {
        "viewport": {"width": 320, "height": 640},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    }


def test_the_calendar_is_a_list_of_busy_days_on_a_phone(page: Page, console, riverside, sign_in):
    when = timezone.now() + timedelta(hours=1)
    day = timezone.localtime(when, ZoneInfo(riverside.practice.time_zone)).date()
    PostFactory(
        practice=riverside.practice,
        author=riverside.editor,
        status=Status.SCHEDULED,
        published_at=None,
        scheduled_at=when,
        title="An announcement with a rather long title that must wrap on a small phone",
    )
    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/calendar/?view=week&date={day.isoformat()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Content calendar")
    expect(page.get_by_role("link").filter(has_text="rather long title")).to_be_visible()
    # Empty days are left out of the list; the weekday header row is hidden.
    busy = page.locator(".calendar-day:not(.calendar-day-empty)")
    assert busy.count() >= 1
    expect(page.locator(".calendar-day-empty").first).to_be_hidden()
    expect(page.locator(".calendar-weekdays")).to_be_hidden()
    assert_fits_the_screen(page, 320)
    page.goto(f"/p/{riverside.slug}/studio/calendar/")
    assert_fits_the_screen(page, 320)
    console.assert_clean()
