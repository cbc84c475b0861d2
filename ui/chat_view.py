"""The chat page's Streamlit drawing: every turn from what it holds, every failure a Danish line.

What to show is decided elsewhere in ui/ (answers, cards, voices, standing, export); here it is put
on the page. Each turn, the briefing and the first screen are drawn inside `guarded`: an error
there becomes a Danish message that says what to do, the details go to the server's log, and the
rest of the chat is drawn as before (Streamlit's own error details are off for visitors:
`client.showErrorDetails = "none"` in .streamlit/config.toml).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from functools import lru_cache

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from index.models import Result
from library import CatalogEntry, QuoteCheck
from ui import export, labels, session
from ui.basket import BasketItem, contains
from ui.cards import absent_html, card_html, context_html, notice_html, user_html
from ui.escaping import escape
from ui.plain import PLAIN_CSS, alert_html, note_html
from ui.session import Turn
from ui.standing import standing_of
from ui.voices import by_article
from ui.welcome import LibraryOverview, legend_html, overview_html

log = logging.getLogger("erfaringsbanken.chat")
if not log.handlers:  # the server's log: stderr, as Streamlit's own lines
    _handler = logging.StreamHandler(sys.stderr)
    _handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    log.addHandler(_handler)
    log.setLevel(logging.INFO)
    log.propagate = False

Removed = Callable[[], list[CatalogEntry]]


@contextmanager
def guarded(message: str, what: str) -> Iterator[None]:
    """Draw a part of the page; on an error, log it and show `message` in its place.

    Streamlit's own stop and rerun (BaseExceptions) pass through: they are not errors.
    """
    try:
        yield
    except Exception:
        log.exception("Kunne ikke vise %s", what)
        st.html(PLAIN_CSS + alert_html(message, "error"))


def searching_html() -> str:
    return note_html(labels.SEARCHING)


def keep_alive(placeholder: DeltaGenerator) -> Callable[[], None]:
    """What the chat calls while a search runs: a Streamlit call, where Streamlit stops a session that has gone."""

    def touch() -> None:
        placeholder.html(searching_html())

    return touch


def user_turn(turn: Turn) -> None:
    with st.chat_message("user", avatar=":material/person:"):
        st.html(user_html(turn.query.typed))


def assistant_turn(turn: Turn, number: int, quotes: QuoteCheck, removed: Removed) -> None:
    """Draw one answer: its notices, then its quotes grouped by article, best of each first."""
    view = turn.view
    if view is None:
        return
    if view.notice:
        st.html(notice_html(view.notice))
    if view.summary:
        st.caption(view.summary)
    if turn.query.follows is not None:
        line = labels.FOLLOWUP_LINE.format(typed=turn.query.typed, base=turn.query.follows)
        st.html(f'<div class="eb-followup">{escape(line)}</div>')
        st.button(labels.SEARCH_ALONE, key=f"alone-{number}", icon=":material/search:",
                  on_click=session.search_alone, args=(st.session_state, turn.query.typed))
    if view.left_out:
        st.html(PLAIN_CSS + alert_html(view.left_out, "info"))
    if view.absent_note:
        st.html(absent_html(view.absent_note))
    if view.topics:
        st.markdown(f"**{labels.TOPICS_HEADING}:**")
        st.html("<ul>" + "".join(f"<li>{escape(t)}</li>" for t in view.topics) + "</ul>")
    if view.weak_heading:
        st.markdown(f"**{view.weak_heading}**")
    for voice in by_article(view.results):
        quote_card(turn, voice.best, number, quotes, removed)
        if voice.more:
            with st.expander(labels.more_from_article(len(voice.more)), icon=":material/format_quote:"):
                for result in voice.more:
                    quote_card(turn, result, number, quotes, removed)


def quote_card(turn: Turn, result: Result, number: int, quotes: QuoteCheck, removed: Removed) -> None:
    """One quote: its card (marked when its article was removed or replaced since), the briefing button, the context."""
    standing = standing_of(result, quotes, removed)
    if not standing.shown:  # the file changed by hand: never quote old offsets
        st.html(PLAIN_CSS + alert_html(standing.note or "", "info"))
        return
    whole = turn.wholes.get(result.passage_id)
    if whole is not None and standing.kind == "current" and not all(
        quotes.holds(Result.from_passage(p, rank=1, score=0.0)) for p in whole.passages
    ):
        whole = None
    article = turn.articles.get(result.article.id)
    marks = turn.view.index_stems if turn.view else []
    st.html(card_html(result, turn.query.leading, marks, article=article, whole=whole, note=standing.note))
    in_basket = contains(session.items(st.session_state), result.passage_id)
    item = BasketItem(result=result, question=turn.query.typed, context=turn.query.follows, article=article,
                      whole=whole)
    st.button(labels.IN_BASKET if in_basket else labels.ADD_TO_BASKET, key=f"add-{number}-{result.rank}",
              icon=":material/playlist_add:", disabled=in_basket, on_click=session.add_to_basket,
              args=(st.session_state, item))
    with st.expander(labels.SHOW_CONTEXT):
        st.html(context_html(result.context_before, result.context_after))


def first_screen(view: LibraryOverview, may_add: bool) -> None:
    """What the library holds, questions to try, how to add, what the labels mean."""
    with st.chat_message("assistant", avatar=":material/menu_book:"):
        st.html(overview_html(view, may_add))
        if view.examples:
            st.html(note_html(labels.WELCOME_EXAMPLES))
            for n, question in enumerate(view.examples):
                # The label is made only of letters, digits and plain punctuation (`ui.welcome.is_inert`).
                st.button(question, key=f"example-{n}", icon=":material/help:", on_click=session.ask_example,
                          args=(st.session_state, question))
        with st.expander(labels.STRENGTH_HEADING):
            st.html(legend_html())


def sidebar_basket(today: date) -> None:
    """The briefing in the sidebar: its quotes in order, moving and removing, the exports."""
    state = st.session_state
    items = session.items(state)
    st.sidebar.subheader(f"{labels.BASKET_HEADING} ({len(items)})")
    if not items:
        st.sidebar.caption(labels.BASKET_EMPTY)
        return
    for n, item in enumerate(items, start=1):
        box = st.sidebar.container(border=True)
        excerpt = item.quote if len(item.quote) <= 140 else item.quote[:140] + " …"
        box.html(f"<div><b>{n}.</b> »{escape(excerpt)}«</div>"
                 f'<div class="eb-note">{escape(labels.ASKED)}: {escape(item.question)}</div>')
        up, down, out = box.columns(3, gap="small")
        up.button(labels.BASKET_UP, key=f"up-{item.key}", disabled=n == 1, width="stretch",
                  on_click=session.move_in_basket, args=(state, item.key, -1))
        down.button(labels.BASKET_DOWN, key=f"down-{item.key}", disabled=n == len(items), width="stretch",
                    on_click=session.move_in_basket, args=(state, item.key, 1))
        out.button(labels.BASKET_REMOVE, key=f"rm-{item.key}", width="stretch",
                   on_click=session.remove_from_basket, args=(state, item.key))
    stem = export.file_stem(today)
    with guarded(labels.EXPORT_ERROR, "briefingen som Word"):
        st.sidebar.download_button(labels.EXPORT_WORD, _docx(items, today), file_name=f"{stem}.docx",
                                   mime=export.DOCX_MIME, width="stretch")
    with guarded(labels.EXPORT_ERROR, "briefingen som Markdown"):
        st.sidebar.download_button(labels.EXPORT_MARKDOWN, export.markdown(items, today), file_name=f"{stem}.md",
                                   mime="text/markdown", width="stretch")
    with st.sidebar.expander(labels.COPY_HEADING):
        st.caption(labels.COPY_HINT)
        st.code(export.plain_text(items, today), language=None, wrap_lines=True)
    st.sidebar.button(labels.BASKET_CLEAR, on_click=session.clear_basket, args=(state,))


def _docx(items: list[BasketItem], today: date) -> bytes:
    return _docx_cached(tuple(item.model_dump_json() for item in items), today)


@lru_cache(maxsize=16)
def _docx_cached(items: tuple[str, ...], today: date) -> bytes:
    """The Word file of a briefing, made once per basket (a rerun of the page does not make it again)."""
    return export.docx_bytes([BasketItem.model_validate_json(i) for i in items], today)
