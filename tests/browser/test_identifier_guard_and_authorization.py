"""An editor's post names a patient: publishing is refused with the name highlighted. The
editor attaches her authorization and publishes. When the owner revokes the authorization
the post leaves the practice's page at once, and the audit log tells the whole story."""

import re

from playwright.sync_api import Page, expect

from bedside.compliance.models import Cover
from bedside.posts.models import Post, Status
from bedside.screening import identifiers
from tests.factories import AuthorizationFactory

TITLE = "A new knee, and a first 5K"
BODY = (
    "We are so proud of our patient Maria Lopez, who ran her first 5K on Saturday, "
    "eight months after her knee replacement."
)


def test_a_post_naming_a_patient_needs_her_authorization_and_comes_down_with_it(
    page: Page, console, riverside, sign_in
):
    practice = riverside.practice
    consent = AuthorizationFactory(
        practice=practice, subject_name="Maria Lopez", covers=[Cover.STORY, Cover.PHOTO, Cover.NAME]
    )
    # The guard loads its recognizers on first use: here, not inside a timed page load.
    identifiers.find("Call us on 555-010-2000.")

    # The editor writes the post and saves a draft; the panel shows what it found.
    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/posts/new/")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Kind").select_option(label="Announcement")
    page.get_by_role("radio", name="Non-medical", exact=True).check()
    page.get_by_label("Body").fill(BODY)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    post = Post.objects.get(title=TITLE)
    panel = page.locator("#compliance-panel")
    expect(panel.locator("mark")).to_have_text("Maria Lopez")

    # Publishing is refused, and says why without repeating her name.
    edit_path = f"/p/{riverside.slug}/studio/posts/{post.pk}/edit/"
    console.expect_status(edit_path, 422)
    page.get_by_role("button", name="Publish", exact=True).click()
    refusal = page.locator("form").get_by_role("alert")
    expect(refusal).to_contain_text("may identify a patient")
    expect(refusal).not_to_contain_text("Maria")
    expect(page.locator("#compliance-panel mark")).to_have_text("Maria Lopez")
    assert Post.objects.get(pk=post.pk).status == Status.DRAFT

    # The editor attaches Maria's authorization; now it publishes.
    page.get_by_label("Attach an authorization").select_option(value=str(consent.pk))
    page.get_by_role("button", name="Attach", exact=True).click()
    expect(page.get_by_text(f"Attached authorization #{consent.pk}.")).to_be_visible()
    expect(page.locator("#compliance-panel")).to_contain_text("Covered by the patient")
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(page.get_by_text("Published. Your patients can see it now.")).to_be_visible()
    page.goto(f"/p/{riverside.slug}/")
    expect(page.get_by_role("article").filter(has_text=TITLE)).to_be_visible()
    page.get_by_role("button", name="Sign out").click()

    # Maria withdraws her consent: the owner revokes the authorization, with a reason.
    sign_in(riverside.owner.email)
    page.goto(f"/p/{riverside.slug}/studio/")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Authorizations").click()
    page.get_by_role("link", name=f"#{consent.pk}", exact=True).click()
    expect(page.get_by_role("link", name=TITLE)).to_be_visible()
    page.get_by_label("Reason (kept in the audit log)").fill("Maria called to withdraw consent.")
    page.get_by_role("button", name="Revoke authorization").click()
    revoked = page.get_by_text("Revoked. 1 post that relied on it went back to draft.")
    expect(revoked).to_be_visible()
    assert Post.objects.get(pk=post.pk).status == Status.DRAFT

    # The post is gone from the practice's page at once.
    page.goto(f"/p/{riverside.slug}/")
    expect(page.get_by_role("heading", name=riverside.practice.name).first).to_be_visible()
    expect(page.get_by_role("article").filter(has_text=TITLE)).to_have_count(0)

    # The owner reads the trail: the publish, the attachment and the revocation.
    page.goto(f"/p/{riverside.slug}/studio/")
    page.get_by_role("navigation", name="Studio").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    log = page.locator("table.audit-log")
    for action in ("post.publish", "authorization.attach", "authorization.revoke",
                   "post.take_down"):  # fmt: skip
        expect(log.get_by_text(action, exact=True)).to_be_visible()
    expect(log).to_contain_text(riverside.editor.email)
    page.get_by_label("Action starts with").fill("authorization.")
    page.get_by_role("button", name="Filter").click()
    # Newest first: the owner reading it after the revocation, the revocation, the owner
    # opening it, and the editor's attachment.
    expect(log.locator("tbody tr td code")).to_have_text(
        ["authorization.view", "authorization.revoke", "authorization.view",
         "authorization.attach"]
    )  # fmt: skip
    expect(log).not_to_contain_text("post.publish")
    assert re.search(r"action=authorization\.", page.url)
    console.assert_clean()
