"""The write side of corroboration: credibility 1, "confirmed by other sources", is
given only to a claim that two sources independent of each other say
(`claims.checks.corroboration`)."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.translation import gettext

from claims.checks import corroboration
from claims.errors import InvalidInput
from claims.models import Attribution, Credibility, Source
from claims.selectors.track_records import independence_links


def check_confirmed_by_others(*, credibility: int | None, says_so: Iterable[int]) -> None:
    """Refuse credibility 1 unless two of `says_so` (the ids of the sources that say what
    the claim says) are independent of each other. One query, only for credibility 1."""
    if credibility != Credibility.CONFIRMED:
        return
    ids = sorted(set(says_so))
    if len(ids) >= 2 and corroboration.is_corroborated(ids, independence_links()):
        return
    label = Credibility.CONFIRMED.label
    if len(ids) < 2:
        message = gettext(
            "“%(label)s” needs two sources independent of each other; it has fewer than two "
            "sources that say so."
        ) % {"label": label}
    else:
        names = ", ".join(Source.objects.filter(pk__in=ids).values_list("name", flat=True))
        message = gettext(
            "“%(label)s” needs two sources independent of each other; its sources "
            "(%(names)s) are not independent of each other."
        ) % {"label": label, "names": names}
    raise InvalidInput(message, errors={"credibility": [message]})


def sources_saying_so(roles_and_ids: Iterable[tuple[str, int]]) -> list[int]:
    """The ids of the sources whose role says what the claim says."""
    return [pk for role, pk in roles_and_ids if role in Attribution.SAYS_SO]
