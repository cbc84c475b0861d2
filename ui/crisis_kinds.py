"""The kinds of crisis an article's title and headings name, for the first screen's "Kriser: …" line.

For display only: nothing here declines a question or ranks a passage (the decline reads how new a
question's words are to the library itself, index/text/novelty.py; issue 26 took this list out of
it because a list misfires on articles written by others). Here a miss costs little: a kind the list
lacks is simply not named on the first screen. The kinds are the hazards of a Danish
municipality's risk assessment (the national risk profile's categories), each with the words a
Danish article uses for it; words are matched as parts of stems, so compounds and inflections
count ("skovbrandsberedskab").
"""

from __future__ import annotations

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
