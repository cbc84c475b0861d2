"""The pages' view of `ui.editors`: this session's access, and the sign-in it needs (Streamlit)."""

from __future__ import annotations

import streamlit as st

from ui.clients import client_address as forwarded_client
from ui.clients import trusted_proxies
from ui.editors import (
    SIGN_IN_GUARD,
    SIGN_IN_OIDC,
    EditorAccess,
    decide,
    editor_rule,
    read_secrets,
    secrets_path,
)
from ui.plain import PLAIN_CSS, alert_html, note_html

_EDITOR = "editor"
ANYONE_NOTE = ("Alle, der kan åbne appen, kan ændre biblioteket: den er startet med EDITORS=anyone, til én persons "
               "egen maskine.")


def client_address() -> str | None:
    """The address the browser connects from: the connection's, or behind a proxy the operator trusts
    (`ERFARINGSBANKEN_TRUSTED_PROXIES`) the one it forwarded; None when Streamlit does not know it."""
    try:
        peer = st.context.ip_address
        headers = dict(st.context.headers)
    except (AttributeError, RuntimeError):
        return None
    return forwarded_client(str(peer) if peer else None, headers, trusted_proxies())


def access() -> EditorAccess:
    """May this session change the library?"""
    secrets = read_secrets(secrets_path())
    signed_in = None
    claims: dict[str, object] = {}
    if "auth" in secrets and st.user.get("is_logged_in", False):
        claims = dict(st.user.to_dict())
        email = st.user.get("email") or st.user.get("name")
        signed_in = str(email) if email else "ukendt bruger"
    editor = st.session_state.get(_EDITOR)
    return decide(editor_rule(), secrets, signed_in, editor if isinstance(editor, str) else None, claims)


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
    """A caption naming the editor, with a way to sign out (or saying that anyone may edit)."""
    st.html(PLAIN_CSS)
    if current.mode == "anyone":
        st.html(note_html(ANYONE_NOTE))
        return
    st.html(note_html(f"Logget ind som redaktør: {current.who}"))
    if current.mode == "password" and st.button("Log ud som redaktør"):
        st.session_state.pop(_EDITOR, None)
        st.rerun()
    elif current.mode == "oidc":
        st.button("Log ud", on_click=st.logout)
