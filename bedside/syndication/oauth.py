"""OAuth 2.0 with the networks that need an app of the install's own: X, LinkedIn and Meta.

The operator registers one app per network and gives its id and secret in the environment
(``BEDSIDE_X_CLIENT_ID`` …); a network without them cannot be signed in to, and the connect
page says what to set. A sign-in goes: ``begin`` keeps a nonce (and, for X, the PKCE
verifier) in the staff member's session and returns a ``state`` signed with the practice,
the person and the network; the network sends the browser back to one fixed callback per
network, where ``finish`` pops the session's entry (single use) and checks the signature,
its age, and that every bound value matches before the code is exchanged.

Token endpoints as documented:
- X: ``POST https://api.x.com/2/oauth2/token`` (form: ``code``, ``grant_type``,
  ``redirect_uri``, ``code_verifier``, ``client_id``; HTTP Basic with the secret).
- LinkedIn: ``POST https://www.linkedin.com/oauth/v2/accessToken`` (form with the secret).
- Meta: ``GET https://graph.facebook.com/v23.0/oauth/access_token`` with the code, then again
  with ``grant_type=fb_exchange_token`` for a long-lived user token. Meta takes these in the
  query string, so httpx's request log is kept below INFO in settings.

Errors are OAuth's ``{"error", "error_description"}`` (Meta: Graph's ``{"error": {...}}``);
they become ``OAuthError`` with a reason staff can read and never a token or code.
"""

import base64
import hashlib
import secrets
import time
from collections.abc import MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from django.conf import settings
from django.core import signing

from bedside.syndication import crypto
from bedside.syndication.adapters import graph

STATE_MAX_AGE = 600  # seconds a sign-in may take, from leaving Bedside to coming back
SALT = "bedside.syndication.oauth.state"


@dataclass(frozen=True)
class Provider:
    key: str  # "x", "linkedin", "meta": the URL segment and the session slot
    name: str
    authorize_endpoint: str
    exchange_url: str
    scopes: tuple[str, ...]
    scope_separator: str
    pkce: bool
    id_setting: str
    confidential_setting: str

    @property
    def client_id(self) -> str:
        return str(getattr(settings, self.id_setting, ""))

    @property
    def client_secret(self) -> str:
        return str(getattr(settings, self.confidential_setting, ""))

    @property
    def configured(self) -> bool:
        return bool(self.client_id and self.client_secret)

    @property
    def missing(self) -> list[str]:
        """The environment settings the operator still has to give."""
        return [
            f"BEDSIDE_{setting}"
            for setting, value in (
                (self.id_setting, self.client_id),
                (self.confidential_setting, self.client_secret),
            )
            if not value
        ]

    def authorize_url(self, *, redirect_uri: str, state: str, challenge: str = "") -> str:
        params = {
            "response_type": "code",
            "client_id": self.client_id,
            "redirect_uri": redirect_uri,
            "scope": self.scope_separator.join(self.scopes),
            "state": state,
        }
        if self.pkce:
            params |= {"code_challenge": challenge, "code_challenge_method": "S256"}
        return f"{self.authorize_endpoint}?{urlencode(params)}"


X = Provider(
    key="x",
    name="X",
    authorize_endpoint="https://x.com/i/oauth2/authorize",
    exchange_url="https://api.x.com/2/oauth2/token",
    # offline.access brings the refresh token the adapter renews expired tokens with.
    scopes=("tweet.read", "tweet.write", "users.read", "media.write", "offline.access"),
    scope_separator=" ",
    pkce=True,
    id_setting="X_CLIENT_ID",
    confidential_setting="X_CLIENT_SECRET",
)
LINKEDIN = Provider(
    key="linkedin",
    name="LinkedIn",
    authorize_endpoint="https://www.linkedin.com/oauth/v2/authorization",
    exchange_url="https://www.linkedin.com/oauth/v2/accessToken",
    scopes=("w_organization_social", "r_organization_social", "rw_organization_admin"),
    scope_separator=" ",
    pkce=False,
    id_setting="LINKEDIN_CLIENT_ID",
    confidential_setting="LINKEDIN_CLIENT_SECRET",
)
META = Provider(
    key="meta",
    name="Facebook",
    authorize_endpoint="https://www.facebook.com/v23.0/dialog/oauth",
    exchange_url=f"{graph.GRAPH_API}/oauth/access_token",
    scopes=(
        "pages_show_list",
        "pages_read_engagement",
        "pages_read_user_content",
        "pages_manage_posts",
        "business_management",
        "instagram_basic",
        "instagram_content_publish",
        "instagram_manage_comments",
    ),
    scope_separator=",",
    pkce=False,
    id_setting="META_APP_ID",
    confidential_setting="META_APP_SECRET",
)
PROVIDERS = {provider.key: provider for provider in (X, LINKEDIN, META)}


class OAuthError(Exception):
    """The network refused the sign-in; ``reason`` is safe to show staff."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StateError(Exception):
    """The callback does not belong to a sign-in this person started here (or it is stale)."""

    def __init__(self, reason: str, *, expired: bool = False, slug: str = "") -> None:
        super().__init__(reason)
        self.expired = expired
        self.slug = slug


@dataclass(frozen=True)
class Pending:
    practice_id: int
    slug: str
    verifier: str


@dataclass(frozen=True)
class Tokens:
    access_token: str
    refresh_token: str
    expires_at: int | None  # epoch seconds; None when the network gave no lifetime
    scope: str

    def credentials(self) -> dict[str, object]:
        stored: dict[str, object] = {"access_token": self.access_token}
        if self.refresh_token:
            stored["refresh_token"] = self.refresh_token
        if self.expires_at:
            stored["expires_at"] = self.expires_at
        return stored


def _slot(provider: Provider) -> str:
    return f"syndication.oauth.{provider.key}"


def pkce_challenge(verifier: str) -> str:
    """RFC 7636 S256: base64url of the verifier's SHA-256, without padding."""
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def begin(
    session: MutableMapping[str, Any],
    provider: Provider,
    *,
    practice_id: int,
    slug: str,
    user_id: int,
    redirect_uri: str,
) -> str:
    """Remember a new sign-in in the session and return the network's authorization URL.

    A second ``begin`` for the same network replaces the first, whose callback then fails.
    """
    nonce = secrets.token_urlsafe(24)
    verifier = secrets.token_urlsafe(64) if provider.pkce else ""  # 86 characters
    session[_slot(provider)] = {
        "nonce": nonce,
        "practice": practice_id,
        "slug": slug,
        "verifier": verifier,
    }
    state = signing.dumps(
        {"n": nonce, "p": practice_id, "u": user_id, "k": provider.key}, salt=SALT
    )
    challenge = pkce_challenge(verifier) if provider.pkce else ""
    return provider.authorize_url(redirect_uri=redirect_uri, state=state, challenge=challenge)


def finish(
    session: MutableMapping[str, Any], provider: Provider, *, state: str, user_id: int
) -> Pending:
    """The sign-in this callback completes; the session's entry is used up either way."""
    pending = session.pop(_slot(provider), None)
    if not isinstance(pending, dict):
        raise StateError("No sign-in is waiting.")
    try:
        signed = signing.loads(state, salt=SALT, max_age=STATE_MAX_AGE)
    except signing.SignatureExpired:
        raise StateError(
            f"The {provider.name} sign-in took too long; start again.",
            expired=True,
            slug=str(pending.get("slug", "")),
        ) from None
    except signing.BadSignature:
        raise StateError("This sign-in was not started here.") from None
    expected = {
        "n": pending.get("nonce"),
        "p": pending.get("practice"),
        "u": user_id,
        "k": provider.key,
    }
    if not isinstance(signed, dict) or any(
        not secrets.compare_digest(str(signed.get(name, "")), str(value))
        for name, value in expected.items()
    ):
        raise StateError("This sign-in was not started here.")
    return Pending(
        practice_id=int(pending["practice"]),
        slug=str(pending["slug"]),
        verifier=str(pending.get("verifier", "")),
    )


def _basic(provider: Provider) -> str:
    pair = f"{provider.client_id}:{provider.client_secret}".encode()
    return f"Basic {base64.b64encode(pair).decode()}"


def exchange_code(
    provider: Provider,
    *,
    code: str,
    redirect_uri: str,
    verifier: str,
    client: httpx.Client,
) -> Tokens:
    """Trade an authorization code for the network's tokens."""
    if not code:
        raise OAuthError(f"{provider.name} sent no authorization code; start again.")
    if provider is X:
        data = {
            "code": code,
            "grant_type": "authorization_code",
            "redirect_uri": redirect_uri,
            "code_verifier": verifier,
            "client_id": provider.client_id,
        }
        return _token_request(
            provider, client, "POST", data=data, headers={"Authorization": _basic(provider)}
        )
    if provider is LINKEDIN:
        data = {
            "grant_type": "authorization_code",
            "code": code,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
            "redirect_uri": redirect_uri,
        }
        return _token_request(provider, client, "POST", data=data)
    params = {
        "client_id": provider.client_id,
        "client_secret": provider.client_secret,
        "redirect_uri": redirect_uri,
        "code": code,
    }
    return _token_request(provider, client, "GET", params=params)


def long_lived_meta_token(user_token: str, client: httpx.Client) -> Tokens:
    """Meta's short user token (an hour or two) for a long-lived one (about 60 days).

    Page tokens read with a long-lived user token do not expire, so the channel keeps
    working until someone removes the app or changes the password.
    """
    params = {
        "grant_type": "fb_exchange_token",
        "client_id": META.client_id,
        "client_secret": META.client_secret,
        "fb_exchange_token": user_token,
    }
    return _token_request(META, client, "GET", params=params)


def _token_request(provider: Provider, client: httpx.Client, method: str, **kwargs: Any) -> Tokens:
    try:
        response = client.request(method, provider.exchange_url, **kwargs)
    except httpx.TimeoutException:
        raise OAuthError(f"{provider.name} did not answer in time; try again.") from None
    except httpx.TransportError:
        raise OAuthError(f"Could not reach {provider.name}; try again.") from None
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    if not response.is_success or not body.get("access_token"):
        raise OAuthError(
            f"{provider.name} did not accept the sign-in ({_error_text(body, response)}); "
            "start again."
        )
    expires_in = body.get("expires_in")
    return Tokens(
        access_token=str(body["access_token"]),
        refresh_token=str(body.get("refresh_token") or ""),
        expires_at=int(time.time()) + int(expires_in)
        if isinstance(expires_in, int | float) and expires_in > 0
        else None,
        scope=str(body.get("scope") or ""),
    )


def _error_text(body: dict[str, Any], response: httpx.Response) -> str:
    error = body.get("error")
    if isinstance(error, dict):  # Graph's shape
        text = str(error.get("message") or error.get("type") or response.status_code)
    elif error:
        description = body.get("error_description")
        text = f"{error}: {description}" if description else str(error)
    else:
        text = f"HTTP {response.status_code}"
    return text[:200]


# --- between the callback and the person's pick -------------------------------------------


def _pick_slot(provider: Provider) -> str:
    return f"syndication.oauth.{provider.key}.pick"


def hold(
    session: MutableMapping[str, Any], provider: Provider, *, practice_id: int, data: dict[str, Any]
) -> None:
    """Keep tokens (sealed) in the session while the person picks a page; see ``held``."""
    session[_pick_slot(provider)] = {
        "sealed": crypto.seal(data),
        "practice": practice_id,
        "at": int(time.time()),
    }


def held(
    session: MutableMapping[str, Any], provider: Provider, *, practice_id: int
) -> dict[str, Any] | None:
    """What ``hold`` kept for this practice, unless it is older than a sign-in may take."""
    kept = session.get(_pick_slot(provider))
    if not isinstance(kept, dict):
        return None
    if int(time.time()) - int(kept.get("at", 0)) > STATE_MAX_AGE:
        release(session, provider)  # stale tokens leave the session row
        return None
    if kept.get("practice") != practice_id:
        return None
    return crypto.unseal(str(kept["sealed"]))


def release(session: MutableMapping[str, Any], provider: Provider) -> None:
    session.pop(_pick_slot(provider), None)
