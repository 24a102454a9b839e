import pytest

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.education.models import QuestionStatus
from bedside.education.services import (
    answer_question,
    ask_question,
    close_question,
    decline_publication,
    record_asker_told,
)
from bedside.posts.models import Kind, Status
from bedside.practices.models import Role
from bedside.studio.services import publish
from tests.education.conftest import make_answer
from tests.factories import member

pytestmark = pytest.mark.django_db


def test_a_patient_asks_a_private_question(practice, patient):
    question = ask_question(asker=patient, practice=practice, body="  Is the flu shot safe?  ")
    assert question.body == "Is the flu shot safe?"
    assert question.status == QuestionStatus.NEW


def test_staff_and_strangers_cannot_ask(practice, other_practice, editor):
    with pytest.raises(NotAllowed):
        ask_question(asker=editor, practice=practice, body="Hi?")
    outsider = member(other_practice)
    with pytest.raises(NotAllowed):
        ask_question(asker=outsider, practice=practice, body="Hi?")


def test_an_empty_or_very_long_question_is_refused(practice, patient):
    for body in ("   ", "x" * 2001):
        with pytest.raises(Invalid) as caught:
            ask_question(asker=patient, practice=practice, body=body)
        assert caught.value.field == "body"


def test_answering_makes_a_draft_answer_post_and_marks_the_question(practice, question, editor):
    answer = answer_question(
        by=editor,
        question=question,
        question_text="How long does a flu shot protect you?",
        title="How long a flu shot lasts",
        body="About six months.",
        tags="flu",
    )
    assert answer.post.kind == Kind.ANSWER
    assert answer.post.status == Status.DRAFT
    question.refresh_from_db()
    assert question.status == QuestionStatus.ANSWERED
    assert question.answered_at is not None


def test_a_question_is_answered_or_closed_once(practice, question, editor):
    close_question(by=editor, question=question, note="Please book a visit.")
    with pytest.raises(Conflict):
        answer_question(by=editor, question=question, question_text="q", title="t", body="b")
    with pytest.raises(Conflict):
        close_question(by=editor, question=question)


def test_moderators_and_patients_do_not_answer(practice, question, patient):
    moderator = member(practice, Role.MODERATOR)
    for user in (moderator, patient):
        with pytest.raises(NotAllowed):
            answer_question(by=user, question=question, question_text="q", title="t", body="b")


def test_the_rephrased_question_is_required(practice, question, editor):
    with pytest.raises(Invalid) as caught:
        answer_question(by=editor, question=question, question_text=" ", title="t", body="b")
    assert caught.value.field == "question_text"


def test_only_the_asker_declines_and_only_before_publication(practice, patient, editor):
    answer = make_answer(practice, patient, editor)
    question = answer.question
    assert question is not None
    with pytest.raises(Conflict):
        decline_publication(asker=member(practice), question=question)
    publish(by=editor, post=answer.post)
    with pytest.raises(Conflict, match="already published"):
        decline_publication(asker=patient, question=question)


def test_declining_twice_keeps_the_first_time(practice, patient, question):
    first = decline_publication(asker=patient, question=question).publication_declined_at
    again = decline_publication(asker=patient, question=question).publication_declined_at
    assert first == again is not None


def test_the_asker_is_marked_told_once(practice, patient, editor):
    answer = make_answer(practice, patient, editor)
    assert answer.question is not None
    assert record_asker_told(question=answer.question)
    assert not record_asker_told(question=answer.question)
