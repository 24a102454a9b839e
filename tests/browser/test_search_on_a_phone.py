"""On a 320 px phone, search results and the readability panel fit the screen."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

from bedside.education.models import Question
from bedside.education.services import answer_question, ask_question
from bedside.practices.models import Role
from bedside.studio.services import publish
from tests.browser.test_mobile_layout import assert_fits_the_screen
from tests.factories import member

# Words longer than a phone is wide (a pasted reference number, a chemical name).
LONG_WORD = "pneumonoultramicroscopicsilicovolcanoconiosis" * 2


@pytest.fixture
def context_options() -> dict[str, Any]:
    return {
        "viewport": {"width": 320, "height": 640},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    }


def test_search_results_and_the_readability_panel_fit_a_320_px_screen(
    page: Page, console, riverside, sign_in
):
    patient = member(riverside.practice, Role.PATIENT)
    ask_question(asker=patient, practice=riverside.practice, body="Sunscreen for babies?")
    answer = answer_question(
        by=riverside.editor,
        question=Question.objects.get(asker=patient),
        question_text="Which sunscreen is safe for a baby?",
        title="Sunscreen for babies",
        body=f"Shade first; sunscreen from six months. Read more at {LONG_WORD} about sunscreen.",
        tags="children, summer-safety-for-the-whole-family",
    )
    publish(by=riverside.editor, post=answer.post)

    page.goto(f"/p/{riverside.slug}/search/?q=sunscreen")
    expect(page.get_by_role("link", name="Sunscreen for babies")).to_be_visible()
    assert_fits_the_screen(page, 320)

    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/posts/new/")
    page.get_by_label("Body").fill(
        "Notwithstanding contemporaneous pharmacological recommendations, "
        f"photoprotective interventions {LONG_WORD} remain indispensable for erythema prevention."
    )
    expect(page.locator("#readability")).to_contain_text("above your target")
    assert_fits_the_screen(page, 320)
    console.assert_clean()
