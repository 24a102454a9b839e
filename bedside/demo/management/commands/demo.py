"""``manage.py demo``: everything `make demo` needs, in one process tree.

Migrates, points the Site row at the demo's address, seeds the example practice if it is
missing, then runs the three production processes side by side — gunicorn for the web,
``db_worker`` for background tasks and ``clock`` for the sweeps — until Ctrl-C, SIGTERM,
or one of them stops.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from bedside.demo.bluesky_peer import start_bluesky_peer
from bedside.demo.management.commands.seed_demo import login_table
from bedside.demo.seeding import demo_present, seed_demo
from bedside.demo.syndication import bluesky_peer, connect_note
from bedside.demo.two_factor import add_staff_two_factor, two_factor_note
from bedside.notify.push.keys import key_file_environment

WEB_WORKERS = 2
POLL_SECONDS = 0.2
STOP_GRACE_SECONDS = 10
CLOCK_SECONDS = 30


class Command(BaseCommand):
    help = "Migrate, seed the example practice, and run the web server, worker and clock."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--mail-port", type=int, default=8025)

    def handle(self, *args: Any, **options: Any) -> None:
        host, port = options["host"], options["port"]
        site_url = os.environ.get("SITE_URL") or f"http://{host}:{port}"
        call_command("migrate", interactive=False, verbosity=0)
        self._point_site_at(site_url)
        Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
        if not demo_present():
            self.stdout.write("Seeding the example practice, Riverside Family Health…")
            seed_demo()
        add_staff_two_factor()
        env = self._child_environment(site_url, host)
        mailbox = Path(settings.VAR_DIR) / "mail"
        sink = "EMAIL_URL" not in os.environ
        if sink:
            # Real SMTP, caught locally: nobody real is mailed from the demo.
            env["EMAIL_URL"] = f"smtp://127.0.0.1:{options['mail_port']}"
        children = self._start(host, port, env, mail_port=options["mail_port"] if sink else None)
        bluesky, bluesky_line = start_bluesky_peer(env)
        if bluesky is not None:  # a real PDS for syndication, supervised like the rest
            children.append(bluesky)
            bluesky_line += "\n" + connect_note(bluesky_peer(), site_url)
        mail_line = f"Email goes over SMTP to a local sink; each message is saved in {mailbox}/"
        self.stdout.write(
            self.style.SUCCESS(f"\nBedside is running at {site_url}/p/riverside/")
            + f"\n\n{login_table()}\n\n{two_factor_note()}\n\n{bluesky_line}\n\n"
            + (mail_line if sink else f"Email goes to {os.environ['EMAIL_URL'].split('@')[-1]}")
            + "\n\nPress Ctrl-C to stop.\n"
        )
        self.stdout.flush()
        sys.exit(_supervise(children))

    def _point_site_at(self, site_url: str) -> None:
        domain = urlsplit(site_url).netloc
        Site.objects.update_or_create(
            pk=settings.SITE_ID, defaults={"domain": domain, "name": "Bedside"}
        )

    def _child_environment(self, site_url: str, host: str) -> dict[str, str]:
        env = dict(os.environ)
        env.setdefault("SITE_URL", site_url)
        if "ALLOWED_HOSTS" not in env and host not in settings.ALLOWED_HOSTS:
            env["ALLOWED_HOSTS"] = ",".join([*settings.ALLOWED_HOSTS, host])
        if not (env.get("VAPID_PRIVATE_KEY") or env.get("VAPID_PUBLIC_KEY")):
            # Web push needs a key pair; the demo keeps one in var/ so subscriptions last.
            env.update(key_file_environment(Path(settings.VAR_DIR) / "vapid_private.pem"))
        return env

    def _start(
        self, host: str, port: int, env: dict[str, str], *, mail_port: int | None
    ) -> list[subprocess.Popen[bytes]]:
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        web = [
            sys.executable, "-m", "gunicorn", "bedside.wsgi",
            "--bind", f"{host}:{port}", "--workers", str(WEB_WORKERS),
            "--access-logfile", "-",
        ]  # fmt: skip
        worker = [sys.executable, manage, "db_worker"]
        # Posts to other networks run on their own queue: a slow network never holds up mail.
        syndication_worker = [sys.executable, manage, "db_worker", "--queue-name", "syndication"]
        # The clock runs the sweeps: due scheduled posts, email retries, digests, reminders.
        clock = [sys.executable, manage, "clock", "--every", str(CLOCK_SECONDS)]
        commands = [web, worker, syndication_worker, clock]
        if mail_port is not None:
            commands.insert(0, [sys.executable, manage, "mail_sink", "--port", str(mail_port)])
        # Own sessions: a terminal's Ctrl-C reaches only us, and we stop them in order.
        return [subprocess.Popen(command, env=env, start_new_session=True) for command in commands]


def _supervise(children: list[subprocess.Popen[bytes]]) -> int:
    """Forward SIGINT/SIGTERM to every child; return when one exits, with its code."""
    received: list[int] = []

    def forward(signum: int, frame: FrameType | None) -> None:
        received.append(signum)
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGINT, forward)
    signal.signal(signal.SIGTERM, forward)
    first = _wait_for_any(children)
    for child in children:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
    for child in children:
        try:
            child.wait(timeout=STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
    code = first.returncode
    if received and code in (0, -signal.SIGTERM):
        return 0
    return 128 - code if code < 0 else code


def _wait_for_any(children: list[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    while True:
        for child in children:
            if child.poll() is not None:
                return child
        time.sleep(POLL_SECONDS)
