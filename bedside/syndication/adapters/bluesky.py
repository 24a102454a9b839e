"""Bluesky (AT Protocol) over plain XRPC with httpx, against any PDS host.

Exactly once: the record key is derived from the delivery key (``keys.record_key``), so a
retry of the same write names the same record — the PDS refuses a second record under that
key instead of making a second post — and ``find_existing`` is a ``getRecord`` on it.

Text is counted in graphemes (``regex`` ``\\X``), as Bluesky counts it; links and mentions
become rich-text facets whose offsets are UTF-8 byte offsets. Bluesky has no content
warnings on posts, so a warning heads the text.
"""

import logging
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlencode, urlsplit

import httpx
import regex  # type: ignore[import-untyped]

from bedside.syndication.adapters.base import (
    Account,
    AuthExpired,
    Counts,
    Limits,
    NetworkError,
    Outgoing,
    Preview,
    Problem,
    Published,
    RateLimited,
    Reply,
)
from bedside.syndication.compose import fit
from bedside.syndication.keys import record_key

logger = logging.getLogger(__name__)

POST = "app.bsky.feed.post"
LIMITS = Limits(
    max_chars=300,
    max_images=4,
    max_image_bytes=1_000_000,
    accepts_video=False,
    content_warnings=False,
    counts_graphemes=True,
)
_GRAPHEME = regex.compile(r"\X")
_URL = regex.compile(r"https?://[^\s<>\"']+[^\s<>\"'.,;:!?)\]]")
_MENTION = regex.compile(
    r"(?<![\w@])@([a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\.[a-zA-Z0-9-]+)+)"
)
_AUTH_ERRORS = {"AuthenticationRequired", "InvalidToken", "AccountTakedown", "AccountDeactivated"}


def graphemes(text: str) -> int:
    return len(_GRAPHEME.findall(text))


def _byte_span(text: str, start: int, end: int) -> dict[str, int]:
    return {
        "byteStart": len(text[:start].encode("utf-8")),
        "byteEnd": len(text[:end].encode("utf-8")),
    }


def link_facets(text: str) -> list[dict[str, Any]]:
    """A link facet for every http(s) URL in ``text``, at UTF-8 byte offsets."""
    return [
        {
            "index": _byte_span(text, match.start(), match.end()),
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": match.group(0)}],
        }
        for match in _URL.finditer(text)
    ]


def mention_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, handle) of each @handle in ``text`` (character offsets)."""
    spans = []
    for match in _MENTION.finditer(text):
        if any(start <= match.start() < end for start, end in _url_spans(text)):
            continue
        spans.append((match.start(), match.end(), match.group(1).lower()))
    return spans


def _url_spans(text: str) -> list[tuple[int, int]]:
    return [(match.start(), match.end()) for match in _URL.finditer(text)]


def _error(response: httpx.Response, action: str) -> NetworkError:
    """A staff-readable error from an XRPC answer; messages never echo our request."""
    try:
        body = response.json()
    except ValueError:
        body = {}
    name = str(body.get("error", "")) if isinstance(body, dict) else ""
    message = str(body.get("message", "")) if isinstance(body, dict) else ""
    detail = {"error": name}
    if response.status_code == 429:
        retry_after = _retry_after(response)
        return RateLimited(
            f"Bluesky asked us to slow down while {action}.",
            status=429,
            retry_after=retry_after,
            detail=detail,
        )
    if response.status_code == 401 or name in _AUTH_ERRORS:
        return AuthExpired(
            f"Bluesky no longer accepts this account's app password ({name or 'unauthorized'}); "
            "reconnect the channel.",
            status=response.status_code,
            permanent=True,
            detail=detail,
        )
    if response.status_code >= 500:
        return NetworkError(
            f"Bluesky's server failed while {action} ({response.status_code}).",
            status=response.status_code,
            detail=detail,
        )
    reason = f"Bluesky refused {action}: {message or name or response.status_code}"
    return NetworkError(reason[:400], status=response.status_code, permanent=True, detail=detail)


def _retry_after(response: httpx.Response) -> float | None:
    raw = response.headers.get("Retry-After")
    if raw and raw.strip().isdigit():
        return float(raw)
    reset = response.headers.get("RateLimit-Reset")  # the PDS sends a Unix time
    if reset and reset.strip().isdigit():
        return max(0.0, float(reset) - datetime.now(UTC).timestamp())
    return None


class Bluesky:
    network: ClassVar[str] = "bluesky"

    # --- the session -------------------------------------------------------------------

    @staticmethod
    def create_session(
        server_url: str, handle: str, app_password: str, client: httpx.Client
    ) -> dict[str, str]:
        """Sign in with an app password; the new tokens, DID and canonical handle."""
        response = client.post(
            f"{server_url.rstrip('/')}/xrpc/com.atproto.server.createSession",
            json={"identifier": handle, "password": app_password},
        )
        if response.status_code != 200:
            raise _error(response, "signing in")
        body = response.json()
        return {
            "did": str(body["did"]),
            "handle": str(body.get("handle", handle)),
            "access_jwt": str(body["accessJwt"]),
            "refresh_jwt": str(body["refreshJwt"]),
        }

    def _refresh(self, account: Account, client: httpx.Client) -> None:
        credentials: Any = account.credentials
        response = client.post(
            f"{self._base(account)}/xrpc/com.atproto.server.refreshSession",
            headers={"Authorization": f"Bearer {credentials.get('refresh_jwt', '')}"},
        )
        if response.status_code == 200:
            body = response.json()
            credentials["access_jwt"] = str(body["accessJwt"])
            credentials["refresh_jwt"] = str(body["refreshJwt"])
            return
        # The refresh token expired too: sign in again with the stored app password.
        session = self.create_session(
            self._base(account), account.handle, str(credentials.get("app_password", "")), client
        )
        credentials["access_jwt"] = session["access_jwt"]
        credentials["refresh_jwt"] = session["refresh_jwt"]

    @staticmethod
    def _base(account: Account) -> str:
        return account.server_url.rstrip("/")

    def _call(
        self,
        account: Account,
        client: httpx.Client,
        method: str,
        nsid: str,
        action: str,
        **kwargs: Any,
    ) -> httpx.Response:
        """One authenticated XRPC call, refreshing the session once on ExpiredToken."""
        extra = kwargs.pop("headers", {})
        for attempt in range(2):
            headers = {"Authorization": f"Bearer {account.credentials.get('access_jwt', '')}"}
            headers.update(extra)
            response = client.request(
                method, f"{self._base(account)}/xrpc/{nsid}", headers=headers, **kwargs
            )
            if attempt == 0 and _is_expired(response):
                self._refresh(account, client)
                continue
            return response
        return response

    # --- the interface -----------------------------------------------------------------

    def limits(self, account: Account) -> Limits:
        return LIMITS

    def preview(self, post: Outgoing, account: Account) -> Preview:
        head = f"Content warning: {post.content_warning}" if post.content_warning else ""
        fitted = fit(
            head=head,
            title=post.title,
            body=post.text,
            url=post.url,
            limit=LIMITS.max_chars,
            measure=graphemes,
        )
        problems = []
        if not fitted.fits:
            problems.append(
                Problem(
                    f"Too long for Bluesky: the warning, title and link alone take "
                    f"{graphemes(f'{head}{post.title}{post.url}')} of {LIMITS.max_chars} "
                    "characters. Shorten the title or the warning."
                )
            )
        elif fitted.shortened:
            problems.append(
                Problem(
                    "Shortened to 300 characters; the link leads to the whole post.",
                    blocking=False,
                )
            )
        if len(post.images) > LIMITS.max_images:
            problems.append(
                Problem(
                    f"Bluesky takes 4 images; only the first 4 of {len(post.images)} will go.",
                    blocking=False,
                )
            )
        for number, image in enumerate(post.images[: LIMITS.max_images], start=1):
            if image.size > LIMITS.max_image_bytes:
                problems.append(
                    Problem(
                        f"Image {number} is {image.size / 1_000_000:.1f} MB; Bluesky takes "
                        "images up to 1 MB."
                    )
                )
            if not image.alt_text:
                problems.append(Problem(f"Image {number} has no alt text."))
        if post.video is not None:
            problems.append(
                Problem(
                    "Bluesky gets no video from Bedside; the post goes with its link instead.",
                    blocking=False,
                )
            )
        if post.content_warning:
            problems.append(
                Problem(
                    "Bluesky has no content warnings on posts; the warning heads the text.",
                    blocking=False,
                )
            )
        return Preview(
            text=fitted.text,
            length=fitted.length,
            limit=LIMITS.max_chars,
            images=tuple(post.images[: LIMITS.max_images]),
            content_warning="",
            problems=tuple(problems),
        )

    def record(self, post: Outgoing, account: Account, client: httpx.Client) -> dict[str, Any]:
        """The ``app.bsky.feed.post`` record for ``post`` (uploads its images)."""
        preview = self.preview(post, account)
        if preview.blocking:
            raise NetworkError(preview.blocking[0].message, permanent=True)
        text = preview.text
        facets = link_facets(text)
        for start, end, handle in mention_spans(text):
            did = self.resolve_handle(handle, account, client)
            if did:
                facets.append(
                    {
                        "index": _byte_span(text, start, end),
                        "features": [{"$type": "app.bsky.richtext.facet#mention", "did": did}],
                    }
                )
        record: dict[str, Any] = {
            "$type": POST,
            "text": text,
            "createdAt": datetime.now(UTC)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "langs": ["en"],
        }
        if facets:
            record["facets"] = sorted(facets, key=lambda facet: facet["index"]["byteStart"])
        if preview.images:
            record["embed"] = {
                "$type": "app.bsky.embed.images",
                "images": [
                    self._image(
                        image_bytes=image.path.read_bytes(),
                        media=image,
                        account=account,
                        client=client,
                    )
                    for image in preview.images
                ],
            }
        else:
            record["embed"] = {
                "$type": "app.bsky.embed.external",
                "external": {
                    "uri": post.url,
                    "title": post.title[:300],
                    "description": post.text[:300],
                },
            }
        return record

    def _image(
        self, *, image_bytes: bytes, media: Any, account: Account, client: httpx.Client
    ) -> dict[str, Any]:
        response = self._call(
            account,
            client,
            "POST",
            "com.atproto.repo.uploadBlob",
            "uploading an image",
            content=image_bytes,
            headers={"Content-Type": media.content_type},
        )
        if response.status_code != 200:
            raise _error(response, "uploading an image")
        image: dict[str, Any] = {"image": response.json()["blob"], "alt": media.alt_text}
        if media.width and media.height:
            image["aspectRatio"] = {"width": media.width, "height": media.height}
        return image

    def resolve_handle(self, handle: str, account: Account, client: httpx.Client) -> str:
        response = client.get(
            f"{self._base(account)}/xrpc/com.atproto.identity.resolveHandle",
            params={"handle": handle},
        )
        if response.status_code != 200:
            return ""  # an unknown handle stays plain text
        return str(response.json().get("did", ""))

    def publish(self, post: Outgoing, account: Account, client: httpx.Client) -> Published:
        rkey = record_key(post.key)
        record = self.record(post, account, client)
        response = self._call(
            account,
            client,
            "POST",
            "com.atproto.repo.createRecord",
            "publishing",
            json={"repo": account.account_id, "collection": POST, "rkey": rkey, "record": record},
        )
        if response.status_code == 200:
            return self._published(account, str(response.json()["uri"]))
        if response.status_code not in (401, 429):
            # The same record key already written (the PDS answers 500 "InternalServerError"
            # for that, not a conflict): an earlier attempt got through.
            existing = self.find_existing(post, account, client)
            if existing is not None:
                return existing
        raise _error(response, "publishing")

    def find_existing(
        self, post: Outgoing, account: Account, client: httpx.Client
    ) -> Published | None:
        response = self._call(
            account,
            client,
            "GET",
            "com.atproto.repo.getRecord",
            "looking for an earlier copy",
            params={"repo": account.account_id, "collection": POST, "rkey": record_key(post.key)},
        )
        if response.status_code == 200:
            return self._published(account, str(response.json()["uri"]))
        if response.status_code in (400, 404) and _error_name(response) in {"RecordNotFound", ""}:
            return None
        raise _error(response, "looking for an earlier copy")

    def delete(self, remote_id: str, account: Account, client: httpx.Client) -> None:
        rkey = remote_id.rsplit("/", 1)[-1]
        response = self._call(
            account,
            client,
            "POST",
            "com.atproto.repo.deleteRecord",
            "removing the post",
            json={"repo": account.account_id, "collection": POST, "rkey": rkey},
        )
        if response.status_code != 200 and _error_name(response) != "RecordNotFound":
            raise _error(response, "removing the post")

    def fetch_counts(self, remote_id: str, account: Account, client: httpx.Client) -> Counts:
        response = self._call(
            account,
            client,
            "GET",
            "app.bsky.feed.getPosts",
            "reading counts",
            params={"uris": remote_id},
        )
        if response.status_code != 200:
            raise _unavailable(response, "counts")
        posts = response.json().get("posts", [])
        if not posts:
            return Counts()
        found = posts[0]
        return Counts(
            likes=int(found.get("likeCount", 0)),
            shares=int(found.get("repostCount", 0)) + int(found.get("quoteCount", 0)),
            replies=int(found.get("replyCount", 0)),
        )

    def fetch_replies(
        self, remote_id: str, account: Account, client: httpx.Client
    ) -> Sequence[Reply]:
        response = self._call(
            account,
            client,
            "GET",
            "app.bsky.feed.getPostThread",
            "reading replies",
            params={"uri": remote_id, "depth": 1},
        )
        if response.status_code != 200:
            raise _unavailable(response, "replies")
        replies = []
        for item in response.json().get("thread", {}).get("replies", []):
            reply = item.get("post") if isinstance(item, dict) else None
            if not reply:
                continue
            handle = str(reply.get("author", {}).get("handle", ""))
            value = reply.get("record", {})
            replies.append(
                Reply(
                    remote_id=str(reply["uri"]),
                    author=handle,
                    text=str(value.get("text", "")),
                    created_at=_parse_time(str(value.get("createdAt", ""))),
                    url=_web_url(account, handle, str(reply["uri"])),
                )
            )
        return replies

    def _published(self, account: Account, uri: str) -> Published:
        return Published(remote_id=uri, url=_web_url(account, account.handle, uri))


def _web_url(account: Account, handle: str, uri: str) -> str:
    """bsky.app for the public network; the record itself on a PDS with no web app."""
    rkey = uri.rsplit("/", 1)[-1]
    host = urlsplit(account.server_url).hostname or ""
    if host == "bsky.social" or host.endswith(".bsky.network"):
        return f"https://bsky.app/profile/{handle}/post/{rkey}"
    did = uri.removeprefix("at://").split("/", 1)[0]
    query = urlencode({"repo": did, "collection": POST, "rkey": rkey})
    return f"{account.server_url.rstrip('/')}/xrpc/com.atproto.repo.getRecord?{query}"


def _error_name(response: httpx.Response) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return str(body.get("error", "")) if isinstance(body, dict) else ""


def _is_expired(response: httpx.Response) -> bool:
    return response.status_code in (400, 401) and _error_name(response) == "ExpiredToken"


def _unavailable(response: httpx.Response, what: str) -> NetworkError:
    if response.status_code in (400, 404, 500, 501, 502) and response.status_code != 429:
        # A bare PDS without an AppView has no feed views to proxy to.
        return NetworkError(
            f"This Bluesky server does not offer {what} (no AppView behind it).",
            status=response.status_code,
            permanent=True,
        )
    return _error(response, f"reading {what}")


def _parse_time(raw: str) -> datetime:
    try:
        return datetime.fromisoformat(raw.replace("Z", "+00:00"))
    except ValueError:
        return datetime.now(UTC)
