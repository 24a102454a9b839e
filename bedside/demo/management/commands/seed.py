"""``manage.py seed``: a large data set for benchmarks (see ``bedside/demo/bulk.py``)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from bedside.demo.bulk import BenchDataExists, BulkPlan, seed_bulk


class Command(BaseCommand):
    help = "Create many practices, patients and posts with bulk inserts, for benchmarks."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--practices", type=int, default=100)
        parser.add_argument("--patients", type=int, default=100_000)
        parser.add_argument("--posts", type=int, default=1_000_000)
        parser.add_argument("--batch", type=int, default=5000, help="rows per insert")
        parser.add_argument("--seed", type=int, default=42, help="random seed (same data)")
        parser.add_argument("--no-progress", action="store_true", help="hide progress bars")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = BulkPlan(
            practices=options["practices"],
            patients=options["patients"],
            posts=options["posts"],
            batch=options["batch"],
            seed=options["seed"],
        )
        try:
            result = seed_bulk(plan, progress=not options["no_progress"])
        except (BenchDataExists, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Made {result.practices:,} practices ({result.staff:,} owners), "
                f"{result.patients:,} patients, {result.follows:,} follows and "
                f"{result.posts:,} posts in {result.seconds:.1f} s."
            )
        )
