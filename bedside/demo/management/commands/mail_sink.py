"""``manage.py mail_sink``: the demo's local SMTP server, keeping mail in a folder."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from bedside.demo.mail_sink import serve


class Command(BaseCommand):
    help = "Run a local SMTP server that saves every message as an .eml file (for the demo)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8025)
        parser.add_argument("--dir", default=str(Path(settings.VAR_DIR) / "mail"))

    def handle(self, *args: Any, **options: Any) -> None:
        serve(host=options["host"], port=options["port"], directory=Path(options["dir"]))
