"""Small stateful fakes of Mastodon and a Bluesky PDS, following their documented answers.

Served through ``httpx.MockTransport``: each keeps the posts it holds, so a test can assert
how many remote posts exist, and every request it saw. Errors use the documented shapes:
Mastodon ``{"error": "..."}`` with 401/422/429 (+ ``Retry-After``); XRPC
``{"error": "Name", "message": "..."}``.
"""

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import httpx

Hook = Callable[[httpx.Request], httpx.Response | None]


def _form(request: httpx.Request) -> dict[str, list[str]]:
    return parse_qs(request.content.decode(), keep_blank_values=True)


@dataclass
class FakeMastodon:
    base: str = "https://social.example"
    token: str = "mastodon-secret-token-123"
    max_characters: int = 500
    statuses: dict[str, dict[str, Any]] = field(default_factory=dict)
    idempotency: dict[str, str] = field(default_factory=dict)
    media: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: list[httpx.Request] = field(default_factory=list)
    replies: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    hooks: list[Hook] = field(default_factory=list)  # first answer that is not None wins
    apps: int = 0

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle)

    def handle(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        for hook in self.hooks:
            answer = hook(request)
            if answer is not None:
                return answer
        path, method = request.url.path, request.method
        if path == "/api/v1/apps" and method == "POST":
            self.apps += 1
            return httpx.Response(200, json={"client_id": "cid", "client_secret": "csecret"})
        if path == "/oauth/token" and method == "POST":
            form = _form(request)
            if form.get("code") != ["good-code"] or form.get("client_secret") != ["csecret"]:
                return httpx.Response(400, json={"error": "invalid_grant"})
            return httpx.Response(200, json={"access_token": self.token, "token_type": "Bearer"})
        if path == "/api/v2/instance":
            return httpx.Response(
                200,
                json={"configuration": {"statuses": {"max_characters": self.max_characters}}},
            )
        if request.headers.get("Authorization") != f"Bearer {self.token}":
            return httpx.Response(401, json={"error": "The access token is invalid"})
        if path == "/api/v1/accounts/verify_credentials":
            return httpx.Response(
                200, json={"id": "109", "acct": "riverside", "username": "riverside"}
            )
        if path == "/api/v2/media" and method == "POST":
            media_id = str(len(self.media) + 1)
            self.media[media_id] = {"id": media_id, "body": request.content}
            return httpx.Response(200, json={"id": media_id, "url": f"{self.base}/m/{media_id}"})
        if path == "/api/v1/statuses" and method == "POST":
            key = request.headers.get("Idempotency-Key", "")
            if key and key in self.idempotency:
                return httpx.Response(200, json=self.statuses[self.idempotency[key]])
            form = _form(request)
            text = form.get("status", [""])[0]
            # Documented counting: every URL as 23 characters.
            counted = re.sub(r"https?://\S+", "x" * 23, text)
            if len(counted) > self.max_characters:
                return httpx.Response(
                    422, json={"error": "Validation failed: Text character limit of 500 exceeded"}
                )
            status_id = str(1000 + len(self.statuses) + 1)
            status = {
                "id": status_id,
                "url": f"{self.base}/@riverside/{status_id}",
                "content": f"<p>{text}</p>",
                "spoiler_text": form.get("spoiler_text", [""])[0],
                "media_ids": form.get("media_ids[]", []),
                "favourites_count": 0,
                "reblogs_count": 0,
                "replies_count": 0,
            }
            self.statuses[status_id] = status
            if key:
                self.idempotency[key] = status_id
            return httpx.Response(200, json=status)
        match = re.fullmatch(r"/api/v1/statuses/(\d+)(/context)?", path)
        if match:
            status_id = match.group(1)
            if status_id not in self.statuses:
                return httpx.Response(404, json={"error": "Record not found"})
            if method == "DELETE":
                return httpx.Response(200, json=self.statuses.pop(status_id))
            if match.group(2):
                return httpx.Response(
                    200, json={"ancestors": [], "descendants": self.replies.get(status_id, [])}
                )
            return httpx.Response(200, json=self.statuses[status_id])
        if re.fullmatch(r"/api/v1/accounts/\d+/statuses", path):
            return httpx.Response(200, json=list(reversed(self.statuses.values())))
        return httpx.Response(404, json={"error": "Record not found"})


@dataclass
class FakePds:
    """A PDS's XRPC surface for one account: sessions, records, blobs, handles."""

    base: str = "https://pds.example"
    handle: str = "riverside.pds.example"
    did: str = "did:plc:riverside123"
    app_password: str = "abcd-efgh-ijkl-mnop"
    records: dict[str, dict[str, Any]] = field(default_factory=dict)
    blobs: list[bytes] = field(default_factory=list)
    requests: list[httpx.Request] = field(default_factory=list)
    hooks: list[Hook] = field(default_factory=list)
    handles: dict[str, str] = field(default_factory=dict)
    sessions: int = 0
    access: str = "access-jwt-1"
    refresh: str = "refresh-jwt-1"
    expired: set[str] = field(default_factory=set)

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.handle_request)

    def _error(self, status: int, name: str, message: str = "") -> httpx.Response:
        return httpx.Response(status, json={"error": name, "message": message or name})

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        for hook in self.hooks:
            answer = hook(request)
            if answer is not None:
                return answer
        nsid = request.url.path.removeprefix("/xrpc/")
        body = (
            json.loads(request.content)
            if request.headers.get("content-type", "").startswith("application/json")
            else {}
        )
        if nsid == "com.atproto.server.createSession":
            if (
                body.get("identifier") not in (self.handle, self.did)
                or body.get("password") != self.app_password
            ):
                return self._error(401, "AuthenticationRequired", "Invalid identifier or password")
            self.sessions += 1
            self.access, self.refresh = (
                f"access-jwt-{self.sessions}",
                f"refresh-jwt-{self.sessions}",
            )
            return httpx.Response(
                200,
                json={
                    "did": self.did,
                    "handle": self.handle,
                    "accessJwt": self.access,
                    "refreshJwt": self.refresh,
                },
            )
        if nsid == "com.atproto.identity.resolveHandle":
            handle = request.url.params.get("handle", "")
            if handle in self.handles:
                return httpx.Response(200, json={"did": self.handles[handle]})
            return self._error(400, "InvalidRequest", "Unable to resolve handle")
        authorization = request.headers.get("Authorization", "")
        if nsid == "com.atproto.server.refreshSession":
            if authorization != f"Bearer {self.refresh}":
                return self._error(400, "ExpiredToken", "Token has expired")
            self.sessions += 1
            self.access, self.refresh = (
                f"access-jwt-{self.sessions}",
                f"refresh-jwt-{self.sessions}",
            )
            return httpx.Response(
                200,
                json={
                    "did": self.did,
                    "handle": self.handle,
                    "accessJwt": self.access,
                    "refreshJwt": self.refresh,
                },
            )
        if authorization in {f"Bearer {token}" for token in self.expired}:
            return self._error(400, "ExpiredToken", "Token has expired")
        if authorization != f"Bearer {self.access}":
            return self._error(401, "InvalidToken", "Bad token")
        if nsid == "com.atproto.repo.uploadBlob":
            self.blobs.append(request.content)
            if len(request.content) > 1_000_000:
                return self._error(400, "BlobTooLarge", "This file is too large")
            return httpx.Response(
                200,
                json={
                    "blob": {
                        "$type": "blob",
                        "ref": {"$link": f"bafk{len(self.blobs)}"},
                        "mimeType": request.headers.get("content-type"),
                        "size": len(request.content),
                    }
                },
            )
        if nsid == "com.atproto.repo.createRecord":
            rkey = body.get("rkey") or f"auto{len(self.records)}"
            if rkey in self.records:
                return self._error(400, "InvalidRequest", f"Record already exists: {rkey}")
            self.records[rkey] = body["record"]
            return httpx.Response(200, json={"uri": self.uri(rkey), "cid": f"bafyrei{rkey}"})
        if nsid == "com.atproto.repo.getRecord":
            rkey = request.url.params.get("rkey", "")
            if rkey not in self.records:
                return self._error(
                    400, "RecordNotFound", f"Could not locate record: {self.uri(rkey)}"
                )
            return httpx.Response(
                200,
                json={"uri": self.uri(rkey), "cid": f"bafyrei{rkey}", "value": self.records[rkey]},
            )
        if nsid == "com.atproto.repo.deleteRecord":
            self.records.pop(body.get("rkey", ""), None)
            return httpx.Response(200, json={})
        if nsid == "app.bsky.feed.getPosts":
            uri = request.url.params.get("uris", "")
            rkey = uri.rsplit("/", 1)[-1]
            if rkey not in self.records:
                return httpx.Response(200, json={"posts": []})
            return httpx.Response(
                200,
                json={
                    "posts": [
                        {
                            "uri": uri,
                            "likeCount": 3,
                            "repostCount": 2,
                            "quoteCount": 1,
                            "replyCount": 1,
                        }
                    ]
                },
            )
        if nsid == "app.bsky.feed.getPostThread":
            uri = request.url.params.get("uri", "")
            return httpx.Response(
                200,
                json={
                    "thread": {
                        "post": {"uri": uri},
                        "replies": [
                            {
                                "post": {
                                    "uri": "at://did:plc:fan/app.bsky.feed.post/3reply",
                                    "author": {"handle": "fan.example"},
                                    "record": {
                                        "text": "Thank you, see you Saturday!",
                                        "createdAt": "2026-11-25T10:00:00.000Z",
                                    },
                                }
                            }
                        ],
                    }
                },
            )
        return self._error(501, "MethodNotImplemented", "Method Not Implemented")

    def uri(self, rkey: str) -> str:
        return f"at://{self.did}/app.bsky.feed.post/{rkey}"
