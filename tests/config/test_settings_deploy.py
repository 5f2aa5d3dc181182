"""Production settings: `check --deploy` is clean, a missing secret refuses to start, the database URL picks the engine.

Each case runs in a fresh interpreter, because settings are read once at import.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[2]


def _run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    # Start from the caller's environment minus what the test run itself sets (the browser
    # tests' conftest sets DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly flags).
    harness = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if not k.startswith("EXEMPLAR_") and k not in harness}
    clean.update(
        {
            "PYTHONPATH": "src",
            "DJANGO_SETTINGS_MODULE": "exemplar.config.settings",
            "EXEMPLAR_VAR_DIR": str(tmp_path),
            **env,
        }
    )
    return subprocess.run(
        [sys.executable, *args], cwd=REPO_ROOT, env=clean, capture_output=True, text=True, timeout=120, check=False
    )


def _production(**extra: str) -> dict[str, str]:
    return {
        "EXEMPLAR_DEBUG": "0",
        "EXEMPLAR_SECRET_KEY": secrets.token_urlsafe(64),
        "EXEMPLAR_ALLOWED_HOSTS": "exemplar.example.org",
        **extra,
    }


def test_check_deploy_is_clean(tmp_path):
    result = _run(["manage.py", "check", "--deploy"], tmp_path, **_production())
    output = result.stdout + result.stderr
    assert (result.returncode, "WARNINGS" in output, "ERRORS" in output) == (0, False, False), output
    assert "System check identified no issues" in output


def test_production_without_a_secret_key_refuses_to_start(tmp_path):
    result = _run(["manage.py", "check"], tmp_path, EXEMPLAR_DEBUG="0", EXEMPLAR_ALLOWED_HOSTS="exemplar.example.org")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "EXEMPLAR_SECRET_KEY" in result.stderr


def test_production_refuses_the_development_secret(tmp_path):
    probe = "from exemplar.config import settings; print(settings._DEV_SECRET)"
    dev_secret = _run(["-c", probe], tmp_path).stdout.strip()
    result = _run(["manage.py", "check"], tmp_path, **_production(EXEMPLAR_SECRET_KEY=dev_secret))
    assert result.returncode != 0
    assert "EXEMPLAR_SECRET_KEY" in result.stderr


def test_a_bad_boolean_names_the_variable(tmp_path):
    result = _run(["manage.py", "check"], tmp_path, EXEMPLAR_DEBUG="maybe")
    assert result.returncode != 0
    assert "EXEMPLAR_DEBUG must be 0 or 1, not 'maybe'" in result.stderr


PRINT_DB = (
    "from django.conf import settings; db = settings.DATABASES['default']; "
    "print(db['ENGINE'], db['NAME'], db.get('HOST', ''), sep='|')"
)


def test_database_url_selects_postgresql(tmp_path):
    result = _run(
        ["-c", PRINT_DB], tmp_path, EXEMPLAR_DATABASE_URL="postgres://exemplar:secret@db.internal:5432/exemplar_prod"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "django.db.backends.postgresql|exemplar_prod|db.internal"


def test_default_database_is_sqlite_under_var_dir(tmp_path):
    result = _run(["-c", PRINT_DB], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"django.db.backends.sqlite3|{tmp_path / 'exemplar.sqlite3'}|"


def test_production_turns_on_transport_security(tmp_path):
    probe = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS > 0)"
    )
    result = _run(["-c", probe], tmp_path, **_production())
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False True True True True"


def test_production_default_mail_backend_is_the_console(tmp_path):
    probe = "from django.conf import settings as s; print(s.EMAIL_BACKEND)"
    result = _run(["-c", probe], tmp_path, **_production())
    assert result.stdout.strip() == "django.core.mail.backends.console.EmailBackend"
