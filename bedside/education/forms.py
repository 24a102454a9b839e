"""The education pages' forms: parse what people typed, hand it to a service."""

from datetime import date
from typing import Any

from django import forms
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone

from bedside.core.errors import Invalid
from bedside.education.models import Answer, Article, ArticleFormat
from bedside.education.services import (
    MAX_MYTH,
    MAX_QUESTION,
    MAX_QUESTION_TEXT,
    MAX_SUMMARY,
    ArticleText,
    CitationInput,
)
from bedside.posts.models import Visibility
from bedside.posts.services import MAX_TITLE

MARKDOWN_HELP = "Markdown: **bold**, *italic*, [a link](https://example.org), lists with -."


class InvalidMixin:
    def add_invalid(self, error: Invalid) -> None:
        form: Any = self
        form.add_error(error.field if error.field in form.fields else None, error.message)


class ArticleForm(InvalidMixin, forms.Form):
    format = forms.ChoiceField(
        choices=ArticleFormat.choices, widget=forms.RadioSelect, initial=ArticleFormat.STANDARD
    )
    title = forms.CharField(max_length=MAX_TITLE)
    summary = forms.CharField(
        max_length=MAX_SUMMARY,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="One or two plain sentences shown in the feed and in search.",
    )
    myth = forms.CharField(
        max_length=MAX_MYTH,
        required=False,
        label="The myth",
        help_text="Myth vs. fact only: what people often believe.",
    )
    fact = forms.CharField(
        max_length=MAX_MYTH,
        required=False,
        label="The fact",
        help_text="Myth vs. fact only: what the evidence says.",
    )
    body = forms.CharField(
        label="Article (for myth vs. fact: why)",
        widget=forms.Textarea(attrs={"rows": 14, "data-readability-source": ""}),
        help_text=MARKDOWN_HELP,
    )
    tags = forms.CharField(
        required=False, max_length=500, help_text="Separate tags with commas, e.g. flu, vaccines."
    )
    visibility = forms.ChoiceField(
        choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.PUBLIC
    )

    def text(self) -> ArticleText:
        data = self.cleaned_data
        return ArticleText(
            title=data["title"],
            summary=data["summary"],
            body=data["body"],
            tags=data["tags"],
            format=data["format"],
            myth=data["myth"],
            fact=data["fact"],
            visibility=data["visibility"],
        )


def article_initial(article: Article) -> dict[str, object]:
    return {
        "format": article.format,
        "title": article.post.title,
        "summary": article.summary,
        "myth": article.myth,
        "fact": article.fact,
        "body": article.post.body,
        "tags": ", ".join(tag.name for tag in article.tags.all()),
        "visibility": article.post.visibility,
    }


class CitationForm(forms.Form):
    url = forms.URLField(
        label="Link", required=False, max_length=500, assume_scheme="https",
        help_text="https:// or http:// only.",
    )  # fmt: skip
    title = forms.CharField(label="Title of the page", required=False, max_length=300)
    publisher = forms.CharField(required=False, max_length=200, help_text="e.g. CDC")
    accessed_on = forms.DateField(
        label="Date you read it",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("url"):
            if data.get("title") or data.get("publisher"):
                self.add_error("url", "Give the link to this source.")
            return data
        if not str(data["url"]).lower().startswith(("https://", "http://")):
            self.add_error("url", "Only https:// or http:// links.")
        if not data.get("title"):
            self.add_error("title", "Give the page's title.")
        if not data.get("publisher"):
            self.add_error("publisher", "Say who published it.")
        if not data.get("accessed_on"):
            data["accessed_on"] = timezone.localdate()
        return data


class BaseCitationFormSet(BaseFormSet[CitationForm]):
    def citations(self) -> list[CitationInput]:
        rows = []
        for form in self.forms:
            data = form.cleaned_data
            if not data.get("url"):
                continue
            accessed: date = data["accessed_on"]
            rows.append(
                CitationInput(
                    url=data["url"],
                    title=data["title"],
                    publisher=data["publisher"],
                    accessed_on=accessed,
                )
            )
        return rows


def citation_formset(article: Article | None, data: Any = None) -> BaseCitationFormSet:
    """Rows for the article's sources and at least two empty ones to add more."""
    initial = []
    if article is not None:
        initial = [
            {
                "url": citation.url,
                "title": citation.title,
                "publisher": citation.publisher,
                "accessed_on": citation.accessed_on,
            }
            for citation in article.citations.all()
        ]
    factory = formset_factory(
        CitationForm, formset=BaseCitationFormSet, extra=max(2, 3 - len(initial)), max_num=20
    )
    formset = (
        factory(data, prefix="citations")
        if data is not None
        else factory(initial=initial, prefix="citations")
    )
    assert isinstance(formset, BaseCitationFormSet)
    return formset


class QuestionForm(InvalidMixin, forms.Form):
    body = forms.CharField(
        label="Your question",
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Only our staff see it. Please leave out names, dates of birth and numbers.",
    )


class AnswerForm(InvalidMixin, forms.Form):
    question_text = forms.CharField(
        label="The question, as it will be published",
        max_length=MAX_QUESTION_TEXT,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Rephrase it for everyone: no names, dates, places or numbers.",
    )
    title = forms.CharField(max_length=MAX_TITLE)
    body = forms.CharField(
        label="Answer",
        widget=forms.Textarea(attrs={"rows": 12, "data-readability-source": ""}),
        help_text=MARKDOWN_HELP,
    )
    tags = forms.CharField(required=False, max_length=500, help_text="Separate with commas.")


def answer_initial(answer: Answer) -> dict[str, object]:
    return {
        "question_text": answer.question_text,
        "title": answer.post.title,
        "body": answer.post.body,
        "tags": ", ".join(tag.name for tag in answer.tags.all()),
    }


class CloseQuestionForm(InvalidMixin, forms.Form):
    note = forms.CharField(
        label="A private note to the asker",
        required=False,
        max_length=MAX_QUESTION,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="e.g. “This needs a visit: please call us to book.”",
    )


class TrustedSourceForm(InvalidMixin, forms.Form):
    domain = forms.CharField(max_length=300, help_text="e.g. cdc.gov (its subdomains count too)")
    name = forms.CharField(max_length=200, help_text="e.g. CDC")


class EducationSettingsForm(InvalidMixin, forms.Form):
    review_valid_months = forms.IntegerField(
        label="A review stays current for (months)", min_value=1, max_value=60
    )
    require_review = forms.BooleanField(
        label="Publish articles only with a current medical review", required=False
    )
