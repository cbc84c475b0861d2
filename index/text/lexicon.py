"""The Danish words the analyser knows by heart: stopwords, abbreviations, fixed phrases, and what a word is.

Lists of the language and of Danish public administration, not of any one article. Every part of
the product that asks "is this a word worth reading?" (BM25, the decline checks, highlighting,
follow-ups) reads these lists, so they never disagree.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from index.text.spelling import fold_variants

# Snowball's Danish stopword list, plus question framing and the abbreviations of running text
# ("fx", "bl.a.") that carry no topic.
_STOPWORD_TEXT = """
    og i jeg det at en den til er som på de med han af for ikke der var mig sig men et har om vi min havde ham
    hun nu over da fra du ud sin dem os op man hans hvor eller hvad skal selv her alle vil blev kunne ind når være
    dog noget ville jo deres efter ned skulle denne end dette mit også under have dig anden hende mine alt meget
    sit sine vor mod disse hvis din nogle hos blive mange ad bliver hendes været thi jer sådan
    hvordan hvorfor hvem hvilke hvilken hvilket hvornår hvorledes mon kan får fik
    sagde siger sige sagt fortæl fortalte fortæller vis vise citat citater nævn nævnte
    fx bl ml pga mfl ift pt ca osv dvs evt mm jf
    blandt mellem gennem omkring uden hos igen stadig altid aldrig allerede både samt fordi mens selvom
    hvilken hvilket andre anden andet nogen noget nogle ingen hver hele helt lige især mere mest mindre
    gøre gør gjorde gjort giver gav givet kom komme kommer tage tager tog taget se ser så set få
    bare vel nok også godt sig måske rigtig sådanne sådant
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())

# Abbreviations of Danish public administration that articles use bare and users spell out (or the
# reverse). Domain knowledge, not facts about any one article.
ABBREVIATIONS: dict[str, str] = {
    "kl": "kommunernes landsforening",
    "plo": "praktiserende lægers organisation",
    "med": "medindflydelse medbestemmelse",
    "sst": "sundhedsstyrelsen",
    "ssi": "statens serum institut",
    "stps": "styrelsen for patientsikkerhed",
    "lms": "lægemiddelstyrelsen",
    "dr": "danmarks radio",
    "ft": "folketinget",
    "sosu": "social og sundhed",
    "it": "informationsteknologi",
}

# Fixed Danish phrases whose noun says nothing of the topic: "få styr på værnemidlerne" is about
# værnemidler, and its "styr" would otherwise meet "Styrelsen" (Snowball stems both to "styr").
_IDIOM_TEXT = r"""
    (?:få|får|fik|fået|holde|holder|holdt|have|har|havde|skabe|skaber|skabte)\s+(?:\w+\s+)?(styr)\s+på
    (?:tage|tager|tog|taget)\s+(hånd)\s+om
    (?:tage|tager|tog|taget)\s+(højde)\s+for
    (?:tage|tager|tog|taget)\s+(stilling)\s+til
    (?:tage|tager|tog|taget)\s+(fat)\s+(?:i|på)
    (?:gøre|gør|gjorde|gjort)\s+(brug)\s+af
    (?:komme|kommer|kom|kommet|gå|går|gik|gået|sætte|sætter|satte|sat)\s+(?:\w+\s+)?i\s+(gang)
    (?:holde|holder|holdt|få|får|fik|fået)\s+(øje)\s+(?:med|på)
    (?:lægge|lægger|lagde|lagt)\s+(vægt)\s+på
    (?:give|giver|gav|givet)\s+(udtryk)\s+for
    (?:komme|kommer|kom|kommet)\s+til\s+(kort)
"""
_IDIOMS = [re.compile(rf"\b{line.strip()}\b", re.IGNORECASE) for line in _IDIOM_TEXT.strip().splitlines()]

# A word: letters and digits, joined by hyphens or apostrophes ("hjemme-arbejde", "KL's").
WORD = re.compile(r"[^\W_]+(?:[-‐‑'’`´][^\W_]+)*")
JOINERS = re.compile(r"[-‐‑'’`´]")


def idiom_words(text: str) -> set[str]:
    """The nouns of fixed phrases in `text` ("styr" in "få styr på"), lower-cased."""
    return {m.group(1).lower() for pattern in _IDIOMS for m in pattern.finditer(text)}


def tokens(text: str) -> Iterator[tuple[str, bool]]:
    """(lower-cased word, was it written in capitals) for each word; hyphenated words also joined."""
    for match in WORD.finditer(text):
        token = match.group()
        parts = [p for p in JOINERS.split(token) if p]
        for part in parts:
            yield part.lower(), len(part) > 1 and part.isupper()
        # "hjemme-arbejde" also meets "hjemmearbejde"; long chains are URLs, not words.
        if 1 < len(parts) <= 3 and any(hyphen in token for hyphen in "-‐‑"):
            yield "".join(parts).lower(), False


def is_stopword(word: str) -> bool:
    """A stopword, also when typed with ae/oe/aa ("paa", "naar"): it carries no topic either way.

    Args:
        word: a lower-cased word.

    Returns:
        True for a stopword in any of its spellings.
    """
    return word in STOPWORDS or any(variant in STOPWORDS for variant in fold_variants(word))
