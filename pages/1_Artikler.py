"""Erfaringsbanken: the articles page. Renders only; `ui.articles` and `ui.article_edits` decide."""

from __future__ import annotations

import streamlit as st

from index import SearchIndexError
from ui import article_edits, editor_gate, labels
from ui.articles import article_html, searcher_overviews
from ui.cards import CARD_CSS
from ui.navigation import sidebar_navigation
from ui.plain import PLAIN_CSS, alert_html, note_html
from ui.resources import searcher_slot
from ui.settings import load_settings
from ui.upload import MAX_UPLOAD_MB, UPLOAD_TYPES, UPLOADER_CSS

st.set_page_config(page_title=f"{labels.APP_TITLE}: artikler", page_icon=":material/menu_book:", layout="centered")


st.html(CARD_CSS + PLAIN_CSS + UPLOADER_CSS)
sidebar_navigation()
st.title(labels.ARTICLES_TITLE)
st.caption(labels.ARTICLES_INTRO)
settings = load_settings()
try:
    with st.spinner(labels.LOADING):
        searcher = searcher_slot().get(settings)
except (SearchIndexError, OSError) as error:
    st.html(alert_html(f"{labels.INDEX_ERROR} {error}", "error"))
    st.stop()
access = editor_gate.access()
if access.allowed:
    editor_gate.signed_in_line(access)
for message in st.session_state.pop("article-messages", []):
    st.html(alert_html(message["text"], "ok" if message["ok"] else "error"))


def _done(outcome: article_edits.ActionOutcome) -> None:
    st.session_state["article-messages"] = [{"ok": outcome.ok, "text": outcome.message}]
    st.rerun()


for n, overview in enumerate(searcher_overviews(searcher)):
    st.html(article_html(overview))
    if not access.allowed:
        continue
    article = overview.article
    with st.expander(labels.EDIT_ARTICLE, icon=":material/edit:"):
        current = article_edits.form_of(article)
        with st.form(f"edit-{n}"):
            form = article_edits.EditForm(
                title=st.text_input(labels.EDIT_TITLE, value=current.title),
                url=st.text_input(labels.EDIT_URL, value=current.url, placeholder="https://"),
                published=st.text_input(labels.EDIT_PUBLISHED, value=current.published, placeholder="ÅÅÅÅ-MM-DD"),
                publisher=st.text_input(labels.EDIT_PUBLISHER, value=current.publisher),
                authors=st.text_input(labels.EDIT_AUTHORS, value=current.authors),
            )
            if st.form_submit_button(labels.EDIT_SAVE, type="primary"):
                _done(article_edits.save_edit(settings, article, form, access.who))
        new_file = st.file_uploader(labels.REPLACE_FILE, type=UPLOAD_TYPES, max_upload_size=MAX_UPLOAD_MB,
                                    key=f"replace-{n}")
        if new_file is not None and st.button(labels.REPLACE_NOW, key=f"replace-go-{n}"):
            _done(article_edits.replace_file(settings, article, new_file.name, new_file.getvalue(), access.who))
        st.html(note_html(article_edits.confirmation(article)))
        sure = st.checkbox(article_edits.CONFIRM_LABEL, key=f"sure-{n}")
        if st.button(labels.REMOVE_ARTICLE, key=f"remove-{n}", disabled=not sure, icon=":material/delete:"):
            _done(article_edits.remove(settings, article, access.who))

if access.allowed:
    removed = article_edits.removed_articles(settings)
    if removed:
        st.subheader(labels.REMOVED_HEADING)
        for n, entry in enumerate(removed):
            st.html(note_html(article_edits.removed_line(entry)))
            if st.button(labels.RESTORE_ARTICLE, key=f"restore-{n}", icon=":material/restore:"):
                _done(article_edits.restore(settings, entry.file, access.who))
else:
    st.html(note_html(access.message or ""))
