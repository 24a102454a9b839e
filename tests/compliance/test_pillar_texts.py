"""The guard reads the public texts of a post's pillar row too (an article's summary, a quiz's
choices, …): a patient named there stops the post, the finding says in which field, an
override or approval of the old words no longer counts once they change, and a new text
field on a pillar model cannot slip past unread."""

from collections.abc import Callable
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.db import models
from django.utils import timezone

from bedside.compliance import guard, texts
from bedside.compliance.queries import panel_for
from bedside.compliance.services import override_identifiers
from bedside.core.errors import Invalid
from bedside.education.models import Answer, Article
from bedside.education.services import ArticleText, CitationInput, create_article
from bedside.engagement.contests.services import ContestRules, create_contest
from bedside.engagement.contests.services import PostText as ContestText
from bedside.engagement.models import PollChoice, QuestionChoice
from bedside.engagement.services import (
    PollDetails,
    PostText,
    QuestionDraft,
    add_question,
    create_poll,
    create_quiz,
)
from bedside.events.models import Event
from bedside.events.services import EventDetails, create_event
from bedside.events.services import PostText as EventText
from bedside.posts.models import Kind, Post
from bedside.practices.models import Practice, Role, User
from bedside.studio.approvals import fingerprint as approval_fingerprint
from tests.factories import PostFactory, member

pytestmark = pytest.mark.django_db

NAMING = "Our patient Maria Lopez came back to thank the team"
ZONE = "America/New_York"
PILLAR_APPS = ("education", "events", "engagement", "contests")


def _wall(days: float, hour: int = 18) -> datetime:
    local = (timezone.now() + timedelta(days=days)).astimezone(ZoneInfo(ZONE))
    return local.replace(tzinfo=None, hour=hour, minute=0, second=0, microsecond=0)


def _article(practice: Practice, by: User) -> Post:
    article = create_article(
        by=by,
        practice=practice,
        text=ArticleText(title="Colds", summary="How colds spread.", body="Wash your hands."),
        citations=[
            CitationInput(
                url="https://www.cdc.gov/clean-hands/about/index.html",
                title="About Handwashing",
                publisher="CDC",
                accessed_on=date(2025, 1, 5),
            )
        ],
    )
    Article.objects.filter(pk=article.pk).update(summary=NAMING)
    return Post.objects.get(pk=article.post_id)


def _answer(practice: Practice, by: User) -> Post:
    post = PostFactory(practice=practice, author=by, kind=Kind.ANSWER, title="Your question")
    Answer.objects.create(post=post, practice=practice, question_text=NAMING)
    return post


def _event(practice: Practice, by: User) -> Post:
    event = create_event(
        by=by,
        practice=practice,
        text=EventText(topic="medical", title="Flu clinic", body="Walk in.", visibility="public"),
        details=EventDetails(
            starts_at=_wall(3), ends_at=_wall(3, hour=20), time_zone=ZONE, address="Main hall"
        ),
    )
    Event.objects.filter(pk=event.pk).update(address=NAMING)
    return event.post


def _poll(practice: Practice, by: User) -> Post:
    poll = create_poll(
        by=by,
        practice=practice,
        text=PostText(topic="non_medical", title="Hours?", body="Help us.", visibility="public"),
        details=PollDetails(
            closes_at=timezone.now() + timedelta(days=3), choices=["Tuesday", "Thursday"]
        ),
    )
    PollChoice.objects.filter(poll=poll, position__gt=0).update(label=NAMING)
    return poll.post


def _quiz(practice: Practice, by: User, *, questions: int = 1) -> Post:
    quiz = create_quiz(
        by=by,
        practice=practice,
        text=PostText(topic="medical", title="Flu quiz", body="Test it.", visibility="public"),
    )
    for number in range(questions):
        add_question(
            by=by,
            quiz=quiz,
            draft=QuestionDraft(
                prompt=f"How often should adults get a flu shot? ({number})",
                choices=["Every year", "Once in a lifetime"],
                correct=0,
                explanation="The vaccine is updated every year.",
                source_title="CDC: Key facts about seasonal flu vaccine",
                source_url="https://www.cdc.gov/flu/vaccines/keyfacts.html",
            ),
        )
    QuestionChoice.objects.filter(question__quiz=quiz, is_correct=False).update(label=NAMING)
    return quiz.post


def _contest(practice: Practice, by: User) -> Post:
    contest = create_contest(
        by=by,
        practice=practice,
        text=ContestText(title="Win a basket", body="Enter now.", visibility="public"),
        rules=ContestRules(
            sponsor=practice.name,
            min_age=18,
            region="Residents of Oregon, USA",
            opens_at=_wall(1),
            closes_at=_wall(7),
            draw_by=_wall(8),
            time_zone=ZONE,
            entry_type="simple",
            prize="A picnic basket",
            prize_value=Decimal("75.00"),
            winners_count=1,
            alternates_count=1,
        ),
    )
    type(contest).objects.filter(pk=contest.pk).update(prize=f"{NAMING} with a basket")
    return contest.post


BUILDERS: dict[str, tuple[Callable[[Practice, User], Post], str]] = {
    "article": (_article, "summary"),
    "answer": (_answer, "question text"),
    "event": (_event, "address"),
    "poll": (_poll, "choice 2"),
    "quiz": (_quiz, "question 1 choice 2"),
    "contest": (_contest, "prize"),
}


@pytest.fixture
def owner(practice):
    return member(practice, Role.OWNER)


@pytest.mark.parametrize("kind", sorted(BUILDERS))
def test_a_patient_named_in_the_pillar_row_stops_the_post_and_says_where(
    kind, practice, owner, officer
):
    build, where = BUILDERS[kind]
    post = Post.objects.get(pk=build(practice, owner).pk)
    findings = guard.findings_for(post)
    assert [(f.where, f.text) for f in findings] == [(where, "Maria Lopez")]
    with pytest.raises(Invalid):
        guard.check_publishable(post)
    # The panel names the field the finding is in, and an override clears it …
    assert [p.where for p in panel_for(post).passages] == [where]
    override_identifiers(by=officer, post=post, reason="Consent on paper, scanned tomorrow.")
    guard.check_publishable(Post.objects.get(pk=post.pk))


def test_an_override_and_an_approval_of_old_words_lapse_when_the_summary_changes(
    practice, owner, officer
):
    post = _article(practice, owner)
    override_identifiers(by=officer, post=post, reason="Consent on paper, scanned tomorrow.")
    post = Post.objects.get(pk=post.pk)
    guard.check_publishable(post)
    approved = approval_fingerprint(post)
    Article.objects.filter(post=post).update(summary=f"{NAMING} again.")
    post = Post.objects.get(pk=post.pk)
    assert approval_fingerprint(post) != approved
    with pytest.raises(Invalid):
        guard.check_publishable(post)


def test_a_plain_post_keeps_the_fingerprints_it_had(practice, owner):
    post = PostFactory(practice=practice, author=owner, body="Flu shots are in.")
    assert texts.texts_of(post) == []
    assert guard.fingerprint(post) == guard.fingerprint(post, pillar=[])


@pytest.mark.parametrize("questions", [1, 8])
def test_the_panel_of_a_quiz_costs_the_same_queries_whatever_its_length(
    practice, owner, questions, django_assert_max_num_queries
):
    post = Post.objects.select_related("practice").get(
        pk=_quiz(practice, owner, questions=questions).pk
    )
    with django_assert_max_num_queries(9):
        panel = panel_for(post)
    assert len(panel.passages) == questions


def test_a_list_that_prefetches_the_pillar_rows_reads_them_without_a_query(
    practice, owner, django_assert_num_queries
):
    for build, _ in BUILDERS.values():
        build(practice, owner)
    posts = list(Post.objects.prefetch_related(*texts.prefetch_paths(BUILDERS)))
    with django_assert_num_queries(0):
        read = {post.kind: texts.texts_of(post) for post in posts}
    assert all(NAMING in " ".join(text for _, text in read[kind]) for kind in BUILDERS)


# --- every public text field is read, or declared not public --------------------------------


def _key(model: type[models.Model], field: str = "") -> str:
    label = f"{model._meta.app_label}.{model._meta.model_name}"
    return f"{label}.{field}" if field else label


def _texts(model: type[models.Model]) -> list[str]:
    return [
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, models.CharField | models.TextField) and not field.choices
    ]


def _children(model: type[models.Model]) -> dict[str, type[models.Model]]:
    return {
        relation.get_accessor_name() or "": relation.related_model
        for relation in model._meta.related_objects
        if relation.one_to_many and relation.related_model._meta.app_label in PILLAR_APPS
    }


def unscreened(
    pillars: dict[str, texts.Pillar], not_public: dict[str, str], not_public_models: dict[str, str]
) -> list[str]:
    """Text fields of the rows a pillar post reaches that are neither read nor declared."""
    missing: list[str] = []

    def walk(model: type[models.Model], read: tuple[str, ...], rows: tuple[texts.Rows, ...]):
        missing.extend(
            _key(model, name)
            for name in _texts(model)
            if name not in read and _key(model, name) not in not_public
        )
        specs = {spec.relation: spec for spec in rows}
        for accessor, child in _children(model).items():
            if accessor in specs:
                walk(child, specs[accessor].fields, specs[accessor].rows)
            elif _key(child) not in not_public_models:
                missing.append(_key(child))

    for pillar in pillars.values():
        walk(Post._meta.get_field(pillar.relation).related_model, pillar.fields, pillar.rows)
    return missing


def test_every_pillar_kind_with_its_own_row_is_listed():
    rows = {
        field.remote_field.related_name
        for app in PILLAR_APPS
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.OneToOneField) and field.related_model is Post
    }
    assert rows == {pillar.relation for pillar in texts.PILLARS.values()}


def test_every_text_field_of_a_pillar_row_is_read_or_declared_not_public():
    assert unscreened(texts.PILLARS, texts.NOT_PUBLIC, texts.NOT_PUBLIC_MODELS) == []


def test_the_walk_notices_a_field_nobody_reads():
    article = texts.PILLARS[Kind.ARTICLE]
    quiz = texts.PILLARS[Kind.QUIZ]
    pillars = {
        Kind.ARTICLE: texts.Pillar(article.relation, ("summary", "myth"), article.rows),
        Kind.QUIZ: texts.Pillar(quiz.relation, ()),
    }
    assert unscreened(pillars, texts.NOT_PUBLIC, texts.NOT_PUBLIC_MODELS) == [
        "education.article.fact",
        "engagement.question",
    ]


def test_every_declaration_names_a_field_that_exists():
    for key in texts.NOT_PUBLIC:
        app, model, field = key.split(".")
        apps.get_model(app, model)._meta.get_field(field)
    for key in texts.NOT_PUBLIC_MODELS:
        apps.get_model(*key.split("."))
