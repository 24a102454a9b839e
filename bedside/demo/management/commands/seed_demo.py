"""``manage.py seed_demo``: the example practice, Riverside Family Health (idempotent)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from bedside.demo.seeding import login_rows, seed_demo
from bedside.demo.two_factor import two_factor_note


def login_table() -> str:
    rows = [("Role", "Email", "Password"), *login_rows()]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = [
        "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
        for row in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


class Command(BaseCommand):
    help = "Create the example practice with its team, posts and patients (once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--reset", action="store_true", help="delete the demo practices and seed them again"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        summary = seed_demo(reset=options["reset"])
        if not summary.created:
            self.stdout.write("The example practice is already there; nothing to do.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Seeded {summary.practices} practices in {summary.seconds:.1f} s: "
                    f"{summary.team} team profiles, {summary.patients} patients, "
                    f"{summary.published} published posts and {summary.drafts} drafts, "
                    f"{summary.reactions} reactions, {summary.comments} comments."
                )
            )
        self.stdout.write("\nDemo logins (one shared password):\n" + login_table())
        self.stdout.write("\n" + two_factor_note())
