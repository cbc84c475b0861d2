"""The articles page: each article's metadata, sections and number of passages, as escaped HTML."""

from __future__ import annotations

from pydantic import BaseModel

from index import Searcher
from ingest.models import Article, Passage
from ui import labels
from ui.citation import safe_url
from ui.escaping import escape

UNKNOWN = "ukendt"


class ArticleOverview(BaseModel):
    """One article as the articles page shows it."""

    article: Article
    sections: list[str]
    n_passages: int


def overviews(articles: list[Article], passages: list[Passage]) -> list[ArticleOverview]:
    """Join articles with their passages.

    Args:
        articles: the searcher's articles.
        passages: the searcher's passages.

    Returns:
        One overview per article, in the given order; sections in reading order, once each.
    """
    result: list[ArticleOverview] = []
    for article in articles:
        own = sorted((p for p in passages if p.article.id == article.id), key=lambda p: p.ordinal)
        sections: list[str] = []
        for passage in own:
            if passage.section and passage.section not in sections:
                sections.append(passage.section)
        result.append(ArticleOverview(article=article, sections=sections, n_passages=len(own)))
    return result


def searcher_overviews(searcher: Searcher) -> list[ArticleOverview]:
    """Like `overviews`, from the searcher's per-article outline: no passage is read from disk.

    Args:
        searcher: the loaded `index.Searcher`.

    Returns:
        One overview per article of the searcher, in its order.
    """
    result: list[ArticleOverview] = []
    for article in searcher.articles:
        sections, n_passages = searcher.article_outline(article.id)
        result.append(ArticleOverview(article=article, sections=sections, n_passages=n_passages))
    return result


def _row(label: str, value: str) -> str:
    return f"<dt>{escape(label)}</dt><dd>{value}</dd>"


def _text(value: str | None) -> str:
    return escape(value) if value else f"<i>{UNKNOWN}</i>"


def article_html(overview: ArticleOverview) -> str:
    """Return one article's card for the articles page.

    Args:
        overview: the article and its counts.

    Returns:
        Escaped HTML; unknown fields say 'ukendt', a derived title is marked.
    """
    a = overview.article
    title = f"<b>{escape(a.title)}</b>"
    if a.title_is_derived:
        title += f' <span class="eb-derived">{escape(labels.DERIVED_TITLE)}</span>'
    url = safe_url(a.url)
    link = f'<a href="{escape(url)}" target="_blank" rel="noopener noreferrer">{escape(url)}</a>' if url else None
    links = [safe_url(x) for x in a.links]
    links_html = "<br>".join(
        f'<a href="{escape(x)}" target="_blank" rel="noopener noreferrer">{escape(x)}</a>' for x in links if x
    )
    rows = [
        _row("Titel", title),
        _row("Link", link or f"<i>{UNKNOWN}</i> (fil: {escape(a.file)})"),
        _row("Udgiver", _text(a.publisher)),
        _row("Sponsor", _text(a.sponsor)),
        _row("Serie", _text(a.series)),
        _row("Forfattere", escape(", ".join(a.authors)) if a.authors else f"<i>{UNKNOWN}</i>"),
        _row("Udgivet", escape(labels.danish_date(a.published)) if a.published else f"<i>{UNKNOWN}</i>"),
        _row("Fil", escape(a.file)),
        _row("Omfang", escape(labels.passages_count(overview.n_passages))),
        _row(
            "Afsnit",
            "<br>".join(escape(s) for s in overview.sections) if overview.sections else "<i>ingen overskrifter</i>",
        ),
    ]
    if links_html:
        rows.append(_row("Links i teksten", links_html))
    if a.notes:
        rows.append(_row("Noter", escape(a.notes)))
    return f'<div class="eb-article"><dl>{"".join(rows)}</dl></div>'
