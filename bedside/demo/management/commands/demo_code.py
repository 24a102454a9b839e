"""``manage.py demo_code``: the demo staff's current two-factor code, for signing in."""

from typing import Any

from django.core.management.base import BaseCommand

from bedside.demo.two_factor import DEMO_TOTP_SECRET, demo_code


class Command(BaseCommand):
    help = "Print the current six-digit sign-in code of the demo staff's authenticator."

    def handle(self, *args: Any, **options: Any) -> None:
        code, seconds = demo_code()
        self.stdout.write(code)
        self.stderr.write(
            f"valid for {seconds} more seconds (secret {DEMO_TOTP_SECRET}, RFC 6238 TOTP)"
        )
