"""An index folder as the previous version wrote it (format 5), made from a current one.

Format 6 added calibration.json (the decline model's numbers) and nothing else: a build of the seeds
made with the code before it (commit d14e2fd^, `python -m ingest`) held the same files but that
one, and a manifest with the same fields, its `format_version` 5. This makes that folder from a
format-6 build: the calibration file out, the manifest saying 5 and listing the files that remain.
"""

from __future__ import annotations

import json
from pathlib import Path

PREVIOUS_FORMAT = 5


def downgrade(index_dir: Path) -> Path:
    """Turn the build `index_dir/current` points at into a format-5 build; returns the build folder."""
    build = (index_dir / "current").resolve()
    (build / "calibration.json").unlink()
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    manifest["format_version"] = PREVIOUS_FORMAT
    manifest["files"].pop("calibration.json")
    (build / "manifest.json").write_text(json.dumps(manifest, indent=2), encoding="utf-8")
    return build
