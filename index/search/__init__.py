"""One question's search: which passages to score, every signal's scores, one ranking.

plan (every passage of a small index; each side's best plus a sample in a large one) → fusion
(per-question z-scores summed, neighbour propagation, another article's voice, top k).
"""
