from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from bedside.core.errors import Conflict, Invalid, NotAllowed
from bedside.practices.invitation_mail import send_invitation_email
from bedside.practices.models import Invitation, Role
from bedside.practices.services import create_invitation, revoke_invitation
from bedside.practices.tasks import send_invitation_email_task
from tests.factories import InvitationFactory, member

pytestmark = pytest.mark.django_db


def invite(by, practice, **overrides):
    arguments = {"label": "Front desk", "role": Role.PATIENT, **overrides}
    return create_invitation(by=by, practice=practice, **arguments)


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN, Role.EDITOR])
def test_publishers_create_patient_invitations(practice, role):
    invitation = invite(member(practice, role), practice, label="  Waiting room ")
    assert invitation.label == "Waiting room"
    assert invitation.role == Role.PATIENT
    assert invitation.use_count == 0
    assert invitation.unusable_reason() is None


@pytest.mark.parametrize("role", [Role.CLINICIAN, Role.MODERATOR, Role.PATIENT])
def test_others_may_not_create_patient_invitations(practice, role):
    with pytest.raises(NotAllowed):
        invite(member(practice, role), practice)
    assert not Invitation.objects.exists()


def test_a_member_of_another_practice_may_not_invite(practice, other_practice):
    with pytest.raises(NotAllowed):
        invite(member(other_practice, Role.OWNER), practice)


@pytest.mark.parametrize("role", [Role.OWNER, Role.ADMIN])
def test_owners_and_admins_invite_staff(practice, role):
    invitation = invite(member(practice, role), practice, role=Role.CLINICIAN)
    assert invitation.role == Role.CLINICIAN


def test_an_editor_may_not_invite_staff(practice):
    with pytest.raises(NotAllowed):
        invite(member(practice, Role.EDITOR), practice, role=Role.MODERATOR)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"label": "   "}, "label"),
        ({"label": "x" * 101}, "label"),
        ({"role": "superhero"}, "role"),
        ({"email": "not-an-address"}, "email"),
        ({"expires_at": timezone.now() - timedelta(hours=1)}, "expires_at"),
        ({"max_uses": 0}, "max_uses"),
    ],
)
def test_invalid_invitation_input_names_the_field(practice, overrides, field):
    with pytest.raises(Invalid) as refusal:
        invite(member(practice, Role.OWNER), practice, **overrides)
    assert refusal.value.field == field


def test_invitation_with_an_email_is_sent_once_with_text_and_html_parts(
    practice, django_capture_on_commit_callbacks, settings
):
    settings.SITE_URL = "https://bedside.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invite(member(practice, Role.OWNER), practice, email=" Pat@Example.org ")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    link = f"https://bedside.example.org/join/{invitation.token}/"
    assert message.to == ["pat@example.org"]
    assert practice.name in message.subject
    assert link in message.body
    [(html, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    assert f'href="{link}"' in html
    invitation.refresh_from_db()
    assert invitation.email_sent_at is not None


def test_no_email_is_sent_before_the_transaction_commits(
    practice, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invite(member(practice, Role.OWNER), practice, email="pat@example.org")
    assert len(callbacks) == 1
    assert mail.outbox == []


def test_invitation_without_email_sends_nothing(practice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        invite(member(practice, Role.OWNER), practice)
    assert callbacks == []
    assert mail.outbox == []


def test_running_the_email_task_twice_sends_one_email(practice):
    invitation = InvitationFactory(practice=practice, email="pat@example.org")
    send_invitation_email_task.enqueue(invitation.pk)
    send_invitation_email_task.enqueue(invitation.pk)
    assert len(mail.outbox) == 1


def test_a_withdrawn_invitation_is_not_emailed(practice):
    invitation = InvitationFactory(
        practice=practice, email="pat@example.org", revoked_at=timezone.now()
    )
    assert send_invitation_email(invitation_id=invitation.pk) is False
    assert mail.outbox == []


def test_a_failed_send_can_be_retried(practice, monkeypatch):
    invitation = InvitationFactory(practice=practice, email="pat@example.org")

    def refuse(self, fail_silently=False):
        raise OSError("mail server down")

    monkeypatch.setattr("django.core.mail.EmailMultiAlternatives.send", refuse)
    with pytest.raises(OSError, match="down"):
        send_invitation_email(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert invitation.email_sent_at is None
    monkeypatch.undo()
    assert send_invitation_email(invitation_id=invitation.pk) is True
    assert len(mail.outbox) == 1


def test_revoking_stops_the_invitation_working(practice):
    invitation = InvitationFactory(practice=practice)
    revoked = revoke_invitation(by=member(practice, Role.EDITOR), invitation=invitation)
    assert revoked.revoked_at is not None
    assert "withdrawn" in revoked.unusable_reason()


def test_revoking_twice_is_a_conflict(practice):
    invitation = InvitationFactory(practice=practice)
    owner = member(practice, Role.OWNER)
    revoke_invitation(by=owner, invitation=invitation)
    with pytest.raises(Conflict):
        revoke_invitation(by=owner, invitation=invitation)


def test_an_editor_may_not_revoke_a_staff_invitation(practice):
    invitation = InvitationFactory(practice=practice, role=Role.ADMIN)
    with pytest.raises(NotAllowed):
        revoke_invitation(by=member(practice, Role.EDITOR), invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.revoked_at is None


def test_a_member_of_another_practice_may_not_revoke(practice, other_practice):
    invitation = InvitationFactory(practice=practice)
    with pytest.raises(NotAllowed):
        revoke_invitation(by=member(other_practice, Role.OWNER), invitation=invitation)


def test_the_invitation_email_goes_out_over_smtp(practice, smtp_sink, settings):
    settings.SITE_URL = "https://bedside.example.org"
    invitation = InvitationFactory(practice=practice, email="pat@example.org")

    send_invitation_email_task.call(invitation.pk)

    [(sender, recipients, raw)] = smtp_sink.messages
    assert sender == "no-reply@localhost"
    assert recipients == ["pat@example.org"]
    assert f"/join/{invitation.token}/".encode() in raw
    assert b"multipart/alternative" in raw
