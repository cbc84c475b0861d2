"""Where the app finds its index and corpus: the library's (library/paths.py: `$ERFARINGSBANKEN_LIBRARY`,
else `data/` in the checkout), unless an environment variable names one folder alone (`python -m ui.serve`
sets both from its flags; tests point them at copies)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel

from library import resolve_paths

INDEX_DIR_ENV = "ERFARINGSBANKEN_INDEX_DIR"
CORPUS_DIR_ENV = "ERFARINGSBANKEN_CORPUS_DIR"
DEFAULT_K = 5
MAX_K = 10


class Settings(BaseModel):
    """The app's configuration."""

    index_dir: Path
    corpus_dir: Path


def load_settings(environ: dict[str, str] | None = None) -> Settings:
    """Read the settings from the environment.

    Args:
        environ: the environment to read (default: `os.environ`).

    Returns:
        `Settings`: each folder from its variable, else the library's.
    """
    env = os.environ if environ is None else environ
    library = resolve_paths(environ=env)
    return Settings(
        index_dir=Path(env.get(INDEX_DIR_ENV) or library.index_dir),
        corpus_dir=Path(env.get(CORPUS_DIR_ENV) or library.corpus_dir),
    )


def offline_models() -> None:
    """Make sure no model is ever fetched from a hub, whoever loads one."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
