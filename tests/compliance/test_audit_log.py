"""The audit log viewer: this practice's rows only, filtered, by keyset, exportable as CSV
(which is itself audited), for owners and compliance officers only."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from bedside.audit.models import AuditEvent
from bedside.audit.services import record
from bedside.practices.models import Role
from tests.factories import member

pytestmark = pytest.mark.django_db


def _log(practice, **query):
    return reverse("audit_log", kwargs={"slug": practice.slug}), query


def _rows(practice, owner, editor):
    record(action="post.publish", actor=editor, practice=practice, target_label="Flu shots")
    record(action="post.archive", actor=editor, practice=practice, target_label="Old news")
    record(action="membership.role", actor=owner, practice=practice, target=owner,
           target_label="membership #7")  # fmt: skip


def _actions(response):
    return [event.action for event in response.context["page"].items]


def test_the_log_shows_only_this_practice_s_rows_newest_first(
    client, practice, other_practice, owner, editor
):
    _rows(practice, owner, editor)
    record(action="post.publish", actor=None, practice=other_practice, target_label="Elsewhere")
    client.force_login(owner)
    url, _ = _log(practice)
    response = client.get(url)
    assert response.status_code == 200
    assert _actions(response) == ["membership.role", "post.archive", "post.publish"]
    assert "Elsewhere" not in response.content.decode()


def test_the_log_filters_by_actor_action_prefix_target_and_dates(client, practice, owner, editor):
    _rows(practice, owner, editor)
    AuditEvent.objects.create(
        at=timezone.now() - timedelta(days=5), practice_id=practice.pk, action="post.publish",
        actor_label=editor.email, target_label="Long ago",
    )  # fmt: skip
    client.force_login(owner)
    url, _ = _log(practice)
    assert _actions(client.get(url, {"actor": editor.email.upper()})) == [
        "post.archive", "post.publish", "post.publish"]  # fmt: skip
    assert _actions(client.get(url, {"action": "post.a"})) == ["post.archive"]
    assert _actions(client.get(url, {"target_type": "practices.User"})) == ["membership.role"]
    today = timezone.localdate(timezone=ZoneInfo(practice.time_zone))
    assert len(_actions(client.get(url, {"from": today.isoformat()}))) == 3
    long_ago = (today - timedelta(days=4)).isoformat()
    assert [e.target_label for e in client.get(url, {"to": long_ago}).context["page"].items] == [
        "Long ago"]  # fmt: skip
    assert len(_actions(client.get(url, {"from": "not a date"}))) == 4


def test_the_log_pages_by_keyset_in_a_constant_number_of_queries(
    client, practice, owner, django_assert_max_num_queries
):
    for index in range(120):
        record(action="post.publish", actor=owner, practice=practice, target_label=f"#{index}")
    client.force_login(owner)
    url, _ = _log(practice)
    with django_assert_max_num_queries(10):
        first = client.get(url)
    labels = [event.target_label for event in first.context["page"].items]
    assert labels[0] == "#119" and len(labels) == 50
    cursor = first.context["page"].next_cursor
    with django_assert_max_num_queries(10):
        second = client.get(url, {"cursor": cursor})
    assert second.context["page"].items[0].target_label == "#69"


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.PATIENT, 404), (Role.MODERATOR, 403), (Role.EDITOR, 403), (Role.ADMIN, 403),
     (Role.CLINICIAN, 403), (Role.COMPLIANCE, 200), (Role.OWNER, 200)],
)  # fmt: skip
def test_only_owners_and_compliance_officers_read_the_log(client, practice, role, status):
    client.force_login(member(practice, role))
    url, _ = _log(practice)
    assert client.get(url).status_code == status
    csv_url = reverse("audit_log_csv", kwargs={"slug": practice.slug})
    assert client.get(csv_url).status_code == status


def test_another_practice_s_owner_gets_404(client, practice, other_practice):
    client.force_login(member(other_practice, Role.OWNER))
    url, _ = _log(practice)
    assert client.get(url).status_code == 404


def test_the_csv_export_is_filtered_neutralised_and_itself_audited(client, practice, owner, editor):
    _rows(practice, owner, editor)
    record(action="post.publish", actor=editor, practice=practice, target_label="=HYPERLINK(1)")
    client.force_login(owner)
    url = reverse("audit_log_csv", kwargs={"slug": practice.slug})
    response = client.get(url, {"action": "post.publish"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    body = b"".join(response.streaming_content).decode()
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0][:3] == ["At", "Actor", "Action"]
    assert [row[2] for row in rows[1:]] == ["post.publish", "post.publish"]
    assert rows[1][5] == "'=HYPERLINK(1)"
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor_id == owner.pk and export.practice_id == practice.pk
    assert export.detail == {"filters": {"action": "post.publish"}}
