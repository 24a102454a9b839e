"""Which words of a post's pillar row go public with it, and so pass the identifier guard.

A post of a pillar kind keeps part of what the public reads in its own row: an article's
summary and myth/fact, an event's address, a poll's choices, a quiz's questions, choices
and explanations, a contest's sponsor, region, question and prize, an answer's copy of the
question. ``PILLARS`` lists per kind the fields read, and ``NOT_PUBLIC`` every other text
field of the rows reached from there, with why it is not read. A test walks the pillar
models and fails when a text field is in neither list, so a new field cannot go public
unscreened by oversight.

``texts_of(post)`` reads the relation of the post's own kind only (a plain announcement
costs no query); list queries prefetch ``prefetch_paths(kinds)`` so it costs none there.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model

from bedside.posts.models import Kind, Post


@dataclass(frozen=True)
class Rows:
    """Rows under a pillar row (``relation`` is the reverse foreign key's accessor)."""

    relation: str
    label: str
    fields: tuple[str, ...]
    rows: tuple["Rows", ...] = ()


@dataclass(frozen=True)
class Pillar:
    """A kind's own row (``relation`` is the reverse one-to-one accessor on ``Post``)."""

    relation: str
    fields: tuple[str, ...]
    rows: tuple[Rows, ...] = ()


PILLARS: dict[str, Pillar] = {
    Kind.ARTICLE: Pillar(
        "article",
        ("summary", "myth", "fact"),
        (Rows("citations", "source", ("title", "publisher")),),
    ),
    Kind.ANSWER: Pillar("answer", ("question_text",)),
    Kind.EVENT: Pillar("event", ("address",)),
    Kind.POLL: Pillar("poll", (), (Rows("choices", "choice", ("label",)),)),
    Kind.QUIZ: Pillar(
        "quiz",
        (),
        (
            Rows(
                "questions",
                "question",
                ("prompt", "explanation", "source_title"),
                (Rows("choices", "choice", ("label",)),),
            ),
        ),
    ),
    Kind.CONTEST: Pillar("contest", ("sponsor", "region", "question", "prize")),
}

# "app_label.model": why none of its words go out with the post.
NOT_PUBLIC_MODELS: dict[str, str] = {
    "events.rsvp": "who is coming: never shown with the post",
    "engagement.ballot": "votes, not words",
    "engagement.ballotmark": "which choice a voter marked",
    "engagement.attempt": "a patient's quiz attempt, private to them",
    "engagement.answer": "a patient's answer in a quiz attempt, private to them",
    "contests.entry": "an entrant's own words and photo, shown only with their consent",
}

# "app_label.model.field": why this text field is not read. Fields with fixed choices are
# never read either: their values are our own words.
NOT_PUBLIC: dict[str, str] = {
    "education.article.reviewer_name": "the reviewing clinician's own name, staff",
    "education.article.reviewed_content_hash": "a digest",
    "education.citation.url": "a link's address; its title and publisher are read",
    "education.citation.domain": "the host of the link's address",
    "events.event.time_zone": "a time zone's name",
    "events.event.online_url": "a link's address",
    "engagement.question.explanation_html": "rendered from the explanation, which is read",
    "engagement.question.source_url": "a link's address; its title is read",
    "contests.contest.currency": "a currency code",
    "contests.contest.time_zone": "a time zone's name",
    "contests.contest.seed_commitment": "a digest",
    "contests.contest.entry_list_sha256": "a digest",
}


def _label(row: Model, field: str) -> str:
    # A choice's label is the choice itself: "choice 2", not "choice 2 label".
    if field == "label":
        return ""
    return str(getattr(row._meta.get_field(field), "verbose_name", field))


def _read(row: Model, fields: Iterable[str], where: str) -> list[tuple[str, str]]:
    found = []
    for field in fields:
        text = getattr(row, field)
        if text:
            found.append((f"{where}{_label(row, field)}".strip(), str(text)))
    return found


def _read_rows(parent: Model, spec: Rows, where: str) -> list[tuple[str, str]]:
    found = []
    for number, row in enumerate(getattr(parent, spec.relation).all(), start=1):
        place = f"{where}{spec.label} {number} "
        found += _read(row, spec.fields, place)
        for child in spec.rows:
            found += _read_rows(row, child, place)
    return found


def _row(post: Post, pillar: Pillar) -> Model | None:
    descriptor = getattr(Post, pillar.relation)
    if descriptor.is_cached(post):
        # Loaded with the post or prefetched for a list: read what is there.
        try:
            row: Model | None = getattr(post, pillar.relation)
        except ObjectDoesNotExist:
            return None
        return row
    # A lone post: one query per level, however many questions or choices.
    subpaths = [path.split("__", 1)[1] for path in _paths(pillar.relation, pillar.rows)]
    model = descriptor.related.related_model
    found: Model | None = (
        model._default_manager.prefetch_related(*subpaths).filter(post=post).first()
    )
    return found


def texts_of(post: Post) -> list[tuple[str, str]]:
    """``(where, text)`` for every public text of the pillar row beside ``post``, e.g.
    ``("summary", "…")`` or ``("question 2 choice 1", "…")``; empty texts left out."""
    pillar = PILLARS.get(post.kind)
    if pillar is None:
        return []
    row = _row(post, pillar)
    if row is None:
        return []
    found = _read(row, pillar.fields, "")
    for spec in pillar.rows:
        found += _read_rows(row, spec, "")
    return found


def _paths(prefix: str, rows: Iterable[Rows]) -> list[str]:
    paths = []
    for spec in rows:
        path = f"{prefix}__{spec.relation}"
        paths += [path, *_paths(path, spec.rows)]
    return paths


def prefetch_paths(kinds: Iterable[str]) -> list[str]:
    """What a list of posts of ``kinds`` prefetches so ``texts_of`` reads no more."""
    paths = []
    for kind in dict.fromkeys(kinds):
        pillar = PILLARS.get(kind)
        if pillar is not None:
            paths += [pillar.relation, *_paths(pillar.relation, pillar.rows)]
    return paths
