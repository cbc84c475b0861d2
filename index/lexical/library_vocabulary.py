"""The library's vocabulary: its passages' words, and the words of its titles, headings, speakers and publishers.

A leader who has just added a memo titled "Strømsvigtet i Nordby Kommune" asks about "strømsvigtet i
Nordby": the memo's body may say "uden strøm" and never the title's words, yet they are the
library's words, and a question in them is about the library. BM25 indexes the passages' own text
(a title counted in every passage of its article would outweigh what each passage says); the
question's reading (which words are new, which are absent) reads this wider vocabulary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from index.lexical.bm25 import LexicalIndex
from ingest.models import Article, ArticleSource


def article_texts(articles: Sequence[Article | ArticleSource]) -> list[str]:
    """What an article's metadata says in words: its title, publisher, sponsor, series and authors.

    Links and editors' notes are left out: they are no words of the article ("https", "skrabet tekst").

    Args:
        articles: the library's articles (or their sources, as passages carry them).

    Returns:
        The texts, once each.
    """
    texts: list[str] = []
    for article in articles:
        texts += [article.title, article.publisher or ""]
        if isinstance(article, Article):
            texts += [article.sponsor or "", article.series or "", *article.authors]
    return list(dict.fromkeys(t for t in texts if t))


def library_vocabulary(lexical: LexicalIndex, metadata: Iterable[str]) -> frozenset[str]:
    """BM25's vocabulary with the terms of the library's metadata (`article_texts`, headings, speakers).

    Args:
        lexical: the index's BM25 index (its vocabulary and analyzer).
        metadata: the texts: titles, publishers, headings, speakers' roles.

    Returns:
        One frozen set for the life of the index (the analyzer caches its lookups by identity).
    """
    analyzer = lexical.analyzer
    extra = {term for text in dict.fromkeys(metadata) for term in analyzer.document_terms(text)}
    return frozenset(lexical.vocabulary | extra)
