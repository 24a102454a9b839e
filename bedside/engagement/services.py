"""Every change to polls and quizzes.

A poll or quiz is a post of its kind plus its details, written together in one transaction
through ``posts.services``; publishing is the post's business (the studio's edit page).
Votes and answers are patients' own: each one is checked (a patient of the practice, the
post published, the poll still open) and then written under the database's unique
constraints, which turn a second vote or a second attempt into a polite refusal
even when two requests race.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from bedside.core.errors import Conflict, Invalid
from bedside.core.sanitizer import render_markdown
from bedside.engagement.models import (
    Answer,
    Attempt,
    Ballot,
    BallotMark,
    Poll,
    PollChoice,
    PollStyle,
    Question,
    QuestionChoice,
    Quiz,
    ResultsShown,
)
from bedside.posts.models import Kind, Post
from bedside.posts.services import create_post, update_post
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, require

MAX_CHOICES = 10
MAX_CHOICE = 200
MAX_QUIZ_CHOICES = 5
MAX_QUESTIONS = 30
MAX_PROMPT = 300
MAX_EXPLANATION = 5000
MAX_SOURCE_TITLE = 200
MAX_URL = 500


@dataclass(frozen=True)
class PostText:
    """What the post says, as ``posts.services.create_post`` takes it."""

    topic: str
    title: str
    body: str
    visibility: str


@dataclass(frozen=True)
class PollDetails:
    """How the poll works. A naive ``closes_at`` is a wall-clock time in the practice's zone."""

    closes_at: datetime
    style: str = PollStyle.CHOICE
    allows_multiple: bool = False
    results_shown: str = ResultsShown.AFTER_VOTING
    choices: Sequence[str] = ()


@dataclass(frozen=True)
class QuestionDraft:
    """One trivia question: choices in order, ``correct`` the index of the right one."""

    prompt: str
    choices: Sequence[str]
    correct: int
    explanation: str
    source_title: str
    source_url: str
    article: Post | None = None


# --- polls -------------------------------------------------------------------------------


def _aware(value: datetime, practice: Practice, field: str) -> datetime:
    if timezone.is_aware(value):
        return value
    zone = ZoneInfo(practice.time_zone)
    aware = value.replace(tzinfo=zone)
    if aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) != value:
        raise Invalid(
            f"{value:%Y-%m-%d %H:%M} does not exist in {zone.key}: the clocks change then.",
            field=field,
        )
    return aware


def _poll_fields(
    details: PollDetails, practice: Practice, *, past_ok: datetime | None
) -> dict[str, Any]:
    if details.style not in PollStyle.values:
        raise Invalid("Choose what kind of poll this is.", field="style")
    if details.results_shown not in ResultsShown.values:
        raise Invalid("Choose when patients see the results.", field="results_shown")
    closes_at = _aware(details.closes_at, practice, "closes_at")
    if closes_at <= timezone.now() and closes_at != past_ok:
        raise Invalid("The poll must close in the future.", field="closes_at")
    labels = [" ".join(label.split()) for label in details.choices]
    labels = [label for label in labels if label]
    if details.style == PollStyle.OPINION:
        if labels:
            raise Invalid(
                "An open question has no choices: patients answer in the comments.",
                field="choices",
            )
        if details.allows_multiple:
            raise Invalid("Only a poll with choices lets patients tick several.", field="style")
    else:
        if not 2 <= len(labels) <= MAX_CHOICES:
            raise Invalid(f"Give 2 to {MAX_CHOICES} choices, one per line.", field="choices")
        if any(len(label) > MAX_CHOICE for label in labels):
            raise Invalid(f"Keep each choice under {MAX_CHOICE} characters.", field="choices")
        if len({label.casefold() for label in labels}) != len(labels):
            raise Invalid("Each choice must be different.", field="choices")
    return {
        "style": details.style,
        "allows_multiple": details.allows_multiple,
        "closes_at": closes_at,
        "results_shown": details.results_shown,
        "choices": labels,
    }


def create_poll(*, by: User, practice: Practice, text: PostText, details: PollDetails) -> Poll:
    """A draft poll post with its choices."""
    fields = _poll_fields(details, practice, past_ok=None)
    labels: list[str] = fields.pop("choices")
    require(by, Action.CREATE_POST, practice)
    with transaction.atomic():
        post = create_post(
            by=by,
            practice=practice,
            kind=Kind.POLL,
            topic=text.topic,
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        poll = Poll.objects.create(post=post, practice=practice, **fields)
        PollChoice.objects.bulk_create(
            PollChoice(poll=poll, label=label, position=index) for index, label in enumerate(labels)
        )
    return poll


def update_poll(*, by: User, poll: Poll, text: PostText, details: PollDetails) -> Poll:
    """Change the poll. Once patients have voted, its choices and style stay as they voted
    on them; the closing time and who sees results may still change."""
    fields = _poll_fields(details, poll.practice, past_ok=poll.closes_at)
    labels: list[str] = fields.pop("choices")
    require(by, Action.EDIT_POST, poll.post)
    with transaction.atomic():
        locked = Poll.objects.select_for_update().get(pk=poll.pk)
        current = list(locked.choices.values_list("label", flat=True))
        changes_ballot = (
            labels != current
            or fields["style"] != locked.style
            or fields["allows_multiple"] != locked.allows_multiple
        )
        if changes_ballot and locked.voter_count:
            raise Invalid(
                "Patients have voted already: the choices can no longer change.",
                field="choices",
            )
        update_post(
            by=by,
            post=poll.post,
            kind=Kind.POLL,
            topic=text.topic,
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        if changes_ballot:
            locked.choices.all().delete()
            PollChoice.objects.bulk_create(
                PollChoice(poll=locked, label=label, position=index)
                for index, label in enumerate(labels)
            )
    for name, value in fields.items():
        setattr(poll, name, value)
    return poll


def close_poll(*, by: User, poll: Poll) -> Poll:
    """Close the poll now (results after closing then show to everyone)."""
    require(by, Action.EDIT_POST, poll.post)
    if poll.is_closed:
        raise Conflict("This poll is closed already.")
    now = timezone.now()
    with transaction.atomic():
        Poll.objects.filter(pk=poll.pk).update(closes_at=now, updated_at=now)
    poll.closes_at = now
    return poll


def vote(*, poll: Poll, patient: User, choice_ids: Sequence[int]) -> Ballot:
    """``patient`` votes once for one choice, or several where the poll allows it."""
    require(patient, Action.VOTE, poll)
    if not poll.post.is_published:
        raise Conflict("This poll is not open for votes yet.")
    if poll.is_opinion:
        raise Conflict("This is an open question: answer it in the comments.")
    if poll.is_closed:
        raise Conflict("This poll has closed: votes are no longer counted.")
    chosen = set(choice_ids)
    if not chosen:
        raise Invalid("Choose an answer before you vote.", field="choices")
    if len(chosen) > 1 and not poll.allows_multiple:
        raise Invalid("Choose one answer.", field="choices")
    valid = set(PollChoice.objects.filter(poll=poll, pk__in=chosen).values_list("pk", flat=True))
    if valid != chosen:
        raise Invalid("Choose from this poll's answers.", field="choices")
    already = Conflict("You have voted in this poll already. Thank you!")
    if Ballot.objects.filter(poll=poll, user=patient).exists():
        raise already
    try:
        with transaction.atomic():
            ballot = Ballot.objects.create(poll=poll, user=patient)
            BallotMark.objects.bulk_create(
                BallotMark(ballot=ballot, choice_id=pk) for pk in sorted(chosen)
            )
            PollChoice.objects.filter(pk__in=chosen).update(vote_count=F("vote_count") + 1)
            Poll.objects.filter(pk=poll.pk).update(voter_count=F("voter_count") + 1)
    except IntegrityError:
        # Another request of the same patient won the race: the constraint kept one ballot.
        raise already from None
    poll.refresh_from_db(fields=["voter_count"])
    return ballot


# --- quizzes -----------------------------------------------------------------------------


def create_quiz(
    *, by: User, practice: Practice, text: PostText, has_leaderboard: bool = True
) -> Quiz:
    """A draft quiz post; questions are added one by one with ``add_question``."""
    require(by, Action.CREATE_POST, practice)
    with transaction.atomic():
        post = create_post(
            by=by,
            practice=practice,
            kind=Kind.QUIZ,
            topic=text.topic,
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        quiz = Quiz.objects.create(post=post, practice=practice, has_leaderboard=has_leaderboard)
    return quiz


def update_quiz(*, by: User, quiz: Quiz, text: PostText, has_leaderboard: bool) -> Quiz:
    require(by, Action.EDIT_POST, quiz.post)
    with transaction.atomic():
        update_post(
            by=by,
            post=quiz.post,
            kind=Kind.QUIZ,
            topic=text.topic,
            title=text.title,
            body=text.body,
            visibility=text.visibility,
        )
        quiz.has_leaderboard = has_leaderboard
        quiz.save(update_fields=["has_leaderboard", "updated_at"])
    return quiz


def _question_fields(draft: QuestionDraft, practice: Practice) -> dict[str, Any]:
    prompt = " ".join(draft.prompt.split())
    if not prompt or len(prompt) > MAX_PROMPT:
        raise Invalid(f"Ask the question in 1 to {MAX_PROMPT} characters.", field="prompt")
    labels = [" ".join(label.split()) for label in draft.choices]
    if not 2 <= len([x for x in labels if x]) <= MAX_QUIZ_CHOICES:
        raise Invalid(f"Give 2 to {MAX_QUIZ_CHOICES} choices.", field="choices")
    if any(len(label) > MAX_CHOICE for label in labels):
        raise Invalid(f"Keep each choice under {MAX_CHOICE} characters.", field="choices")
    if not 0 <= draft.correct < len(labels) or not labels[draft.correct]:
        raise Invalid("Say which choice is right (one that you filled in).", field="correct")
    correct_label = labels[draft.correct]
    labels = [label for label in labels if label]
    if len({label.casefold() for label in labels}) != len(labels):
        raise Invalid("Each choice must be different.", field="choices")
    explanation = draft.explanation.strip()
    if not explanation or len(explanation) > MAX_EXPLANATION:
        raise Invalid(
            f"Explain the answer in 1 to {MAX_EXPLANATION:,} characters.", field="explanation"
        )
    source_title = " ".join(draft.source_title.split())
    if not source_title or len(source_title) > MAX_SOURCE_TITLE:
        raise Invalid("Name the source of the explanation.", field="source_title")
    source_url = draft.source_url.strip()
    parts = urlsplit(source_url)
    if parts.scheme not in {"http", "https"} or not parts.netloc or len(source_url) > MAX_URL:
        raise Invalid("Give the source's full web address (https://…).", field="source_url")
    article = draft.article
    if article is not None and (article.practice_id != practice.pk or article.kind != Kind.ARTICLE):
        raise Invalid("Choose one of this practice's articles.", field="article")
    return {
        "prompt": prompt,
        "labels": labels,
        "correct": labels.index(correct_label),
        "explanation": explanation,
        "explanation_html": render_markdown(explanation),
        "source_title": source_title,
        "source_url": source_url,
        "article": article,
    }


def _refuse_if_played(quiz: Quiz) -> None:
    if Attempt.objects.filter(quiz=quiz).exists():
        raise Conflict("Patients have played this quiz: its questions can no longer change.")


def _write_choices(question: Question, labels: list[str], correct: int) -> None:
    QuestionChoice.objects.bulk_create(
        QuestionChoice(question=question, label=label, position=index, is_correct=index == correct)
        for index, label in enumerate(labels)
    )


def add_question(*, by: User, quiz: Quiz, draft: QuestionDraft) -> Question:
    fields = _question_fields(draft, quiz.practice)
    labels: list[str] = fields.pop("labels")
    correct: int = fields.pop("correct")
    require(by, Action.EDIT_POST, quiz.post)
    with transaction.atomic():
        Quiz.objects.select_for_update().get(pk=quiz.pk)
        _refuse_if_played(quiz)
        positions = list(quiz.questions.values_list("position", flat=True))
        if len(positions) >= MAX_QUESTIONS:
            raise Conflict(f"A quiz has at most {MAX_QUESTIONS} questions.")
        question = Question.objects.create(
            quiz=quiz, position=max(positions, default=-1) + 1, **fields
        )
        _write_choices(question, labels, correct)
    return question


def update_question(*, by: User, question: Question, draft: QuestionDraft) -> Question:
    quiz = question.quiz
    fields = _question_fields(draft, quiz.practice)
    labels: list[str] = fields.pop("labels")
    correct: int = fields.pop("correct")
    require(by, Action.EDIT_POST, quiz.post)
    with transaction.atomic():
        Quiz.objects.select_for_update().get(pk=quiz.pk)
        _refuse_if_played(quiz)
        for name, value in fields.items():
            setattr(question, name, value)
        question.save()
        question.choices.all().delete()
        _write_choices(question, labels, correct)
    return question


def remove_question(*, by: User, question: Question) -> None:
    quiz = question.quiz
    require(by, Action.EDIT_POST, quiz.post)
    with transaction.atomic():
        Quiz.objects.select_for_update().get(pk=quiz.pk)
        _refuse_if_played(quiz)
        question.delete()


def answer_question(*, quiz: Quiz, patient: User, question: Question, choice_id: int) -> Answer:
    """Record ``patient``'s one answer to ``question`` in their one scored attempt, which
    starts with their first answer and finishes with their last."""
    require(patient, Action.PLAY_QUIZ, quiz)
    if not quiz.post.is_published:
        raise Conflict("This quiz is not open yet.")
    if question.quiz_id != quiz.pk:
        raise Invalid("Answer this quiz's questions.", field="choice")
    choice = QuestionChoice.objects.filter(question=question, pk=choice_id).first()
    if choice is None:
        raise Invalid("Choose one of the answers.", field="choice")
    total = Question.objects.filter(quiz=quiz).count()
    already = Conflict("You have answered this question already: your first answer counts.")
    try:
        with transaction.atomic():
            attempt, _ = Attempt.objects.get_or_create(quiz=quiz, user=patient)
            attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
            if attempt.is_finished:
                raise Conflict("You have played this quiz already: one scored try per person.")
            if Answer.objects.filter(attempt=attempt, question=question).exists():
                raise already
            answer = Answer.objects.create(
                attempt=attempt, question=question, choice=choice, is_correct=choice.is_correct
            )
            attempt.answered += 1
            attempt.score += int(choice.is_correct)
            fields = ["answered", "score"]
            if attempt.answered >= total:
                attempt.finished_at = timezone.now()
                fields.append("finished_at")
                Quiz.objects.filter(pk=quiz.pk).update(attempt_count=F("attempt_count") + 1)
            attempt.save(update_fields=fields)
    except IntegrityError:
        raise already from None
    return answer


def show_on_leaderboard(*, quiz: Quiz, patient: User, show: bool) -> Attempt:
    """Opt in (or back out) of the quiz's leaderboard, by display name only."""
    require(patient, Action.PLAY_QUIZ, quiz)
    if not quiz.has_leaderboard:
        raise Conflict("This quiz has no leaderboard.")
    attempt = Attempt.objects.filter(quiz=quiz, user=patient).first()
    if attempt is None or not attempt.is_finished:
        raise Conflict("Finish the quiz first, then choose whether to show your score.")
    with transaction.atomic():
        Attempt.objects.filter(pk=attempt.pk).update(on_leaderboard=show)
    attempt.on_leaderboard = show
    return attempt
