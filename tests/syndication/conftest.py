"""Fixtures of the syndication tests: fake networks wired in, channels connected to them."""

import pytest

from bedside.practices.models import Role
from bedside.syndication import http
from tests.factories import ChannelFactory, member
from tests.syndication.fake_networks import FakeMastodon, FakePds

MASTODON_TOKEN = "mastodon-secret-token-123"


@pytest.fixture
def pds():
    fake = FakePds()
    with http.using_transport(fake.transport()):
        yield fake


@pytest.fixture
def mastodon_server():
    fake = FakeMastodon(token=MASTODON_TOKEN)
    with http.using_transport(fake.transport()):
        yield fake


@pytest.fixture
def editor(practice):
    return member(practice, Role.EDITOR)


@pytest.fixture
def bluesky_channel(practice, pds):
    return ChannelFactory(
        practice=practice,
        credentials={
            "app_password": pds.app_password,
            "access_jwt": pds.access,
            "refresh_jwt": pds.refresh,
        },
    )


@pytest.fixture
def mastodon_channel(practice, mastodon_server):
    return ChannelFactory(
        practice=practice,
        network="mastodon",
        handle="@riverside@social.example",
        server_url=mastodon_server.base,
        account_id="109",
        char_limit=500,
        credentials={"access_token": MASTODON_TOKEN},
    )
