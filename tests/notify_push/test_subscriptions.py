"""Subscribing a browser: the service's rules and the JSON endpoints push.js calls."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from bedside.core.errors import Invalid
from bedside.notify.push.models import PushSubscription
from bedside.notify.push.services import subscribe_device, unsubscribe_device
from tests.factories import UserFactory
from tests.notify_push.push_service import PushService

pytestmark = pytest.mark.django_db

ENDPOINT = "https://fcm.googleapis.com/fcm/send/dGhpcyBpcyBhIHRlc3Q"


@pytest.fixture
def keys():
    browser = PushService().browser("phone")
    return {"p256dh": browser.p256dh, "auth": browser.auth}


def test_a_browser_subscription_is_recorded_for_the_person(keys):
    user = UserFactory()

    subscription = subscribe_device(user=user, endpoint=ENDPOINT, **keys)

    assert (subscription.user, subscription.endpoint) == (user, ENDPOINT)
    assert (subscription.p256dh, subscription.auth) == (keys["p256dh"], keys["auth"])


def test_subscribing_a_browser_again_moves_it_to_whoever_signed_in_on_it(keys):
    first, second = UserFactory(), UserFactory()
    subscribe_device(user=first, endpoint=ENDPOINT, **keys)

    subscribe_device(user=second, endpoint=ENDPOINT, **keys)

    assert list(PushSubscription.objects.values_list("user", flat=True)) == [second.pk]


@pytest.mark.parametrize(
    "endpoint",
    [
        "",
        "http://fcm.googleapis.com/fcm/send/x",
        "ftp://push.example.org/x",
        "https://localhost/push",
        "https://127.0.0.1/push",
        "https://10.1.2.3/push",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/push",
        "https://db.internal/push",
        "https://user:secret@push.example.org/x",
        "https://push.example.org/" + "x" * 2000,
    ],
)
def test_an_endpoint_our_worker_must_not_call_is_refused(keys, endpoint):
    with pytest.raises(Invalid) as refused:
        subscribe_device(user=UserFactory(), endpoint=endpoint, **keys)

    assert refused.value.field == "endpoint"
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("p256dh", "not-a-key"), ("p256dh", "BAAA"), ("auth", "c2hvcnQ"), ("auth", "é")],
)
def test_unusable_browser_keys_are_refused(keys, field, value):
    with pytest.raises(Invalid) as refused:
        subscribe_device(user=UserFactory(), endpoint=ENDPOINT, **(keys | {field: value}))

    assert refused.value.field == field


def test_a_person_can_unsubscribe_only_their_own_browser(keys):
    owner, stranger = UserFactory(), UserFactory()
    subscribe_device(user=owner, endpoint=ENDPOINT, **keys)

    assert unsubscribe_device(user=stranger, endpoint=ENDPOINT) is False
    assert PushSubscription.objects.exists()
    assert unsubscribe_device(user=owner, endpoint=ENDPOINT) is True
    assert not PushSubscription.objects.exists()


def test_push_js_subscribes_and_unsubscribes_with_json(client, keys):
    user = UserFactory()
    client.force_login(user)
    body = {"endpoint": ENDPOINT, "expirationTime": None, "keys": keys}

    subscribed = client.post(reverse("push_subscribe"), body, content_type="application/json")
    assert subscribed.status_code == 201
    assert PushSubscription.objects.get().user == user

    gone = client.post(
        reverse("push_unsubscribe"), {"endpoint": ENDPOINT}, content_type="application/json"
    )
    assert gone.json() == {"subscribed": False, "removed": True}
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", json.dumps({"endpoint": "http://x.example/p", "keys": {}}).encode()],
)
def test_a_bad_subscription_is_answered_with_a_json_error(client, body):
    client.force_login(UserFactory())

    response = client.post(reverse("push_subscribe"), body, content_type="application/json")

    assert response.status_code == 422
    assert response.json()["error"]
    assert not PushSubscription.objects.exists()


def test_subscribing_needs_a_signed_in_person_and_a_csrf_token(keys):
    body = json.dumps({"endpoint": ENDPOINT, "keys": keys})
    anonymous = Client(enforce_csrf_checks=True)
    assert anonymous.post(reverse("push_subscribe"), body, "application/json").status_code in {
        302,
        403,
    }
    signed_in = Client(enforce_csrf_checks=True)
    signed_in.force_login(UserFactory())

    assert signed_in.post(reverse("push_subscribe"), body, "application/json").status_code == 403
    assert not PushSubscription.objects.exists()


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    script = response.content.decode()
    assert 'addEventListener("push"' in script
    assert "showNotification" in script
    assert 'addEventListener("notificationclick"' in script
    assert "openWindow" in script
