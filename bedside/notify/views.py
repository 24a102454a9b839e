"""Pages of notify: the notification centre, preferences, unsubscribe, broadcast progress."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from bedside.core.errors import Invalid, NotFound
from bedside.notify.forms import PreferencesForm
from bedside.notify.queries import notification_page
from bedside.notify.services import (
    mark_all_notifications_read,
    mark_notification_read,
    practice_of_unsubscribe_token,
    preferences_of,
    unsubscribe_email,
    update_preferences,
)
from bedside.posts.access import access_post
from bedside.practices.forms import show_error
from bedside.practices.models import User
from bedside.practices.permissions import Action, access_practice, can


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


@login_required
@require_http_methods(["GET", "HEAD"])
def notifications(request: HttpRequest) -> HttpResponse:
    page = notification_page(_user(request), cursor=request.GET.get("cursor"))
    template = "notify/_notification_page.html" if request.htmx else "notify/notifications.html"  # type: ignore[attr-defined]
    return render(request, template, {"page": page})


@login_required
@require_POST
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark the notification read and go where it points (only ever within this site)."""
    notification = mark_notification_read(user=_user(request), notification_id=notification_id)
    if not url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect("notifications")
    return HttpResponseRedirect(notification.url)


@login_required
@require_POST
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = mark_all_notifications_read(user=_user(request))
    messages.success(request, f"Marked {count} notification{'' if count == 1 else 's'} read.")
    return redirect("notifications")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request: HttpRequest, slug: str) -> HttpResponse:
    practice = access_practice(slug)
    user = _user(request)
    preference = preferences_of(user=user, practice=practice)
    if request.method == "POST":
        form = PreferencesForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_preferences(
                    user=user,
                    practice=practice,
                    muted_kinds=form.muted_kinds(),
                    in_app=data["in_app"],
                    email=data["email"],
                    push=data["push"],
                    mode=data["mode"],
                    quiet_start=data["quiet_start"],
                    quiet_end=data["quiet_end"],
                )
            except Invalid as error:
                show_error(form, error)
            else:
                messages.success(request, "Your notification choices are saved.")
                return redirect("notify_preferences", slug=practice.slug)
    else:
        form = PreferencesForm(initial=PreferencesForm.initial_from(preference))
    return render(
        request,
        "notify/preferences.html",
        {"practice": practice, "form": form, "preference": preference},
    )


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows a confirmation with a button; POST unsubscribes at once (RFC 8058 one-click,
    which mail clients send without a CSRF token: the signed token is the credential)."""
    practice = practice_of_unsubscribe_token(token)
    if request.method == "POST":
        unsubscribe_email(token=token)
        return render(request, "notify/unsubscribed.html", {"practice": practice})
    return render(request, "notify/unsubscribe.html", {"practice": practice, "token": token})


@login_required
@require_http_methods(["GET", "HEAD"])
def broadcast_progress(request: HttpRequest, slug: str, post_id: int) -> HttpResponse:
    """The staff progress partial of one post's broadcast (htmx polls it while it runs)."""
    practice = access_practice(slug)
    if not can(request.user, Action.USE_STUDIO, practice):
        raise NotFound("No such page.")  # as the rest of the studio: not staff, not there
    post = access_post(request.user, practice, post_id)
    return render(
        request,
        "notify/_broadcast_progress.html",
        {"post": post, "practice": practice},
    )
