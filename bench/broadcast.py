"""Broadcast benchmark: one post to 100,000 followers, through the real worker and real SMTP.

Not a test. On PostgreSQL (DATABASE_URL, default a ``bedside_bench_broadcast`` database on
127.0.0.1, created if missing) it makes — or reuses — a practice with N patients, then:

1. starts an aiosmtpd SMTP sink in this process (its own thread) that accepts every message
   and counts connections;
2. starts ``manage.py db_worker`` as a subprocess, pointed at that sink (``EMAIL_URL``);
3. publishes a post and starts its broadcast exactly as the studio does, so the worker runs
   the real tasks (``fan_out_broadcast``, one ``send_email_batch_task`` per 1,000 members);
4. times, from the start of the broadcast, until every in-app notification exists and until
   the SMTP sink has accepted every email; and reads the worker's peak resident memory
   (``VmHWM`` in /proc) before stopping it.

It prints the figures and appends them, with the machine's facts, to bench/RESULTS.md.

    python bench/broadcast.py --followers 100000
"""

import argparse
import logging
import os
import platform
import signal
import socket
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bedside.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bedside_bench_broadcast")
os.environ["TASKS_BACKEND"] = "django_tasks_db.DatabaseBackend"

SLUG = "bench-broadcast"
RESULTS = ROOT / "bench" / "RESULTS.md"
UNUSABLE = "!"  # Django's mark for "no password": the patients never sign in


def ensure_database(url: str) -> None:
    """Create the benchmark's PostgreSQL database if it does not exist yet."""
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    if "postgresql" not in config["ENGINE"]:
        raise SystemExit("bench/broadcast.py measures PostgreSQL: set DATABASE_URL to one.")
    admin = psycopg.connect(
        host=config["HOST"] or "127.0.0.1",
        port=config["PORT"] or 5432,
        user=config["USER"],
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )
    with admin:
        found = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]]
        ).fetchone()
        if not found:
            admin.execute(f'CREATE DATABASE "{config["NAME"]}"')


class Counter:
    """The sink's handler: counts what it accepts; keeps nothing else (100,000 messages)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.messages = 0
        self.connections = 0
        self.last_at = 0.0
        self.html_and_text = 0

    async def handle_EHLO(  # noqa: N802 (aiosmtpd's hook name)
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        with self.lock:
            self.connections += 1
        session.host_name = hostname
        return responses

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        content = envelope.content
        with self.lock:
            self.messages += 1
            self.last_at = time.monotonic()
            if b"text/html" in content and b"text/plain" in content:
                self.html_and_text += 1
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def seed(followers: int) -> tuple[Any, Any]:
    """The practice, its editor and ``followers`` patients (bulk, reused when present)."""
    from django.db import transaction

    from bedside.practices.models import Membership, Practice, Role, User

    practice, _ = Practice.objects.get_or_create(
        slug=SLUG, defaults={"name": "Broadcast Bench Clinic", "time_zone": "UTC"}
    )
    editor, _ = User.objects.get_or_create(email="editor@bench-broadcast.test")
    Membership.objects.get_or_create(
        user=editor, practice=practice, defaults={"role": Role.EDITOR, "display_name": "Editor"}
    )
    have = Membership.objects.filter(practice=practice, role=Role.PATIENT).count()
    started = time.monotonic()
    chunk = 5000
    for start in range(have, followers, chunk):
        end = min(start + chunk, followers)
        with transaction.atomic():
            users = User.objects.bulk_create(
                [
                    User(email=f"patient{n}@bench-broadcast.test", password=UNUSABLE)
                    for n in range(start, end)
                ]
            )
            Membership.objects.bulk_create(
                [
                    Membership(
                        user=user, practice=practice, role=Role.PATIENT, display_name=f"P{n}"
                    )
                    for n, user in zip(range(start, end), users, strict=True)
                ]
            )
    if have < followers:
        print(f"seeded {followers - have:,} patients in {time.monotonic() - started:.1f} s")
    return practice, editor


def clear_previous_runs(practice: Any) -> None:
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from bedside.notify.models import EmailDelivery, Notification
    from bedside.posts.models import Post

    EmailDelivery.objects.filter(practice=practice).delete()
    Notification.objects.filter(practice=practice).delete()
    Post.objects.filter(practice=practice).delete()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {DBTaskResult._meta.db_table}")
        cursor.execute("VACUUM ANALYZE")


def peak_rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    raise RuntimeError("no VmHWM in /proc")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--followers", type=int, default=100_000)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--no-record", action="store_true", help="do not write RESULTS.md")
    args = parser.parse_args()

    ensure_database(os.environ["DATABASE_URL"])
    import django

    django.setup()
    from aiosmtpd.controller import Controller
    from django.core.management import call_command
    from django.db import connection, transaction

    from bedside.notify.models import Broadcast, BroadcastStatus, EmailDelivery, Notification
    from bedside.notify.services import start_broadcast
    from bedside.posts.models import Kind, Post, Status, Topic, Visibility
    from bedside.posts.services import publish_post

    call_command("migrate", verbosity=0)
    practice, editor = seed(args.followers)
    clear_previous_runs(practice)

    # aiosmtpd logs every SMTP line at INFO: 100,000 messages would time the logging.
    logging.getLogger("mail.log").setLevel(logging.WARNING)
    counter = Counter()
    port = free_port()
    sink = Controller(counter, hostname="127.0.0.1", port=port)
    sink.start()
    environment = os.environ | {
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "LOG_LEVEL": "WARNING",
        "DATABASE_CONN_MAX_AGE": "600",
    }
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.1", "--no-startup-delay"],
        cwd=ROOT,
        env=environment,
    )
    try:
        post = Post.objects.create(
            practice=practice,
            author=editor,
            kind=Kind.ANNOUNCEMENT,
            topic=Topic.NON_MEDICAL,
            status=Status.DRAFT,
            visibility=Visibility.PATIENTS,
            title="Flu shots are here",
            body="Walk in any weekday morning.",
            body_html="<p>Walk in any weekday morning.</p>",
        )
        publish_post(by=editor, post=post)
        began = time.monotonic()
        with transaction.atomic():
            broadcast = start_broadcast(post=post)
        in_app_at = emails_at = None
        expected = args.followers
        while time.monotonic() - began < args.timeout:
            time.sleep(0.2)
            if in_app_at is None:
                state = Broadcast.objects.values_list("status", flat=True).get(pk=broadcast.pk)
                if state == BroadcastStatus.DONE:
                    in_app_at = time.monotonic()
            with counter.lock:
                if counter.messages >= expected:
                    emails_at = counter.last_at
            if in_app_at is not None and emails_at is not None:
                break
            if worker.poll() is not None:
                raise SystemExit(f"the worker exited with {worker.returncode}")
        else:
            raise SystemExit("timed out")
        rss_kib = peak_rss_kib(worker.pid)
    finally:
        worker.send_signal(signal.SIGTERM)
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
        sink.stop()

    broadcast.refresh_from_db()
    notifications = Notification.objects.filter(post=post).count()
    sent = EmailDelivery.objects.filter(broadcast=broadcast, status="sent").count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]
    machine = (
        f"{os.cpu_count()} CPUs (nproc), "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.1f} GiB memory, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"Django {django.get_version()}"
    )
    lines = [
        f"## {datetime.now(UTC):%Y-%m-%d %H:%M} UTC — broadcast, PostgreSQL {server}",
        "",
        f"- machine: {machine}",
        f"- data: {args.followers:,} patients following one practice; one post broadcast",
        "- method: `python bench/broadcast.py --followers "
        f"{args.followers}`: one `manage.py db_worker` subprocess runs the real tasks "
        "(fan-out in batches of 1,000, one email task per batch); an aiosmtpd sink in the "
        "benchmark's process accepts the mail over loopback SMTP",
        "",
        "| measure | value |",
        "|---|---|",
        f"| time until every in-app notification exists | {in_app_at - began:.1f} s |",
        f"| time until every email is accepted by SMTP | {emails_at - began:.1f} s |",
        f"| notifications created | {notifications:,} |",
        f"| emails accepted by the sink (HTML + text) | {counter.messages:,} "
        f"({counter.html_and_text:,}) |",
        f"| emails recorded as sent | {sent:,} |",
        f"| SMTP connections opened | {counter.connections:,} |",
        f"| worker peak RSS (VmHWM) | {rss_kib / 1024:.0f} MiB |",
        "",
    ]
    report = "\n".join(lines)
    print(report)
    if not args.no_record:
        with RESULTS.open("a") as results:
            results.write("\n" + report)


if __name__ == "__main__":
    main()
