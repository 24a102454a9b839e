"""Poll and quiz pages for patients (vote, play, leaderboard) and for staff (build them).

Views parse, call one service or query, and render. A refused vote or answer (a second
one, a closed poll, too many in a minute) re-renders the page with the reason and the refusal's
status. Studio pages answer 404 to anyone not on the practice's staff, as the rest of the
studio does.
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.core.errors import Conflict, Invalid, NotFound
from bedside.engagement.access import access_poll, access_question, access_quiz
from bedside.engagement.forms import (
    AnswerForm,
    BallotForm,
    PollForm,
    QuestionForm,
    QuizForm,
    poll_initial,
    question_initial,
    quiz_initial,
)
from bedside.engagement.models import Poll, Question, Quiz
from bedside.engagement.queries import leaderboard, poll_view, quiz_progress, quiz_questions
from bedside.engagement.ratelimit import Limit, consume
from bedside.engagement.services import (
    add_question,
    answer_question,
    close_poll,
    create_poll,
    create_quiz,
    remove_question,
    show_on_leaderboard,
    update_poll,
    update_question,
    update_quiz,
    vote,
)
from bedside.posts.forms import CommentForm
from bedside.posts.queries import post_with_comments
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, access_practice, can, require, role_in

# Votes and quiz answers a patient may send per minute: a person clicks a handful, a script
# many more. Counted per request here, so the demo's seeding (services only) is not slowed.
VOTE_LIMIT = Limit(count=20, seconds=60)
ANSWER_LIMIT = Limit(count=30, seconds=60)


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _joining(request: HttpRequest, practice: Practice) -> dict[str, Any]:
    return {
        "is_member": role_in(request.user, practice.pk) is not None,
        "can_follow": can(request.user, Action.FOLLOW_PRACTICE, practice),
    }


# --- polls -------------------------------------------------------------------------------


def _poll_page(
    request: HttpRequest,
    practice: Practice,
    poll: Poll,
    *,
    form: BallotForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    view = poll_view(poll, request.user)
    can_vote = (
        poll.post.is_published
        and not poll.is_opinion
        and not poll.is_closed
        and not view.has_voted
        and can(request.user, Action.VOTE, poll)
    )
    if form is None and can_vote:
        form = BallotForm(poll=poll, choices=view.choices)
    context: dict[str, Any] = {
        "practice": practice,
        "poll": poll,
        "post": poll.post,
        "view": view,
        "form": form if can_vote else None,
        "refusal": refusal,
        "can_edit": can(request.user, Action.EDIT_POST, poll.post),
        **_joining(request, practice),
    }
    if poll.is_opinion:
        context.update(_comments_context(request, practice, poll.post_id))
    return render(request, "engagement/poll_detail.html", context, status=status)


def _comments_context(request: HttpRequest, practice: Practice, post_id: int) -> dict[str, Any]:
    thread = post_with_comments(request.user, practice, post_id)
    comments = [
        {
            "comment": comment,
            "author_name": thread.display_names.get(comment.author_id, "Former member"),
            "can_delete": can(request.user, Action.DELETE_COMMENT, comment),
            "can_hide": not comment.is_hidden and can(request.user, Action.HIDE_COMMENT, comment),
        }
        for comment in thread.comments
    ]
    return {
        "comments": comments,
        "comment_form": CommentForm(),
        "can_comment": thread.post.is_published and can(request.user, Action.COMMENT, thread.post),
    }


@require_GET
def poll_detail(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    poll = access_poll(request.user, practice, post_id)
    return _poll_page(request, practice, poll)


@login_required
@require_POST
def poll_vote(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    poll = access_poll(request.user, practice, post_id)
    view = poll_view(poll, request.user)
    form = BallotForm(request.POST, poll=poll, choices=view.choices)
    if not form.is_valid():
        return _poll_page(request, practice, poll, form=form, status=422)
    try:
        consume(scope="vote", who=_signed_in(request).pk, limit=VOTE_LIMIT)
        vote(poll=poll, patient=_signed_in(request), choice_ids=form.choice_ids())
    except Invalid as error:
        form.add_invalid(error)
        return _poll_page(request, practice, poll, form=form, status=422)
    except Conflict as error:
        return _poll_page(request, practice, poll, refusal=error.message, status=error.status)
    messages.success(request, "Thank you for voting!")
    return redirect(f"{poll.post.get_absolute_url()}#poll-results")


# --- quizzes -----------------------------------------------------------------------------


def _quiz_page(
    request: HttpRequest,
    practice: Practice,
    quiz: Quiz,
    *,
    form: AnswerForm | None = None,
    refusal: str = "",
    status: int = 200,
) -> HttpResponse:
    questions = quiz_questions(quiz)
    progress = quiz_progress(quiz, request.user)
    can_play = quiz.post.is_published and can(request.user, Action.PLAY_QUIZ, quiz)
    feedback = None
    answered = request.GET.get("answered", "")
    if answered.isdigit() and int(answered) in progress.answers:
        given = progress.answers[int(answered)]
        question = next(q for q in questions if q.pk == given.question_id)
        right = next((c for c in question.choices.all() if c.is_correct), None)
        feedback = {"question": question, "answer": given, "right": right}
    current = None
    if can_play and not progress.is_finished and feedback is None:
        current = next((q for q in questions if q.pk not in progress.answers), None)
        if current is not None and (form is None or form.question_id != current.pk):
            form = AnswerForm(question=current)
    review = []
    if progress.is_finished:
        for question in questions:
            answer = progress.answers.get(question.pk)
            right = next((c for c in question.choices.all() if c.is_correct), None)
            review.append({"question": question, "answer": answer, "right": right})
    context: dict[str, Any] = {
        "practice": practice,
        "quiz": quiz,
        "post": quiz.post,
        "questions": questions,
        "total": len(questions),
        "progress": progress,
        "attempt": progress.attempt,
        "can_play": can_play,
        "current": current,
        "number": len(progress.answers) + 1,
        "form": form if current is not None else None,
        "feedback": feedback,
        "review": review,
        "refusal": refusal,
        "board": leaderboard(quiz, request.user) if quiz.has_leaderboard else [],
        "can_edit": can(request.user, Action.EDIT_POST, quiz.post),
        **_joining(request, practice),
    }
    return render(request, "engagement/quiz_detail.html", context, status=status)


@require_GET
def quiz_detail(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    quiz = access_quiz(request.user, practice, post_id)
    return _quiz_page(request, practice, quiz)


@login_required
@require_POST
def quiz_answer(request: HttpRequest, slug: str, post_id: int, question_id: int) -> HttpResponse:
    practice = access_practice(slug)
    quiz = access_quiz(request.user, practice, post_id)
    question = access_question(quiz, question_id)
    form = AnswerForm(request.POST, question=question)
    if not form.is_valid():
        return _quiz_page(request, practice, quiz, form=form, status=422)
    try:
        consume(scope="quiz", who=_signed_in(request).pk, limit=ANSWER_LIMIT)
        answer_question(
            quiz=quiz,
            patient=_signed_in(request),
            question=question,
            choice_id=form.cleaned_data["choice"],
        )
    except Invalid as error:
        form.add_invalid(error)
        return _quiz_page(request, practice, quiz, form=form, status=422)
    except Conflict as error:
        return _quiz_page(request, practice, quiz, refusal=error.message, status=error.status)
    url = reverse("quiz_detail", kwargs={"slug": slug, "post_id": post_id})
    return redirect(f"{url}?answered={question.pk}#feedback")


@login_required
@require_POST
def quiz_leaderboard(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    quiz = access_quiz(request.user, practice, post_id)
    show = request.POST.get("show") == "yes"
    show_on_leaderboard(quiz=quiz, patient=_signed_in(request), show=show)
    if show:
        messages.success(request, "Your display name and score are on the leaderboard.")
    else:
        messages.success(request, "You are off the leaderboard.")
    return redirect(f"{quiz.post.get_absolute_url()}#leaderboard")


# --- studio ------------------------------------------------------------------------------


def _studio_practice(request: HttpRequest, slug: str) -> Practice:
    practice = access_practice(slug)
    if not can(request.user, Action.USE_STUDIO, practice):
        raise NotFound("No such page.")
    return practice


def _to_post_edit(request: HttpRequest, post_id: int, slug: str, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("studio_post_edit", slug=slug, post_id=post_id)


def _poll_form_page(
    request: HttpRequest, practice: Practice, form: PollForm, poll: Poll | None, status: int = 200
) -> HttpResponse:
    context = {"practice": practice, "form": form, "poll": poll}
    return render(request, "engagement/studio/poll_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_poll_new(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    require(request.user, Action.CREATE_POST, practice)
    if request.method != "POST":
        return _poll_form_page(request, practice, PollForm(), None)
    form = PollForm(request.POST)
    if form.is_valid():
        try:
            poll = create_poll(
                by=_signed_in(request), practice=practice, text=form.text(), details=form.details()
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            return _to_post_edit(
                request, poll.post_id, slug, "Poll saved as a draft: publish or schedule it."
            )
    return _poll_form_page(request, practice, form, None, status=422)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_poll_edit(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    poll = access_poll(request.user, practice, post_id)
    require(request.user, Action.EDIT_POST, poll.post)
    if request.method != "POST":
        return _poll_form_page(request, practice, PollForm(initial=poll_initial(poll)), poll)
    form = PollForm(request.POST)
    if form.is_valid():
        try:
            update_poll(by=_signed_in(request), poll=poll, text=form.text(), details=form.details())
        except Invalid as error:
            form.add_invalid(error)
        else:
            return _to_post_edit(request, poll.post_id, slug, "Poll saved.")
    return _poll_form_page(request, practice, form, poll, status=422)


@login_required
@require_POST
def studio_poll_close(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    poll = access_poll(request.user, practice, post_id)
    close_poll(by=_signed_in(request), poll=poll)
    messages.success(request, "The poll is closed: everyone can see the results.")
    return redirect("studio_poll_edit", slug=slug, post_id=post_id)


def _quiz_form_page(
    request: HttpRequest,
    practice: Practice,
    form: QuizForm,
    quiz: Quiz | None,
    status: int = 200,
) -> HttpResponse:
    context = {
        "practice": practice,
        "form": form,
        "quiz": quiz,
        "questions": quiz_questions(quiz) if quiz is not None else [],
        "played": quiz is not None and quiz.attempts.exists(),
    }
    return render(request, "engagement/studio/quiz_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_quiz_new(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    require(request.user, Action.CREATE_POST, practice)
    if request.method != "POST":
        return _quiz_form_page(request, practice, QuizForm(), None)
    form = QuizForm(request.POST)
    if form.is_valid():
        try:
            quiz = create_quiz(
                by=_signed_in(request),
                practice=practice,
                text=form.text(),
                has_leaderboard=form.cleaned_data["has_leaderboard"],
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            # A quiz needs questions before it is worth publishing: they come next.
            messages.success(request, "Quiz saved as a draft. Now add its questions.")
            return redirect("studio_question_new", slug=slug, post_id=quiz.post_id)
    return _quiz_form_page(request, practice, form, None, status=422)


def _editable_quiz(request: HttpRequest, slug: str, post_id: int) -> Quiz:
    practice = _studio_practice(request, slug)
    quiz = access_quiz(request.user, practice, post_id)
    require(request.user, Action.EDIT_POST, quiz.post)
    return quiz


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_quiz_edit(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    quiz = _editable_quiz(request, slug, post_id)
    practice = quiz.practice
    if request.method != "POST":
        return _quiz_form_page(request, practice, QuizForm(initial=quiz_initial(quiz)), quiz)
    form = QuizForm(request.POST)
    if form.is_valid():
        try:
            update_quiz(
                by=_signed_in(request),
                quiz=quiz,
                text=form.text(),
                has_leaderboard=form.cleaned_data["has_leaderboard"],
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, "Quiz saved.")
            return redirect("studio_quiz_edit", slug=slug, post_id=post_id)
    return _quiz_form_page(request, practice, form, quiz, status=422)


def _question_form_page(
    request: HttpRequest,
    quiz: Quiz,
    form: QuestionForm,
    question: Question | None,
    status: int = 200,
) -> HttpResponse:
    context = {"practice": quiz.practice, "quiz": quiz, "form": form, "question": question}
    return render(request, "engagement/studio/question_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_question_new(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    quiz = _editable_quiz(request, slug, post_id)
    if request.method != "POST":
        return _question_form_page(request, quiz, QuestionForm(practice=quiz.practice), None)
    form = QuestionForm(request.POST, practice=quiz.practice)
    if form.is_valid():
        try:
            add_question(by=_signed_in(request), quiz=quiz, draft=form.draft())
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, "Question added.")
            if request.POST.get("action") == "another":
                return redirect("studio_question_new", slug=slug, post_id=post_id)
            return redirect("studio_quiz_edit", slug=slug, post_id=post_id)
    return _question_form_page(request, quiz, form, None, status=422)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_question_edit(
    request: HttpRequest, slug: str, post_id: int, question_id: int
) -> HttpResponse:
    quiz = _editable_quiz(request, slug, post_id)
    question = access_question(quiz, question_id)
    if request.method != "POST":
        form = QuestionForm(initial=question_initial(question), practice=quiz.practice)
        return _question_form_page(request, quiz, form, question)
    form = QuestionForm(request.POST, practice=quiz.practice)
    if form.is_valid():
        try:
            update_question(by=_signed_in(request), question=question, draft=form.draft())
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, "Question saved.")
            return redirect("studio_quiz_edit", slug=slug, post_id=post_id)
    return _question_form_page(request, quiz, form, question, status=422)


@login_required
@require_POST
def studio_question_delete(
    request: HttpRequest, slug: str, post_id: int, question_id: int
) -> HttpResponse:
    quiz = _editable_quiz(request, slug, post_id)
    question = access_question(quiz, question_id)
    remove_question(by=_signed_in(request), question=question)
    messages.success(request, "Question removed.")
    return redirect("studio_quiz_edit", slug=slug, post_id=post_id)
