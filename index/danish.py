"""Danish lexical analysis for BM25: terms for the index, and questions mapped onto them.

Leaders type the way people do: "sundhedsvaesenet" for "sundhedsvæsenet", "beredskap",
"kriseledelsesmøder" where the text says "kriseledelse", "KL" where another article says
"Kommunernes Landsforening". The document side stays plain (Snowball stems, stopwords out,
hyphenated words also joined, known abbreviations expanded). All tolerance lives on the query
side and is guided by the index vocabulary, so a fold or correction only ever lands on a word the
articles really use ("Aarhus" stays "Aarhus" when the articles say "Aarhus").
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Literal

import Stemmer

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


def idiom_words(text: str) -> set[str]:
    """The nouns of fixed phrases in `text` ("styr" in "få styr på"), lower-cased."""
    return {m.group(1).lower() for pattern in _IDIOMS for m in pattern.finditer(text)}


MatchKind = Literal["exact", "folded", "derived", "compound", "abbreviation", "typo", "unknown"]

_WORD = re.compile(r"[^\W_]+(?:[-‐‑'’`´][^\W_]+)*")
_JOINERS = re.compile(r"[-‐‑'’`´]")
_FOLDS = (("ae", "æ"), ("oe", "ø"), ("aa", "å"))
_MIN_TYPO_LEN = 5  # shorter words have too many neighbours at distance 1 to guess safely
_MAX_HEAD_EXPANSIONS = 8
# Danish makes nouns of verbs with these endings ("koordinere" -> "koordinering", "hamstre" ->
# "hamstring", "planlægge" -> "planlægning", "kommunikere" -> "kommunikation"). Snowball keeps
# them, so a question's noun would miss the article's verb, and the reverse.
# Each with the shortest base it is read off: a shorter one meets unrelated words ("regning" is no
# "regn" + "-ing", "ledning" no "led" + "-ning").
_NOUN_ENDINGS = {"ering": 4, "ation": 4, "ning": 4, "ing": 5}
_VERB_ENDINGS = ("e", "r", "t", "s")
_MIN_DERIVED_BASE = 4


@dataclass(frozen=True)
class TermMatch:
    """How one word of a question met the index vocabulary."""

    word: str
    how: MatchKind
    terms: tuple[str, ...] = ()
    spelling: str | None = None  # the word as the articles spell it, when it was folded or a typo

    @property
    def found(self) -> bool:
        return self.how != "unknown"


@dataclass
class _VocabularyView:
    """Lookup structures over one vocabulary, built once and reused for every question."""

    terms: frozenset[str]
    deletes: dict[str, list[str]] = field(default_factory=dict)
    by_suffix: dict[str, list[str]] = field(default_factory=dict)
    built: bool = False

    def build(self) -> None:
        for term in self.terms:
            if len(term) >= _MIN_TYPO_LEN - 1:
                # Keyed on the folded spelling, so "tvaersektorielt" still finds "tværsektoriel".
                folded = _fold(term)
                for key in {folded, *_deletes(folded)}:
                    self.deletes.setdefault(key, []).append(term)
            # Danish compounds are head-final: index every term under its tails so a question's
            # word can find the compounds that end in it ("møder" -> "kriseledelsesmøder").
            for cut in range(3, len(term) - 3):
                self.by_suffix.setdefault(term[cut:], []).append(term)
        self.built = True


class DanishAnalyzer:
    """Turns Danish text into BM25 terms, and questions into terms of a given vocabulary."""

    def __init__(self) -> None:
        self._stemmer = Stemmer.Stemmer("danish")
        self._stem = lru_cache(maxsize=200_000)(self._stemmer.stemWord)
        self._views: dict[int, tuple[Collection[str], _VocabularyView]] = {}

    @property
    def settings(self) -> dict[str, object]:
        return {
            "stemmer": "snowball-danish",
            "stopwords": len(STOPWORDS),
            "abbreviations": sorted(ABBREVIATIONS),
            "query_side": [
                "fold ae/oe/aa",
                "verb/noun derivations",
                "compounds",
                "abbreviations",
                f"typos (len >= {_MIN_TYPO_LEN})",
            ],
            "version": 3,
        }

    # --- document side -------------------------------------------------------------------------

    def words(self, text: str) -> list[str]:
        """Lower-cased words of `text`; a hyphenated word gives its parts and the joined form."""
        return [word for word, _ in _tokens(text)]

    def content_words(self, text: str) -> list[str]:
        return [w for w in self.words(text) if len(w) > 1 and w not in STOPWORDS]

    def stem(self, word: str) -> str:
        return self._stem(word)

    def spellings(self, word: str) -> list[str]:
        """`word` and its readings with ae/oe/aa as æ/ø/å ("maeslinger": also "mæslinger")."""
        return list(dict.fromkeys([word, *_fold_variants(word)]))

    def document_terms(self, text: str) -> list[str]:
        """Index-side terms: stems of content words, with known abbreviations spelled out."""
        terms: list[str] = []
        for word, upper in _tokens(text):
            # Only upper case marks an abbreviation in running text: "MED" is one, "med" is "with".
            if upper and word in ABBREVIATIONS:
                terms.append(word)
                terms.extend(self._stem(w) for w in ABBREVIATIONS[word].split() if w not in STOPWORDS)
            elif len(word) > 1 and word not in STOPWORDS:
                terms.append(self._stem(word))
        return terms

    # --- query side ----------------------------------------------------------------------------

    def query_terms(self, question: str, vocabulary: Collection[str]) -> list[str]:
        """The question's terms mapped onto `vocabulary`; words with no match are dropped."""
        return [term for match in self.explain_query(question, vocabulary) for term in match.terms]

    def explain_query(self, question: str, vocabulary: Collection[str]) -> list[TermMatch]:
        """One `TermMatch` per content word of the question, saying how (or whether) it matched."""
        view = self._view(vocabulary)
        matches: list[TermMatch] = []
        seen = idiom_words(question)  # a fixed phrase's noun is no topic word
        for word, upper in _tokens(question):
            abbreviation = word in ABBREVIATIONS and (upper or word not in STOPWORDS)
            if len(word) < 2 or (_is_stopword(word) and not abbreviation) or word in seen:
                continue
            seen.add(word)
            matches.append(self._match(word, view, abbreviation))
        return matches

    def respell(self, question: str, vocabulary: Collection[str]) -> str:
        """The question with ae/oe/aa readings and typos replaced by the articles' spelling.

        The embedding model reads "laegerne" and "samarbjede" poorly; the rest of the question is kept
        character for character, so only the words the lexical side already resolved change.
        """
        matches = self.explain_query(question, vocabulary)
        fixes = {m.word: m.spelling for m in matches if m.spelling}
        short = self._abbreviations_spelled_out(question, vocabulary)
        if not fixes and not short:
            return question

        def fix(match: re.Match[str]) -> str:
            token = match.group()
            spelling = fixes.get(token.lower())
            if spelling is None:
                return token
            return spelling.capitalize() if token[:1].isupper() else spelling

        respelled = _WORD.sub(fix, question)
        # The articles write "KL" where the leader writes "Kommunernes Landsforening": name both.
        return f"{respelled} ({', '.join(short)})" if short else respelled

    def _abbreviations_spelled_out(self, question: str, vocabulary: Collection[str]) -> list[str]:
        """Abbreviations the articles use whose full form the question writes out."""
        stems = {self._stem(word) for word in self.words(question)}
        return [
            short.upper()
            for short, full in ABBREVIATIONS.items()
            if short in vocabulary
            and short not in self.words(question)
            and all(self._stem(w) in stems for w in full.split() if w not in STOPWORDS)
        ]

    def without_unfound(self, text: str, vocabulary: Collection[str]) -> str | None:
        """`text` with the content words the articles never use taken out, or None when there are none.

        A word counts as unfound when it is unknown or only met as a compound of other words
        ("snerydningen", "kommunalvalg"); folded and typo-corrected words are the articles' own
        words and stay. The rest of the text is kept character for character.

        Args:
            text: a question, as typed or respelled.
            vocabulary: the index vocabulary.

        Returns:
            The reduced text (maybe only stopwords or empty), or None when nothing was taken out.
        """
        unfound = {m.word for m in self.explain_query(text, vocabulary) if m.how in ("unknown", "compound")}
        if not unfound:
            return None

        removed = False

        def drop(match: re.Match[str]) -> str:
            nonlocal removed
            token = match.group()
            # A hyphenated word goes when one of its parts is unused; its joined form alone says no more.
            if any(part.lower() in unfound for part in _JOINERS.split(token) if part):
                removed = True
                return ""
            return token

        reduced = _WORD.sub(drop, text)
        return re.sub(r"\s+", " ", reduced).strip() if removed else None

    def coverage(self, question: str, vocabulary: Collection[str]) -> float:
        """Share of the question's content words the articles use (derived words, compounds, typos: 3/4); 0 if none."""
        matches = self.explain_query(question, vocabulary)
        if not matches:
            return 0.0
        weight = {
            "exact": 1.0,
            "folded": 1.0,
            "abbreviation": 1.0,
            "derived": 0.75,
            "compound": 0.75,
            "typo": 0.75,
            "unknown": 0.0,
        }
        return sum(weight[m.how] for m in matches) / len(matches)

    def _match(self, word: str, view: _VocabularyView, abbreviation: bool) -> TermMatch:
        vocab = view.terms
        if abbreviation:
            terms = [word] if word in vocab else []
            terms += [t for t in (self._stem(w) for w in ABBREVIATIONS[word].split()) if t in vocab]
            if terms:
                return TermMatch(word, "abbreviation", tuple(dict.fromkeys(terms)))
        stem = self._stem(word)
        if stem in vocab:
            return TermMatch(word, "exact", (stem,))
        readings = [(v, self._stem(v)) for v in _fold_variants(word)]
        folded = [(v, s) for v, s in readings if s in vocab]
        if folded:
            return TermMatch(word, "folded", tuple(dict.fromkeys(s for _, s in folded)), spelling=folded[0][0])
        derived = self._derivations(word, stem, vocab)
        if derived:
            return TermMatch(word, "derived", derived)
        parts = self._split_compound(word, vocab)
        if parts:
            return TermMatch(word, "compound", parts)
        heads = self._heads(stem, view)
        if heads:
            return TermMatch(word, "compound", heads)
        typos, whole_word = self._typo_candidates(word, stem, view)
        if typos:
            # Keep the word's own ending on the corrected stem: "samarbjede" -> "samarbejd" + "e";
            # a stem the whole word was near already holds the ending the typo made the stemmer drop.
            ending = word[len(stem) :] if word.startswith(stem) and not whole_word else ""
            return TermMatch(word, "typo", typos, spelling=typos[0] + ending)
        return TermMatch(word, "unknown")

    def _derivations(self, word: str, stem: str, vocab: Collection[str]) -> tuple[str, ...]:
        """Vocabulary stems of the same verb or its noun ("hamstring" -> "hamstr", "hamstr" -> "hamstring")."""
        found: list[str] = []
        for ending, shortest_base in _NOUN_ENDINGS.items():
            base = stem[: -len(ending)]
            if stem.endswith(ending) and len(base) >= shortest_base:
                # The verb's stem is the base itself ("planlæg-ning") or what Snowball makes of the
                # infinitive ("koordiner-ing" -> "koordinere" -> "koordin").
                found += [t for t in (base, self._stem(base + "e")) if len(t) >= _MIN_DERIVED_BASE and t in vocab]
        # Only a word that ends as Danish verbs do (-e, -er, -et, -es, -ede, -te) is read as a verb:
        # "nødundervisnig" is a typo of the noun, not a verb of it.
        if len(stem) >= _MIN_DERIVED_BASE and word.endswith(_VERB_ENDINGS):
            # A doubled consonant before -ing: "omstil" -> "omstilling".
            nouns = [stem + ending for ending in _NOUN_ENDINGS] + [stem + stem[-1] + "ing"]
            found += [t for t in nouns if t in vocab]
        return tuple(dict.fromkeys(t for t in found if t != stem))

    def _heads(self, stem: str, view: _VocabularyView) -> tuple[str, ...]:
        """Compounds in the vocabulary whose head is `stem` ("mød" -> "kriseledelsesmød")."""
        if len(stem) < 5:
            return ()
        hits = [t for t in view.by_suffix.get(stem, ()) if t != stem]
        hits.sort(key=len)
        return tuple(hits[:_MAX_HEAD_EXPANSIONS])

    def _split_compound(self, word: str, vocab: Collection[str]) -> tuple[str, ...]:
        """Split `word` into a modifier and a head that both stem into the vocabulary."""
        best: tuple[str, ...] = ()
        best_len = 0
        for cut in range(3, len(word) - 2):
            left, right = word[:cut], word[cut:]
            right_stem = self._stem(right)
            if right_stem not in vocab:
                continue
            # Danish links compound parts with -s- or -e- ("kriseledelse-s-møder").
            for modifier in dict.fromkeys((left, left[:-1] if left[-1:] in "se" else left)):
                left_stem = self._stem(modifier)
                if len(modifier) >= 3 and left_stem in vocab and min(len(modifier), len(right)) > best_len:
                    best, best_len = (left_stem, right_stem), min(len(modifier), len(right))
        return best

    def _typo_candidates(self, word: str, stem: str, view: _VocabularyView) -> tuple[tuple[str, ...], bool]:
        """The vocabulary stems nearest the word's stem, or failing that nearest the word itself
        (a typo can change which ending the stemmer strips: "nødundervisnig" stems to
        "nødundervisn", three edits from "nødundervisning", while the word is one edit from it).

        Returns:
            (the nearest stems, sorted; whether they were found from the whole word).
        """
        if len(word) < _MIN_TYPO_LEN or len(stem) < _MIN_TYPO_LEN:
            return (), False
        for probe, whole_word in ((_fold(stem), False), (_fold(word), True)):
            found = self._near_terms(probe, view)
            if found:
                nearest = min(found.values())
                return tuple(sorted(t for t, d in found.items() if d == nearest)), whole_word
        return (), False

    @staticmethod
    def _near_terms(probe: str, view: _VocabularyView) -> dict[str, int]:
        """Vocabulary terms within 1 edit of `probe` (2 from 8 letters), with their distances."""
        max_distance = 1 if len(probe) < 8 else 2
        found: dict[str, int] = {}
        keys = {probe, *_deletes(probe)}
        if max_distance == 2:
            keys |= {twice for once in _deletes(probe) for twice in _deletes(once)}
        for key in keys:
            for term in view.deletes.get(key, ()):
                distance = _osa_distance(_fold(term), probe, max_distance)
                if distance <= max_distance:
                    found[term] = min(distance, found.get(term, distance))
        return found

    def _view(self, vocabulary: Collection[str]) -> _VocabularyView:
        # Keyed by identity: the searcher passes the same vocabulary object for every question.
        cached = self._views.get(id(vocabulary))
        if cached is not None and cached[0] is vocabulary:
            return cached[1]
        view = _VocabularyView(frozenset(vocabulary))
        view.build()
        self._views = {id(vocabulary): (vocabulary, view)}
        return view


def _tokens(text: str) -> Iterator[tuple[str, bool]]:
    """(lower-cased word, was it written in capitals) for each word; hyphenated words also joined."""
    for match in _WORD.finditer(text):
        token = match.group()
        parts = [p for p in _JOINERS.split(token) if p]
        for part in parts:
            yield part.lower(), len(part) > 1 and part.isupper()
        # "hjemme-arbejde" also meets "hjemmearbejde"; long chains are URLs, not words.
        if 1 < len(parts) <= 3 and any(hyphen in token for hyphen in "-‐‑"):
            yield "".join(parts).lower(), False


def _is_stopword(word: str) -> bool:
    """A stopword, also when typed with ae/oe/aa ("paa", "naar"): it carries no topic either way."""
    return word in STOPWORDS or any(variant in STOPWORDS for variant in _fold_variants(word))


def _fold(text: str) -> str:
    """æ/ø/å written out as ae/oe/aa, so both spellings compare equal."""
    return text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def _fold_variants(word: str) -> Iterator[str]:
    """Every reading of `word` with some of its ae/oe/aa as æ/ø/å ("sundhedsvaesenet")."""
    digraphs = dict(_FOLDS)

    def readings(rest: str, budget: int) -> Iterator[str]:
        if not rest:
            yield ""
            return
        head = rest[:2]
        if budget and head in digraphs:
            for tail in readings(rest[2:], budget - 1):
                yield digraphs[head] + tail
        for tail in readings(rest[1:], budget):
            yield rest[0] + tail

    # A real word has few such pairs; the budget bounds the work on garbage input.
    for variant in readings(word, 4):
        if variant != word:
            yield variant


def _deletes(term: str) -> set[str]:
    return {term[:i] + term[i + 1 :] for i in range(len(term))}


def _osa_distance(a: str, b: str, limit: int) -> int:
    """Optimal-string-alignment distance (Levenshtein plus adjacent swaps), cut off above `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and a[i - 1] == b[j - 2] and a[i - 2] == b[j - 1]:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)
