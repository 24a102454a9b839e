import pytest
from django.db import IntegrityError, transaction

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.engagement.models import Answer, Attempt, QuestionChoice
from bedside.engagement.queries import leaderboard, quiz_progress, quiz_questions
from bedside.engagement.services import (
    add_question,
    answer_question,
    remove_question,
    show_on_leaderboard,
    update_question,
)
from bedside.posts.models import Kind
from tests.engagement.conftest import draft, make_quiz
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def play(quiz, patient, right: list[bool]):
    """Answer every question in order, right or wrong as told."""
    for question, is_right in zip(quiz_questions(quiz), right, strict=True):
        choice = (
            question.choices.get(is_correct=is_right)
            if is_right
            else (question.choices.filter(is_correct=False).first())
        )
        answer_question(quiz=quiz, patient=patient, question=question, choice_id=choice.pk)


def test_each_answer_is_scored_and_the_last_one_finishes_the_attempt(practice, editor, patient):
    quiz = make_quiz(practice, editor, questions=3)
    questions = quiz_questions(quiz)
    wrong = questions[0].choices.filter(is_correct=False).first()

    answer = answer_question(quiz=quiz, patient=patient, question=questions[0], choice_id=wrong.pk)
    assert not answer.is_correct
    attempt = Attempt.objects.get(quiz=quiz, user=patient)
    assert (attempt.score, attempt.answered, attempt.is_finished) == (0, 1, False)

    for question in questions[1:]:
        right = question.choices.get(is_correct=True)
        assert answer_question(
            quiz=quiz, patient=patient, question=question, choice_id=right.pk
        ).is_correct
    attempt.refresh_from_db()
    quiz.refresh_from_db()
    assert (attempt.score, attempt.answered, attempt.is_finished) == (2, 3, True)
    assert quiz.attempt_count == 1


def test_a_question_is_answered_once_and_the_first_answer_counts(practice, editor, patient):
    quiz = make_quiz(practice, editor, questions=2)
    question = quiz_questions(quiz)[0]
    wrong = question.choices.filter(is_correct=False).first()
    right = question.choices.get(is_correct=True)
    answer_question(quiz=quiz, patient=patient, question=question, choice_id=wrong.pk)

    with pytest.raises(Conflict, match="first answer counts"):
        answer_question(quiz=quiz, patient=patient, question=question, choice_id=right.pk)
    assert Attempt.objects.get(user=patient).score == 0


def test_one_scored_attempt_per_patient(practice, editor, patient):
    quiz = make_quiz(practice, editor, questions=1)
    play(quiz, patient, [True])
    with pytest.raises(Conflict, match="one scored try"):
        play(quiz, patient, [False])
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(quiz=quiz, user=patient)


def test_a_question_has_at_most_one_right_choice_in_the_database(practice, editor):
    quiz = make_quiz(practice, editor, questions=1)
    question = quiz_questions(quiz)[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        QuestionChoice.objects.filter(question=question).update(is_correct=True)


def test_staff_do_not_play_and_drafts_are_not_open(practice, editor, patient):
    quiz = make_quiz(practice, editor, questions=1)
    question = quiz_questions(quiz)[0]
    with pytest.raises(NotAllowed):
        answer_question(
            quiz=quiz, patient=editor, question=question, choice_id=question.choices.first().pk
        )
    draft_quiz = make_quiz(practice, editor, questions=1, publish=False)
    q = quiz_questions(draft_quiz)[0]
    with pytest.raises(Conflict, match="not open"):
        answer_question(
            quiz=draft_quiz, patient=patient, question=q, choice_id=q.choices.first().pk
        )


def test_a_choice_of_another_question_is_invalid(practice, editor, patient):
    quiz = make_quiz(practice, editor, questions=2)
    first, second = quiz_questions(quiz)
    with pytest.raises(Invalid):
        answer_question(
            quiz=quiz, patient=patient, question=first, choice_id=second.choices.first().pk
        )
    assert not Answer.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"prompt": "  "}, "prompt"),
        ({"choices": ["Only", "", ""]}, "choices"),
        ({"choices": ["A", "a", "B"]}, "choices"),
        ({"correct": 2, "choices": ["A", "B", ""]}, "correct"),
        ({"explanation": ""}, "explanation"),
        ({"source_title": ""}, "source_title"),
        ({"source_url": "javascript:alert(1)"}, "source_url"),
        ({"source_url": "ftp://example.org/x"}, "source_url"),
    ],
)
def test_a_question_that_cannot_be_scored_or_sourced_is_refused(practice, editor, overrides, field):
    quiz = make_quiz(practice, editor, questions=0, publish=False)
    with pytest.raises(Invalid) as refused:
        add_question(by=editor, quiz=quiz, draft=draft(**overrides))
    assert refused.value.field == field


def test_blank_choices_are_dropped_and_the_right_one_kept(practice, editor):
    quiz = make_quiz(practice, editor, questions=0, publish=False)
    question = add_question(
        by=editor, quiz=quiz, draft=draft(choices=["Yes", "", "No", ""], correct=2)
    )
    assert [(c.label, c.is_correct) for c in question.choices.all()] == [
        ("Yes", False), ("No", True),
    ]  # fmt: skip
    assert "<strong>updated every year</strong>" in question.explanation_html


def test_an_explanation_links_only_to_an_article_of_the_same_practice(
    practice, other_practice, editor
):
    quiz = make_quiz(practice, editor, questions=0, publish=False)
    ours = PostFactory(practice=practice, kind=Kind.ARTICLE)
    theirs = PostFactory(practice=other_practice, kind=Kind.ARTICLE)
    announcement = PostFactory(practice=practice)
    for wrong in (theirs, announcement):
        with pytest.raises(Invalid) as refused:
            add_question(by=editor, quiz=quiz, draft=draft(article=wrong))
        assert refused.value.field == "article"
    assert add_question(by=editor, quiz=quiz, draft=draft(article=ours)).article == ours


def test_questions_freeze_once_a_patient_has_played(practice, editor, patient):
    quiz = make_quiz(practice, editor, questions=2)
    question = quiz_questions(quiz)[0]
    answer_question(
        quiz=quiz, patient=patient, question=question, choice_id=question.choices.first().pk
    )
    with pytest.raises(Conflict, match="can no longer change"):
        add_question(by=editor, quiz=quiz, draft=draft(9))
    with pytest.raises(Conflict):
        update_question(by=editor, question=question, draft=draft(correct=1))
    with pytest.raises(Conflict):
        remove_question(by=editor, question=question)


def test_the_leaderboard_lists_only_patients_who_opt_in_by_display_name(practice, editor, patients):
    quiz = make_quiz(practice, editor, questions=2)
    play(quiz, patients[0], [True, True])
    play(quiz, patients[1], [True, False])
    play(quiz, patients[2], [True, True])
    with pytest.raises(Conflict, match="Finish the quiz"):
        show_on_leaderboard(quiz=quiz, patient=patients[3], show=True)

    assert leaderboard(quiz, patients[0]) == []
    for person in patients[:3]:
        show_on_leaderboard(quiz=quiz, patient=person, show=True)
    show_on_leaderboard(quiz=quiz, patient=patients[2], show=False)

    board = leaderboard(quiz, patients[1])
    assert [(r.rank, r.display_name, r.score, r.is_viewer) for r in board] == [
        (1, "Patient 0", 2, False),
        (2, "Patient 1", 1, True),
    ]


def test_ties_share_a_rank(practice, editor, patients):
    quiz = make_quiz(practice, editor, questions=1)
    for person in patients[:3]:
        play(quiz, person, [person != patients[2]])
        show_on_leaderboard(quiz=quiz, patient=person, show=True)
    assert [r.rank for r in leaderboard(quiz, patients[0])] == [1, 1, 3]


def test_progress_shows_the_viewers_answers_only(practice, editor, patients):
    quiz = make_quiz(practice, editor, questions=2)
    play(quiz, patients[0], [True, False])
    mine = quiz_progress(quiz, patients[0])
    assert mine.is_finished and len(mine.answers) == 2
    assert quiz_progress(quiz, patients[1]).attempt is None
