"""Polls and trivia quizzes: each a post of its kind with a one-to-one row of details.

The database holds the promises: one ballot per patient and poll, each choice at most once
on a ballot, one scored attempt per patient and quiz, one answer per question in it, and
at most one right choice per question. Counters (votes per choice, voters per poll) live
on the rows and move with ``F()`` in the services, so a results page never counts ballots.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from bedside.core.models import TimeStampedModel
from bedside.posts.models import Post
from bedside.practices.models import Practice


class PollStyle(models.TextChoices):
    CHOICE = "choice", "Patients pick from choices"
    OPINION = "opinion", "An open question patients answer in the comments"


class ResultsShown(models.TextChoices):
    AFTER_VOTING = "after_voting", "To each patient once they have voted"
    AFTER_CLOSING = "after_closing", "To everyone, only once the poll has closed"


class Poll(TimeStampedModel):
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="poll")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="polls")
    style = models.CharField(max_length=16, choices=PollStyle.choices, default=PollStyle.CHOICE)
    allows_multiple = models.BooleanField(
        default=False, help_text="Patients may tick several choices."
    )
    closes_at = models.DateTimeField()
    results_shown = models.CharField(
        max_length=16, choices=ResultsShown.choices, default=ResultsShown.AFTER_VOTING
    )
    voter_count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(style="choice") | Q(allows_multiple=False),
                name="only_choice_polls_allow_several",
            ),
        ]

    def __str__(self) -> str:
        return f"Poll {self.pk} ({self.post_id})"

    @property
    def is_opinion(self) -> bool:
        return self.style == PollStyle.OPINION

    @property
    def is_closed(self) -> bool:
        return self.closes_at <= timezone.now()


class PollChoice(models.Model):
    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    vote_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "position"], name="poll_choice_position"),
        ]

    def __str__(self) -> str:
        return self.label


class Ballot(models.Model):
    """One patient's vote in one poll; its marks are the choices they ticked."""

    poll = models.ForeignKey(Poll, on_delete=models.CASCADE, related_name="ballots")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ballots"
    )
    cast_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["poll", "user"], name="one_ballot_per_patient"),
        ]

    def __str__(self) -> str:
        return f"Ballot {self.pk} in poll {self.poll_id}"


class BallotMark(models.Model):
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="marks")
    choice = models.ForeignKey(PollChoice, on_delete=models.CASCADE, related_name="marks")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["ballot", "choice"], name="one_mark_per_choice"),
        ]

    def __str__(self) -> str:
        return f"Mark {self.choice_id} on ballot {self.ballot_id}"


# --- quizzes -----------------------------------------------------------------------------


class Quiz(TimeStampedModel):
    post = models.OneToOneField(Post, on_delete=models.CASCADE, related_name="quiz")
    practice = models.ForeignKey(Practice, on_delete=models.CASCADE, related_name="quizzes")
    has_leaderboard = models.BooleanField(
        default=True, help_text="Patients who opt in appear by display name."
    )
    attempt_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"Quiz {self.pk} ({self.post_id})"


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    prompt = models.CharField(max_length=300)
    explanation = models.TextField(help_text="Markdown: why the right answer is right.")
    explanation_html = models.TextField(editable=False)
    source_title = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500)
    article = models.ForeignKey(
        Post,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="One of the practice's articles to read more.",
    )

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["quiz", "position"], name="question_position"),
        ]

    def __str__(self) -> str:
        return self.prompt


class QuestionChoice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    label = models.CharField(max_length=200)
    position = models.PositiveSmallIntegerField()
    is_correct = models.BooleanField(default=False)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["question", "position"], name="question_choice_position"
            ),
            models.UniqueConstraint(
                fields=["question"], condition=Q(is_correct=True), name="one_right_choice"
            ),
        ]

    def __str__(self) -> str:
        return self.label


class Attempt(models.Model):
    """A patient's one scored run through a quiz; ``finished_at`` once every question is
    answered."""

    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    score = models.PositiveSmallIntegerField(default=0)
    answered = models.PositiveSmallIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    on_leaderboard = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["quiz", "user"], name="one_scored_attempt"),
            models.CheckConstraint(
                condition=Q(score__lte=models.F("answered")), name="score_within_answered"
            ),
        ]
        indexes = [
            models.Index(
                fields=["quiz", "-score", "finished_at"],
                condition=Q(on_leaderboard=True, finished_at__isnull=False),
                name="quiz_leaderboard",
            ),
        ]

    def __str__(self) -> str:
        return f"Attempt {self.pk} at quiz {self.quiz_id}"

    @property
    def is_finished(self) -> bool:
        return self.finished_at is not None


class Answer(models.Model):
    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(QuestionChoice, on_delete=models.CASCADE, related_name="+")
    is_correct = models.BooleanField()
    answered_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "question"], name="one_answer_per_question"),
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"
