"""Control characters and symbolic links in the corpus folder (issue 29): a Windows file with bytes
its code page leaves undefined keeps its "…" (no NEL splitting a sentence from its speaker), no
passage holds a C0 control character, offsets stay exact, and a link is never followed."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from ingest import corpus_hash, load_corpus
from ingest.models import CorpusReading

# A Windows-1252 file ("…" is byte 0x85, ” is 0x94) that also holds 0x81, a byte cp1252 leaves
# undefined: before, the whole file was read as latin-1 and every "…" became NEL (U+0085).
WINDOWS_ARTICLE = (
    "Stormfloden i Hvide Sande\r\n\r\n"
    "Havnen blev oversvømmet natten til lørdag. Beredskabet arbejdede i tolv timer.\r\n\r\n"
    "\x94Vi stod klar med sandsække\x85 og så kom vandet alligevel,\x94 siger beredskabschef Lone Vinther. "
    "Hun peger på, at varslet kom for sent.\r\n\r\n"
    "Kommunen har siden købt nye pumper\x81 til havnen.\r\n"
).encode("latin-1")


def _exact(folder: Path, reading: CorpusReading) -> None:
    for p in reading.passages:
        raw = (folder / p.article.file).read_bytes().decode(p.article.encoding)
        assert raw[p.char_start : p.char_end] == p.text


def _controls(text: str) -> list[str]:
    return [c for c in text if (ord(c) < 32 and c not in "\t\n\r") or 0x7F <= ord(c) < 0xA0]


def test_a_windows_file_with_undefined_bytes_keeps_its_ellipsis_and_the_quote_its_speaker(tmp_path: Path) -> None:
    (tmp_path / "storm.txt").write_bytes(WINDOWS_ARTICLE)
    reading = load_corpus(tmp_path)
    _exact(tmp_path, reading)
    assert reading.articles[0].encoding == "cp1252-c1"
    quote = next(p for p in reading.passages if "sandsække" in p.text)
    assert "sandsække… og så kom vandet alligevel" in quote.text
    assert quote.speaker == "beredskabschef Lone Vinther"
    assert all("\x85" not in p.text for p in reading.passages)


def test_a_nel_inside_a_sentence_splits_neither_the_sentence_nor_the_quote_from_its_speaker(tmp_path: Path) -> None:
    text = (
        "Evaluering af stormen\n\n"
        "Som en beredskabschef udtaler: ”Vi havde pumperne klar,\u0085men strømmen gik efter en time.” "
        "Derfor køber kommunen nu generatorer.\n"
    )
    (tmp_path / "nel.txt").write_bytes(text.encode("utf-8"))
    reading = load_corpus(tmp_path)
    _exact(tmp_path, reading)
    quote = next(p for p in reading.passages if "pumperne" in p.text)
    assert "strømmen gik efter en time" in quote.text
    assert quote.speaker == "en beredskabschef"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from(["\x01", "\x07", "\x1b", "\x08", "\x1f", "\x7f", "\x00"]), min_size=1, max_size=6),
       st.integers(min_value=0, max_value=200))
def test_no_passage_holds_a_c0_control_character_and_offsets_stay_exact(controls: list[str], at: int) -> None:
    body = (
        "Krisestaben mødtes hver morgen klokken otte. Det gav ro i organisationen. "
        "Medarbejderne vidste, hvor de skulle hente svar. Borgerne fik besked samme dag."
    )
    at = at % len(body)
    text = "Krisestaben\n\n" + body[:at] + "".join(controls) + body[at:] + "\n"
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "notat.txt").write_bytes(text.encode("utf-8"))
        reading = load_corpus(folder)
        if "\x00" in controls:
            assert reading.report[0].status == "skipped"  # a NUL byte: a binary file
            return
        _exact(Path(folder), reading)
        assert all(not _controls(p.text) for p in reading.passages)


def test_a_symbolic_link_in_the_corpus_is_refused_and_never_followed(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    secret = tmp_path / "hemmelig.txt"
    secret.write_text("Adgangskoden til økonomisystemet står her. Den må ingen leder se.\n", encoding="utf-8")
    (corpus / "notat.txt").write_text("Krisestaben\n\nKrisestaben mødtes hver morgen klokken otte.\n", encoding="utf-8")
    os.symlink(secret, corpus / "link.txt")
    os.symlink(secret, corpus / "rapport.pdf")
    before = corpus_hash(corpus)
    reading = load_corpus(corpus)
    report = {r.file: r for r in reading.report}
    assert report["notat.txt"].status == "indexed"
    for name in ("link.txt", "rapport.pdf"):
        assert report[name].status == "skipped"
        assert "symbolsk link" in (report[name].reason or "") and name in (report[name].reason or "")
    assert all("Adgangskoden" not in p.text for p in reading.passages)
    assert not (corpus / "rapport.pdf.txt").exists()
    secret.write_text("Noget andet.\n", encoding="utf-8")
    assert corpus_hash(corpus) == before  # what a link points at is no part of the corpus
