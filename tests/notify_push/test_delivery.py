"""Sending web push to a real HTTP push service on loopback (tests/notify_push/push_service.py)."""

from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from py_vapid import Vapid

from bedside.notify.models import Notification
from bedside.notify.push.delivery import (
    MAX_PUSH_ATTEMPTS,
    SENDING_LEASE,
    _claim,
    queue_pushes,
    send_deliveries,
    send_push_batch,
)
from bedside.notify.push.models import PushDelivery, PushStatus, PushSubscription
from bedside.notify.push.sweeps import send_due_pushes
from tests.factories import PracticeFactory, member
from tests.notify_push.conftest import VAPID_PUBLIC_KEY, subscribe

pytestmark = pytest.mark.django_db


def notice(user, *, key="welcome", push_after=None, **fields):
    """A notification row as the fan-out leaves it for push (the fan-out is notify's)."""
    practice = PracticeFactory()
    defaults = {
        "title": "Flu shots are here",
        "body": "Walk in any weekday morning.",
        "url": "/p/riverside/posts/7/",
        "kind": "announcement",
    }
    return Notification.objects.create(
        user=user, practice=practice, key=key, push_after=push_after, **(defaults | fields)
    )


def test_a_push_reaches_the_browser_encrypted_and_signed_with_the_servers_key(push_service):
    user = member(PracticeFactory())
    phone = push_service.browser("phone")
    subscription = subscribe(user, phone)
    notification = notice(user)

    assert send_push_batch([notification.pk]) == 1

    [push] = push_service.pushes_to("phone")
    assert push.message(phone) == {
        "title": "Flu shots are here",
        "body": "Walk in any weekday morning.",
        "url": "https://bedside.example.org/p/riverside/posts/7/",
        "tag": f"notification-{notification.pk}",
    }
    assert push.headers["content-encoding"] == "aes128gcm"
    assert int(push.headers["ttl"]) > 0
    assert Vapid.verify(push.headers["authorization"])
    assert f"k={VAPID_PUBLIC_KEY}" in push.headers["authorization"]
    delivery = PushDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (PushStatus.SENT, 1)
    subscription.refresh_from_db()
    assert subscription.last_success_at is not None


def test_every_browser_of_the_person_gets_the_push_and_nobody_else_does(push_service):
    practice = PracticeFactory()
    user, neighbour = member(practice), member(practice)
    subscribe(user, push_service.browser("phone"))
    subscribe(user, push_service.browser("laptop"))
    subscribe(neighbour, push_service.browser("neighbour"))

    assert send_push_batch([notice(user).pk]) == 2

    assert len(push_service.pushes_to("phone")) == 1
    assert len(push_service.pushes_to("laptop")) == 1
    assert push_service.pushes_to("neighbour") == []


def test_sending_the_same_batch_twice_pushes_once(push_service):
    user = member(PracticeFactory())
    subscribe(user, push_service.browser("phone"))
    notification = notice(user)

    send_push_batch([notification.pk])
    assert send_push_batch([notification.pk]) == 0

    assert len(push_service.pushes_to("phone")) == 1


@pytest.mark.parametrize("status", [404, 410])
def test_an_expired_subscription_is_removed_and_the_other_browsers_still_get_theirs(
    push_service, status
):
    user = member(PracticeFactory())
    old_phone = push_service.browser("old-phone")
    old_phone.answer(status)
    subscribe(user, old_phone)
    subscribe(user, push_service.browser("laptop"))

    assert send_push_batch([notice(user).pk]) == 1

    assert list(PushSubscription.objects.values_list("endpoint", flat=True)) == [
        push_service.browsers["laptop"].endpoint
    ]
    expired = PushDelivery.objects.get(status=PushStatus.EXPIRED)
    assert expired.subscription is None
    assert str(status) in expired.last_error
    assert len(push_service.pushes_to("laptop")) == 1


def test_a_push_service_error_is_recorded_and_retried_with_back_off(push_service):
    user = member(PracticeFactory())
    phone = push_service.browser("phone")
    phone.answer(503)
    subscribe(user, phone)
    notification = notice(user)

    assert send_push_batch([notification.pk]) == 0

    delivery = PushDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (PushStatus.QUEUED, 1)
    assert "503" in delivery.last_error
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=50)
    assert send_due_pushes() == 0, "not before its next attempt"

    with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
        assert send_due_pushes() == 1

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (PushStatus.SENT, 2)
    assert [push.status for push in push_service.pushes_to("phone")] == [503, 201]
    assert push_service.pushes_to("phone")[1].message(phone)["title"] == "Flu shots are here"


def test_the_back_off_honours_retry_after_then_doubles(push_service):
    user = member(PracticeFactory())
    phone = push_service.browser("phone")
    phone.answer(429, Retry_After="900")
    phone.answer(500, times=2)
    subscribe(user, phone)
    before = timezone.now()
    send_push_batch([notice(user).pk])
    tried_at, waits = before, []

    for _ in range(3):
        delivery = PushDelivery.objects.get()
        waits.append(delivery.next_attempt_at - tried_at)
        tried_at = delivery.next_attempt_at + timedelta(seconds=1)
        with time_machine.travel(tried_at, tick=False):
            send_due_pushes()

    assert waits[0] >= timedelta(seconds=900), "Retry-After: 900 is honoured"
    assert waits[1] == timedelta(minutes=2)
    assert waits[2] == timedelta(minutes=4)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (PushStatus.SENT, 4)


def test_a_push_that_keeps_failing_is_given_up_and_kept_for_the_record(push_service):
    user = member(PracticeFactory())
    phone = push_service.browser("phone")
    phone.answer(500, times=MAX_PUSH_ATTEMPTS)
    subscribe(user, phone)
    send_push_batch([notice(user).pk])

    for _ in range(MAX_PUSH_ATTEMPTS):
        delivery = PushDelivery.objects.get()
        with time_machine.travel(delivery.next_attempt_at + timedelta(seconds=1)):
            send_due_pushes()

    delivery = PushDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (PushStatus.FAILED, MAX_PUSH_ATTEMPTS)
    assert "500" in delivery.last_error
    assert len(push_service.pushes_to("phone")) == MAX_PUSH_ATTEMPTS
    assert PushSubscription.objects.exists(), "a server error does not unsubscribe anyone"


def test_a_refused_push_is_failed_without_retrying(push_service):
    user = member(PracticeFactory())
    phone = push_service.browser("phone")
    phone.answer(400)
    subscribe(user, phone)

    send_push_batch([notice(user).pk])

    delivery = PushDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (PushStatus.FAILED, 1)
    assert "400" in delivery.last_error


def test_an_unreachable_push_service_is_retried_and_does_not_stop_the_batch(push_service):
    practice = PracticeFactory()
    unlucky, lucky = member(practice), member(practice)
    nowhere = push_service.browser("nowhere")
    nowhere.endpoint = "http://127.0.0.1:9/push/nowhere"  # the discard port: nothing listens
    subscribe(unlucky, nowhere)
    subscribe(lucky, push_service.browser("phone"))

    sent = send_push_batch([notice(unlucky, key="a").pk, notice(lucky, key="b").pk])

    assert sent == 1
    failed = PushDelivery.objects.get(subscription__endpoint=nowhere.endpoint)
    assert failed.status == PushStatus.QUEUED
    assert "Connection" in failed.last_error


def test_a_push_held_for_quiet_hours_goes_out_when_they_end(push_service):
    user = member(PracticeFactory())
    subscribe(user, push_service.browser("phone"))
    morning = timezone.now() + timedelta(hours=7)
    notification = notice(user, push_after=morning)

    assert send_push_batch([notification.pk]) == 0
    assert send_due_pushes() == 0
    assert push_service.pushes_to("phone") == []

    with time_machine.travel(morning + timedelta(seconds=1)):
        assert send_due_pushes() == 1
        assert send_due_pushes() == 0

    notification.refresh_from_db()
    assert notification.push_after is None
    assert len(push_service.pushes_to("phone")) == 1


def test_a_push_left_sending_by_a_worker_that_died_is_sent_after_its_lease(push_service):
    user = member(PracticeFactory())
    subscribe(user, push_service.browser("phone"))
    queue_pushes([notice(user).pk], now=timezone.now())
    lease_end = timezone.now() + SENDING_LEASE
    PushDelivery.objects.update(status=PushStatus.SENDING, attempts=1, next_attempt_at=lease_end)

    assert send_due_pushes() == 0, "another worker may still be sending it"
    with time_machine.travel(lease_end + timedelta(seconds=1)):
        assert send_due_pushes() == 1

    delivery = PushDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (PushStatus.SENT, 2)
    assert len(push_service.pushes_to("phone")) == 1


def test_two_workers_cannot_both_claim_one_push(push_service):
    user = member(PracticeFactory())
    subscribe(user, push_service.browser("phone"))
    queue_pushes([notice(user).pk], now=timezone.now())
    mine, theirs = PushDelivery.objects.get(), PushDelivery.objects.get()

    assert send_deliveries(PushDelivery.objects.filter(pk=mine.pk), now=timezone.now()) == 1
    assert send_deliveries(PushDelivery.objects.filter(pk=theirs.pk), now=timezone.now()) == 0
    assert len(push_service.pushes_to("phone")) == 1


def test_nothing_is_pushed_while_the_server_has_no_vapid_keys(push_service, settings):
    user = member(PracticeFactory())
    subscribe(user, push_service.browser("phone"))
    settings.VAPID_PRIVATE_KEY = ""

    assert send_push_batch([notice(user).pk]) == 0
    assert send_due_pushes() == 0
    assert push_service.received == []


def test_a_worker_holding_a_stale_copy_of_a_claimed_push_cannot_claim_it(push_service):
    user = member(PracticeFactory())
    subscribe(user, push_service.browser("phone"))
    queue_pushes([notice(user).pk], now=timezone.now())
    mine, theirs = PushDelivery.objects.get(), PushDelivery.objects.get()
    now = timezone.now()

    assert _claim(mine, now=now)
    assert not _claim(theirs, now=now)
