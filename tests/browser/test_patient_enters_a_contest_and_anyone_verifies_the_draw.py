"""A patient enters a contest and a second entry is refused; after it closes staff draw,
and a visitor who is not signed in checks the draw on the verification page, including
that a changed seed is caught."""

from datetime import timedelta

import time_machine
from playwright.sync_api import Page, expect

from bedside.engagement.contests.models import Contest
from bedside.engagement.contests.services import enter_contest
from bedside.practices.models import Role
from tests.engagement.contests.conftest import make_contest
from tests.factories import member


def _sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def test_a_patient_enters_staff_draw_after_closing_and_anyone_verifies(
    page: Page, console, riverside, sign_in
):
    contest = make_contest(riverside.practice, riverside.editor)
    patient = member(riverside.practice, Role.PATIENT, display_name="Maple")
    others = [member(riverside.practice, Role.PATIENT) for _ in range(3)]
    url = contest.post.get_absolute_url()

    sign_in(patient.email)
    page.goto(url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Win a picnic basket")
    page.get_by_label("If I win, show my display name with the results").check()
    page.get_by_label("I meet the eligibility rules").check()
    page.get_by_role("button", name="Enter the contest").click()
    expect(page.locator(".messages")).to_contain_text("You're in! Your entry number is")
    expect(page.locator("#entry-state")).to_contain_text("Your entry number:")
    # The form is gone; a second entry sent anyway (an old tab, a double click) is refused.
    expect(page.get_by_role("button", name="Enter the contest")).to_have_count(0)
    response = page.request.post(
        f"{url}enter/",
        form={
            "eligible": "on",
            "csrfmiddlewaretoken": next(
                c["value"] for c in page.context.cookies() if c["name"] == "csrftoken"
            ),
        },
        headers={"Referer": page.url},
    )
    assert response.status == 409
    assert "already entered this contest" in response.text()
    page.get_by_role("link", name="Official rules").click()
    expect(page.locator("#commitment")).to_have_text(contest.seed_commitment)
    _sign_out(page)

    for other in others:
        enter_contest(user=other, contest=contest)

    with time_machine.travel(contest.closes_at + timedelta(minutes=5), tick=True):
        sign_in(riverside.editor.email)
        page.goto(f"/p/{riverside.slug}/studio/contests/{contest.post_id}/edit/")
        expect(page.locator("#entry-count")).to_contain_text("4 entries")
        page.get_by_role("button", name="Draw the winners").click()
        expect(page.locator(".messages")).to_contain_text("Drawn.")
        expect(page.get_by_role("button", name="Draw the winners")).to_have_count(0)
        _sign_out(page)

        drawn = Contest.objects.get(pk=contest.pk)
        page.goto(url)
        page.get_by_role("link", name="Verify the draw").click()
        expect(page.locator("#verdict")).to_contain_text("Verified.")
        expect(page.locator("#seed")).to_have_text(drawn.seed_hex)
        flipped = ("1" if drawn.seed_hex[0] == "0" else "0") + drawn.seed_hex[1:]
        page.get_by_label("Seed (hexadecimal)").fill(flipped)
        page.get_by_role("button", name="Recompute the draw").click()
        expect(page.locator("#verdict")).to_contain_text("Does not verify.")
        expect(page.locator("#verdict")).to_contain_text("does not match the commitment")
        # Long hexadecimal seeds and digests wrap on a phone instead of widening the page.
        page.set_viewport_size({"width": 320, "height": 800})
        for path in ("verify/", "rules/", "entries/", ""):
            page.goto(f"{url}{path}")
            assert page.evaluate("document.documentElement.scrollWidth") <= 320, path
    console.assert_clean()
