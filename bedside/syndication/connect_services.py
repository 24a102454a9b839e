"""Connecting X, LinkedIn, a Facebook Page and Instagram: codes and tokens to channels.

Every path ends in ``services.save_channel`` (tokens sealed, ``channel.connect`` audited
with the network and handle only) after the network's adapter has said, through
``identify``, which account the token speaks for, so a channel's id and handle are the
network's word and never what someone typed.
"""

from dataclasses import dataclass
from typing import Any

import httpx

from bedside.core.errors import Invalid
from bedside.practices.models import Practice, User
from bedside.practices.permissions import Action, require
from bedside.syndication import http, oauth
from bedside.syndication.adapters import graph, linkedin
from bedside.syndication.adapters.base import Account, NetworkError
from bedside.syndication.adapters.facebook import FacebookPage
from bedside.syndication.adapters.instagram import Instagram
from bedside.syndication.adapters.linkedin import LinkedIn
from bedside.syndication.adapters.x import X
from bedside.syndication.models import Channel, Network
from bedside.syndication.services import save_channel


@dataclass(frozen=True)
class Choice:
    """An account the person may connect after signing in (the token stays server-side)."""

    value: str  # what the pick form posts back
    network: str
    account_id: str
    label: str


def _refused(exc: NetworkError | oauth.OAuthError, field: str = "__all__") -> Invalid:
    return Invalid(exc.reason, field=field)


# --- X -----------------------------------------------------------------------------------


def finish_x(
    *, by: User, practice: Practice, code: str, redirect_uri: str, verifier: str
) -> Channel:
    """Exchange X's code (with the PKCE verifier), ask whose account it is, and connect it."""
    require(by, Action.MANAGE_CHANNELS, practice)
    try:
        with http.make_client() as client:
            tokens = oauth.exchange_code(
                oauth.X, code=code, redirect_uri=redirect_uri, verifier=verifier, client=client
            )
            # The adapter renews an expired token with these (``x.refresh``).
            credentials: dict[str, Any] = {
                **tokens.credentials(),
                "client_id": oauth.X.client_id,
                "client_secret": oauth.X.client_secret,
            }
            who = X.identify(credentials, client)
    except (oauth.OAuthError, NetworkError) as exc:
        raise _refused(exc) from None
    return save_channel(
        by=by,
        practice=practice,
        network=Network.X,
        handle=who["handle"],
        server_url="",
        account_id=who["account_id"],
        credentials=credentials,
    )


# --- LinkedIn ----------------------------------------------------------------------------


def authorize_linkedin(
    *, by: User, practice: Practice, code: str, redirect_uri: str
) -> tuple[oauth.Tokens, list[Choice]]:
    """Exchange LinkedIn's code and list the organization pages the member may post for."""
    require(by, Action.MANAGE_CHANNELS, practice)
    try:
        with http.make_client() as client:
            tokens = oauth.exchange_code(
                oauth.LINKEDIN, code=code, redirect_uri=redirect_uri, verifier="", client=client
            )
            choices = _linkedin_pages(tokens.access_token, client)
    except (oauth.OAuthError, NetworkError) as exc:
        raise _refused(exc) from None
    if not choices:
        raise Invalid(
            "This LinkedIn member administers no organization page; a page's administrator "
            "has to connect it."
        )
    return tokens, choices


def _linkedin_get(client: httpx.Client, path: str, token: str, action: str) -> dict[str, Any]:
    headers = {
        "Authorization": f"Bearer {token}",
        "LinkedIn-Version": linkedin.VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
    }
    try:
        response = client.get(f"{linkedin.API}{path}", headers=headers)
    except httpx.HTTPError as exc:
        raise NetworkError(f"Could not reach LinkedIn while {action}.") from exc
    if not response.is_success:
        raise linkedin.failure(response, action)
    body = response.json()
    return body if isinstance(body, dict) else {}


def _linkedin_pages(token: str, client: httpx.Client) -> list[Choice]:
    acls = _linkedin_get(
        client,
        "/rest/organizationAcls?q=roleAssignee&state=APPROVED",
        token,
        "listing the member's pages",
    )
    urns: list[str] = []
    for element in acls.get("elements", []):
        urn = str(element.get("organization", ""))
        if element.get("role") in linkedin.POSTING_ROLES and urn and urn not in urns:
            urns.append(urn)
    choices = []
    for urn in urns[:20]:
        number = urn.rsplit(":", 1)[-1]
        page = _linkedin_get(client, f"/rest/organizations/{number}", token, "reading a page")
        name = str(page.get("localizedName") or urn)
        choices.append(Choice(value=urn, network=Network.LINKEDIN, account_id=urn, label=name))
    return choices


def connect_linkedin(
    *, by: User, practice: Practice, tokens: dict[str, Any], organization: str
) -> Channel:
    """Connect the organization page picked after signing in, once LinkedIn confirms it."""
    require(by, Action.MANAGE_CHANNELS, practice)
    if not organization.startswith("urn:li:organization:"):
        raise Invalid("Choose one of the pages.", field="organization")
    try:
        with http.make_client() as client:
            who = LinkedIn.identify(str(tokens["access_token"]), organization, client)
    except NetworkError as exc:
        raise _refused(exc, "organization") from None
    return save_channel(
        by=by,
        practice=practice,
        network=Network.LINKEDIN,
        handle=who["handle"],
        server_url="",
        account_id=who["account_id"],
        credentials=dict(tokens),
    )


# --- Facebook Page and Instagram ---------------------------------------------------------


def authorize_meta(
    *, by: User, practice: Practice, code: str, redirect_uri: str
) -> list[dict[str, str]]:
    """Exchange Facebook Login's code and list the person's Pages with their Page tokens.

    Each entry holds ``id``, ``name``, ``access_token`` and, when the Page has an Instagram
    professional account linked, ``instagram_id`` and ``instagram_username``. The caller keeps
    them sealed until the person picks.
    """
    require(by, Action.MANAGE_CHANNELS, practice)
    try:
        with http.make_client() as client:
            short = oauth.exchange_code(
                oauth.META, code=code, redirect_uri=redirect_uri, verifier="", client=client
            )
            user = oauth.long_lived_meta_token(short.access_token, client)
            account = Account("facebook", "", "", "", {"access_token": user.access_token})
            body = graph.checked(
                client,
                "GET",
                f"{graph.GRAPH_API}/me/accounts",
                network="Facebook",
                action="listing your Pages",
                account=account,
                params={
                    "fields": "id,name,access_token,instagram_business_account{id,username}",
                    "limit": "100",
                },
            )
    except (oauth.OAuthError, NetworkError) as exc:
        raise _refused(exc) from None
    pages = []
    for item in body.get("data", []):
        if not item.get("id") or not item.get("access_token"):
            continue
        page = {
            "id": str(item["id"]),
            "name": str(item.get("name") or item["id"]),
            "access_token": str(item["access_token"]),
        }
        linked = item.get("instagram_business_account")
        if isinstance(linked, dict) and linked.get("id"):
            page["instagram_id"] = str(linked["id"])
            page["instagram_username"] = str(linked.get("username") or linked["id"])
        pages.append(page)
    if not pages:
        raise Invalid(
            "Facebook shared no Page with Bedside: sign in again and tick the Page when "
            "Facebook asks which ones Bedside may use."
        )
    return pages


def meta_choices(pages: list[dict[str, str]]) -> list[Choice]:
    """What the pick form offers: each Page, and each linked Instagram account."""
    choices = []
    for page in pages:
        choices.append(
            Choice(
                value=f"facebook:{page['id']}",
                network=Network.FACEBOOK,
                account_id=page["id"],
                label=f"Facebook Page {page['name']}",
            )
        )
        if page.get("instagram_id"):
            choices.append(
                Choice(
                    value=f"instagram:{page['id']}",
                    network=Network.INSTAGRAM,
                    account_id=page["instagram_id"],
                    label=f"Instagram @{page['instagram_username']} (linked to {page['name']})",
                )
            )
    return choices


def connect_meta_pages(
    *, by: User, practice: Practice, pages: list[dict[str, str]], picked: list[str]
) -> list[Channel]:
    """Connect the Pages and Instagram accounts picked after Facebook Login."""
    require(by, Action.MANAGE_CHANNELS, practice)
    by_id = {page["id"]: page for page in pages}
    wanted = []
    for value in picked:
        network, _, page_id = value.partition(":")
        if network not in (Network.FACEBOOK, Network.INSTAGRAM) or page_id not in by_id:
            raise Invalid("Choose among the accounts listed.", field="accounts")
        wanted.append((network, by_id[page_id]))
    if not wanted:
        raise Invalid("Choose at least one account.", field="accounts")
    return [
        _connect_page(
            by=by,
            practice=practice,
            network=network,
            page_id=page["id"],
            access_token=page["access_token"],
            field="accounts",
        )
        for network, page in wanted
    ]


def connect_page_token(
    *, by: User, practice: Practice, network: str, page_id: str, access_token: str
) -> Channel:
    """Connect a Page (or its Instagram account) with a Page access token pasted by hand."""
    require(by, Action.MANAGE_CHANNELS, practice)
    page_id = page_id.strip()
    access_token = access_token.strip()
    if network not in (Network.FACEBOOK, Network.INSTAGRAM):
        raise Invalid("Choose Facebook Page or Instagram.", field="network")
    if not page_id.isdigit():
        raise Invalid("Enter the Page's numeric id (Page settings, “About”).", field="page_id")
    if not access_token:
        raise Invalid("Paste the Page access token.", field="access_token")
    return _connect_page(
        by=by,
        practice=practice,
        network=network,
        page_id=page_id,
        access_token=access_token,
        field="access_token",
    )


def _connect_page(
    *, by: User, practice: Practice, network: str, page_id: str, access_token: str, field: str
) -> Channel:
    try:
        with http.make_client() as client:
            # Both networks post with the Page's token: check it speaks for that Page first.
            page = FacebookPage.identify(access_token, client)
            if page["account_id"] != page_id:
                raise Invalid("This token belongs to another Page than the id given.", field=field)
            who = page
            credentials: dict[str, object] = {"access_token": access_token}
            if network == Network.INSTAGRAM:
                linked = Instagram.identify(access_token, page_id, client)
                handle = linked["handle"]
                who = {**linked, "handle": f"@{handle}" if handle else ""}
                credentials["page_id"] = page_id
    except NetworkError as exc:
        raise _refused(exc, field) from None
    return save_channel(
        by=by,
        practice=practice,
        network=network,
        handle=who["handle"],
        server_url="",
        account_id=who["account_id"],
        credentials=credentials,
    )
