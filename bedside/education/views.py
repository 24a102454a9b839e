"""Education pages: articles and answers for everyone, the ask form for patients, and the
studio's article editor, review queue, question queue and trusted-source list for staff.

Views parse a form, call one service or query, and render. Studio pages answer 404 to
anyone not on the practice's staff, as the rest of the studio does. Publishing stays on the
studio's post page (``studio_post_edit``), which asks ``education.publishing`` first.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.core.errors import Conflict, Invalid, NotFound
from bedside.education.access import (
    access_answer,
    access_article,
    access_citation,
    access_own_question,
    access_question,
    access_trusted_source,
)
from bedside.education.forms import (
    AnswerForm,
    ArticleForm,
    BaseCitationFormSet,
    CloseQuestionForm,
    EducationSettingsForm,
    QuestionForm,
    TrustedSourceForm,
    answer_initial,
    article_initial,
    citation_formset,
)
from bedside.education.models import Answer, Article, QuestionStatus, TrustedSource
from bedside.education.publishing import answer_problems, article_problems
from bedside.education.queries import (
    answer_with_details,
    article_with_details,
    citations_of,
    my_questions,
    question_queue,
    review_queue,
)
from bedside.education.services import (
    add_trusted_source,
    answer_question,
    approve_citation,
    ask_question,
    close_question,
    create_article,
    decline_publication,
    education_settings_of,
    remove_trusted_source,
    review_state,
    sign_off_review,
    update_answer,
    update_article,
    update_education_settings,
)
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, access_practice, can, require, role_in
from bedside.screening import identifiers


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _studio_practice(request: HttpRequest, slug: str) -> Practice:
    practice = access_practice(slug)
    if not can(request.user, Action.USE_STUDIO, practice):
        raise NotFound("No such page.")
    return practice


# --- everyone ----------------------------------------------------------------------------


@require_GET
def article_detail(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    article = article_with_details(access_article(request.user, practice, post_id))
    context = {
        "practice": practice,
        "article": article,
        "post": article.post,
        "review_current": review_state(article) == "current",
        "can_edit": can(request.user, Action.EDIT_POST, article.post),
    }
    return render(request, "education/article_detail.html", context)


@require_GET
def answer_detail(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    answer = answer_with_details(access_answer(request.user, practice, post_id))
    context = {
        "practice": practice,
        "answer": answer,
        "post": answer.post,
        "can_edit": can(request.user, Action.EDIT_POST, answer.post),
        "can_ask": can(request.user, Action.ASK_QUESTION, practice),
    }
    return render(request, "education/answer_detail.html", context)


def _ask_page(
    request: HttpRequest, practice: Practice, form: QuestionForm, *, status: int = 200
) -> HttpResponse:
    context = {
        "practice": practice,
        "form": form,
        "questions": my_questions(_signed_in(request), practice),
        "can_ask": can(request.user, Action.ASK_QUESTION, practice),
    }
    return render(request, "education/ask.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def ask(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access_practice(slug)
    if role_in(request.user, practice.pk) is None:
        raise NotFound("No such page.")
    if request.method != "POST":
        return _ask_page(request, practice, QuestionForm())
    form = QuestionForm(request.POST)
    if form.is_valid():
        try:
            ask_question(
                asker=_signed_in(request), practice=practice, body=form.cleaned_data["body"]
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(
                request, "Thank you: your question went to our staff. We will tell you here."
            )
            return redirect("ask_question", slug=slug)
    return _ask_page(request, practice, form, status=422)


@login_required
@require_POST
def question_decline(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    practice = access_practice(slug)
    question = access_own_question(request.user, practice, question_id)
    try:
        decline_publication(asker=_signed_in(request), question=question)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Understood: we will not publish the answer to your question.")
    return redirect("ask_question", slug=slug)


# --- studio: articles --------------------------------------------------------------------


def _article_page(
    request: HttpRequest,
    practice: Practice,
    form: ArticleForm,
    sources: BaseCitationFormSet,
    article: Article | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, object] = {
        "practice": practice,
        "form": form,
        "sources": sources,
        "article": article,
    }
    if article is not None:
        article.refresh_from_db()
        context.update(
            {
                "citations": citations_of(article),
                "review": review_state(article),
                "problems": article_problems(article),
                "can_review": can(request.user, Action.REVIEW_ARTICLE, article),
                "can_approve": can(request.user, Action.APPROVE_CITATION, article),
            }
        )
    return render(request, "education/studio/article_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_article_new(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    require(request.user, Action.CREATE_POST, practice)
    if request.method != "POST":
        return _article_page(request, practice, ArticleForm(), citation_formset(None))
    form = ArticleForm(request.POST)
    sources = citation_formset(None, request.POST)
    if form.is_valid() and sources.is_valid():
        try:
            article = create_article(
                by=_signed_in(request),
                practice=practice,
                text=form.text(),
                citations=sources.citations(),
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, "Article saved as a draft.")
            return redirect("studio_article_edit", slug=slug, post_id=article.post_id)
    return _article_page(request, practice, form, sources, status=422)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_article_edit(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    article = access_article(request.user, practice, post_id)
    require(request.user, Action.EDIT_POST, article.post)
    if request.method != "POST":
        form = ArticleForm(initial=article_initial(article))
        return _article_page(request, practice, form, citation_formset(article), article)
    form = ArticleForm(request.POST)
    sources = citation_formset(article, request.POST)
    if form.is_valid() and sources.is_valid():
        try:
            update_article(
                by=_signed_in(request),
                article=article,
                text=form.text(),
                citations=sources.citations(),
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, "Article saved.")
            return redirect("studio_article_edit", slug=slug, post_id=post_id)
    return _article_page(request, practice, form, sources, article, status=422)


@login_required
@require_POST
def studio_article_review(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    article = access_article(request.user, practice, post_id)
    try:
        sign_off_review(by=_signed_in(request), article=article)
    except Conflict as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Medical review signed off.")
    # The studio's review page offers this sign-off too, to clinicians who may not edit the
    # article: send them back there, and never anywhere off this site.
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect("studio_article_edit", slug=slug, post_id=post_id)


@login_required
@require_POST
def studio_citation_approve(
    request: HttpRequest, slug: str, post_id: int, citation_id: int
) -> HttpResponse:
    practice = _studio_practice(request, slug)
    article = access_article(request.user, practice, post_id)
    citation = access_citation(article, citation_id)
    approve_citation(by=_signed_in(request), citation=citation)
    messages.success(request, f"You approved {citation.domain} as a source for this article.")
    return redirect("studio_article_edit", slug=slug, post_id=post_id)


@login_required
@require_GET
def studio_review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    context = {
        "practice": practice,
        "items": review_queue(practice),
        "settings": education_settings_of(practice),
    }
    return render(request, "education/studio/review_queue.html", context)


# --- studio: questions and answers -------------------------------------------------------


@login_required
@require_GET
def studio_questions(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    require(request.user, Action.ANSWER_QUESTION, practice)
    status = request.GET.get("status", QuestionStatus.NEW)
    if status not in QuestionStatus.values:
        status = QuestionStatus.NEW
    context = {
        "practice": practice,
        "questions": question_queue(practice, status=status),
        "status": status,
        "statuses": QuestionStatus.choices,
    }
    return render(request, "education/studio/questions.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_question_answer(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    question = access_question(request.user, practice, question_id)
    form = AnswerForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            answer = answer_question(
                by=_signed_in(request),
                question=question,
                question_text=form.cleaned_data["question_text"],
                title=form.cleaned_data["title"],
                body=form.cleaned_data["body"],
                tags=form.cleaned_data["tags"],
            )
        except Invalid as error:
            form.add_invalid(error)
        except Conflict as error:
            messages.error(request, error.message)
            return redirect("studio_questions", slug=slug)
        else:
            messages.success(request, "Answer saved as a draft. The asker will be told.")
            return redirect("studio_answer_edit", slug=slug, post_id=answer.post_id)
    context = {
        "practice": practice,
        "question": question,
        "findings": identifiers.find(question.body),
        "form": form,
        "close_form": CloseQuestionForm(),
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "education/studio/answer_question.html", context, status=status)


@login_required
@require_POST
def studio_question_close(request: HttpRequest, slug: str, question_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    question = access_question(request.user, practice, question_id)
    form = CloseQuestionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        close_question(by=_signed_in(request), question=question, note=note)
    except (Invalid, Conflict) as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Question closed.")
    return redirect("studio_questions", slug=slug)


def _answer_page(
    request: HttpRequest, answer: Answer, form: AnswerForm, *, status: int = 200
) -> HttpResponse:
    answer.refresh_from_db()
    answer.post.refresh_from_db()
    context = {
        "practice": answer.practice,
        "answer": answer,
        "form": form,
        "problems": answer_problems(answer),
    }
    return render(request, "education/studio/answer_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_answer_edit(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    answer = access_answer(request.user, practice, post_id)
    require(request.user, Action.EDIT_POST, answer.post)
    if request.method != "POST":
        return _answer_page(request, answer, AnswerForm(initial=answer_initial(answer)))
    form = AnswerForm(request.POST)
    if form.is_valid():
        try:
            with transaction.atomic():
                update_answer(by=_signed_in(request), answer=answer, **form.cleaned_data)
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, "Answer saved.")
            return redirect("studio_answer_edit", slug=slug, post_id=post_id)
    return _answer_page(request, answer, form, status=422)


# --- studio: trusted sources -------------------------------------------------------------


def _sources_page(
    request: HttpRequest,
    practice: Practice,
    form: TrustedSourceForm,
    settings_form: EducationSettingsForm | None = None,
    *,
    status: int = 200,
) -> HttpResponse:
    settings = education_settings_of(practice)
    context = {
        "practice": practice,
        "form": form,
        "settings_form": settings_form
        or EducationSettingsForm(
            initial={
                "review_valid_months": settings.review_valid_months,
                "require_review": settings.require_review,
            }
        ),
        "sources": list(TrustedSource.objects.filter(practice=practice)),
    }
    return render(request, "education/studio/sources.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_trusted_sources(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    require(request.user, Action.MANAGE_TRUSTED_SOURCES, practice)
    if request.method != "POST":
        return _sources_page(request, practice, TrustedSourceForm())
    form = TrustedSourceForm(request.POST)
    if form.is_valid():
        try:
            source = add_trusted_source(
                by=_signed_in(request), practice=practice, **form.cleaned_data
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, f"{source.domain} is now a trusted source.")
            return redirect("studio_trusted_sources", slug=slug)
    return _sources_page(request, practice, form, status=422)


@login_required
@require_POST
def studio_trusted_source_remove(request: HttpRequest, slug: str, source_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    source = access_trusted_source(practice, source_id)
    remove_trusted_source(by=_signed_in(request), source=source)
    messages.success(request, f"{source.domain} is no longer on the trusted list.")
    return redirect("studio_trusted_sources", slug=slug)


@login_required
@require_POST
def studio_education_settings(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    require(request.user, Action.MANAGE_TRUSTED_SOURCES, practice)
    form = EducationSettingsForm(request.POST)
    if form.is_valid():
        try:
            update_education_settings(
                by=_signed_in(request), practice=practice, **form.cleaned_data
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, "Review settings saved.")
            return redirect("studio_trusted_sources", slug=slug)
    return _sources_page(request, practice, TrustedSourceForm(), form, status=422)
