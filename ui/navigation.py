"""The sidebar links between the app's pages (Streamlit's own page list is switched off, since it
would name the chat page "app")."""

from __future__ import annotations

import streamlit as st

PAGES: tuple[tuple[str, str, str], ...] = (
    ("app.py", "Spørg artiklerne", ":material/forum:"),
    ("pages/1_Artikler.py", "Artiklerne", ":material/article:"),
    ("pages/2_Tilføj_artikel.py", "Tilføj artikel", ":material/upload_file:"),
)


def sidebar_navigation() -> None:
    """Link every page from the sidebar, the same on every page."""
    for page, label, icon in PAGES:
        st.sidebar.page_link(page, label=label, icon=icon)
