"""What the app shows for one answer: cards, or the no-answer message with weak matches and topics."""

from __future__ import annotations

from pydantic import BaseModel
from wordfreq import zipf_frequency

from index.models import Answer, Result
from ui import labels

MAX_TOPICS = 12
# A word this common in Danish at large (Zipf scale, wordfreq: about once per 10,000 words and more)
# is the question's frame ("lærte", "sagde"), not its topic: that the articles never use it does not
# change what a good answer means. A rarer word ("hedebølgen", "ransomware") names the topic.
COMMON_ZIPF = 4.0
# Headings about the article itself (thanks, background, how it came about) or that introduce a
# list are not topics a leader can ask about.
_META_WORDS = ("artikel", "artiklen", "artiklens", "artiklerne", "bidragsydere", "tak til")


class AnswerView(BaseModel):
    """The parts of an assistant reply, decided without Streamlit."""

    notice: str | None
    summary: str | None = None
    weak_heading: str | None
    results: list[Result]
    topics: list[str]
    # The article words the search read the question's words as (typos, ae/oe/aa, derived forms),
    # so the cards mark "samarbejde" for "samarbjede".
    index_stems: list[str] = []
    # Names the question's words the articles never use: the quotes then match on meaning alone.
    absent_note: str | None = None
    # Quotes left out because their file changed since it was indexed (`library.QuoteCheck`).
    left_out: str | None = None


def answer_view(answer: Answer, sections: list[str]) -> AnswerView:
    """Decide how to present an answer.

    Args:
        answer: the search answer (its matched terms are marked, its absent words named).
        sections: the corpus's section headings (`searcher.sections()`), offered as topics when
            the answer is declined.

    Returns:
        An `AnswerView`: plain results, or (when search abstained) the Danish no-answer notice,
        the nearest matches all marked weak under a heading saying so, and topic suggestions;
        either way the words of the question that are nowhere in the articles are named.
    """
    absent_note = labels.absent_words_note(telling_absent_words(answer))
    if not answer.abstained and answer.results:
        return AnswerView(
            notice=None,
            summary=labels.results_summary(len(answer.results), len({r.article.id for r in answer.results})),
            weak_heading=None,
            results=answer.results,
            topics=[],
            index_stems=answer.matched_terms,
            absent_note=absent_note,
        )
    weak = [r.model_copy(update={"strength": "weak"}) for r in answer.results]
    notice = labels.NO_ANSWER
    if answer.missing is not None:
        # Passages near a crisis the articles never speak of are not on its topic.
        on_its_topic = bool(weak) and answer.missing != "crisis"
        notice = labels.NO_ANSWER_MISSING[answer.missing] + (" " + labels.NO_ANSWER_TOPIC if on_its_topic else "")
    # The articles speak of the topic and lack only the figure or time: other topics would mislead.
    on_topic = answer.missing in ("money", "number", "time") and bool(weak)
    return AnswerView(
        notice=notice,
        weak_heading=labels.WEAK_HEADING if weak else None,
        results=weak,
        topics=[] if on_topic else topic_suggestions(sections),
        index_stems=answer.matched_terms,
        absent_note=absent_note,
    )


def telling_absent_words(answer: Answer) -> list[str]:
    """The words the articles never use that change what the reader should conclude.

    All of them when the answer is declined (the nearest quotes were found on meaning alone); above
    an answer only the specific ones, rare in Danish at large: "the articles never say »syntes«"
    above quotes the search judged to answer is noise, "they never say »hedebølgen«" is not. (Whether
    a card is "Stærkt match" says how sure the search is of the first card, calibrated on answers,
    not whether the question's words were found: issue 26.)

    Args:
        answer: the search's answer.

    Returns:
        The words to name, as typed, in the answer's order.
    """
    if answer.abstained:
        return list(answer.absent_words)
    return [w for w in answer.absent_words if zipf_frequency(w.casefold(), "da") < COMMON_ZIPF]


def topic_suggestions(sections: list[str], limit: int = MAX_TOPICS) -> list[str]:
    """Pick distinct, non-empty section headings to suggest as topics.

    Args:
        sections: section headings of the corpus.
        limit: at most this many.

    Returns:
        The headings, stripped, first occurrence kept.
    """
    seen: list[str] = []
    for section in sections:
        heading = section.strip()
        if heading and heading not in seen and not _about_the_article(heading):
            seen.append(heading)
    return seen[:limit]


def _about_the_article(heading: str) -> bool:
    lowered = heading.casefold()
    return heading.endswith(":") or any(word in lowered for word in _META_WORDS)
