"""Settings for the test suite: the real settings, with fast password hashing."""

import os

os.environ.setdefault("BONDGENOOT_ALLOW_DEV_SECRET", "1")
os.environ.setdefault("SECURE_COOKIES", "0")

from .settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
STORAGES["staticfiles"]["BACKEND"] = (  # noqa: F405
    "django.contrib.staticfiles.storage.StaticFilesStorage"
)

# Tests measure the real work (and query counts) of every request; the one test of the
# monitor's cache switches a real cache back on.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
