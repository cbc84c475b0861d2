"""What a passage's form says beside its words: a question is not an answer, a quote answers a quote question,
a figure answers a question of how many.

Three adjustments of the fused scores (z units), each structural (no word list, no article), their
sizes data of the model's calibration (`FusionParams`), kept only as far as leave-one-batch-out
cross-validation on the tune questions held them (eval/README.md, "Ranking"):
- a passage that is itself a question (an interviewer's, an FAQ's, a podcast host's) echoes the
  leader's words and is never the answer: it hands its score to the passage after it and steps back;
- when the question asks what someone said, a passage that quotes someone gains, and more when its
  speaker is the role asked for;
- when the question asks for a figure, a sum or a time, the first passages that give one beside
  the question's words gain (the check the decline makes of the best two).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.decline.calibration import FusionParams


@dataclass(frozen=True)
class QuestionForm:
    """What one question asks for, as the ranking reads it (from its `QueryReading`).

    `asked_speaker[code]` says whether speaker code `code` is the role a quote question asks for
    (None: the question asks for nobody's words). `gives_answer(position)` says whether that passage
    gives the figure or time asked for (None: the question asks for none).
    """

    asked_speaker: np.ndarray | None = None
    gives_answer: Callable[[int], bool] | None = None


def positions_in(wanted: np.ndarray, positions: np.ndarray) -> np.ndarray:
    """Where each wanted passage position is among the scored `positions` (-1: not scored).

    Args:
        wanted: passage positions (-1: none).
        positions: the scored passages' positions.

    Returns:
        Indexes into `positions`, -1 where absent.
    """
    if len(positions) == 0:
        return np.full(len(wanted), -1, dtype=np.int64)
    order = np.argsort(positions, kind="stable")
    ordered = positions[order]
    at = np.clip(np.searchsorted(ordered, wanted), 0, len(ordered) - 1)
    found = (wanted >= 0) & (ordered[at] == wanted)
    return np.where(found, order[at], -1)


def questions_hand_on(
    fused: np.ndarray, positions: np.ndarray, is_question: np.ndarray, after: np.ndarray, step_back: float
) -> np.ndarray:
    """A question passage gives its score to the passage after it (when scored), and falls `step_back`.

    Args:
        fused: one fused score per scored passage.
        positions: the passage position of each score.
        is_question: for every passage, whether it is itself a question.
        after: for every passage, the next passage of its article (-1: none).
        step_back: how far a question passage falls (0: nothing changes).

    Returns:
        float64, aligned with `fused`: an answer gets the higher of its own and its question's score.
    """
    out = np.asarray(fused, dtype=np.float64).copy()
    if step_back <= 0 or len(out) == 0:
        return out
    asks = is_question[positions]
    if not asks.any():
        return out
    following = positions_in(after[positions], positions)
    handing = np.flatnonzero(asks & (following >= 0))
    np.maximum.at(out, following[handing], out[handing])
    out[asks] = np.asarray(fused, dtype=np.float64)[asks] - step_back
    return out


def speaker_bonus(
    positions: np.ndarray, has_speaker: np.ndarray, speaker: np.ndarray, form: QuestionForm, params: FusionParams
) -> np.ndarray:
    """What a quote question adds to each scored passage: for any quote, and more for the role asked for.

    Args:
        positions: the scored passages' positions.
        has_speaker: for every passage, whether it quotes someone.
        speaker: for every passage, its speaker code.
        form: what the question asks for.
        params: the fusion's numbers.

    Returns:
        float64 bonus per scored passage (zeros when the question asks for nobody's words).
    """
    if form.asked_speaker is None:
        return np.zeros(len(positions))
    asked = form.asked_speaker[speaker[positions]]
    return params.quote_bonus * has_speaker[positions] + params.asked_speaker_bonus * asked


def answer_bonus(fused: np.ndarray, positions: np.ndarray, form: QuestionForm, params: FusionParams) -> np.ndarray:
    """The first passages that give the figure or time the question asks for move up by the bonus.

    Only the `answer_type_depth` best are read (each check reads one passage's text).

    Args:
        fused: one score per scored passage.
        positions: their passage positions.
        form: what the question asks for.
        params: the fusion's numbers.

    Returns:
        float64, aligned with `fused`.
    """
    out = np.asarray(fused, dtype=np.float64).copy()
    if form.gives_answer is None or params.answer_type_bonus <= 0 or params.answer_type_depth <= 0:
        return out
    depth = min(params.answer_type_depth, len(out))
    best = np.argsort(-out, kind="stable")[:depth]
    for i in best:
        if form.gives_answer(int(positions[i])):
            out[i] += params.answer_type_bonus
    return out
