"""Tokens are encrypted at rest and never shown: not in repr, pages, errors, logs or audit."""

import logging
import os
import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from cryptography.fernet import Fernet

from bedside.audit.models import AuditEvent
from bedside.syndication import crypto, engine
from bedside.syndication.models import Channel, Delivery
from tests.factories import ChannelFactory, DeliveryFactory

pytestmark = pytest.mark.django_db

SECRETS = {
    "access_jwt": "eyJ-very-secret-access",
    "refresh_jwt": "eyJ-very-secret-refresh",
    "app_password": "abcd-efgh-ijkl-mnop",
}


def test_credentials_are_sealed_and_never_in_str_or_repr(practice):
    channel = ChannelFactory(practice=practice, credentials=SECRETS)
    stored = Channel.objects.values_list("sealed_credentials", flat=True).get()
    shown = f"{channel} {channel!r} {Channel.objects.all()!r} {channel.__dict__.get('handle')}"
    for secret in SECRETS.values():
        assert secret not in stored
        assert secret not in shown
    assert Channel.objects.get().credentials == SECRETS


def test_keys_rotate_newest_first(settings, practice):
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.TOKEN_KEYS = [old]
    sealed = crypto.seal(SECRETS)
    settings.TOKEN_KEYS = [new, old]
    assert crypto.unseal(sealed) == SECRETS
    resealed = crypto.reseal(sealed)
    settings.TOKEN_KEYS = [new]
    assert crypto.unseal(resealed) == SECRETS
    with pytest.raises(crypto.UnreadableSecret) as caught:
        crypto.unseal(sealed)
    assert "decrypted" in str(caught.value)


def test_a_failing_delivery_logs_and_records_no_token(practice, pds, caplog):
    pds.hooks.append(
        lambda request: httpx.Response(401, json={"error": "InvalidToken", "message": "Bad token"})
    )
    channel = ChannelFactory(practice=practice, credentials=SECRETS)
    delivery = DeliveryFactory(channel=channel)
    with caplog.at_level(logging.DEBUG):
        engine.run(delivery.pk)
    delivery = Delivery.objects.select_related("channel").get(pk=delivery.pk)
    visible = " ".join([caplog.text, delivery.last_error, delivery.channel.last_error])
    assert "reconnect" in visible
    for secret in SECRETS.values():
        assert secret not in visible
    # The token did go out, in the Authorization header only.
    assert any(
        r.headers.get("Authorization") == f"Bearer {SECRETS['access_jwt']}" for r in pds.requests
    )


def test_connecting_writes_no_secret_to_the_audit_trail(client, practice, editor, pds):
    client.force_login(editor)
    client.post(
        f"/p/{practice.slug}/studio/channels/bluesky/",
        {"handle": pds.handle, "app_password": pds.app_password, "server_url": pds.base},
    )
    event = AuditEvent.objects.get(action="channel.connect")
    row = f"{event.detail} {event.target_label} {event.actor_label}"
    for secret in (pds.app_password, pds.access, pds.refresh):
        assert secret not in row


def test_production_refuses_to_start_without_a_token_key(tmp_path):
    project = Path(__file__).resolve().parents[2]
    environment = {
        "PATH": os.environ.get("PATH", ""),
        "BEDSIDE_ENV": "production",
        "SECRET_KEY": "x" * 64,
        "ALLOWED_HOSTS": "bedside.example",
        "DJANGO_SETTINGS_MODULE": "bedside.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "BEDSIDE_VAR_DIR": str(tmp_path),
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "BEDSIDE_TOKEN_KEY" in result.stderr
