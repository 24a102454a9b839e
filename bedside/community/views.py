"""Support group pages for members (/p/<slug>/groups/…) and for moderators (the studio).

Views parse a form, call one service or query, and render. Studio pages answer 404 to
anyone who may not moderate, as the rest of the studio does.
"""

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.community import queries, ratelimit, services
from bedside.community.access import (
    access_alert,
    access_group,
    access_member,
    access_reply,
    access_reply_by_id,
    access_report,
    access_thread,
    access_thread_by_id,
    is_moderator,
    may_read,
    member_of,
)
from bedside.community.forms import (
    CrisisResourcesForm,
    EditForm,
    GroupForm,
    JoinForm,
    MemberActionForm,
    ModerateForm,
    ReactForm,
    ReasonForm,
    ReplyForm,
    ReportForm,
    ThreadForm,
)
from bedside.community.models import (
    Group,
    MemberStatus,
    Reply,
    Thread,
)
from bedside.core.errors import Invalid, NotFound
from bedside.practices.models import Membership, Practice, User
from bedside.practices.permissions import Action, access_practice, can, role_in


def _signed_in(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def _group_url(group: Group) -> str:
    return reverse("group_detail", kwargs={"slug": group.practice.slug, "group_slug": group.slug})


def _thread_url(thread: Thread) -> str:
    return reverse(
        "group_thread",
        kwargs={
            "slug": thread.practice.slug,
            "group_slug": thread.group.slug,
            "thread_id": thread.pk,
        },
    )


def _apply(form: Any, error: Invalid) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _findings(error: Invalid) -> list[Any]:
    return list(error.findings) if isinstance(error, services.IdentifiersFound) else []


def _outcome_page(request: HttpRequest, outcome: services.Outcome) -> HttpResponse:
    """Crisis: show the resources at once. Otherwise back to the conversation."""
    thread_url = _thread_url(outcome.thread)
    anchor = f"#reply-{outcome.reply.pk}" if outcome.reply else ""
    if outcome.crisis:
        return render(
            request,
            "community/crisis.html",
            {
                "practice": outcome.thread.practice,
                "resources": outcome.resources,
                "held": outcome.held,
                "next_url": thread_url + anchor,
            },
        )
    if outcome.held:
        messages.info(request, "Thanks. A moderator will look at your post before others see it.")
    return redirect(thread_url + anchor)


# --- members -----------------------------------------------------------------------------


@require_GET
def group_list(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access_practice(slug)
    moderator = is_moderator(request.user, practice)
    return render(
        request,
        "community/group_list.html",
        {
            "practice": practice,
            "groups": queries.groups_for(practice, request.user, moderator=moderator),
            "statuses": queries.my_statuses(practice, request.user),
            "is_moderator": moderator,
            "is_member": role_in(request.user, practice.pk) is not None,
        },
    )


def _group_context(request: HttpRequest, practice: Practice, group: Group) -> dict[str, Any]:
    member = member_of(request.user, group)
    moderator = is_moderator(request.user, practice)
    readable = may_read(request.user, group, member)
    return {
        "practice": practice,
        "group": group,
        "member": member,
        "is_moderator": moderator,
        "can_read": readable,
        "can_post": member is not None and member.status == MemberStatus.ACTIVE,
        "can_join": can(request.user, Action.JOIN_GROUP, practice)
        and (member is None or member.status in {MemberStatus.INVITED, MemberStatus.LEFT}),
        "threads": queries.threads_of(group, request.user, moderator=moderator) if readable else [],
    }


@require_GET
def group_detail(request: HttpRequest, slug: str, group_slug: str) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    context = _group_context(request, practice, group)
    context["join_form"] = JoinForm()
    return render(request, "community/group_detail.html", context)


@login_required
@require_POST
def group_join(request: HttpRequest, slug: str, group_slug: str) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    form = JoinForm(request.POST)
    if form.is_valid():
        try:
            member = services.join_group(
                user=_signed_in(request),
                group=group,
                accept_guidelines=form.cleaned_data["accept_guidelines"],
                note=form.cleaned_data["note"],
            )
        except Invalid as error:
            _apply(form, error)
        else:
            if member.status == MemberStatus.PENDING:
                messages.success(request, "Thanks. A moderator will look at your request soon.")
            else:
                messages.success(request, f"Welcome to {group.name}.")
            return redirect(_group_url(group))
    context = _group_context(request, practice, group)
    context["join_form"] = form
    return render(request, "community/group_detail.html", context, status=422)


@login_required
@require_POST
def group_leave(request: HttpRequest, slug: str, group_slug: str) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    services.leave_group(user=_signed_in(request), group=group)
    messages.success(request, f"You left {group.name}.")
    return redirect(_group_url(group))


def _write_post(
    request: HttpRequest, form: forms.Form, write: Callable[[User], services.Outcome]
) -> tuple[HttpResponse | None, list[Any]]:
    """Rate-limit and write a thread or reply: the outcome page, or the form's findings."""
    by = _signed_in(request)
    try:
        ratelimit.consume(scope="post", who=by.pk, limit=ratelimit.POSTING)
        outcome = write(by)
    except Invalid as error:
        _apply(form, error)
        return None, _findings(error)
    return _outcome_page(request, outcome), []


@login_required
@require_http_methods(["GET", "POST"])
def thread_new(request: HttpRequest, slug: str, group_slug: str) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    form = ThreadForm(request.POST or None)
    findings: list[Any] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done, findings = _write_post(
            request,
            form,
            lambda by: services.start_thread(
                by=by,
                group=group,
                title=data["title"],
                body=data["body"],
                confirm_identifiers=data["confirm_identifiers"],
            ),
        )
        if done is not None:
            return done
    status = 422 if request.method == "POST" else 200
    context = {"practice": practice, "group": group, "form": form, "findings": findings}
    return render(request, "community/thread_new.html", context, status=status)


def _thread_context(
    request: HttpRequest, practice: Practice, group: Group, thread: Thread, reply_form: ReplyForm
) -> dict[str, Any]:
    moderator = is_moderator(request.user, practice)
    member = member_of(request.user, group)
    return {
        "practice": practice,
        "group": group,
        "thread": thread,
        "page": queries.thread_page(thread, request.user, moderator=moderator),
        "is_moderator": moderator,
        "can_post": member is not None and member.status == MemberStatus.ACTIVE,
        "reply_form": reply_form,
        "moderate_form": ModerateForm(),
        "edit_until": timezone.now() - services.EDIT_WINDOW,
    }


@require_GET
def group_thread(request: HttpRequest, slug: str, group_slug: str, thread_id: int) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    thread = access_thread(group, thread_id, viewer=request.user)
    quote = request.GET.get("quote", "")
    form = ReplyForm(initial={"quote": int(quote)} if quote.isdigit() else None)
    context = _thread_context(request, practice, group, thread, form)
    context["findings"] = []
    return render(request, "community/thread.html", context)


@login_required
@require_POST
def thread_reply(request: HttpRequest, slug: str, group_slug: str, thread_id: int) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    thread = access_thread(group, thread_id, viewer=request.user)
    form = ReplyForm(request.POST)
    findings: list[Any] = []
    if form.is_valid():
        data = form.cleaned_data
        done, findings = _write_post(
            request,
            form,
            lambda by: services.post_reply(
                by=by,
                thread=thread,
                body=data["body"],
                quote_id=data["quote"],
                confirm_identifiers=data["confirm_identifiers"],
            ),
        )
        if done is not None:
            return done
    context = _thread_context(request, practice, group, thread, form)
    context["findings"] = findings
    return render(request, "community/thread.html", context, status=422)


@login_required
@require_POST
def thread_follow(request: HttpRequest, slug: str, group_slug: str, thread_id: int) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    thread = access_thread(group, thread_id, viewer=request.user)
    follow = request.POST.get("follow") == "yes"
    services.follow_thread(by=_signed_in(request), thread=thread, follow=follow)
    messages.success(
        request, "You will hear of new replies." if follow else "You stopped following this."
    )
    return redirect(_thread_url(thread))


def _target(request: HttpRequest, thread: Thread) -> Thread | Reply:
    reply_id = request.POST.get("reply") or request.GET.get("reply") or ""
    if reply_id.isdigit():
        return access_reply(thread, int(reply_id), viewer=request.user)
    return thread


@login_required
@require_POST
def post_react(request: HttpRequest, slug: str, group_slug: str, thread_id: int) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    thread = access_thread(group, thread_id, viewer=request.user)
    target = _target(request, thread)
    form = ReactForm(request.POST)
    if not form.is_valid():
        raise Invalid("Choose hug, helpful or me too.", field="kind")
    services.toggle_reaction(by=_signed_in(request), post=target, kind=form.cleaned_data["kind"])
    anchor = f"#reply-{target.pk}" if isinstance(target, Reply) else ""
    return redirect(_thread_url(thread) + anchor)


@login_required
@require_http_methods(["GET", "POST"])
def post_report(request: HttpRequest, slug: str, group_slug: str, thread_id: int) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    thread = access_thread(group, thread_id, viewer=request.user)
    target = _target(request, thread)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            ratelimit.consume(scope="report", who=_signed_in(request).pk, limit=ratelimit.REPORTING)
            services.report_post(
                by=_signed_in(request), post=target, reason=form.cleaned_data["reason"]
            )
        except Invalid as error:
            _apply(form, error)
        else:
            messages.success(request, "Thank you. The moderators will look at it.")
            return redirect(_thread_url(thread))
    context = {
        "practice": practice,
        "group": group,
        "thread": thread,
        "target": target,
        "form": form,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "community/report.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def post_edit(request: HttpRequest, slug: str, group_slug: str, thread_id: int) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    thread = access_thread(group, thread_id, viewer=request.user)
    target = _target(request, thread)
    if target.author_id != request.user.pk:
        raise NotFound("No such post.")
    initial = {"body": target.body, "title": thread.title if target is thread else ""}
    form = EditForm(request.POST or None, initial=initial)
    findings: list[Any] = []
    if request.method == "POST" and form.is_valid():
        try:
            outcome = services.edit_post(
                by=_signed_in(request),
                post=target,
                body=form.cleaned_data["body"],
                title=form.cleaned_data["title"],
                confirm_identifiers=form.cleaned_data["confirm_identifiers"],
            )
        except Invalid as error:
            findings = _findings(error)
            _apply(form, error)
        else:
            return _outcome_page(request, outcome)
    context = {
        "practice": practice,
        "group": group,
        "thread": thread,
        "target": target,
        "is_thread": target is thread,
        "form": form,
        "findings": findings,
    }
    status = 422 if request.method == "POST" else 200
    return render(request, "community/edit.html", context, status=status)


@login_required
@require_POST
def post_delete(request: HttpRequest, slug: str, group_slug: str, thread_id: int) -> HttpResponse:
    practice = access_practice(slug)
    group = access_group(practice, group_slug, viewer=request.user)
    thread = access_thread(group, thread_id, viewer=request.user)
    target = _target(request, thread)
    services.delete_own_post(by=_signed_in(request), post=target)
    messages.success(request, "Deleted.")
    return redirect(_group_url(group) if target is thread else _thread_url(thread))


# --- moderators (studio) ---------------------------------------------------------------


def _moderated(request: HttpRequest, slug: str) -> Practice:
    practice = access_practice(slug)
    if not is_moderator(request.user, practice):
        raise NotFound("No such page.")
    return practice


def _back(request: HttpRequest, default: str) -> HttpResponse:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


@login_required
@require_GET
def studio_groups(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _moderated(request, slug)
    return render(
        request,
        "community/studio/queue.html",
        {
            "practice": practice,
            "queue": queries.moderation_queue(practice),
            "groups": queries.groups_for(practice, request.user, moderator=True),
            "moderate_form": ModerateForm(),
            "may_manage": can(request.user, Action.MANAGE_GROUPS, practice),
        },
    )


@login_required
@require_GET
def studio_group_log(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _moderated(request, slug)
    return render(
        request,
        "community/studio/log.html",
        {"practice": practice, "entries": queries.moderation_log(practice)},
    )


@login_required
@require_POST
def studio_moderate(request: HttpRequest, slug: str, kind: str, post_id: int) -> HttpResponse:
    practice = _moderated(request, slug)
    post: Thread | Reply
    if kind == "thread":
        post = access_thread_by_id(practice, post_id)
    elif kind == "reply":
        post = access_reply_by_id(practice, post_id)
    else:
        raise NotFound("No such post.")
    form = ModerateForm(request.POST)
    if not form.is_valid():
        raise Invalid("Choose an action and say why.", field="reason")
    services.moderate_post(
        by=_signed_in(request),
        post=post,
        action=form.cleaned_data["action"],
        reason=form.cleaned_data["reason"],
    )
    messages.success(request, "Done. It is in the moderation log.")
    return _back(request, reverse("studio_groups", kwargs={"slug": slug}))


@login_required
@require_POST
def studio_member_action(request: HttpRequest, slug: str, member_id: int) -> HttpResponse:
    practice = _moderated(request, slug)
    member = access_member(practice, member_id)
    form = MemberActionForm(request.POST)
    if not form.is_valid():
        raise Invalid("Choose an action.", field="action")
    action, reason = form.cleaned_data["action"], form.cleaned_data["reason"]
    by = _signed_in(request)
    if action in {"approve", "decline"}:
        services.decide_join_request(
            by=by, member=member, approve=action == "approve", reason=reason
        )
    elif action == "mute":
        services.mute_member(
            by=by, member=member, days=form.cleaned_data["days"] or 7, reason=reason
        )
    elif action == "ban":
        services.ban_member(by=by, member=member, reason=reason)
    else:
        services.unban_member(by=by, member=member, reason=reason)
    messages.success(request, "Done. It is in the moderation log.")
    return _back(request, reverse("studio_groups", kwargs={"slug": slug}))


@login_required
@require_POST
def studio_report_dismiss(request: HttpRequest, slug: str, report_id: int) -> HttpResponse:
    report = access_report(_moderated(request, slug), report_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.dismiss_report(by=_signed_in(request), report=report, reason=reason)
    messages.success(request, "Report dismissed. It is in the moderation log.")
    return redirect("studio_groups", slug=slug)


@login_required
@require_POST
def studio_alert_handle(request: HttpRequest, slug: str, alert_id: int) -> HttpResponse:
    alert = access_alert(_moderated(request, slug), alert_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.handle_alert(by=_signed_in(request), alert=alert, reason=reason)
    messages.success(request, "Alert marked as handled. It is in the moderation log.")
    return redirect("studio_groups", slug=slug)


@login_required
@require_http_methods(["GET", "POST"])
def studio_group_members(request: HttpRequest, slug: str, group_slug: str) -> HttpResponse:
    practice = _moderated(request, slug)
    group = access_group(practice, group_slug, viewer=request.user)
    if request.method == "POST":
        membership_id = request.POST.get("membership", "")
        membership = Membership.objects.filter(
            pk=int(membership_id) if membership_id.isdigit() else 0, practice=practice
        ).first()
        if membership is None:
            raise Invalid("Choose someone to invite.", field="membership")
        services.invite_to_group(by=_signed_in(request), group=group, membership=membership)
        messages.success(request, f"{membership.display_name} is invited.")
        return redirect("studio_group_members", slug=slug, group_slug=group.slug)
    members = queries.members_of(group)
    in_group = {member.membership_id for member in members}
    return render(
        request,
        "community/studio/members.html",
        {
            "practice": practice,
            "group": group,
            "members": members,
            "invitable": [
                m
                for m in Membership.objects.filter(practice=practice).order_by("display_name")[:500]
                if m.pk not in in_group
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def studio_group_new(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _moderated(request, slug)
    if not can(request.user, Action.MANAGE_GROUPS, practice):
        raise NotFound("No such page.")
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(
                by=_signed_in(request), practice=practice, **form.cleaned_data
            )
        except Invalid as error:
            _apply(form, error)
        else:
            messages.success(request, f"{group.name} is open.")
            return redirect(_group_url(group))
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "community/studio/group_new.html",
        {"practice": practice, "form": form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def studio_crisis_resources(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _moderated(request, slug)
    if not can(request.user, Action.MANAGE_GROUPS, practice):
        raise NotFound("No such page.")
    current = "\n".join(services.crisis_resources(practice))
    form = CrisisResourcesForm(request.POST or None, initial={"crisis_resources": current})
    if request.method == "POST" and form.is_valid():
        try:
            services.set_crisis_resources(
                by=_signed_in(request),
                practice=practice,
                text=form.cleaned_data["crisis_resources"],
            )
        except Invalid as error:
            _apply(form, error)
        else:
            messages.success(request, "Saved.")
            return redirect("studio_crisis_resources", slug=slug)
    return render(
        request, "community/studio/crisis_resources.html", {"practice": practice, "form": form}
    )
