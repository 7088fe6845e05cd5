"""Password guessing: wrong passwords lock an account at the address that guessed them.

Five failures for one username from one address lock that pair for fifteen
minutes; the right password is refused meanwhile, with a message that says so.
Other accounts, and the same account from elsewhere, still log in: a guesser
cannot lock a colleague out of the desk from outside.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.test import APIClient

from claims import roles
from claims.services.tokens import token_issue
from tests.factories import make_user

pytestmark = pytest.mark.django_db

RIGHT = "pass-word-123"  # the factories' password
WRONG = "not-the-password"
GUESSER = "203.0.113.7"
ELSEWHERE = "198.51.100.20"
LOCKED = "Too many failed logins: try again in 15 minutes or ask an admin"

PAGES = ["/login/", "/admin/login/"]


def attempt(client, url: str, username: str, password: str, address: str = GUESSER):  # type: ignore[no-untyped-def]
    return client.post(
        url, {"username": username, "password": password, "next": "/"}, REMOTE_ADDR=address
    )


def attempts():  # type: ignore[no-untyped-def]
    from axes.models import AccessAttempt

    return AccessAttempt.objects


def logged_in(client) -> bool:  # type: ignore[no-untyped-def]
    return "_auth_user_id" in client.session


@pytest.mark.parametrize("url", PAGES)
def test_it_refuses_the_right_password_after_forty_wrong_ones(client, admin, url):
    for _ in range(40):
        attempt(client, url, admin.username, WRONG)
    r = attempt(client, url, admin.username, RIGHT)
    assert r.status_code == 429
    assert LOCKED in r.content.decode()
    assert not logged_in(client)


@pytest.mark.parametrize("url", PAGES)
def test_it_says_so_from_the_fifth_failure_on(client, admin, url):
    for _ in range(4):
        r = attempt(client, url, admin.username, WRONG)
        assert r.status_code == 200
        assert LOCKED not in r.content.decode()
    r = attempt(client, url, admin.username, WRONG)
    assert r.status_code == 429
    assert LOCKED in r.content.decode()
    # The form is still there, so the page is a login page that explains itself.
    assert 'name="password"' in r.content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_it_still_lets_others_in(client, admin, url):
    colleague = make_user(roles.ADMIN, "grace")
    for _ in range(40):
        attempt(client, url, admin.username, WRONG)

    r = attempt(client, url, colleague.username, RIGHT, address=ELSEWHERE)
    assert r.status_code == 302
    assert logged_in(client)
    client.logout()
    # Nor is the account locked for its owner at another address.
    r = attempt(client, url, admin.username, RIGHT, address=ELSEWHERE)
    assert r.status_code == 302
    assert logged_in(client)


def test_it_lets_the_account_in_after_the_cool_off(client, admin, settings):
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60
    for _ in range(40):
        attempt(client, "/login/", admin.username, WRONG)

    attempts().update(attempt_time=timezone.now() - dt.timedelta(minutes=14))
    assert attempt(client, "/login/", admin.username, RIGHT).status_code == 429

    attempts().update(attempt_time=timezone.now() - dt.timedelta(minutes=16))
    r = attempt(client, "/login/", admin.username, RIGHT)
    assert r.status_code == 302
    assert logged_in(client)


def test_it_follows_the_cool_off_setting(client, admin, settings):
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=1)
    for _ in range(6):
        attempt(client, "/login/", admin.username, WRONG)
    assert attempt(client, "/login/", admin.username, RIGHT).status_code == 429
    attempts().update(attempt_time=timezone.now() - dt.timedelta(seconds=61))
    assert attempt(client, "/login/", admin.username, RIGHT).status_code == 302


def test_it_forgets_earlier_failures_after_a_success(client, admin):
    for _ in range(4):
        attempt(client, "/login/", admin.username, WRONG)
    assert attempt(client, "/login/", admin.username, RIGHT).status_code == 302
    client.logout()
    for _ in range(4):
        assert attempt(client, "/login/", admin.username, WRONG).status_code == 200
    assert attempt(client, "/login/", admin.username, RIGHT).status_code == 302


def test_it_takes_the_address_from_the_socket_not_from_a_header(client, admin):
    # Behind no proxy (NUM_PROXIES=0) a client's own X-Forwarded-For would let it
    # pick a fresh address per guess.
    for n in range(6):
        client.post(
            "/login/",
            {"username": admin.username, "password": WRONG},
            REMOTE_ADDR=GUESSER,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{n}",
        )
    r = client.post(
        "/login/",
        {"username": admin.username, "password": RIGHT},
        REMOTE_ADDR=GUESSER,
        HTTP_X_FORWARDED_FOR="192.0.2.99",
    )
    assert r.status_code == 429


def test_it_trusts_the_proxy_it_is_told_about(client, admin, settings):
    settings.NUM_PROXIES = 1
    for _ in range(6):
        client.post(
            "/login/",
            {"username": admin.username, "password": WRONG},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=f"192.0.2.50, {GUESSER}",
        )
    assert attempts().get().ip_address == GUESSER
    # Another reader behind the same proxy is not the guesser.
    r = client.post(
        "/login/",
        {"username": admin.username, "password": RIGHT},
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=ELSEWHERE,
    )
    assert r.status_code == 302


def test_it_records_attempts_for_admins(client, admin, django_user_model):
    for _ in range(3):
        attempt(client, "/login/", admin.username, WRONG)
    row = attempts().get()
    assert (row.username, row.ip_address, row.failures_since_start) == (
        admin.username,
        GUESSER,
        3,
    )
    from axes.models import AccessFailureLog

    assert AccessFailureLog.objects.count() == 3
    assert WRONG not in row.post_data

    boss = django_user_model.objects.create_superuser("root", "root@example.org", RIGHT)
    client.force_login(boss)
    page = client.get("/admin/axes/accessattempt/")
    assert page.status_code == 200
    assert GUESSER in page.content.decode()
    assert client.get("/admin/axes/accessfailurelog/").status_code == 200


def test_it_takes_no_password_on_the_api(admin):
    # Passwords are guessed on the two login pages only: the API takes tokens and sessions.
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Basic YWRhOnBhc3Mtd29yZC0xMjM=")  # ada:pass-word-123
    assert api.get("/api/v1/claims/").status_code in (401, 403)


@pytest.fixture
def low_api_rates(monkeypatch):  # type: ignore[no-untyped-def]
    from rest_framework.throttling import SimpleRateThrottle

    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", {"anon": "2/min", "user": "3/min"})
    cache.clear()
    yield
    cache.clear()


def test_it_throttles_a_busy_token(admin, low_api_rates):
    _, key = token_issue(user=admin, actor=admin)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    answers = [api.get("/api/v1/claims/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]


def test_it_throttles_each_user_on_their_own(admin, editor, low_api_rates):
    api = APIClient()
    api.force_authenticate(admin)
    for _ in range(3):
        api.get("/api/v1/claims/")
    assert api.get("/api/v1/claims/").status_code == 429
    api.force_authenticate(editor)
    assert api.get("/api/v1/claims/").status_code == 200


def test_it_names_the_api_throttles_in_settings(settings):
    rest = settings.REST_FRAMEWORK
    assert rest["DEFAULT_THROTTLE_CLASSES"] == [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ]
    assert set(rest["DEFAULT_THROTTLE_RATES"]) == {"anon", "user"}


def test_the_admin_role_reads_login_attempts(db):
    from django.contrib.auth.models import Group

    from claims import roles

    codenames = set(
        Group.objects.get(name=roles.ADMIN)
        .permissions.filter(content_type__app_label="axes")
        .values_list("codename", flat=True)
    )
    assert codenames == {
        "view_accessattempt",
        "delete_accessattempt",
        "view_accessfailurelog",
        "view_accesslog",
    }
