"""Moderators dismiss reports and close safety alerts from the queue; both are logged."""

import pytest
from django.urls import reverse

from bedside.community.models import ModerationLogEntry, Report, SafetyAlert
from bedside.community.services import report_post, start_thread
from bedside.practices.models import Role
from tests.factories import PracticeFactory, member

pytestmark = pytest.mark.django_db


def _thread(make_group, joined, patient, body="How do you plan meals on busy days?"):
    group = make_group()
    joined(patient, group)
    return start_thread(by=patient, group=group, title="Meals", body=body).thread


def test_a_moderator_dismisses_a_report_and_it_is_logged(
    client, practice, make_group, joined, patient, moderator
):
    thread = _thread(make_group, joined, patient)
    report = report_post(by=member(practice), post=thread, reason="I think this is spam")
    client.force_login(moderator)
    url = reverse("studio_report_dismiss", args=[practice.slug, report.pk])
    response = client.post(url, {"reason": "Not spam: a real question"})
    assert response.status_code == 302
    assert Report.objects.get(pk=report.pk).resolved_at is not None
    assert ModerationLogEntry.objects.filter(reason="Not spam: a real question").exists()


def test_a_moderator_closes_a_safety_alert_and_it_is_logged(
    client, practice, make_group, joined, patient, moderator
):
    _thread(make_group, joined, patient, body="I don't want to wake up tomorrow.")
    alert = SafetyAlert.objects.get()
    client.force_login(moderator)
    url = reverse("studio_alert_handle", args=[practice.slug, alert.pk])
    response = client.post(url, {"reason": "Called the patient; they are safe"})
    assert response.status_code == 302
    assert SafetyAlert.objects.get(pk=alert.pk).handled_at is not None
    assert ModerationLogEntry.objects.filter(reason="Called the patient; they are safe").exists()


def test_another_practices_moderator_finds_neither(client, practice, make_group, joined, patient):
    group = make_group()
    joined(patient, group)
    thread = start_thread(by=patient, group=group, title="Meals", body="Busy days?").thread
    report = report_post(by=member(practice), post=thread, reason="Worried about them")
    start_thread(by=patient, group=group, title="Tonight", body="I don't want to wake up.")
    alert = SafetyAlert.objects.get()
    elsewhere = PracticeFactory()
    client.force_login(member(elsewhere, Role.MODERATOR))
    for name, pk in (("studio_report_dismiss", report.pk), ("studio_alert_handle", alert.pk)):
        # Their own practice's queue URL, with our row's id: not found.
        response = client.post(reverse(name, args=[elsewhere.slug, pk]), {"reason": "x"})
        assert response.status_code == 404
    assert Report.objects.get(pk=report.pk).resolved_at is None
    assert SafetyAlert.objects.get(pk=alert.pk).handled_at is None
