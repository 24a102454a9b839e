"""A patient asks to join a private support group, a moderator approves it, the patient
posts and gets a reply and a notification; a reported post is hidden and the action is in
the moderation log."""

from playwright.sync_api import Page, expect

from bedside.community.models import Thread, Visibility
from bedside.community.services import (
    create_group,
    decide_join_request,
    join_group,
    post_reply,
    start_thread,
)
from bedside.notify.sweeps import run_all
from bedside.practices.models import Role
from tests.factories import member


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()


def test_a_patient_is_approved_posts_and_hears_of_a_reply(page: Page, console, riverside, sign_in):
    group = create_group(
        by=riverside.owner,
        practice=riverside.practice,
        name="Cancer survivors",
        description="A private circle after treatment.",
        guidelines="Keep what is shared here private.",
        visibility=Visibility.PRIVATE,
    )
    patient = member(
        riverside.practice, Role.PATIENT, display_name="Heron", user__full_name="Ada Lovelace"
    )
    moderator = member(riverside.practice, Role.MODERATOR, display_name="Grace")
    friend = member(riverside.practice, Role.PATIENT, display_name="Robin")

    sign_in(patient.email)
    page.goto(f"/p/{riverside.slug}/groups/")
    page.get_by_role("link", name="Cancer survivors").click()
    expect(page.get_by_text("Only members read this group's conversations.")).to_be_visible()
    page.get_by_label("A note for the moderators (optional)").fill("Finished treatment in May.")
    console.expect_status(f"/p/{riverside.slug}/groups/{group.slug}/join/", 422)
    page.get_by_role("button", name="Ask to join").click()
    # Without ticking the guidelines the request is refused next to the box, the note kept.
    expect(page.get_by_text("Please read and accept the group's guidelines.")).to_be_visible()
    expect(page.get_by_label("A note for the moderators (optional)")).to_have_value(
        "Finished treatment in May."
    )
    page.get_by_label("I have read the group's guidelines and will follow them").check()
    page.get_by_role("button", name="Ask to join").click()
    expect(page.get_by_text("A moderator will look at your request soon.").first).to_be_visible()
    _sign_out(page)

    sign_in(moderator.email)
    page.goto(f"/p/{riverside.slug}/studio/groups/")
    request = page.locator(".join-request")
    expect(request).to_contain_text("Heron")
    expect(request).to_contain_text("Finished treatment in May.")
    expect(request).not_to_contain_text("Ada Lovelace")
    request.get_by_role("button", name="Approve Heron").click()
    expect(page.get_by_text("Nothing is waiting.")).to_be_visible()
    _sign_out(page)

    sign_in(patient.email)
    page.goto(f"/p/{riverside.slug}/groups/{group.slug}/")
    page.get_by_role("link", name="Start a conversation").click()
    page.get_by_label("Title").fill("Scan anxiety")
    page.get_by_label("What would you like to share?").fill("My yearly scan is next week.")
    page.get_by_role("button", name="Post").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Scan anxiety")
    expect(page.locator("article.group-post").first).to_contain_text("Heron")
    expect(page.get_by_role("button", name="Following: stop")).to_be_visible()

    decide_join_request(
        by=moderator,
        member=join_group(user=friend, group=group, accept_guidelines=True),
        approve=True,
    )
    post_reply(by=friend, thread=Thread.objects.get(), body="Sending a hug. It gets easier.")
    run_all()  # the clock: the follow sweep tells Heron

    page.goto(f"/p/{riverside.slug}/groups/{group.slug}/")
    page.get_by_role("link", name="Notifications 1 unread").click()
    page.get_by_role("button", name="New reply in “Scan anxiety”").click()
    reply = page.get_by_role("article", name="Reply by Robin")
    expect(reply).to_contain_text("Sending a hug.")
    reply.get_by_role("button", name="Hug 0").click()
    hug = page.get_by_role("article", name="Reply by Robin").get_by_role("button", name="Hug 1")
    expect(hug).to_have_attribute("aria-pressed", "true")
    expect(page.get_by_text("Ada Lovelace")).to_have_count(0)


def test_a_reported_post_is_hidden_and_the_action_is_logged(
    page: Page, console, riverside, sign_in
):
    group = create_group(
        by=riverside.owner,
        practice=riverside.practice,
        name="Living with diabetes",
        description="Share what helps.",
        guidelines="Be kind.",
    )
    seller = member(riverside.practice, Role.PATIENT, display_name="Deals")
    reader = member(riverside.practice, Role.PATIENT, display_name="Fern")
    moderator = member(riverside.practice, Role.MODERATOR, display_name="Grace")
    for person in (seller, reader):
        join_group(user=person, group=group, accept_guidelines=True)
    start_thread(by=seller, group=group, title="Cheap test strips", body="Message me to buy.")

    sign_in(reader.email)
    page.goto(f"/p/{riverside.slug}/groups/{group.slug}/")
    page.get_by_role("link", name="Cheap test strips").click()
    page.get_by_role("link", name="Report this post").click()
    page.get_by_label("What is wrong with this post?").fill("Selling supplies")
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("The moderators will look at it.")).to_be_visible()
    _sign_out(page)

    sign_in(moderator.email)
    page.goto(f"/p/{riverside.slug}/studio/")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Groups").click()
    report = page.locator(".report")
    expect(report).to_contain_text("Selling supplies")
    report.get_by_label("Action").select_option("hide")
    report.get_by_label("Reason (kept in the log)").fill("No selling in groups")
    report.get_by_role("button", name="Apply").click()
    expect(page.get_by_text("It is in the moderation log.")).to_be_visible()
    page.get_by_role("link", name="Moderation log").click()
    row = page.get_by_role("row").filter(has_text="No selling in groups")
    expect(row).to_contain_text("Hid a post")
    expect(row).to_contain_text("Cheap test strips")
    _sign_out(page)

    sign_in(reader.email)
    page.goto(f"/p/{riverside.slug}/groups/{group.slug}/")
    expect(page.get_by_text("Cheap test strips")).to_have_count(0)
