"""On a phone, the main pages fit the screen and the navigation works from the keyboard."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

PHONES = {"390 wide": (390, 844), "320 wide": (320, 640)}


@pytest.fixture(params=PHONES.values(), ids=PHONES.keys())
def context_options(request: pytest.FixtureRequest) -> dict[str, Any]:
    width, height = request.param
    return {
        "viewport": {"width": width, "height": height},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    }


def assert_fits_the_screen(page: Page, width: int) -> None:
    # A mobile browser zooms out to fit a page that is too wide, so innerWidth is compared
    # with the phone's own width as well as with the width of the document.
    scroll_width, inner_width = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert inner_width == width, f"{page.url} is zoomed out to {inner_width}px"
    assert scroll_width <= inner_width, f"{page.url} scrolls sideways: {scroll_width}px"


def test_the_public_pages_fit_a_phone_screen(page: Page, console, riverside, context_options):
    width = context_options["viewport"]["width"]
    for address in [
        riverside.practice.get_absolute_url(),
        riverside.news.get_absolute_url(),
        f"/p/{riverside.slug}/team/",
        riverside.doctor.get_absolute_url(),
    ]:
        page.goto(address)
        assert_fits_the_screen(page, width)
    console.assert_clean()


def test_the_composer_fits_a_phone_screen(page: Page, console, riverside, sign_in, context_options):
    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/posts/new/")

    expect(page.get_by_role("heading", level=1)).to_have_text("New post")
    assert_fits_the_screen(page, context_options["viewport"]["width"])
    console.assert_clean()


def test_the_keyboard_reaches_the_skip_link_and_the_main_navigation(
    page: Page, console, riverside, context_options
):
    page.goto(riverside.practice.get_absolute_url())

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to content")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box is not None and box["x"] >= 0, "the focused skip link is off screen"
    page.keyboard.press("Tab")
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Bedside")
    ).to_be_focused()

    page.keyboard.press("Shift+Tab")
    expect(skip_link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    expect(page).to_have_url(f"{riverside.practice.get_absolute_url()}#main")
    page.keyboard.press("Tab")
    focused_inside_main = page.evaluate(
        "() => document.querySelector('main').contains(document.activeElement)"
    )
    assert focused_inside_main, "Tab after the skip link leaves the main content"
    console.assert_clean()
