"""Test settings: the real settings module, with a throwaway data directory and a fast hasher."""

import os
import tempfile

os.environ.setdefault("ENTRAIDE_DATA_DIR", tempfile.mkdtemp(prefix="entraide-test-"))
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from entraide.settings import *  # noqa: F403

# One test asserts the production hasher's parameters; everything else logs in fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 — whitenoise warns when it is missing
