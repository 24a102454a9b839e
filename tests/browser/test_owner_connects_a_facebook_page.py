"""On a phone, the owner connects the practice's Facebook Page and its Instagram account by
signing in with Facebook (Meta's dialog stood in for by a routed answer, Graph by the fake of
its documented answers), picks both, and learns what the operator must set up for X."""

from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from playwright.sync_api import Page, Route, expect

from bedside.syndication.models import Channel
from tests.syndication.test_connect_meta import IG_ID, PAGE_ID, PAGE_TOKEN, graph  # noqa: F401


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {
        "viewport": {"width": 320, "height": 640},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    }


WIDER = """() => [...document.querySelectorAll("body *")]
  .filter((e) => e.getBoundingClientRect().right > 320.5)
  .map((e) => `${e.tagName}.${e.className}`)
  .slice(0, 8)"""


def fits(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, (page.url, page.evaluate(WIDER))


def test_the_owner_connects_facebook_and_instagram_on_a_phone(
    page: Page,
    console,
    riverside,
    sign_in,
    settings,
    live_server,
    graph,  # noqa: F811
):
    settings.SITE_URL = live_server.url
    settings.META_APP_ID = "meta-app-id"
    settings.META_APP_SECRET = "meta-app-secret"
    settings.X_CLIENT_ID = ""
    settings.X_CLIENT_SECRET = ""
    asked: list[dict[str, str]] = []

    def facebook_dialog(route: Route) -> None:
        """Facebook's dialog: the person allows Bedside, Facebook sends them back."""
        query = {k: v[0] for k, v in parse_qs(urlsplit(route.request.url).query).items()}
        asked.append(query)
        back = f"{query['redirect_uri']}?{urlencode({'code': 'fb-code', 'state': query['state']})}"
        route.fulfill(status=302, headers={"Location": back})

    page.route("https://www.facebook.com/**", facebook_dialog)
    sign_in(riverside.owner.email)
    page.goto(f"/p/{riverside.slug}/studio/channels/")
    page.get_by_role("link", name="Connect a Facebook Page or Instagram").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Connect a Facebook Page or Instagram"
    )
    fits(page)
    page.get_by_role("link", name="Sign in with Facebook").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Choose what to connect")
    assert asked and asked[0]["client_id"] == "meta-app-id"
    fits(page)
    page.get_by_label("Facebook Page Riverside Family Health").check()
    page.get_by_label("Instagram @riversidefh (linked to Riverside Family Health)").check()
    page.get_by_role("button", name="Connect").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Networks")
    expect(page.get_by_text("Connected Facebook Page Riverside Family Health")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text="@riversidefh")).to_contain_text("Connected")
    fits(page)
    assert PAGE_TOKEN not in page.content()
    assert {(c.network, c.account_id) for c in Channel.objects.all()} == {
        ("facebook", PAGE_ID),
        ("instagram", IG_ID),
    }

    page.get_by_role("link", name="Connect X").click()
    expect(page.get_by_text("Not set up on this Bedside yet.")).to_be_visible()
    expect(page.get_by_role("note")).to_contain_text("BEDSIDE_X_CLIENT_ID")
    expect(page.get_by_role("link", name="Sign in with X")).to_have_count(0)
    fits(page)
    console.assert_clean()
