"""Notification email over real SMTP: its parts and headers, failures, retries, crashes."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from bedside.notify import mail
from bedside.notify.models import Broadcast, DeliveryStatus, EmailDelivery
from bedside.notify.rules import MAX_EMAIL_ATTEMPTS, retry_delay
from bedside.notify.sweeps import retry_due_emails
from tests.notify.conftest import published, run_broadcast

pytestmark = pytest.mark.django_db


def test_each_email_has_html_and_text_parts_and_one_click_unsubscribe_headers(
    practice, editor, patients, sink, committed, settings
):
    settings.SITE_URL = "https://bedside.example"
    post = published(practice, editor, title="New Saturday hours")

    run_broadcast(post, committed)

    message = sink.to(patients[0].email)[0]
    assert message.get_content_type() == "multipart/alternative"
    text = message.get_body(("plain",)).get_content()
    html = message.get_body(("html",)).get_content()
    link = f"https://bedside.example{post.get_absolute_url()}"
    assert "New Saturday hours" in text and link in text
    assert f'href="{link}"' in html
    unsubscribe = message["List-Unsubscribe"]
    https_link, mailto = [part.strip(" <>") for part in unsubscribe.split(",")]
    assert https_link.startswith("https://bedside.example/notify/unsubscribe/")
    assert mailto.startswith("mailto:")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert https_link in text and https_link in html


def test_an_unsubscribe_link_in_an_email_works_with_one_post(
    practice, editor, patients, sink, committed, client
):
    post = published(practice, editor)
    run_broadcast(post, committed)
    link = sink.to(patients[0].email)[0]["List-Unsubscribe"].split(",")[0].strip(" <>")

    response = client.post(link.removeprefix("http://localhost:8000"))

    assert response.status_code == 200
    second = published(practice, editor)
    sink.messages.clear()
    run_broadcast(second, committed)
    assert patients[0].email not in sink.recipients()
    assert len(sink.messages) == 4


def test_a_refused_recipient_is_recorded_and_retried_while_the_rest_are_sent(
    practice, editor, patients, sink, committed
):
    refused = patients[1]
    sink.refuse.add(refused.email)
    post = published(practice, editor)

    run_broadcast(post, committed)

    assert sorted(sink.recipients()) == sorted(p.email for p in patients if p != refused)
    delivery = EmailDelivery.objects.get(user=refused)
    assert delivery.status == DeliveryStatus.QUEUED
    assert delivery.attempts == 1
    assert "550" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + retry_delay(1) - timedelta(seconds=30)
    assert Broadcast.objects.get(post=post).email_sent_count == 4

    # The sweep leaves it until its back-off is over, then sends it once the server takes it.
    assert retry_due_emails() == 0
    sink.refuse.clear()
    assert retry_due_emails(now=delivery.next_attempt_at) == 1
    assert sink.recipients().count(refused.email) == 1
    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 2
    assert Broadcast.objects.get(post=post).email_sent_count == 5


def test_back_off_doubles_and_is_capped_and_gives_up_after_the_last_attempt(
    practice, editor, patients, sink, committed
):
    refused = patients[0]
    sink.refuse.add(refused.email)
    run_broadcast(published(practice, editor), committed)
    delivery = EmailDelivery.objects.get(user=refused)

    waits = []
    while delivery.status == DeliveryStatus.QUEUED:
        due = delivery.next_attempt_at
        retry_due_emails(now=due)
        delivery.refresh_from_db()
        waits.append(delivery.next_attempt_at - due)

    assert delivery.status == DeliveryStatus.FAILED
    assert delivery.attempts == MAX_EMAIL_ATTEMPTS
    assert waits[:4] == [timedelta(minutes=m) for m in (2, 4, 8, 16)]
    assert retry_delay(30) == timedelta(hours=1)
    assert refused.email not in sink.recipients()
    assert Broadcast.objects.get(post__practice=practice).email_failed_count == 1


def test_a_server_that_hangs_up_fails_one_email_and_the_batch_goes_on(
    practice, editor, patients, sink, committed
):
    cut_off = patients[2]
    sink.hang_up_on.add(cut_off.email)

    run_broadcast(published(practice, editor), committed)

    assert sorted(sink.recipients()) == sorted(p.email for p in patients if p != cut_off)
    delivery = EmailDelivery.objects.get(user=cut_off)
    assert delivery.status == DeliveryStatus.QUEUED and delivery.attempts == 1
    assert "SMTPServerDisconnected" in delivery.last_error or "421" in delivery.last_error
    retry_due_emails(now=delivery.next_attempt_at)
    assert sink.recipients().count(cut_off.email) == 1


def test_an_unreachable_server_queues_everything_for_a_retry(
    practice, editor, patients, committed, settings
):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": 9, "timeout": 2},
        }
    }

    run_broadcast(published(practice, editor), committed)

    deliveries = EmailDelivery.objects.all()
    assert deliveries.count() == 5
    assert all(d.status == DeliveryStatus.QUEUED and d.attempts == 1 for d in deliveries)
    assert all("refused" in d.last_error.lower() for d in deliveries)


def test_a_crash_in_the_middle_of_an_email_batch_resumes_without_duplicates(
    practice, editor, patients, sink, committed, monkeypatch
):
    real_build = mail.build_email
    built = {"n": 0}

    def crash_on_the_third(delivery: EmailDelivery, notices: Any) -> Any:
        built["n"] += 1
        if built["n"] == 3:
            raise MemoryError("worker killed mid-batch")
        return real_build(delivery, notices)

    monkeypatch.setattr(mail, "build_email", crash_on_the_third)
    run_broadcast(published(practice, editor), committed)  # the email task dies (logged)

    assert len(sink.messages) == 2
    assert EmailDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 2
    unsent = EmailDelivery.objects.filter(status=DeliveryStatus.QUEUED)
    assert unsent.count() == 3
    assert all(d.next_attempt_at <= timezone.now() for d in unsent)  # handed back at once

    monkeypatch.setattr(mail, "build_email", real_build)
    assert retry_due_emails() == 3

    assert sorted(sink.recipients()) == sorted(p.email for p in patients)
    assert EmailDelivery.objects.filter(status=DeliveryStatus.SENT).count() == 5


def test_a_claimed_batch_is_not_sent_again_by_a_sweep_running_beside_it(
    practice, editor, patients, sink, committed, monkeypatch
):
    from bedside.notify import tasks

    monkeypatch.setattr(tasks, "send_email_batch", lambda ids, now=None: 0)  # task lost
    post = published(practice, editor)
    run_broadcast(post, committed)
    ids = list(EmailDelivery.objects.values_list("id", flat=True))
    now = timezone.now()

    claimed = mail._claim(ids, now=now)

    assert sorted(claimed) == sorted(ids)
    assert mail._claim(ids, now=now) == []
    assert retry_due_emails(now=now) == 0
    assert sink.messages == []
