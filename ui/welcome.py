"""The first screen: what the library holds, questions it answers, how to add to it.

Everything is read from the library that is loaded, never written for the seed articles: the
number of articles and passages, the kinds of crisis their titles and headings name (the index's
first screen's crisis words, `ui.crisis_kinds`), the publishers and years, and example questions made
from the articles' own headings, each kept only when the search answers it.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections import Counter

from pydantic import BaseModel

from index import Searcher
from index.text.analyzer import DanishAnalyzer
from ui import labels
from ui.answers import topic_suggestions
from ui.crisis_kinds import named_hazards
from ui.danish import WORD_RE, fold, is_content_word
from ui.escaping import escape

MAX_EXAMPLES = 4
MAX_TRIES = 12
MAX_LISTED = 8
# An example becomes a button label, which Streamlit reads as Markdown: only headings made of these
# characters are used, so no label can hold a link, an image or emphasis.
_INERT = re.compile(r"^[\wæøåÆØÅ ,’'\-–]+$")
_NUMBERING = re.compile(r"^\s*(?:\d+(?:\.\d+)*\.?|[A-Z]\.)\s+")
_analyzer = DanishAnalyzer()
_cache: weakref.WeakKeyDictionary[Searcher, LibraryOverview] = weakref.WeakKeyDictionary()
_cache_lock = threading.Lock()


class LibraryOverview(BaseModel):
    """What the first screen says about the library."""

    articles: int
    passages: int
    crises: list[tuple[str, int]]  # kind of crisis, number of articles naming it
    publishers: list[str]
    first_year: int | None = None
    last_year: int | None = None
    undated: int = 0
    examples: list[str] = []


def is_inert(text: str) -> bool:
    """Whether a text holds only letters, digits, spaces and a few punctuation marks (no markup possible)."""
    return bool(_INERT.match(text))


def example_of(heading: str) -> str | None:
    """The example question a heading makes, or None when it makes none.

    Args:
        heading: a section heading (a path "A › B": its last part is used).

    Returns:
        'Hvad skriver artiklerne om »Hjemmeplejen kørte på papir«?', or None for a heading about the
        article itself, one too short or long, one holding other characters (`is_inert`), or a label
        ("Spørgsmål: …").
    """
    last = _NUMBERING.sub("", heading.split(" › ")[-1]).strip()
    words = WORD_RE.findall(last)
    if not 2 <= len(words) <= 9 or not is_inert(last) or last.isupper() or not topic_suggestions([last]):
        return None
    if sum(1 for w in words if is_content_word(fold(w)) and len(w) >= 5) < 2:  # not "Kort fortalt", "Baggrund"
        return None
    return f"Hvad skriver artiklerne om »{last}«?"


def _answers(searcher: Searcher, question: str) -> bool:
    answer = searcher.search(question, k=3)
    return not answer.abstained and bool(answer.results) and answer.results[0].strength != "weak"


def example_questions(searcher: Searcher, kinds: dict[str, set[str]], limit: int = MAX_EXAMPLES) -> list[str]:
    """Questions made from the articles' headings that the search answers, from different articles.

    Articles whose kinds of crisis are not yet among the examples' come first, so the examples
    show the library's range. At most `MAX_TRIES` searches.

    Args:
        searcher: the loaded searcher.
        kinds: article id -> the kinds of crisis it names.
        limit: how many.

    Returns:
        Up to `limit` questions.
    """
    found: list[str] = []
    seen_kinds: set[str] = set()
    tries = 0
    remaining = list(searcher.articles)
    while remaining and len(found) < limit and tries < MAX_TRIES:
        fresh = next((a for a in remaining if not kinds.get(a.id, set()) <= seen_kinds), remaining[0])
        remaining.remove(fresh)
        sections, _ = searcher.article_outline(fresh.id)
        for heading in sections[1:] or sections:  # the first heading is most often the title
            question = example_of(heading)
            if question is None or question in found:
                continue
            tries += 1
            if _answers(searcher, question):
                found.append(question)
                seen_kinds |= kinds.get(fresh.id, set())
                break
            if tries >= MAX_TRIES:
                break
    return found


def overview(searcher: Searcher) -> LibraryOverview:
    """What the library holds, read once per loaded index.

    Args:
        searcher: the loaded searcher.

    Returns:
        The overview (cached for this searcher).
    """
    with _cache_lock:
        known = _cache.get(searcher)
    if known is not None:
        return known
    kinds: dict[str, set[str]] = {}
    for article in searcher.articles:
        sections, _ = searcher.article_outline(article.id)
        text = " ".join([article.title, *sections])
        kinds[article.id] = {kind for named in named_hazards(text, _analyzer).values() for kind in named}
    counted = Counter(kind for found in kinds.values() for kind in found)
    years = sorted(a.published.year for a in searcher.articles if a.published)
    publishers = Counter(a.publisher for a in searcher.articles if a.publisher)
    made = LibraryOverview(
        articles=len(searcher.articles),
        passages=len(searcher.passages),
        crises=counted.most_common(),
        publishers=[name for name, _ in publishers.most_common()],
        first_year=years[0] if years else None,
        last_year=years[-1] if years else None,
        undated=sum(1 for a in searcher.articles if not a.published),
        examples=example_questions(searcher, kinds),
    )
    with _cache_lock:
        _cache[searcher] = made
    return made


def _listed(items: list[str]) -> str:
    shown = items[:MAX_LISTED]
    text = ", ".join(shown)
    return text + (f" og {len(items) - len(shown)} flere" if len(items) > len(shown) else "")


def overview_html(view: LibraryOverview, may_add: bool) -> str:
    """The first screen's text: the library's contents and how to add to it (escaped HTML).

    Args:
        view: the overview.
        may_add: whether this visitor may add articles.

    Returns:
        HTML in a `div.eb-welcome`.
    """
    rows = [labels.welcome_holds(view.articles, view.passages)]
    if view.crises:
        rows.append("Kriser: " + _listed([f"{kind} ({n})" for kind, n in view.crises]) + ".")
    if view.publishers:
        rows.append("Udgivet af: " + _listed(view.publishers) + ".")
    if view.first_year is not None:
        span = str(view.first_year) if view.first_year == view.last_year else f"{view.first_year}–{view.last_year}"
        undated = f" ({view.undated} uden kendt dato)" if view.undated else ""
        rows.append(f"Udgivet {span}{undated}.")
    items = "".join(f"<li>{escape(row)}</li>" for row in rows)
    how = labels.HOW_TO_ADD_EDITOR if may_add else labels.HOW_TO_ADD_VISITOR
    return (f'<div class="eb-welcome"><p>{escape(labels.WELCOME_INTRO)}</p><ul>{items}</ul>'
            f'<p class="eb-note">{escape(how)}</p></div>')


def legend_html() -> str:
    """What the three match labels mean (escaped HTML)."""
    rows = "".join(
        f"<dt>{escape(labels.STRENGTH_LABELS[s])}</dt><dd>{escape(labels.STRENGTH_EXPLANATION[s])}</dd>"
        for s in ("strong", "possible", "weak")
    )
    return f'<dl class="eb-legend">{rows}</dl>'
