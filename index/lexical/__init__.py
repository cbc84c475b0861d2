"""Lexical retrieval: BM25 (bm25s) over the Danish analyser's terms.

bm25 (`LexicalIndex`, what BM25 indexes of a passage) ← postings (a compiled top-k over bm25s's
postings, for a large index).
"""
