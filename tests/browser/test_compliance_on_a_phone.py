"""On a 320 px phone, a compliance officer's pages fit the screen: the authorizations, the
form to record one, the audit log, and the privacy panel on the review page of a post that
names a patient, where she overrides the check with a reason."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bedside.audit.services import record
from bedside.posts.models import Status
from bedside.practices.models import Role
from bedside.screening import identifiers
from tests.browser.test_mobile_layout import assert_fits_the_screen
from tests.factories import AuthorizationFactory, PostFactory, member


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {
        "viewport": {"width": 320, "height": 640},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    }


def test_the_compliance_pages_fit_a_phone(page: Page, console, riverside, sign_in):
    practice = riverside.practice
    officer = member(practice, Role.COMPLIANCE, user__full_name="Helen Marsh")
    consent = AuthorizationFactory(
        practice=practice, subject_name="Maria Guadalupe Lopez-Hernandez de la Vega"
    )
    post = PostFactory(
        practice=practice, author=riverside.editor, status=Status.DRAFT, published_at=None,
        body="Our patient Maria Lopez, born 03/14/1961, called from 312-555-0199 to thank us.",
    )  # fmt: skip
    record(
        action="post.publish", actor=riverside.editor, practice=practice,
        target_label="A rather long title of a post about the new Saturday opening hours",
    )  # fmt: skip
    identifiers.find("Call us on 555-010-2000.")
    sign_in(officer.email)
    for address in [
        f"/p/{riverside.slug}/studio/authorizations/",
        f"/p/{riverside.slug}/studio/authorizations/new/",
        f"/p/{riverside.slug}/studio/authorizations/{consent.pk}/",
        f"/p/{riverside.slug}/studio/audit/",
        f"/p/{riverside.slug}/studio/posts/{post.pk}/review/",
    ]:
        page.goto(address)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_fits_the_screen(page, 320)
    expect(page.locator("#compliance-panel mark").first).to_have_text("Maria Lopez")

    # The officer reviews but never edits: the override brings her back to the review page.
    page.get_by_label("Override the check").fill("She asked to be thanked by name; form on file.")
    page.get_by_role("button", name="Override and allow publishing").click()
    expect(page.get_by_text("Override recorded")).to_be_visible()
    assert page.url.endswith(f"/studio/posts/{post.pk}/review/")
    expect(page.locator("#compliance-panel")).to_contain_text("Overridden by Helen Marsh")
    assert_fits_the_screen(page, 320)
    console.assert_clean()
