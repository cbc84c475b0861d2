"""Erfaringsbanken: the chat. Renders only; every decision lives in `ui/` and is tested there."""

from __future__ import annotations

from datetime import date

import streamlit as st

from index import Searcher, SearchFilters, SearchIndexError
from library import Library, QuoteCheck
from ui import editor_gate, labels, session
from ui.cards import CARD_CSS, user_html
from ui.chat import ask
from ui.chat_view import assistant_turn, first_screen, guarded, keep_alive, sidebar_basket, user_turn
from ui.navigation import sidebar_navigation
from ui.plain import PLAIN_CSS, alert_html
from ui.resources import searcher_slot
from ui.session import Turn
from ui.settings import MAX_K, load_settings
from ui.welcome import overview

st.set_page_config(page_title=labels.APP_TITLE, page_icon=":material/menu_book:", layout="centered")


def load_searcher() -> Searcher:
    slot = searcher_slot()
    settings = load_settings()
    if slot.ready:
        return slot.get(settings)
    reason = slot.build_reason(settings)
    heading = labels.BUILDING.format(reason=reason) if reason else labels.LOADING
    bar = st.progress(0.0, text=heading)

    def on_progress(stage: str, fraction: float) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=f"{heading} ({stage})")

    try:
        searcher = slot.get(settings, on_progress=on_progress)
    except (SearchIndexError, OSError) as error:
        bar.empty()
        st.html(PLAIN_CSS + alert_html(f"{labels.INDEX_ERROR} {error}", "error"))
        st.stop()
    if reason:
        built = labels.BUILT.format(passages=labels.passages_count(len(searcher.passages)),
                                    articles=len(searcher.articles))
        bar.progress(1.0, text=built)
    else:
        bar.empty()
    return searcher


def sidebar_filters(searcher: Searcher) -> tuple[SearchFilters | None, int]:
    st.sidebar.subheader(labels.SIDEBAR_FILTERS)
    titles = {a.id: a.title for a in searcher.articles}
    article_ids = st.sidebar.multiselect(labels.FILTER_ARTICLES, list(titles),
                                         format_func=lambda i: titles.get(i, labels.GONE_ARTICLE),
                                         placeholder=labels.FILTER_HINT, select_all=False)
    # Choosing nothing means all: Streamlit's "Select all" (in English) would only say the same.
    speakers = st.sidebar.multiselect(labels.FILTER_SPEAKERS, searcher.speakers(), placeholder=labels.FILTER_HINT,
                                      select_all=False)
    sections = st.sidebar.multiselect(labels.FILTER_SECTIONS, searcher.sections(), placeholder=labels.FILTER_HINT,
                                      select_all=False)
    k = st.sidebar.slider(labels.FILTER_K, min_value=1, max_value=MAX_K, value=5)
    return SearchFilters.chosen(article_ids, speakers, sections), k


st.html(CARD_CSS)  # PLAIN_CSS comes with each alert (ui.plain): a page without one holds no alert's style
st.title(labels.APP_TITLE)
st.caption(labels.APP_TAGLINE)
session.init(st.session_state)
settings = load_settings()
searcher = load_searcher()
access = editor_gate.access()
may_add = access.allowed
sidebar_navigation(access)
filters, k = sidebar_filters(searcher)
quotes = QuoteCheck(settings.corpus_dir)
removed = Library(settings.corpus_dir, settings.index_dir).removed
history = session.turns(st.session_state)

with guarded(labels.PAGE_ERROR, "briefingen"):
    sidebar_basket(date.today())
if not history:
    with guarded(labels.PAGE_ERROR, "forsiden"):
        first_screen(overview(searcher), may_add)
for number, turn in enumerate(history):
    if turn.role == "user":
        user_turn(turn)
        continue
    with st.chat_message("assistant", avatar=":material/menu_book:"), guarded(labels.TURN_ERROR, "et svar"):
        assistant_turn(turn, number, quotes, removed)

prompt = st.chat_input(labels.CHAT_PLACEHOLDER)
alone = session.take_search_alone(st.session_state)
example = session.take_example(st.session_state)
if question := prompt or example or alone:
    # "Søg kun på de nye ord" and an example question are new questions, never follow-ups.
    previous = session.last_answer(st.session_state) if prompt else None
    with st.chat_message("user", avatar=":material/person:"):
        st.html(user_html(question if len(question) <= 300 else question[:300] + " …"))
    with st.chat_message("assistant", avatar=":material/menu_book:"), guarded(labels.TURN_ERROR, "et nyt svar"):
        status = st.empty()
        turn = ask(searcher, question, previous, filters, k, quotes=quotes, rate=session.rate(st.session_state),
                   keep_alive=keep_alive(status))
        status.empty()
        history.extend([Turn(role="user", query=turn.query), turn])
        st.rerun()
