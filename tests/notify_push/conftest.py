import pytest

from bedside.notify.push.keys import generate_key_pair
from bedside.notify.push.models import PushSubscription
from tests.notify_push.push_service import Browser, PushService

VAPID_PUBLIC_KEY, VAPID_PRIVATE_KEY = generate_key_pair()


@pytest.fixture
def vapid(settings):
    settings.VAPID_PUBLIC_KEY = VAPID_PUBLIC_KEY
    settings.VAPID_PRIVATE_KEY = VAPID_PRIVATE_KEY
    settings.VAPID_SUBJECT = "mailto:care@riverside.example.org"
    settings.SITE_URL = "https://bedside.example.org"
    return settings


@pytest.fixture
def push_service(vapid, monkeypatch):
    """A push service on loopback; requests must reach it directly, not through a proxy."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with PushService() as service:
        yield service


def subscribe(user, browser: Browser) -> PushSubscription:
    """A loopback subscription. The subscribe service refuses non-public endpoints, as it
    must in production, so the test push service's browsers are recorded directly."""
    return PushSubscription.objects.create(
        user=user, endpoint=browser.endpoint, p256dh=browser.p256dh, auth=browser.auth
    )
