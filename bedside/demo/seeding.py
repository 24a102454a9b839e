"""The example practice, built through the same services the pages call.

``seed_demo()`` creates Riverside Family Health (and a small second practice) once: run
again, it finds the practice and changes nothing. Only two things bypass services, each
for a reason: the first owner's membership (a practice has to be founded by someone, and
no page does that yet) and the timestamps, moved into the past afterwards with
``QuerySet.update`` so that the feed looks four months old.
"""

import random
from dataclasses import dataclass
from time import perf_counter

from django.core.files.storage import default_storage
from django.db import transaction

from bedside.demo import riverside
from bedside.demo.analytics import add_readership
from bedside.demo.approvals import add_approval_workflow
from bedside.demo.compliance import add_authorizations, delete_signed_forms, signed_form_names
from bedside.demo.contests import add_contests
from bedside.demo.education import add_health_library
from bedside.demo.example_practice import ExamplePracticeBuilder
from bedside.demo.groups import add_support_groups
from bedside.demo.polls_and_quizzes import add_polls_and_quizzes
from bedside.demo.privacy import add_email_records
from bedside.demo.scheduled_posts import add_scheduled_announcements
from bedside.demo.two_factor import add_staff_two_factor
from bedside.demo.upcoming_events import add_upcoming_events
from bedside.posts.models import Comment, Post, Reaction, Status
from bedside.practices.models import Membership, Practice, Role, StaffProfile, User

RANDOM_SEED = 2025


@dataclass(frozen=True)
class DemoSummary:
    created: bool
    practices: int
    team: int
    patients: int
    published: int
    drafts: int
    reactions: int
    comments: int
    seconds: float


def login_rows() -> list[tuple[str, str, str]]:
    """(role, email, password) of every demo login, for the command's table."""
    rows = [(str(x.role.label), x.email, riverside.DEMO_PASSWORD) for x in riverside.LOGINS]
    owner = riverside.SECOND_OWNER
    rows.append((f"{owner.role.label} (Harbor)", owner.email, riverside.DEMO_PASSWORD))
    return rows


def demo_present() -> bool:
    return Practice.objects.filter(slug=riverside.SLUG).exists()


def seed_demo(*, reset: bool = False) -> DemoSummary:
    """Create the example practices unless they exist; ``reset`` removes them first."""
    started = perf_counter()
    if reset:
        remove_demo()
    created = False
    if not demo_present():
        with transaction.atomic():
            ExamplePracticeBuilder(random.Random(RANDOM_SEED)).run()
            add_upcoming_events()
            add_scheduled_announcements()
            add_polls_and_quizzes()
            add_health_library()
            add_contests()
            add_support_groups()
            add_authorizations()
            add_readership()
            add_approval_workflow()
        created = True
    add_staff_two_factor()
    add_email_records()
    return _summary(created=created, seconds=perf_counter() - started)


def remove_demo() -> None:
    """Delete the demo practices, their files and the demo accounts."""
    slugs = [riverside.SLUG, riverside.SECOND_PRACTICE["slug"]]
    practices = Practice.objects.filter(slug__in=slugs)
    files = [p.logo.name for p in practices if p.logo]
    files += [
        name
        for name in StaffProfile.objects.filter(practice__in=practices).values_list(
            "photo", flat=True
        )
        if name
    ]
    files += list(
        Post.objects.filter(practice__in=practices).values_list("images__image", flat=True)
    )
    forms = signed_form_names(practices)
    with transaction.atomic():
        practices.delete()
        User.objects.filter(email__endswith=f"@{riverside.DEMO_DOMAIN}").delete()
        User.objects.filter(email=riverside.SECOND_OWNER.email).delete()
    for name in files:
        if name:
            default_storage.delete(name)
    delete_signed_forms(forms)


def _summary(*, created: bool, seconds: float) -> DemoSummary:
    slugs = [riverside.SLUG, riverside.SECOND_PRACTICE["slug"]]
    posts = Post.objects.filter(practice__slug__in=slugs)
    return DemoSummary(
        created=created,
        practices=Practice.objects.filter(slug__in=slugs).count(),
        team=StaffProfile.objects.filter(practice__slug__in=slugs).count(),
        patients=Membership.objects.filter(practice__slug=riverside.SLUG, role=Role.PATIENT)
        .values("user")
        .count(),
        published=posts.filter(status=Status.PUBLISHED).count(),
        drafts=posts.filter(status=Status.DRAFT).count(),
        reactions=Reaction.objects.filter(post__practice__slug__in=slugs).count(),
        comments=Comment.objects.filter(post__practice__slug__in=slugs).count(),
        seconds=seconds,
    )
