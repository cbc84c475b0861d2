"""UI logic of the Erfaringsbanken chat, kept out of Streamlit so it can be tested directly.

The names below are imported on first use (PEP 562): importing the package imports none of its
modules, so parallel first imports cannot meet it half-initialised (docs/ARCHITECTURE.md).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ui.answers import AnswerView, answer_view, topic_suggestions
    from ui.basket import BasketItem
    from ui.cards import CARD_CSS, card_html, context_html, notice_html, source_html, user_html
    from ui.chat import FilterChoice, ask, context_of
    from ui.citation import Citation, citation_for, citation_text, safe_url
    from ui.escaping import escape
    from ui.export import docx_bytes, markdown, plain_text
    from ui.followup import Query, build_query, is_followup
    from ui.highlight import highlight_html, match_spans, strip_marks
    from ui.loading import SearcherSlot
    from ui.settings import Settings, load_settings

_EXPORTS: dict[str, str] = {
    "AnswerView": "ui.answers",
    "BasketItem": "ui.basket",
    "CARD_CSS": "ui.cards",
    "Citation": "ui.citation",
    "FilterChoice": "ui.chat",
    "Query": "ui.followup",
    "SearcherSlot": "ui.loading",
    "Settings": "ui.settings",
    "answer_view": "ui.answers",
    "ask": "ui.chat",
    "build_query": "ui.followup",
    "card_html": "ui.cards",
    "citation_for": "ui.citation",
    "citation_text": "ui.citation",
    "context_html": "ui.cards",
    "context_of": "ui.chat",
    "docx_bytes": "ui.export",
    "escape": "ui.escaping",
    "highlight_html": "ui.highlight",
    "is_followup": "ui.followup",
    "load_settings": "ui.settings",
    "markdown": "ui.export",
    "match_spans": "ui.highlight",
    "notice_html": "ui.cards",
    "plain_text": "ui.export",
    "safe_url": "ui.citation",
    "source_html": "ui.cards",
    "strip_marks": "ui.highlight",
    "topic_suggestions": "ui.answers",
    "user_html": "ui.cards",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'ui' has no attribute {name!r}")
    value = getattr(import_module(_EXPORTS[name]), name)
    globals()[name] = value
    return value
