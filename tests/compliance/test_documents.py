"""Signed forms: checked by their bytes, stored outside MEDIA_ROOT, and read only through a
permission-checked download that is itself audited."""

import io
from datetime import date
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from bedside.audit.models import AuditEvent
from bedside.compliance.models import Authorization
from bedside.compliance.services import DocumentUpload, create_authorization
from bedside.core.errors import Invalid, NotAllowed
from bedside.practices.models import Role
from tests.factories import PDF_BYTES, image_bytes, member

pytestmark = pytest.mark.django_db


def _create(by, practice, data=PDF_BYTES, size=None, **fields):
    options = {
        "subject_name": "Maria Lopez",
        "covers": ["story", "name"],
        "signed_on": date(2026, 1, 5),
        "expires_on": date(2027, 1, 5),
    }
    options.update(fields)
    upload = DocumentUpload(file=io.BytesIO(data), size=len(data) if size is None else size)
    return create_authorization(by=by, practice=practice, document=upload, **options)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [(PDF_BYTES, "application/pdf"), (image_bytes("JPEG"), "image/jpeg"),
     (image_bytes("PNG"), "image/png")],
)  # fmt: skip
def test_a_signed_form_is_kept_outside_media_under_a_random_name(
    practice, owner, data, content_type
):
    authorization = _create(owner, practice, data=data)
    path = Path(authorization.document.path)
    assert path.is_relative_to(Path(settings.PRIVATE_MEDIA_ROOT))
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert path.read_bytes() == data
    assert "maria" not in authorization.document.name.lower()
    assert authorization.document_type == content_type
    with pytest.raises(ValueError):
        authorization.document.url  # noqa: B018 (the property is what is tested)
    event = AuditEvent.objects.get(action="authorization.create")
    assert event.target_label == f"authorization #{authorization.pk}"


@pytest.mark.parametrize(
    "data",
    [b"<html><script>alert(1)</script></html>", b"GIF89a....", b"PK\x03\x04zipfile", b""],
)
def test_anything_but_a_pdf_jpeg_or_png_is_refused_by_its_bytes(practice, owner, data):
    with pytest.raises(Invalid) as raised:
        _create(owner, practice, data=data)
    assert raised.value.field == "document"
    assert not Authorization.objects.exists()


def test_a_form_over_the_size_limit_is_refused(practice, owner, settings):
    settings.MAX_UPLOAD_BYTES = 1024
    with pytest.raises(Invalid, match="under"):
        _create(owner, practice, data=PDF_BYTES + b"0" * 2000)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"subject_name": "  "}, "subject_name"),
        ({"covers": []}, "covers"),
        ({"covers": ["everything"]}, "covers"),
        ({"signed_on": None}, "signed_on"),
        ({"signed_on": date(2999, 1, 1)}, "signed_on"),
        ({"expires_on": date(2025, 1, 1)}, "expires_on"),
    ],
)
def test_an_authorization_needs_a_name_covers_and_sensible_dates(practice, owner, fields, field):
    with pytest.raises(Invalid) as raised:
        _create(owner, practice, **fields)
    assert raised.value.field == field


@pytest.mark.parametrize("role", [Role.PATIENT, Role.MODERATOR])
def test_patients_and_moderators_cannot_record_authorizations(practice, role):
    with pytest.raises(NotAllowed):
        _create(member(practice, role), practice)


def _download_url(authorization):
    return reverse(
        "compliance_authorization_document",
        kwargs={"slug": authorization.practice.slug, "authorization_id": authorization.pk},
    )


def test_staff_who_manage_authorizations_download_the_form_and_it_is_audited(
    client, practice, officer
):
    authorization = _create(officer, practice)
    client.force_login(officer)
    response = client.get(_download_url(authorization))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert "maria" not in response["Content-Disposition"].lower()
    assert response["Cache-Control"] == "private, no-store"
    event = AuditEvent.objects.get(action="authorization.view_document")
    assert event.actor_id == officer.pk and event.target_id == str(authorization.pk)


def test_another_practice_s_owner_gets_404(client, practice, owner, other_practice):
    authorization = _create(owner, practice)
    client.force_login(member(other_practice, Role.OWNER))
    assert client.get(_download_url(authorization)).status_code == 404
    url = reverse(
        "compliance_authorization_document",
        kwargs={"slug": other_practice.slug, "authorization_id": authorization.pk},
    )
    assert client.get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="authorization.view_document").exists()


def test_a_patient_gets_404_and_a_moderator_403(client, practice, owner):
    authorization = _create(owner, practice)
    client.force_login(member(practice, Role.PATIENT))
    assert client.get(_download_url(authorization)).status_code == 404
    client.force_login(member(practice, Role.MODERATOR))
    assert client.get(_download_url(authorization)).status_code == 403
    assert not AuditEvent.objects.filter(action="authorization.view_document").exists()


def test_a_visitor_is_sent_to_sign_in(client, practice, owner):
    authorization = _create(owner, practice)
    response = client.get(_download_url(authorization))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_form_is_not_reachable_under_media(client, practice, owner):
    authorization = _create(owner, practice)
    client.force_login(owner)
    assert client.get(f"/media/{authorization.document.name}").status_code == 404
