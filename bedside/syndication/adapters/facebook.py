"""A Facebook Page through the Graph API, with the page's access token.

A text or link post is ``POST /{page-id}/feed`` (``message``, ``link``); one picture is
``POST /{page-id}/photos`` (the file as ``source``, ``caption``); several pictures are
uploaded unpublished (``published=false``) and attached to one feed post through
``attached_media[i]={"media_fbid": …}``. Facebook has no idempotency key: the message ends
with the post's link marked with the delivery (``marker.py``), which ``find_existing`` looks
for among the page's newest posts. Errors and rate limits are read by ``graph.py``.
"""

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, ClassVar

import httpx

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
    Reply,
)
from bedside.syndication.adapters.marker import VIDEO_STAYS, carries, fit_marked, marked_url

NETWORK = "Facebook"
# A Page post's message holds 63,206 characters; Page photo uploads stop at 4 MB.
LIMITS = Limits(max_chars=63_206, max_images=10, max_image_bytes=4_000_000, accepts_video=False)
LOOKBACK = 25  # newest page posts read when looking for an earlier attempt
GRAPH_TIME = "%Y-%m-%dT%H:%M:%S%z"


def post_url(remote_id: str) -> str:
    return f"https://www.facebook.com/{remote_id}"


def parse_time(value: str) -> datetime:
    return datetime.strptime(value, GRAPH_TIME)


class FacebookPage:
    network: ClassVar[str] = "facebook"

    @staticmethod
    def identify(access_token: str, client: httpx.Client, server_url: str = "") -> dict[str, str]:
        """The Page a page access token speaks for: ``account_id`` and ``handle`` to connect.

        Only a Page has a ``category``; a person's token fails on it (code 100) and is
        refused here, since posting needs the Page's own token.
        """
        account = Account("facebook", server_url, "", "", {"access_token": access_token})
        url = f"{graph.base_url(account)}/me"
        response = graph.send(
            client, "GET", url, network=NETWORK, action="checking the token", account=account,
            params={"fields": "id,name,category"},
        )  # fmt: skip
        if graph.error_of(response).get("code") == 100:
            raise NetworkError(
                "This is a person's token, not a Page's: use the Page access token.",
                status=response.status_code,
                permanent=True,
            )
        if not response.is_success:
            raise graph.failure(response, network=NETWORK, action="checking the token")
        page = response.json()
        return {"account_id": str(page["id"]), "handle": str(page.get("name", page["id"]))}

    def limits(self, account: Account) -> Limits:
        return LIMITS

    def preview(self, post: Outgoing, account: Account) -> Preview:
        fitted = fit_marked(post, limit=LIMITS.max_chars, measure=len)
        problems: list[Problem] = []
        if not fitted.fits:
            problems.append(
                Problem(
                    f"Too long for Facebook even shortened: over {LIMITS.max_chars:,} characters."
                )
            )
        elif fitted.shortened:
            problems.append(
                Problem("Shortened for Facebook; the link leads to the whole post.", blocking=False)
            )
        images = tuple(post.images[: LIMITS.max_images])
        if len(post.images) > LIMITS.max_images:
            problems.append(
                Problem(
                    f"Facebook gets the first {LIMITS.max_images} of {len(post.images)} images.",
                    blocking=False,
                )
            )
        problems.extend(image_problems(images))
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
        if len(preview.images) == 1:
            body = self._upload(preview.images[0], account, client, caption=preview.text)
            remote_id = str(body.get("post_id") or body["id"])
        else:
            data: dict[str, str] = {"message": preview.text}
            if preview.images:
                for index, image in enumerate(preview.images):
                    photo = self._upload(image, account, client, published=False)
                    data[f"attached_media[{index}]"] = json.dumps({"media_fbid": photo["id"]})
            else:
                data["link"] = marked_url(post.url, post.key)
            body = self._call(
                client, "POST", f"/{account.account_id}/feed", account, "publishing", data=data
            )
            remote_id = str(body["id"])
        return Published(remote_id=remote_id, url=post_url(remote_id))

    def _upload(
        self,
        image: Media,
        account: Account,
        client: httpx.Client,
        *,
        caption: str = "",
        published: bool = True,
    ) -> dict[str, Any]:
        data = {"alt_text_custom": image.alt_text, "published": str(published).lower()}
        if caption:
            data["caption"] = caption
        files = {"source": (image.path.name, image.path.read_bytes(), image.content_type)}
        path = f"/{account.account_id}/photos"
        return self._call(
            client, "POST", path, account, "uploading a picture", data=data, files=files
        )

    def find_existing(
        self, post: Outgoing, account: Account, client: httpx.Client
    ) -> Published | None:
        params = {"fields": "id,message,permalink_url", "limit": str(LOOKBACK)}
        body = self._call(
            client, "GET", f"/{account.account_id}/feed", account,
            "looking for an earlier copy", params=params,
        )  # fmt: skip
        for item in body.get("data", []):
            if carries(str(item.get("message", "")), post.key):
                remote_id = str(item["id"])
                return Published(remote_id, str(item.get("permalink_url") or post_url(remote_id)))
        return None

    def delete(self, remote_id: str, account: Account, client: httpx.Client) -> None:
        url = f"{graph.base_url(account)}/{remote_id}"
        response = graph.send(
            client, "DELETE", url, network=NETWORK, action="deleting the post", account=account
        )
        if response.is_success or graph.is_gone(response):
            return
        raise graph.failure(response, network=NETWORK, action="deleting the post")

    def fetch_counts(self, remote_id: str, account: Account, client: httpx.Client) -> Counts:
        fields = (
            "reactions.summary(total_count).limit(0),comments.summary(total_count).limit(0),shares"
        )
        body = self._call(
            client, "GET", f"/{remote_id}", account, "reading counts", params={"fields": fields}
        )
        return Counts(
            likes=_total(body.get("reactions")),
            shares=int((body.get("shares") or {}).get("count", 0)),
            replies=_total(body.get("comments")),
        )

    def fetch_replies(
        self, remote_id: str, account: Account, client: httpx.Client
    ) -> Sequence[Reply]:
        params = {"fields": "id,message,from,created_time,permalink_url", "limit": "100"}
        body = self._call(
            client, "GET", f"/{remote_id}/comments", account, "reading replies", params=params
        )
        return [
            Reply(
                remote_id=str(item["id"]),
                # Without the page's public-content feature Graph omits ``from``.
                author=str((item.get("from") or {}).get("name", "A Facebook user")),
                text=str(item.get("message", "")),
                created_at=parse_time(item["created_time"]),
                url=str(item.get("permalink_url", "")),
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
        return graph.checked(
            client, method, url, network=NETWORK, action=action, account=account, **kwargs
        )


def image_problems(images: Sequence[Media]) -> list[Problem]:
    problems = []
    for number, image in enumerate(images, start=1):
        if image.size > LIMITS.max_image_bytes:
            problems.append(
                Problem(
                    f"Image {number} is {image.size / 1_000_000:.1f} MB; Facebook takes "
                    f"pictures up to {LIMITS.max_image_bytes // 1_000_000} MB."
                )
            )
        if not image.alt_text:
            problems.append(Problem(f"Image {number} has no alt text."))
    return problems


def _total(edge: object) -> int:
    if not isinstance(edge, dict):
        return 0
    return int((edge.get("summary") or {}).get("total_count", 0))
