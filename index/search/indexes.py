"""The indexes one question is scored on, and whether a question scores every passage or candidates only."""

from __future__ import annotations

from dataclasses import dataclass

from index.dense.faiss_index import DenseIndex
from index.dense.views import view_rows_of
from index.lexical.bm25 import LexicalIndex
from index.search.plan import FETCH, FULL_FUSION_MAX_PASSAGES, corpus_sample
from index.store.columns import PassageColumns


@dataclass
class Indexes:
    """The sentence rows, the stacked passage views and BM25 over one corpus, with its passages' columns.

    `full_fusion_max` and `fetch` are the candidate path's settings (index/search/plan.py); a test
    or the benchmark may lower them to send a small index down the large index's path.
    """

    sentences: DenseIndex
    contexts: DenseIndex
    lexical: LexicalIndex
    columns: PassageColumns
    full_fusion_max: int = FULL_FUSION_MAX_PASSAGES
    fetch: int = FETCH

    @property
    def n_passages(self) -> int:
        return len(self.columns)

    @property
    def scores_everything(self) -> bool:
        """A small, exact index scores every passage once per question (memoised, so the decision
        reads the same scores); a large one, or one whose dense index is approximate (it scores only
        the rows it fetches), scores only the planned positions, exactly."""
        approximate = self.sentences.is_approximate or self.contexts.is_approximate
        return self.n_passages <= self.full_fusion_max and not approximate

    @property
    def fusion_max(self) -> int:
        """Up to how many allowed passages a question scores them all (0 once a dense index is approximate)."""
        return self.full_fusion_max if self.scores_everything else 0

    def prepare(self) -> None:
        """Ready a large index for its first question: the candidate path's BM25 runs compiled code (loaded
        now, not on a user's first question), and every question scores the fixed corpus sample (its
        vectors are kept in memory, not read from disk)."""
        if self.scores_everything:
            return
        self.lexical.warm_up()
        n = self.n_passages
        sample = corpus_sample(n)
        self.sentences.pin_passages(sample)
        self.contexts.pin_rows(view_rows_of(self.contexts, sample, n))
