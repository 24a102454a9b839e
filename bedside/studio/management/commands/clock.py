"""``manage.py clock``: run every sweep of the house, then again every ``--every`` seconds.

One clock per installation is enough (the sweeps are idempotent, so two do no harm). Stop
it with Ctrl-C or SIGTERM; it finishes the sweep it is in and exits.
"""

import signal
import threading
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections

from bedside.studio.clock import run_sweeps


class Command(BaseCommand):
    help = "Run the sweeps (due scheduled posts, notifications) every --every seconds."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--every", type=float, default=60.0, help="Seconds between runs.")
        parser.add_argument("--once", action="store_true", help="Run the sweeps once and exit.")

    def handle(self, *args: Any, **options: Any) -> None:
        every: float = options["every"]
        if every <= 0:
            self.stderr.write("--every must be more than 0 seconds.")
            raise SystemExit(2)
        stop = threading.Event()
        if not options["once"]:

            def request_stop(signum: int, frame: FrameType | None) -> None:
                stop.set()

            signal.signal(signal.SIGINT, request_stop)
            signal.signal(signal.SIGTERM, request_stop)
        while True:
            finished = run_sweeps()
            failed = [name for name, ok in finished.items() if not ok]
            if failed:
                self.stderr.write(f"Sweeps that failed (logged above): {', '.join(failed)}")
            if options["once"] or stop.wait(every):
                return
            # As a request does: drop a connection the database closed or that is too old.
            close_old_connections()
