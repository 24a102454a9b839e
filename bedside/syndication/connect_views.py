"""Connect pages for X, LinkedIn, a Facebook Page and Instagram (OAuth and a pasted token).

Each network has one page under the practice's studio that either starts the sign-in or
says which settings the operator must give first, one fixed callback address per network
(registered with the network's app, so it names no practice: the signed ``state`` and the
session carry it), and for LinkedIn and Meta a page to pick which page to connect. The
same pages reconnect a channel the network stopped accepting.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from bedside.core.errors import Invalid, NotFound
from bedside.posts.views import signed_in
from bedside.practices.models import Practice
from bedside.practices.permissions import Action, access_practice, require
from bedside.syndication import connect_services, oauth
from bedside.syndication.models import Channel, Network
from bedside.syndication.outgoing import absolute
from bedside.syndication.views import studio_page

TEMPLATES = {
    "x": "syndication/connect_x.html",
    "linkedin": "syndication/connect_linkedin.html",
    "meta": "syndication/connect_meta.html",
}
# Which connect page reconnects a channel of each network (the channels page links there).
CONNECT_PAGE_OF_NETWORK = {
    Network.X: "x",
    Network.LINKEDIN: "linkedin",
    Network.FACEBOOK: "meta",
    Network.INSTAGRAM: "meta",
}


class PageTokenForm(forms.Form):
    network = forms.ChoiceField(
        label="Post to",
        choices=[
            (Network.FACEBOOK, "The Facebook Page"),
            (Network.INSTAGRAM, "The Instagram professional account linked to the Page"),
        ],
        initial=Network.FACEBOOK,
        widget=forms.RadioSelect,
    )
    page_id = forms.CharField(
        max_length=40,
        label="Page id",
        help_text="The Page's number, shown in the Page's settings under “Page transparency” "
        "or in Meta's Graph API Explorer.",
    )
    access_token = forms.CharField(
        max_length=1000,
        label="Page access token",
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "off"}),
        help_text="A Page access token (not your own user token) with the pages_manage_posts "
        "permission, or instagram_content_publish for Instagram. It is checked with Meta, "
        "stored encrypted and never shown again.",
    )


class LinkedInPickForm(forms.Form):
    organization = forms.ChoiceField(label="Page to post to", widget=forms.RadioSelect)

    def __init__(self, *args: Any, choices: list[connect_services.Choice], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(choice.value, choice.label) for choice in choices]


class MetaPickForm(forms.Form):
    accounts = forms.MultipleChoiceField(
        label="Accounts to post to", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, choices: list[connect_services.Choice], **kwargs: Any):
        super().__init__(*args, **kwargs)
        field = self.fields["accounts"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(choice.value, choice.label) for choice in choices]


def _provider(key: str) -> oauth.Provider:
    provider = oauth.PROVIDERS.get(key)
    if provider is None:
        raise NotFound("No such page.")
    return provider


def redirect_uri(provider: oauth.Provider) -> str:
    return absolute(reverse("syndication_oauth_callback", kwargs={"provider": provider.key}))


def _put_error(form: forms.Form, exc: Invalid) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _connect_page(
    request: HttpRequest,
    practice: Practice,
    provider: oauth.Provider,
    *,
    token_form: PageTokenForm | None = None,
    status: int = 200,
) -> HttpResponse:
    networks = [n for n, key in CONNECT_PAGE_OF_NETWORK.items() if key == provider.key]
    context = {
        "practice": practice,
        "provider": provider,
        "redirect_uri": redirect_uri(provider),
        "reconnect": Channel.objects.filter(
            practice=practice, network__in=networks, status="needs_reconnect"
        ).order_by("id"),
        "token_form": token_form or PageTokenForm(),
    }
    return render(request, TEMPLATES[provider.key], context, status=status)


@studio_page
@require_GET
def connect(request: HttpRequest, practice: Practice, provider: str) -> HttpResponse:
    found = _provider(provider)
    require(request.user, Action.MANAGE_CHANNELS, practice)
    return _connect_page(request, practice, found)


@studio_page
@require_GET
def start(request: HttpRequest, practice: Practice, provider: str) -> HttpResponse:
    """Leave for the network's sign-in page, with a state bound to this practice and person.

    A link, not a form: the page's CSP (``form-action 'self'``) stops a form submission that
    redirects to another site. Starting writes only this session's nonce; nothing connects
    until the person comes back with a code and the matching state.
    """
    found = _provider(provider)
    require(request.user, Action.MANAGE_CHANNELS, practice)
    if not found.configured:
        messages.error(
            request,
            f"{found.name} cannot be signed in to until the operator sets "
            f"{' and '.join(found.missing)}.",
        )
        return redirect("syndication_connect", slug=practice.slug, provider=found.key)
    url = oauth.begin(
        request.session,
        found,
        practice_id=practice.pk,
        slug=practice.slug,
        user_id=signed_in(request).pk,
        redirect_uri=redirect_uri(found),
    )
    return redirect(url)


@login_required
@require_GET
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """Where the network sends the staff member back with a code and our state."""
    found = _provider(provider)
    user = signed_in(request)
    try:
        pending = oauth.finish(
            request.session, found, state=request.GET.get("state", ""), user_id=user.pk
        )
    except oauth.StateError as exc:
        if not exc.expired:
            raise NotFound("No sign-in is waiting.") from None
        practice = access_practice(exc.slug)
        require(user, Action.MANAGE_CHANNELS, practice)
        messages.error(request, str(exc))
        return redirect("syndication_connect", slug=practice.slug, provider=found.key)
    practice = access_practice(pending.slug)
    if practice.pk != pending.practice_id:
        raise NotFound("No sign-in is waiting.")
    require(user, Action.MANAGE_CHANNELS, practice)
    if request.GET.get("error"):
        messages.error(request, f"{found.name} did not connect: the sign-in was cancelled.")
        return redirect("syndication_connect", slug=practice.slug, provider=found.key)
    code = request.GET.get("code", "")
    try:
        if found is oauth.X:
            channel = connect_services.finish_x(
                by=user,
                practice=practice,
                code=code,
                redirect_uri=redirect_uri(found),
                verifier=pending.verifier,
            )
        elif found is oauth.LINKEDIN:
            tokens, choices = connect_services.authorize_linkedin(
                by=user, practice=practice, code=code, redirect_uri=redirect_uri(found)
            )
            oauth.hold(
                request.session,
                found,
                practice_id=practice.pk,
                data={
                    "tokens": tokens.credentials(),
                    "choices": [[c.value, c.label] for c in choices],
                },
            )
            return redirect("syndication_connect_pick", slug=practice.slug, provider=found.key)
        else:
            pages = connect_services.authorize_meta(
                by=user, practice=practice, code=code, redirect_uri=redirect_uri(found)
            )
            oauth.hold(request.session, found, practice_id=practice.pk, data={"pages": pages})
            return redirect("syndication_connect_pick", slug=practice.slug, provider=found.key)
    except Invalid as exc:
        messages.error(request, f"{found.name} did not connect: {exc.message}")
        return redirect("syndication_connect", slug=practice.slug, provider=found.key)
    messages.success(request, f"Connected {channel}. New posts will go there too.")
    return redirect("syndication_channels", slug=practice.slug)


def _choices(provider: oauth.Provider, kept: dict[str, Any]) -> list[connect_services.Choice]:
    if provider is oauth.LINKEDIN:
        return [
            connect_services.Choice(value, Network.LINKEDIN, value, label)
            for value, label in kept.get("choices", [])
        ]
    return connect_services.meta_choices(kept.get("pages", []))


@studio_page
@require_http_methods(["GET", "POST"])
def pick(request: HttpRequest, practice: Practice, provider: str) -> HttpResponse:
    """After signing in: which LinkedIn page, or which Facebook Pages and Instagram accounts."""
    found = _provider(provider)
    if found is oauth.X:
        raise NotFound("No such page.")
    require(request.user, Action.MANAGE_CHANNELS, practice)
    kept = oauth.held(request.session, found, practice_id=practice.pk)
    if kept is None:
        messages.error(request, f"The {found.name} sign-in is over; start again.")
        return redirect("syndication_connect", slug=practice.slug, provider=found.key)
    choices = _choices(found, kept)
    data = request.POST if request.method == "POST" else None
    form: forms.Form
    if found is oauth.LINKEDIN:
        form = LinkedInPickForm(data, choices=choices)
    else:
        form = MetaPickForm(data, choices=choices)
    if request.method == "POST" and form.is_valid():
        try:
            if found is oauth.LINKEDIN:
                connected = [
                    connect_services.connect_linkedin(
                        by=signed_in(request),
                        practice=practice,
                        tokens=kept["tokens"],
                        organization=form.cleaned_data["organization"],
                    )
                ]
            else:
                connected = connect_services.connect_meta_pages(
                    by=signed_in(request),
                    practice=practice,
                    pages=kept["pages"],
                    picked=form.cleaned_data["accounts"],
                )
        except Invalid as exc:
            _put_error(form, exc)
        else:
            oauth.release(request.session, found)
            names = ", ".join(str(channel) for channel in connected)
            messages.success(request, f"Connected {names}. New posts will go there too.")
            return redirect("syndication_channels", slug=practice.slug)
    context = {"practice": practice, "provider": found, "form": form}
    status = 422 if request.method == "POST" else 200
    return render(request, "syndication/connect_pick.html", context, status=status)


@studio_page
@require_POST
def page_token(request: HttpRequest, practice: Practice) -> HttpResponse:
    """A Page access token made in Meta's tools, checked with Meta before it is kept."""
    require(request.user, Action.MANAGE_CHANNELS, practice)
    form = PageTokenForm(request.POST)
    if form.is_valid():
        try:
            channel = connect_services.connect_page_token(
                by=signed_in(request),
                practice=practice,
                network=form.cleaned_data["network"],
                page_id=form.cleaned_data["page_id"],
                access_token=form.cleaned_data["access_token"],
            )
        except Invalid as exc:
            _put_error(form, exc)
        else:
            messages.success(request, f"Connected {channel}. New posts will go there too.")
            return redirect("syndication_channels", slug=practice.slug)
    return _connect_page(request, practice, oauth.META, token_form=form, status=422)
