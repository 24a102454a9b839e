"""Notify's fixtures: an SMTP sink that counts connections and can fail.

The sink is a real aiosmtpd server on loopback (as ``smtp_sink`` in tests/conftest.py), with
hooks to refuse chosen recipients or hang up in the middle of a conversation, so the
fan-out is tested against SMTP failures as a mail server produces them.
"""

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest

from tests.factories import PostFactory, member


@dataclass
class Sink:
    """What the server saw: connections opened, messages accepted, and the faults to play."""

    connections: int = 0
    messages: list[tuple[list[str], EmailMessage]] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    hang_up_on: set[str] = field(default_factory=set)

    def recipients(self) -> list[str]:
        return [to for tos, _ in self.messages for to in tos]

    def to(self, address: str) -> list[EmailMessage]:
        return [message for tos, message in self.messages if address in tos]

    async def handle_EHLO(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_RCPT(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if address in self.hang_up_on:
            self.hang_up_on.discard(address)  # once: a retry goes through
            server.transport.close()
            return "421 Closing connection"
        if address in self.refuse:
            return "550 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        parsed = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(parsed, EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), parsed))
        return "250 Message accepted for delivery"


@pytest.fixture
def sink(settings: Any) -> Iterator[Sink]:
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    handler = Sink()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        yield handler
    finally:
        controller.stop()


@pytest.fixture
def editor(practice: Any) -> Any:
    from bedside.practices.models import Role

    return member(practice, Role.EDITOR)


@pytest.fixture
def patients(practice: Any) -> list[Any]:
    """Five patients of ``practice``, in the order they joined."""
    return [member(practice) for _ in range(5)]


@pytest.fixture
def committed(django_capture_on_commit_callbacks: Any) -> Any:
    """Run on-commit work (the enqueued tasks) as a real commit would."""
    return django_capture_on_commit_callbacks


def run_broadcast(post: Any, committed: Any) -> Any:
    """``start_broadcast`` as the studio calls it, its on-commit tasks run (immediate backend)."""
    from bedside.notify.services import start_broadcast

    with committed(execute=True):
        return start_broadcast(post=post)


def published(practice: Any, by: Any, **kwargs: Any) -> Any:
    """A post written as a draft and published through the posts service, as the studio does."""
    from bedside.posts.models import Status
    from bedside.posts.services import publish_post

    draft = PostFactory(
        practice=practice, author=by, status=Status.DRAFT, published_at=None, **kwargs
    )
    return publish_post(by=by, post=draft)
