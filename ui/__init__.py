"""UI logic of the Erfaringsbanken chat, kept out of Streamlit so it can be tested directly."""

from __future__ import annotations

from ui.answers import AnswerView, answer_view, topic_suggestions
from ui.basket import BasketItem
from ui.cards import CARD_CSS, card_html, context_html, notice_html, source_html, user_html
from ui.chat import ask
from ui.citation import Citation, citation_for, citation_text, safe_url
from ui.escaping import escape
from ui.export import docx_bytes, markdown, plain_text
from ui.followup import Query, build_query, is_followup
from ui.highlight import highlight_html, match_spans, strip_marks
from ui.loading import SearcherSlot
from ui.settings import Settings, load_settings
from ui.standing import Standing, standing_of
from ui.voices import Voice, by_article
from ui.welcome import LibraryOverview, overview
from ui.wholequote import WholeQuote, whole_quote

__all__ = [
    "CARD_CSS",
    "AnswerView",
    "BasketItem",
    "Citation",
    "LibraryOverview",
    "Query",
    "SearcherSlot",
    "Settings",
    "Standing",
    "Voice",
    "WholeQuote",
    "answer_view",
    "ask",
    "build_query",
    "by_article",
    "card_html",
    "citation_for",
    "citation_text",
    "context_html",
    "docx_bytes",
    "escape",
    "highlight_html",
    "is_followup",
    "load_settings",
    "markdown",
    "match_spans",
    "notice_html",
    "overview",
    "plain_text",
    "safe_url",
    "source_html",
    "standing_of",
    "strip_marks",
    "topic_suggestions",
    "user_html",
    "whole_quote",
]
