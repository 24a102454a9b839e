"""Test settings: the real settings, with tasks run immediately and fast hashing."""

import os
import re
import tempfile

os.environ.setdefault("BEDSIDE_ENV", "test")

from bedside.settings import *  # noqa: F403
from bedside.settings import CACHES

TASKS = {
    "default": {
        "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default", "syndication"],
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="bedside-test-media-")
PRIVATE_MEDIA_ROOT = tempfile.mkdtemp(prefix="bedside-test-private-")
SERVE_MEDIA = True
ACCOUNT_RATE_LIMITS = False
# Unit tests sign staff in with force_login, which no second step follows; the tests of the
# requirement (tests/security/test_staff_mfa.py) and the browser journeys turn it back on.
BEDSIDE_STAFF_MFA_REQUIRED = False
# Tests post freely; tests/security/test_posting_rate_limits.py puts the limits back.
POSTING_RATE_LIMITS: dict[str, str] = {}
if os.environ.get("REDIS_URL"):
    # One Redis database per xdist worker: tests clear the cache (FLUSHDB), and rate-limit
    # counters keyed by 127.0.0.1 must not leak between workers running side by side.
    _worker = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
    CACHES["default"]["LOCATION"] = (
        re.sub(r"/\d*$", "", os.environ["REDIS_URL"]) + f"/{15 - _worker}"
    )
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = tempfile.mkdtemp(prefix="bedside-test-static-")
