"""An Instagram professional account through the Graph API (content publishing).

Publishing is two steps: a container (``POST /{ig-user-id}/media`` with ``image_url``,
``caption`` and ``alt_text``; for a carousel one child per picture with
``is_carousel_item=true``, then ``media_type=CAROUSEL`` with ``children``), then
``POST /{ig-user-id}/media_publish`` with ``creation_id``. Instagram fetches each picture
itself from its URL, so the site must be reachable over public https; it takes JPEG only,
8 MB at most, 2,200 characters of caption and 30 hashtags, and always a picture.

Links in captions are not clickable on Instagram, so the caption prints the address for
people to type, and that address carries the delivery's marker, which ``find_existing``
looks for among the account's newest media. Instagram's API cannot delete media: ``delete``
says so plainly, and staff remove the copy by hand.
"""

import ipaddress
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import httpx
import regex  # type: ignore[import-untyped]

from bedside.syndication.adapters import graph
from bedside.syndication.adapters.base import (
    Account,
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
from bedside.syndication.adapters.marker import carries, fit_marked

NETWORK = "Instagram"
LIMITS = Limits(max_chars=2_200, max_images=10, max_image_bytes=8_000_000, accepts_video=False)
MAX_HASHTAGS = 30
# Feed pictures must lie between 4:5 (portrait) and 1.91:1 (landscape).
MIN_RATIO, MAX_RATIO = 4 / 5, 1.91
LOOKBACK = 25
HASHTAG = regex.compile(r"(?<![\p{L}\p{N}_])#[\p{L}\p{N}_]+")
# Meta's code for "the media is not ready to publish yet": try again shortly.
NOT_READY_SUBCODE = 2207027
DAILY_LIMIT_SUBCODE = 2207042  # 25 (now 50) API-published posts per 24 hours
PRIVATE_SUFFIXES = (".local", ".localhost", ".internal", ".test", ".invalid", ".example")
DELETE_REFUSAL = (
    "Instagram's API cannot delete posts; remove it by hand on Instagram "
    "(open the post, ··· then Delete)."
)


def is_public_https(url: str) -> bool:
    """Whether Instagram's servers could fetch ``url``: https, and not a private host."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme != "https" or not host or host == "localhost":
        return False
    if host.endswith(PRIVATE_SUFFIXES):
        return False
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return "." in host
    return address.is_global


def hashtag_count(text: str) -> int:
    return len(HASHTAG.findall(text))


class Instagram:
    network: ClassVar[str] = "instagram"

    @staticmethod
    def identify(
        access_token: str, page_id: str, client: httpx.Client, server_url: str = ""
    ) -> dict[str, str]:
        """The Instagram professional account linked to a Facebook Page, to connect."""
        account = Account("instagram", server_url, page_id, "", {"access_token": access_token})
        body = Instagram()._call(
            client, "GET", f"/{page_id}", account, "finding the Page's Instagram account",
            params={"fields": "instagram_business_account{id,username}"},
        )  # fmt: skip
        linked = body.get("instagram_business_account")
        if not isinstance(linked, dict) or not linked.get("id"):
            raise NetworkError(
                "This Facebook Page has no Instagram professional account linked to it.",
                permanent=True,
            )
        return {"account_id": str(linked["id"]), "handle": str(linked.get("username", ""))}

    def limits(self, account: Account) -> Limits:
        return LIMITS

    def preview(self, post: Outgoing, account: Account) -> Preview:
        fitted = fit_marked(post, limit=LIMITS.max_chars, measure=len, link_words="Read it all at ")
        images = tuple(post.images[: LIMITS.max_images])
        problems = [*self._text_problems(fitted.text, fitted.fits, fitted.shortened)]
        problems.extend(self._image_problems(post, images))
        if post.video is not None:
            problems.append(
                Problem("The video stays on Bedside; Instagram gets the pictures.", blocking=False)
            )
        return Preview(
            text=fitted.text,
            length=fitted.length,
            limit=LIMITS.max_chars,
            images=images,
            problems=tuple(problems),
        )

    def _text_problems(self, text: str, fits: bool, shortened: bool) -> list[Problem]:
        problems = [
            Problem(
                "Instagram does not make links in captions clickable: the caption prints the "
                "address for people to type. Put the practice's page in the account's bio.",
                blocking=False,
            )
        ]
        if not fits:
            problems.append(
                Problem(f"Too long for an Instagram caption: over {LIMITS.max_chars:,} characters.")
            )
        elif shortened:
            problems.append(
                Problem("Shortened to 2,200 characters for Instagram's caption.", blocking=False)
            )
        if hashtag_count(text) > MAX_HASHTAGS:
            problems.append(
                Problem(
                    f"Instagram allows {MAX_HASHTAGS} hashtags; this caption has "
                    f"{hashtag_count(text)}."
                )
            )
        return problems

    def _image_problems(self, post: Outgoing, images: Sequence[Media]) -> list[Problem]:
        if not images:
            return [Problem("Instagram needs a picture: add at least one image to this post.")]
        problems = []
        if len(post.images) > LIMITS.max_images:
            problems.append(
                Problem(
                    f"Instagram takes {LIMITS.max_images} pictures in a carousel; only the first "
                    f"{LIMITS.max_images} of {len(post.images)} will go.",
                    blocking=False,
                )
            )
        for number, image in enumerate(images, start=1):
            problems.extend(_one_image_problems(number, image))
        return problems

    def publish(self, post: Outgoing, account: Account, client: httpx.Client) -> Published:
        preview = self.preview(post, account)
        if preview.blocking:
            raise NetworkError(preview.blocking[0].message, permanent=True)
        if len(preview.images) == 1:
            image = preview.images[0]
            fields = {"image_url": image.url, "caption": preview.text, "alt_text": image.alt_text}
            container = self._container(fields, account, client)
        else:
            children = [
                self._container(
                    {
                        "image_url": image.url,
                        "is_carousel_item": "true",
                        "alt_text": image.alt_text,
                    },
                    account,
                    client,
                )
                for image in preview.images
            ]
            fields = {
                "media_type": "CAROUSEL",
                "children": ",".join(children),
                "caption": preview.text,
            }
            container = self._container(fields, account, client)
        body = self._call(
            client, "POST", f"/{account.account_id}/media_publish", account, "publishing",
            data={"creation_id": container},
        )  # fmt: skip
        remote_id = str(body["id"])
        return Published(remote_id=remote_id, url=self._permalink(remote_id, account, client))

    def _container(self, fields: dict[str, str], account: Account, client: httpx.Client) -> str:
        path = f"/{account.account_id}/media"
        return str(
            self._call(client, "POST", path, account, "preparing the post", data=fields)["id"]
        )

    def _permalink(self, remote_id: str, account: Account, client: httpx.Client) -> str:
        """The post's page; a failure here must not turn a published post into an error."""
        try:
            body = self._call(
                client, "GET", f"/{remote_id}", account, "reading the post's address",
                params={"fields": "permalink"},
            )  # fmt: skip
        except NetworkError:
            return ""
        return str(body.get("permalink", ""))

    def find_existing(
        self, post: Outgoing, account: Account, client: httpx.Client
    ) -> Published | None:
        params = {"fields": "id,caption,permalink,timestamp", "limit": str(LOOKBACK)}
        body = self._call(
            client, "GET", f"/{account.account_id}/media", account,
            "looking for an earlier copy", params=params,
        )  # fmt: skip
        for item in body.get("data", []):
            if carries(str(item.get("caption", "")), post.key):
                return Published(str(item["id"]), str(item.get("permalink", "")))
        return None

    def delete(self, remote_id: str, account: Account, client: httpx.Client) -> None:
        # Instagram's Graph API has no endpoint that deletes a published post; say so
        # permanently, rather than pretend, so the delivery log tells staff what to do.
        raise NetworkError(DELETE_REFUSAL, permanent=True, detail={"remote_id": remote_id})

    def fetch_counts(self, remote_id: str, account: Account, client: httpx.Client) -> Counts:
        body = self._call(
            client, "GET", f"/{remote_id}", account, "reading counts",
            params={"fields": "like_count,comments_count"},
        )  # fmt: skip
        # Instagram has no shares to count on a feed post through this API.
        return Counts(
            likes=int(body.get("like_count", 0)), replies=int(body.get("comments_count", 0))
        )

    def fetch_replies(
        self, remote_id: str, account: Account, client: httpx.Client
    ) -> Sequence[Reply]:
        body = self._call(
            client, "GET", f"/{remote_id}/comments", account, "reading replies",
            params={"fields": "id,text,username,timestamp", "limit": "50"},
        )  # fmt: skip
        return [
            Reply(
                remote_id=str(item["id"]),
                author=str(item.get("username", "An Instagram user")),
                text=str(item.get("text", "")),
                created_at=datetime.strptime(item["timestamp"], "%Y-%m-%dT%H:%M:%S%z"),
                url="",
            )
            for item in body.get("data", [])
        ]

    def _call(
        self,
        client: httpx.Client,
        method: str,
        path: str,
        account: Account,
        action: str,
        **kwargs: Any,
    ) -> dict[str, Any]:
        url = f"{graph.base_url(account)}{path}"
        response = graph.send(
            client, method, url, network=NETWORK, action=action, account=account, **kwargs
        )
        if response.is_success:
            body = response.json()
            return body if isinstance(body, dict) else {}
        error = graph.failure(response, network=NETWORK, action=action)
        subcode = graph.error_of(response).get("error_subcode")
        if subcode == NOT_READY_SUBCODE:
            error = NetworkError(
                "Instagram is still processing the pictures; trying again shortly.",
                status=response.status_code,
                detail=error.detail,
            )
        elif subcode == DAILY_LIMIT_SUBCODE:
            error = RateLimited(
                "Instagram's daily limit of posts made through its API is reached.",
                status=response.status_code,
                retry_after=3600.0,
                detail=error.detail,
            )
        raise error


def _one_image_problems(number: int, image: Media) -> list[Problem]:
    problems = []
    if image.content_type != "image/jpeg":
        problems.append(
            Problem(f"Image {number} is not a JPEG; Instagram takes JPEG pictures only.")
        )
    if image.size > LIMITS.max_image_bytes:
        problems.append(
            Problem(
                f"Image {number} is {image.size / 1_000_000:.1f} MB; Instagram takes "
                "pictures up to 8 MB."
            )
        )
    if not image.alt_text:
        problems.append(Problem(f"Image {number} has no alt text."))
    if image.width and image.height and not MIN_RATIO <= image.width / image.height <= MAX_RATIO:
        problems.append(
            Problem(
                f"Image {number} is {image.width}×{image.height}; Instagram takes pictures "
                "between 4:5 portrait and 1.91:1 landscape. Crop it first."
            )
        )
    if not is_public_https(image.url):
        problems.append(
            Problem(
                f"Instagram fetches pictures from the site itself, and image {number}'s address "
                f"({image.url or 'none'}) is not public https. Set SITE_URL to the site's public "
                "https address."
            )
        )
    return problems
