"""The per-file report printed at the end of a build, in Danish."""

from __future__ import annotations

from collections import Counter

from ingest.models import CorpusReading

_STATUS_DA = {"indexed": "indekseret", "skipped": "sprunget over", "duplicate": "dublet"}


def format_report(reading: CorpusReading) -> str:
    """One line per file (status, passages, encoding, reason), then metadata warnings and a total."""
    lines = ["Rapport pr. fil:"]
    width = max((len(r.file) for r in reading.report), default=0)
    for row in sorted(reading.report, key=lambda r: r.file):
        status = _STATUS_DA[row.status]
        detail = f"{row.n_passages} passager, {row.encoding}" if row.status == "indexed" else ""
        if row.duplicate_of:
            detail = f"samme indhold som {row.duplicate_of}"
        if row.reason:
            detail = f"{detail} – {row.reason}" if detail else row.reason
        lines.append(f"  {row.file:<{width}}  {status:<14} {detail}".rstrip())
    for warning in reading.warnings:
        lines.append(f"  Advarsel: {warning}")
    counts = Counter(r.status for r in reading.report)
    lines.append(
        f"I alt: {counts['indexed']} artikler indekseret, {counts['skipped']} sprunget over, "
        f"{counts['duplicate']} dubletter; {len(reading.passages)} passager."
    )
    return "\n".join(lines)
