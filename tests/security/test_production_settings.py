"""Production settings: Django's deployment checklist passes, and weak secrets refuse to start.

Each case starts a fresh interpreter, because settings are read once per process from the
environment, exactly as a real server start reads them.
"""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# Production must not lean on silenced checks; only this one is a deliberate choice:
# HSTS preload is an opt-in commitment for the whole domain (SECURE_HSTS_PRELOAD turns it on).
ACCEPTED_SILENCED_CHECKS = ["security.W021"]


def production_environment(tmp_path: Path, **overrides: str) -> dict[str, str]:
    # Start from a clean slate: nothing from the developer's shell or the test settings leaks in.
    keep = {name: os.environ[name] for name in ("PATH", "HOME", "LANG") if name in os.environ}
    return {
        **keep,
        "BEDSIDE_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(64),
        "ALLOWED_HOSTS": "bedside.example",
        "DJANGO_SETTINGS_MODULE": "bedside.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'production.sqlite3'}",
        "BEDSIDE_VAR_DIR": str(tmp_path),
        "BEDSIDE_TOKEN_KEY": "q8mHqn4mCKPVw0FiK6yh0L9j2Xbqg4vB2gO6nB1pFqI=",
        **overrides,
    }


def run(args: list[str], environment: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=PROJECT_ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_deployment_checklist_is_clean_under_production_settings(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(tmp_path),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_silences_no_check_but_the_hsts_preload_opt_in(tmp_path):
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.SILENCED_SYSTEM_CHECKS)",
        ],
        production_environment(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == repr(ACCEPTED_SILENCED_CHECKS)


def test_opting_into_hsts_preload_silences_nothing(tmp_path):
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        production_environment(tmp_path, SECURE_HSTS_PRELOAD="true"),
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)" in result.stdout


@pytest.mark.parametrize(
    ("case", "secret_key"),
    [
        ("the built-in development key", None),
        ("a short key", "too-short-to-be-a-secret"),
        ("a django-insecure key", "django-insecure-" + secrets.token_urlsafe(64)),
    ],
)
def test_production_refuses_to_start_with_a_weak_secret_key(tmp_path, case, secret_key):
    environment = production_environment(tmp_path)
    if secret_key is None:
        del environment["SECRET_KEY"]
    else:
        environment["SECRET_KEY"] = secret_key

    result = run(["manage.py", "check"], environment)

    assert result.returncode != 0, f"production started with {case}"
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set to a long random value" in result.stderr


def test_production_turns_on_transport_security(tmp_path):
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, "
            "s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS >= 31536000, s.ALLOWED_HOSTS)",
        ],
        production_environment(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "True", "['bedside.example']"]


def test_production_keeps_the_security_baseline(tmp_path):
    result = run(
        [
            "-c",
            "import django; django.setup(); from django.conf import settings as s; "
            "print(s.BEDSIDE_STAFF_MFA_REQUIRED, s.MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN, "
            "'webauthn' in s.MFA_SUPPORTED_TYPES, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1], "
            "bool(s.POSTING_RATE_LIMITS), bool(s.ACCOUNT_RATE_LIMITS), "
            "'camera' in s.PERMISSIONS_POLICY)",
        ],
        production_environment(tmp_path),
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True", "False", "True", "Argon2PasswordHasher", "True", "True", "True"
    ]  # fmt: skip
