"""The decision to decline: when no passage answers the question well enough, and why.

model (a logistic model of "out of scope" on the best cosine, the word share above the probes'
and the question's length; each result's strength) weighs evidence with the numbers of calibration
(one file per embedding model, one per index), fitted by fit (eval.calibrate's tuning questions) or
by self_calibration (an index whose model has no file, at build). checks (no fitted number): hazards
(a kind of crisis no article speaks of) and answer_type (a figure, sum, time, speaker or name asked
for that the best passages do not give). probes: generic questions no crisis library answers, the
baseline of each index's word share.
"""
