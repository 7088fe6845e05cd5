"""Production settings: no default secret, and `check --deploy` finds nothing to warn about."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x9!kq2-PRODUCTION-like-secret-for-the-deploy-check-4c7e1f0a9b8d7c6e5f4a3b2c1d0e",
    "ALLOWED_HOSTS": "claims.newsroom.example.org",
    "DATABASE_URL": "sqlite:///" + str(ROOT / "var" / "deploy-check.sqlite3"),
}


def run(code_or_args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # The browser tests allow Django's ORM beside Playwright's event loop; a
    # production environment never carries that switch.
    dropped = {"DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {k: v for k, v in os.environ.items() if k not in dropped}
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


WITHOUT_KEY = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}


@pytest.mark.parametrize("entry", ["newsroom.wsgi", "newsroom.asgi"])
def test_the_web_refuses_to_start_without_a_secret_key_in_production(entry):
    result = run(["-c", f"import {entry}"], WITHOUT_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_commands_that_sign_nothing_run_without_a_secret_key():
    result = run(["manage.py", "makemigrations", "--check", "--dry-run"], WITHOUT_KEY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No changes detected" in result.stdout


def test_it_reads_the_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION["SECRET_KEY"])
    code = (
        "import newsroom.wsgi; from django.conf import settings; "
        f"assert settings.SECRET_KEY == {PRODUCTION['SECRET_KEY']!r}"
    )
    result = run(["-c", code], {**WITHOUT_KEY, "SECRET_KEY_FILE": str(secret)})
    assert result.returncode == 0, result.stderr


def test_it_passes_the_deploy_check_with_production_variables():
    result = run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
