"""Leave-one-batch-out cross-validation of the fusion, the decline and the labels on the tune snapshots.

For each group (B1, B2, …, LIB, SEED: eval.tune_set.groups) in turn: the fusion's numbers are
chosen on the others (hit@1 + hit@5 of their answerable questions, whole library), the decline model is fitted on
their questions (whole library, and each of their articles left out of the library in turn) with
its threshold the lowest that keeps the training questions' false declines at or under 2.5 %, the
label model is fitted on their answers with its threshold the lowest at which every training group's
"Stærkt match" first cards hold the answer 95 % of the time (so that 90 % holds on a group left out);
then all three are scored on the group left out. The same fit on every group gives the shipped
numbers (`fit_all`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from eval.snapshots import Outcome, Snapshot, outcome_of
from eval.tune_set import groups
from index.decline.calibration import FusionParams, LogisticModel
from index.decline.fit import decline_threshold, fit_logistic, probabilities, strong_threshold
from index.decline.labels import STRONG_FEATURES
from index.decline.model import DECLINE_FEATURES


def fusion_grid() -> list[FusionParams]:
    """The fusions tried: today's (equal weights, neighbours 0.2, no structure) first, so it wins ties."""
    grid = [FusionParams()]
    for bm25, neighbour, step, speaker, answer in itertools.product(
        (1.0, 0.75, 0.5), (0.2, 0.3), (0.0, 1.0), ((0.0, 0.0), (0.25, 0.5)), (0.0, 1.0)
    ):
        params = FusionParams(bm25_weight=bm25, neighbour_weight=neighbour, question_step_back=step,
                              quote_bonus=speaker[0], asked_speaker_bonus=speaker[1], answer_type_bonus=answer)
        if params != grid[0]:
            grid.append(params)
    return grid


class Outcomes:
    """Each snapshot's outcome under each fusion tried, computed once."""

    def __init__(self, snapshots: Sequence[Snapshot]) -> None:
        self.snapshots = list(snapshots)
        self._done: dict[str, list[Outcome]] = {}

    def under(self, params: FusionParams) -> list[Outcome]:
        key = params.model_dump_json()
        if key not in self._done:
            self._done[key] = [outcome_of(s, params) for s in self.snapshots]
        return self._done[key]


def _whole(s: Snapshot) -> bool:
    return s.library.name == "all"


def choose_fusion(outcomes: Outcomes, groups: set[str], grid: Sequence[FusionParams]) -> FusionParams:
    """The fusion with the best hit@1 + hit@5 over the answerable questions of `groups` (whole library)."""
    rows = [i for i, s in enumerate(outcomes.snapshots) if _whole(s) and s.answering and s.question.group in groups]
    best, best_score = grid[0], -1.0
    for params in grid:
        under = outcomes.under(params)
        score = sum((under[i].rank == 1) + (under[i].rank is not None and under[i].rank <= 5) for i in rows)
        if score > best_score:
            best, best_score = params, score
    return best


@dataclass
class Decline:
    """A fitted decline: the model (None: the answer-type checks alone) and the checks."""

    model: LogisticModel | None

    def declines(self, outcome: Outcome) -> bool:
        if outcome.missing is not None:
            return True
        return self.model is not None and self.model.decides(outcome.decline)


def fit_decline(snapshots: Sequence[Snapshot], under: Sequence[Outcome], rows: Sequence[int],
                checks_only: bool = False) -> Decline:
    """The decline fitted on `rows` (whole library and articles left out), its threshold pooled over them."""
    if checks_only:
        return Decline(None)
    x = np.asarray([under[i].decline for i in rows])
    y = np.asarray([snapshots[i].out_of_scope for i in rows])
    checked = np.asarray([under[i].missing is not None for i in rows])
    # One pool: a group whose checks alone pass the target would otherwise forbid the model any decline.
    pooled = np.zeros(len(rows), dtype=int)
    model = fit_logistic(x, y, list(DECLINE_FEATURES))
    threshold = decline_threshold(probabilities(model, x), y, checked, pooled)
    return Decline(model.model_copy(update={"threshold": threshold}))


def fit_strong(snapshots: Sequence[Snapshot], under: Sequence[Outcome], rows: Sequence[int]) -> LogisticModel:
    """The label model fitted on `rows` (answers not declined), its threshold holding 90 % in every group."""
    x = np.asarray([under[i].label for i in rows])
    right = np.asarray([under[i].first_right for i in rows])
    groups = np.asarray([snapshots[i].question.group for i in rows])
    model = fit_logistic(x, right, list(STRONG_FEATURES))
    return model.model_copy(update={"threshold": strong_threshold(probabilities(model, x), right, groups)})


@dataclass
class Tally:
    """Counts for one group (or all), as eval/README.md reports them."""

    answerable: int = 0
    hit1: int = 0
    hit5: int = 0
    out: dict[str, list[int]] = field(default_factory=lambda: {"near": [0, 0], "off": [0, 0], "crisis": [0, 0]})
    false_declines: int = 0
    left_out_own: list[int] = field(default_factory=lambda: [0, 0])
    left_out_others: list[int] = field(default_factory=lambda: [0, 0])
    strong: list[int] = field(default_factory=lambda: [0, 0])
    voices: list[int] = field(default_factory=lambda: [0, 0])

    def add(self, other: Tally) -> None:
        self.answerable += other.answerable
        self.hit1 += other.hit1
        self.hit5 += other.hit5
        self.false_declines += other.false_declines
        for name in self.out:
            self.out[name] = [a + b for a, b in zip(self.out[name], other.out[name], strict=True)]
        for attr in ("left_out_own", "left_out_others", "strong", "voices"):
            setattr(self, attr, [a + b for a, b in zip(getattr(self, attr), getattr(other, attr), strict=True)])


def tally(snapshots: Sequence[Snapshot], under: Sequence[Outcome], rows: Sequence[int], decline: Decline,
          strong: LogisticModel | None) -> Tally:
    """Score `rows` with one fusion's outcomes, one decline and one label model."""
    t = Tally()
    for i in rows:
        s, o = snapshots[i], under[i]
        declined = decline.declines(o)
        if not _whole(s):
            own = t.left_out_others if s.answering else t.left_out_own
            own[0] += 1
            own[1] += declined
            continue
        if s.answering:
            t.answerable += 1
            t.hit1 += o.rank == 1
            t.hit5 += o.rank is not None and o.rank <= 5
            t.false_declines += declined
            if len(s.answering) >= 2 and s.question.group != "SEED":
                t.voices[0] += 1
                t.voices[1] += o.voices >= 2
        else:
            t.out[s.question.out_kind][0] += 1
            t.out[s.question.out_kind][1] += declined
        if strong is not None and not declined and strong.decides(o.label):
            t.strong[0] += 1
            t.strong[1] += o.first_right
    return t


Variant = Callable[[Outcomes, set[str]], tuple[FusionParams, Decline, LogisticModel | None]]


def fitted(outcomes: Outcomes, train: set[str], fusion: FusionParams | None = None, checks_only: bool = False,
           grid: Sequence[FusionParams] | None = None) -> tuple[FusionParams, Decline, LogisticModel | None]:
    """Fusion, decline and labels fitted on the groups `train`."""
    snapshots = outcomes.snapshots
    params = fusion or choose_fusion(outcomes, train, grid or fusion_grid())
    under = outcomes.under(params)
    rows = [i for i, s in enumerate(snapshots) if s.question.group in train]
    decline = fit_decline(snapshots, under, rows, checks_only)
    answered = [i for i in rows if _whole(snapshots[i]) and not decline.declines(under[i])]
    return params, decline, fit_strong(snapshots, under, answered)


def cross_validate(outcomes: Outcomes, variant: Variant) -> tuple[dict[str, Tally], list[FusionParams]]:
    """Leave each group out in turn: fit `variant` on the others, score the one left out."""
    snapshots = outcomes.snapshots
    per_group: dict[str, Tally] = {}
    chosen: list[FusionParams] = []
    names = groups()
    for held in names:
        params, decline, strong = variant(outcomes, set(names) - {held})
        chosen.append(params)
        rows = [i for i, s in enumerate(snapshots) if s.question.group == held]
        per_group[held] = tally(snapshots, outcomes.under(params), rows, decline, strong)
    return per_group, chosen


def in_sample(outcomes: Outcomes, variant: Variant) -> dict[str, Tally]:
    """Fit `variant` on every group and score each (in-sample: for reference, never a claim)."""
    names = groups()
    params, decline, strong = variant(outcomes, set(names))
    snapshots = outcomes.snapshots
    return {g: tally(snapshots, outcomes.under(params), [i for i, s in enumerate(snapshots) if s.question.group == g],
                     decline, strong) for g in names}


def _frac(pair: Sequence[int]) -> str:
    return f"{pair[1]}/{pair[0]}"


def table(label: str, per_group: dict[str, Tally]) -> list[str]:
    """Markdown rows: one per group and the total."""
    total = Tally()
    for t in per_group.values():
        total.add(t)
    lines = []
    for name, t in [*per_group.items(), ("all", total)]:
        out = [sum(v[0] for v in t.out.values()), sum(v[1] for v in t.out.values())]
        n = max(1, t.answerable)
        lines.append(
            f"| {label} | {name} | {t.hit1 / n:.3f} | {t.hit5 / n:.3f} | {_frac(out)} ({_frac(t.out['near'])} / "
            f"{_frac(t.out['off'])} / {_frac(t.out['crisis'])}) | {t.false_declines}/{t.answerable} | "
            f"{_frac(t.left_out_own)} | {_frac(t.left_out_others)} | {_frac(t.strong)} | {_frac(t.voices)} |"
        )
    return lines


TABLE_HEAD = [
    "| variant | group | hit@1 | hit@5 | out of scope declined (near / off-topic / crisis) | false declines | "
    "article left out: own declined | others wrongly declined | \"Stærkt match\" right | ≥ 2 voices |",
    "|---|---|---|---|---|---|---|---|---|---|",
]
