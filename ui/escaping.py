"""Escaping for everything a user types or a corpus file holds, before it reaches the page."""

from __future__ import annotations

# Beyond HTML's own specials, Markdown and Streamlit's directives (links, emphasis, math, :colour[...])
# are written as numeric entities too: the browser shows the same characters, but no renderer
# along the way can turn a typed "[klik](javascript:...)" into a link.
_TABLE = str.maketrans({
    "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#x27;",
    "[": "&#91;", "]": "&#93;", "(": "&#40;", ")": "&#41;", "{": "&#123;", "}": "&#125;",
    ":": "&#58;", "`": "&#96;", "*": "&#42;", "_": "&#95;", "$": "&#36;", "~": "&#126;",
    "|": "&#124;", "#": "&#35;", "!": "&#33;", "\\": "&#92;",
})


def escape(text: str) -> str:
    """Escape untrusted text for our own HTML.

    Args:
        text: any text.

    Returns:
        Text with HTML and Markdown specials as character references; `html.unescape` undoes it.
    """
    return text.translate(_TABLE)
