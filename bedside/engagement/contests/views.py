"""Contest pages for everyone (the contest, its rules, entry list and draw verification),
for patients (enter, claim a prize) and for staff (create, edit, draw).

Views parse, call one service or query, and render. Studio pages answer 404 to anyone not
on the practice's staff, as the rest of the studio does.
"""

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.core.errors import Conflict, Invalid, NotFound
from bedside.engagement.contests import draw
from bedside.engagement.contests.access import access_contest, access_own_entry
from bedside.engagement.contests.forms import ContestForm, EntryForm, initial_for
from bedside.engagement.contests.models import Contest
from bedside.engagement.contests.queries import (
    entry_list,
    picks,
    published_draw,
    viewer_entries,
)
from bedside.engagement.contests.services import (
    claim_prize,
    close_entries_now,
    create_contest,
    draw_contest,
    enter_contest,
    update_contest,
)
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, access_practice, can, require, role_in


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _base(request: HttpRequest, contest: Contest) -> dict[str, object]:
    zone = ZoneInfo(contest.time_zone)
    return {
        "practice": contest.practice,
        "contest": contest,
        "post": contest.post,
        "opens_local": contest.opens_at.astimezone(zone),
        "closes_local": contest.closes_at.astimezone(zone),
        "draw_by_local": contest.draw_by.astimezone(zone),
        "claim_deadline_local": (
            contest.claim_deadline.astimezone(zone) if contest.claim_deadline else None
        ),
        "can_draw": can(request.user, Action.DRAW_CONTEST, contest),
    }


# --- everyone ----------------------------------------------------------------------------


def _detail(
    request: HttpRequest,
    contest: Contest,
    form: EntryForm | None = None,
    status: int = 200,
    refusal: str = "",
) -> HttpResponse:
    practice = contest.practice
    mine = viewer_entries(contest, request.user)
    may_enter = (
        contest.post.is_published
        and contest.is_open
        and can(request.user, Action.ENTER_CONTEST, contest)
    )
    context = {
        **_base(request, contest),
        "entries": mine,
        "won": [
            e
            for e in mine
            if e.draw_position is not None and e.draw_position < contest.winners_count
        ],
        "may_enter": may_enter,
        "form": form or EntryForm(contest=contest),
        "is_member": role_in(request.user, practice.pk) is not None,
        "is_staff_refused": (
            role_in(request.user, practice.pk) is not None
            and not can(request.user, Action.ENTER_CONTEST, contest)
        ),
        "can_follow": can(request.user, Action.FOLLOW_PRACTICE, practice),
        "picks": picks(contest),
        "refusal": refusal,
    }
    return render(request, "contests/contest_detail.html", context, status=status)


@require_GET
def contest_detail(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = access_practice(slug)
    return _detail(request, access_contest(request.user, practice, post_id))


@require_GET
def contest_rules(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    contest = access_contest(request.user, access_practice(slug), post_id)
    return render(request, "contests/rules.html", _base(request, contest))


@require_GET
def contest_entries(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    contest = access_contest(request.user, access_practice(slug), post_id)
    ids = entry_list(contest)
    context = {
        **_base(request, contest),
        "entry_ids": ids,
        "digest": draw.list_digest(ids) if ids else "",
    }
    return render(request, "contests/entries.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def contest_verify(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """Recompute the published draw; or, with a POST, a draw from data the visitor pastes
    (to check a copy they kept, or to see that a changed seed or list is caught)."""
    contest = access_contest(request.user, access_practice(slug), post_id)
    published = published_draw(contest)
    checked = published
    if request.method == "POST" and published is not None:
        pasted = request.POST.get("entry_ids", "")
        checked = draw.PublishedDraw(
            seed_hex=request.POST.get("seed", "")[:200],
            commitment=published.commitment,
            entry_ids=pasted[:200_000].split(),
            entry_list_sha256=published.entry_list_sha256,
            winners_count=published.winners_count,
            alternates_count=published.alternates_count,
            winners=published.winners,
            alternates=published.alternates,
        )
    context = {
        **_base(request, contest),
        "published": published,
        "checked": checked,
        "verdict": draw.verify(checked) if checked is not None else None,
        "pasted": request.method == "POST",
        "entry_text": "\n".join(checked.entry_ids) if checked is not None else "",
        "algorithm": draw.ALGORITHM,
    }
    return render(request, "contests/verify.html", context)


@require_GET
def contest_draw_json(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    contest = access_contest(request.user, access_practice(slug), post_id)
    published = published_draw(contest)
    if published is None:
        raise NotFound("This contest has not been drawn yet.")
    response = JsonResponse(draw.to_json(published), json_dumps_params={"indent": 2})
    response["Content-Disposition"] = (
        f'attachment; filename="{contest.practice.slug}-contest-{contest.post_id}-draw.json"'
    )
    return response


# --- patients ----------------------------------------------------------------------------


@login_required
@require_POST
def contest_enter(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    contest = access_contest(request.user, access_practice(slug), post_id)
    form = EntryForm(request.POST, request.FILES, contest=contest)
    if form.is_valid():
        try:
            entry = enter_contest(
                user=_signed_in(request),
                contest=contest,
                answer=form.cleaned_data.get("answer", ""),
                photo=form.photo_upload(),
                photo_consent=form.cleaned_data.get("photo_consent", False),
                name_consent=form.cleaned_data["name_consent"],
            )
        except Invalid as error:
            form.add_invalid(error)
        except Conflict as refusal:
            # A second entry, a closed contest, too many tries: said on the page itself.
            return _detail(request, contest, form, status=refusal.status, refusal=refusal.message)
        else:
            messages.success(
                request, f"You're in! Your entry number is {entry.public_id}. Good luck!"
            )
            return redirect("contest_detail", slug=slug, post_id=post_id)
    return _detail(request, contest, form, status=422)


@login_required
@require_POST
def contest_claim(request: HttpRequest, slug: str, post_id: int, entry_id: int) -> HttpResponse:
    contest = access_contest(request.user, access_practice(slug), post_id)
    entry = access_own_entry(request.user, contest, entry_id)
    claim_prize(user=_signed_in(request), entry=entry)
    messages.success(request, "Prize claimed. The practice will be in touch to hand it over.")
    return redirect("contest_detail", slug=slug, post_id=post_id)


# --- studio ------------------------------------------------------------------------------


def _studio_practice(request: HttpRequest, slug: str) -> Practice:
    practice = access_practice(slug)
    if not can(request.user, Action.USE_STUDIO, practice):
        raise NotFound("No such page.")
    return practice


def _form_page(
    request: HttpRequest,
    practice: Practice,
    form: ContestForm,
    contest: Contest | None = None,
    status: int = 200,
) -> HttpResponse:
    context: dict[str, object] = {"practice": practice, "form": form, "contest": contest}
    if contest is not None:
        context.update(_base(request, contest))
        context["picks"] = picks(contest)
    return render(request, "contests/studio/contest_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_contest_new(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _studio_practice(request, slug)
    require(request.user, Action.CREATE_POST, practice)
    if request.method != "POST":
        return _form_page(request, practice, ContestForm(practice=practice))
    form = ContestForm(request.POST, practice=practice)
    if form.is_valid():
        try:
            contest = create_contest(
                by=_signed_in(request), practice=practice, text=form.text(), rules=form.rules()
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, "Contest saved as a draft: publish or schedule it.")
            return redirect("studio_post_edit", slug=slug, post_id=contest.post_id)
    return _form_page(request, practice, form, status=422)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def studio_contest_edit(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    contest = access_contest(request.user, practice, post_id)
    require(request.user, Action.EDIT_POST, contest.post)
    if request.method != "POST":
        form = ContestForm(initial=initial_for(contest), practice=practice)
        return _form_page(request, practice, form, contest)
    form = ContestForm(request.POST, practice=practice)
    if form.is_valid():
        try:
            update_contest(
                by=_signed_in(request), contest=contest, text=form.text(), rules=form.rules()
            )
        except Invalid as error:
            form.add_invalid(error)
        else:
            messages.success(request, "Contest saved.")
            return redirect("studio_post_edit", slug=slug, post_id=contest.post_id)
    return _form_page(request, practice, form, contest, status=422)


@login_required
@require_POST
def studio_contest_close(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    contest = access_contest(request.user, practice, post_id)
    close_entries_now(by=_signed_in(request), contest=contest)
    messages.success(request, "Entries are closed. You can draw the winners now.")
    return redirect("studio_contest_edit", slug=slug, post_id=post_id)


@login_required
@require_POST
def studio_contest_draw(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    practice = _studio_practice(request, slug)
    contest = access_contest(request.user, practice, post_id)
    draw_contest(by=_signed_in(request), contest=contest)
    messages.success(
        request, "Drawn. The seed is revealed and the winners will be notified shortly."
    )
    return redirect("studio_contest_edit", slug=slug, post_id=post_id)
