"""``manage.py vapid_keys``: print a new VAPID key pair for the environment file."""

from typing import Any

from django.core.management.base import BaseCommand

from bedside.notify.push.keys import generate_key_pair


class Command(BaseCommand):
    help = "Print a new VAPID key pair (web push) as environment variables."

    def handle(self, *args: Any, **options: Any) -> None:
        public, private = generate_key_pair()
        self.stdout.write(f"VAPID_PUBLIC_KEY={public}\nVAPID_PRIVATE_KEY={private}\n")
        self.stderr.write(
            "Keep VAPID_PRIVATE_KEY secret. A new pair makes every browser subscribe again."
        )
