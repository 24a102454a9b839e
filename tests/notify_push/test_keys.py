"""VAPID keys: the accepted forms, the pair check, the command and the demo's key file."""

import stat
from io import StringIO

import pytest
from cryptography.hazmat.primitives import serialization
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory

from bedside.demo.management.commands.demo import Command as DemoCommand
from bedside.notify.push.keys import (
    VapidKeyError,
    b64url,
    check_vapid_settings,
    configured_vapid,
    generate_key_pair,
    key_file_environment,
    load_private_key,
    public_key_text,
)
from tests.notify_push.conftest import VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY


def test_the_command_prints_a_pair_that_belongs_together():
    out = StringIO()

    call_command("vapid_keys", stdout=out, stderr=StringIO())

    printed = dict(line.split("=", 1) for line in out.getvalue().split())
    assert set(printed) == {"VAPID_PUBLIC_KEY", "VAPID_PRIVATE_KEY"}
    assert (
        public_key_text(load_private_key(printed["VAPID_PRIVATE_KEY"]))
        == (printed["VAPID_PUBLIC_KEY"])
    )


@pytest.mark.parametrize("form", ["raw", "pem", "pem-one-line", "der"])
def test_the_private_key_is_read_in_each_documented_form(form):
    key = load_private_key(VAPID_PRIVATE_KEY)
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()
    der = key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    text = {
        "raw": VAPID_PRIVATE_KEY,
        "pem": pem,
        "pem-one-line": pem.replace("\n", "\\n"),
        "der": b64url(der),
    }[form]

    assert public_key_text(load_private_key(text)) == VAPID_PUBLIC_KEY


@pytest.mark.parametrize("text", ["", "not a key", "-----BEGIN PRIVATE KEY-----\nAAAA\n"])
def test_an_unreadable_private_key_is_refused(text):
    with pytest.raises(VapidKeyError):
        load_private_key(text)


def test_a_public_key_from_another_pair_is_refused(settings):
    settings.VAPID_PRIVATE_KEY = VAPID_PRIVATE_KEY
    settings.VAPID_PUBLIC_KEY = generate_key_pair()[0]

    with pytest.raises(VapidKeyError, match="does not belong"):
        configured_vapid()
    assert [error.id for error in check_vapid_settings()] == ["push.E002"]


def test_the_system_check_accepts_a_good_setup_and_names_each_mistake(settings):
    settings.VAPID_PRIVATE_KEY, settings.VAPID_PUBLIC_KEY = "", ""
    assert check_vapid_settings() == []
    settings.VAPID_PUBLIC_KEY = VAPID_PUBLIC_KEY
    assert [error.id for error in check_vapid_settings()] == ["push.E001"]
    settings.VAPID_PRIVATE_KEY = VAPID_PRIVATE_KEY
    settings.VAPID_SUBJECT = "mailto:care@riverside.example.org"
    assert check_vapid_settings() == []
    settings.VAPID_SUBJECT = "care@riverside.example.org"
    assert [error.id for error in check_vapid_settings()] == ["push.E003"]


def test_the_demo_key_file_is_created_private_once_and_reused(tmp_path):
    path = tmp_path / "var" / "vapid_private.pem"

    first = key_file_environment(path)
    second = key_file_environment(path)

    assert first == second
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert (
        public_key_text(load_private_key(first["VAPID_PRIVATE_KEY"])) == (first["VAPID_PUBLIC_KEY"])
    )


def _render_partial():
    request = RequestFactory().get("/")
    template = Template('{% include "push/_subscribe.html" %}')
    return template.render(Context({"request": request, "csp_nonce": "n0nce", "csrf_token": "t"}))


def test_the_subscribe_partial_offers_push_with_the_servers_key(vapid):
    html = _render_partial()

    assert f'data-vapid-key="{VAPID_PUBLIC_KEY}"' in html
    assert 'data-service-worker="/sw.js"' in html
    assert 'src="/static/js/push.js"' in html
    assert 'nonce="n0nce"' in html
    assert "<button" in html


def test_the_subscribe_partial_says_so_when_push_is_not_set_up(settings):
    settings.VAPID_PUBLIC_KEY = settings.VAPID_PRIVATE_KEY = ""

    html = _render_partial()

    assert "has not set up push notifications" in html
    assert "push.js" not in html
    assert "<button" not in html


def test_the_demo_gives_its_processes_a_key_pair_kept_in_var(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    monkeypatch.delenv("VAPID_PUBLIC_KEY", raising=False)
    settings.VAR_DIR = tmp_path

    env = DemoCommand()._child_environment("http://127.0.0.1:8000", "127.0.0.1")

    assert (tmp_path / "vapid_private.pem").exists()
    assert public_key_text(load_private_key(env["VAPID_PRIVATE_KEY"])) == env["VAPID_PUBLIC_KEY"]
    again = DemoCommand()._child_environment("http://127.0.0.1:8000", "127.0.0.1")
    assert again["VAPID_PUBLIC_KEY"] == env["VAPID_PUBLIC_KEY"]


def test_the_demo_keeps_the_operators_own_keys(settings, tmp_path, monkeypatch):
    monkeypatch.setenv("VAPID_PRIVATE_KEY", VAPID_PRIVATE_KEY)
    monkeypatch.setenv("VAPID_PUBLIC_KEY", VAPID_PUBLIC_KEY)
    settings.VAR_DIR = tmp_path

    env = DemoCommand()._child_environment("http://127.0.0.1:8000", "127.0.0.1")

    assert env["VAPID_PUBLIC_KEY"] == VAPID_PUBLIC_KEY
    assert not (tmp_path / "vapid_private.pem").exists()
