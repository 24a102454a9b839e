"""An editor connects the practice's Bluesky account (a real local PDS), sees how a post will
look there before publishing, publishes it once, reads the delivery log, and unpublishing
takes it off Bluesky again."""

import uuid

import httpx
from playwright.sync_api import Page, expect

from bedside.posts.models import Post, Status
from bedside.syndication.models import Channel, Delivery, DeliveryStatus
from tests.syndication.test_bluesky_pds import records_of


def test_an_editor_syndicates_a_post_to_bluesky_and_takes_it_down(
    page: Page,
    console,
    riverside,
    sign_in,
    bluesky_pds,
):
    title = f"Flu shots on Saturday mornings {uuid.uuid4().hex[:6]}"
    sign_in(riverside.editor.email)
    page.get_by_role("link", name="Studio: Riverside Family Practice").click()
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Networks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Networks")

    page.get_by_label("Handle").fill(bluesky_pds["handle"])
    page.get_by_label("App password").fill(bluesky_pds["app_password"])
    page.get_by_label("Server (PDS)").fill(bluesky_pds["url"])
    page.get_by_role("button", name="Connect Bluesky").click()
    expect(page.get_by_text(f"Connected Bluesky {bluesky_pds['handle']}")).to_be_visible()
    expect(page.get_by_role("row").filter(has_text=bluesky_pds["handle"])).to_contain_text(
        "Connected"
    )
    assert bluesky_pds["app_password"] not in page.content()
    assert Channel.objects.get().account_id == bluesky_pds["did"]

    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Posts").click()
    page.get_by_role("link", name="Write a post").click()
    page.get_by_label("Title").fill(title)
    page.get_by_label("Kind").select_option(label="Announcement")
    page.get_by_role("radio", name="Non-medical", exact=True).check()
    page.get_by_label("Body").fill("Walk in between 9 and 12, no booking needed. " * 12)
    page.get_by_role("button", name="Save draft").click()

    previews = page.get_by_role("region", name="On other networks")
    expect(previews).to_contain_text("Bluesky")
    expect(previews).to_contain_text(title)
    expect(previews).to_contain_text("Shortened to 300 characters")
    assert records_of(bluesky_pds, title) == []  # nothing leaves before publishing

    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published. Your patients can see it now.")).to_be_visible()
    post = Post.objects.get(title=title)
    delivery = Delivery.objects.get(post=post)
    assert delivery.status == DeliveryStatus.DONE, delivery.last_error

    page.goto(f"/p/{riverside.slug}/studio/posts/{post.pk}/edit/")
    page.get_by_role("link", name="Where this post went on other networks").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(title)
    section = page.get_by_role("region", name=f"Bluesky {bluesky_pds['handle']}")
    expect(section).to_contain_text("Published")
    link = section.get_by_role("link", name="See the post on Bluesky")
    href = link.get_attribute("href")
    assert href and href.startswith(bluesky_pds["url"])
    assert httpx.get(href, timeout=10).json()["value"]["text"].startswith(title)
    [record] = records_of(bluesky_pds, title)
    assert record["uri"] == delivery.remote_id

    page.get_by_role("link", name="Back to the post").click()
    page.get_by_role("button", name="Unpublish").click()
    expect(page.get_by_text("Unpublished: the post is a draft again.")).to_be_visible()
    assert Post.objects.get(pk=post.pk).status == Status.DRAFT
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.RETRACTED
    assert records_of(bluesky_pds, title) == []
    console.assert_clean()
