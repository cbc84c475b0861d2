"""Erfaringsbanken: add articles. Renders only; `ui.upload` checks, adds and words the outcome."""

from __future__ import annotations

import streamlit as st

from ui import editor_gate, labels, upload
from ui.navigation import sidebar_navigation
from ui.plain import PLAIN_CSS, alert_html, lines_html, note_html
from ui.settings import load_settings

st.set_page_config(page_title=f"{labels.APP_TITLE}: tilføj artikel", page_icon=":material/menu_book:",
                   layout="centered")

sidebar_navigation()
st.html(PLAIN_CSS + upload.UPLOADER_CSS)
st.title(upload.PAGE_TITLE)
st.caption(upload.PAGE_INTRO)
access = editor_gate.access()
if not access.allowed:
    editor_gate.sign_in(access)
    st.stop()
editor_gate.signed_in_line(access)

with st.form("add-article", clear_on_submit=False):
    uploaded = st.file_uploader(upload.UPLOAD_LABEL, type=upload.UPLOAD_TYPES, max_upload_size=upload.MAX_UPLOAD_MB,
                                accept_multiple_files=True)
    st.caption(upload.FORM_HINT)
    title = st.text_input(upload.TITLE_LABEL, help=upload.TITLE_HELP)
    url = st.text_input(upload.URL_LABEL, help=upload.URL_HELP, placeholder="https://")
    published = st.text_input(upload.PUBLISHED_LABEL, help=upload.PUBLISHED_HELP, placeholder="ÅÅÅÅ-MM-DD")
    publisher = st.text_input(upload.PUBLISHER_LABEL, help=upload.PUBLISHER_HELP)
    replace = st.checkbox(upload.REPLACE_LABEL, help=upload.REPLACE_HELP)
    submitted = st.form_submit_button(upload.SUBMIT, type="primary", icon=":material/upload_file:")

if submitted:
    files = [(f.name, f.getvalue()) for f in uploaded or []]
    form = upload.UploadForm(title=title, url=url, published=published, publisher=publisher)
    if not files:
        st.warning(upload.NO_FILE)
    elif len(files) > 1 and form != upload.UploadForm():
        st.warning(upload.FORM_ONE_FILE)
    else:
        bar = st.progress(0.0, text=upload.WORKING)
        stage_line = st.empty()  # the stage names files: shown as text, not in the bar's Markdown

        def on_progress(stage: str, fraction: float) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=upload.WORKING)
            stage_line.html(note_html(stage))

        if len(files) == 1:
            outcome = upload.add_upload(files[0][0], files[0][1], form, load_settings(), on_progress=on_progress,
                                        replace=replace, who=access.who)
            ok, message, lines = outcome.ok, outcome.message, []
        else:
            batch = upload.add_uploads_at_once(files, load_settings(), replace=replace, who=access.who,
                                               on_progress=on_progress)
            ok, message, lines = batch.ok, batch.message, batch.lines
        stage_line.empty()
        if ok:
            bar.progress(1.0, text=upload.DONE)
            st.html(alert_html(message, "ok"))
            st.page_link("app.py", label=upload.ASK_NOW, icon=":material/forum:")
        else:
            bar.empty()
            st.html(alert_html(message, "error"))
        if lines:
            st.html(lines_html(lines))
