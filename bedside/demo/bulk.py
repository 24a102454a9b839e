"""Large, deterministic data sets for benchmarks: practices, patients, follows and posts.

Rows go in with ``bulk_create`` in batches, one transaction per batch, so a run of a
million posts streams through memory and a crash leaves whole batches behind. Services
are bypassed on purpose: they check permissions and render Markdown row by row, which is
right for people and far too slow for a million rows; the data still honours every model
constraint (a published post has ``published_at``, one membership per user and practice).

Conventions the benchmark relies on: bench practices have slugs ``bench-0000``…, bench
users have emails ``…@bench.example``, and ``patient0@bench.example`` follows exactly the
first three practices (the "patient following 3 practices" of ``bench/feeds.py``).
"""

import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import accumulate, islice

from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone
from tqdm import tqdm

from bedside.core.sanitizer import render_markdown
from bedside.posts.models import Kind, Post, Status, Topic, Visibility
from bedside.practices.models import Location, Membership, Practice, Role, User

BENCH_DOMAIN = "bench.example"
BENCH_SLUG_PREFIX = "bench-"
BENCH_PASSWORD = "bench-password-not-secret"  # noqa: S105 (published sample data)
FEED_KINDS = (Kind.TEAM, Kind.OFFICE_LIFE, Kind.ANNOUNCEMENT)
HISTORY_DAYS = 365

_TOWNS = (
    "Riverside", "Maple Grove", "Cedar Falls", "Harbor View", "Oak Hill", "Lakeside",
    "Pine Ridge", "Willow Creek", "Stonebridge", "Brookfield", "Fairview", "Greenwood",
)  # fmt: skip
_KINDS_OF_PRACTICE = (
    ("Family Health", "Family medicine"),
    ("Pediatrics", "Pediatrics"),
    ("Dental Care", "General dentistry"),
    ("Heart Center", "Cardiology"),
    ("Women's Health", "Obstetrics and gynecology"),
    ("Skin Clinic", "Dermatology"),
)
_TITLES = (
    "Flu shots are here for the season",
    "Meet our newest nurse practitioner",
    "Our front desk team's favourite lunch spots",
    "New Saturday hours at the north office",
    "Five small habits for a healthier heart",
    "Photos from the community health fair",
    "Why we ask about your sleep",
    "A thank-you to everyone who ran with us",
)
_BODIES = (
    "We are glad to share some **good news** with you. Ask us about it at your next visit.",
    "Here is what to expect, step by step:\n\n- Check in at the front desk\n- Bring your card",
    "Thank you for being part of our community. *See you soon!*",
    "Questions? Call the office or use the [patient portal](https://portal.example.org).",
)


@dataclass(frozen=True)
class BulkPlan:
    practices: int
    patients: int
    posts: int
    batch: int = 5000
    seed: int = 42


@dataclass(frozen=True)
class BulkResult:
    practices: int
    staff: int
    patients: int
    follows: int
    posts: int
    seconds: float


class BenchDataExists(Exception):
    """The database already holds bench data; seeding again would collide."""


def bench_data_present() -> bool:
    return Practice.objects.filter(slug__startswith=BENCH_SLUG_PREFIX).exists()


def seed_bulk(plan: BulkPlan, *, progress: bool = True) -> BulkResult:
    """Create the data set described by ``plan``; refuses to run twice on one database."""
    if plan.practices < 3 or plan.patients < 1 or plan.posts < 0 or plan.batch < 1:
        raise ValueError("need at least 3 practices, 1 patient, 0 posts and a batch of 1")
    if bench_data_present():
        raise BenchDataExists(
            "This database already holds bench data (practices named bench-…); "
            "use a fresh database."
        )
    started = time.perf_counter()
    rng = random.Random(plan.seed)
    now = timezone.now()
    password = make_password(BENCH_PASSWORD)
    practices = _create_practices(plan, rng)
    owners = _create_owners(practices, password)
    patient_ids = _create_patients(plan, password, progress=progress)
    follows = _create_follows(plan, rng, practices, patient_ids, progress=progress)
    posts = _create_posts(plan, rng, practices, owners, now, progress=progress)
    _refresh_planner_statistics()
    return BulkResult(
        practices=len(practices),
        staff=len(owners),
        patients=len(patient_ids),
        follows=follows,
        posts=posts,
        seconds=time.perf_counter() - started,
    )


def _refresh_planner_statistics() -> None:
    """After a bulk load the planner knows nothing of the new rows until ANALYZE runs."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _batched[T](items: Iterator[T], size: int) -> Iterator[list[T]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _insert[M: Model](
    model: type[M],
    rows: Iterator[M],
    *,
    total: int,
    batch: int,
    label: str,
    progress: bool,
    on_batch: Callable[[list[M]], None] | None = None,
) -> int:
    made = 0
    with tqdm(total=total, desc=label, unit="row", disable=not progress, leave=False) as bar:
        for chunk in _batched(rows, batch):
            with transaction.atomic():
                created = model._default_manager.bulk_create(chunk, batch_size=batch)
            if on_batch is not None:
                on_batch(created)
            made += len(created)
            bar.update(len(created))
    return made


def _create_practices(plan: BulkPlan, rng: random.Random) -> list[Practice]:
    welcome = "Welcome! We are glad you are here."
    welcome_html = render_markdown(welcome)
    practices = []
    for i in range(plan.practices):
        town = _TOWNS[i % len(_TOWNS)]
        suffix, specialty = _KINDS_OF_PRACTICE[(i // len(_TOWNS)) % len(_KINDS_OF_PRACTICE)]
        about = f"A {specialty.lower()} practice serving {town} and nearby towns."
        practices.append(
            Practice(
                slug=f"{BENCH_SLUG_PREFIX}{i:04d}",
                name=f"{town} {suffix} {i}",
                specialty=specialty,
                tagline=f"Caring for {town} since {rng.randint(1960, 2020)}",
                about=about,
                about_html=render_markdown(about),
                phone=f"(555) {rng.randint(100, 999)}-{rng.randint(1000, 9999)}",
                booking_url=f"https://booking.example.org/{BENCH_SLUG_PREFIX}{i:04d}",
                welcome_message=welcome,
                welcome_html=welcome_html,
                is_open_signup=True,
            )
        )
    with transaction.atomic():
        created = Practice.objects.bulk_create(practices)
        Location.objects.bulk_create(
            Location(
                practice=p,
                name="Main office",
                street=f"{rng.randint(1, 999)} Main Street",
                city=p.name.split(" ")[0],
                region="OH",
                postal_code=f"{rng.randint(43000, 45999)}",
            )
            for p in created
        )
    return created


def _create_owners(practices: Sequence[Practice], password: str) -> list[User]:
    with transaction.atomic():
        owners = User.objects.bulk_create(
            User(email=f"owner{i}@{BENCH_DOMAIN}", full_name=f"Owner {i}", password=password)
            for i in range(len(practices))
        )
        Membership.objects.bulk_create(
            Membership(user=owner, practice=practice, role=Role.OWNER, display_name="The team")
            for owner, practice in zip(owners, practices, strict=True)
        )
    return owners


def _create_patients(plan: BulkPlan, password: str, *, progress: bool) -> list[int]:
    ids: list[int] = []
    rows = (
        User(email=f"patient{i}@{BENCH_DOMAIN}", full_name=f"Patient {i}", password=password)
        for i in range(plan.patients)
    )
    _insert(
        User,
        rows,
        total=plan.patients,
        batch=plan.batch,
        label="patients",
        progress=progress,
        on_batch=lambda made: ids.extend(u.pk for u in made),
    )
    return ids


def _practice_weights(count: int) -> list[float]:
    """Cumulative weights of a gentle long tail: the first practices are the busiest."""
    return list(accumulate(1 / (i + 1) ** 0.6 for i in range(count)))


def _create_follows(
    plan: BulkPlan,
    rng: random.Random,
    practices: Sequence[Practice],
    patient_ids: Sequence[int],
    *,
    progress: bool,
) -> int:
    weights = _practice_weights(len(practices))
    accepted = timezone.now()

    def rows() -> Iterator[Membership]:
        for n, user_id in enumerate(patient_ids):
            if n == 0:
                chosen = set(practices[:3])
            else:
                chosen = set(rng.choices(practices, cum_weights=weights, k=rng.randint(1, 3)))
            for practice in chosen:
                yield Membership(
                    user_id=user_id,
                    practice=practice,
                    role=Role.PATIENT,
                    display_name=f"Neighbour {n}",
                    accepted_guidelines_at=accepted,
                )

    return _insert(
        Membership,
        rows(),
        total=len(patient_ids) * 2,
        batch=plan.batch,
        label="follows",
        progress=progress,
    )


def _create_posts(
    plan: BulkPlan,
    rng: random.Random,
    practices: Sequence[Practice],
    owners: Sequence[User],
    now: datetime,
    *,
    progress: bool,
) -> int:
    weights = _practice_weights(len(practices))
    author_of = {p.pk: owner.pk for p, owner in zip(practices, owners, strict=True)}
    bodies = [(body, render_markdown(body)) for body in _BODIES]
    span = HISTORY_DAYS * 24 * 3600

    def rows() -> Iterator[Post]:
        for _ in range(plan.posts):
            practice = rng.choices(practices, cum_weights=weights)[0]
            body, body_html = rng.choice(bodies)
            is_draft = rng.random() < 0.03
            yield Post(
                practice=practice,
                author_id=author_of[practice.pk],
                kind=rng.choice(FEED_KINDS),
                topic=Topic.MEDICAL if rng.random() < 0.45 else Topic.NON_MEDICAL,
                status=Status.DRAFT if is_draft else Status.PUBLISHED,
                visibility=Visibility.PATIENTS if rng.random() < 0.1 else Visibility.PUBLIC,
                title=rng.choice(_TITLES),
                body=body,
                body_html=body_html,
                published_at=None if is_draft else now - timedelta(seconds=rng.randrange(span)),
                reaction_count=0,
                comment_count=0,
            )

    return _insert(
        Post, rows(), total=plan.posts, batch=plan.batch, label="posts", progress=progress
    )
