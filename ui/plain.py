"""Text from the library, shown on the editor pages as text: never through Markdown.

Streamlit renders alert bodies, captions, widget labels and progress texts as Markdown, and its
Markdown links bare web addresses and e-mail addresses even when every special character is
escaped. A title, file name, editor's name or message holding them therefore goes to the page as
escaped HTML (`st.html`, which is never read as Markdown) through these helpers, and labels stay
our own words.
"""

from __future__ import annotations

from typing import Literal

from ui.escaping import escape

AlertKind = Literal["ok", "error", "info"]

PLAIN_CSS = """<style>
.eb-alert{border-radius:6px;padding:.75rem 1rem;margin:.25rem 0 .6rem;font-size:1rem;white-space:pre-wrap}
.eb-alert-ok{background:#e8f4ec;color:#14532d}.eb-alert-error{background:#fdecec;color:#7f1d1d}
.eb-alert-info{background:#e8f0fa;color:#1e3a5f}
.eb-note{font-size:.875rem;color:#5b616b;margin:.1rem 0 .4rem;white-space:pre-wrap}
.eb-lines{margin:.2rem 0 .6rem 1.1rem;padding:0}.eb-lines li{margin:.15rem 0;white-space:pre-wrap}
</style>"""


def alert_html(text: str, kind: AlertKind) -> str:
    """A coloured box holding the text as it is (an outcome, a reason, a sign-in message)."""
    return f'<div class="eb-alert eb-alert-{kind}" role="status">{escape(text)}</div>'


def note_html(text: str) -> str:
    """A small grey line holding the text as it is (like `st.caption`)."""
    return f'<p class="eb-note">{escape(text)}</p>'


def lines_html(lines: list[str]) -> str:
    """A bulleted list of lines, each as it is."""
    return '<ul class="eb-lines">' + "".join(f"<li>{escape(line)}</li>" for line in lines) + "</ul>"
