"""An editor schedules an announcement in the composer, finds it on the content calendar,
and once its time has come the due sweep publishes it to the practice's feed."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from playwright.sync_api import Page, expect

from bedside.notify.models import Notification
from bedside.posts.models import Post, Status
from bedside.practices.models import Role
from bedside.studio.sweeps import publish_due_posts
from tests.factories.practices import member

TITLE = "Dr. Ramos wins the county's family physician award"


def test_an_editor_schedules_a_post_that_publishes_when_due(
    page: Page, console, riverside, sign_in
):
    patient = member(riverside.practice, Role.PATIENT)
    zone = ZoneInfo(riverside.practice.time_zone)
    tomorrow = timezone.localdate(timezone=zone) + timedelta(days=1)
    sign_in(riverside.editor.email)
    page.get_by_role("link", name="Studio: Riverside Family Practice").click()
    page.get_by_role("link", name="Write a post").click()

    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Kind").select_option(label="Announcement")
    page.get_by_label("Announcement of").select_option(label="Award")
    page.get_by_role("radio", name="Non-medical", exact=True).check()
    page.get_by_label("Body").fill("Voted by her patients, **again**.")
    page.get_by_label("Publish at").fill(f"{tomorrow.isoformat()}T10:15")
    page.get_by_role("button", name="Schedule", exact=True).click()

    expect(page.get_by_text("Scheduled: it will be published on")).to_be_visible()
    post = Post.objects.get(title=TITLE)
    assert post.status == Status.SCHEDULED
    assert post.scheduled_at == datetime.combine(tomorrow, time(10, 15), zone)

    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Content calendar")
    if tomorrow.month != timezone.localdate(timezone=zone).month:
        page.get_by_role("link", name="Next month").click()
    entry = page.get_by_role("link").filter(has_text=TITLE)
    expect(entry).to_contain_text("Scheduled · 10:15 · Spreading the word")
    page.get_by_role("link", name="Week", exact=True).click()
    expect(page.get_by_role("link").filter(has_text=TITLE)).to_be_visible()

    # Its time comes: the clock's sweep publishes it and starts the broadcast.
    Post.objects.filter(pk=post.pk).update(scheduled_at=timezone.now() - timedelta(minutes=1))
    assert publish_due_posts() == 1
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED

    page.goto(f"/p/{riverside.slug}/")
    card = page.get_by_role("article").filter(has_text=TITLE)
    expect(card).to_be_visible()
    expect(card).to_contain_text("Announcement: Award")
    assert Notification.objects.filter(user=patient, post=post).exists()
    console.assert_clean()
