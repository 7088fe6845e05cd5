"""The language of a story or a claim, and what the desk says when it cannot read it.

The desk reads English copy. Everything else gets a plain message instead of a silent
"no claims found", so the detector has to be right about English above all: English
copy about a war is full of names (Kharkiv, Khan Younis, Maiduguri) that pull a
character-n-gram model towards other languages, and a headline gives it six words.
"""

from __future__ import annotations

import functools
import re
import threading
from typing import TYPE_CHECKING

from django.utils.translation import gettext, gettext_noop

from claims.parsing import ParsedClaim

if TYPE_CHECKING:
    from py3langid.langid import LanguageIdentifier

__all__ = [
    "READ_LANGUAGES",
    "choices",
    "detect",
    "name",
    "story_language",
    "unread_message",
    "unread_reading",
]

# The languages the desk reads: claims are parsed from copy in these.
READ_LANGUAGES: frozenset[str] = frozenset({"en"})

# The languages copy is likely to come to a news desk in. The model knows 140, many of
# them close cousins of a big language (Nigerian Pidgin, Tagalog, Walloon, Scots
# Gaelic...) that win on a short English or French text by a hair; leaving them out
# costs nothing for a desk and removes most of the odd answers.
CANDIDATES: frozenset[str] = frozenset(
    {
        "am", "ar", "az", "be", "bg", "bn", "bs", "ca", "cs", "da", "de", "el", "en",
        "es", "et", "fa", "fi", "fr", "ha", "he", "hi", "hr", "hu", "hy", "id", "it",
        "ja", "ka", "kk", "ko", "ku", "lt", "lv", "mk", "ms", "nl", "no", "pl", "ps",
        "pt", "ro", "ru", "sk", "sl", "so", "sq", "sr", "sv", "sw", "ta", "th", "tr",
        "uk", "ur", "uz", "vi", "zh",
    }
)  # fmt: skip

# A text needs this many words before the detector is asked at all: below it, "" says
# "we cannot tell", which is truer than a guess.
MIN_WORDS = 3
# The detector's probability (normalised over CANDIDATES) the winner needs; below it the
# answer is "".
MIN_CONFIDENCE = 0.5
# How much likelier than any other language English is taken to be before the text is
# read: nearly all of the desk's copy is English, and the evidence of a short English
# text is mostly names. Long texts outweigh the prior easily.
ENGLISH_PRIOR = 6.0
# A text is read without its names (capitalised words inside a sentence) when at least
# this many other words are left: the language is in the small words, and the names in
# English copy are mostly foreign.
NAME_FREE_WORDS = 3
# Words of English news copy that are not words of the other candidate languages
# written in Latin script. A short English headline is mostly names, and the
# character model is then often unsure; one of these words settles it for English
# when English is among the model's first three. ("on", "was", "of" and "at" are
# words in Estonian, German, Dutch and Danish, so they are not here.)
ENGLISH_MARKERS = frozenset(
    {
        "the", "with", "from", "after", "near", "says", "said", "were", "been", "have",
        "kill", "kills", "killed", "dead", "dies", "died", "injured", "wounded", "people",
        "toll", "amid", "against",
    }
)  # fmt: skip
# The language of a long story is settled well before its end.
MAX_CHARS = 5_000

_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_URL = re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE)
_SENTENCE_BREAK = re.compile(r"(?<=[.!?:;])\s+|\n+")
# Capitals that mark a name only mean that in Latin script: a Cyrillic or Greek text
# spells names its own way ("Харькове" is Russian, "Харкові" Ukrainian), so they count.
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")

_identifier: LanguageIdentifier | None = None
_lock = threading.Lock()


def _model() -> LanguageIdentifier:
    """The detector, loaded once per process on first use (it takes about a second)."""
    global _identifier
    if _identifier is None:
        with _lock:
            if _identifier is None:
                from py3langid.langid import MODEL_FILE
                from py3langid.langid import LanguageIdentifier as Identifier

                identifier = Identifier.from_model_file(MODEL_FILE, norm_probs=True)
                identifier.set_languages(sorted(CANDIDATES))
                _identifier = identifier
    return _identifier


def _evidence(text: str) -> str:
    """The words of `text` that speak for its language: without the Latin-script names
    inside its sentences when enough other words are left."""
    words: list[str] = []
    kept: list[str] = []
    for sentence in _SENTENCE_BREAK.split(text):
        for i, word in enumerate(_WORD.findall(sentence)):
            words.append(word)
            if i == 0:
                kept.append(word.lower())
            elif not (word[0].isupper() and _LATIN.match(word[0])):
                kept.append(word)
    return " ".join(kept if len(kept) >= NAME_FREE_WORDS else words)


def detect(text: str) -> str:
    """The ISO 639-1 code of the language `text` is written in, or "" when the text is
    too short or the detector is unsure."""
    text = _URL.sub(" ", (text or "")[:MAX_CHARS])
    if len(_WORD.findall(text)) < MIN_WORDS:
        return ""
    ranking = _model().rank(_evidence(text))
    scores = {code: p * (ENGLISH_PRIOR if code == "en" else 1.0) for code, p in ranking}
    total = sum(scores.values())
    if total <= 0:
        return ""
    code, best = max(scores.items(), key=lambda item: item[1])
    if best / total >= MIN_CONFIDENCE:
        return code
    leaders = sorted(scores, key=scores.__getitem__, reverse=True)[:3]
    if "en" in leaders and ENGLISH_MARKERS & {w.lower() for w in _WORD.findall(text)}:
        return "en"
    return ""


def story_language(headline: str, body: str) -> str:
    """A story's language: its body's, or its headline's when the body is too short to
    tell."""
    return detect(body) or detect(headline)


# Names of candidate languages that Django's own catalogue does not translate: ours does.
# (The others, "French", "Ukrainian" ..., Django's catalogue has.)
EXTRA_NAMES = (
    gettext_noop("Amharic"),
    gettext_noop("Bangla"),
    gettext_noop("Chinese"),
    gettext_noop("Hausa"),
    gettext_noop("Kurdish"),
    gettext_noop("Malay"),
    gettext_noop("Norwegian"),
    gettext_noop("Pushto"),
    gettext_noop("Somali"),
)


def name(code: str) -> str:
    """The language's name in the reader's language ("French", "الفرنسية"), or the code
    itself when unknown."""
    english = english_name(code)
    if not english or english == code:
        return english
    return gettext(english)


@functools.cache
def english_name(code: str) -> str:
    """The language's English name ("French"), or the code itself when unknown."""
    if not code:
        return ""
    import pycountry

    language = pycountry.languages.get(alpha_2=code) or pycountry.languages.get(alpha_3=code)
    if language is None:
        return code
    full: str = getattr(language, "common_name", None) or language.name
    # "Modern Greek (1453-)" and "Malay (macrolanguage)" are catalogue names.
    full = re.sub(r"\s*\(.*?\)", "", full)
    return full.removeprefix("Modern ")


def choices() -> list[tuple[str, str]]:
    """The languages the detector answers, for a filter: the ones the desk reads first,
    then the rest by name."""
    read = sorted((c, name(c)) for c in READ_LANGUAGES)
    others = sorted(((c, name(c)) for c in CANDIDATES - READ_LANGUAGES), key=lambda p: p[1])
    return read + others


def unread_message(code: str) -> str | None:
    """What the desk says about copy in `code` when it does not read that language;
    None for a language it reads, or when the language is unknown."""
    if not code or code in READ_LANGUAGES:
        return None
    read = " and ".join(sorted(name(c) for c in READ_LANGUAGES))
    return gettext("This looks like %(language)s; the desk reads %(read)s copy.") % {
        "language": name(code),
        "read": read,
    }


def unread_reading(text: str) -> ParsedClaim:
    """The reading of words in a language the desk does not read: nothing. The parser
    reads English, and what it made of other copy (a number here, a place name there)
    would look like a reading without being one."""
    return ParsedClaim.empty(text)
