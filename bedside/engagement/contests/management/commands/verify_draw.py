"""``manage.py verify_draw draw.json``: recompute a contest's draw from its published data.

The file is the ``draw.json`` the verification page offers (``-`` reads standard input);
``--practice SLUG --contest POST_ID`` reads the same published data from this server's
database instead. Exits non-zero, saying what disagrees, when the seed does not match the
commitment, the entry list does not match its digest, or the winners differ.
"""

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from bedside.core.errors import NotFound
from bedside.engagement.contests import draw
from bedside.engagement.contests.access import access_contest
from bedside.engagement.contests.queries import published_draw
from bedside.practices.permissions import access_practice


class Command(BaseCommand):
    help = "Recompute a contest's draw from its published seed and entry list."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("source", nargs="?", help="draw.json from the verification page, or -")
        parser.add_argument("--practice", help="The practice's slug (with --contest).")
        parser.add_argument("--contest", type=int, help="The contest's post id on this server.")

    def handle(self, *args: Any, **options: Any) -> None:
        published = self._published(options)
        verdict = draw.verify(published)
        if not verdict.ok:
            raise CommandError("The draw does not verify:\n- " + "\n- ".join(verdict.problems))
        assert verdict.recomputed is not None
        self.stdout.write(
            self.style.SUCCESS("The draw verifies.")
            + f"\nSeed matches commitment {published.commitment}."
            + f"\nEntry list: {len(published.entry_ids)} entries, SHA-256 "
            + draw.list_digest(published.entry_ids)
            + "\nWinners: "
            + (", ".join(verdict.recomputed.winners) or "none")
            + "\nAlternates: "
            + (", ".join(verdict.recomputed.alternates) or "none")
        )

    def _published(self, options: dict[str, Any]) -> draw.PublishedDraw:
        source, slug, post_id = options["source"], options["practice"], options["contest"]
        if (source is None) == (slug is None or post_id is None):
            raise CommandError("Give a draw.json file, or --practice and --contest.")
        if source is None:
            from django.contrib.auth.models import AnonymousUser

            try:
                contest = access_contest(AnonymousUser(), access_practice(slug), post_id)
            except NotFound:
                raise CommandError("No such public contest.") from None
            published = published_draw(contest)
            if published is None:
                raise CommandError("This contest has not been drawn yet.")
            return published
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
            return draw.from_json(json.loads(text))
        except OSError as error:
            raise CommandError(f"Cannot read {source}: {error.strerror}") from None
        except ValueError as error:  # JSONDecodeError is a ValueError
            raise CommandError(f"Not a draw file: {error}") from None
