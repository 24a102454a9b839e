"""Every change to articles, citations, reviews, trusted sources, questions and answers.

An article or an answer is a post of its kind plus its row here; the services write both
in one transaction through ``posts.services``. Publishing stays the studio's business:
``bedside.education.publishing.check_publishable`` is what the studio asks first.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.text import slugify

from bedside.audit.services import record
from bedside.core.errors import Conflict, Invalid
from bedside.education.models import (
    Answer,
    Article,
    ArticleFormat,
    Citation,
    EducationSettings,
    Question,
    QuestionStatus,
    Tag,
    TrustedSource,
)
from bedside.education.sources import DEFAULT_TRUSTED_SOURCES, clean_domain, domain_of
from bedside.posts.models import Kind, Status, Topic
from bedside.posts.services import create_post, update_post
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, require

MAX_SUMMARY = 300
MAX_MYTH = 300
MAX_TAGS = 8
MAX_TAG = 60
MAX_CITATIONS = 20
MAX_QUESTION = 2000
MAX_QUESTION_TEXT = 1000
MAX_SOURCE_NAME = 200


# --- settings and the trusted list ------------------------------------------------------


def education_settings_of(practice: Practice) -> EducationSettings:
    """The practice's settings; the first read creates them and seeds the trusted list."""
    found = EducationSettings.objects.filter(practice=practice).first()
    if found is not None:
        return found
    try:
        with transaction.atomic():
            created = EducationSettings.objects.create(practice=practice)
            TrustedSource.objects.bulk_create(
                [
                    TrustedSource(practice=practice, domain=domain, name=name)
                    for domain, name in DEFAULT_TRUSTED_SOURCES
                ],
                ignore_conflicts=True,
            )
    except IntegrityError:  # another request seeded it first
        return EducationSettings.objects.get(practice=practice)
    return created


def update_education_settings(
    *, by: User, practice: Practice, review_valid_months: int, require_review: bool
) -> EducationSettings:
    if not 1 <= review_valid_months <= 60:
        raise Invalid("A review stays current for 1 to 60 months.", field="review_valid_months")
    require(by, Action.MANAGE_TRUSTED_SOURCES, practice)
    settings = education_settings_of(practice)
    settings.review_valid_months = review_valid_months
    settings.require_review = require_review
    with transaction.atomic():
        settings.save(update_fields=["review_valid_months", "require_review", "updated_at"])
        record(
            action="education.settings",
            actor=by,
            practice=practice,
            target=settings,
            target_label="education settings",
            detail={"review_valid_months": review_valid_months, "require_review": require_review},
        )
    return settings


def trusted_domains(practice: Practice) -> list[str]:
    education_settings_of(practice)
    return list(TrustedSource.objects.filter(practice=practice).values_list("domain", flat=True))


def add_trusted_source(*, by: User, practice: Practice, domain: str, name: str) -> TrustedSource:
    cleaned = clean_domain(domain)
    name = " ".join(name.split())
    if not name:
        raise Invalid("Name the source, e.g. CDC.", field="name")
    if len(name) > MAX_SOURCE_NAME:
        raise Invalid(f"Keep the name under {MAX_SOURCE_NAME} characters.", field="name")
    require(by, Action.MANAGE_TRUSTED_SOURCES, practice)
    education_settings_of(practice)
    try:
        with transaction.atomic():
            source = TrustedSource.objects.create(practice=practice, domain=cleaned, name=name)
            record(
                action="trusted_source.add",
                actor=by,
                practice=practice,
                target=source,
                detail={"domain": cleaned},
            )
            return source
    except IntegrityError:
        raise Invalid(f"{cleaned} is already on the list.", field="domain") from None


def remove_trusted_source(*, by: User, source: TrustedSource) -> None:
    require(by, Action.MANAGE_TRUSTED_SOURCES, source)
    with transaction.atomic():
        record(
            action="trusted_source.remove",
            actor=by,
            practice=source.practice_id,
            target=source,
            detail={"domain": source.domain},
        )
        source.delete()


# --- tags --------------------------------------------------------------------------------


def parse_tags(text: str) -> list[tuple[str, str]]:
    """``"Heart health, flu"`` → ``[("heart-health", "Heart health"), ("flu", "flu")]``."""
    tags: dict[str, str] = {}
    for raw in text.split(","):
        name = " ".join(raw.split())
        if not name:
            continue
        if len(name) > MAX_TAG:
            raise Invalid(f"Keep each tag under {MAX_TAG} characters.", field="tags")
        slug = slugify(name)[:MAX_TAG]
        if not slug:
            raise Invalid("Use letters or numbers in tags.", field="tags")
        tags.setdefault(slug, name)
    if len(tags) > MAX_TAGS:
        raise Invalid(f"Use at most {MAX_TAGS} tags.", field="tags")
    return list(tags.items())


def _tags(practice: Practice, parsed: Sequence[tuple[str, str]]) -> list[Tag]:
    Tag.objects.bulk_create(
        [Tag(practice=practice, slug=slug, name=name) for slug, name in parsed],
        ignore_conflicts=True,
    )
    return list(Tag.objects.filter(practice=practice, slug__in=[slug for slug, _ in parsed]))


# --- articles ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleText:
    title: str
    summary: str
    body: str
    tags: str = ""
    format: str = ArticleFormat.STANDARD
    myth: str = ""
    fact: str = ""
    visibility: str = "public"


@dataclass(frozen=True)
class CitationInput:
    url: str
    title: str
    publisher: str
    accessed_on: date


def _validated_article(text: ArticleText) -> dict[str, str]:
    if text.format not in ArticleFormat.values:
        raise Invalid("Choose an article format.", field="format")
    summary = " ".join(text.summary.split())
    if not summary:
        raise Invalid("Write a one- or two-sentence summary.", field="summary")
    if len(summary) > MAX_SUMMARY:
        raise Invalid(f"Keep the summary under {MAX_SUMMARY} characters.", field="summary")
    myth, fact = " ".join(text.myth.split()), " ".join(text.fact.split())
    if text.format == ArticleFormat.MYTH_FACT:
        if not myth:
            raise Invalid("State the myth.", field="myth")
        if not fact:
            raise Invalid("State the fact.", field="fact")
    else:
        myth, fact = "", ""
    for field, value in (("myth", myth), ("fact", fact)):
        if len(value) > MAX_MYTH:
            raise Invalid(f"Keep it under {MAX_MYTH} characters.", field=field)
    return {"format": text.format, "summary": summary, "myth": myth, "fact": fact}


def _validated_citations(citations: Sequence[CitationInput]) -> list[dict[str, object]]:
    if len(citations) > MAX_CITATIONS:
        raise Invalid(f"Cite at most {MAX_CITATIONS} sources.", field="citations")
    cleaned: list[dict[str, object]] = []
    today = timezone.localdate()
    for citation in citations:
        url = citation.url.strip()
        if len(url) > 500:
            raise Invalid("Keep each link under 500 characters.", field="citations")
        domain = domain_of(url, field="citations")
        title = " ".join(citation.title.split())
        publisher = " ".join(citation.publisher.split())
        if not title or not publisher:
            raise Invalid("Give each source its title and publisher.", field="citations")
        if len(title) > 300 or len(publisher) > 200:
            raise Invalid("Shorten the source's title or publisher.", field="citations")
        if citation.accessed_on > today:
            raise Invalid("The date you read a source cannot be in the future.", field="citations")
        cleaned.append(
            {
                "url": url,
                "domain": domain,
                "title": title,
                "publisher": publisher,
                "accessed_on": citation.accessed_on,
            }
        )
    return cleaned


def _write_citations(article: Article, cleaned: Sequence[dict[str, object]]) -> None:
    """Replace the article's citations, keeping a clinician's approval of a link that stays."""
    approvals = {
        citation.url: (citation.approved_by_id, citation.approved_at)
        for citation in article.citations.filter(approved_at__isnull=False)
    }
    article.citations.all().delete()
    rows = []
    for position, fields in enumerate(cleaned):
        approved_by_id, approved_at = approvals.get(str(fields["url"]), (None, None))
        rows.append(
            Citation(
                article=article,
                position=position,
                approved_by_id=approved_by_id,
                approved_at=approved_at,
                **fields,
            )
        )
    Citation.objects.bulk_create(rows)


def create_article(
    *,
    by: User,
    practice: Practice,
    text: ArticleText,
    citations: Sequence[CitationInput] = (),
) -> Article:
    """A draft article; it needs a citation and (where required) a review to be published."""
    fields = _validated_article(text)
    cited = _validated_citations(citations)
    parsed_tags = parse_tags(text.tags)
    require(by, Action.CREATE_POST, practice)
    with transaction.atomic():
        post = create_post(
            by=by,
            practice=practice,
            kind=Kind.ARTICLE,
            topic=Topic.MEDICAL,
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        article = Article.objects.create(post=post, practice=practice, **fields)
        article.tags.set(_tags(practice, parsed_tags))
        _write_citations(article, cited)
    return article


def update_article(
    *, by: User, article: Article, text: ArticleText, citations: Sequence[CitationInput]
) -> Article:
    """Change the article; a change to what the reviewer read makes the review stale."""
    fields = _validated_article(text)
    cited = _validated_citations(citations)
    parsed_tags = parse_tags(text.tags)
    require(by, Action.EDIT_POST, article.post)
    with transaction.atomic():
        update_post(
            by=by,
            post=article.post,
            kind=Kind.ARTICLE,
            topic=Topic.MEDICAL,
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        for name, value in fields.items():
            setattr(article, name, value)
        article.save(update_fields=[*fields, "updated_at"])
        article.tags.set(_tags(article.practice, parsed_tags))
        _write_citations(article, cited)
    return article


def content_hash(article: Article) -> str:
    """What a clinical review signs off: the words a patient reads."""
    post = article.post
    parts = [post.title, article.summary, post.body, article.myth, article.fact]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def review_state(article: Article, *, now: datetime | None = None) -> str:
    """``current``, ``never``, ``changed`` (edited since sign-off) or ``expired``."""
    now = now or timezone.now()
    if article.reviewed_at is None:
        return "never"
    if article.reviewed_content_hash != content_hash(article):
        return "changed"
    if article.review_due_at is None or article.review_due_at <= now:
        return "expired"
    return "current"


def _add_months(moment: datetime, months: int) -> datetime:
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    for day in range(moment.day, 27, -1):
        try:
            return moment.replace(year=year, month=month, day=day)
        except ValueError:
            continue
    return moment.replace(year=year, month=month, day=min(moment.day, 28))


def sign_off_review(*, by: User, article: Article) -> Article:
    """``by``, a clinician, signs off the article as it reads now."""
    require(by, Action.REVIEW_ARTICLE, article)
    if not article.citations.exists():
        raise Conflict("Cite at least one source before signing the review off.")
    settings = education_settings_of(article.practice)
    now = timezone.now()
    article.reviewed_by = by
    article.reviewer_name = by.get_full_name()
    article.reviewed_at = now
    article.reviewed_content_hash = content_hash(article)
    article.review_due_at = _add_months(now, settings.review_valid_months)
    with transaction.atomic():
        article.save(
            update_fields=[
                "reviewed_by",
                "reviewer_name",
                "reviewed_at",
                "reviewed_content_hash",
                "review_due_at",
                "updated_at",
            ]
        )
        record(
            action="article.review",
            actor=by,
            practice=article.practice_id,
            target=article.post,
            detail={"content_hash": article.reviewed_content_hash},
        )
    return article


def approve_citation(*, by: User, citation: Citation) -> Citation:
    """A clinician accepts a source outside the trusted list for this article."""
    require(by, Action.APPROVE_CITATION, citation.article)
    citation.approved_by = by
    citation.approved_at = timezone.now()
    with transaction.atomic():
        citation.save(update_fields=["approved_by", "approved_at"])
        record(
            action="citation.approve",
            actor=by,
            practice=citation.article.practice_id,
            target=citation,
            detail={"post": citation.article.post_id, "url": citation.url},
        )
    return citation


# --- questions and answers ---------------------------------------------------------------


def ask_question(*, asker: User, practice: Practice, body: str) -> Question:
    """A patient's private question to the practice's staff."""
    text = body.strip()
    if not text:
        raise Invalid("Write your question.", field="body")
    if len(text) > MAX_QUESTION:
        raise Invalid(f"Keep your question under {MAX_QUESTION} characters.", field="body")
    require(asker, Action.ASK_QUESTION, practice)
    return Question.objects.create(practice=practice, asker=asker, body=text)


def answer_question(
    *,
    by: User,
    question: Question,
    question_text: str,
    title: str,
    body: str,
    tags: str = "",
) -> Answer:
    """A draft ``answer`` post for ``question``, with the question rephrased for everyone."""
    rephrased = question_text.strip()
    if not rephrased:
        raise Invalid("Rephrase the question as it will be published.", field="question_text")
    if len(rephrased) > MAX_QUESTION_TEXT:
        raise Invalid(
            f"Keep the question under {MAX_QUESTION_TEXT} characters.", field="question_text"
        )
    parsed_tags = parse_tags(tags)
    require(by, Action.ANSWER_QUESTION, question)
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        if locked.status != QuestionStatus.NEW:
            raise Conflict("This question has already been answered or closed.")
        post = create_post(
            by=by,
            practice=question.practice,
            kind=Kind.ANSWER,
            topic=Topic.MEDICAL,
            title=title,
            body=body,
            visibility="public",
        )
        answer = Answer.objects.create(
            post=post, practice=question.practice, question=locked, question_text=rephrased
        )
        answer.tags.set(_tags(question.practice, parsed_tags))
        locked.status = QuestionStatus.ANSWERED
        locked.answered_at = timezone.now()
        locked.save(update_fields=["status", "answered_at", "updated_at"])
        record(
            action="question.answer",
            actor=by,
            practice=question.practice_id,
            target=locked,
            target_label=f"question #{locked.pk}",
            detail={"post": post.pk},
        )
    question.status, question.answered_at = locked.status, locked.answered_at
    return answer


def update_answer(
    *, by: User, answer: Answer, question_text: str, title: str, body: str, tags: str = ""
) -> Answer:
    rephrased = question_text.strip()
    if not rephrased:
        raise Invalid("Rephrase the question as it will be published.", field="question_text")
    if len(rephrased) > MAX_QUESTION_TEXT:
        raise Invalid(
            f"Keep the question under {MAX_QUESTION_TEXT} characters.", field="question_text"
        )
    parsed_tags = parse_tags(tags)
    require(by, Action.EDIT_POST, answer.post)
    with transaction.atomic():
        update_post(
            by=by,
            post=answer.post,
            kind=Kind.ANSWER,
            topic=Topic.MEDICAL,
            title=title,
            body=body,
            visibility=answer.post.visibility,
        )
        answer.question_text = rephrased
        answer.save(update_fields=["question_text", "updated_at"])
        answer.tags.set(_tags(answer.practice, parsed_tags))
    return answer


def close_question(*, by: User, question: Question, note: str = "") -> Question:
    """Close without a public answer (e.g. it needs a visit); ``note`` goes to the asker."""
    note = note.strip()
    if len(note) > MAX_QUESTION:
        raise Invalid(f"Keep the note under {MAX_QUESTION} characters.", field="note")
    require(by, Action.ANSWER_QUESTION, question)
    with transaction.atomic():
        updated = Question.objects.filter(pk=question.pk, status=QuestionStatus.NEW).update(
            status=QuestionStatus.CLOSED, staff_note=note, updated_at=timezone.now()
        )
        if not updated:
            raise Conflict("This question has already been answered or closed.")
        record(
            action="question.close",
            actor=by,
            practice=question.practice_id,
            target=question,
            target_label=f"question #{question.pk}",
            detail={"note_to_asker": bool(note)},
        )
    question.status, question.staff_note = QuestionStatus.CLOSED, note
    return question


def decline_publication(*, asker: User, question: Question) -> Question:
    """The asker does not want their question answered in public. Binding until published:
    the studio then refuses to publish the answer."""
    if question.asker_id != asker.pk:
        raise Conflict("Only the person who asked can decline.")
    with transaction.atomic():
        locked = Question.objects.select_for_update().get(pk=question.pk)
        answer = Answer.objects.filter(question=locked).select_related("post").first()
        if answer is not None and answer.post.status == Status.PUBLISHED:
            raise Conflict(
                "The answer is already published. Call the office and we will take it down."
            )
        if locked.publication_declined_at is None:
            locked.publication_declined_at = timezone.now()
            locked.save(update_fields=["publication_declined_at", "updated_at"])
    question.publication_declined_at = locked.publication_declined_at
    return question


def record_asker_told(*, question: Question) -> bool:
    """Mark the asker told their answer is ready; False if someone already did."""
    return bool(
        Question.objects.filter(pk=question.pk, asker_told_at__isnull=True).update(
            asker_told_at=timezone.now()
        )
    )
