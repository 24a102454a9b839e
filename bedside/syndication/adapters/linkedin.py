"""A LinkedIn organization page through the versioned Posts API (OAuth 2.0).

Every call sends ``LinkedIn-Version`` (YYYYMM) and ``X-Restli-Protocol-Version: 2.0.0``.
A post is ``POST /rest/posts`` with the organization as ``author``, ``commentary`` in
LinkedIn's "little text" format (its reserved characters escaped), ``visibility PUBLIC``,
the main feed distribution and ``lifecycleState PUBLISHED``; the new post's URN comes back
in the ``x-restli-id`` header. A post without pictures carries its link as an article card;
pictures are uploaded first (``POST /rest/images?action=initializeUpload``, then a PUT of the
bytes to the returned ``uploadUrl``) and attached as ``media`` or ``multiImage``.

LinkedIn has no idempotency key: the commentary ends with the post's marked link, which
``find_existing`` looks for among the organization's newest posts; a 422 "duplicate" names
the post it duplicates, which then counts as published. Rate limits are daily and reset at
midnight UTC, which is when a 429 without ``Retry-After`` tries again.
"""

import re
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar
from urllib.parse import quote, urlsplit

import httpx

from bedside.syndication.adapters.base import (
    Account,
    AuthExpired,
    Counts,
    Limits,
    Media,
    NetworkError,
    Outgoing,
    Preview,
    Problem,
    Published,
    RateLimited,
    Reply,
)
from bedside.syndication.adapters.marker import VIDEO_STAYS, carries, fit_marked, marked_url

NETWORK = "LinkedIn"
API = "https://api.linkedin.com"
VERSION = "202510"
# The documented image limit is in pixels; 10 MB keeps uploads sensible beside it.
LIMITS = Limits(max_chars=3_000, max_images=20, max_image_bytes=10_000_000, accepts_video=False)
MAX_PIXELS = 36_152_320
POSTING_ROLES = {"ADMINISTRATOR", "CONTENT_ADMINISTRATOR"}
LOOKBACK = 20
RESERVED = re.compile(r"([\\|{}@\[\]()<>#*_~])")
DUPLICATE = re.compile(r"duplicate of (urn:li:(?:share|ugcPost):\d+)")


def escape(text: str) -> str:
    """Commentary in little text format: reserved characters are backslash-escaped."""
    return RESERVED.sub(r"\\\1", text)


def organization_urn(account: Account) -> str:
    account_id = account.account_id
    return account_id if account_id.startswith("urn:li:") else f"urn:li:organization:{account_id}"


def feed_url(urn: str) -> str:
    return f"https://www.linkedin.com/feed/update/{urn}/"


def _is_linkedin(url: str) -> bool:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    return parts.scheme == "https" and (host == "linkedin.com" or host.endswith(".linkedin.com"))


def encoded(urn: str) -> str:
    return quote(urn, safe="")


class LinkedIn:
    network: ClassVar[str] = "linkedin"

    @staticmethod
    def identify(access_token: str, organization_id: str, client: httpx.Client) -> dict[str, str]:
        """The organization page to connect, if the token's member may post for it.

        Posting as an organization needs an approved administrator or content
        administrator role (``organizationAcls``); the page's name comes from
        ``/rest/organizations/{id}``.
        """
        account = Account("linkedin", "", organization_id, "", {"access_token": access_token})
        urn = organization_urn(account)
        acls = _json(
            client, "GET", "/rest/organizationAcls?q=roleAssignee&state=APPROVED", account,
            "checking the member's roles",
        )  # fmt: skip
        roles = {
            str(element.get("role"))
            for element in acls.get("elements", [])
            if element.get("organization") == urn
        }
        if not roles & POSTING_ROLES:
            raise NetworkError(
                "This LinkedIn member is not an administrator of that organization page, so "
                "Bedside could not post for it.",
                permanent=True,
            )
        number = urn.rsplit(":", 1)[-1]
        page = _json(client, "GET", f"/rest/organizations/{number}", account, "reading the page")
        return {"account_id": urn, "handle": str(page.get("localizedName", urn))}

    def limits(self, account: Account) -> Limits:
        return LIMITS

    def preview(self, post: Outgoing, account: Account) -> Preview:
        fitted = fit_marked(post, limit=LIMITS.max_chars, measure=len)
        problems: list[Problem] = []
        if not fitted.fits:
            problems.append(Problem("Too long for LinkedIn even shortened: over 3,000 characters."))
        elif fitted.shortened:
            problems.append(Problem("Shortened to 3,000 characters for LinkedIn.", blocking=False))
        images = tuple(post.images[: LIMITS.max_images])
        if len(post.images) > LIMITS.max_images:
            problems.append(
                Problem(
                    f"LinkedIn takes 20 pictures; only the first 20 of {len(post.images)} will go.",
                    blocking=False,
                )
            )
        problems.extend(_image_problems(images))
        if post.video is not None:
            problems.append(VIDEO_STAYS)
        return Preview(
            text=fitted.text,
            length=fitted.length,
            limit=LIMITS.max_chars,
            images=images,
            problems=tuple(problems),
        )

    def publish(self, post: Outgoing, account: Account, client: httpx.Client) -> Published:
        preview = self.preview(post, account)
        if preview.blocking:
            raise NetworkError(preview.blocking[0].message, permanent=True)
        payload: dict[str, Any] = {
            "author": organization_urn(account),
            "commentary": escape(preview.text),
            "visibility": "PUBLIC",
            "distribution": {
                "feedDistribution": "MAIN_FEED",
                "targetEntities": [],
                "thirdPartyDistributionChannels": [],
            },
            "lifecycleState": "PUBLISHED",
            "isReshareDisabledByAuthor": False,
            "content": self._content(post, preview.images, account, client),
        }
        response = _send(client, "POST", "/rest/posts", account, "publishing", json=payload)
        if response.status_code == 422:
            duplicate = DUPLICATE.search(response.text)
            if duplicate:
                return Published(duplicate.group(1), feed_url(duplicate.group(1)))
        if not response.is_success:
            raise failure(response, "publishing")
        urn = response.headers["x-restli-id"]
        return Published(remote_id=urn, url=feed_url(urn))

    def _content(
        self, post: Outgoing, images: Sequence[Media], account: Account, client: httpx.Client
    ) -> dict[str, Any]:
        if not images:
            article = {
                "source": marked_url(post.url, post.key),
                "title": post.title,
                "description": post.text[:250],
            }
            return {"article": article}
        attached = [
            {"id": self._upload(image, account, client), "altText": image.alt_text}
            for image in images
        ]
        if len(attached) == 1:
            return {"media": attached[0]}
        return {"multiImage": {"images": attached}}

    def _upload(self, image: Media, account: Account, client: httpx.Client) -> str:
        request = {"initializeUploadRequest": {"owner": organization_urn(account)}}
        body = _json(
            client, "POST", "/rest/images?action=initializeUpload", account,
            "preparing a picture upload", json=request,
        )  # fmt: skip
        value = body["value"]
        if not _is_linkedin(str(value["uploadUrl"])):
            # The upload carries the token: never send it anywhere but LinkedIn.
            raise NetworkError(
                "LinkedIn gave an upload address outside linkedin.com.", permanent=True
            )
        try:
            response = client.put(
                value["uploadUrl"],
                content=image.path.read_bytes(),
                headers={"Authorization": f"Bearer {account.credentials['access_token']}"},
            )
        except httpx.HTTPError as exc:
            raise NetworkError("Could not upload a picture to LinkedIn.") from exc
        if not response.is_success:
            raise failure(response, "uploading a picture")
        return str(value["image"])

    def find_existing(
        self, post: Outgoing, account: Account, client: httpx.Client
    ) -> Published | None:
        path = (
            f"/rest/posts?author={encoded(organization_urn(account))}&q=author"
            f"&count={LOOKBACK}&sortBy=LAST_MODIFIED"
        )
        body = _json(
            client, "GET", path, account, "looking for an earlier copy",
            headers={"X-RestLi-Method": "FINDER"},
        )  # fmt: skip
        for element in body.get("elements", []):
            article = ((element.get("content") or {}).get("article") or {}).get("source", "")
            if carries(str(element.get("commentary", "")), post.key) or carries(article, post.key):
                urn = str(element["id"])
                return Published(remote_id=urn, url=feed_url(urn))
        return None

    def delete(self, remote_id: str, account: Account, client: httpx.Client) -> None:
        response = _send(
            client, "DELETE", f"/rest/posts/{encoded(remote_id)}", account, "deleting the post",
            headers={"X-RestLi-Method": "DELETE"},
        )  # fmt: skip
        if response.is_success or response.status_code in (404, 410):
            return
        raise failure(response, "deleting the post")

    def fetch_counts(self, remote_id: str, account: Account, client: httpx.Client) -> Counts:
        path = f"/rest/socialActions/{encoded(remote_id)}"
        body = _json(client, "GET", path, account, "reading counts")
        # Reshares are counted only in the organization's share statistics, which need
        # another permission; the Posts API's social actions give likes and comments.
        return Counts(
            likes=int((body.get("likesSummary") or {}).get("totalLikes", 0)),
            replies=int((body.get("commentsSummary") or {}).get("aggregatedTotalComments", 0)),
        )

    def fetch_replies(
        self, remote_id: str, account: Account, client: httpx.Client
    ) -> Sequence[Reply]:
        path = f"/rest/socialActions/{encoded(remote_id)}/comments"
        body = _json(client, "GET", path, account, "reading replies")
        return [
            Reply(
                remote_id=str(element.get("$URN") or element.get("id")),
                # Members' names need the profile API; the actor is shown by kind only.
                author="This organization"
                if str(element.get("actor", "")) == organization_urn(account)
                else "A LinkedIn member",
                text=str((element.get("message") or {}).get("text", "")),
                created_at=datetime.fromtimestamp(
                    int((element.get("created") or {}).get("time", 0)) / 1000, tz=UTC
                ),
                url=feed_url(remote_id),
            )
            for element in body.get("elements", [])
        ]


def _headers(account: Account) -> dict[str, str]:
    return {
        "Authorization": f"Bearer {account.credentials['access_token']}",
        "LinkedIn-Version": VERSION,
        "X-Restli-Protocol-Version": "2.0.0",
    }


def _send(
    client: httpx.Client,
    method: str,
    path: str,
    account: Account,
    action: str,
    *,
    headers: dict[str, str] | None = None,
    **kwargs: Any,
) -> httpx.Response:
    url = f"{(account.server_url or API).rstrip('/')}{path}"
    try:
        return client.request(method, url, headers=_headers(account) | (headers or {}), **kwargs)
    except httpx.TimeoutException as exc:
        raise NetworkError(f"LinkedIn did not answer in time while {action}.") from exc
    except httpx.TransportError as exc:
        raise NetworkError(f"Could not reach LinkedIn while {action}.") from exc


def _json(
    client: httpx.Client, method: str, path: str, account: Account, action: str, **kwargs: Any
) -> dict[str, Any]:
    response = _send(client, method, path, account, action, **kwargs)
    if not response.is_success:
        raise failure(response, action)
    body = response.json()
    return body if isinstance(body, dict) else {}


def failure(response: httpx.Response, action: str) -> NetworkError:
    """LinkedIn's ``{"status", "serviceErrorCode", "code", "message"}`` as staff read it."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    message = str(body.get("message", ""))[:300]
    detail = {"code": body.get("code"), "serviceErrorCode": body.get("serviceErrorCode")}
    status = response.status_code
    if status == 401:
        return AuthExpired(
            "LinkedIn no longer accepts this channel's token (it expired or was revoked); "
            "reconnect the channel.",
            status=status,
            permanent=True,
            detail=detail,
        )
    if status == 429:
        return RateLimited(
            f"LinkedIn's daily limit was reached while {action}.",
            status=status,
            retry_after=_retry_after(response),
            detail=detail,
        )
    if status >= 500:
        return NetworkError(
            f"LinkedIn had a temporary problem while {action} ({status}).",
            status=status,
            detail=detail,
        )
    return NetworkError(
        f"LinkedIn refused {action}: {message or status}",
        status=status,
        permanent=True,
        detail=detail,
    )


def _retry_after(response: httpx.Response) -> float:
    raw = response.headers.get("Retry-After", "").strip()
    if raw.isdigit():
        return float(raw)
    now = datetime.now(UTC)
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    return max(60.0, (midnight - now).total_seconds())


def _image_problems(images: Sequence[Media]) -> list[Problem]:
    problems = []
    for number, image in enumerate(images, start=1):
        if image.size > LIMITS.max_image_bytes:
            problems.append(
                Problem(
                    f"Image {number} is {image.size / 1_000_000:.1f} MB; LinkedIn gets pictures "
                    "up to 10 MB from Bedside."
                )
            )
        if image.width * image.height > MAX_PIXELS:
            problems.append(
                Problem(f"Image {number} has more pixels than LinkedIn takes (36 million).")
            )
        if not image.alt_text:
            problems.append(Problem(f"Image {number} has no alt text."))
    return problems
