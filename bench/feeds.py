"""Feed benchmark: how long the feed pages take, and how many queries they run, on big data.

Not a test. On the database named by DATABASE_URL (default: var/bench.sqlite3) it seeds a
data set with the logic of ``manage.py seed`` — or reuses the one already there — then
times, through Django's test ``Client`` (the whole stack: middleware, view, query,
template), three pages:

- the practice page of the busiest practice, for a visitor;
- the home feed of a patient who follows 3 practices;
- page 50 of that home feed, reached with the keyset cursor.

It prints a table and appends it, with the machine's facts, to bench/RESULTS.md.

    python bench/feeds.py --practices 20 --patients 20000 --posts 200000
"""

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bedside.settings")
# Its own SQLite file by default, so that the demo's database keeps only the demo.
_VAR = Path(os.environ.get("BEDSIDE_VAR_DIR", ROOT / "var"))
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_VAR / 'bench.sqlite3'}")
# Persistent connections, as production runs: the figures are the page's, not the handshake's.
os.environ.setdefault("DATABASE_CONN_MAX_AGE", "600")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from bedside.core.cursor import Cursor  # noqa: E402
from bedside.demo.bulk import (  # noqa: E402
    BENCH_DOMAIN,
    BENCH_SLUG_PREFIX,
    BulkPlan,
    bench_data_present,
    seed_bulk,
)
from bedside.posts.models import Post, Status  # noqa: E402
from bedside.posts.queries import FEED_PAGE_SIZE  # noqa: E402
from bedside.practices.models import Membership, Practice, User  # noqa: E402

RESULTS = ROOT / "bench" / "RESULTS.md"
DEEP_PAGE = 50


def main() -> None:
    args = parse_args()
    call_command("migrate", interactive=False, verbosity=0)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    seeded = ensure_data(args)
    sizes = data_size()
    client = Client()
    patient = User.objects.get(email=f"patient0@{BENCH_DOMAIN}")
    busiest = busiest_practice()
    deep_cursor = home_feed_cursor(patient, page=DEEP_PAGE)

    rows = [measure("practice page (visitor)", client, f"/p/{busiest.slug}/", args.runs)]
    client.force_login(patient)
    rows.append(measure("home feed, 3 practices", client, "/", args.runs))
    rows.append(
        measure(
            f"home feed page {DEEP_PAGE} (cursor)", client, f"/?cursor={deep_cursor}", args.runs
        )
    )
    report = render(rows, sizes, seeded, args.runs, busiest)
    print(report)
    with RESULTS.open("a") as results:
        results.write(report + "\n")
    print(f"Appended to {RESULTS.relative_to(ROOT)}")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--practices", type=int, default=20)
    parser.add_argument("--patients", type=int, default=20_000)
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--runs", type=int, default=50, help="timed requests per page")
    return parser.parse_args()


def ensure_data(args: argparse.Namespace) -> str:
    """Seed unless bench data is already there; say which, with the seeding time."""
    if bench_data_present():
        return "reused the data already in the database"
    plan = BulkPlan(args.practices, args.patients, args.posts, args.batch, args.seed)
    result = seed_bulk(plan, progress=sys.stderr.isatty())
    return f"seeded in {result.seconds:.1f} s"


def data_size() -> dict[str, int]:
    return {
        "practices": Practice.objects.filter(slug__startswith=BENCH_SLUG_PREFIX).count(),
        "patients": User.objects.filter(email__startswith="patient").count(),
        "follows": Membership.objects.filter(role="patient").count(),
        "posts": Post.objects.count(),
    }


def busiest_practice() -> Practice:
    return Practice.objects.get(slug=f"{BENCH_SLUG_PREFIX}0000")


def home_feed_cursor(patient: User, *, page: int) -> str:
    """The cursor the "older posts" link of page ``page - 1`` carries."""
    practice_ids = Membership.objects.filter(user=patient).values_list("practice_id", flat=True)
    offset = (page - 1) * FEED_PAGE_SIZE - 1
    last = (
        Post.objects.filter(practice_id__in=list(practice_ids), status=Status.PUBLISHED)
        .order_by("-published_at", "-id")
        .values_list("published_at", "id")[offset]
    )
    return Cursor(at=last[0], pk=last[1]).encode()


def measure(name: str, client: Client, url: str, runs: int) -> dict[str, object]:
    def get() -> None:
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")

    for _ in range(3):
        get()
    queries = count_queries(get)
    timings = [timed(get) for _ in range(runs)]
    return {
        "name": name,
        "url": url if len(url) < 40 else url[:37] + "…",
        "median": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20)[18],
        "queries": queries,
    }


def count_queries(call: Callable[[], None]) -> int:
    """Queries ``call`` runs (an execute wrapper survives the per-request reset of the log)."""
    count = 0

    def counting(execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        nonlocal count
        count += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(counting):
        call()
    return count


def timed(call: Callable[[], None]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def database_description() -> str:
    if connection.vendor == "postgresql":
        major, minor = divmod(connection.pg_version, 10000)  # type: ignore[attr-defined]
        return f"PostgreSQL {major}.{minor}"
    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor


def memory_gib() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    return "unknown"


def render(
    rows: list[dict[str, object]], sizes: dict[str, int], seeded: str, runs: int, busiest: Practice
) -> str:
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    busiest_posts = Post.objects.filter(practice=busiest, status=Status.PUBLISHED).count()
    lines = [
        f"## {stamp} — {database_description()}",
        "",
        f"- machine: {os.cpu_count()} CPUs (nproc), {memory_gib()} memory, "
        f"{platform.system()} {platform.machine()}, Python {platform.python_version()}, "
        f"Django {django.get_version()}",
        f"- data: {sizes['practices']:,} practices, {sizes['patients']:,} patients, "
        f"{sizes['follows']:,} follows, {sizes['posts']:,} posts ({seeded}); the practice "
        f"page shows {busiest.slug} with {busiest_posts:,} published posts",
        f"- method: Django test Client (whole stack, no network), persistent database "
        f"connection, 3 warm-up requests then {runs} timed requests per page",
        "",
        "| page | median ms | p95 ms | queries |",
        "|---|---:|---:|---:|",
    ]
    lines += [
        f"| {r['name']} | {r['median']:.1f} | {r['p95']:.1f} | {r['queries']} |" for r in rows
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
