"""Settings for the test suite: the real settings, with fast password hashing."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("BONDGENOOT_ALLOW_DEV_SECRET", "1")
os.environ.setdefault("SECURE_COOKIES", "0")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)

# Every compiled query is compared with the queryset built afresh (lib/compiled.py).
CHECK_COMPILED_QUERIES = True

# Tests measure the real work (and query counts) of every request; the one test of the
# monitor's cache switches a real cache back on.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    # Throttling is real in tests (conftest.py empties it before each test).
    "throttle": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "t"},
}

# Delivery runs inline in tests (the crash test starts a real worker with the database
# backend); files the SMS gateway and outbox mail write go to a temporary directory.
TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
OUTBOX_DIR = Path(tempfile.mkdtemp(prefix="bondgenoot-outbox-"))
