"""The HTML of a quote card and of its context. Everything from users or files is escaped here."""

from __future__ import annotations

from collections.abc import Collection

from index.models import Result, Strength
from ingest.models import Article, Passage
from ui import labels
from ui.citation import Citation, check_lines, citation_for, reader_parts
from ui.escaping import escape
from ui.highlight import highlight_html
from ui.wholequote import CUT, WholeQuote

# Shown once per page. Highlights are bold and underlined too, so they do not rely on colour.
CARD_CSS = """<style>
.eb-card{border:1px solid #d5d9e0;border-left:4px solid #1f4e79;border-radius:6px;padding:.9rem 1.1rem;
  margin:.2rem 0 .4rem 0;background:#fff;font-size:1rem;line-height:1.55;color:#1b1f24}
.eb-head{display:flex;flex-wrap:wrap;gap:.5rem;align-items:baseline;font-size:.85rem;color:#4a5360;margin-bottom:.4rem}
.eb-strength{font-weight:700;border:1px solid currentColor;border-radius:3px;padding:0 .35rem}
.eb-strong{color:#1d5e2b}.eb-possible{color:#6b4e00}.eb-weak{color:#5b5f66}
.eb-quote{margin:0;font-family:Georgia,'Times New Roman',serif;font-size:1.05rem;white-space:pre-wrap}
.eb-qm{color:#1f4e79;font-weight:700}
mark.eb-hit{background:#fff1a8;color:inherit;font-weight:700;text-decoration:underline;padding:0 1px}
.eb-source{margin-top:.55rem;font-size:.88rem;color:#3a414b;border-top:1px solid #eceef2;padding-top:.45rem}
.eb-source b{color:#1b1f24}.eb-derived{font-style:italic}
.eb-more{color:#3a414b}.eb-cut{color:#1f4e79}
.eb-standing{font-size:.88rem;color:#6b4e00;background:#fff8e1;border-radius:4px;padding:.3rem .55rem;
  margin-bottom:.4rem}
.eb-check{margin-top:.35rem;font-size:.8rem;color:#4a5360}.eb-check summary{cursor:pointer;width:max-content}
.eb-check dl{display:grid;grid-template-columns:6.5rem 1fr;gap:.1rem .7rem;margin:.3rem 0 0 0}
.eb-check dt{font-weight:700}.eb-check dd{margin:0;overflow-wrap:anywhere}
.eb-group{font-size:.9rem;color:#3a414b;margin:.6rem 0 .1rem 0}
.eb-followup{font-size:.9rem;color:#3a414b;margin:.1rem 0 .3rem 0}
.eb-note{font-size:.875rem;color:#5b616b;margin:.1rem 0 .4rem;white-space:pre-wrap}
.eb-welcome{font-size:1rem;line-height:1.55;color:#1b1f24}.eb-welcome ul{margin:.2rem 0 .5rem 1.1rem;padding:0}
.eb-legend dt{font-weight:700;margin-top:.3rem}.eb-legend dd{margin:0 0 .2rem 0}
.eb-context{font-size:.92rem;color:#3a414b;white-space:pre-wrap;border-left:3px solid #d5d9e0;padding-left:.7rem}
.eb-context-label{font-size:.8rem;font-weight:700;color:#4a5360;text-transform:uppercase;letter-spacing:.03em}
.eb-user{font-size:1rem;white-space:pre-wrap}
.eb-notice{font-size:1rem;font-weight:600}
.eb-absent{font-size:.9rem;color:#4a5360;border-left:3px solid #c9a227;padding:.2rem .6rem;margin:.3rem 0}
.eb-article{border:1px solid #d5d9e0;border-radius:6px;padding:.8rem 1rem;margin-bottom:.8rem}
.eb-article dl{display:grid;grid-template-columns:8.5rem 1fr;gap:.25rem .9rem;margin:0;padding:0}
.eb-article dt{font-weight:700;font-size:.85rem;color:#4a5360;padding-top:.1rem}.eb-article dd{margin:0}
</style>"""


def source_html(citation: Citation) -> str:
    """Return the source line a reader reads: who said it, the article, section, page, publisher, date, link.

    Args:
        citation: the quote's citation.

    Returns:
        Escaped HTML for one `div.eb-source`; unknown parts are left out (the "Kilde" details say so).
    """
    parts = [escape(part) for part in reader_parts(citation)]
    if citation.speaker:
        parts[0] = f"<b>{parts[0]}</b>"
    if citation.url:
        parts.append(f'<a href="{escape(citation.url)}" target="_blank" rel="noopener noreferrer">'
                     f"{escape(labels.READ_ARTICLE)}</a>")
    return f'<div class="eb-source">{" · ".join(parts)}</div>'


def check_html(citation: Citation) -> str:
    """Return the card's "Kilde" details: file, offsets, how the title and link are known (for those who check).

    Args:
        citation: the quote's citation.

    Returns:
        Escaped HTML for one closed `details.eb-check`.
    """
    rows = "".join(f"<dt>{escape(label)}</dt><dd>{escape(value)}</dd>" for label, value in check_lines(citation))
    return (f'<details class="eb-check"><summary>{escape(labels.SOURCE_DETAILS)}</summary>'
            f"<dl>{rows}</dl></details>")


def strength_html(strength: Strength) -> str:
    """The strength label, with what it means as its tooltip."""
    return (f'<span class="eb-strength eb-{strength}" title="{escape(labels.STRENGTH_EXPLANATION[strength])}">'
            f"{escape(labels.strength_label(strength))}</span>")


def card_html(
    result: Result,
    question: str,
    index_stems: Collection[str] = (),
    article: Article | None = None,
    whole: WholeQuote | None = None,
    note: str | None = None,
) -> str:
    """Return the HTML of one quote card.

    Args:
        result: the search result to show.
        question: the words whose matches are marked (without `index_stems`).
        index_stems: the article words the search read the question's words as: these are marked.
        article: the article's record (its date), when known.
        whole: the passages a quote cut across passages runs over (`ui.wholequote`).
        note: a line above the quote saying what changed since (a removed or replaced article).

    Returns:
        Escaped HTML for one `div.eb-card` holding the verbatim passage in quotation marks.
    """
    whole = whole or WholeQuote()
    before = "".join(f'<span class="eb-more">{escape(p.text)}</span> ' for p in whole.before)
    after = "".join(f' <span class="eb-more">{escape(p.text)}</span>' for p in whole.after)
    cut = f'<span class="eb-cut">{escape(CUT + whole.cut_close)}</span>' if whole.cut_close else ""
    quote = (
        f'<blockquote class="eb-quote"><span class="eb-qm">»</span>{before}'
        f'<span class="eb-text">{highlight_html(result.text, question, index_stems)}</span>'
        f'{after}{cut}<span class="eb-qm">«</span></blockquote>'
    )
    standing = f'<div class="eb-standing">{escape(note)}</div>' if note else ""
    citation = citation_for(result, article)
    return (
        f'<div class="eb-card" data-passage="{escape(result.passage_id)}">'
        f'<div class="eb-head">{strength_html(result.strength)}</div>{standing}{quote}'
        f"{source_html(citation)}{check_html(citation)}</div>"
    )


def context_html(before: list[Passage], after: list[Passage]) -> str:
    """Return the passages around a quote, verbatim and escaped.

    Args:
        before: passages just before the quote, in reading order.
        after: passages just after it, in reading order.

    Returns:
        Escaped HTML; a short Danish note when the quote has no neighbours.
    """
    blocks: list[str] = []
    for label, passages in ((labels.CONTEXT_BEFORE, before), (labels.CONTEXT_AFTER, after)):
        if passages:
            blocks.append(f'<div class="eb-context-label">{escape(label)}</div>')
            blocks.extend(f'<div class="eb-context">{escape(p.text)}</div>' for p in passages)
    if not blocks:
        return '<div class="eb-context">Citatet står alene i artiklen; der er intet før eller efter det.</div>'
    return "".join(blocks)


def user_html(text: str) -> str:
    """Return what the user typed, escaped, for the chat history.

    Args:
        text: the user's question.

    Returns:
        Escaped HTML in a `div.eb-user`.
    """
    return f'<div class="eb-user">{escape(text)}</div>'


def notice_html(text: str) -> str:
    """Return a prominent one-sentence notice (e.g. the no-answer message), escaped.

    Args:
        text: the Danish notice.

    Returns:
        Escaped HTML in a `div.eb-notice`.
    """
    return f'<div class="eb-notice">{escape(text)}</div>'


def absent_html(text: str) -> str:
    """Return the quieter line naming the question's words that are not in the articles, escaped.

    Args:
        text: the Danish line (`labels.absent_words_note`).

    Returns:
        Escaped HTML in a `div.eb-absent`.
    """
    return f'<div class="eb-absent">{escape(text)}</div>'
