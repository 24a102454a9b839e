"""Riverside's articles need a clinician's approval. An editor writes one and submits it; the
clinician finds it waiting, asks for a change with a comment; the editor edits and submits
again; the clinician signs off the medical review and approves, both on the review page
(they may not edit the editor's article); the editor publishes. The post's history shows
every step."""

from playwright.sync_api import Page, expect

from bedside.education.models import Article
from bedside.notify.models import Notification
from bedside.posts.models import Post, Status
from bedside.practices.models import Role
from bedside.studio.models import PostEvent, Step
from tests.factories import member
from tests.factories.studio import set_approval_policy

TITLE = "Clean hands, fewer colds"
FIRST = "Wash your hands. Use soap. Rub for twenty seconds."
SECOND = FIRST + " Dry them well, before you eat and after the bathroom."


def test_an_editor_submits_and_a_clinician_asks_for_changes_then_approves(
    page: Page, console, riverside, sign_in
):
    practice = riverside.practice
    clinician = member(
        practice, Role.CLINICIAN, display_name="Dr. Hart", user__full_name="Amelia Hart"
    )
    set_approval_policy(practice, {"article": ["clinician"]})

    # The editor writes the article and submits it for review.
    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="New article").click()
    page.get_by_label("Title:", exact=True).fill(TITLE)
    page.get_by_label("Summary").fill("Washing your hands well is the simplest way to stay well.")
    page.get_by_label("Article (for myth vs. fact: why)").fill(FIRST)
    source = page.get_by_role("group", name="Source 1")
    source.get_by_label("Link").fill("https://www.cdc.gov/clean-hands/about/index.html")
    source.get_by_label("Title of the page").fill("About Handwashing")
    source.get_by_label("Publisher").fill("CDC")
    page.get_by_role("button", name="Save draft article").click()
    expect(page.get_by_text("Article saved as a draft.")).to_be_visible()
    page.get_by_role("link", name="Publish, schedule or take down").click()
    expect(page.get_by_role("button", name="Publish", exact=True)).to_have_count(0)
    expect(page.locator("#approval-state")).to_contain_text("Needs approval by: a clinician.")
    page.get_by_label("Note for the reviewers").fill("First article of the cold season.")
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review: the reviewers have been told.")).to_be_visible()
    post = Post.objects.get(title=TITLE)
    assert post.status == Status.IN_REVIEW
    assert Notification.objects.filter(user=clinician, kind="review_requested").count() == 1
    page.get_by_role("button", name="Sign out").click()

    # The clinician finds it waiting and asks for a change (a comment is required).
    sign_in(clinician.email)
    page.goto(f"/p/{riverside.slug}/studio/")
    nav = page.get_by_role("navigation", name="Studio")
    nav.get_by_role("link", name="Waiting for my review").click()
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review: {TITLE}")
    expect(page.locator("#post-history")).to_contain_text("First article of the cold season.")
    console.expect_status(f"/p/{riverside.slug}/studio/posts/{post.pk}/review/", 422)
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_role("alert")).to_contain_text("Say what should change")
    page.get_by_label("Your comment").fill("Say how long to dry them, too.")
    page.get_by_role("button", name="Request changes").click()
    expect(page.get_by_text("Sent back to the author with your comment.")).to_be_visible()
    expect(page.get_by_text("Nothing is waiting for your review.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The editor reads the comment, edits and submits again.
    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/posts/{post.pk}/edit/")
    expect(page.locator("#post-history")).to_contain_text("Say how long to dry them, too.")
    page.get_by_label("Body").fill(SECOND)
    page.get_by_role("button", name="Submit for review").click()
    expect(page.get_by_text("Submitted for review: the reviewers have been told.")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # The clinician signs off the medical review of the new words and approves them.
    sign_in(clinician.email)
    page.goto(f"/p/{riverside.slug}/studio/approvals/waiting/")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_text("after the bathroom")).to_be_visible()
    expect(page.locator("#medical-review-state")).to_have_text("Not reviewed yet.")
    page.get_by_role("button", name="Sign off the medical review").click()
    expect(page.get_by_text("Medical review signed off.")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Review: {TITLE}")
    expect(page.locator("#medical-review-state")).to_contain_text(
        "Medically reviewed by Amelia Hart"
    )
    assert Article.objects.get(post=post).reviewed_by == clinician
    page.get_by_label("Your comment").fill("Clear and correct.")
    page.get_by_role("button", name="Approve").click()
    expect(page.locator("#post-status")).to_have_text("Approved")
    page.get_by_role("button", name="Sign out").click()

    # The editor publishes, and the history tells the whole story.
    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/posts/{post.pk}/edit/")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.goto(f"/p/{riverside.slug}/studio/posts/{post.pk}/edit/")
    history = page.locator("#post-history li")
    expect(history).to_have_count(5)
    editor_name = riverside.editor.get_full_name()
    steps = [
        ("Submitted for review", editor_name),
        ("Asked for changes", "Amelia Hart"),
        ("Submitted for review", editor_name),
        ("Approved as a clinician", "Amelia Hart"),
        ("Published", editor_name),
    ]
    for index, (step, who) in enumerate(steps):
        expect(history.nth(index)).to_contain_text(step)
        expect(history.nth(index)).to_contain_text(who)
    assert list(PostEvent.objects.filter(post=post).values_list("step", flat=True)) == [
        Step.SUBMITTED, Step.CHANGES_REQUESTED, Step.SUBMITTED, Step.APPROVED, Step.PUBLISHED,
    ]  # fmt: skip
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED
    console.assert_clean()
