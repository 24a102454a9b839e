"""The studio's syndication pages: channels, connecting Bluesky and Mastodon, delivery logs.

These pages sit in the studio's URL space but live here (syndication is below the studio in
the layers); the practice is loaded and checked the way the studio does it.
"""

import functools
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.core.errors import Invalid, NotFound
from bedside.posts.access import access_post
from bedside.posts.views import signed_in
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, access_practice, can, require
from bedside.syndication import services
from bedside.syndication.adapters import mastodon
from bedside.syndication.forms import BlueskyForm, MastodonForm
from bedside.syndication.models import Channel, ChannelStatus, Delivery
from bedside.syndication.outgoing import absolute
from bedside.syndication.queries import channels_of, deliveries_of

View = Callable[..., HttpResponse]
MASTODON_STATE = "syndication.mastodon"
# Long enough to sign in on the server (perhaps with its own second step), short enough
# that a state left in a session is soon worthless.
MASTODON_WAIT_SECONDS = 15 * 60


def studio_page(view: View) -> View:
    @login_required
    @functools.wraps(view)
    def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
        practice = access_practice(slug)
        if not can(request.user, Action.USE_STUDIO, practice):
            raise NotFound("No such page.")
        return view(request, practice, **kwargs)

    return wrapper


def _channels_page(
    request: HttpRequest,
    practice: Practice,
    *,
    bluesky: BlueskyForm | None = None,
    mastodon_form: MastodonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    may_manage = can(request.user, Action.MANAGE_CHANNELS, practice)
    if not may_manage and not can(request.user, Action.VIEW_DELIVERIES, practice):
        raise NotFound("No such page.")
    context = {
        "practice": practice,
        "channels": channels_of(practice),
        "may_manage": may_manage,
        "bluesky_form": bluesky or BlueskyForm(),
        "mastodon_form": mastodon_form or MastodonForm(),
    }
    return render(request, "syndication/channels.html", context, status=status)


@studio_page
@require_GET
def channels(request: HttpRequest, practice: Practice) -> HttpResponse:
    return _channels_page(request, practice)


def _put_error(form: Any, exc: Invalid) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@studio_page
@require_POST
def connect_bluesky(request: HttpRequest, practice: Practice) -> HttpResponse:
    require(request.user, Action.MANAGE_CHANNELS, practice)
    form = BlueskyForm(request.POST)
    if form.is_valid():
        try:
            channel = services.connect_bluesky(
                by=signed_in(request),
                practice=practice,
                handle=form.cleaned_data["handle"],
                app_password=form.cleaned_data["app_password"],
                server_url=form.cleaned_data["server_url"],
            )
        except Invalid as exc:
            _put_error(form, exc)
        else:
            messages.success(request, f"Connected {channel}. New posts will go there too.")
            return redirect("syndication_channels", slug=practice.slug)
    return _channels_page(request, practice, bluesky=form, status=422)


def _mastodon_redirect_uri() -> str:
    return absolute(reverse("syndication_mastodon_callback"))


@studio_page
@require_POST
def connect_mastodon(request: HttpRequest, practice: Practice) -> HttpResponse:
    """Register Bedside on the server and keep a state; the sign-in starts from a link.

    Answering this form with a redirect to the Mastodon server would be blocked by the page's
    CSP (``form-action 'self'`` covers the redirects after a submission in Chromium), so the
    form only ever redirects here, to a page whose link leaves for the server.
    """
    require(request.user, Action.MANAGE_CHANNELS, practice)
    form = MastodonForm(request.POST)
    if form.is_valid():
        try:
            server_url = services.clean_server_url(form.cleaned_data["server_url"])
            client_id = services.begin_mastodon(
                by=signed_in(request),
                practice=practice,
                server_url=server_url,
                redirect_uri=_mastodon_redirect_uri(),
            )
        except Invalid as exc:
            _put_error(form, exc)
        else:
            request.session[MASTODON_STATE] = {
                "state": secrets.token_urlsafe(24),
                "slug": practice.slug,
                "server_url": server_url,
                "client_id": client_id,
                "user_id": signed_in(request).pk,
                "started": int(time.time()),
            }
            response = redirect("syndication_mastodon_continue", slug=practice.slug)
            response.status_code = 303  # See Other: the next request is a GET of that page
            return response
    return _channels_page(request, practice, mastodon_form=form, status=422)


def _waiting_mastodon(request: HttpRequest, pending: object) -> dict[str, Any] | None:
    """This person's started Mastodon sign-in, if ``pending`` is one."""
    if not isinstance(pending, dict) or pending.get("user_id") != request.user.pk:
        return None
    return pending


def _stale(pending: dict[str, Any]) -> bool:
    return time.time() - int(pending.get("started", 0)) > MASTODON_WAIT_SECONDS


@studio_page
@require_GET
def continue_mastodon(request: HttpRequest, practice: Practice) -> HttpResponse:
    """The link to the Mastodon server's sign-in page (a plain navigation, which CSP allows)."""
    require(request.user, Action.MANAGE_CHANNELS, practice)
    pending = _waiting_mastodon(request, request.session.get(MASTODON_STATE))
    if pending is None or pending.get("slug") != practice.slug or _stale(pending):
        messages.error(request, "No Mastodon sign-in is waiting; enter the server again.")
        return redirect("syndication_channels", slug=practice.slug)
    server_url = str(pending["server_url"])
    context = {
        "practice": practice,
        "server": urlsplit(server_url).netloc,
        "authorize_url": mastodon.authorize_url(
            server_url, str(pending["client_id"]), _mastodon_redirect_uri(), str(pending["state"])
        ),
    }
    return render(request, "syndication/connect_mastodon.html", context)


@login_required
@require_GET
def mastodon_callback(request: HttpRequest) -> HttpResponse:
    """Where the Mastodon server sends the staff member back, with a code and our state."""
    # One try: a wrong state spends the waiting sign-in too.
    pending = _waiting_mastodon(request, request.session.pop(MASTODON_STATE, None))
    if not pending or not secrets.compare_digest(
        str(pending.get("state", "")), request.GET.get("state", "")
    ):
        raise NotFound("No sign-in is waiting.")
    practice = access_practice(pending["slug"])
    if _stale(pending):
        messages.error(request, "The Mastodon sign-in took too long; start again.")
        return redirect("syndication_channels", slug=practice.slug)
    if request.GET.get("error"):
        messages.error(request, "Mastodon did not connect: the sign-in was cancelled.")
        return redirect("syndication_channels", slug=practice.slug)
    try:
        channel = services.finish_mastodon(
            by=signed_in(request),
            practice=practice,
            server_url=pending["server_url"],
            code=request.GET.get("code", ""),
            redirect_uri=_mastodon_redirect_uri(),
        )
    except Invalid as exc:
        messages.error(request, f"Mastodon did not connect: {exc.message}")
    else:
        messages.success(request, f"Connected {channel}. New posts will go there too.")
    return redirect("syndication_channels", slug=practice.slug)


def _channel(practice: Practice, channel_id: int) -> Channel:
    channel = Channel.objects.filter(pk=channel_id, practice=practice).first()
    if channel is None:
        raise NotFound("No such channel.")
    return channel


@studio_page
@require_POST
def disconnect(request: HttpRequest, practice: Practice, channel_id: int) -> HttpResponse:
    channel = _channel(practice, channel_id)
    services.disconnect_channel(by=signed_in(request), channel=channel)
    messages.success(request, f"Disconnected {channel}. Posts already there stay there.")
    return redirect("syndication_channels", slug=practice.slug)


@studio_page
@require_http_methods(["GET"])
def delivery_log(request: HttpRequest, practice: Practice, post_id: int) -> HttpResponse:
    post = access_post(request.user, practice, post_id)
    if not can(request.user, Action.VIEW_DELIVERIES, practice):
        raise NotFound("No such page.")
    context = {
        "practice": practice,
        "post": post,
        "deliveries": deliveries_of(post),
        "may_manage": can(request.user, Action.MANAGE_CHANNELS, practice),
        "needs_reconnect": ChannelStatus.NEEDS_RECONNECT,
    }
    return render(request, "syndication/deliveries.html", context)


@studio_page
@require_POST
def retry(request: HttpRequest, practice: Practice, post_id: int, delivery_id: int) -> HttpResponse:
    post = access_post(request.user, practice, post_id)
    delivery = (
        Delivery.objects.select_related("channel")
        .filter(pk=delivery_id, post=post, practice=practice)
        .first()
    )
    if delivery is None:
        raise NotFound("No such delivery.")
    services.retry_delivery(by=signed_in(request), delivery=delivery)
    messages.success(request, f"Trying {delivery.channel} again.")
    return redirect("syndication_deliveries", slug=practice.slug, post_id=post.pk)
