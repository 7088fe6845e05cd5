"""The interface in English and Arabic: the switcher, right-to-left pages, Arabic dates and
numbers, and a message catalogue that is complete and compiled."""

from __future__ import annotations

import ast
import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from claims import roles
from tests.conftest import skip_or_fail
from tests.factories import ClaimFactory, StoryFactory, make_user

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "locale" / "ar" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def arabic(client):  # type: ignore[no-untyped-def]
    client.cookies["django_language"] = "ar"
    return client


@pytest.fixture(autouse=True)
def _english_after_each_test():  # type: ignore[no-untyped-def]
    """A request in Arabic leaves Arabic active in the thread (the locale middleware
    activates, nothing deactivates): the tests after these must start in English."""
    yield
    translation.deactivate()


def page(client, url: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# The switcher ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_it_switches_to_arabic_and_back(client, checker):
    client.force_login(checker)
    r = client.post("/i18n/setlang/", {"language": "ar", "next": "/queue/new/"})
    assert r.status_code == 302 and r["Location"] == "/queue/new/"
    assert r.cookies["django_language"].value == "ar"
    html = page(client, "/queue/new/")
    assert '<html lang="ar" dir="rtl">' in html
    assert "قوائم العمل" in html

    client.post("/i18n/setlang/", {"language": "en-gb", "next": "/"})
    html = page(client, "/")
    assert '<html lang="en-gb" dir="ltr">' in html and "Log out" in html


@pytest.mark.django_db
def test_it_never_sends_the_switcher_to_another_site(client, checker):
    client.force_login(checker)
    r = client.post("/i18n/setlang/", {"language": "ar", "next": "https://evil.example/"})
    assert r.status_code == 302 and r["Location"] == "/"


@pytest.mark.django_db
def test_it_ignores_a_language_the_desk_does_not_speak(client, checker):
    client.force_login(checker)
    r = client.post("/i18n/setlang/", {"language": "xx", "next": "/"})
    assert "django_language" not in r.cookies
    assert '<html lang="en-gb" dir="ltr">' in page(client, "/")


@pytest.mark.django_db
def test_the_switcher_posts_with_a_csrf_token_and_the_page_to_come_back_to(client, checker):
    client.force_login(checker)
    html = page(client, "/flags/?status=open")
    form = html[html.index('<form class="lang"') :]
    form = form[: form.index("</form>")]
    assert 'action="/i18n/setlang/"' in form and 'name="csrfmiddlewaretoken"' in form
    assert 'name="next" value="/flags/?status=open"' in form
    assert '<option value="ar" lang="ar">العربية</option>' in form


def test_the_login_page_has_the_switcher_too(client, db):
    html = page(arabic(client), "/login/")
    assert '<html lang="ar" dir="rtl">' in html
    assert "تسجيل الدخول" in html and 'class="lang"' in html


@pytest.mark.django_db
def test_a_browser_that_asks_for_arabic_gets_it(client, checker):
    client.force_login(checker)
    html = client.get("/", headers={"accept-language": "ar,en;q=0.5"}).content.decode()
    assert '<html lang="ar" dir="rtl">' in html


# The pages, role by role ----------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.EDITOR, roles.CHECKER, roles.ADMIN])
def test_the_main_pages_speak_arabic_right_to_left(client, role):
    story = StoryFactory(headline="Strikes on Aleppo")
    claim = ClaimFactory(story=story)
    client.force_login(make_user(role, "reader"))
    arabic(client)
    pages = {
        "/": "ما ينتظر",  # the dashboard: "What is waiting"
        "/queue/new/": "عوامل التصفية",  # the queue's filters
        f"/claims/{claim.pk}/": "الإجراءات",  # the claim page's actions
        f"/stories/{story.pk}/": "الادعاءات الموجودة في النص",  # claims found in the copy
        "/flags/": "ما وجده الفحص",
        "/sources/": "سجل المصادر",
        "/incidents/": "حادثة",
        "/notifications/": "البريد الإلكتروني",
    }
    for url, words in pages.items():
        html = page(client, url)
        assert '<html lang="ar" dir="rtl">' in html, url
        assert words in html, url
        assert "تسجيل الخروج" in html and "Log out" not in html, url


@pytest.mark.django_db
@pytest.mark.parametrize("role", [roles.EDITOR, roles.CHECKER, roles.ADMIN])
def test_english_is_the_desk_as_it_was(client, role):
    claim = ClaimFactory()
    client.force_login(make_user(role, "reader"))
    html = page(client, f"/claims/{claim.pk}/")
    assert '<html lang="en-gb" dir="ltr">' in html
    assert "<dt>Reported on</dt><dd>13 Feb 2014</dd>" in html
    assert ">Actions</h2>" in html and "الإجراءات" not in html


@pytest.mark.django_db
def test_an_outsider_is_refused_in_arabic_as_in_english(client, outsider):
    claim = ClaimFactory()
    client.force_login(outsider)
    assert client.get(f"/claims/{claim.pk}/").status_code == 404
    assert arabic(client).get(f"/claims/{claim.pk}/").status_code == 404


# Dates and numbers ----------------------------------------------------------------------


@pytest.mark.django_db
def test_dates_follow_the_reader_s_language(client, checker):
    claim = ClaimFactory()  # reported 13 Feb 2014
    client.force_login(checker)
    html = page(arabic(client), f"/claims/{claim.pk}/")
    assert "<dd>13 فبراير، 2014</dd>" in html


def test_numbers_follow_the_reader_s_language():
    template = Template('{{ n|floatformat:"g" }} · {{ x|floatformat:1 }}')
    context = Context({"n": 12345, "x": 2.5})
    with translation.override("en-gb"):
        assert template.render(context) == "12,345 · 2.5"
    with translation.override("ar"):
        assert template.render(context) == "12.345 · 2,5"


def test_a_date_and_time_read_the_arabic_way():
    import datetime as dt

    when = dt.datetime(2026, 12, 6, 14, 30, tzinfo=dt.UTC)
    template = Template('{{ t|date:"SHORT_DATETIME_FORMAT" }}|{{ t|date:"DATE_FORMAT" }}')
    with translation.override("en-gb"):
        assert template.render(Context({"t": when})) == "6 Dec 2026 14:30|6 Dec 2026"
    with translation.override("ar"):
        assert template.render(Context({"t": when})) == "6 ديسمبر، 2026 14:30|6 ديسمبر، 2026"
        # What a machine reads (<time datetime>) keeps its one format.
        assert Template("{{ t|date:'c' }}").render(Context({"t": when})) == when.isoformat()


# The catalogue --------------------------------------------------------------------------


def po_entries(text: str) -> list[tuple[dict[str, str], bool]]:
    """Each entry of a .po file: its fields (msgctxt, msgid, msgid_plural, msgstr,
    msgstr[n]) and whether it is marked fuzzy. Obsolete entries (#~) have no fields."""
    entries = []
    for block in text.split("\n\n"):
        lines = [line for line in block.splitlines() if line.strip()]
        fuzzy = any(line.startswith("#,") and "fuzzy" in line for line in lines)
        fields: dict[str, str] = {}
        key = ""
        for line in lines:
            if line.startswith("#"):
                continue
            if line.startswith('"'):
                fields[key] += ast.literal_eval(line)
            else:
                key, _, value = line.partition(" ")
                fields[key] = ast.literal_eval(value)
        if "msgid" in fields:
            entries.append((fields, fuzzy))
    return entries


def read_po(path: Path) -> dict[object, str]:
    """The catalogue a .po file compiles to, keyed as gettext.GNUTranslations keys it:
    msgid, or (msgid, n) for plural forms, with "context\\x04" in front under a msgctxt.
    Fuzzy entries are left out, as msgfmt leaves them out."""
    catalog: dict[object, str] = {}
    for fields, fuzzy in po_entries(path.read_text(encoding="utf-8")):
        msgid = fields["msgid"]
        if fuzzy and msgid:
            continue
        if "msgctxt" in fields:
            msgid = f"{fields['msgctxt']}\x04{msgid}"
        if "msgid_plural" in fields:
            for name, value in fields.items():
                if name.startswith("msgstr[") and value:
                    catalog[(msgid, int(name[7:-1]))] = value
        elif fields["msgstr"]:
            catalog[msgid] = fields["msgstr"]
    return catalog


def test_the_committed_mo_is_the_po_compiled():
    with MO.open("rb") as f:
        compiled = gettext.GNUTranslations(f)
    assert compiled._catalog == read_po(PO)  # type: ignore[attr-defined]
    # Arabic's six plural forms: none, one, two, a few, many, other.
    assert [compiled.plural(n) for n in (0, 1, 2, 3, 11, 100)] == [0, 1, 2, 3, 4, 5]


def test_every_marked_string_has_an_arabic_translation(tmp_path):
    """makemessages, run over a copy of the tree, finds no msgid the .po lacks or leaves
    untranslated (`make messages` adds new ones; translate them in the .po)."""
    if not shutil.which("xgettext") or not shutil.which("msgmerge"):
        skip_or_fail("GNU gettext is not installed", required=os.getenv("CI") == "true")
    for part in ("claims", "newsroom", "templates", "locale"):
        shutil.copytree(ROOT / part, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "manage.py", tmp_path / "manage.py")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ar", "--no-obsolete"],
        cwd=tmp_path,
        env={**os.environ, "DEBUG": "1"},
        check=True,
        capture_output=True,
    )
    found = (tmp_path / "locale" / "ar" / "LC_MESSAGES" / "django.po").read_text("utf-8")
    untranslated = [
        fields["msgid"]
        for fields, fuzzy in po_entries(found)
        if fields["msgid"]
        and (fuzzy or not all(v for k, v in fields.items() if k.startswith("msgstr")))
    ]
    assert not untranslated, untranslated
    assert len(po_entries(found)) > 400


@pytest.mark.django_db
def test_the_claimreview_speaks_the_desk_s_language_to_an_arabic_reader():
    from claims.claimreview import claim_review
    from claims.models import Status

    claim = ClaimFactory(status=Status.VERIFIED)
    with translation.override("ar"):
        review = claim_review(claim, url="https://desk.example/reviews/1/", publisher="Desk")
        assert str(Status.VERIFIED.label) == "مُتحقَّق منه"
    assert review["reviewRating"]["alternateName"] == "Verified"


@pytest.mark.django_db
def test_the_switcher_does_not_carry_a_next_from_the_link(client, checker):
    client.force_login(checker)
    html = page(client, "/flags/?status=open&next=https://elsewhere.example/")
    assert "elsewhere" not in html
    assert 'name="next" value="/flags/?status=open"' in html


@pytest.mark.django_db
def test_a_severity_is_shown_in_arabic_but_keeps_its_class_and_filter(client, checker):
    client.force_login(checker)
    html = page(arabic(client), "/")
    assert '<span class="sev sev-medium">متوسطة</span>' in html
    assert 'href="/flags/?severity=30&amp;status=unresolved"' in html


# The dossier, the report and the words for a duration ------------------------------------


@pytest.mark.django_db
def test_a_dossier_reads_in_arabic_right_to_left(client, checker):
    claim = ClaimFactory()
    client.force_login(checker)
    html = page(arabic(client), f"/claims/{claim.pk}/dossier/")
    assert '<html lang="ar" dir="rtl">' in html
    assert f"الملف الكامل: الادعاء {claim.pk}" in html  # the title
    assert "1. الادعاء" in html and "4. الأدلة" in html and "8. التعليقات" in html
    assert "لا أدلة." in html and "لا تعليقات." in html
    assert "No evidence." not in html and "The claim</h2>" not in html


@pytest.mark.django_db
def test_the_stage_report_reads_in_arabic_with_its_durations(client, checker):
    from datetime import timedelta

    from django.utils import timezone

    from claims.models import Claim, ClaimEvent

    claim = ClaimFactory()
    now = timezone.now()
    Claim.objects.filter(pk=claim.pk).update(created_at=now - timedelta(minutes=45))
    taken = ClaimEvent.objects.create(
        claim=claim, actor=checker, kind="transition", from_status="new", to_status="in_review"
    )
    ClaimEvent.objects.filter(pk=taken.pk).update(at=now - timedelta(minutes=5))
    client.force_login(checker)
    html = page(arabic(client), "/reports/")
    assert '<html lang="ar" dir="rtl">' in html
    assert "<h1>الوقت في كل مرحلة</h1>" in html and "آخر 8 أسابيع" in html
    assert "الانتظار في «جديد»، حسب الأسبوع" in html  # a chart's title
    assert '<td class="num">40 دقيقة</td>' in html  # waited 40 minutes
    assert "Time in each stage" not in html and " min<" not in html


@pytest.mark.parametrize(
    ("seconds", "english", "words"),
    [
        (30, "under a minute", "أقل من دقيقة"),
        (60, "1 min", "1 دقيقة"),
        (2 * 60, "2 min", "2 دقيقتان"),
        (5 * 60, "5 min", "5 دقائق"),
        (40 * 60, "40 min", "40 دقيقة"),
        (5.5 * 3600, "5.5 h", "5,5 ساعة"),
        (3 * 86400, "3 d", "3 أيام"),
        (11 * 86400, "11 d", "11 يومًا"),
    ],
)
def test_a_duration_takes_the_arabic_plural_form(seconds, english, words):  # type: ignore[no-untyped-def]
    from claims.stages import duration_words

    with translation.override("en-gb"):
        assert duration_words(seconds) == english
    with translation.override("ar"):
        assert duration_words(seconds) == words


# Refusals of the services and the API ---------------------------------------------------


@pytest.mark.django_db
def test_an_api_refusal_answers_in_the_language_asked_for(checker):
    from rest_framework.test import APIClient

    ClaimFactory()
    api = APIClient()
    api.force_authenticate(checker)
    english = api.get("/api/v1/claims/", {"page_size": "0"})
    assert english.status_code == 400
    assert english.json() == {
        "detail": "Bad page_size.",
        "page_size": ["A whole number, 1 to 200."],
    }
    arabic_answer = api.get(
        "/api/v1/claims/", {"page_size": "0"}, headers={"accept-language": "ar"}
    )
    assert arabic_answer.status_code == 400
    # The message is Arabic; the parameter it names keeps its name.
    assert arabic_answer.json() == {
        "detail": "حجم الصفحة (page_size) غير صالح.",
        "page_size": ["عدد صحيح من 1 إلى 200."],
    }


@pytest.mark.django_db
def test_a_service_refusal_is_shown_on_the_page_in_arabic(client, editor):
    from tests.incidents import IncidentFactory

    incident = IncidentFactory()
    client.force_login(editor)
    url = f"/incidents/{incident.pk}/merge/"
    english = client.post(url, {"into": incident.pk}).content.decode()
    assert "An incident cannot be merged into itself." in english
    html = arabic(client).post(url, {"into": incident.pk}).content.decode()
    assert '<html lang="ar" dir="rtl">' in html
    assert "لا يمكن دمج حادثة في نفسها." in html
    assert "An incident cannot be merged into itself." not in html


def test_a_period_names_its_months_in_the_reader_s_language():
    import datetime as dt
    from types import SimpleNamespace

    claim = SimpleNamespace(
        period_start=dt.date(2014, 1, 28), period_end=dt.date(2014, 2, 3), period_kind="to_date"
    )
    template = Template("{% load wording %}{% period claim %}")
    with translation.override("en-gb"):
        assert template.render(Context({"claim": claim})) == "28 Jan – 3 Feb 2014 (to date)"
    with translation.override("ar"):
        assert template.render(Context({"claim": claim})) == "28 يناير – 3 فبراير 2014 (حتى تاريخه)"


@pytest.mark.django_db
def test_a_figure_its_period_and_its_measure_read_in_arabic():
    from datetime import date

    from claims import localwording
    from claims.timeline import claim_figures

    claim = ClaimFactory(
        event="killed", unit="people", value_low=360, value_high=440, qualifier="approx"
    )
    with translation.override("ar"):
        assert localwording.format_figure(360, 440, "approx", 0.1) == "نحو 400"
        assert localwording.format_quantity(51, None, "", 0.1) == "51 على الأقل"
        assert localwording.format_quantity(24, 99, "vague", 0.1) == "العشرات"
        assert localwording.format_figure(2_000_000, None, "", 0.1) == "2 مليون على الأقل"
        assert localwording.interval_text(51, None) == "51 أو أكثر"
        period = localwording.format_period(date(2014, 2, 1), date(2014, 2, 13), "to_date")
        chart, _ = claim_figures(claim)
    assert period.endswith("(حتى تاريخه)") and "Feb" not in period
    assert chart.measure == "قتلى"
    # A unit the table does not hold keeps its English words.
    with translation.override("ar"):
        assert localwording.measure("killed", "trucks", "trucks killed") == "trucks killed"
    # English, as the checks and the stored messages word it.
    assert localwording.format_figure(360, 440, "approx", 0.1) == "about 400"
    assert localwording.format_quantity(0, 20, "fewer_than", 0.1) == "fewer than 21"


def test_an_unreadable_csv_and_a_nul_are_refused_in_arabic():
    from claims import csvio
    from claims.text import text_problem

    with translation.override("ar"), pytest.raises(csvio.UnreadableFile) as refused:
        csvio.read_claims(b"source,date\nOCHA,2014-02-13\n", max_rows=10)
    assert str(refused.value) == "لا يحتوي الملف على عمود «text»: يجب أن يسمّي الصف الأول الأعمدة."
    with translation.override("ar"):
        assert text_problem("a\x00b") == "لا يُسمح بالمحارف الفارغة (NUL)."
        assert text_problem("\ud800") == "لا يُسمح بالمحارف البديلة (surrogate): U+D800."
    assert text_problem("a\x00b") == "Null characters are not allowed."


def test_a_refused_webhook_address_is_worded_in_arabic_and_stored_in_english():
    from claims import linkcheck

    url = "http://127.0.0.1/hook"
    with translation.override("ar"):
        heard = linkcheck.refusal(url, allow_private=False, local=True)
        stored = linkcheck.refusal(url, allow_private=False)
    assert heard == "مرفوض: العنوان 127.0.0.1 عنوان استرجاع (loopback)"
    assert stored == "refused: loopback address 127.0.0.1"
