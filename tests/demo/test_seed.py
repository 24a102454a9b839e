from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from bedside.demo.bulk import BENCH_DOMAIN, BulkPlan, seed_bulk
from bedside.posts.models import Post, Status
from bedside.practices.models import Membership, Practice, Role, User

pytestmark = pytest.mark.django_db


def run_seed(**options: int) -> str:
    out = StringIO()
    call_command("seed", no_progress=True, stdout=out, **options)
    return out.getvalue()


def test_seed_makes_what_it_was_asked_for_and_says_so():
    out = run_seed(practices=4, patients=30, posts=250, batch=40)

    assert Practice.objects.count() == 4
    assert User.objects.filter(email__startswith="patient").count() == 30
    assert Post.objects.count() == 250
    assert Membership.objects.filter(role=Role.OWNER).count() == 4
    assert "4 practices" in out and "30 patients" in out and "250 posts" in out


def test_published_bench_posts_have_a_publication_date_and_drafts_do_not():
    run_seed(practices=3, patients=5, posts=400, batch=100)

    assert not Post.objects.filter(status=Status.PUBLISHED, published_at__isnull=True).exists()
    assert not Post.objects.filter(status=Status.DRAFT, published_at__isnull=False).exists()
    assert Post.objects.filter(status=Status.DRAFT).exists()


def test_the_first_patient_follows_exactly_the_first_three_practices():
    run_seed(practices=5, patients=10, posts=10)

    followed = Membership.objects.filter(user__email=f"patient0@{BENCH_DOMAIN}").values_list(
        "practice__slug", flat=True
    )
    assert sorted(followed) == ["bench-0000", "bench-0001", "bench-0002"]


def test_every_patient_follows_at_least_one_practice():
    run_seed(practices=3, patients=40, posts=0)

    patients = User.objects.filter(email__startswith="patient")
    assert not patients.filter(memberships__isnull=True).exists()


def test_same_seed_gives_the_same_data():
    def content() -> list[tuple[str, str, str, str]]:
        return list(
            Post.objects.order_by("id").values_list("practice__slug", "kind", "title", "status")
        )

    plan = BulkPlan(practices=3, patients=10, posts=60, batch=7, seed=7)
    seed_bulk(plan, progress=False)
    first = content()
    Post.objects.all().delete()
    Practice.objects.all().delete()
    User.objects.all().delete()
    seed_bulk(plan, progress=False)

    assert content() == first


def test_seeding_a_database_that_already_holds_bench_data_is_refused():
    run_seed(practices=3, patients=2, posts=1)

    with pytest.raises(CommandError, match="already holds bench data"):
        run_seed(practices=3, patients=2, posts=1)
