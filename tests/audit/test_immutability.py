"""The audit trail is append-only: through the model on every database, and on PostgreSQL
in the database itself, so raw SQL cannot change or remove a row either."""

import pytest
from django.db import DatabaseError, connection, transaction

from bedside.audit.models import AppendOnly, AuditEvent
from bedside.audit.services import record

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


@pytest.fixture
def event(practice):
    return record(action="post.publish", actor=None, practice=practice, target_label="post #1")


def test_a_saved_event_cannot_be_saved_again(event):
    event.action = "post.delete"
    with pytest.raises(AppendOnly):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == "post.publish"


def test_an_event_cannot_be_deleted(event):
    with pytest.raises(AppendOnly):
        event.delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_the_queryset_refuses_bulk_update_and_delete(event):
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).update(action="x")
    with pytest.raises(AppendOnly):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "post.publish"


@on_postgresql
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_auditevent SET action = 'post.delete' WHERE id = %s",
        "UPDATE audit_auditevent SET actor_label = '' WHERE id = %s",
        "DELETE FROM audit_auditevent WHERE id = %s",
    ],
)
def test_postgresql_refuses_raw_updates_and_deletes(event, sql):
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(sql, [event.pk])
    event_now = AuditEvent.objects.get(pk=event.pk)
    assert event_now.action == "post.publish"


@on_postgresql
def test_postgresql_still_accepts_new_rows(event, practice):
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO audit_auditevent (at, practice_id, actor_label, action, target_type,"
            " target_id, target_label, detail, user_agent) VALUES (now(), %s, '', 'raw.insert',"
            " '', '', '', '{}', '')",
            [practice.pk],
        )
    assert AuditEvent.objects.filter(action="raw.insert").count() == 1
