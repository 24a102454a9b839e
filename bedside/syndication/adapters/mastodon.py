"""Mastodon (any server) over its REST API: OAuth app per server, statuses, media, context.

Every status is created with ``Idempotency-Key`` set to the delivery key, so Mastodon itself
answers a repeated request with the first status instead of a second one (it remembers keys
for an hour); after that, ``find_existing`` looks for the post's link among the account's
latest statuses. Content warnings become ``spoiler_text``. The length limit is the server's
own (``/api/v2/instance``, 500 by default) and every URL counts as 23 characters, as the
server counts it.
"""

import time
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import ClassVar
from urllib.parse import urlencode

import httpx
import regex  # type: ignore[import-untyped]

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
from bedside.syndication.compose import fit
from bedside.syndication.outgoing import plain_text

DEFAULT_LIMIT = 500
URL_LENGTH = 23
SCOPES = "read write"
MAX_IMAGE_BYTES = 16 * 1024 * 1024
MAX_VIDEO_BYTES = 99 * 1024 * 1024
_URL = regex.compile(r"https?://[^\s<>\"']+")
_GRAPHEME = regex.compile(r"\X")
_MEDIA_WAITS = (0.5, 1.0, 2.0, 3.0)


def length(text: str) -> int:
    """Characters as Mastodon counts them: graphemes, each URL as 23."""
    return len(_GRAPHEME.findall(_URL.sub("x" * URL_LENGTH, text)))


def _base(url: str) -> str:
    return url.rstrip("/")


def _error(response: httpx.Response, action: str) -> NetworkError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    message = str(body.get("error", "")) if isinstance(body, dict) else ""
    if response.status_code == 429:
        return RateLimited(
            f"Mastodon asked us to slow down while {action}.",
            status=429,
            retry_after=_retry_after(response),
        )
    if response.status_code == 401 or (response.status_code == 403 and "token" in message.lower()):
        return AuthExpired(
            f"Mastodon no longer accepts our access ({message or 'unauthorized'}); "
            "reconnect the channel.",
            status=response.status_code,
            permanent=True,
        )
    if response.status_code >= 500:
        return NetworkError(
            f"The Mastodon server failed while {action} ({response.status_code}).",
            status=response.status_code,
        )
    reason = f"Mastodon refused {action}: {message or response.status_code}"
    return NetworkError(reason[:400], status=response.status_code, permanent=True)


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After", "").strip()
    if raw.isdigit():
        return float(raw)
    reset = response.headers.get("X-RateLimit-Reset", "").strip()
    if reset:
        try:
            when = datetime.fromisoformat(reset.replace("Z", "+00:00"))
        except ValueError:
            return None
        return max(0.0, (when - datetime.now(UTC)).total_seconds())
    return None


# --- connecting: OAuth app registration and the authorization code flow -------------------


def register_app(
    server_url: str, redirect_uri: str, website: str, client: httpx.Client
) -> dict[str, str]:
    response = client.post(
        f"{_base(server_url)}/api/v1/apps",
        data={
            "client_name": "Bedside",
            "redirect_uris": redirect_uri,
            "scopes": SCOPES,
            "website": website,
        },
    )
    if response.status_code != 200:
        raise _error(response, "registering Bedside as an app")
    body = response.json()
    return {"client_id": str(body["client_id"]), "client_secret": str(body["client_secret"])}


def authorize_url(server_url: str, client_id: str, redirect_uri: str, state: str) -> str:
    query = urlencode(
        {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
            "state": state,
        }
    )
    return f"{_base(server_url)}/oauth/authorize?{query}"


def exchange_code(
    server_url: str,
    *,
    client_id: str,
    client_secret: str,
    redirect_uri: str,
    code: str,
    client: httpx.Client,
) -> str:
    response = client.post(
        f"{_base(server_url)}/oauth/token",
        data={
            "grant_type": "authorization_code",
            "code": code,
            "client_id": client_id,
            "client_secret": client_secret,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
        },
    )
    if response.status_code != 200:
        raise _error(response, "signing in")
    return str(response.json()["access_token"])


def verify_credentials(server_url: str, token: str, client: httpx.Client) -> dict[str, str]:
    response = client.get(
        f"{_base(server_url)}/api/v1/accounts/verify_credentials",
        headers={"Authorization": f"Bearer {token}"},
    )
    if response.status_code != 200:
        raise _error(response, "reading the account")
    body = response.json()
    return {"id": str(body["id"]), "acct": str(body.get("acct") or body.get("username", ""))}


def instance_limit(server_url: str, client: httpx.Client) -> int:
    """The server's own status length, or 500 when it does not say."""
    try:
        response = client.get(f"{_base(server_url)}/api/v2/instance")
    except httpx.HTTPError:
        return DEFAULT_LIMIT
    if response.status_code != 200:
        return DEFAULT_LIMIT
    try:
        value = response.json()["configuration"]["statuses"]["max_characters"]
        return int(value) if int(value) > 0 else DEFAULT_LIMIT
    except (KeyError, TypeError, ValueError):
        return DEFAULT_LIMIT


class Mastodon:
    network: ClassVar[str] = "mastodon"

    def limits(self, account: Account) -> Limits:
        return Limits(
            max_chars=account.char_limit or DEFAULT_LIMIT,
            max_images=4,
            max_image_bytes=MAX_IMAGE_BYTES,
            accepts_video=True,
            max_video_bytes=MAX_VIDEO_BYTES,
            content_warnings=True,
        )

    def preview(self, post: Outgoing, account: Account) -> Preview:
        limits = self.limits(account)
        # The warning is counted against the same limit as the text.
        room = limits.max_chars - length(post.content_warning)
        fitted = fit(
            head="", title=post.title, body=post.text, url=post.url, limit=room, measure=length
        )
        problems = []
        if not fitted.fits:
            problems.append(
                Problem(
                    f"Too long for this Mastodon server: the warning, title and link alone take "
                    f"{length(post.content_warning + post.title + post.url)} of "
                    f"{limits.max_chars} characters. Shorten the title or the warning."
                )
            )
        elif fitted.shortened:
            problems.append(
                Problem(
                    f"Shortened to {limits.max_chars} characters; "
                    "the link leads to the whole post.",
                    blocking=False,
                )
            )
        media: list[Media] = list(post.images[: limits.max_images])
        if len(post.images) > limits.max_images:
            problems.append(
                Problem(
                    f"Mastodon takes 4 images; only the first 4 of {len(post.images)} will go.",
                    blocking=False,
                )
            )
        for number, image in enumerate(media, start=1):
            if image.size > limits.max_image_bytes:
                problems.append(
                    Problem(f"Image {number} is larger than Mastodon's 16 MB for images.")
                )
            if not image.alt_text:
                problems.append(Problem(f"Image {number} has no alt text."))
        if post.video is not None:
            if media:
                problems.append(
                    Problem(
                        "Mastodon cannot mix a video with images; the images go, the video "
                        "stays behind the link.",
                        blocking=False,
                    )
                )
            elif post.video.size > MAX_VIDEO_BYTES:
                problems.append(Problem("The video is larger than Mastodon's 99 MB."))
            else:
                media = [post.video]
        return Preview(
            text=fitted.text,
            length=fitted.length + length(post.content_warning),
            limit=limits.max_chars,
            images=tuple(media),
            content_warning=post.content_warning,
            problems=tuple(problems),
        )

    @staticmethod
    def _headers(account: Account) -> dict[str, str]:
        return {"Authorization": f"Bearer {account.credentials.get('access_token', '')}"}

    def _upload(self, media: Media, account: Account, client: httpx.Client) -> str:
        with media.path.open("rb") as file:
            response = client.post(
                f"{_base(account.server_url)}/api/v2/media",
                headers=self._headers(account),
                files={"file": (media.path.name, file, media.content_type)},
                data={"description": media.alt_text[:1500]},
            )
        if response.status_code not in (200, 202):
            raise _error(response, "uploading media")
        body = response.json()
        media_id = str(body["id"])
        if response.status_code == 202 or not body.get("url"):
            self._wait_for(media_id, account, client)
        return media_id

    def _wait_for(self, media_id: str, account: Account, client: httpx.Client) -> None:
        """A large upload is processed after the answer; a status may attach it only then."""
        for pause in _MEDIA_WAITS:
            time.sleep(pause)
            response = client.get(
                f"{_base(account.server_url)}/api/v1/media/{media_id}",
                headers=self._headers(account),
            )
            if response.status_code == 200 and response.json().get("url"):
                return
            if response.status_code not in (200, 206):
                raise _error(response, "processing media")
        raise NetworkError("Mastodon is still processing the media; we will try again.")

    def publish(self, post: Outgoing, account: Account, client: httpx.Client) -> Published:
        preview = self.preview(post, account)
        if preview.blocking:
            raise NetworkError(preview.blocking[0].message, permanent=True)
        media_ids = [self._upload(media, account, client) for media in preview.images]
        data: dict[str, str | list[str]] = {
            "status": preview.text,
            "visibility": "public",
            "language": "en",
        }
        if preview.content_warning:
            data["spoiler_text"] = preview.content_warning
        if media_ids:
            data["media_ids[]"] = media_ids
        response = client.post(
            f"{_base(account.server_url)}/api/v1/statuses",
            headers={**self._headers(account), "Idempotency-Key": post.key},
            data=data,
        )
        if response.status_code != 200:
            raise _error(response, "publishing")
        body = response.json()
        return Published(remote_id=str(body["id"]), url=str(body.get("url") or body.get("uri", "")))

    def find_existing(
        self, post: Outgoing, account: Account, client: httpx.Client
    ) -> Published | None:
        response = client.get(
            f"{_base(account.server_url)}/api/v1/accounts/{account.account_id}/statuses",
            headers=self._headers(account),
            params={"limit": 40, "exclude_replies": "true", "exclude_reblogs": "true"},
        )
        if response.status_code != 200:
            raise _error(response, "looking for an earlier copy")
        for status in response.json():
            if post.url in str(status.get("content", "")):
                return Published(
                    remote_id=str(status["id"]), url=str(status.get("url") or status.get("uri", ""))
                )
        return None

    def delete(self, remote_id: str, account: Account, client: httpx.Client) -> None:
        response = client.delete(
            f"{_base(account.server_url)}/api/v1/statuses/{remote_id}",
            headers=self._headers(account),
        )
        if response.status_code not in (200, 404):
            raise _error(response, "removing the post")

    def fetch_counts(self, remote_id: str, account: Account, client: httpx.Client) -> Counts:
        response = client.get(
            f"{_base(account.server_url)}/api/v1/statuses/{remote_id}",
            headers=self._headers(account),
        )
        if response.status_code != 200:
            raise _error(response, "reading counts")
        body = response.json()
        return Counts(
            likes=int(body.get("favourites_count", 0)),
            shares=int(body.get("reblogs_count", 0)),
            replies=int(body.get("replies_count", 0)),
        )

    def fetch_replies(
        self, remote_id: str, account: Account, client: httpx.Client
    ) -> Sequence[Reply]:
        response = client.get(
            f"{_base(account.server_url)}/api/v1/statuses/{remote_id}/context",
            headers=self._headers(account),
        )
        if response.status_code != 200:
            raise _error(response, "reading replies")
        replies = []
        for status in response.json().get("descendants", []):
            replies.append(
                Reply(
                    remote_id=str(status["id"]),
                    author=str(status.get("account", {}).get("acct", "")),
                    text=plain_text(str(status.get("content", ""))),
                    created_at=_parse_time(str(status.get("created_at", ""))),
                    url=str(status.get("url") or ""),
                )
            )
        return replies


def _parse_time(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
