import socket

import pytest

from tests.factories import PracticeFactory

# The local Bluesky peer's fixture `bluesky_pds` (peers/bluesky), for every test.
pytest_plugins = ["tests.peers.bluesky"]


@pytest.fixture
def practice():
    return PracticeFactory()


@pytest.fixture
def other_practice():
    return PracticeFactory()


class _Inbox:
    """Messages an SMTP server accepted, as (envelope sender, recipients, raw message)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback; Django's default mailer sends to it over SMTP."""
    from aiosmtpd.controller import Controller

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = _Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.MAILERS = {
            "default": {
                "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
                "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
            }
        }
        yield inbox
    finally:
        controller.stop()
