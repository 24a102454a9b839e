"""The authorization pages and the post panel's forms, as staff use them."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from bedside.audit.models import AuditEvent
from bedside.compliance.guard import practice_today
from bedside.compliance.models import Authorization, IdentifierOverride, PostAuthorization
from bedside.compliance.services import attach_authorization
from bedside.posts.models import Post, Status
from bedside.practices.models import Role
from tests.compliance.conftest import NAMING_BODY
from tests.factories import (
    PDF_BYTES,
    AuthorizationFactory,
    PostFactory,
    PostImageFactory,
    member,
)

pytestmark = pytest.mark.django_db


def _url(name, practice, **kwargs):
    return reverse(name, kwargs={"slug": practice.slug, **kwargs})


def _edit_url(post):
    return _url("studio_post_edit", post.practice, post_id=post.pk)


def test_the_list_shows_each_state_and_filters_by_it(client, practice, officer):
    today = timezone.localdate()
    active = AuthorizationFactory(practice=practice, subject_name="Ana Active")
    expiring = AuthorizationFactory(
        practice=practice, subject_name="Eve Expiring", expires_on=today + timedelta(days=10)
    )
    expired = AuthorizationFactory(
        practice=practice, subject_name="Ed Expired", expires_on=today - timedelta(days=10)
    )
    revoked = AuthorizationFactory(
        practice=practice, subject_name="Rita Revoked", revoked_at=timezone.now()
    )
    AuthorizationFactory(subject_name="Someone Elsewhere")
    client.force_login(officer)
    page = client.get(_url("compliance_authorizations", practice)).content.decode()
    for row in (active, expiring, expired, revoked):
        assert row.subject_name in page
    assert "Someone Elsewhere" not in page
    for state, row in [("active", active), ("expiring", expiring), ("expired", expired),
                       ("revoked", revoked)]:  # fmt: skip
        html = client.get(_url("compliance_authorizations", practice), {"state": state})
        shown = [a.subject_name for a in (active, expiring, expired, revoked)
                 if a.subject_name in html.content.decode()]  # fmt: skip
        assert shown == [row.subject_name]


@pytest.mark.parametrize("count", [10, 110])
def test_the_list_costs_the_same_queries_whatever_its_size(
    client, practice, officer, count, django_assert_max_num_queries
):
    AuthorizationFactory.create_batch(count, practice=practice)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        response = client.get(_url("compliance_authorizations", practice))
    assert response.status_code == 200


@pytest.mark.parametrize(("role", "status"), [(Role.PATIENT, 404), (Role.MODERATOR, 403)])
def test_patients_and_moderators_do_not_see_authorizations(client, practice, role, status):
    client.force_login(member(practice, role))
    assert client.get(_url("compliance_authorizations", practice)).status_code == status


def test_recording_an_authorization_through_the_form(client, practice, editor):
    client.force_login(editor)
    form = {
        "subject_name": "Maria Lopez",
        "covers": ["story", "name"],
        "signed_on": practice_today(practice).isoformat(),
        "expires_on": "",
        "document": SimpleUploadedFile("form.pdf", PDF_BYTES, content_type="application/pdf"),
    }
    response = client.post(_url("compliance_authorization_new", practice), form)
    authorization = Authorization.objects.get()
    assert response.status_code == 302
    assert response["Location"] == _url("compliance_authorization", practice,
                                        authorization_id=authorization.pk)  # fmt: skip
    assert authorization.expires_on is None and authorization.created_by == editor


def test_a_disguised_file_is_refused_next_to_its_field(client, practice, editor):
    client.force_login(editor)
    form = {
        "subject_name": "Maria Lopez",
        "covers": ["story"],
        "signed_on": practice_today(practice).isoformat(),
        "document": SimpleUploadedFile("form.pdf", b"MZ\x90\x00", content_type="application/pdf"),
    }
    response = client.post(_url("compliance_authorization_new", practice), form)
    assert response.status_code == 422
    assert "Upload the signed form as a PDF, JPEG or PNG file." in response.content.decode()
    assert not Authorization.objects.exists()


def test_the_detail_page_lists_the_posts_relying_on_it(client, practice, editor, consent):
    post = PostFactory(practice=practice, author=editor, body=NAMING_BODY, title="Maria's run")
    attach_authorization(by=editor, post=post, authorization=consent)
    client.force_login(editor)
    page = client.get(_url("compliance_authorization", practice, authorization_id=consent.pk))
    assert "Maria&#x27;s run" in page.content.decode()
    assert _edit_url(post) in page.content.decode()


def test_revoking_from_the_detail_page_takes_the_post_down(client, practice, editor, consent):
    post = PostFactory(practice=practice, author=editor, body=NAMING_BODY)
    attach_authorization(by=editor, post=post, authorization=consent)
    client.force_login(editor)
    url = _url("compliance_authorization_revoke", practice, authorization_id=consent.pk)
    refused = client.post(url, {"reason": ""})
    assert refused.status_code == 422 and "Write the reason" in refused.content.decode()
    assert Post.objects.get(pk=post.pk).status == Status.PUBLISHED
    response = client.post(url, {"reason": "Patient withdrew consent by phone."})
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).status == Status.DRAFT
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "Revoked. 1 post that relied on it went back to draft." in messages


def _panel(post, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load compliance %}{% compliance_panel post user %}")
    return template.render(Context({"post": post, "user": user, "request": request}))


def test_the_panel_highlights_the_finding_and_offers_attach_but_no_override_to_an_editor(
    draft, editor, consent
):
    html = _panel(draft, editor)
    assert '<mark title="patient' in html and ">Maria Lopez</mark>" in html
    assert "Attach an authorization" in html
    assert f'<option value="{consent.pk}">' in html
    assert "Override the check" not in html


def test_the_panel_offers_the_override_to_a_compliance_officer(draft, officer):
    assert "Override the check" in _panel(draft, officer)


def test_the_panel_says_nothing_was_found_for_a_plain_post(practice, editor):
    post = PostFactory(practice=practice, author=editor, body="Flu shots are in.")
    html = _panel(post, editor)
    assert "Nothing here identifies a patient" in html and "<mark" not in html


def test_attaching_from_the_panel_goes_back_to_the_edit_page(client, draft, editor, consent):
    client.force_login(editor)
    url = _url("compliance_attach", draft.practice, post_id=draft.pk)
    response = client.post(url, {"authorization": consent.pk})
    assert response.status_code == 302 and response["Location"] == _edit_url(draft)
    assert PostAuthorization.objects.filter(post=draft, authorization=consent).exists()

    detach = _url(
        "compliance_detach", draft.practice, post_id=draft.pk, authorization_id=consent.pk
    )
    assert client.post(detach)["Location"] == _edit_url(draft)
    assert not PostAuthorization.objects.exists()


def test_attaching_an_expired_authorization_from_the_panel_says_why(client, draft, editor):
    expired = AuthorizationFactory(
        practice=draft.practice, expires_on=timezone.localdate() - timedelta(days=2)
    )
    client.force_login(editor)
    response = client.post(
        _url("compliance_attach", draft.practice, post_id=draft.pk), {"authorization": expired.pk}
    )
    assert response["Location"] == _edit_url(draft)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("cannot be attached" in m for m in messages)
    assert not PostAuthorization.objects.exists()


def test_the_override_form_needs_a_reason_and_the_right_role(client, draft, editor, officer):
    url = _url("compliance_override", draft.practice, post_id=draft.pk)
    client.force_login(editor)
    assert client.post(url, {"reason": "I think it is fine to go."}).status_code == 403
    client.force_login(officer)
    refused = client.post(url, {"reason": ""})
    # A compliance officer reviews but never edits: back to the review page.
    assert refused["Location"] == _url("studio_post_review", draft.practice, post_id=draft.pk)
    assert not IdentifierOverride.objects.exists()
    client.post(url, {"reason": "Consent on paper, scanned tomorrow."})
    assert IdentifierOverride.objects.get().by == officer
    assert AuditEvent.objects.filter(action="identifier.override").count() == 1


@pytest.mark.parametrize("count", [1, 10])
def test_the_panel_costs_the_same_queries_whatever_the_post_holds(
    draft, editor, count, django_assert_max_num_queries
):
    for _ in range(count):
        PostImageFactory(post=draft, shows_patients=True)
        attach_authorization(
            by=editor, post=draft, authorization=AuthorizationFactory(practice=draft.practice)
        )
    AuthorizationFactory.create_batch(count, practice=draft.practice)
    with django_assert_max_num_queries(6):
        html = _panel(draft, editor)
    assert html.count("<li><a href=") == count


def test_reading_the_list_and_an_authorization_is_on_record(client, practice, officer, consent):
    client.force_login(officer)
    client.get(_url("compliance_authorizations", practice), {"state": "active"})
    client.get(_url("compliance_authorization", practice, authorization_id=consent.pk))
    listed = AuditEvent.objects.get(action="authorizations.view")
    assert listed.actor_id == officer.pk and listed.detail == {"state": "active"}
    read = AuditEvent.objects.get(action="authorization.view")
    assert read.target_label == f"authorization #{consent.pk}"
