"""A patient asks a private question; staff answer it in public, rephrased; later the
patient finds the answer through the practice's search. And an editor watches the reading
grade of a post change while typing."""

from playwright.sync_api import Page, expect

from bedside.education.models import Question
from bedside.education.services import answer_question
from bedside.practices.models import Role
from bedside.studio.services import publish
from tests.factories import member


def test_a_patient_asks_and_later_finds_the_published_answer_through_search(
    page: Page, console, riverside, sign_in
):
    patient = member(riverside.practice, Role.PATIENT, display_name="Willow")

    sign_in(patient.email)
    page.goto(f"/p/{riverside.slug}/ask/")
    page.get_by_label("Your question").fill(
        "My daughter gets nosebleeds in winter. Is a humidifier worth buying?"
    )
    page.get_by_role("button", name="Send my question").click()
    expect(page.get_by_text("Is a humidifier worth buying?")).to_be_visible()

    question = Question.objects.get(asker=patient)
    answer = answer_question(
        by=riverside.editor,
        question=question,
        question_text="Can a humidifier help a child's winter nosebleeds?",
        title="Humidifiers and winter nosebleeds",
        body="Yes: dry indoor air dries the nose. A cool-mist humidifier at night helps.",
        tags="children, winter",
    )
    publish(by=riverside.editor, post=answer.post)

    page.goto(f"/p/{riverside.slug}/search/")
    page.get_by_label("Search articles and answers").fill("humidifier nosebleeds")
    page.get_by_role("button", name="Search").click()
    results = page.get_by_role("region", name="Results for “humidifier nosebleeds”")
    expect(results).to_be_visible()
    results.get_by_role("link", name="Humidifiers and winter nosebleeds").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Humidifiers and winter nosebleeds")
    expect(page.get_by_text("Can a humidifier help a child's winter nosebleeds?")).to_be_visible()
    expect(page.get_by_text("My daughter gets nosebleeds")).to_have_count(0)
    console.assert_clean()


def test_an_editor_sees_the_reading_grade_change_while_typing(
    page: Page, console, riverside, sign_in
):
    sign_in(riverside.editor.email)
    page.goto(f"/p/{riverside.slug}/studio/posts/new/")
    panel = page.locator("#readability")
    expect(panel).to_contain_text("appears here as you type")

    page.get_by_label("Body").fill(
        "Pharmacological intervention utilizing antihypertensive medications, in conjunction "
        "with comprehensive lifestyle modification, substantially diminishes cardiovascular "
        "morbidity among individuals with established hypertension."
    )
    expect(panel).to_contain_text("above your target of grade 8")
    expect(panel).to_contain_text("high blood pressure")
    hard_grade = float(panel.locator("[data-grade]").inner_text())

    page.get_by_label("Body").fill("Take your pills. Walk each day. Eat less salt.")
    expect(panel).to_contain_text("at or under your target of grade 8")
    assert float(panel.locator("[data-grade]").inner_text()) < hard_grade
    console.assert_clean()
