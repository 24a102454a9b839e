"""A patient votes in a poll and sees the results, then plays a quiz, reads the feedback
after each answer, sees their score and joins the leaderboard."""

from datetime import timedelta

from django.utils import timezone
from playwright.sync_api import Page, expect

from bedside.engagement.services import (
    PollDetails,
    PostText,
    QuestionDraft,
    add_question,
    create_poll,
    create_quiz,
)
from bedside.posts.services import publish_post
from bedside.practices.models import Role
from tests.factories import member


def _poll(riverside):
    poll = create_poll(
        by=riverside.editor,
        practice=riverside.practice,
        text=PostText(
            topic="non_medical", title="When should we open late?",
            body="Help us plan **evening hours**.", visibility="public",
        ),
        details=PollDetails(
            closes_at=timezone.now() + timedelta(days=5),
            choices=["Tuesday evening", "Thursday evening", "Saturday morning"],
        ),
    )  # fmt: skip
    publish_post(by=riverside.editor, post=poll.post)
    return poll


def _quiz(riverside):
    quiz = create_quiz(
        by=riverside.editor,
        practice=riverside.practice,
        text=PostText(
            topic="medical", title="Flu facts quiz", body="Two quick questions.",
            visibility="public",
        ),
    )  # fmt: skip
    for prompt, choices, correct, why in (
        ("How often should adults get a flu shot?", ["Every year", "Only once"], 0,
         "The vaccine is updated every year."),
        ("Can the flu shot give you the flu?", ["Yes", "No"], 1,
         "The shot holds no live virus."),
    ):  # fmt: skip
        add_question(
            by=riverside.editor,
            quiz=quiz,
            draft=QuestionDraft(
                prompt=prompt, choices=choices, correct=correct, explanation=why,
                source_title="CDC: Key facts about seasonal flu vaccine",
                source_url="https://www.cdc.gov/flu/vaccines/keyfacts.html",
            ),
        )  # fmt: skip
    publish_post(by=riverside.editor, post=quiz.post)
    return quiz


def test_a_patient_votes_and_sees_results_then_plays_a_quiz_and_sees_their_score(
    page: Page, console, riverside, sign_in
):
    poll = _poll(riverside)
    quiz = _quiz(riverside)
    patient = member(riverside.practice, Role.PATIENT, display_name="Maple")
    sign_in(patient.email)

    page.goto(poll.post.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("When should we open late?")
    expect(page.get_by_text("Results are shown once you have voted.")).to_be_visible()
    page.get_by_role("radio", name="Thursday evening").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Thank you for voting!")).to_be_visible()
    results = page.locator("#poll-results")
    expect(results).to_contain_text("1 person has voted")
    expect(results.get_by_role("meter", name="Thursday evening (your vote)")).to_have_attribute(
        "value", "1"
    )
    expect(results).to_contain_text("1 vote, 100%")
    expect(page.get_by_role("button", name="Vote")).to_have_count(0)

    page.goto(quiz.post.get_absolute_url())
    expect(page.get_by_text("Question 1 of 2")).to_be_visible()
    page.get_by_role("radio", name="Only once").check()
    page.get_by_role("button", name="Answer").click()
    feedback = page.locator("#feedback")
    expect(feedback).to_contain_text("Not quite.")
    expect(feedback).to_contain_text("The right answer is “Every year”.")
    expect(
        feedback.get_by_role("link", name="CDC: Key facts about seasonal flu vaccine")
    ).to_be_visible()
    page.get_by_role("link", name="Next question").click()

    expect(page.get_by_text("Question 2 of 2")).to_be_visible()
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Answer").click()
    expect(page.locator("#feedback")).to_contain_text("Right!")
    page.get_by_role("link", name="See your score").click()
    expect(page.locator(".quiz-score")).to_have_text("1 of 2")

    page.get_by_role("button", name="Show my name and score on the leaderboard").click()
    board = page.get_by_role("table")
    expect(board.get_by_role("row", name="Maple (you)")).to_contain_text("1 of 2")
    console.assert_clean()
