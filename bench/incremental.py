"""Incremental build and first answer: one real article added to a 10k-passage index.

The earlier index is made of synthetic passages (recombined sentences of the other seed
articles), embedded through a lookup that returns the benchmark's vectors under the product
embedder's name, so the content-hash cache of `index.build` holds them exactly as if they had
been embedded. Adding the new article then goes through the real `build(reuse_from=...)`, with
the real model, and counts what it embeds.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from bench import corpus as bench_corpus
from index.builder import build
from index.dense.embed import Embedder
from index.dense.views import context_texts, sentence_texts
from ingest.models import ArticleSource, Passage

_PER_ARTICLE = 50


class LookupEmbedder(Embedder):
    """Known texts get stored vectors; any other text goes to the real embedder (and is counted)."""

    def __init__(self, real: Embedder, known: dict[str, np.ndarray] | None = None) -> None:
        self.name, self.dim = real.name, real.dim
        self._real = real
        self._known = known or {}
        self.embedded = 0

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if all(t in self._known for t in texts):
            return np.stack([self._known[t] for t in texts])
        self.embedded += len(texts)
        return self._real.embed_queries(texts) if is_query else self._real.embed_passages(texts)


def synthetic_passages(recipe: np.ndarray, sentences: list[str]) -> list[Passage]:
    """Passages of synthetic articles (`_PER_ARTICLE` each), with offsets as if the file held them.

    Args:
        recipe: from `bench_corpus.recipes`.
        sentences: the sentence pool the recipe indexes.

    Returns:
        Valid passages (text, offsets and sentence spans agree).
    """
    passages = []
    offset = 0
    for i, row in enumerate(recipe.tolist()):
        article = f"synthetic_{i // _PER_ARTICLE:05d}"
        if i % _PER_ARTICLE == 0:
            offset = 0
        parts = [sentences[s] for s in row if s >= 0]
        spans, cursor = [], offset
        for part in parts:
            spans.append((cursor, cursor + len(part)))
            cursor += len(part) + 1
        text = " ".join(parts)
        source = ArticleSource(id=article, title="Syntetisk artikel", title_is_derived=True, file=f"{article}.txt",
                               encoding="utf-8")
        passages.append(Passage(id=f"{article}:{i}", article=source, ordinal=i % _PER_ARTICLE, char_start=offset,
                                char_end=offset + len(text), text=text, sentence_spans=spans))
        offset += len(text) + 2
    return passages


def measure(
    work: Path, material: bench_corpus.Material, pool: list[int], article: list[Passage], real: Embedder, size: int
) -> dict[str, Any]:
    """Build a `size`-passage index, add `article` with reuse, and time a fresh process's first answer.

    Args:
        work: the work folder.
        material: the seed material (sentences and their real vectors).
        pool: indexes of the sentences the synthetic passages may use (not the new article's).
        article: the real passages of the article to add.
        real: the product embedder.
        size: passages in the earlier index.

    Returns:
        Timings, counts and the ratio to embedding the article alone.
    """
    sentences = [material.sentences[i] for i in pool]
    recipe = bench_corpus.recipes(size, len(sentences), seed=bench_corpus.SEED + 2)
    vectors = bench_corpus.write_vectors(recipe, material.sentence_vectors[pool], work / "incremental.npy")
    earlier = synthetic_passages(recipe, sentences)
    known = dict(zip(sentences, material.sentence_vectors[pool], strict=True))
    # The titles and headings the passage views are derived with get stored vectors too.
    contexts = context_texts(earlier)
    known.update({text: np.asarray(vectors[i % size]) for i, text in enumerate(contexts)})
    t0 = time.perf_counter()
    build(earlier, embedder=LookupEmbedder(real, known)).save(work / "index-before")
    before_s = time.perf_counter() - t0

    texts = [t for p in article for t in sentence_texts(p)] + context_texts(article)
    t0 = time.perf_counter()
    real.embed_passages(list(dict.fromkeys(texts)))
    embed_alone_s = time.perf_counter() - t0

    counting = LookupEmbedder(real)
    t0 = time.perf_counter()
    searcher = build(earlier + article, embedder=counting, reuse_from=work / "index-before")
    add_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    searcher.save(work / "index-after")
    save_s = time.perf_counter() - t0
    return {
        "incremental_base_passages": size,
        "incremental_article_passages": len(article),
        "incremental_texts_embedded": counting.embedded,
        "incremental_article_texts": len(set(texts)),
        "incremental_build_s": add_s,
        "incremental_save_s": save_s,
        "incremental_embed_alone_s": embed_alone_s,
        "incremental_ratio": add_s / embed_alone_s,
        "incremental_ratio_with_save": (add_s + save_s) / embed_alone_s,
        "earlier_build_s": before_s,
        **first_answer(work / "index-after", article[0].text.split(".")[0]),
    }


def first_answer(index_dir: Path, question: str) -> dict[str, float]:
    """Time a fresh Python process from start to its first search over `index_dir`.

    Args:
        index_dir: a saved index.
        question: the question to ask.

    Returns:
        Wall time of the whole process and the load + first search time inside it.
    """
    code = (
        "import time; t = time.perf_counter(); import index; "
        f"s = index.load({str(index_dir)!r}); s.search({question!r}, k=5); print(time.perf_counter() - t)"
    )
    t0 = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=Path(__file__).parents[1])
    if done.returncode != 0:
        raise RuntimeError(f"Første svar i en ny proces fejlede:\n{done.stderr[-2000:]}")
    wall = time.perf_counter() - t0
    return {"first_answer_process_s": wall, "first_answer_in_process_s": float(done.stdout.split()[-1])}
