"""Bad corpus input through the real build CLI: every file is named with a reason, the build goes on.

What tests/test_ingest_files.py already covers (codecs, empty/binary files, duplicates, metadata) is
not repeated; here: a 50 MB file in bounded memory, exit codes, the old index kept when nothing works.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import index
from ingest import load_corpus
from ingest.read import MAX_ARTICLE_BYTES
from tests.robust_helpers import ROOT, article, run_module, tree_state

TO_DO = ("Gem", "Læg", "slet", "Slet", "Giv", "ret", "Ret", "Tjek", "Del")
BIG_BYTES = 50 * 1024 * 1024


def bad_corpus(folder: Path) -> dict[str, str]:
    """Every kind of bad input beside one good article; returns file -> what the report must say."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "god.txt").write_text(article("Sorø"), encoding="utf-8")
    (folder / "tom.txt").write_bytes(b"")
    (folder / "binaer.txt").write_bytes(bytes(range(256)) * 8)
    (folder / "latin1.txt").write_bytes(article("Ærø").replace("”", '"').encode("latin-1"))
    (folder / "bom.md").write_bytes(b"\xef\xbb\xbf" + article("Århus").encode("utf-8"))
    (folder / "ingen_saetninger.txt").write_text("Log ind\nDel artiklen:\nSkip to main content\n", encoding="utf-8")
    (folder / "kopi.txt").write_text(article("Sorø"), encoding="utf-8")
    (folder / "slides.key").write_bytes(b"PK\x03\x04 not an article")
    (folder / "articles.toml").write_text(
        '[[article]]\nfile = "god.txt"\ntitle = "God artikel"\n\n'
        '[[article]]\nfile = "bom.md"\ntitle = uden anførselstegn\n\n'
        '[[article]]\nfile = "findes-ikke.txt"\n',
        encoding="utf-8",
    )
    return {
        "tom.txt": "tom",
        "binaer.txt": "binær",
        "ingen_saetninger.txt": "ingen artikeltekst",
        "kopi.txt": "god.txt",
        "slides.key": ".key",
    }


def test_the_cli_names_every_bad_file_and_indexes_the_good_ones(tmp_path: Path) -> None:
    expected = bad_corpus(tmp_path / "corpus")
    done = run_module("ingest", ["--corpus", str(tmp_path / "corpus"), "--index-dir", str(tmp_path / "index")])
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    lines = {line.split()[0]: line for line in done.stdout.splitlines() if line.startswith("  ") and line.split()}
    for name, words in expected.items():
        assert name in lines, f"{name} is missing from the report:\n{done.stdout}"
        assert words in lines[name] and any(w in lines[name] for w in TO_DO), lines[name]
    for good in ("god.txt", "latin1.txt", "bom.md"):
        assert "indekseret" in lines[good], lines[good]
    assert "latin-1" in lines["latin1.txt"] or "cp1252" in lines["latin1.txt"]
    assert "utf-8-sig" in lines["bom.md"]
    assert "articles.toml, linje 7" in done.stdout  # the broken entry, by its line
    assert "linje 9" in done.stdout and "findes-ikke.txt" in done.stdout  # a file that is not there
    searcher = index.load(tmp_path / "index")
    assert {a.file for a in searcher.articles} == {"god.txt", "latin1.txt", "bom.md"}
    assert next(a for a in searcher.articles if a.file == "god.txt").title == "God artikel"  # other entries kept
    answer = searcher.search("Hvordan blev værnemidler fordelt?", k=3)
    assert any("Værnemidler blev fordelt" in r.text for r in answer.results)


def test_a_duplicate_is_indexed_once_and_both_names_are_reported(tmp_path: Path) -> None:
    bad_corpus(tmp_path)
    reading = load_corpus(tmp_path)
    rows = {r.file: r for r in reading.report}
    assert rows["god.txt"].status == "indexed" and rows["kopi.txt"].status == "duplicate"
    assert rows["kopi.txt"].duplicate_of == "god.txt"
    assert [a.file for a in reading.articles].count("god.txt") == 1
    assert not any(a.file == "kopi.txt" for a in reading.articles)
    for row in reading.report:
        if row.status != "indexed":
            assert row.reason and any(w in row.reason for w in TO_DO), row


def test_nothing_usable_exits_non_zero_and_leaves_the_old_index_untouched(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text(article("Glostrup"), encoding="utf-8")
    target = tmp_path / "index"
    first = run_module("ingest", ["--corpus", str(corpus), "--index-dir", str(target), "--quiet"])
    assert first.returncode == 0, first.stderr
    before = tree_state(target)
    question = "Hvordan blev værnemidler fordelt?"
    answer_before = index.load(target).search(question)
    shutil.rmtree(corpus)
    corpus.mkdir()
    (corpus / "a.txt").write_bytes(b"")
    (corpus / "b.txt").write_bytes(bytes(range(256)) * 4)
    (corpus / "c.pdf.txt").write_text("Log ind\n", encoding="utf-8")
    for flags in ([], ["--if-stale"]):
        done = run_module("ingest", ["--corpus", str(corpus), "--index-dir", str(target), "--quiet", *flags])
        assert done.returncode == 1, done.stdout + done.stderr
        assert "urørt" in done.stderr and "Ret filerne" in done.stderr and "Traceback" not in done.stderr
        for name in ("a.txt", "b.txt", "c.pdf.txt"):
            assert name in done.stdout
        assert tree_state(target) == before
    assert index.load(target).search(question) == answer_before


def test_an_empty_corpus_folder_and_a_missing_one_are_refused_clearly(tmp_path: Path) -> None:
    (tmp_path / "tom").mkdir()
    empty = run_module("ingest", ["--corpus", str(tmp_path / "tom"), "--index-dir", str(tmp_path / "i"), "--quiet"])
    assert empty.returncode == 1 and "Traceback" not in empty.stderr and not (tmp_path / "i" / "current").exists()
    missing = run_module("ingest", ["--corpus", str(tmp_path / "nej"), "--index-dir", str(tmp_path / "i")])
    assert missing.returncode == 2 and "--corpus" in missing.stderr and "Traceback" not in missing.stderr


_MEASURE = """
import json, sys, time
from ingest import load_corpus


def peak_mb():
    # VmHWM is this process's own peak; ru_maxrss would include the parent's (pytest's) RSS at fork.
    for line in open("/proc/self/status", encoding="ascii"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM")


start = time.monotonic()
reading = load_corpus(sys.argv[1], progress=True)
print(json.dumps({
    "seconds": time.monotonic() - start,
    "peak_mb": peak_mb(),
    "report": [r.model_dump() for r in reading.report],
    "passages": len(reading.passages),
}))
"""


def test_a_50_mb_file_is_refused_in_bounded_memory_with_progress(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "lille.txt").write_text(article("Skanderborg"), encoding="utf-8")
    paragraph = article("Stor") + "\n"
    with (corpus / "stor.txt").open("w", encoding="utf-8") as handle:
        written = 0
        n = 0
        while written < BIG_BYTES:  # every paragraph differs, like a real dump of many articles
            chunk = paragraph.replace("Stor", f"Stor {n}")
            handle.write(chunk)
            written += len(chunk.encode("utf-8"))
            n += 1
    assert (corpus / "stor.txt").stat().st_size > MAX_ARTICLE_BYTES
    done = subprocess.run(
        [sys.executable, "-c", _MEASURE, str(corpus)], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    figures = json.loads(done.stdout)
    rows = {r["file"]: r for r in figures["report"]}
    assert rows["lille.txt"]["status"] == "indexed" and figures["passages"] > 0
    big = rows["stor.txt"]
    assert big["status"] == "skipped" and "MB" in big["reason"] and "Del filen op" in big["reason"]
    assert "Læser artikler" in done.stderr and "2/2" in done.stderr  # the progress bar reached the end
    # The file's bytes are read once (to hash it) and never decoded or split: well under 3x its size.
    assert figures["peak_mb"] < 250, figures["peak_mb"]
    assert figures["seconds"] < 30
    print(f"\n50 MB-fil: {figures['seconds']:.1f} s, højeste hukommelse {figures['peak_mb']:.0f} MB")


def test_a_long_article_under_the_limit_is_still_read(tmp_path: Path) -> None:
    paragraph = article("Lang") + "\n"
    (tmp_path / "lang.txt").write_text(paragraph * (1_000_000 // len(paragraph)), encoding="utf-8")
    assert (tmp_path / "lang.txt").stat().st_size < MAX_ARTICLE_BYTES
    row = load_corpus(tmp_path).report[0]
    assert row.status == "indexed" and row.n_passages > 100
