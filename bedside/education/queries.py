"""Reads the education pages need, each in a fixed number of queries."""

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Prefetch
from django.utils import timezone

from bedside.education.models import Answer, Article, Citation, Question, QuestionStatus
from bedside.education.services import review_state, trusted_domains
from bedside.education.sources import is_trusted
from bedside.posts.models import Status
from bedside.practices.models import Practice, User

REVIEW_SOON = timedelta(days=30)


@dataclass(frozen=True)
class CitationView:
    citation: Citation
    trusted: bool

    @property
    def needs_approval(self) -> bool:
        return not self.trusted and self.citation.approved_at is None


def citations_of(article: Article) -> list[CitationView]:
    """The article's sources, each marked trusted or not by the practice's list."""
    trusted = trusted_domains(article.practice)
    return [
        CitationView(citation=citation, trusted=is_trusted(citation.domain, trusted))
        for citation in article.citations.select_related("approved_by")
    ]


def article_tags(article: Article) -> list[str]:
    return [tag.name for tag in article.tags.all()]


@dataclass(frozen=True)
class ReviewItem:
    article: Article
    state: str
    due_soon: bool


REVIEW_ORDER = {"never": 0, "changed": 1, "expired": 2, "current": 3}


def review_queue(practice: Practice) -> list[ReviewItem]:
    """Articles that need a clinician: never reviewed, changed since, expired, or due
    within 30 days; most urgent first. Archived articles are left out."""
    now = timezone.now()
    articles = (
        Article.objects.filter(practice=practice)
        .exclude(post__status=Status.ARCHIVED)
        .select_related("post", "reviewed_by")
        .order_by("review_due_at", "id")
    )
    items = []
    for article in articles:
        state = review_state(article, now=now)
        due_soon = (
            state == "current"
            and article.review_due_at is not None
            and article.review_due_at <= now + REVIEW_SOON
        )
        if state != "current" or due_soon:
            items.append(ReviewItem(article=article, state=state, due_soon=due_soon))
    items.sort(key=lambda item: REVIEW_ORDER[item.state])
    return items


def question_queue(practice: Practice, *, status: str = QuestionStatus.NEW) -> list[Question]:
    """Questions waiting (oldest first) or handled (newest first), with their answers."""
    questions = Question.objects.filter(practice=practice, status=status).select_related(
        "asker", "answer__post"
    )
    if status == QuestionStatus.NEW:
        return list(questions.order_by("created_at", "id"))
    return list(questions.order_by("-created_at", "-id")[:200])


def my_questions(user: User, practice: Practice) -> list[Question]:
    if not user.is_authenticated:
        return []
    return list(
        Question.objects.filter(practice=practice, asker=user)
        .select_related("answer__post")
        .order_by("-created_at", "-id")
    )


def article_with_details(article: Article) -> Article:
    """``article`` with its tags and sources loaded, for its page."""
    prefetched = (
        Article.objects.filter(pk=article.pk)
        .select_related("post__practice", "post__author", "practice", "reviewed_by")
        .prefetch_related(
            "tags", Prefetch("citations", queryset=Citation.objects.order_by("position", "id"))
        )
        .get()
    )
    return prefetched


def answer_with_details(answer: Answer) -> Answer:
    return (
        Answer.objects.filter(pk=answer.pk)
        .select_related("post__practice", "post__author", "practice", "question")
        .prefetch_related("tags")
        .get()
    )
