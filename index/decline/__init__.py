"""The decision to decline, and how strong each result is.

model (a logistic model of "out of scope" on the best cosine relative to the index's probes, how
new and how specific the question's words are to the library, and the question's length) and
labels (P(the first card holds the answer), from the same cosine and the fused margin) weigh
evidence with the numbers of calibration (one file per embedding model, one per index, the
fusion's numbers beside them), fitted by fit (eval.calibrate's tune questions) or by
self_calibration (an index whose model has no file, at build). checks gathers the evidence and
holds the checks without a fitted number (answer_type: a figure, sum, time or speaker asked for
that the best passages do not give). probes: generic questions no crisis library answers, the
baseline of each index's cosines.
"""
