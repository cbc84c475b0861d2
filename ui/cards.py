"""The HTML of a quote card and of its context. Everything from users or files is escaped here."""

from __future__ import annotations

from collections.abc import Collection

from index.models import Result
from ingest.models import Passage
from ui import labels
from ui.citation import Citation, citation_for
from ui.escaping import escape
from ui.highlight import highlight_html

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
.eb-source b{color:#1b1f24}.eb-meta{color:#4a5360;margin-top:.1rem}.eb-derived{font-style:italic}
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
    """Return the source line of a card: speaker, title, section, page (PDF), publisher, link or file.

    Args:
        citation: the quote's citation.

    Returns:
        Escaped HTML for one `div.eb-source`.
    """
    title = f"<b>»{escape(citation.title)}«</b>"
    if citation.title_is_derived:
        title += f' <span class="eb-derived">{escape(labels.DERIVED_TITLE)}</span>'
    section = escape(citation.section) if citation.section else escape(labels.NO_SECTION)
    publisher = escape(citation.publisher) if citation.publisher else escape(labels.NOT_STATED)
    if citation.url:
        where = f'<a href="{escape(citation.url)}" target="_blank" rel="noopener noreferrer">Læs artiklen</a>'
    else:
        where = f"Fil: {escape(citation.file_text)} (intet link kendt)"
    page = f" · Side {citation.page}" if citation.page is not None else ""
    return (
        f'<div class="eb-source"><div><b>{escape(citation.speaker)}</b> i {title}</div>'
        f'<div class="eb-meta">Afsnit: {section}{page} · Udgiver: {publisher} · {where}</div></div>'
    )


def card_html(
    result: Result, question: str, answered: str | None = None, index_stems: Collection[str] = ()
) -> str:
    """Return the HTML of one quote card.

    Args:
        result: the search result to show.
        question: the text whose words are highlighted (the question searched).
        answered: the question to name as answered, when it differs from what the user typed.
        index_stems: the article words the search read the question's words as, also highlighted.

    Returns:
        Escaped HTML for one `div.eb-card` holding the verbatim passage in quotation marks.
    """
    strength = result.strength
    head = (
        f'<span class="eb-strength eb-{strength}">{escape(labels.strength_label(strength))}</span>'
    )
    if answered:
        head += f"<span>{escape(labels.ANSWERED)}: »{escape(answered)}«</span>"
    quote = (
        '<blockquote class="eb-quote"><span class="eb-qm">»</span>'
        f'<span class="eb-text">{highlight_html(result.text, question, index_stems)}</span>'
        '<span class="eb-qm">«</span></blockquote>'
    )
    return (
        f'<div class="eb-card" data-passage="{escape(result.passage_id)}">'
        f'<div class="eb-head">{head}</div>{quote}{source_html(citation_for(result))}</div>'
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
