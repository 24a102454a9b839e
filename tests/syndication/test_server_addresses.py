"""Server addresses staff type for Mastodon or a Bluesky host: public internet only in
production, so connecting a channel cannot be used to probe the practice's own network."""

import socket

import pytest

from bedside.core.errors import Invalid
from bedside.syndication.services import clean_server_url


def resolving_to(*addresses):
    def getaddrinfo(host, port, *args, **kwargs):
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port)) for a in addresses]

    return getaddrinfo


@pytest.fixture
def production(settings):
    settings.IS_PRODUCTION = True
    return settings


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "10.1.2.3", "192.168.0.10", "172.16.5.4", "169.254.169.254", "::1", "fd00::1"],
)
def test_production_refuses_a_host_that_resolves_inside(production, monkeypatch, address):
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to(address))
    with pytest.raises(Invalid, match="private or local network"):
        clean_server_url("https://social.example.org")


def test_one_private_address_among_public_ones_is_refused(production, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("93.184.216.34", "10.0.0.7"))
    with pytest.raises(Invalid):
        clean_server_url("social.example.org")


def test_production_accepts_a_public_host(production, monkeypatch):
    monkeypatch.setattr(socket, "getaddrinfo", resolving_to("93.184.216.34"))
    assert clean_server_url("social.example.org/") == "https://social.example.org"


def test_production_refuses_a_name_that_does_not_resolve(production, monkeypatch):
    def fails(*args, **kwargs):
        raise socket.gaierror("Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", fails)
    with pytest.raises(Invalid, match="could not find"):
        clean_server_url("https://nowhere.invalid")


def test_production_refuses_plain_http_even_on_this_machine(production):
    with pytest.raises(Invalid, match="https"):
        clean_server_url("http://127.0.0.1:2583")


def test_outside_production_a_local_test_server_is_allowed(settings):
    settings.IS_PRODUCTION = False
    assert clean_server_url("http://127.0.0.1:2583") == "http://127.0.0.1:2583"
