"""Kinds of crisis a question names, and whether the articles speak of that kind at all.

"Hvordan kommunikerede kommunen under skovbranden?" asked of a library with no forest fire in it
shares nearly every word with the articles (kommunen, kommunikerede, borgerne, krisestaben) and
e5-small puts it as close to a flood report as an answerable question: neither the cosine nor the
share of known words can tell it. What tells it is that it names a kind of crisis no article
mentions in any word of that kind. The kinds below are the hazards of a Danish municipality's risk
assessment (the national risk profile's categories: epidemics, animal diseases, floods, storms,
extreme weather, fires in nature, cyber attacks, terror, accidents with dangerous substances,
transport accidents, supply failures, labour conflicts, migration), each with the words a Danish
article uses for it. A question is only declined when every kind it names is absent: an article
about a storm surge covers "skybruddet" (both are floods), so the rule declines less rather than
more; it never reads the cosine, so it does not drift with the library's size.

Words are matched as parts of the question's and the articles' stems ("skovbranden",
"skovbrandsberedskab"), so compounds and inflections count; the articles' side is read once per
index (`covered_hazards`).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping

from index.text.analyzer import DanishAnalyzer

# Kind -> the words that name it (stemmed when used). Specific to their kind: "brand" alone (also
# the fire service's word) or "olie" (also heating oil) would name a kind whenever an article spoke
# of something else. A word that names two kinds ("stormflod") is listed under the one it is. A
# word whose inflection drops a vowel is listed in both forms ("trussel", "truslen"): the stems
# differ.
HAZARD_WORDS: dict[str, tuple[str, ...]] = {
    "epidemi": ("pandemi", "epidemi", "covid", "corona", "korona", "coronavirus"),
    "husdyrsygdom": ("svinepest", "fugleinfluenza", "klovesyge", "kvægpest", "husdyrsygdom", "dyresygdom"),
    "mæslinger": ("mæslinger",),
    "tuberkulose": ("tuberkulose",),
    "meningitis": ("meningitis", "hjernehindebetændelse"),
    "legionella": ("legionella",),
    "oversvømmelse": ("oversvømmelse", "stormflod", "skybrud", "højvande", "digebrud", "vandmasser"),
    "storm": ("storm", "orkan", "stormvejr"),
    "sne og is": ("snestorm", "snefald", "snekaos", "snedrive", "isslag", "glatføre", "kuldebølge", "isstorm"),
    "hedebølge": ("hedebølge", "varmebølge", "hedeslag", "hedeperiode"),
    "tørke": ("tørke", "tørkeperiode", "vandmangel", "vandmanglen", "vandingsforbud"),
    "naturbrand": (
        "skovbrand", "naturbrand", "hedebrand", "lyngbrand", "plantagebrand", "markbrand", "klitbrand",
        "vegetationsbrand",
    ),
    "jordskælv": ("jordskælv",),
    "jordskred": ("jordskred", "skred"),
    "cyberangreb": ("cyberangreb", "cyber", "hacker", "ransomware", "løsesum", "itangreb", "malware", "dataangreb"),
    "terror": ("terror", "attentat"),
    "bombe": ("bombe", "bombetrussel", "bombetruslen", "sprængstof"),
    "voldsom hændelse": ("knivangreb", "knivstik", "skyderi", "skudepisode", "gidseltagning", "gerningsmand"),
    "togulykke": ("togulykke", "togkollision", "afsporing"),
    "flyulykke": ("flyulykke", "flystyrt"),
    "busulykke": ("busulykke",),
    "skibsulykke": ("færgeulykke", "forlis", "skibsulykke"),
    "kemikalier": ("kemikalie", "giftsky", "gasudslip", "ammoniak", "klorgas", "kemisk"),
    "atomulykke": ("atomulykke", "atomkraft", "kernekraft", "radioaktiv", "nuklear", "jodtablet", "stråling"),
    "olieudslip": ("olieudslip", "olieforurening", "tankskib"),
    "strømsvigt": ("strømafbrydelse", "strømsvigt", "strømnedbrud", "blackout", "strømudfald", "elnedbrud"),
    "energikrise": ("energikrise", "gasmangel", "gaspris", "elpris", "energipris", "gasforsyning", "energibesparelse"),
    "forurenet drikkevand": ("kolibakterie", "kogeanbefaling", "vandforurening", "drikkevandsforurening", "coli"),
    "flygtninge": ("flygtning", "asylansøger", "fordrevne", "migrant"),
    "krig": ("krig", "invasion"),
    "arbejdskonflikt": ("strejke", "lockout", "arbejdsnedlæggelse", "storkonflikt"),
}
# A stem this long names its kind inside a compound ("skovbrandsberedskab", "lærerlockouten"); a
# shorter one only as a word of its own, so that "stormøde" is no storm and "tørklæde" no drought.
MIN_PART_STEM = 6


def _stemmed(analyzer: DanishAnalyzer) -> dict[str, tuple[str, ...]]:
    return {
        kind: tuple(dict.fromkeys(analyzer.stem(word) for word in words)) for kind, words in HAZARD_WORDS.items()
    }


def _names(stem: str, form: str) -> bool:
    return stem == form or (len(stem) >= MIN_PART_STEM and stem in form)


def named_hazards(question: str, analyzer: DanishAnalyzer) -> dict[str, set[str]]:
    """The question's words that name a kind of crisis, with the kinds each names.

    Args:
        question: the question as typed ("maeslinger" reads as "mæslinger").
        analyzer: the index's analyzer.

    Returns:
        word as typed (lower case) -> the kinds it names; empty for most questions.
    """
    stemmed = _stemmed(analyzer)
    named: dict[str, set[str]] = {}
    for word in dict.fromkeys(analyzer.content_words(question)):  # a repeated word names the same kinds
        forms = {analyzer.stem(form) for form in analyzer.spellings(word)}
        kinds = {kind for kind, stems in stemmed.items() if any(_names(s, f) for s in stems for f in forms)}
        if kinds:
            named[word] = kinds
    return named


def covered_hazards(vocabulary: Iterable[str], analyzer: DanishAnalyzer) -> frozenset[str]:
    """The kinds of crisis the articles speak of: those with a word inside some vocabulary term.

    Inside, whatever its length: a kind counts as covered when in doubt, so the rule declines less.
    One substring search per word over the joined vocabulary, so a large index reads it in about a
    second.

    Args:
        vocabulary: the index's terms (stems).
        analyzer: the index's analyzer.

    Returns:
        The kinds.
    """
    joined = "\n" + "\n".join(vocabulary) + "\n"
    return frozenset(kind for kind, stems in _stemmed(analyzer).items() if any(s in joined for s in stems))


def uncovered_hazard(question: str, analyzer: DanishAnalyzer, covered: Collection[str]) -> str | None:
    """A word of the question naming a kind of crisis, when no kind it names is one the articles speak of.

    Args:
        question: the question as typed.
        analyzer: the index's analyzer.
        covered: the index's kinds (`covered_hazards`).

    Returns:
        The first such word as typed (lower case), or None.
    """
    return first_uncovered(named_hazards(question, analyzer), covered)


def first_uncovered(named: Mapping[str, set[str]], covered: Collection[str]) -> str | None:
    """The first word naming a kind of crisis, when no kind the question names is one the articles speak of.

    Every kind named must be absent: "drikkevand under hedebølgen" in a library with a heatwave
    report is answered, whatever else it names.

    Args:
        named: the question's words naming kinds (`named_hazards`).
        covered: the index's kinds (`covered_hazards`).

    Returns:
        The word as typed (lower case), or None.
    """
    if not named or any(kinds & set(covered) for kinds in named.values()):
        return None
    return next(iter(named))
