"""Erfaringsbanken: the chat. Renders only; every decision lives in `ui/` and is tested there."""

from __future__ import annotations

from datetime import date

import streamlit as st

from index import MAX_QUESTION_CHARS, Searcher, SearchFilters, SearchIndexError
from library import QuoteCheck
from ui import export, labels, session
from ui.basket import BasketItem, contains
from ui.cards import CARD_CSS, absent_html, card_html, context_html, notice_html, user_html
from ui.chat import ask
from ui.escaping import escape
from ui.followup import answered_label
from ui.navigation import sidebar_navigation
from ui.plain import PLAIN_CSS, alert_html
from ui.resources import searcher_slot
from ui.session import Turn
from ui.settings import MAX_K, load_settings

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
        st.error(f"{labels.INDEX_ERROR} {error}")
        st.stop()
    if reason:
        built = labels.BUILT.format(passages=labels.passages_count(len(searcher.passages)),
                                    articles=len(searcher.articles))
        bar.progress(1.0, text=built)
    else:
        bar.empty()
    return searcher


def sidebar_filters(searcher: Searcher) -> tuple[SearchFilters | None, int]:
    sidebar_navigation()
    st.sidebar.subheader(labels.SIDEBAR_FILTERS)
    titles = {a.id: a.title for a in searcher.articles}
    article_ids = st.sidebar.multiselect(
        labels.FILTER_ARTICLES, list(titles), format_func=titles.__getitem__, placeholder=labels.FILTER_HINT
    )
    speakers = st.sidebar.multiselect(labels.FILTER_SPEAKERS, searcher.speakers(), placeholder=labels.FILTER_HINT)
    sections = st.sidebar.multiselect(labels.FILTER_SECTIONS, searcher.sections(), placeholder=labels.FILTER_HINT)
    k = st.sidebar.slider(labels.FILTER_K, min_value=1, max_value=MAX_K, value=5)
    return SearchFilters.chosen(article_ids, speakers, sections), k


def sidebar_basket() -> None:
    state = st.session_state
    items = session.items(state)
    st.sidebar.subheader(f"{labels.BASKET_HEADING} ({len(items)})")
    if not items:
        st.sidebar.caption(labels.BASKET_EMPTY)
        return
    for n, item in enumerate(items, start=1):
        box = st.sidebar.container(border=True)
        excerpt = item.result.text if len(item.result.text) <= 140 else item.result.text[:140] + " …"
        box.html(f"<div><b>{n}.</b> »{escape(excerpt)}«</div>")
        up, down, out = box.columns(3, gap="small")
        up.button(labels.BASKET_UP, key=f"up-{item.key}", disabled=n == 1, width="stretch",
                  on_click=session.move_in_basket, args=(state, item.key, -1))
        down.button(labels.BASKET_DOWN, key=f"down-{item.key}", disabled=n == len(items), width="stretch",
                    on_click=session.move_in_basket, args=(state, item.key, 1))
        out.button(labels.BASKET_REMOVE, key=f"rm-{item.key}", width="stretch",
                   on_click=session.remove_from_basket, args=(state, item.key))
    today = date.today()
    stem = export.file_stem(today)
    st.sidebar.download_button(labels.EXPORT_WORD, export.docx_bytes(items, today), file_name=f"{stem}.docx",
                               mime=export.DOCX_MIME, width="stretch")
    st.sidebar.download_button(labels.EXPORT_MARKDOWN, export.markdown(items, today), file_name=f"{stem}.md",
                               mime="text/markdown", width="stretch")
    with st.sidebar.expander(labels.COPY_HEADING):
        st.caption(labels.COPY_HINT)
        st.code(export.plain_text(items, today), language=None, wrap_lines=True)
    st.sidebar.button(labels.BASKET_CLEAR, on_click=session.clear_basket, args=(state,))


def render_turn(turn: Turn, number: int) -> None:
    if turn.role == "user":
        with st.chat_message("user", avatar=":material/person:"):
            st.html(user_html(turn.query.typed))
        return
    assert turn.view is not None
    view = turn.view
    with st.chat_message("assistant", avatar=":material/menu_book:"):
        # A declined answer has a notice, an answered one a summary; topics and the weak heading
        # come only with a notice.
        if view.notice:
            st.html(notice_html(view.notice))
        if view.summary:
            st.caption(view.summary)
        if view.absent_note:
            st.html(absent_html(view.absent_note))
        if view.topics:
            st.markdown(f"**{labels.TOPICS_HEADING}:**")
            st.html("<ul>" + "".join(f"<li>{escape(t)}</li>" for t in view.topics) + "</ul>")
        if view.weak_heading:
            st.markdown(f"**{view.weak_heading}**")
        answered = answered_label(turn.query)
        if turn.query.follows is not None:
            st.button(labels.SEARCH_ALONE.format(typed=turn.query.typed), key=f"alone-{number}",
                      icon=":material/search:", on_click=session.search_alone,
                      args=(st.session_state, turn.query.typed))
        quotes = QuoteCheck(load_settings().corpus_dir)
        for result in view.results:
            if not quotes.holds(result):  # the file changed since it was indexed: never quote old offsets
                st.html(PLAIN_CSS + alert_html(quotes.message(result), "info"))
                continue
            st.html(card_html(result, turn.query.searched, answered, view.index_stems))
            in_basket = contains(session.items(st.session_state), result.passage_id)
            st.button(
                labels.IN_BASKET if in_basket else labels.ADD_TO_BASKET,
                key=f"add-{number}-{result.rank}",
                icon=":material/playlist_add:",
                disabled=in_basket,
                on_click=session.add_to_basket,
                args=(st.session_state, BasketItem(result=result, question=turn.query.searched)),
            )
            with st.expander(labels.SHOW_CONTEXT):
                st.html(context_html(result.context_before, result.context_after))


st.html(CARD_CSS)
st.title(labels.APP_TITLE)
st.caption(labels.APP_TAGLINE)
session.init(st.session_state)
searcher = load_searcher()
filters, k = sidebar_filters(searcher)

alone = session.take_search_alone(st.session_state)
if (prompt := st.chat_input(labels.CHAT_PLACEHOLDER, max_chars=MAX_QUESTION_CHARS)) or alone:
    history = session.turns(st.session_state)
    # "Søg kun på »…«" searches a follow-up's own words as a new question.
    previous = None if alone and not prompt else session.last_answer(st.session_state)
    try:
        turn = ask(searcher, prompt or alone or "", previous, filters, k)
    except (SearchIndexError, ValueError) as error:
        st.error(f"{labels.SEARCH_ERROR} ({error})")
    else:
        history.append(Turn(role="user", query=turn.query))
        history.append(turn)

sidebar_basket()
for number, turn in enumerate(session.turns(st.session_state)):
    render_turn(turn, number)
