"""X (formerly Twitter) through API v2 with an OAuth 2.0 user token.

A post is ``POST /2/tweets`` (``text``, ``media.media_ids``); pictures go first through
``POST /2/media/upload`` (multipart ``media``, ``media_category=tweet_image``) and get their
alt text from ``POST /2/media/metadata``. Length is X's weighted count (twitter-text v3):
280 units, where most Latin, Greek, Cyrillic, Hebrew and Arabic characters weigh 1, CJK and
other characters 2, an emoji sequence 2, and every link 23 (X wraps it in t.co).

X has no idempotency key: the text ends with the post's marked link (``marker.py``), which
``find_existing`` looks for in the expanded links of the account's newest posts. A 429 waits
until ``x-rate-limit-reset`` (epoch seconds); a 401 refreshes the token once when the
channel holds a refresh token (``POST /2/oauth2/token``), else asks to reconnect.
"""

import base64
import time
import unicodedata
from collections.abc import MutableMapping, Sequence
from datetime import datetime
from typing import Any, ClassVar

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
from bedside.syndication.adapters.marker import (
    VIDEO_STAYS,
    carries,
    fit_marked,
    warning_head,
)

NETWORK = "X"
API = "https://api.x.com"
LIMITS = Limits(max_chars=280, max_images=4, max_image_bytes=5_000_000, accepts_video=False)
LOOKBACK = 20

# twitter-text v3 configuration: weights are in hundredths of a character.
SCALE = 100
DEFAULT_WEIGHT = 200
URL_LENGTH = 23
LIGHT_RANGES = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_TLDS = "com|org|net|edu|gov|int|info|biz|io|co|me|ly|health|care|clinic|app|dev|us|uk|ca|au|de|fr"
# A link runs over printable ASCII only: a "…" or other non-ASCII character after it is text.
_URL_CHARS = r"[\x21\x23-\x3b\x3d\x3f-\x7e]"
URL = regex.compile(
    rf"(?i)\bhttps?://{_URL_CHARS}+|\b(?:[a-z0-9-]+\.)+(?:{_TLDS})\b(?:/{_URL_CHARS}*)?",
)
_TRAILING = ".,;:!?)]}'\""
_EMOJI = regex.compile(r"\p{Emoji_Presentation}|\uFE0F|\u20E3|\p{Regional_Indicator}")


def _link_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in URL.finditer(text):
        end = match.end()
        while end > match.start() and text[end - 1] in _TRAILING:
            end -= 1
        spans.append((match.start(), end))
    return spans


def _weight(cluster: str) -> int:
    if _EMOJI.search(cluster):
        return DEFAULT_WEIGHT
    total = 0
    for char in cluster:
        code = ord(char)
        light = any(start <= code <= end for start, end in LIGHT_RANGES)
        total += SCALE if light else DEFAULT_WEIGHT
    return total


def weighted_length(text: str) -> int:
    """The length X counts against 280: links as 23, emoji and CJK as 2 (twitter-text v3)."""
    text = unicodedata.normalize("NFC", text)
    total, position = 0, 0
    for start, end in _link_spans(text):
        total += sum(_weight(c) for c in regex.findall(r"\X", text[position:start]))
        total += URL_LENGTH * SCALE
        position = end
    total += sum(_weight(c) for c in regex.findall(r"\X", text[position:]))
    return -(-total // SCALE)


def status_url(account: Account, remote_id: str) -> str:
    handle = account.handle.lstrip("@")
    return f"https://x.com/{handle or 'i/web'}/status/{remote_id}"


def parse_time(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class X:
    network: ClassVar[str] = "x"

    @staticmethod
    def identify(credentials: dict[str, str], client: httpx.Client) -> dict[str, str]:
        """The account an OAuth 2.0 user token belongs to (``GET /2/users/me``), to connect."""
        account = Account("x", "", "", "", credentials)
        body = X()._json(client, "GET", "/2/users/me", account, "checking the token")
        user = body.get("data") or {}
        return {"account_id": str(user["id"]), "handle": f"@{user['username']}"}

    def limits(self, account: Account) -> Limits:
        return LIMITS

    def preview(self, post: Outgoing, account: Account) -> Preview:
        head = warning_head(post)
        fitted = fit_marked(post, limit=LIMITS.max_chars, measure=weighted_length)
        problems: list[Problem] = []
        if not fitted.fits:
            problems.append(
                Problem(
                    f"Too long for X: the title, warning and link alone count "
                    f"{weighted_length(f'{head}{post.title} {post.url}')} of 280 (links count "
                    "23, emoji and CJK characters 2). Shorten the title or the warning."
                )
            )
        elif fitted.shortened:
            problems.append(
                Problem("Shortened to 280 for X; the link leads to the whole post.", blocking=False)
            )
        images = tuple(post.images[: LIMITS.max_images])
        if len(post.images) > LIMITS.max_images:
            problems.append(
                Problem(
                    f"X takes 4 pictures; only the first 4 of {len(post.images)} will go.",
                    blocking=False,
                )
            )
        problems.extend(_image_problems(images))
        if post.video is not None:
            problems.append(VIDEO_STAYS)
        if post.content_warning:
            problems.append(
                Problem("X has no content warnings; the warning heads the text.", blocking=False)
            )
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
        payload: dict[str, Any] = {"text": preview.text}
        if preview.images:
            media_ids = [self._upload(image, account, client) for image in preview.images]
            payload["media"] = {"media_ids": media_ids}
        body = self._json(client, "POST", "/2/tweets", account, "publishing", json=payload)
        remote_id = str(body["data"]["id"])
        return Published(remote_id=remote_id, url=status_url(account, remote_id))

    def _upload(self, image: Media, account: Account, client: httpx.Client) -> str:
        files = {"media": (image.path.name, image.path.read_bytes(), image.content_type)}
        body = self._json(
            client, "POST", "/2/media/upload", account, "uploading a picture",
            files=files, data={"media_category": "tweet_image"},
        )  # fmt: skip
        media_id = str(body["data"]["id"])
        metadata = {"id": media_id, "metadata": {"alt_text": {"text": image.alt_text[:1000]}}}
        self._json(client, "POST", "/2/media/metadata", account, "adding alt text", json=metadata)
        return media_id

    def find_existing(
        self, post: Outgoing, account: Account, client: httpx.Client
    ) -> Published | None:
        params = {"max_results": str(LOOKBACK), "tweet.fields": "entities,created_at"}
        path = f"/2/users/{account.account_id}/tweets"
        body = self._json(
            client, "GET", path, account, "looking for an earlier copy", params=params
        )
        for item in body.get("data", []):
            links = (item.get("entities") or {}).get("urls", [])
            expanded = " ".join(str(link.get("expanded_url", "")) for link in links)
            if carries(expanded, post.key) or carries(str(item.get("text", "")), post.key):
                remote_id = str(item["id"])
                return Published(remote_id=remote_id, url=status_url(account, remote_id))
        return None

    def delete(self, remote_id: str, account: Account, client: httpx.Client) -> None:
        response = self._send(client, "DELETE", f"/2/tweets/{remote_id}", account, "deleting")
        if response.is_success or response.status_code == 404:
            return
        raise failure(response, "deleting the post")

    def fetch_counts(self, remote_id: str, account: Account, client: httpx.Client) -> Counts:
        params = {"tweet.fields": "public_metrics"}
        path = f"/2/tweets/{remote_id}"
        body = self._json(client, "GET", path, account, "reading counts", params=params)
        metrics = (body.get("data") or {}).get("public_metrics") or {}
        return Counts(
            likes=int(metrics.get("like_count", 0)),
            shares=int(metrics.get("retweet_count", 0)) + int(metrics.get("quote_count", 0)),
            replies=int(metrics.get("reply_count", 0)),
        )

    def fetch_replies(
        self, remote_id: str, account: Account, client: httpx.Client
    ) -> Sequence[Reply]:
        # Recent search covers the last seven days, which is when replies come.
        params = {
            "query": f"conversation_id:{remote_id}",
            "tweet.fields": "author_id,created_at,conversation_id",
            "expansions": "author_id",
            "user.fields": "username",
            "max_results": "100",
        }
        path = "/2/tweets/search/recent"
        body = self._json(client, "GET", path, account, "reading replies", params=params)
        users = {
            str(user["id"]): str(user.get("username", ""))
            for user in (body.get("includes") or {}).get("users", [])
        }
        return [
            Reply(
                remote_id=str(item["id"]),
                author=f"@{users[str(item.get('author_id'))]}"
                if users.get(str(item.get("author_id")))
                else "An X user",
                text=str(item.get("text", "")),
                created_at=parse_time(item["created_at"]),
                url=f"https://x.com/i/web/status/{item['id']}",
            )
            for item in body.get("data", [])
            if str(item["id"]) != remote_id
        ]

    # --- requests --------------------------------------------------------------------

    def _send(
        self,
        client: httpx.Client,
        method: str,
        path: str,
        account: Account,
        action: str,
        **kwargs: Any,
    ) -> httpx.Response:
        """One request, refreshing an expired token once when the channel can."""
        response = _request(client, method, path, account, action, **kwargs)
        if response.status_code == 401 and account.credentials.get("refresh_token"):
            refresh(account, client)
            response = _request(client, method, path, account, action, **kwargs)
        return response

    def _json(
        self,
        client: httpx.Client,
        method: str,
        path: str,
        account: Account,
        action: str,
        **kwargs: Any,
    ) -> dict[str, Any]:
        response = self._send(client, method, path, account, action, **kwargs)
        if not response.is_success:
            raise failure(response, action)
        body = response.json()
        return body if isinstance(body, dict) else {}


def _base(account: Account) -> str:
    return (account.server_url or API).rstrip("/")


def _request(
    client: httpx.Client, method: str, path: str, account: Account, action: str, **kwargs: Any
) -> httpx.Response:
    headers = {"Authorization": f"Bearer {account.credentials['access_token']}"}
    try:
        return client.request(method, f"{_base(account)}{path}", headers=headers, **kwargs)
    except httpx.TimeoutException as exc:
        raise NetworkError(f"X did not answer in time while {action}.") from exc
    except httpx.TransportError as exc:
        raise NetworkError(f"Could not reach X while {action}.") from exc


def refresh(account: Account, client: httpx.Client) -> None:
    """Trade the refresh token for a new pair, written back into the channel's credentials.

    A confidential client authenticates with HTTP Basic (client id and secret); a public
    one sends its ``client_id`` in the form.
    """
    credentials = account.credentials
    data = {
        "grant_type": "refresh_token",
        "refresh_token": str(credentials["refresh_token"]),
        "client_id": str(credentials.get("client_id", "")),
    }
    headers = {}
    if credentials.get("client_secret"):
        pair = f"{credentials['client_id']}:{credentials['client_secret']}".encode()
        headers["Authorization"] = f"Basic {base64.b64encode(pair).decode()}"
    try:
        response = client.post(f"{_base(account)}/2/oauth2/token", data=data, headers=headers)
    except httpx.HTTPError as exc:
        raise NetworkError("Could not reach X to renew the channel's token.") from exc
    if not response.is_success:
        raise AuthExpired(
            "X refused to renew this channel's token; reconnect the channel.",
            status=response.status_code,
            permanent=True,
        )
    tokens = response.json()
    if not isinstance(credentials, MutableMapping):
        raise AuthExpired("X's token expired and cannot be renewed here; reconnect the channel.")
    credentials["access_token"] = tokens["access_token"]
    if tokens.get("refresh_token"):
        credentials["refresh_token"] = tokens["refresh_token"]


def failure(response: httpx.Response, action: str) -> NetworkError:
    """X's problem documents (``title``, ``detail``, ``type``) or ``errors`` as staff read them."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    errors = body.get("errors") or [{}]
    message = str(body.get("detail") or body.get("title") or errors[0].get("message", ""))[:300]
    detail = {"title": body.get("title"), "type": body.get("type")}
    status = response.status_code
    if status == 429:
        return RateLimited(
            f"X asked us to slow down while {action}.",
            status=status,
            retry_after=_until_reset(response),
            detail=detail,
        )
    if status == 401:
        return AuthExpired(
            "X no longer accepts this channel's token; reconnect the channel.",
            status=status,
            permanent=True,
            detail=detail,
        )
    if status >= 500:
        return NetworkError(
            f"X had a temporary problem while {action} ({status}).", status=status, detail=detail
        )
    return NetworkError(
        f"X refused {action}: {message or status}", status=status, permanent=True, detail=detail
    )


def _until_reset(response: httpx.Response) -> float | None:
    reset = response.headers.get("x-rate-limit-reset", "").strip()
    if reset.isdigit():
        return max(1.0, float(reset) - time.time())
    retry_after = response.headers.get("Retry-After", "").strip()
    return float(retry_after) if retry_after.isdigit() else None


def _image_problems(images: Sequence[Media]) -> list[Problem]:
    problems = []
    for number, image in enumerate(images, start=1):
        if image.size > LIMITS.max_image_bytes:
            problems.append(
                Problem(
                    f"Image {number} is {image.size / 1_000_000:.1f} MB; X takes pictures up "
                    "to 5 MB."
                )
            )
        if not image.alt_text:
            problems.append(Problem(f"Image {number} has no alt text."))
    return problems
