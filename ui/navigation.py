"""The sidebar links between the app's pages (Streamlit's own page list is switched off, since it
would name the chat page "app"). A page a visitor cannot use is not offered: "Tilføj artikel" is
linked for those who may add, as a sign-in for those who may sign in as an editor, and not at all
when changing the library is off (the app shared on a network with no editor sign-in set up).
"""

from __future__ import annotations

import streamlit as st

from ui import editor_gate
from ui.editors import EditorAccess

CHAT = ("app.py", "Spørg artiklerne", ":material/forum:")
ARTICLES = ("pages/1_Artikler.py", "Artiklerne", ":material/article:")
ADD_PAGE = "pages/2_Tilføj_artikel.py"
ADD = (ADD_PAGE, "Tilføj artikel", ":material/upload_file:")
SIGN_IN = (ADD_PAGE, "Log ind som redaktør", ":material/login:")


def pages_for(access: EditorAccess) -> list[tuple[str, str, str]]:
    """The pages to link for a visitor with this access.

    Args:
        access: what `ui.editor_gate.access` decided for the session.

    Returns:
        (page, label, icon) for each link, in order.
    """
    links = [CHAT, ARTICLES]
    if access.allowed:
        links.append(ADD)
    elif access.mode in ("password", "oidc"):
        links.append(SIGN_IN)
    return links


def sidebar_navigation(access: EditorAccess | None = None) -> None:
    """Link the pages this visitor can use from the sidebar, the same on every page."""
    for page, label, icon in pages_for(access if access is not None else editor_gate.access()):
        st.sidebar.page_link(page, label=label, icon=icon)
