"""Erfaringsbanken: add an article. Renders only; `ui.upload` checks, adds and words the outcome."""

from __future__ import annotations

import streamlit as st

from ui import labels, upload
from ui.navigation import sidebar_navigation
from ui.resources import searcher_slot
from ui.settings import load_settings

st.set_page_config(page_title=f"{labels.APP_TITLE}: tilføj artikel", page_icon=":material/menu_book:",
                   layout="centered")

sidebar_navigation()
st.title(upload.PAGE_TITLE)
st.caption(upload.PAGE_INTRO)

with st.form("add-article", clear_on_submit=False):
    uploaded = st.file_uploader(upload.UPLOAD_LABEL, type=upload.UPLOAD_TYPES, max_upload_size=upload.MAX_UPLOAD_MB)
    st.caption(upload.FORM_HINT)
    title = st.text_input(upload.TITLE_LABEL, help=upload.TITLE_HELP)
    url = st.text_input(upload.URL_LABEL, help=upload.URL_HELP, placeholder="https://")
    published = st.text_input(upload.PUBLISHED_LABEL, help=upload.PUBLISHED_HELP, placeholder="ÅÅÅÅ-MM-DD")
    publisher = st.text_input(upload.PUBLISHER_LABEL, help=upload.PUBLISHER_HELP)
    submitted = st.form_submit_button(upload.SUBMIT, type="primary", icon=":material/upload_file:")

if submitted:
    if uploaded is None:
        st.warning(upload.NO_FILE)
    else:
        bar = st.progress(0.0, text=upload.WORKING)

        def on_progress(stage: str, fraction: float) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=f"{upload.WORKING} ({stage})")

        form = upload.UploadForm(title=title, url=url, published=published, publisher=publisher)
        outcome = upload.add_upload(uploaded.name, uploaded.getvalue(), form, load_settings(), on_progress=on_progress)
        if outcome.ok:
            # The chat holds the old searcher in the process-wide cache; dropping it makes the next
            # question load the updated index, so the new article answers at once.
            searcher_slot.clear()
            bar.progress(1.0, text=outcome.message)
            st.success(outcome.message, icon=":material/check_circle:")
            st.page_link("app.py", label=upload.ASK_NOW, icon=":material/forum:")
        else:
            bar.empty()
            st.error(outcome.message, icon=":material/error:")
