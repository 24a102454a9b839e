"""Test settings: the real settings, with tasks run immediately and fast hashing."""

import os
import tempfile

os.environ.setdefault("BEDSIDE_ENV", "test")

from bedside.settings import *  # noqa: F403

TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = tempfile.mkdtemp(prefix="bedside-test-media-")
SERVE_MEDIA = True
ACCOUNT_RATE_LIMITS = False
if not os.environ.get("REDIS_URL"):
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STATIC_ROOT = tempfile.mkdtemp(prefix="bedside-test-static-")
