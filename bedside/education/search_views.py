"""Education's search page and the live readability check used by every editor.

``education_search`` (``/p/<slug>/search/``) searches the practice's published articles and
answers (``bedside.education.search``). ``readability_check`` is the htmx endpoint behind
the readability panel: it scores the text of one field of the form around it with
``bedside.screening.readability`` against the practice's target grade, for staff only.
"""

import re
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from bedside.core.errors import NotFound
from bedside.education import search
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, access_practice, can
from bedside.screening import readability

# The panel names the field it reads ("body" by default); anything else is not a field name.
_FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]{0,59}")
LONG_SENTENCE_WORDS = 20


class SearchForm(forms.Form):
    q = forms.CharField(
        required=False,
        label="Search articles and answers",
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
        help_text="Words, a phrase in quotes, or -word to leave a word out.",
    )
    tag = forms.ChoiceField(required=False, label="Topic")
    page = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)

    def __init__(self, *args: Any, tags: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag_field = self.fields["tag"]
        assert isinstance(tag_field, forms.ChoiceField)
        tag_field.choices = [("", "All topics"), *tags]


@require_GET
def education_search(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access_practice(slug)
    tags = search.practice_tags(practice, request.user)
    form = SearchForm(request.GET or None, tags=[(t.slug, t.name) for t in tags])
    results = search.Results(query="", tag=None)
    if form.is_bound:
        # An unknown topic or page is ignored rather than refused: search what can be searched.
        query = request.GET.get("q", "")
        tag_slug = form.cleaned_data["tag"] if form.is_valid() else ""
        page = (form.cleaned_data.get("page") or 1) if form.is_valid() else 1
        results = search.search(
            practice, request.user, query=query, tag_slug=tag_slug or None, page=page
        )
    context = {
        "practice": practice,
        "form": form,
        "results": results,
        "tags": tags,
        "max_query_chars": search.MAX_QUERY_CHARS,
        "can_ask": can(request.user, Action.ASK_QUESTION, practice),
    }
    return render(request, "education/search/search.html", context)


def _studio_practice(request: HttpRequest, slug: str) -> Practice:
    practice = access_practice(slug)
    if not can(request.user, Action.USE_STUDIO, practice):
        raise NotFound("No such page.")
    return practice


@login_required
@require_POST
def readability_check(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    name = request.POST.get("field", "body")
    if not _FIELD_NAME.fullmatch(name):
        name = "body"
    assessment = readability.assess(request.POST.get(name, ""))
    swaps: dict[str, readability.JargonHit] = {}
    counts: dict[str, int] = {}
    for hit in assessment.jargon:
        swaps.setdefault(hit.term, hit)
        counts[hit.term] = counts.get(hit.term, 0) + 1
    context = {
        "practice": practice,
        "assessment": assessment,
        "target_grade": practice.target_grade,
        "meets_target": assessment.meets(practice.target_grade),
        "long_sentence_words": LONG_SENTENCE_WORDS,
        "swaps": [(hit, counts[term]) for term, hit in swaps.items()],
        "grade_scale_max": max(18, int(assessment.fk_grade) + 1),
    }
    return render(request, "screening/_readability.html", context)
