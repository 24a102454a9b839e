"""A patient joins through the practice's invitation link and takes part under a chosen name."""

from playwright.sync_api import Page, expect

from bedside.practices.models import Membership, Role
from bedside.practices.services import create_invitation

EMAIL = "robin.patel@example.org"
PASSWORD = "a quiet river at dawn 42"
DISPLAY_NAME = "Maple"


def test_a_patient_joins_by_invitation_then_reacts_and_comments(page: Page, console, riverside):
    invitation = create_invitation(
        by=riverside.owner,
        practice=riverside.practice,
        label="Front desk poster",
        role=Role.PATIENT,
    )

    page.goto(invitation.get_absolute_url())
    expect(page.get_by_role("heading", name="Community guidelines")).to_be_visible()
    expect(page.get_by_text("Share no one's private health details.")).to_be_visible()
    page.get_by_role("link", name="Create an account").click()

    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label("Password:", exact=True).fill(PASSWORD)
    page.get_by_label("Password (again):").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()

    expect(page).to_have_url(invitation.get_absolute_url())
    page.get_by_label("Display name").fill(DISPLAY_NAME)
    page.get_by_label("I have read and accept the community guidelines").check()
    page.get_by_role("button", name="Join Riverside Family Practice").click()

    expect(page).to_have_url(f"/p/{riverside.slug}/welcome/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Welcome, {DISPLAY_NAME}")
    expect(page.get_by_text("Welcome to our community! We are glad you are here.")).to_be_visible()
    expect(page.get_by_role("heading", name="Your first visit")).to_be_visible()
    page.get_by_role("button", name="Got it").click()
    expect(page).to_have_url(riverside.practice.get_absolute_url())
    membership = Membership.objects.get(user__email=EMAIL, practice=riverside.practice)
    assert (membership.role, membership.invitation) == (Role.PATIENT, invitation)
    assert membership.has_completed_tour

    # Members see what visitors do not.
    expect(
        page.get_by_role("link", name="Your new patient portal login", exact=True)
    ).to_be_visible()
    page.get_by_role("link", name="Saturday mornings are back", exact=True).click()

    like = page.get_by_role("button", name="Like")
    expect(like).to_have_attribute("aria-pressed", "false")
    like.click()
    expect(page.get_by_role("button", name="Like")).to_have_attribute("aria-pressed", "true")
    expect(page.locator(f"#reactions-{riverside.news.pk}")).to_contain_text("1 reaction")

    page.get_by_label("Your comment").fill("So glad to have **Saturdays** back!")
    page.get_by_role("button", name="Post comment").click()

    comment = page.locator("#comments li").filter(has_text="So glad to have")
    expect(comment.locator(".post-meta strong")).to_have_text(DISPLAY_NAME)
    expect(comment.locator(".post-body strong")).to_have_text("Saturdays")
    expect(page.locator("body")).not_to_contain_text(EMAIL)
    expect(page.locator("body")).not_to_contain_text("robin.patel")  # the name an email implies
    expect(page.get_by_role("heading", name="Comments (1)")).to_be_visible()
    console.assert_clean()
