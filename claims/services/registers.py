"""The registers the claims point at: sources (with their aliases, merges, and the
re-mapping of the copy's source words when the register learns new names) and places
(found in the table or the gazetteer, created on demand). Also how a write names
them: `SourceRef`, `SourceName`, `PlaceName`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Min, Model, Q
from django.utils import timezone
from django.utils.translation import gettext

from claims import selectors
from claims.errors import ActionForbidden, InvalidInput
from claims.models import Attribution, Claim, ClaimEvent, Evidence, Place, Source, SourceAlias
from claims.parsing import gazetteer
from claims.parsing.sources import normalise_name, resolve_source
from claims.services.common import (
    queue_scan,
    queue_source_remap,
    record_event,
    save_claim,
    validate,
)
from claims.typing import Actor

# ---------------------------------------------------------------------------
# How a write names the sources and the place of a claim


@dataclass(frozen=True)
class SourceRef:
    """A source to attribute a claim to, with the words the copy used for it."""

    source: Source
    text: str = ""
    role: str = Attribution.Role.ATTRIBUTED_TO


@dataclass(frozen=True)
class PlaceName:
    """A place as an editor or a client names it, found or created by the write that
    uses it, after that write's permission check (a refused write creates no place)."""

    name: str
    country: str = ""


@dataclass(frozen=True)
class SourceName:
    """A source named by id or by the copy's words, with its role on the claim; resolved
    by the write that uses it, like `PlaceName`."""

    ref: int | str
    text: str = ""
    role: str = Attribution.Role.ATTRIBUTED_TO


def resolve_place(value: Any) -> Any:
    if isinstance(value, PlaceName):
        return place_resolve(name=value.name, country=value.country)
    return value


def resolve_sources(items: Iterable[Any] | None) -> list[SourceRef] | None:
    """SourceRefs for sources given as refs, `SourceName`s, ids or names; an unknown
    one is an InvalidInput naming it."""
    if items is None:
        return None
    items = list(items)
    named = [
        i.ref if isinstance(i, SourceName) else i for i in items if not isinstance(i, SourceRef)
    ]
    found = iter(source_resolve(named))
    refs: list[SourceRef] = []
    for item in items:
        if isinstance(item, SourceRef):
            refs.append(item)
            continue
        ref = next(found)
        if isinstance(item, SourceName):
            ref = SourceRef(source=ref.source, text=item.text, role=item.role)
        refs.append(ref)
    return refs


# ---------------------------------------------------------------------------
# Sources (admins only)

SOURCE_FIELDS = ("name", "kind", "url", "country", "grade", "notes", "active")


def _require_source_admin(actor: Actor) -> None:
    if not (actor.has_perm("claims.add_source") and actor.has_perm("claims.change_source")):
        raise ActionForbidden(gettext("Only admins may change the register of sources."))


def _save_checked(record: Model, what: str) -> None:
    """Save a row whose uniqueness `validate` has just checked.

    Two requests can both pass that check before either commits; the database's
    unique constraint then stops the second insert. The savepoint keeps the caller's
    transaction usable, and checking again (the first writer's row is visible now)
    refuses with the message the check gives, as a 400 rather than a crash."""
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError:
        validate(record, what)
        raise  # not a clash the check knows: a real fault


def _alias_taken(aliases: Iterable[SourceAlias]) -> InvalidInput:
    clashes = [
        gettext("%(alias)s already names %(source)s.")
        % {"alias": repr(a.name), "source": a.source.name}
        for a in aliases
    ]
    return InvalidInput(gettext("An alias is taken."), errors={"aliases": clashes})


def _add_alias(source: Source, name: str) -> None:
    """Insert an alias `_set_aliases` found free; one a racing request took meanwhile
    is refused as if the check had seen it."""
    try:
        with transaction.atomic():
            SourceAlias.objects.create(source=source, name=name)
    except IntegrityError:
        taken = SourceAlias.objects.filter(normalised=normalise_name(name)).exclude(source=source)
        if not taken.exists():
            raise
        raise _alias_taken(taken.select_related("source")) from None


def _set_aliases(source: Source, aliases: Iterable[str]) -> list[str]:
    """Make `aliases` the source's aliases; answers the names it added."""
    wanted: dict[str, str] = {}
    for name in aliases:
        name = (name or "").strip()
        if name and normalise_name(name) != normalise_name(source.name):
            wanted.setdefault(normalise_name(name), name)
    taken = (
        SourceAlias.objects.filter(normalised__in=wanted)
        .exclude(source=source)
        .select_related("source")
    )
    if taken:
        raise _alias_taken(taken)
    source.aliases.exclude(normalised__in=wanted).delete()
    existing = set(source.aliases.values_list("normalised", flat=True))
    added = []
    for key, name in wanted.items():
        if key not in existing:
            _add_alias(source, name)
            added.append(name)
    return added


@transaction.atomic
def source_create(*, actor: Actor, aliases: Iterable[str] = (), **fields: Any) -> Source:
    _require_source_admin(actor)
    source = Source(**{k: v for k, v in fields.items() if k in SOURCE_FIELDS})
    validate(source, "source")
    _save_checked(source, "source")
    added = _set_aliases(source, aliases)
    source_names_added(source=source, actor=actor, names=[source.name, *added])
    return source


@transaction.atomic
def source_update(
    *,
    source: Source,
    actor: Actor,
    changes: Mapping[str, Any],
    aliases: Iterable[str] | None = None,
) -> Source:
    _require_source_admin(actor)
    source = Source.objects.select_for_update().get(pk=source.pk)
    was = (source.name, source.active)
    for name, value in changes.items():
        if name in SOURCE_FIELDS:
            setattr(source, name, value)
    validate(source, "source")
    _save_checked(source, "source")
    added = _set_aliases(source, aliases) if aliases is not None else []
    # A new name, or a source back in use, can name words the register did not know.
    if (source.name, source.active) != was:
        added.insert(0, source.name)
    source_names_added(source=source, actor=actor, names=added)
    return source


def source_names_added(*, source: Source, actor: Actor | None, names: Sequence[str]) -> None:
    """After the register's change commits, queue the re-mapping of the claims whose
    unmapped source words the new names may now resolve (`claims_remap_sources`).
    A worker does it, so saving a source stays quick however many claims there are."""
    if names and source.active:
        queue_source_remap(source.pk, actor, names)


def source_resolve(names: Iterable[Any]) -> list[SourceRef]:
    """Turn source ids or names (as copy writes them) into SourceRefs through the
    aliases; an unknown one is an InvalidInput that names it."""
    refs: list[SourceRef] = []
    unknown: list[str] = []
    for item in names:
        if isinstance(item, int) and not isinstance(item, bool):
            source = Source.objects.filter(pk=item).first()
            if source is None:
                unknown.append(gettext("No source has id %(id)s.") % {"id": item})
            else:
                refs.append(SourceRef(source=source))
            continue
        text = str(item).strip()
        key = normalise_name(text)
        source = (
            Source.objects.filter(name__iexact=text).first()
            or Source.objects.filter(aliases__normalised=key).first()
        )
        if source is None:
            source = next((s for s in Source.objects.all() if normalise_name(s.name) == key), None)
        if source is None:
            unknown.append(
                gettext("No source is called %(name)s: map it to a source or ask an admin.")
                % {"name": repr(text)}
            )
        else:
            refs.append(SourceRef(source=source, text=text))
    if unknown:
        raise InvalidInput(gettext("Unknown source."), errors={"sources": unknown})
    return refs


def _remap_note(source: Source, words: str, added: Sequence[str]) -> str:
    if not added:
        return f"source words mapped to {source.name} by remap_sources"
    key = normalise_name(words)
    alias = next((a for a in added if normalise_name(a) == key), None)
    alias = alias or next((a for a in added if normalise_name(a) in key), added[0])
    return f"source words mapped to {source.name} after alias {alias!r} was added"


def _map_words(claim_id: int, words: str, source: Source, actor: Actor | None, note: str) -> bool:
    """Attribute one claim to the source its unmapped words name, if they still stand."""
    with transaction.atomic():
        claim = Claim.objects.select_for_update().filter(pk=claim_id).first()
        if claim is None or claim.source_text != words:
            return False  # edited meanwhile: the editor's words win
        attributions = claim.attributions.select_related("source")
        before = sorted(a.source.name for a in attributions)
        Attribution.objects.get_or_create(
            claim=claim,
            source=source,
            role=Attribution.Role.ATTRIBUTED_TO,
            defaults={"source_text": words[:200]},
        )
        claim.source_text = ""
        save_claim(claim, ["source_text"])
        changed: dict[str, Any] = {"source_text": [words, ""]}
        after = sorted(a.source.name for a in attributions.all())
        if after != before:
            changed["sources"] = [before, after]
        record_event(claim, actor, ClaimEvent.Kind.EDITED, note=note, details={"changed": changed})
        queue_scan(claim)
    return True


def claims_remap_sources(
    *, actor: Actor | None, source: Source | None = None, added: Sequence[str] = ()
) -> int:
    """Map the unmapped source words on claims (`Claim.source_text`) through the register
    as the parser reads it now. Each claim whose words resolve is attributed to the
    source, keeps the words on the attribution, loses them from `source_text`, gets a
    new version and a history row saying why. With `source`, only the claims whose
    words now name it (the names in `added` reached them); without, every claim the
    register maps. Answers how many claims it mapped: a second run finds none.

    Each claim is mapped in a transaction of its own, so a long run holds no lock on
    the claims it is not writing, and a run cut short keeps what it did."""
    if actor is not None:
        _require_source_admin(actor)
    context = selectors.parse_context()
    if source is not None and all(known.id != source.pk for known in context.sources):
        return 0  # inactive or gone: it names nothing
    resolved: dict[str, int | None] = {}
    todo: list[tuple[int, str, int]] = []
    unmapped = Claim.objects.exclude(source_text="").order_by("pk")
    for pk, words in unmapped.values_list("pk", "source_text").iterator():
        if words not in resolved:
            match = resolve_source(words, context.sources)
            resolved[words] = match.source_id if match else None
        source_id = resolved[words]
        if source_id is not None and (source is None or source_id == source.pk):
            todo.append((pk, words, source_id))
    sources = Source.objects.in_bulk({source_id for _, _, source_id in todo})
    mapped = 0
    for pk, words, source_id in todo:
        target = sources.get(source_id)
        if target is not None:
            note = _remap_note(target, words, added)
            mapped += _map_words(pk, words, target, actor, note)
    return mapped


@transaction.atomic
def source_merge(*, source: Source, into: Source | int, actor: Actor) -> Source:
    """Fold `source` into `into`, the source that survives, in one transaction.

    Attributions, evidence and aliases move to the survivor (an attribution it already
    has for the claim and role absorbs the duplicate), the old name becomes one of its
    aliases so copy that uses it resolves to the survivor from now on, and the links of
    (in)dependence move with them. Every claim touched gets a new version and a history
    row, the survivor a history record naming the merge. The old source is deleted
    rather than kept inactive: kept, its name (unique in the register) would still match
    before the alias does, and the desk would show two sources for one body; its
    history records stay, with who deleted it and why."""
    _require_source_admin(actor)
    if not actor.has_perm("claims.delete_source"):
        raise ActionForbidden(gettext("Only admins may merge sources."))
    into_id = into if isinstance(into, int) else into.pk
    if into_id == source.pk:
        raise InvalidInput(
            gettext("A source cannot be merged into itself."),
            errors={"into": [gettext("Pick another source to merge it into.")]},
        )
    locked = Source.objects.select_for_update().order_by("pk").in_bulk([source.pk, into_id])
    if into_id not in locked:
        raise InvalidInput(
            gettext("Unknown source."),
            errors={"into": [gettext("No source has id %(id)s.") % {"id": into_id}]},
        )
    if source.pk not in locked:
        raise InvalidInput(
            gettext("Unknown source."), errors={"source": [gettext("That source is gone.")]}
        )
    old, survivor = locked[source.pk], locked[into_id]
    note = f"source {old.name} merged into {survivor.name}"
    claim_ids = set(Attribution.objects.filter(source=old).values_list("claim_id", flat=True))
    claim_ids |= set(Evidence.objects.filter(source=old).values_list("claim_id", flat=True))
    before = _source_names(claim_ids)
    _move_attributions(old, survivor)
    Evidence.objects.filter(source=old).update(source=survivor)
    _move_aliases(old, survivor)
    survivor.depends_on.add(*old.depends_on.exclude(pk=survivor.pk))
    survivor.relayed_by.add(*old.relayed_by.exclude(pk=survivor.pk))
    after = _source_names(claim_ids)
    for record, reason in ((survivor, f"merged {old.name} into it"), (old, note)):
        record._history_user = actor  # type: ignore[attr-defined]
        record._change_reason = reason[:100]  # type: ignore[attr-defined]
    survivor.save()
    old.delete()
    _claims_touched_by_merge(claim_ids, actor, note, before, after, survivor)
    # Words left unmapped while the old entry was inactive name the survivor now.
    source_names_added(source=survivor, actor=actor, names=[old.name])
    return survivor


def _source_names(claim_ids: set[int]) -> dict[int, list[str]]:
    names: dict[int, list[str]] = {pk: [] for pk in claim_ids}
    rows = Attribution.objects.filter(claim_id__in=claim_ids).values_list(
        "claim_id", "source__name"
    )
    for claim_id, name in rows:
        if name not in names[claim_id]:
            names[claim_id].append(name)
    return {pk: sorted(found) for pk, found in names.items()}


def _move_attributions(old: Source, survivor: Source) -> None:
    """Point the old source's attributions at the survivor; where the claim already has
    the survivor in that role, keep that one (with the copy's words, if it had none)."""
    twins = {
        (a.claim_id, a.role): a
        for a in Attribution.objects.filter(
            source=survivor,
            claim_id__in=Attribution.objects.filter(source=old).values("claim_id"),
        )
    }
    duplicates = []
    for a in Attribution.objects.filter(source=old):
        twin = twins.get((a.claim_id, a.role))
        if twin is None:
            continue
        duplicates.append(a.pk)
        if a.source_text and not twin.source_text:
            twin.source_text = a.source_text
            twin.save(update_fields=["source_text"])
    Attribution.objects.filter(pk__in=duplicates).delete()
    Attribution.objects.filter(source=old).update(source=survivor)


def _move_aliases(old: Source, survivor: Source) -> None:
    survivor_key = normalise_name(survivor.name)
    old.aliases.filter(normalised=survivor_key).delete()
    old.aliases.update(source=survivor)
    key = normalise_name(old.name)
    if key != survivor_key and not SourceAlias.objects.filter(normalised=key).exists():
        try:
            with transaction.atomic():
                SourceAlias.objects.create(source=survivor, name=old.name)
        except IntegrityError:
            pass  # a request made it another source's alias meanwhile: that one stands


def _claims_touched_by_merge(
    claim_ids: set[int],
    actor: Actor,
    note: str,
    before: Mapping[int, list[str]],
    after: Mapping[int, list[str]],
    survivor: Source,
) -> None:
    """A new version and a history row for each claim a merge touched, and a scan of
    each of their blocks (one claim per block is enough to scan it)."""
    Claim.objects.filter(pk__in=claim_ids).update(
        version=F("version") + 1, updated_at=timezone.now()
    )
    ClaimEvent.objects.bulk_create(
        ClaimEvent(
            claim_id=pk,
            actor_id=actor.pk,
            kind=ClaimEvent.Kind.EDITED,
            note=note,
            details={
                "changed": {"sources": [before[pk], after[pk]]} if before[pk] != after[pk] else {},
                "merged_into": survivor.pk,
            },
        )
        for pk in sorted(claim_ids)
    )
    blocks = Claim.objects.filter(pk__in=claim_ids).values("event", "unit", "country")
    for pk in blocks.annotate(first=Min("pk")).values_list("first", flat=True):
        queue_scan(Claim(pk=pk))


# ---------------------------------------------------------------------------
# Places


@transaction.atomic
def place_resolve(*, name: str, country: str = "") -> Place:
    """Find a place by name (or alias) and country in the Place table or the
    gazetteer, creating it with its parent country on demand. A name neither
    knows is created under its country and marked for an admin to review."""
    name = (name or "").strip()
    country = (country or "").strip().upper()
    if not name:
        raise InvalidInput(
            gettext("The place needs a name."), errors={"place": [gettext("Give a name.")]}
        )
    found = gazetteer.lookup(name, country=country)
    if found is None and not country:
        raise InvalidInput(
            gettext("Unknown place."),
            errors={
                "place": [
                    gettext("%(name)s is not in the gazetteer: give its country code.")
                    % {"name": repr(name)}
                ]
            },
        )
    if found is not None:
        country = found.country
    existing = _place_in_table(name, country)
    if existing is not None:
        return existing
    country_place = _country_place(country)
    if found is None:
        return _place_create(
            name=name,
            country=country,
            kind=Place.Kind.CITY,
            parent=country_place,
            needs_review=True,
        )
    if found.kind == Place.Kind.COUNTRY:
        return country_place
    if found.geonameid is not None:
        by_id = Place.objects.filter(geonameid=found.geonameid).first()
        if by_id is not None:
            return by_id
    return _place_create(
        name=found.name,
        country=country,
        kind=found.kind,
        parent=country_place,
        geonameid=found.geonameid,
    )


def _place_in_table(name: str, country: str) -> Place | None:
    candidates = Place.objects.filter(country=country)
    exact = candidates.filter(name__iexact=name).order_by("kind").first()
    if exact is not None:
        return exact
    key = normalise_name(name)
    for place in candidates.exclude(aliases=[]):
        if any(normalise_name(a) == key for a in place.aliases):
            return place
    return None


def _country_place(code: str) -> Place:
    place = Place.objects.filter(country=code, kind=Place.Kind.COUNTRY).first()
    if place is not None:
        return place
    info = gazetteer.country_entry(code)
    if info is None:
        raise InvalidInput(
            gettext("Unknown country."),
            errors={
                "place": [gettext("%(code)s is not an ISO country code.") % {"code": repr(code)}]
            },
        )
    return _place_create(
        name=info.name, country=code, kind=Place.Kind.COUNTRY, geonameid=info.geonameid
    )


def _place_create(**fields: Any) -> Place:
    """Insert a place the table did not have. Requests naming the same new place race
    past that look-up; the unique constraints stop all but the first insert, and the
    others use its row, as they would have had they come a moment later."""
    try:
        with transaction.atomic():
            return Place.objects.create(**fields)
    except IntegrityError:
        same = Q(country=fields["country"], kind=fields["kind"], name=fields["name"])
        if fields.get("geonameid") is not None:
            same |= Q(geonameid=fields["geonameid"])
        existing = Place.objects.filter(same).first()
        if existing is None:
            raise
        return existing
