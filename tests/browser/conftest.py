"""Playwright for Python driving Debian's Chromium against a live server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REQUIRE_BROWSER, skip_or_fail

CHROMIUM = Path(os.getenv("CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"

# Playwright's sync API runs an event loop in this thread; the test itself
# still talks to the database synchronously, which is safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium is not installed at {CHROMIUM}", required=REQUIRE_BROWSER)
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("Playwright for Python is not installed", required=REQUIRE_BROWSER)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-gpu",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 1280, "height": 860})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"), full_page=True)
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def log_in(page: Any, base_url: str, username: str, password: str) -> None:
    page.goto(f"{base_url}/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base_url}/")


@pytest.fixture
def tasks(request: pytest.FixtureRequest) -> Iterator[str]:
    """Who runs the tasks a page queues: a real worker where the services are (PostgreSQL
    and Redis, as in CI), else the live server itself, eagerly."""
    from tests.conftest import REQUIRE_SERVICES

    on_services = os.getenv("DATABASE_URL", "").startswith("postgres") and os.getenv(
        "CELERY_BROKER_URL", ""
    ).startswith("redis")
    if not on_services:
        if REQUIRE_SERVICES:
            pytest.fail("this journey needs PostgreSQL and Redis under REQUIRE_SERVICES=1")
        yield "eager"
        return
    from tests.workers import require_broker

    require_broker()
    pool = request.getfixturevalue("workers")
    pool.start()
    yield "worker"
