"""The process-wide searcher slot, cached by Streamlit so every page and session shares one model."""

from __future__ import annotations

import streamlit as st

from ui.loading import SearcherSlot


@st.cache_resource(show_spinner=False)
def searcher_slot() -> SearcherSlot:
    """Return the one `SearcherSlot` of this server process.

    Returns:
        The shared slot (empty until the first page loads the searcher).
    """
    return SearcherSlot()
