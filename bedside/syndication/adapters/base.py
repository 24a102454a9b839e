"""The one small interface every network adapter implements.

An adapter knows one network's API and nothing of Django models: it receives a
``Outgoing`` post already built from a Bedside post (``bedside/syndication/outgoing.py``),
an ``Account`` (the channel's decrypted credentials and server) and an ``httpx.Client``
whose timeouts the caller set (never above 10 s). It raises ``NetworkError`` subclasses
with a reason a practice's staff can read; it never puts a token in a message.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, ClassVar, Protocol

import httpx


@dataclass(frozen=True)
class Media:
    """One image or video file to upload, with what a screen reader says of it."""

    path: Path
    content_type: str
    size: int
    alt_text: str = ""
    width: int = 0
    height: int = 0
    # The file's public absolute address: Instagram fetches images itself from a URL.
    url: str = ""


@dataclass(frozen=True)
class Outgoing:
    """A Bedside post as every network starts from it; adapters shape it further."""

    key: str  # the Delivery's unique key: the idempotency key and the lookup marker
    title: str
    text: str  # plain text of the post's body (Markdown rendered to text, no HTML)
    url: str  # the post's canonical page in Bedside, absolute
    images: Sequence[Media] = ()
    video: Media | None = None
    video_link: str = ""  # an embedded YouTube/Vimeo page, when the post links one
    content_warning: str = ""
    kind: str = ""
    pillar: str = ""


@dataclass(frozen=True)
class Account:
    """A connected channel as the adapter needs it: where, who, and the secrets."""

    network: str
    server_url: str  # Mastodon instance, Bluesky PDS, or the API base for the others
    account_id: str  # remote id: DID, page id, organization URN, Mastodon account id
    handle: str
    # Decrypted tokens; never logged. The engine passes a dict: an adapter that refreshes a
    # token may update it in place, and the engine seals the new value back on the channel.
    credentials: Mapping[str, Any]
    char_limit: int = 0  # a server's own limit where the network has one (Mastodon)


@dataclass(frozen=True)
class Limits:
    max_chars: int
    max_images: int
    max_image_bytes: int
    accepts_video: bool
    max_video_bytes: int = 0
    content_warnings: bool = False
    counts_graphemes: bool = False


@dataclass(frozen=True)
class Problem:
    """Why a post cannot go to a network as it is; shown in the composer's preview."""

    message: str
    # False: a note (the text was shortened to fit) that does not stop the delivery.
    blocking: bool = True


@dataclass(frozen=True)
class Preview:
    """What will be sent: the adapted text, which images, and what stops it."""

    text: str
    length: int
    limit: int
    images: Sequence[Media] = ()
    content_warning: str = ""
    problems: Sequence[Problem] = ()

    @property
    def blocking(self) -> list[Problem]:
        return [problem for problem in self.problems if problem.blocking]


@dataclass(frozen=True)
class Published:
    remote_id: str
    url: str = ""


@dataclass(frozen=True)
class Counts:
    likes: int = 0
    shares: int = 0
    replies: int = 0


@dataclass(frozen=True)
class Reply:
    remote_id: str
    author: str
    text: str  # plain text; pages escape it
    created_at: datetime
    url: str = ""


@dataclass
class NetworkError(Exception):
    """The network refused or failed. ``reason`` is for staff; it never holds a secret."""

    reason: str
    status: int = 0
    retry_after: float | None = None
    permanent: bool = False  # True: retrying the same request cannot succeed
    detail: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        return self.reason


class AuthExpired(NetworkError):
    """The token is expired or revoked: the practice must reconnect the channel."""


class RateLimited(NetworkError):
    """429 or the network's own limit: try again after ``retry_after`` seconds."""


class Adapter(Protocol):
    network: ClassVar[str]

    def limits(self, account: Account) -> Limits: ...

    def preview(self, post: Outgoing, account: Account) -> Preview:
        """The post adapted to this network, with every problem that would stop it."""
        ...

    def publish(self, post: Outgoing, account: Account, client: httpx.Client) -> Published:
        """Create the remote post. Must send the network's idempotency key where it has one."""
        ...

    def find_existing(
        self, post: Outgoing, account: Account, client: httpx.Client
    ) -> Published | None:
        """Before a retry: the remote post an earlier attempt may have created, or None."""
        ...

    def delete(self, remote_id: str, account: Account, client: httpx.Client) -> None:
        """Remove the remote post; a post already gone is not an error."""
        ...

    def fetch_counts(self, remote_id: str, account: Account, client: httpx.Client) -> Counts: ...

    def fetch_replies(
        self, remote_id: str, account: Account, client: httpx.Client
    ) -> Sequence[Reply]: ...
