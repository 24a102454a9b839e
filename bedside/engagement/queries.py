"""Reads for the poll and quiz pages, each a fixed number of queries whatever the data size."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Subquery

from bedside.engagement.models import (
    Answer,
    Attempt,
    BallotMark,
    Poll,
    PollChoice,
    Question,
    Quiz,
    ResultsShown,
)
from bedside.practices.models import Membership
from bedside.practices.permissions import Action, AnyUser, can

LEADERBOARD_SIZE = 10


@dataclass(frozen=True)
class ChoiceResult:
    choice_id: int
    label: str
    votes: int
    percent: int
    chosen: bool


@dataclass(frozen=True)
class PollView:
    """The poll as the viewer sees it: choices, their own vote, and results if shown."""

    poll: Poll
    choices: list[ChoiceResult]
    has_voted: bool
    results_visible: bool

    @property
    def voters(self) -> int:
        return self.poll.voter_count


def poll_view(poll: Poll, viewer: AnyUser) -> PollView:
    """Two queries: the choices with their counters, and the viewer's marks."""
    choices = list(PollChoice.objects.filter(poll=poll).order_by("position", "id"))
    marked: set[int] = set()
    if viewer.is_authenticated:
        marked = set(
            BallotMark.objects.filter(ballot__poll=poll, ballot__user=viewer).values_list(
                "choice_id", flat=True
            )
        )
    has_voted = bool(marked)
    results_visible = (
        poll.is_closed
        or (has_voted and poll.results_shown == ResultsShown.AFTER_VOTING)
        or can(viewer, Action.VIEW_POLL_RESULTS, poll)
    )
    voters = poll.voter_count
    rows = [
        ChoiceResult(
            choice_id=choice.pk,
            label=choice.label,
            votes=choice.vote_count,
            percent=round(100 * choice.vote_count / voters) if voters else 0,
            chosen=choice.pk in marked,
        )
        for choice in choices
    ]
    return PollView(poll=poll, choices=rows, has_voted=has_voted, results_visible=results_visible)


# --- quizzes -----------------------------------------------------------------------------


def quiz_questions(quiz: Quiz) -> list[Question]:
    """Every question in order with its choices and linked article: two queries."""
    return list(
        Question.objects.filter(quiz=quiz)
        .select_related("article__practice")
        .prefetch_related("choices")
        .order_by("position", "id")
    )


@dataclass
class QuizProgress:
    """The viewer's scored attempt, if any, and their answers by question id."""

    attempt: Attempt | None
    answers: dict[int, Answer] = field(default_factory=dict)

    @property
    def is_finished(self) -> bool:
        return self.attempt is not None and self.attempt.is_finished


def quiz_progress(quiz: Quiz, viewer: AnyUser) -> QuizProgress:
    """At most two queries: the attempt, then its answers."""
    if not viewer.is_authenticated:
        return QuizProgress(attempt=None)
    attempt = Attempt.objects.filter(quiz=quiz, user=viewer).first()
    if attempt is None:
        return QuizProgress(attempt=None)
    answers = {a.question_id: a for a in Answer.objects.filter(attempt=attempt)}
    return QuizProgress(attempt=attempt, answers=answers)


@dataclass(frozen=True)
class LeaderRow:
    rank: int
    display_name: str
    score: int
    is_viewer: bool


def leaderboard(quiz: Quiz, viewer: AnyUser, size: int = LEADERBOARD_SIZE) -> list[LeaderRow]:
    """The best finished attempts of patients who opted in, by display name only; ties share
    a rank (the earlier finisher is listed first). One query."""
    names = Membership.objects.filter(
        user_id=OuterRef("user_id"), practice_id=quiz.practice_id
    ).values("display_name")[:1]
    rows = (
        Attempt.objects.filter(quiz=quiz, on_leaderboard=True, finished_at__isnull=False)
        .annotate(display_name=Subquery(names))
        .order_by("-score", "finished_at", "id")
        .values_list("user_id", "display_name", "score")[:size]
    )
    board: list[LeaderRow] = []
    rank = 0
    previous: int | None = None
    for index, (user_id, name, score) in enumerate(rows, start=1):
        if score != previous:
            rank, previous = index, score
        board.append(
            LeaderRow(
                rank=rank,
                display_name=name or "Former member",
                score=score,
                is_viewer=viewer.is_authenticated and user_id == viewer.pk,
            )
        )
    return board
