"""Forms of the poll and quiz pages: the studio's editors and the patients' ballots."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django import forms

from bedside.core.errors import Invalid
from bedside.engagement.models import Poll, PollStyle, Question, Quiz, ResultsShown
from bedside.engagement.queries import ChoiceResult
from bedside.engagement.services import (
    MAX_CHOICE,
    MAX_EXPLANATION,
    MAX_PROMPT,
    MAX_QUIZ_CHOICES,
    MAX_SOURCE_TITLE,
    MAX_URL,
    PollDetails,
    PostText,
    QuestionDraft,
)
from bedside.posts.models import Kind, Post, Topic, Visibility
from bedside.posts.services import MAX_TITLE
from bedside.practices.models import Practice

MARKDOWN_HELP = "Markdown: **bold**, *italic*, [a link](https://example.org), lists with -."


class LocalDateTimeField(forms.Field):
    """A wall-clock date and time, kept naive: the practice's time zone gives it meaning."""

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    default_error_messages = {"invalid": "Enter a date and time like 2026-05-14 18:30."}

    def to_python(self, value: Any) -> datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, datetime):
            return value
        text = str(value).strip().replace(" ", "T", 1)
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from None
        if parsed.tzinfo is not None:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed.replace(second=0, microsecond=0)


class InvalidMixin(forms.Form):
    def add_invalid(self, error: Invalid) -> None:
        self.add_error(error.field if error.field in self.fields else None, error.message)


class PostTextForm(InvalidMixin):
    title = forms.CharField(max_length=MAX_TITLE)
    topic = forms.ChoiceField(
        choices=Topic.choices,
        widget=forms.RadioSelect,
        initial=Topic.NON_MEDICAL,
        error_messages={"required": "Say whether this is medical or non-medical."},
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.PUBLIC
    )
    body = forms.CharField(
        label="Introduction", widget=forms.Textarea(attrs={"rows": 5}), help_text=MARKDOWN_HELP
    )

    def text(self) -> PostText:
        data = self.cleaned_data
        return PostText(
            topic=data["topic"], title=data["title"], body=data["body"],
            visibility=data["visibility"],
        )  # fmt: skip


class PollForm(PostTextForm):
    style = forms.ChoiceField(
        label="Kind of poll",
        choices=PollStyle.choices,
        widget=forms.RadioSelect,
        initial=PollStyle.CHOICE,
    )
    choices = forms.CharField(
        label="Choices",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=f"One choice per line, 2 to 10 (each up to {MAX_CHOICE} characters). "
        "Leave empty for an open question.",
    )
    allows_multiple = forms.BooleanField(label="Patients may tick several choices", required=False)
    closes_at = LocalDateTimeField(
        label="Closes",
        help_text="Date and time in the practice's time zone, e.g. 2026-05-14 18:30.",
        error_messages={"required": "Say when the poll closes."},
    )
    results_shown = forms.ChoiceField(
        label="Show the results",
        choices=ResultsShown.choices,
        widget=forms.RadioSelect,
        initial=ResultsShown.AFTER_VOTING,
    )

    def details(self) -> PollDetails:
        data = self.cleaned_data
        return PollDetails(
            closes_at=data["closes_at"],
            style=data["style"],
            allows_multiple=data["allows_multiple"],
            results_shown=data["results_shown"],
            choices=data["choices"].splitlines(),
        )


def poll_initial(poll: Poll) -> dict[str, Any]:
    post = poll.post
    closes_at = poll.closes_at.astimezone(ZoneInfo(poll.practice.time_zone))
    return {
        "title": post.title,
        "topic": post.topic,
        "visibility": post.visibility,
        "body": post.body,
        "style": poll.style,
        "choices": "\n".join(poll.choices.values_list("label", flat=True)),
        "allows_multiple": poll.allows_multiple,
        "closes_at": closes_at.replace(tzinfo=None),
        "results_shown": poll.results_shown,
    }


class QuizForm(PostTextForm):
    has_leaderboard = forms.BooleanField(
        label="Show a leaderboard",
        required=False,
        initial=True,
        help_text="Only patients who choose to appear are listed, by their display name.",
    )


def quiz_initial(quiz: Quiz) -> dict[str, Any]:
    post = quiz.post
    return {
        "title": post.title,
        "topic": post.topic,
        "visibility": post.visibility,
        "body": post.body,
        "has_leaderboard": quiz.has_leaderboard,
    }


class QuestionForm(InvalidMixin):
    prompt = forms.CharField(label="Question", max_length=MAX_PROMPT)
    choice_1 = forms.CharField(label="Choice 1", max_length=MAX_CHOICE)
    choice_2 = forms.CharField(label="Choice 2", max_length=MAX_CHOICE)
    choice_3 = forms.CharField(label="Choice 3 (optional)", max_length=MAX_CHOICE, required=False)
    choice_4 = forms.CharField(label="Choice 4 (optional)", max_length=MAX_CHOICE, required=False)
    choice_5 = forms.CharField(label="Choice 5 (optional)", max_length=MAX_CHOICE, required=False)
    correct = forms.TypedChoiceField(
        label="Which choice is right?",
        choices=[(str(n), f"Choice {n}") for n in range(1, MAX_QUIZ_CHOICES + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": "Say which choice is right."},
    )
    explanation = forms.CharField(
        label="Why",
        max_length=MAX_EXPLANATION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Shown after each answer. " + MARKDOWN_HELP,
    )
    source_title = forms.CharField(
        label="Source", max_length=MAX_SOURCE_TITLE, help_text="e.g. CDC: Flu vaccine facts"
    )
    source_url = forms.URLField(
        label="Source link", max_length=MAX_URL, assume_scheme="https", help_text="https://…"
    )
    article = forms.ModelChoiceField(
        queryset=Post.objects.none(),
        required=False,
        empty_label="No article",
        label="Read more in one of our articles",
    )

    def __init__(self, *args: Any, practice: Practice, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        article = self.fields["article"]
        assert isinstance(article, forms.ModelChoiceField)
        article.queryset = Post.objects.filter(practice=practice, kind=Kind.ARTICLE).order_by(
            "title"
        )

    def add_invalid(self, error: Invalid) -> None:
        field = "choice_1" if error.field == "choices" else error.field
        self.add_error(field if field in self.fields else None, error.message)

    def draft(self) -> QuestionDraft:
        data = self.cleaned_data
        return QuestionDraft(
            prompt=data["prompt"],
            choices=[data[f"choice_{n}"] for n in range(1, MAX_QUIZ_CHOICES + 1)],
            correct=data["correct"] - 1,
            explanation=data["explanation"],
            source_title=data["source_title"],
            source_url=data["source_url"],
            article=data["article"],
        )


def question_initial(question: Question) -> dict[str, Any]:
    initial: dict[str, Any] = {
        "prompt": question.prompt,
        "explanation": question.explanation,
        "source_title": question.source_title,
        "source_url": question.source_url,
        "article": question.article_id,
    }
    for index, choice in enumerate(question.choices.all(), start=1):
        initial[f"choice_{index}"] = choice.label
        if choice.is_correct:
            initial["correct"] = str(index)
    return initial


# --- patients ----------------------------------------------------------------------------


class BallotForm(InvalidMixin):
    """One radio group, or checkboxes where the poll allows several answers."""

    def __init__(self, *args: Any, poll: Poll, choices: list[ChoiceResult], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        options = [(str(c.choice_id), c.label) for c in choices]
        field: forms.Field
        if poll.allows_multiple:
            field = forms.TypedMultipleChoiceField(
                label="Your answers",
                choices=options,
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                help_text="Tick all that apply.",
                error_messages={"required": "Choose at least one answer."},
            )
        else:
            field = forms.TypedChoiceField(
                label="Your answer",
                choices=options,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose an answer before you vote."},
            )
        self.fields["choices"] = field

    def choice_ids(self) -> list[int]:
        value = self.cleaned_data["choices"]
        return list(value) if isinstance(value, list) else [value]


class AnswerForm(InvalidMixin):
    """The answer to one quiz question."""

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question_id = question.pk
        self.fields["choice"] = forms.TypedChoiceField(
            label=question.prompt,
            choices=[(str(c.pk), c.label) for c in question.choices.all()],
            coerce=int,
            widget=forms.RadioSelect,
            error_messages={"required": "Choose an answer."},
        )
