"""One question's search: which passages to score, every signal's scores, one ranking, the answer.

indexes (the three indexes of one corpus) → plan (every passage of a small index; each side's best
plus a fixed sample in a large one) → signals (sentence, passage views, BM25) → fusion (per-question
z-scores summed, neighbour propagation, another article's voice, top k); retrieval puts them in one
function, `retrieve`; answer turns its ranking into the `Answer`; budget bounds its time.
"""
