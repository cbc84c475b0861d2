"""The decision to decline: when no passage answers the question well enough, and why.

model (a logistic model of "out of scope" on the best cosine, the word share above the probes'
and the question's length; the strength of each result) reads its numbers from calibration.
Checks without a fitted number: hazards (a kind of crisis no article speaks of), answer_type (a
figure, sum, time, speaker or name asked for that the best passages do not give). probes (generic
questions no crisis library answers) set each index's word-share baseline.
"""
