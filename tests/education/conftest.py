from datetime import date

import pytest

from bedside.education.models import Answer, Article, Question
from bedside.education.services import (
    ArticleText,
    CitationInput,
    answer_question,
    ask_question,
    create_article,
    sign_off_review,
)
from bedside.practices.models import Practice, Role, User
from tests.factories import member

CDC = CitationInput(
    url="https://www.cdc.gov/flu/prevent/flushot.htm",
    title="Key facts about seasonal flu vaccine",
    publisher="CDC",
    accessed_on=date(2026, 9, 1),
)
BLOG = CitationInput(
    url="https://healthy-blog.example.com/flu",
    title="My flu story",
    publisher="A blog",
    accessed_on=date(2026, 9, 1),
)


def article_text(**overrides: str) -> ArticleText:
    fields = {
        "title": "Why a flu shot every year",
        "summary": "Flu viruses change, and protection fades: a yearly shot keeps up.",
        "body": "The flu shot is safe. Get it every fall.",
        "tags": "flu, vaccines",
    }
    fields.update(overrides)
    return ArticleText(**fields)


def make_article(
    practice: Practice,
    by: User,
    *,
    citations: tuple[CitationInput, ...] = (CDC,),
    **overrides: str,
) -> Article:
    return create_article(
        by=by, practice=practice, text=article_text(**overrides), citations=citations
    )


def reviewed_article(practice: Practice, clinician: User, **overrides: str) -> Article:
    article = make_article(practice, clinician, **overrides)
    return sign_off_review(by=clinician, article=article)


def make_answer(practice: Practice, patient: User, staff: User, **overrides: str) -> Answer:
    question = ask_question(
        asker=patient, practice=practice, body="Is it OK to take ibuprofen with my flu shot?"
    )
    fields = {
        "question_text": "Can I take a pain reliever after a flu shot?",
        "title": "Pain relievers after a flu shot",
        "body": "Yes: ibuprofen or acetaminophen is fine for a sore arm.",
    }
    fields.update(overrides)
    return answer_question(by=staff, question=question, **fields)


@pytest.fixture
def clinician(practice: Practice) -> User:
    return member(
        practice, Role.CLINICIAN, display_name="Dr. Ana Patel", user__full_name="Dr. Ana Patel"
    )


@pytest.fixture
def editor(practice: Practice) -> User:
    return member(practice, Role.EDITOR, display_name="News desk")


@pytest.fixture
def admin(practice: Practice) -> User:
    return member(practice, Role.ADMIN)


@pytest.fixture
def patient(practice: Practice) -> User:
    return member(practice, display_name="Sam")


@pytest.fixture
def question(practice: Practice, patient: User) -> Question:
    return ask_question(asker=patient, practice=practice, body="How long does a flu shot last?")
