"""Download my data: a zip with data.json and index.html holding everything about me, and
nothing about anyone else."""

import io
import json
import zipfile
from collections.abc import Iterator

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import connection, models
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bedside.audit.models import AuditEvent
from bedside.posts.services import add_comment, react
from bedside.practices.models import Membership
from bedside.privacy.export import build_archive
from bedside.privacy.inventory import NOT_PERSONAL, SECTIONS, covered_keys
from tests.factories import PostFactory
from tests.factories.privacy import PUSH_ENDPOINT, BusyPatient, busy_patient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def world() -> BusyPatient:
    return busy_patient()


def _download(client: Client) -> zipfile.ZipFile:
    response = client.post(reverse("privacy_download"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    return zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))


def _personal_keys() -> set[str]:
    """Every foreign key, anywhere in the project, that points at a user or a membership."""
    targets = {get_user_model(), Membership}
    found = set()
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if isinstance(field, models.ForeignKey | models.OneToOneField) and (
                field.related_model in targets
            ):
                found.add(f"{model._meta.label}.{field.name}")
    return found


def test_every_key_to_a_person_is_exported_or_declared_not_personal():
    missing = _personal_keys() - covered_keys() - set(NOT_PERSONAL)
    assert not missing, (
        "These models point at a user or membership but the export neither covers them nor "
        f"declares them not personal (bedside/privacy/inventory.py): {sorted(missing)}"
    )


def test_the_inventory_names_only_keys_that_exist():
    stale = (covered_keys() | set(NOT_PERSONAL)) - _personal_keys()
    assert not stale


def test_the_zip_holds_everything_about_the_patient(client: Client, world: BusyPatient):
    client.force_login(world.patient)
    archive = _download(client)
    assert sorted(archive.namelist()) == ["data.json", "index.html"]
    data = json.loads(archive.read("data.json"))

    assert data["format"] == "bedside-personal-data/1"
    assert data["account"] == [
        {
            "email": world.patient.email,
            "full_name": "Jane Realname",
            "date_joined": data["account"][0]["date_joined"],
            "last_login": data["account"][0]["last_login"],
            "is_active": True,
        }
    ]
    assert [m["display_name"] for m in data["memberships"]] == ["Sunny Walker"]
    assert data["notification_preferences"][0]["muted_kinds"] == "office_life"
    assert [n["title"] for n in data["notifications"]] == ["Clinic closed Monday"]
    assert [r["reaction"] for r in data["reactions"]] == ["Love"]
    assert [c["comment"] for c in data["comments"]] == ["So glad you are open on Saturdays!"]
    assert [r["answer"] for r in data["rsvps"]] == ["Going"]
    assert [b["choices"] for b in data["poll_ballots"]] == ["Tuesday"]
    assert [a["score"] for a in data["quiz_attempts"]] == [1]
    assert len(data["contest_entries"]) == 1
    assert [q["question"] for q in data["questions"]] == [world.question.body]
    assert [g["group"] for g in data["group_memberships"]] == ["New parents"]
    assert [t["title"] for t in data["group_threads"]] == ["Sleepless nights"]
    assert [r["body"] for r in data["group_replies"]] == ["Cold washcloths worked."]
    assert [r["reaction"] for r in data["group_reactions"]] == ["Hug"]
    followed = [f["conversation"] for f in data["followed_conversations"]]
    assert followed == ["Sleepless nights", "Teething tips"]
    assert [r["reason"] for r in data["reports_filed"]] == ["Looks like advertising to me."]
    assert data["push_subscriptions"] == [
        {
            "push_service": "push.example.net",
            "created_at": data["push_subscriptions"][0]["created_at"],
            "last_success_at": None,
        }
    ]
    assert set(data) == {"format", "generated_at", *(s.key for s in SECTIONS)}


def test_the_zip_leaves_out_secrets_and_other_people(client: Client, world: BusyPatient):
    client.force_login(world.patient)
    archive = _download(client)
    everything = archive.read("data.json").decode() + archive.read("index.html").decode()
    for foreign in [
        world.other.email,
        "Other Person",
        "Birch",
        "Me too, thanks.",
        "Naps when the baby naps.",
        "What helped yours?",
        PUSH_ENDPOINT,
        "secret-auth",
        world.patient.password,
    ]:
        assert foreign not in everything, foreign


def test_the_readable_page_shows_the_same_data_without_scripts(client: Client, world: BusyPatient):
    client.force_login(world.patient)
    page = _download(client).read("index.html").decode()
    assert page.startswith("<!doctype html>")
    assert "<script" not in page
    for shown in [
        "Your data on Bedside",
        "Sunny Walker",
        "So glad you are open on Saturdays!",
        "Sleepless nights",
        "Can I bring my toddler to the flu clinic?",
        "push.example.net",
    ]:
        assert shown in page, shown
    for section in SECTIONS:
        assert f'<section id="{section.key}">' in page


def test_text_in_the_readable_page_is_escaped(client: Client, world: BusyPatient):
    add_comment(user=world.patient, post=world.post, body="<script>alert(1)</script> hi")
    client.force_login(world.patient)
    page = _download(client).read("index.html").decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; hi" in page


def test_a_download_is_audited_as_the_person_themselves(client: Client, world: BusyPatient):
    client.force_login(world.patient)
    _download(client)
    event = AuditEvent.objects.get(action="account.export")
    assert event.actor_id == world.patient.pk
    assert event.practice_id is None
    # The trail is append-only: it must not keep a patient's address after they leave.
    assert event.actor_label == f"account #{world.patient.pk}"
    assert world.patient.email not in str(event.detail) + event.target_label


def test_a_staff_members_download_is_audited_under_their_address(
    client: Client, world: BusyPatient
):
    client.force_login(world.owner)
    _download(client)
    assert AuditEvent.objects.get(action="account.export").actor_label == world.owner.email


def test_three_downloads_an_hour(client: Client, world: BusyPatient):
    client.force_login(world.patient)
    for _ in range(3):
        _download(client)
    response = client.post(reverse("privacy_download"))
    assert response.status_code == 429
    assert b"three times this hour" in response.content
    assert AuditEvent.objects.filter(action="account.export").count() == 3


def test_a_staff_member_downloads_their_own_data_too(client: Client, world: BusyPatient):
    client.force_login(world.owner)
    data = json.loads(_download(client).read("data.json"))
    assert [m["role"] for m in data["memberships"]] == ["Owner"]
    assert "Welcome to our new clinic" in [p["title"] for p in data["posts_written"]]
    assert data["comments"] == []


def test_downloading_needs_a_post_and_a_sign_in(client: Client, world: BusyPatient):
    assert client.post(reverse("privacy_download")).status_code == 302
    client.force_login(world.patient)
    assert client.get(reverse("privacy_download")).status_code == 405


def _queries_to_build(user) -> int:
    with CaptureQueriesContext(connection) as captured:
        build_archive(user)
    return len(captured)


def test_the_export_costs_the_same_queries_for_a_large_account(world: BusyPatient):
    few = _queries_to_build(world.patient)
    for _ in range(40):
        post = PostFactory(practice=world.practice, author=world.owner)
        add_comment(user=world.patient, post=post, body="Thanks!")
        react(user=world.patient, post=post, kind="like")
    assert _queries_to_build(world.patient) == few
    # Each section is read once for data.json and once for index.html (plus the ballots'
    # marks, prefetched).
    assert few <= 2 * len(SECTIONS) + 4
