from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from bedside.engagement.models import Poll, Quiz
from bedside.engagement.services import (
    PollDetails,
    PostText,
    QuestionDraft,
    add_question,
    create_poll,
    create_quiz,
)
from bedside.posts.services import publish_post
from bedside.practices.models import Practice, Role, User
from tests.factories import member


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


def later(days: int = 3) -> datetime:
    return timezone.now() + timedelta(days=days)


def text(**overrides: str) -> PostText:
    fields = {
        "topic": "non_medical",
        "title": "Which evening hours suit you?",
        "body": "Help us plan **late opening**.",
        "visibility": "public",
    }
    fields.update(overrides)
    return PostText(**fields)


def make_poll(practice: Practice, by: User, *, publish: bool = True, **overrides: object) -> Poll:
    fields: dict[str, object] = {
        "closes_at": later(),
        "choices": ["Tuesday", "Wednesday", "Thursday"],
    }
    fields.update(overrides)
    poll = create_poll(
        by=by,
        practice=practice,
        text=text(),
        details=PollDetails(**fields),  # type: ignore[arg-type]
    )
    if publish:
        publish_post(by=by, post=poll.post)
    return poll


def draft(n: int = 1, **overrides: object) -> QuestionDraft:
    fields: dict[str, object] = {
        "prompt": f"Question {n}: how often should adults get a flu shot?",
        "choices": ["Every year", "Every five years", "Once in a lifetime"],
        "correct": 0,
        "explanation": "Flu viruses change, so the vaccine is **updated every year**.",
        "source_title": "CDC: Key facts about seasonal flu vaccine",
        "source_url": "https://www.cdc.gov/flu/vaccines/keyfacts.html",
    }
    fields.update(overrides)
    return QuestionDraft(**fields)  # type: ignore[arg-type]


def make_quiz(practice: Practice, by: User, *, questions: int = 3, publish: bool = True) -> Quiz:
    quiz = create_quiz(by=by, practice=practice, text=text(title="Flu facts quiz"))
    for n in range(questions):
        add_question(by=by, quiz=quiz, draft=draft(n + 1))
    if publish:
        publish_post(by=by, post=quiz.post)
    return quiz


@pytest.fixture
def editor(practice: Practice) -> User:
    return member(practice, Role.EDITOR, display_name="News desk")


@pytest.fixture
def patient(practice: Practice) -> User:
    return member(practice, display_name="Sam")


@pytest.fixture
def patients(practice: Practice) -> list[User]:
    return [member(practice, display_name=f"Patient {i}") for i in range(5)]
