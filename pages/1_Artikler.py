"""Erfaringsbanken: the articles page. Renders only; `ui.articles` decides what is shown."""

from __future__ import annotations

import streamlit as st

from index import SearchIndexError
from ui import labels
from ui.articles import article_html, searcher_overviews
from ui.cards import CARD_CSS
from ui.navigation import sidebar_navigation
from ui.resources import searcher_slot
from ui.settings import load_settings

st.set_page_config(page_title=f"{labels.APP_TITLE}: artikler", page_icon=":material/menu_book:", layout="centered")


st.html(CARD_CSS)
sidebar_navigation()
st.title(labels.ARTICLES_TITLE)
st.caption(labels.ARTICLES_INTRO)
try:
    with st.spinner(labels.LOADING):
        searcher = searcher_slot().get(load_settings())
except (SearchIndexError, OSError) as error:
    st.error(f"{labels.INDEX_ERROR} {error}")
    st.stop()
for overview in searcher_overviews(searcher):
    st.html(article_html(overview))
