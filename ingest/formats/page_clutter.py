"""Strip a saved web page of what sites wrap around an article, before its text is found.

Sites name their boxes for what they are, in class names and ARIA roles: a cookie banner is
`class="om-consent"`, a newsletter box `do-signup`, share buttons `om-share--bottom`, a photo
credit `do-photographer`. Removing such elements (and navigation, forms, figures with their
captions) by those names holds for the next site too; what slips through is caught by the
line rules of `ingest.boilerplate`. Only the page's own words are used; nothing is fetched.
"""

from __future__ import annotations

import re

from lxml import html as lxml_html

# Words of class and id names that mark site furniture, split on anything but letters and digits
# ("om-consent__accept" -> om, consent, accept), so a name is matched whole, never inside a word.
_CLUTTER_WORD_TEXT = """
    cookie cookies consent gdpr newsletter nyhedsbrev signup subscribe subscription tilmeld abonnement
    share sharing sharebar deling social related relaterede recommended anbefalet popular mostread
    comments comment kommentarer kommentar disqus ad ads advert adverts advertisement annonce annoncer
    reklame leaderboard banner promo paywall sidebar breadcrumb breadcrumbs nav navigation menu masthead
    footer foot skip byline author authors dateline date published updated readtime kicker rubrik tags
    tag credit credits photographer caption gallery tools toolbar print popup modal overlay dialog logo
    brand
"""
_CLUTTER_WORDS = frozenset(_CLUTTER_WORD_TEXT.split())
# Whole elements that never hold the article's own prose.
_CLUTTER_TAG_TEXT = """
    script style noscript template svg canvas iframe object embed form button select input textarea
    nav aside figure figcaption footer dialog
"""
_CLUTTER_TAGS = frozenset(_CLUTTER_TAG_TEXT.split())
_CLUTTER_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog", "search"})
_NAME_PARTS = re.compile(r"[^a-z0-9æøå]+")
# A box named like furniture that holds this much of the page's text is a wrapper of the article
# ("page-with-sidebar"), not furniture.
_MAX_CLUTTER_SHARE = 0.4


def name_words(element: lxml_html.HtmlElement) -> set[str]:
    words: set[str] = set()
    for attribute in ("class", "id"):
        words.update(w for w in _NAME_PARTS.split((element.get(attribute) or "").lower()) if w)
    return words


def _is_page_header(element: lxml_html.HtmlElement) -> bool:
    """The site's masthead: a <header> outside the article (an article's own header holds its headline)."""
    return element.tag == "header" and not any(a.tag in ("article", "main") for a in element.iterancestors())


def strip_page_clutter(page: str) -> str:
    """The page without its site furniture (cookie banners, navigation, share and sign-up boxes, ads,
    related-article lists, bylines and datelines, photos with their captions and credits).

    Args:
        page: The decoded HTML of a saved page.

    Returns:
        The HTML that is left (the whole page, unchanged, when it cannot be parsed).
    """
    try:
        root = lxml_html.document_fromstring(page)
    except (ValueError, lxml_html.etree.ParserError):
        return page
    page_chars = max(1, len(root.text_content()))
    clutter = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue  # comments and processing instructions
        if (
            element.tag in _CLUTTER_TAGS
            or (element.get("role") or "").lower() in _CLUTTER_ROLES
            or _is_page_header(element)
            or (name_words(element) & _CLUTTER_WORDS and len(element.text_content()) < _MAX_CLUTTER_SHARE * page_chars)
        ):
            clutter.append(element)
    for element in clutter:
        if element.getparent() is not None:  # not inside an element dropped already
            element.drop_tree()
    return lxml_html.tostring(root, encoding="unicode")
