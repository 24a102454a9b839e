"""On a 320 px phone, the owner reads what other networks said back to the practice's posts:
the page fits the screen, the tables scroll inside their own frame, and a network that gives
no counts (a Bluesky server without an AppView) reads "counts not available", never 0."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from bedside.syndication.models import DeliveryStatus, Network
from tests.browser.test_mobile_layout import assert_fits_the_screen
from tests.factories import ChannelFactory, DeliveryFactory, PostFactory

WIDTH = 320


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {
        "viewport": {"width": WIDTH, "height": 640},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    }


def test_the_owner_reads_network_responses_on_a_phone(page: Page, console, riverside, sign_in):
    practice = riverside.practice
    mastodon = ChannelFactory(
        practice=practice,
        network=Network.MASTODON,
        handle="@riverside.family.practice@mastodon.example",
        account_id="m-1",
    )
    pds = ChannelFactory(practice=practice, handle="riverside.pds.test", account_id="b-1")
    post = PostFactory(
        practice=practice,
        author=riverside.editor,
        title="Our new Saturday morning opening hours start next week",
        published_at=timezone.now() - timedelta(days=2),
    )
    now = timezone.now()
    DeliveryFactory(
        channel=mastodon, post=post, status=DeliveryStatus.DONE, remote_id="1",
        likes=14, shares=6, replies=3, counts_at=now,
    )  # fmt: skip
    DeliveryFactory(
        channel=pds, post=post, status=DeliveryStatus.DONE, remote_id="at://x/post/1",
        counts_at=now, counts_note="This Bluesky server does not offer counts (no AppView).",
    )  # fmt: skip

    sign_in(riverside.owner.email)
    page.goto(f"/p/{practice.slug}/studio/analytics/")
    expect(page.get_by_role("heading", name="On other networks")).to_be_visible()
    assert_fits_the_screen(page, WIDTH)

    table = page.get_by_role("table", name="Responses on other networks")
    masto = table.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name="Mastodon @riverside.family.practice")
    )
    expect(masto.locator("td")).to_have_text(["1", "1", "14", "6", "3"])
    sky = table.locator("tbody tr").filter(
        has=page.get_by_role("rowheader", name="Bluesky riverside.pds.test")
    )
    expect(sky.locator("td")).to_have_text(["1", "0", *["counts not available"] * 3])

    # The table is wider than the phone: its frame scrolls, the page does not.
    frame = page.locator(".table-scroll").filter(has=page.locator("#table-network_posts"))
    scroll_width, client_width = frame.evaluate("el => [el.scrollWidth, el.clientWidth]")
    assert client_width <= WIDTH
    assert scroll_width > client_width
    console.assert_clean()
