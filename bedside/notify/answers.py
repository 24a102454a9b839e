"""Patients who asked a question hear that it was answered: a sweep the clock runs.

Education sits below notify, so answering a question only records ``answered_at``; this
sweep finds askers not yet told (``asker_told_at`` is empty, a partial index keeps the
scan small) and tells them through ``notify_users``, idempotent by key, then records it.
The notice leads to the ask page, where the asker may still decline publication.
"""

from django.urls import reverse

from bedside.education.models import Question, QuestionStatus
from bedside.education.services import record_asker_told
from bedside.notify.services import notify_users

ANSWERED_KIND = "question_answered"
BATCH = 500


def answered_key(question: Question) -> str:
    return f"question:{question.pk}:answered"


def tell_askers() -> int:
    """Tell each asker once that their question has an answer. Returns how many were told."""
    waiting = list(
        Question.objects.filter(
            status=QuestionStatus.ANSWERED, answered_at__isnull=False, asker_told_at__isnull=True
        )
        .select_related("asker", "practice")
        .order_by("answered_at", "id")[:BATCH]
    )
    told = 0
    for question in waiting:
        url = reverse("ask_question", kwargs={"slug": question.practice.slug})
        told += notify_users(
            users=[question.asker],
            practice=question.practice,
            kind=ANSWERED_KIND,
            title=f"{question.practice.name} answered your question",
            body=(
                "We will publish the answer with your question rephrased and nothing that "
                "identifies you. If you would rather we didn't, say so on this page before "
                "it is published."
            ),
            url=f"{url}#question-{question.pk}",
            key=answered_key(question),
        )
        record_asker_told(question=question)
    return told
