import re
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.engagement.models import Ballot, Poll, PollStyle, Quiz, ResultsShown
from bedside.engagement.queries import quiz_questions
from bedside.engagement.ratelimit import Limit
from bedside.engagement.services import close_poll, vote
from bedside.posts.models import Kind, Status
from bedside.posts.services import add_comment
from tests.engagement.conftest import draft, make_poll, make_quiz
from tests.factories import member

pytestmark = pytest.mark.django_db


def poll_url(poll: Poll) -> str:
    return reverse("poll_detail", kwargs={"slug": poll.practice.slug, "post_id": poll.post_id})


def quiz_url(quiz: Quiz) -> str:
    return reverse("quiz_detail", kwargs={"slug": quiz.practice.slug, "post_id": quiz.post_id})


def test_the_post_links_to_the_poll_and_quiz_pages(practice, editor):
    poll = make_poll(practice, editor)
    quiz = make_quiz(practice, editor)
    assert poll.post.get_absolute_url() == f"/p/{practice.slug}/polls/{poll.post_id}/"
    assert quiz.post.get_absolute_url() == f"/p/{practice.slug}/quizzes/{quiz.post_id}/"


def test_a_patient_votes_and_sees_results_as_meters_with_numbers(client, practice, editor, patient):
    poll = make_poll(practice, editor)
    client.force_login(patient)
    page = client.get(poll_url(poll)).content.decode()
    assert 'type="radio"' in page and "<legend" in page and "<meter" not in page

    wednesday = poll.choices.get(label="Wednesday")
    response = client.post(
        reverse("poll_vote", args=[practice.slug, poll.post_id]), {"choices": wednesday.pk}
    )
    assert response.status_code == 302
    page = client.get(poll_url(poll)).content.decode()
    assert "Thank you for voting!" in page
    assert re.search(r'<meter min="0" max="1" value="1"[^>]*>1 of 1</meter>', page)
    assert "1 vote, 100%" in page and "Wednesday (your vote)" in page
    assert "style=" not in page


def test_a_second_vote_gets_a_polite_409_page(client, practice, editor, patient):
    poll = make_poll(practice, editor)
    ids = list(poll.choices.values_list("pk", flat=True))
    vote(poll=poll, patient=patient, choice_ids=ids[:1])
    client.force_login(patient)
    response = client.post(
        reverse("poll_vote", args=[practice.slug, poll.post_id]), {"choices": ids[1]}
    )
    assert response.status_code == 409
    assert "You have voted in this poll already" in response.content.decode()
    assert Ballot.objects.count() == 1


def test_voting_on_a_closed_poll_is_refused(client, practice, editor, patient):
    poll = make_poll(practice, editor)
    close_poll(by=editor, poll=poll)
    client.force_login(patient)
    response = client.post(
        reverse("poll_vote", args=[practice.slug, poll.post_id]),
        {"choices": poll.choices.first().pk},
    )
    assert response.status_code == 409
    assert "closed" in response.content.decode()


def test_no_choice_re_renders_the_form_with_the_error(client, practice, editor, patient):
    poll = make_poll(practice, editor)
    client.force_login(patient)
    response = client.post(reverse("poll_vote", args=[practice.slug, poll.post_id]), {})
    assert response.status_code == 422
    assert "Choose an answer before you vote." in response.content.decode()


def test_results_after_closing_are_hidden_from_a_voter(client, practice, editor, patient):
    poll = make_poll(practice, editor, results_shown=ResultsShown.AFTER_CLOSING)
    vote(poll=poll, patient=patient, choice_ids=[poll.choices.first().pk])
    client.force_login(patient)
    page = client.get(poll_url(poll)).content.decode()
    assert "your vote is counted" in page and "<meter" not in page
    assert "shown when the poll closes" in page


def test_a_visitor_is_invited_to_join_and_a_stranger_cannot_see_a_patients_only_poll(
    client, practice, other_practice, editor
):
    poll = make_poll(practice, editor)
    page = client.get(poll_url(poll)).content.decode()
    assert "Sign in</a> to vote" in page
    poll.post.visibility = "patients"
    poll.post.save()
    client.force_login(member(other_practice))
    assert client.get(poll_url(poll)).status_code == 404


def test_an_open_question_shows_answers_from_the_comments(client, practice, editor, patient):
    poll = make_poll(practice, editor, style=PollStyle.OPINION, choices=[])
    add_comment(user=patient, post=poll.post, body="Evenings after **6 pm**, please.")
    client.force_login(patient)
    page = client.get(poll_url(poll)).content.decode()
    assert "<strong>6 pm</strong>" in page and "Post your answer" in page
    assert reverse("post_comment", args=[practice.slug, poll.post_id]) in page


def test_a_patient_plays_a_quiz_with_feedback_and_a_score(client, practice, editor, patient):
    article = make_article(practice, editor)
    quiz = make_quiz(practice, editor, questions=0, publish=False)
    from bedside.engagement.services import add_question
    from bedside.posts.services import publish_post

    add_question(by=editor, quiz=quiz, draft=draft(1, article=article))
    add_question(by=editor, quiz=quiz, draft=draft(2))
    publish_post(by=editor, post=quiz.post)
    first, second = quiz_questions(quiz)
    client.force_login(patient)

    page = client.get(quiz_url(quiz)).content.decode()
    assert "Question 1 of 2" in page and first.prompt in page
    wrong = first.choices.filter(is_correct=False).first()
    response = client.post(
        reverse("quiz_answer", args=[practice.slug, quiz.post_id, first.pk]), {"choice": wrong.pk}
    )
    assert response.status_code == 302
    assert response["Location"].endswith(f"?answered={first.pk}#feedback")
    page = client.get(response["Location"]).content.decode()
    assert "Not quite." in page and "The right answer is “Every year”" in page
    assert "CDC: Key facts about seasonal flu vaccine" in page
    assert article.get_absolute_url() in page and "Next question" in page

    page = client.get(quiz_url(quiz)).content.decode()
    assert "Question 2 of 2" in page
    right = second.choices.get(is_correct=True)
    response = client.post(
        reverse("quiz_answer", args=[practice.slug, quiz.post_id, second.pk]), {"choice": right.pk}
    )
    page = client.get(response["Location"]).content.decode()
    assert "Right!" in page and "See your score" in page
    page = client.get(quiz_url(quiz)).content.decode()
    assert '<p class="quiz-score">1 of 2</p>' in page
    assert "Show my name and score on the leaderboard" in page

    response = client.post(
        reverse("quiz_leaderboard", args=[practice.slug, quiz.post_id]), {"show": "yes"}
    )
    page = client.get(quiz_url(quiz)).content.decode()
    assert "Sam (you)" in page and "Take me off the leaderboard" in page


def test_answering_a_question_twice_is_refused_with_409(client, practice, editor, patient):
    quiz = make_quiz(practice, editor, questions=2)
    question = quiz_questions(quiz)[0]
    client.force_login(patient)
    url = reverse("quiz_answer", args=[practice.slug, quiz.post_id, question.pk])
    client.post(url, {"choice": question.choices.first().pk})
    response = client.post(url, {"choice": question.choices.last().pk})
    assert response.status_code == 409
    assert "first answer counts" in response.content.decode()


@pytest.fixture
def one_window(monkeypatch):
    """Hold the clock the counters read inside one window: a test that crossed a minute
    boundary between two tries would see its count start again and fail by chance."""
    frozen = SimpleNamespace(time=lambda: 1_800_000_000.0)
    monkeypatch.setattr("bedside.core.ratelimit.time", frozen)


def test_votes_are_rate_limited_per_patient_with_a_429_page(
    client, practice, editor, patients, monkeypatch, one_window
):
    monkeypatch.setattr("bedside.engagement.views.VOTE_LIMIT", Limit(count=2, seconds=60))
    polls = [make_poll(practice, editor) for _ in range(3)]

    def post_vote(poll):
        url = reverse("poll_vote", args=[practice.slug, poll.post_id])
        return client.post(url, {"choices": poll.choices.first().pk})

    client.force_login(patients[0])
    assert [post_vote(p).status_code for p in polls] == [302, 302, 429]
    assert "wait a minute" in post_vote(polls[2]).content.decode()
    assert Ballot.objects.filter(user=patients[0]).count() == 2
    client.force_login(patients[1])  # someone else is not slowed down by it
    assert post_vote(polls[2]).status_code == 302


def test_quiz_answers_are_rate_limited(client, practice, editor, patient, monkeypatch, one_window):
    monkeypatch.setattr("bedside.engagement.views.ANSWER_LIMIT", Limit(count=2, seconds=60))
    quiz = make_quiz(practice, editor, questions=3)
    client.force_login(patient)
    codes = [
        client.post(
            reverse("quiz_answer", args=[practice.slug, quiz.post_id, q.pk]),
            {"choice": q.choices.first().pk},
        ).status_code
        for q in quiz_questions(quiz)
    ]
    assert codes == [302, 302, 429]


def make_article(practice, editor):
    from tests.factories import PostFactory

    return PostFactory(practice=practice, author=editor, kind=Kind.ARTICLE, title="Flu shots")


# --- studio ------------------------------------------------------------------------------


def test_staff_build_a_poll_in_the_studio_and_land_on_the_publish_page(client, practice, editor):
    client.force_login(editor)
    url = reverse("studio_poll_new", args=[practice.slug])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "title": "Which evening?", "topic": "non_medical", "visibility": "public",
            "body": "Help us plan.", "style": "choice", "choices": "Tuesday\n\nThursday\n",
            "closes_at": "2099-05-14T18:30", "results_shown": "after_voting",
        },
    )  # fmt: skip
    poll = Poll.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("studio_post_edit", args=[practice.slug, poll.post_id])
    assert poll.post.kind == Kind.POLL and poll.post.status == Status.DRAFT
    assert list(poll.choices.values_list("label", flat=True)) == ["Tuesday", "Thursday"]


def test_a_poll_form_error_is_shown_next_to_the_field_with_what_was_typed(client, practice, editor):
    client.force_login(editor)
    response = client.post(
        reverse("studio_poll_new", args=[practice.slug]),
        {
            "title": "Which evening?", "topic": "non_medical", "visibility": "public",
            "body": "Help us plan.", "style": "choice", "choices": "Only Tuesday",
            "closes_at": "2099-05-14T18:30", "results_shown": "after_voting",
        },
    )  # fmt: skip
    page = response.content.decode()
    assert response.status_code == 422
    assert "Give 2 to 10 choices" in page and "Only Tuesday" in page
    assert not Poll.objects.exists()


def test_staff_build_a_quiz_and_its_questions(client, practice, editor):
    client.force_login(editor)
    response = client.post(
        reverse("studio_quiz_new", args=[practice.slug]),
        {"title": "Flu facts", "topic": "medical", "visibility": "public", "body": "Try it!",
         "has_leaderboard": "on"},
    )  # fmt: skip
    quiz = Quiz.objects.get()
    assert response["Location"] == reverse(
        "studio_question_new", args=[practice.slug, quiz.post_id]
    )
    response = client.post(
        response["Location"],
        {
            "prompt": "How often?", "choice_1": "Every year", "choice_2": "Never",
            "correct": "1", "explanation": "It changes.", "source_title": "CDC",
            "source_url": "https://www.cdc.gov/flu/", "action": "save",
        },
    )  # fmt: skip
    assert response["Location"] == reverse("studio_quiz_edit", args=[practice.slug, quiz.post_id])
    page = client.get(response["Location"]).content.decode()
    assert "How often?" in page and "Every year (right answer)" in page


def test_studio_pages_are_404_for_patients(client, practice, editor, patient):
    poll = make_poll(practice, editor)
    client.force_login(patient)
    for name, args in [
        ("studio_poll_new", [practice.slug]),
        ("studio_poll_edit", [practice.slug, poll.post_id]),
        ("studio_quiz_new", [practice.slug]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404


# --- constant queries ----------------------------------------------------------------------


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_poll_page_costs_the_same_with_many_voters(client, practice, editor):
    small = make_poll(practice, editor)
    large = make_poll(practice, editor)
    for poll, voters in ((small, 3), (large, 30)):
        for _ in range(voters):
            vote(poll=poll, patient=member(practice), choice_ids=[poll.choices.first().pk])
    viewer = member(practice)
    client.force_login(viewer)
    assert count_queries(client, poll_url(small)) == count_queries(client, poll_url(large))


def test_the_finished_quiz_page_costs_the_same_with_more_questions_and_players(
    client, practice, editor, patients
):
    from bedside.engagement.services import answer_question, show_on_leaderboard

    def finished(questions: int, players: int) -> Quiz:
        quiz = make_quiz(practice, editor, questions=questions)
        for person in [*patients, *(member(practice) for _ in range(players))]:
            for question in quiz_questions(quiz):
                answer_question(
                    quiz=quiz, patient=person, question=question,
                    choice_id=question.choices.get(is_correct=True).pk,
                )  # fmt: skip
            show_on_leaderboard(quiz=quiz, patient=person, show=True)
        return quiz

    small, large = finished(2, 0), finished(12, 8)
    client.force_login(patients[0])
    assert count_queries(client, quiz_url(small)) == count_queries(client, quiz_url(large))
