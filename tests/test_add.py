"""`python -m ingest add` and `library.add`: checked before writing, all or nothing, found at once."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import index
import library
from index.dense.embed import Embedder
from ingest.metadata import read_metadata
from library.intake import MAX_BYTES, AddError, check_upload, new_article, sanitize_name
from tests.test_formats import DOCX_QUOTE, docx_bytes, pdf_bytes

ROOT = Path(__file__).resolve().parent.parent


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def workspace(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path) -> tuple[Path, Path]:
    """A copy of the seed corpus and of its prebuilt index, so adding never touches the repo."""
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir, corpus)
    index_dir = tmp_path / "index"
    shutil.copytree(seed_index_dir, index_dir, symlinks=True)
    assert library.stale_reason(corpus, index_dir) is None
    return corpus, index_dir


def add_article(corpus: Path, index_dir: Path, name: str, data: bytes, meta: library.NewArticle | None = None,
                embedder: Embedder | None = None) -> library.AddResult:
    return library.Library(corpus, index_dir, embedder).add_article(name, data, meta)


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False
    )


@given(st.text(max_size=60))
def test_sanitised_names_are_plain_ascii_without_folders_or_leading_dots(name: str) -> None:
    clean = sanitize_name(name)
    assert re.fullmatch(r"[A-Za-z0-9_-]+(\.[a-z0-9]+)?", clean)
    assert not clean.startswith((".", "-", "_")) and not clean.upper().startswith("README")


def test_sanitise_keeps_danish_readable_and_drops_paths(tmp_path: Path) -> None:
    assert sanitize_name("../../etc/Rapport om ældre (endelig).PDF") == "Rapport_om_aeldre_endelig.pdf"
    assert sanitize_name("C:\\Users\\x\\.skjult.docx") == "skjult.docx"
    assert sanitize_name("notat.pdf.txt") == "notat_pdf.txt"
    assert sanitize_name("README.md") == "artikel-README.md"


@pytest.mark.parametrize(
    ("name", "size", "words"),
    [
        ("virus.exe", 10, ("virus.exe", ".exe", ".docx")),
        ("tom.docx", 0, ("tom.docx", "tom")),
        ("stor.pdf", MAX_BYTES + 1, ("stor.pdf", "25 MB")),
    ],
)
def test_type_and_size_are_checked_first(name: str, size: int, words: tuple[str, ...]) -> None:
    with pytest.raises(AddError) as caught:
        check_upload(name, size)
    assert caught.value.field == "file"
    for word in words:
        assert word in caught.value.reason


def test_bad_input_writes_nothing(workspace: tuple[Path, Path], e5_embedder: Embedder) -> None:
    corpus, index_dir = workspace
    before, index_before = snapshot(corpus), snapshot(index_dir)
    bad = [
        ("falsk.pdf", b"not a pdf at all, just text", "er ikke et PDF"),
        ("falsk.docx", b"%PDF-1.4", "Word-dokument"),
        ("menu.html", b"<html><body><nav>Forside</nav><footer>Kontakt</footer></body></html>", "menu.html"),
        ("programmet.exe", b"MZ", ".exe"),
    ]
    for name, data, words in bad:
        with pytest.raises(AddError, match=re.escape(words)):
            add_article(corpus, index_dir, name, data, embedder=e5_embedder)
    with pytest.raises(AddError) as caught:
        new_article(url="javascript:alert(1)")
    assert caught.value.field == "url" and "https://" in caught.value.reason
    with pytest.raises(AddError) as caught:
        new_article(published="31-02-2021")
    assert caught.value.field == "published" and "ÅÅÅÅ-MM-DD" in caught.value.reason
    assert snapshot(corpus) == before and snapshot(index_dir) == index_before


def test_a_failed_index_update_leaves_the_corpus_as_it_was(
    workspace: tuple[Path, Path], tmp_path: Path, e5_embedder: Embedder
) -> None:
    corpus, _ = workspace
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("an index cannot be written here", encoding="utf-8")
    before = snapshot(corpus)
    with pytest.raises(AddError, match="Korpus er uændret"):
        add_article(corpus, blocked, "notat.docx", docx_bytes(), new_article(title="Notat"), embedder=e5_embedder)
    assert snapshot(corpus) == before


def test_adding_appends_metadata_and_embeds_only_the_new_article(
    workspace: tuple[Path, Path], e5_embedder: Embedder
) -> None:
    corpus, index_dir = workspace
    toml_before = (corpus / "articles.toml").read_bytes()
    meta = new_article(title='Rapport om "beredskab"', url="https://example.dk/rapport", published="4.3.2021")
    result = add_article(corpus, index_dir, "Beredskab 2021.pdf", pdf_bytes(), meta, embedder=e5_embedder)
    assert result.original == "Beredskab_2021.pdf" and result.text_file == "Beredskab_2021.pdf.txt"
    assert result.pages == 2 and result.n_passages >= 2
    assert 0 < result.embedded < result.reused
    toml_after = (corpus / "articles.toml").read_bytes()
    assert toml_after.startswith(toml_before)  # existing comments and entries byte-identical
    entry = read_metadata(corpus / "articles.toml").entries["Beredskab_2021.pdf"]
    assert entry.title == 'Rapport om "beredskab"' and entry.title_is_derived is False
    assert entry.url == "https://example.dk/rapport" and entry.published and entry.published.isoformat() == "2021-03-04"
    assert library.stale_reason(corpus, index_dir) is None
    searcher = index.load(index_dir, e5_embedder)
    answer = searcher.search("Hvem sad i kommunens krisestab?", k=3)
    top = answer.results[0]
    assert top.article.original == "Beredskab_2021.pdf" and top.page == 1
    assert top.article.title == 'Rapport om "beredskab"'
    stored = (corpus / top.article.file).read_text(encoding=top.article.encoding)
    assert stored[top.char_start : top.char_end] == top.text
    with pytest.raises(AddError, match="findes allerede"):
        add_article(corpus, index_dir, "kopi.pdf", pdf_bytes(), embedder=e5_embedder)


def test_cli_adds_a_word_file_and_the_next_question_finds_it(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index_dir = workspace
    source = tmp_path / "hjemmepleje notat.docx"
    source.write_bytes(docx_bytes())
    added = run_cli(
        "-m", "ingest", "add", str(source), "--publisher", "Eksempel Kommune", "--published", "2021-05-01",
        "--corpus", str(corpus), "--index-dir", str(index_dir),
    )
    assert added.returncode == 0, added.stderr
    assert "Tilføjet: hjemmepleje_notat.docx (tekst: hjemmepleje_notat.docx.txt)" in added.stdout
    embedded, reused = map(int, re.search(r"Indlejret nu: (\d+) tekster; genbrugt .*?: (\d+)", added.stdout).groups())
    assert 0 < embedded < reused
    asked = run_cli("-m", "index", "Hvordan skaffede hjemmeplejen sygeplejersker?", "--json", "--k", "3",
                    "--index-dir", str(index_dir))
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout.splitlines()[0])
    top = answer["results"][0]
    assert not answer["abstained"] and top["article"]["original"] == "hjemmepleje_notat.docx"
    assert DOCX_QUOTE in top["text"]
    stored = (corpus / top["article"]["file"]).read_text(encoding=top["article"]["encoding"])
    assert stored[top["char_start"] : top["char_end"]] == top["text"]


def test_cli_refuses_a_bad_date_and_names_the_option(workspace: tuple[Path, Path], tmp_path: Path) -> None:
    corpus, index_dir = workspace
    source = tmp_path / "notat.docx"
    source.write_bytes(docx_bytes())
    before = snapshot(corpus)
    refused = run_cli("-m", "ingest", "add", str(source), "--published", "i går",
                      "--corpus", str(corpus), "--index-dir", str(index_dir))
    assert refused.returncode == 2
    assert "--published" in refused.stderr and "ÅÅÅÅ-MM-DD" in refused.stderr
    assert snapshot(corpus) == before
