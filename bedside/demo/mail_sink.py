"""The demo's mail server: a real SMTP server on loopback that keeps every message.

`make demo` points Bedside's mail at it, so invitations, broadcasts, reminders and digests
go out over SMTP exactly as in production, and land as `.eml` files in `var/mail/` that
any mail program opens, instead of reaching real people.
"""

import time
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class Mailbox:
    """aiosmtpd handler: one `.eml` file per accepted message, named by arrival."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        directory.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        content = envelope.original_content or envelope.content
        (self.directory / name).write_bytes(content)
        return "250 Message accepted for delivery"


def serve(*, host: str, port: int, directory: Path) -> None:
    """Accept mail until the process is stopped."""
    controller = Controller(Mailbox(directory), hostname=host, port=port)
    controller.start()
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()
