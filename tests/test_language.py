"""The language of stories and claims: detected on every write, stored, shown and
filtered by, and a plain message for copy the desk does not read."""

from __future__ import annotations

import datetime as dt
import importlib
import threading

import pytest
from django.apps import apps

from claims import language, services
from claims.models import Claim, Story
from tests.factories import ClaimFactory, StoryFactory

FRENCH = "Au moins 51 personnes ont été tuées lundi à Kharkiv, selon le gouverneur régional."
MESSAGE_FR = "This looks like French; the desk reads English copy."

# ---------------------------------------------------------------------------
# Detection

SHORT = [
    ("en", "Floods in the north leave 30 dead"),
    ("fr", "Trois soldats tués dans une embuscade au Mali"),
    ("es", "Las inundaciones dejan doce muertos en el sur"),
    ("de", "Mindestens zwölf Tote bei einem Angriff im Osten"),
    ("ar", "مقتل ثلاثين شخصا في قصف على المدينة"),
    ("ru", "Число погибших при наводнении выросло до двадцати"),
    ("uk", "Кількість загиблих унаслідок удару зросла до дванадцяти"),
    ("tr", "Depremde ölü sayısı kırk bini aştı"),
]

LONG = [
    (
        "en",
        "Rescue teams were still digging through the rubble on Tuesday, two days after the "
        "earthquake flattened much of the old town. The health ministry said 212 people had "
        "died and more than 900 were being treated in hospitals across the province.",
    ),
    (
        "fr",
        "Les secours fouillaient encore les décombres mardi, deux jours après le séisme qui a "
        "détruit une grande partie de la vieille ville. Le ministère de la santé a fait état "
        "de 212 morts et de plus de 900 blessés soignés dans les hôpitaux de la province.",
    ),
    (
        "es",
        "Los equipos de rescate seguían buscando entre los escombros el martes, dos días "
        "después del terremoto que destruyó buena parte del casco antiguo. El ministerio de "
        "salud informó de 212 muertos y más de 900 heridos atendidos en los hospitales.",
    ),
    (
        "de",
        "Die Rettungskräfte suchten am Dienstag noch immer in den Trümmern, zwei Tage nachdem "
        "das Erdbeben große Teile der Altstadt zerstört hatte. Das Gesundheitsministerium "
        "sprach von 212 Toten und mehr als 900 Verletzten in den Krankenhäusern der Provinz.",
    ),
    (
        "ar",
        "واصلت فرق الإنقاذ البحث تحت الأنقاض يوم الثلاثاء بعد يومين من الزلزال الذي دمر جزءا "
        "كبيرا من المدينة القديمة. وقالت وزارة الصحة إن 212 شخصا لقوا حتفهم وإن أكثر من 900 "
        "جريح يتلقون العلاج في مستشفيات المحافظة.",
    ),
    (
        "ru",
        "Спасатели во вторник продолжали разбирать завалы через два дня после землетрясения, "
        "разрушившего большую часть старого города. По данным министерства здравоохранения, "
        "погибли 212 человек, более 900 раненых находятся в больницах области.",
    ),
    (
        "uk",
        "Рятувальники у вівторок досі розбирали завали через два дні після землетрусу, який "
        "зруйнував більшу частину старого міста. За даними міністерства охорони здоров'я, "
        "загинули 212 людей, понад 900 поранених перебувають у лікарнях області.",
    ),
    (
        "tr",
        "Kurtarma ekipleri, eski şehrin büyük bölümünü yıkan depremden iki gün sonra salı "
        "günü hâlâ enkaz altında arama yapıyordu. Sağlık bakanlığı 212 kişinin hayatını "
        "kaybettiğini ve 900'den fazla yaralının ildeki hastanelerde tedavi gördüğünü açıkladı.",
    ),
]


@pytest.mark.parametrize(("code", "text"), SHORT + LONG)
def test_it_detects_the_language_of_short_and_long_copy(code, text):
    assert language.detect(text) == code


@pytest.mark.parametrize(
    "text",
    [
        # Headlines: six words or so, half of them names from somewhere else.
        "Russian strikes kill 12 in Kharkiv",
        "Kharkiv shelling kills four overnight",
        "Israeli strike on Khan Younis kills 30",
        "Boko Haram attack near Maiduguri leaves 40 dead",
        "Gunmen kill 17 in Zamfara village raid",
        "Taliban say five dead in Kunduz blast",
        "Drone attack on Zaporizhzhia kills three",
        "Strike on Deir al-Balah school kills 18",
        "Dozens dead as monsoon floods hit Sindh",
        # Claim sentences.
        "Shelling of Kharkiv killed four civilians overnight, Oleh Syniehubov said.",
        "At least 30 people died in the strike on Khan Younis, the health ministry said.",
        "Eighteen worshippers were killed when gunmen stormed a mosque outside Maiduguri.",
        "In Deir el-Balah, Nuseirat and Bureij, 22 people were killed, medics said.",
        "Jama'atu Ahlis Sunna fighters killed 12 farmers near Gwoza on Sunday, police said.",
        "ZAPORIZHZHIA STRIKE KILLS SEVEN, GOVERNOR SAYS",
    ],
)
def test_english_copy_full_of_foreign_names_stays_english(text):
    assert language.detect(text) == "en"


@pytest.mark.parametrize(
    "text",
    ["", "   ", "Kharkiv", "Khan Younis", "51 killed", "https://example.org/a-b-c", "12, 14"],
)
def test_it_answers_nothing_for_text_too_short_to_tell(text):
    assert language.detect(text) == ""


def test_it_names_languages_in_plain_english():
    assert language.name("fr") == "French"
    assert language.name("el") == "Greek"  # not the catalogue's "Modern Greek (1453-)"
    assert language.name("ms") == "Malay"
    assert language.name("") == ""
    assert language.name("qq") == "qq"


def test_it_has_a_message_only_for_languages_the_desk_does_not_read():
    assert language.unread_message("fr") == MESSAGE_FR
    assert (
        language.unread_message("uk") == "This looks like Ukrainian; the desk reads English copy."
    )
    assert language.unread_message("en") is None
    assert language.unread_message("") is None


def test_its_choices_put_the_desks_language_first():
    choices = language.choices()
    assert choices[0] == ("en", "English")
    assert ("fr", "French") in choices
    names = [label for _, label in choices[1:]]
    assert names == sorted(names)


def test_it_loads_the_model_once_for_threads_that_ask_together(monkeypatch):
    from py3langid.langid import LanguageIdentifier

    loads = []
    real = LanguageIdentifier.from_model_file.__func__

    def counted(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        loads.append(1)
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(LanguageIdentifier, "from_model_file", classmethod(counted))
    monkeypatch.setattr(language, "_identifier", None)
    answers: list[str] = []
    start = threading.Barrier(6)

    def work() -> None:
        start.wait()
        answers.append(language.detect(LONG[1][1]))

    threads = [threading.Thread(target=work) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert loads == [1]
    assert answers == ["fr"] * 6


# ---------------------------------------------------------------------------
# Stored on every write


def test_it_stores_a_storys_language_from_its_body(editor):
    story = services.story_create(
        actor=editor,
        headline="Séisme : le bilan s'alourdit",
        body=LONG[1][1],
        published_at=dt.datetime(2014, 2, 13, 12, tzinfo=dt.UTC),
    )
    assert Story.objects.get(pk=story.pk).language == "fr"


def test_a_story_without_copy_takes_its_headlines_language(editor):
    story = services.story_create(
        actor=editor,
        headline="Las inundaciones dejan doce muertos en el sur del país",
        body="",
        published_at=dt.datetime(2014, 2, 13, 12, tzinfo=dt.UTC),
    )
    assert story.language == "es"


def test_editing_a_storys_copy_detects_its_language_again(editor):
    story = services.story_create(
        actor=editor,
        headline="Quake",
        body=LONG[1][1],
        published_at=dt.datetime(2014, 2, 13, 12, tzinfo=dt.UTC),
    )
    services.story_update(story=story, actor=editor, changes={"body": LONG[0][1]})
    assert Story.objects.get(pk=story.pk).language == "en"
    services.story_update(story=story, actor=editor, changes={"status": "published"})
    assert Story.objects.get(pk=story.pk).language == "en"


def test_it_stores_a_claims_language_from_its_text(editor):
    claim = services.claim_create(actor=editor, text=FRENCH)
    assert Claim.objects.get(pk=claim.pk).language == "fr"
    english = services.claim_create(
        actor=editor, text="At least 51 people were killed in Kharkiv on Monday, officials said."
    )
    assert english.language == "en"


def test_editing_a_claims_text_detects_its_language_again(editor):
    claim = services.claim_create(actor=editor, text=FRENCH)
    claim = services.claim_update(
        claim=claim,
        actor=editor,
        version=claim.version,
        changes={"text": "At least 51 people were killed in Kharkiv on Monday, officials said."},
    )
    assert Claim.objects.get(pk=claim.pk).language == "en"
    # The history row says what the editor changed, not what the desk worked out.
    assert set(claim.events.latest("pk").details["changed"]) == {"text"}


def test_an_accepted_candidate_carries_its_sentences_language(editor):
    story = services.story_create(
        actor=editor,
        headline="Aleppo",
        body="About 400 people have been killed in Aleppo so far this month, activists said.",
        published_at=dt.datetime(2014, 2, 13, 12, tzinfo=dt.UTC),
    )
    from claims import selectors

    found = selectors.story_candidates(story=story)[0].candidate
    claim = services.candidate_accept(story=story, start=found.start, end=found.end, actor=editor)
    assert claim.language == "en"


def test_the_back_fill_detects_the_language_of_rows_saved_before(db):
    migration = importlib.import_module("claims.migrations.0010_backfill_language")
    french = StoryFactory(body=LONG[1][1])
    english = StoryFactory()
    known = StoryFactory(body=LONG[2][1], language="de")  # already stored: left alone
    claim = ClaimFactory(text=FRENCH)
    touched = Story.objects.get(pk=french.pk).updated_at
    migration.forward(apps, None)
    assert Story.objects.get(pk=french.pk).language == "fr"
    assert Story.objects.get(pk=english.pk).language == "en"
    assert Story.objects.get(pk=known.pk).language == "de"
    assert Claim.objects.get(pk=claim.pk).language == "fr"
    assert Story.objects.get(pk=french.pk).updated_at == touched


# ---------------------------------------------------------------------------
# Shown


def test_the_claim_page_names_the_claims_language(client, checker):
    claim = ClaimFactory(text=FRENCH, language="fr")
    client.force_login(checker)
    html = client.get(f"/claims/{claim.pk}/").content.decode()
    assert "<dt>Language</dt><dd>French" in html
    assert MESSAGE_FR in html
    english = ClaimFactory(language="en")
    html = client.get(f"/claims/{english.pk}/").content.decode()
    assert "<dt>Language</dt><dd>English</dd>" in html


def test_the_queue_marks_only_claims_not_in_english(client, checker):
    ClaimFactory(text=FRENCH, language="fr")
    ClaimFactory(language="en")
    client.force_login(checker)
    html = client.get("/queue/new/").content.decode()
    assert html.count('title="Language of the claim">') == 1
    assert 'title="Language of the claim">French</span>' in html


def test_the_story_page_names_the_storys_language(client, checker):
    story = StoryFactory(body=LONG[1][1], language="fr")
    client.force_login(checker)
    html = client.get(f"/stories/{story.pk}/").content.decode()
    header = html[html.index("<h1") : html.index("</p>", html.index("<h1"))]
    assert "French" in header


def test_the_story_list_filters_and_marks_by_language(client, checker):
    french = StoryFactory(headline="Séisme", body=LONG[1][1], language="fr")
    english = StoryFactory(headline="Quake", language="en")
    client.force_login(checker)
    r = client.get("/stories/")
    assert {s.pk for s in r.context["page"]} == {french.pk, english.pk}
    assert r.content.decode().count('title="Language of the story">') == 1
    r = client.get("/stories/?language=fr")
    assert [s.pk for s in r.context["page"]] == [french.pk]
    assert "in French" in r.content.decode()
    r = client.get("/stories/?language=fr&q=Quake")
    assert list(r.context["page"]) == []


def test_the_live_reading_says_when_the_desk_cannot_read_the_words(client, editor):
    client.force_login(editor)
    r = client.post("/claims/read/", {"text": FRENCH, "reported_on": "2014-02-13"})
    assert r.status_code == 200
    assert MESSAGE_FR in r.content.decode()
    r = client.post(
        "/claims/read/",
        {"text": "At least 51 people were killed in Aleppo.", "reported_on": "2014-02-13"},
    )
    assert "the desk reads English copy" not in r.content.decode()


def test_the_draft_check_says_when_the_desk_cannot_read_the_copy(client, editor):
    client.force_login(editor)
    r = client.post("/draft/", {"text": LONG[1][1], "reported_on": "2014-02-13"})
    assert r.status_code == 200
    html = r.content.decode()
    assert MESSAGE_FR in html
    assert "No claim was found in this copy" not in html


# ---------------------------------------------------------------------------
# Filtered by: the queue's form and the API agree


@pytest.fixture
def mixed(db):  # type: ignore[no-untyped-def]
    return {
        "fr": ClaimFactory(text=FRENCH, language="fr"),
        "en": ClaimFactory(language="en"),
        "uk": ClaimFactory(text="Загинули 12 людей.", language="uk", status="in_review"),
        "unknown": ClaimFactory(text="51 killed", language=""),
    }


@pytest.mark.parametrize("query", ["language=fr", "language=en", "language=uk&status=in_review"])
def test_the_queue_and_the_api_filter_by_language_alike(client, checker, mixed, query):
    from rest_framework.test import APIClient

    client.force_login(checker)
    page = {c.pk for c in client.get(f"/queue/new/?{query}").context["page"]}
    api = APIClient()
    api.force_authenticate(checker)
    listed = {c["id"] for c in api.get(f"/api/v1/claims/?{query}&status=new").json()["results"]}
    if "status=in_review" in query:
        # The "new" queue fixes the status; the API takes the user's.
        assert page == set()
        listed = {c["id"] for c in api.get(f"/api/v1/claims/?{query}").json()["results"]}
        assert listed == {mixed["uk"].pk}
        return
    assert page == listed == {mixed[query.split("=")[1]].pk}


def test_the_queues_filter_form_offers_the_languages(client, checker):
    client.force_login(checker)
    form = client.get("/queue/new/").context["form"]
    assert ("fr", "French") in list(form.fields["language"].choices)


def test_an_unknown_language_is_a_bad_filter(client, checker, mixed):
    client.force_login(checker)
    r = client.get("/queue/new/?language=xx")
    assert r.status_code == 400
    assert "These filters are not valid" in r.content.decode()
