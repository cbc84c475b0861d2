"""The development library: its questions are well-formed, split by article, and every gold snippet
comes out of ingest whole, inside one passage of an article the question names (HTML, Word and
PDF originals included: a snippet cut by a column, a hyphen or a page break would fail here)."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import ingest
from eval.dataset import word_count
from eval.library_set import (
    SEED_ARTICLES,
    LibraryQuestion,
    article_splits,
    expected_split,
    library_articles,
    load_library_questions,
    make_corpus,
)
from ingest.models import CorpusReading


@pytest.fixture(scope="module")
def questions() -> list[LibraryQuestion]:
    return load_library_questions()


@pytest.fixture(scope="module")
def reading(tmp_path_factory: pytest.TempPathFactory) -> CorpusReading:
    corpus = make_corpus(tmp_path_factory.mktemp("library") / "corpus", library_articles())
    return ingest.load_corpus(corpus)


def test_the_questions_are_split_by_article_and_mix_the_kinds_asked_for(questions: list[LibraryQuestion]) -> None:
    articles = library_articles()
    assert len(articles) >= 10
    splits = article_splits(articles)
    uncovered = sorted((q.id for q in questions if not q.articles), key=lambda i: (len(i), i))
    assert [q.id for q in questions if q.split != expected_split(q, splits, uncovered)] == []
    known = set(articles) | set(SEED_ARTICLES)
    assert {a for q in questions for a in q.articles} <= known
    kinds = Counter(q.kind for q in questions)
    out = [q for q in questions if not q.in_scope]
    assert len(out) >= 0.25 * len(questions)
    assert 0.4 <= sum(q.near_miss for q in out) / len(out) <= 0.75  # about half of them near misses
    assert kinds["paraphrase"] == max(kinds.values())
    assert {"keywords", "typo", "ascii", "speaker", "figure"} <= set(kinds)
    assert sum(len(q.articles) >= 2 for q in questions if q.in_scope) >= 20
    assert all(4 <= word_count(g) <= 16 for q in questions for g in q.gold)
    # Both halves have questions about every kind of file.
    for split in ("tune", "heldout"):
        suffixes = {Path(a).suffix for q in questions if q.split == split for a in q.articles}
        assert {".html", ".txt", ".docx", ".pdf"} <= suffixes


def test_every_file_of_the_library_is_read_into_passages(reading: CorpusReading) -> None:
    assert [r.file for r in reading.report if r.status != "indexed"] == []
    assert len(reading.articles) == len(library_articles()) + len(SEED_ARTICLES)


def test_every_gold_snippet_lies_whole_inside_one_passage_of_an_article_it_names(
    questions: list[LibraryQuestion], reading: CorpusReading
) -> None:
    texts: dict[str, list[str]] = {}
    for passage in reading.passages:
        texts.setdefault(passage.article.original or passage.article.file, []).append(passage.text)
    missing = []
    uncovered_articles = []
    for question in questions:
        for snippet in question.gold:
            if not any(snippet in text for a in question.articles for text in texts.get(a, [])):
                missing.append((question.id, snippet))
        # A question naming several articles has an answer in each.
        for article in question.articles if question.in_scope else []:
            if not any(snippet in text for snippet in question.gold for text in texts.get(article, [])):
                uncovered_articles.append((question.id, article))
    assert missing == []
    assert uncovered_articles == []
