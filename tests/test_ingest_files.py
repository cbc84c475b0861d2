"""Odd files in a corpus folder: each is reported in Danish and the build goes on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest import ARTICLE_SUFFIXES, corpus_hash, load_corpus
from ingest.read import UnreadableFileError, decode_file

SEEDS = Path(__file__).resolve().parent.parent / "corpus"
ARTICLE = (
    "Beredskab i en lille kommune\n\n"
    "Kommunen åbnede et fælles telefonnummer for ældre borgere. Det blev hurtigt travlt.\n\n"
    "Som en sundhedschef udtaler: ”Vi lærte at ringe ud før borgerne ringede ind. Det gav ro.”\n"
)
DANISH_HINT = ("Gem", "Læg", "slet", "Slet", "Giv", "ret", "Tjek")


def _report(folder: Path) -> dict[str, object]:
    return {r.file: r for r in load_corpus(folder).report}


def _assert_danish_reason(reason: str | None) -> None:
    assert reason, "a skipped file must carry a reason"
    assert any(word in reason for word in DANISH_HINT), f"the reason must say what to do: {reason}"


def test_cp1252_and_bom_files_are_decoded_with_their_codec(tmp_path: Path) -> None:
    (tmp_path / "cp.txt").write_bytes(ARTICLE.replace("”", '"').encode("cp1252"))
    (tmp_path / "bom.md").write_bytes(b"\xef\xbb\xbf" + ARTICLE.replace("lille", "mellemstor").encode("utf-8"))
    reading = load_corpus(tmp_path)
    encodings = {a.file: a.encoding for a in reading.articles}
    assert encodings == {"cp.txt": "cp1252", "bom.md": "utf-8-sig"}
    for p in reading.passages:
        raw = (tmp_path / p.article.file).read_bytes().decode(p.article.encoding)
        assert raw[p.char_start : p.char_end] == p.text
        assert decode_file(tmp_path / p.article.file).text[p.char_start : p.char_end] == p.text
    assert any("ældre borgere" in p.text for p in reading.passages if p.article.file == "cp.txt")
    speakers = {p.speaker for p in reading.passages if p.speaker}
    assert speakers == {"en sundhedschef"}


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("empty.txt", b""),
        ("blank.txt", b"  \n\t\r\n \xc2\xa0\n"),
        ("binary.txt", bytes(range(256)) * 4),
        ("control.md", b"\x01\x02\x03\x04\x05\x06\x07\x08" * 50 + b"tekst"),
    ],
)
def test_unusable_files_are_skipped_with_a_danish_reason(tmp_path: Path, name: str, data: bytes) -> None:
    shutil.copy(SEEDS / "004_62e79214372f38a9.txt", tmp_path / "004.txt")
    (tmp_path / name).write_bytes(data)
    report = _report(tmp_path)
    assert report["004.txt"].status == "indexed"
    assert report[name].status == "skipped"
    assert name in report[name].reason
    _assert_danish_reason(report[name].reason)
    with pytest.raises(UnreadableFileError):
        decode_file(tmp_path / name)


def test_duplicate_unsupported_and_non_article_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04")
    (tmp_path / ".DS_Store").write_bytes(b"\x00\x01")
    (tmp_path / "README.md").write_text("# Læs mig\n", encoding="utf-8")
    reading = load_corpus(tmp_path)
    report = {r.file: r for r in reading.report}
    assert set(report) == {"a.txt", "b.txt", "slides.pptx"}
    assert report["a.txt"].status == "indexed" and report["a.txt"].n_passages > 0
    assert report["b.txt"].status == "duplicate" and report["b.txt"].duplicate_of == "a.txt"
    assert report["slides.pptx"].status == "skipped" and ".pptx" in report["slides.pptx"].reason
    _assert_danish_reason(report["slides.pptx"].reason)
    assert [a.id for a in reading.articles] == ["a"]
    assert {".txt", ".md"} <= ARTICLE_SUFFIXES


def test_article_without_metadata_gets_a_derived_title(tmp_path: Path) -> None:
    (tmp_path / "ny.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "lede.txt").write_text(
        "Kommunerne i Nordjylland har i foråret samarbejdet tættere end nogensinde om værnemidler og test. "
        "Det viser en ny rundspørge.\n",
        encoding="utf-8",
    )
    articles = {a.id: a for a in load_corpus(tmp_path).articles}
    assert articles["ny"].title == "Beredskab i en lille kommune" and articles["ny"].title_is_derived
    lede = articles["lede"]
    assert lede.title_is_derived and lede.title.startswith("Kommunerne i Nordjylland") and len(lede.title) <= 91
    assert lede.url is None and lede.published is None and lede.authors == []


def test_malformed_metadata_keeps_the_other_entries(tmp_path: Path) -> None:
    for stem in ("a", "b", "c"):
        (tmp_path / f"{stem}.txt").write_text(ARTICLE.replace("lille", stem), encoding="utf-8")
    (tmp_path / "articles.toml").write_text(
        "# metadata\n"
        "[[article]]\n"
        'file = "a.txt"\n'
        'title = "Artikel A"\n'
        "\n"
        "[[article]]\n"
        'file = "b.txt"\n'
        "title = Artikel B uden anførselstegn\n"
        "\n"
        "[[article]]\n"
        'file = "c.txt"\n'
        'titel = "stavefejl"\n'
        'publisher = "NB-Nyt"\n'
        "\n"
        "[[article]]\n"
        'file = "mangler.txt"\n',
        encoding="utf-8",
    )
    reading = load_corpus(tmp_path)
    articles = {a.id: a for a in reading.articles}
    assert set(articles) == {"a", "b", "c"}
    assert articles["a"].title == "Artikel A" and not articles["a"].title_is_derived
    assert articles["b"].title_is_derived  # its entry was broken, the article still works
    assert articles["c"].publisher == "NB-Nyt" and articles["c"].title_is_derived
    text = "\n".join(reading.warnings)
    assert "articles.toml, linje 8" in text  # the broken value
    assert "linje 12" in text and "titel" in text  # the unknown key
    assert "mangler.txt" in text and "linje 15" in text  # a file that is not there
    assert len(reading.warnings) == 3


def test_corpus_hash_changes_with_articles_and_metadata(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    first = corpus_hash(tmp_path)
    assert corpus_hash(tmp_path) == first
    (tmp_path / "articles.toml").write_text('[[article]]\nfile = "a.txt"\n', encoding="utf-8")
    second = corpus_hash(tmp_path)
    assert second != first
    (tmp_path / "a.txt").write_text(ARTICLE + "Ny sætning.\n", encoding="utf-8")
    assert corpus_hash(tmp_path) != second
    (tmp_path / ".hidden.txt").write_text("x", encoding="utf-8")
    third = corpus_hash(tmp_path)
    (tmp_path / ".hidden.txt").write_text("y", encoding="utf-8")
    assert corpus_hash(tmp_path) == third


def test_missing_corpus_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="findes ikke"):
        load_corpus(tmp_path / "nej")
