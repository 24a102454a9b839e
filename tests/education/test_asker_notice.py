import pytest

from bedside.notify.answers import tell_askers
from bedside.notify.models import Notification
from bedside.notify.sweeps import registry
from tests.education.conftest import make_answer

pytestmark = pytest.mark.django_db


def test_the_asker_hears_once_that_their_question_was_answered(practice, patient, editor):
    answer = make_answer(practice, patient, editor)
    assert tell_askers() == 1
    assert tell_askers() == 0
    notice = Notification.objects.get(user=patient)
    assert notice.kind == "question_answered"
    assert notice.url.endswith(f"/ask/#question-{answer.question.pk}")
    answer.question.refresh_from_db()
    assert answer.question.asker_told_at is not None


def test_unanswered_questions_tell_nobody(practice, question):
    assert tell_askers() == 0
    assert not Notification.objects.exists()


def test_the_clock_runs_the_asker_sweep():
    assert "notify.answers.tell_askers" in dict(registry())
