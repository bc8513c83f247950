"""Test settings: the real settings module, with a throwaway data directory and a fast hasher."""

import os
import tempfile

os.environ.setdefault("ENTRAIDE_DATA_DIR", tempfile.mkdtemp(prefix="entraide-test-"))
os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from entraide.settings import *  # noqa: F403

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not memory: the encryption tests read the database file and its WAL.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / "test.sqlite3")}  # noqa: F405

INSTALLED_APPS = [*INSTALLED_APPS, "tests.testapp"]  # noqa: F405

# One test asserts the production hasher's parameters; everything else logs in fast.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 — whitenoise warns when it is missing
