"""Open a saved index: verify it and pair it with the model it was embedded with."""

from __future__ import annotations

from pathlib import Path

from index.decline.labels import STRONG_FEATURES
from index.decline.model import DECLINE_FEATURES
from index.dense.embed import Embedder, get_embedder
from index.errors import IndexCorruptError, ModelMismatchError
from index.searcher import Searcher
from index.store.layout import CALIBRATION
from index.store.reading import read


def load(index_dir: Path | str, embedder: Embedder | None = None) -> Searcher:
    """Load a saved index, verifying format, file hashes, counts and model.

    Args:
        index_dir: the index folder.
        embedder: the embedder to search with; None loads the model named in the manifest.

    Returns:
        The Searcher.

    Raises:
        IndexNotFoundError, IndexFormatError, IndexCorruptError, ModelMismatchError.
    """
    index_dir = Path(index_dir)
    parts = read(index_dir)
    manifest = parts.manifest
    embedder = embedder or get_embedder(manifest.model_name)
    if embedder.name != manifest.model_name or embedder.dim != manifest.dim:
        raise ModelMismatchError(index_dir, manifest.model_name, manifest.dim, embedder.name, embedder.dim)
    numbers = parts.calibration.calibration if parts.calibration else None
    if numbers is None or (numbers.model_name, numbers.dim) != (manifest.model_name, manifest.dim):
        # Never judge one model's cosines with another model's numbers.
        made_for = f"modellen '{numbers.model_name}'" if numbers else "ingen model"
        raise IndexCorruptError(
            index_dir, f"{CALIBRATION} er lavet for {made_for}, men indekset er bygget med '{manifest.model_name}'"
        )
    wanted = (list(DECLINE_FEATURES), list(STRONG_FEATURES))
    if (numbers.decline.features, numbers.strong.features) != wanted:
        # Coefficients read against other features than they were fitted on would judge at random.
        raise IndexCorruptError(
            index_dir, f"{CALIBRATION} vægter trækkene {numbers.decline.features}, men denne version læser "
            f"{wanted[0]}; byg indekset igen med `python -m ingest`"
        )
    return Searcher(parts, embedder)
