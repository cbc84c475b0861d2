"""The pages' view of `ui.editors`: this session's access, and the sign-in it needs (Streamlit)."""

from __future__ import annotations

import os

import streamlit as st

from ui.editors import SIGN_IN_GUARD, SIGN_IN_OIDC, EditorAccess, decide, read_secrets, secrets_path
from ui.plain import PLAIN_CSS, alert_html, note_html

ADDRESS_ENV = "ERFARINGSBANKEN_ADDRESS"
_EDITOR = "editor"


def served_address() -> str | None:
    """The address the app is served on: what `python -m ui.serve` was given, else Streamlit's option."""
    if os.environ.get(ADDRESS_ENV):
        return os.environ[ADDRESS_ENV]
    value = st.get_option("server.address")
    return str(value) if value else None


def client_address() -> str | None:
    """The address the browser connects from (None when Streamlit does not know it)."""
    try:
        address = st.context.ip_address
    except (AttributeError, RuntimeError):
        return None
    return str(address) if address else None


def access() -> EditorAccess:
    """May this session change the library?"""
    secrets = read_secrets(secrets_path())
    signed_in = None
    if "auth" in secrets and st.user.get("is_logged_in", False):
        email = st.user.get("email") or st.user.get("name")
        signed_in = str(email) if email else "ukendt bruger"
    editor = st.session_state.get(_EDITOR)
    return decide(served_address(), secrets, signed_in, editor if isinstance(editor, str) else None)


def sign_in(current: EditorAccess) -> None:
    """What a session that may not change the library sees instead of the controls."""
    st.html(PLAIN_CSS)
    st.html(alert_html(current.message or SIGN_IN_OIDC, "info"))
    if current.mode == "oidc":
        if current.who is None:
            st.button("Log ind", on_click=st.login, icon=":material/login:")
        else:
            st.button("Log ud", on_click=st.logout)
    elif current.mode == "password":
        with st.form("editor-sign-in"):
            password = st.text_input("Redaktør-adgangskode", type="password")
            if st.form_submit_button("Log ind", icon=":material/login:"):
                attempt = SIGN_IN_GUARD.attempt(read_secrets(secrets_path()), password, client_address())
                if attempt.editor is None:
                    st.html(alert_html(attempt.message or "", "error"))
                else:
                    st.session_state[_EDITOR] = attempt.editor
                    st.rerun()


def signed_in_line(current: EditorAccess) -> None:
    """A caption naming the editor (on a shared server), with a way to sign out."""
    if current.mode == "local":
        return
    st.html(PLAIN_CSS)
    st.html(note_html(f"Logget ind som redaktør: {current.who}"))
    if current.mode == "password" and st.button("Log ud som redaktør"):
        st.session_state.pop(_EDITOR, None)
        st.rerun()
    elif current.mode == "oidc":
        st.button("Log ud", on_click=st.logout)
