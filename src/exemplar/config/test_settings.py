"""Settings for the test suite: the production settings with fast, local stand-ins.

The database is SQLite unless EXEMPLAR_TEST_DATABASE_URL names another one
(CI points it at PostgreSQL).
"""

import os

import dj_database_url

from exemplar.config.settings import *  # noqa: F403
from exemplar.config.settings import VAR_DIR

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LANGUAGE_CODE = "en"
MEDIA_ROOT = VAR_DIR / "test-media"

_test_url = os.environ.get("EXEMPLAR_TEST_DATABASE_URL")
if _test_url:
    DATABASES = {"default": dj_database_url.parse(_test_url)}
else:
    # A file (not :memory:) so live-server and concurrency tests share it across
    # threads; one per process so parallel runs never touch each other's.
    _test_db = str(VAR_DIR / f"test-{os.getpid()}.sqlite3")
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": _test_db,
            "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20},
            "TEST": {"NAME": _test_db},
        },
    }
