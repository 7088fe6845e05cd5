"""Plain data passed in and out of the parser; no Django here, the views map rows onto these."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import MISSING, dataclass, fields
from datetime import date
from typing import Any, TypeVar

_T = TypeVar("_T")
_set = object.__setattr__


def _quick_init(cls: type[_T]) -> type[_T]:
    """A frozen dataclass whose instances are made by setting their attribute dict at once.

    The parser makes some twenty of these per sentence, and the __init__ that dataclasses
    writes for a frozen class sets each field through object.__setattr__: one call per
    field, a twentieth of the parse. This __init__ takes the same parameters (from the
    class's own fields, so it cannot drift from them) and sets all of them in one call;
    equality, hashing, repr and immutability stay the dataclass's."""
    params = []
    defaults: dict[str, Any] = {"_set": _set}
    for f in fields(cls):  # type: ignore[arg-type]
        if f.default is MISSING:
            params.append(f.name)
        else:
            defaults[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    values = ", ".join(f"{f.name!r}: {f.name}" for f in fields(cls))  # type: ignore[arg-type]
    source = f"def __init__(self, {', '.join(params)}):\n    _set(self, '__dict__', {{{values}}})\n"
    exec(source, defaults)  # noqa: S102 - our own source, built from the class's fields
    init = defaults["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    cls.__init__ = init  # type: ignore[method-assign]
    return cls


def maker(cls: Callable[..., _T]) -> Callable[..., _T]:
    """A function that makes an instance of the dataclass `cls` from the same arguments as
    cls(...), setting each field itself (a frozen class must be made with _quick_init).

    Calling a class goes through type.__call__, which finds __init__ and calls it from C
    with an argument tuple (and a dict for keywords) built for it: several times the cost
    of a function call, for the few objects a sentence makes in the grammars' inner loops.
    The instance is the class's own; only the way it is made differs."""
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls!r} has a __post_init__, which maker would not call")
    params = []
    namespace: dict[str, Any] = {"_new": object.__new__, "_cls": cls}
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    for f in fields(cls):  # type: ignore[arg-type]
        if f.default_factory is not MISSING:
            raise TypeError(f"{cls!r}.{f.name} has a default factory, which maker would not call")
        if f.default is MISSING:
            params.append(f.name)
        else:
            namespace[f"_default_{f.name}"] = f.default
            params.append(f"{f.name}=_default_{f.name}")
    if getattr(cls, "__dataclass_params__").frozen:  # noqa: B009
        # A frozen class made with _quick_init: its attribute dict set at once, as there.
        values = ", ".join(f"{name!r}: {name}" for name in names)
        sets = f"    _set(obj, '__dict__', {{{values}}})\n"
        namespace["_set"] = _set
    else:
        sets = "".join(f"    obj.{name} = {name}\n" for name in names)
    source = f"def make({', '.join(params)}):\n    obj = _new(_cls)\n{sets}    return obj\n"
    exec(source, namespace)  # noqa: S102 - our own source, built from the class's fields
    make = namespace["make"]
    make.__qualname__ = f"{getattr(cls, '__qualname__', 'cls')}.make"
    return make  # type: ignore[no-any-return]


def evolve(obj: _T, **changes: Any) -> _T:
    """dataclasses.replace for the classes made with _quick_init: a copy of the attribute
    dict with the changes, without reading the fields one by one."""
    new = object.__new__(type(obj))
    _set(new, "__dict__", {**obj.__dict__, **changes})
    return new


@dataclass(frozen=True)
class KnownSource:
    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class KnownPlace:
    id: int
    name: str
    country: str
    kind: str
    aliases: tuple[str, ...] = ()


@_quick_init
@dataclass(frozen=True)
class PlaceMatch:
    """A place the parser read. `name` is the gazetteer's (or the desk's) name of the entry,
    `words` the text it was read from ("Syria's largest city"; "" when it comes from the
    story's context) and `spelled` the place's name as the copy spells it when the copy names
    it ("Kharkov" for the gazetteer's Kharkiv), which is what the desk shows and answers."""

    name: str
    country: str
    kind: str
    words: str
    confidence: float
    place_id: int | None = None
    geonameid: int | None = None
    spelled: str = ""

    @property
    def display_name(self) -> str:
        """The name to show and answer: the copy's spelling of a gazetteer place, the desk's
        own name for one of its places."""
        if self.place_id is None and self.spelled:
            return self.spelled
        return self.name


@_quick_init
@dataclass(frozen=True)
class SourceMatch:
    source_id: int | None
    name: str | None
    source_text: str
    score: float


@dataclass(frozen=True)
class ParseContext:
    sources: tuple[KnownSource, ...] = ()
    places: tuple[KnownPlace, ...] = ()
    main_place: PlaceMatch | None = None
    tolerance: float = 0.10


@_quick_init
@dataclass(frozen=True)
class Quantity:
    value_low: int
    value_high: int | None
    qualifier: str
    unit: str
    words: str


@_quick_init
@dataclass(frozen=True)
class TimeFrame:
    start: date
    end: date
    kind: str
    words: str


@_quick_init
@dataclass(frozen=True)
class ParsedClaim:
    text: str
    value_low: int | None
    value_high: int | None
    qualifier: str | None
    unit: str
    event: str | None
    population: str
    place: PlaceMatch | None
    period_start: date | None
    period_end: date | None
    period_kind: str | None
    time_expression: str
    source: SourceMatch | None
    source_text: str
    confidence: float
    # "could rise to 1,000", "is expected to reach": a figure someone foresees, not a count.
    projection: bool = False

    @classmethod
    def empty(cls, text: str) -> ParsedClaim:
        """A reading of nothing: the text, and no figure, event, place, period or source."""
        return cls(
            text=text,
            value_low=None,
            value_high=None,
            qualifier=None,
            unit="",
            event=None,
            population="all",
            place=None,
            period_start=None,
            period_end=None,
            period_kind=None,
            time_expression="",
            source=None,
            source_text="",
            confidence=0.0,
        )

    def as_dict(self) -> dict[str, Any]:
        place = None
        if self.place is not None:
            place = {
                "name": self.place.display_name,
                "country": self.place.country,
                "confidence": self.place.confidence,
            }
        source = None
        if self.source is not None and self.source.source_id is not None:
            source = {"id": self.source.source_id, "name": self.source.name}
        return {
            "text": self.text,
            "value_low": self.value_low,
            "value_high": self.value_high,
            "qualifier": self.qualifier,
            "unit": self.unit,
            "event": self.event,
            "population": self.population,
            "place": place,
            "period_start": self.period_start.isoformat() if self.period_start else None,
            "period_end": self.period_end.isoformat() if self.period_end else None,
            "period_kind": self.period_kind,
            "time_expression": self.time_expression,
            "source": source,
            "source_text": self.source_text,
            "confidence": self.confidence,
            "projection": self.projection,
        }


@_quick_init
@dataclass(frozen=True)
class Candidate:
    """One figure a story gives, or one attributed statement without a figure.

    `start`/`end` are the story offsets of the figure phrase ("at least 51 people"); for a
    statement without a figure they are the sentence's. A sentence with three counts gives
    three candidates that share `sentence_start`/`sentence_end`."""

    sentence: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    parsed: ParsedClaim
    confidence: float
    has_number: bool

    @property
    def words(self) -> str:
        """The figure phrase as the story gives it."""
        return self.sentence[self.start - self.sentence_start : self.end - self.sentence_start]
