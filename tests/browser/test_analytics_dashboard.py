"""The owner asks the dashboard "do our non-medical posts engage more?": it answers with a
chart, a plain statement of its uncertainty and a table, and the CSV holds the same numbers."""

import csv
from datetime import timedelta
from pathlib import Path

from django.utils import timezone
from playwright.sync_api import Page, expect

from bedside.analytics.models import PostDay
from bedside.posts.models import Topic
from tests.factories import PostFactory


def test_the_owner_learns_whether_non_medical_posts_engage_more(
    page: Page, console, riverside, sign_in, tmp_path: Path
):
    practice = riverside.practice
    day = timezone.localdate() - timedelta(days=3)
    for index in range(12):
        topic = Topic.NON_MEDICAL if index % 2 == 0 else Topic.MEDICAL
        post = PostFactory(practice=practice, author=riverside.editor, topic=topic)
        PostDay.objects.create(
            practice=practice,
            post=post,
            day=day,
            kind=post.kind,
            topic=topic,
            views=60,
            reactions=18 if topic == Topic.NON_MEDICAL else 6,
            comments=3 if topic == Topic.NON_MEDICAL else 1,
        )

    sign_in(riverside.owner.email)
    page.goto(f"/p/{practice.slug}/studio/")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Analytics").click()
    expect(
        page.get_by_role("heading", name="Do our non-medical posts engage more?")
    ).to_be_visible()
    expect(page.locator("#topic-verdict")).to_contain_text(
        "Yes: for this practice, non-medical posts really do engage more"
    )
    expect(page.locator("#topic-verdict")).to_contain_text("95% interval")
    chart = page.get_by_role("img", name="Engagement rate: non-medical against medical posts")
    expect(chart).to_be_visible()

    table = page.locator("#table-topics")

    def row(topic: str):
        header = page.get_by_role("rowheader", name=topic, exact=True)
        return table.locator("tbody tr").filter(has=header)

    expect(row("Non-medical")).to_contain_text("360")  # 6 posts × 60 views
    expect(row("Non-medical")).to_contain_text("126")  # 6 × (18 + 3)
    expect(row("Non-medical")).to_contain_text("35.0%")
    expect(row("Medical")).to_contain_text("11.7%")
    shown = [
        [cell.strip() for cell in row.locator("th, td").all_inner_texts()]
        for row in table.locator("tbody tr").all()
    ]

    with page.expect_download() as download:
        page.get_by_role("link", name="Download “Medical and non-medical posts” as CSV").click()
    saved = tmp_path / "topics.csv"
    download.value.save_as(saved)
    with saved.open(newline="") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][0] == "Topic"
    assert rows[1:] == shown

    # Out-of-range dates are explained, not obeyed blindly (the page answers 422).
    console.expect_status(f"/p/{practice.slug}/studio/analytics/", 422)
    page.locator("#id_start").fill("2026-01-10")
    page.locator("#id_end").fill("2026-01-01")
    page.get_by_role("button", name="Show", exact=True).click()
    expect(page.get_by_text("The start date is after the end date")).to_be_visible()
    console.assert_clean()
