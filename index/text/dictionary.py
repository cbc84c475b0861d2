"""Whether a word is Danish, and its dictionary forms: Debian's hunspell-da through the hunspell binding.

A word the dictionary accepts is a real word, never "corrected" to the nearest word the articles
use ("besætning" is no typo of "sætning", "broen" none of "brød"); a real word the articles lack
is news to the library, which the decline and "Ordet … står ikke i artiklerne" must see. The
dictionary is a well-kept list of the language, not of any library: it is the same for every
municipality's articles.

hunspell-da builds words from its compound flags, some of them nonsense ("årsagn" = års + agn,
"kordinerede" = ko + dinerede): a word accepted only as a compound whose first part is shorter
than `MIN_MODIFIER` letters is not taken for a whole word. A real compound has a modifier of
several letters ("demens-konsulent", "nord-by").

Loaded once per process (0.3-0.6 s); each lookup takes about 0.2 ms and is cached. The binding
holds the interpreter lock through every call, so one dictionary serves every thread.

`make install` installs hunspell-da (scripts/ensure-dictionary.sh). Where it, or the binding, is
missing all the same, questions are still answered (`reading_dictionary`): the process logs once, in
Danish, what to install, and reads words with wordfreq's list alone (a real word wordfreq lacks may
then be taken for a typo, and no inflection meets its lemma).
"""

from __future__ import annotations

import importlib
import logging
import threading
from functools import lru_cache
from pathlib import Path
from types import ModuleType


def _binding() -> ModuleType | None:
    try:
        return importlib.import_module("hunspell")
    except ImportError:  # pip could not build it (no libhunspell-dev): see `reading_dictionary`
        return None


hunspell = _binding()

DICTIONARY_DIR = Path("/usr/share/hunspell")
DICTIONARY_NAME = "da_DK"
# A compound's first part must be at least this long for the compound to count as a word.
MIN_MODIFIER = 4
# hunspell reads at most 100 bytes of a word; no Danish word is that long.
_MAX_LETTERS = 60
_CACHE = 50_000


_LOG = logging.getLogger(__name__)


class DictionaryMissingError(RuntimeError):
    """Debian's Danish dictionary, or its binding, is not installed (Danish message: what to install)."""

    def __init__(self, folder: Path, binding: bool = False) -> None:
        super().__init__(
            "Python-pakken `hunspell` mangler (den bygges mod libhunspell-dev). Installér den med `make install`."
            if binding else
            f"Den danske ordbog ({DICTIONARY_NAME}.dic og .aff) findes ikke i {folder}. Installér den med "
            "`make install` eller som root: `apt-get install hunspell-da`."
        )


class DanishDictionary:
    """hunspell-da: is a word Danish, and what are its dictionary forms ("udløste" -> "udløse")."""

    def __init__(self, folder: Path = DICTIONARY_DIR) -> None:
        dic, aff = folder / f"{DICTIONARY_NAME}.dic", folder / f"{DICTIONARY_NAME}.aff"
        if not (dic.is_file() and aff.is_file()):
            raise DictionaryMissingError(folder)
        if hunspell is None:
            raise DictionaryMissingError(folder, binding=True)
        self._hunspell = hunspell.HunSpell(str(dic), str(aff))
        self._encoding = self._hunspell.get_dic_encoding()
        self.is_word = lru_cache(maxsize=_CACHE)(self._is_word)
        self.lemmas = lru_cache(maxsize=_CACHE)(self._lemmas)

    def _is_word(self, word: str) -> bool:
        """Whether the dictionary accepts the word whole, not as a compound of a short first part.

        Args:
            word: a lower-cased word.

        Returns:
            True for a Danish word.
        """
        if not self._encodable(word) or not self._hunspell.spell(word):
            return False
        analyses = [a.decode(self._encoding, "replace") for a in self._hunspell.analyze(word)]
        if not analyses:
            return True
        for analysis in analyses:
            # A compound's analysis names its last part ("pa:dinerede"); one without is a stem of its own.
            if "pa:" not in analysis:
                return True
            head = analysis.split("pa:", 1)[1].split()[0]
            if len(word) - len(head) >= MIN_MODIFIER:
                return True
        return False

    def _lemmas(self, word: str) -> tuple[str, ...]:
        """The word's dictionary forms ("anbragt" -> "anbringe", "slog" -> "slå"), lower-cased.

        Args:
            word: a lower-cased word.

        Returns:
            Its lemmas, once each; none for a word the dictionary does not know.
        """
        if not self._encodable(word):
            return ()
        found = (lemma.decode(self._encoding, "replace").lower() for lemma in self._hunspell.stem(word))
        return tuple(dict.fromkeys(found))

    def _encodable(self, word: str) -> bool:
        if not word or len(word) > _MAX_LETTERS:
            return False
        try:
            word.encode(self._encoding)
        except (UnicodeEncodeError, LookupError):
            return False
        return True


_LOCK = threading.Lock()
_LOADED: dict[Path, DanishDictionary] = {}


def danish_dictionary(folder: Path = DICTIONARY_DIR) -> DanishDictionary:
    """The process's Danish dictionary, loaded on first use.

    Args:
        folder: where hunspell-da's files are.

    Returns:
        The dictionary.

    Raises:
        DictionaryMissingError: hunspell-da is not installed there.
    """
    with _LOCK:
        if folder not in _LOADED:
            _LOADED[folder] = DanishDictionary(folder)
        return _LOADED[folder]


class NoDictionary:
    """Stands in for a missing dictionary: it knows no word and no lemma; `reason` says what to install."""

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def is_word(self, word: str) -> bool:
        return False

    def lemmas(self, word: str) -> tuple[str, ...]:
        return ()


def reading_dictionary(folder: Path = DICTIONARY_DIR) -> DanishDictionary | NoDictionary:
    """The dictionary questions are read with: hunspell-da, or, when it is missing, none (logged once).

    Args:
        folder: where hunspell-da's files are.

    Returns:
        The dictionary, or a `NoDictionary` holding the Danish message of what to install.
    """
    try:
        return danish_dictionary(folder)
    except DictionaryMissingError as missing:
        with _LOCK:
            if folder not in _MISSING:
                _MISSING[folder] = NoDictionary(str(missing))
                _LOG.warning("%s Spørgsmål læses indtil da uden ordbogen: kun med wordfreqs ordliste.", missing)
            return _MISSING[folder]


_MISSING: dict[Path, NoDictionary] = {}
