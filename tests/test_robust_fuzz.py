"""Hypothesis on ingest (any Unicode never crashes, offsets hold, nothing lost) and on search."""

from __future__ import annotations

import string
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import index
from ingest import load_corpus
from ingest.boilerplate import find_boilerplate
from ingest.read import UnreadableFileError, decode_bytes
from ingest.structure import parse_structure

FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                       HealthCheck.function_scoped_fixture])
CODECS = ["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]


@FAST
@given(st.text(max_size=600), st.sampled_from(CODECS))
def test_decoding_never_crashes_and_loses_no_byte(text: str, codec: str) -> None:
    try:
        data = text.encode(codec)
    except UnicodeEncodeError:
        data = text.encode("utf-8")
    try:
        decoded = decode_bytes(data, "x.txt")
    except UnreadableFileError as exc:
        assert "x.txt" in exc.reason
        return
    # Re-encoding with the reported codec gives the file back byte for byte: offsets refer to the file.
    assert decoded.text.encode(decoded.encoding) == data


words = st.text(alphabet=st.characters(categories=["L", "M", "N", "P", "S", "Zs"]), min_size=1, max_size=12)


@FAST
@given(st.lists(st.text(max_size=300), min_size=1, max_size=3))
def test_any_unicode_files_give_a_report_row_each_and_exact_offsets(tmp_path_factory, texts: list[str]) -> None:
    folder: Path = tmp_path_factory.mktemp("fuzz")
    for n, text in enumerate(texts):
        (folder / f"f{n}.txt").write_bytes(text.encode("utf-8", "surrogatepass"))
    reading = load_corpus(folder)
    assert sorted(r.file for r in reading.report) == sorted(f"f{n}.txt" for n in range(len(texts)))  # none lost
    for row in reading.report:
        assert row.status == "indexed" or row.reason
    for passage in reading.passages:
        raw = (folder / passage.article.file).read_bytes().decode(passage.article.encoding)
        assert raw[passage.char_start : passage.char_end] == passage.text


@FAST
@given(st.lists(st.lists(words, min_size=4, max_size=10), min_size=1, max_size=6))
@example([["AAÀAAAAF", "AAAAAAÀ", "AAAAAAAAÀ", "AAAAAAAAAAÀ", "aaaªAª", "aaÀa"]])  # two glues in a row lost a heading
def test_sentences_of_any_script_are_kept_whole(tmp_path_factory, sentences: list[list[str]]) -> None:
    """Prose in any script: every letter ends up in a passage, or in the heading a passage stands under.

    (A lower-case word glued to a capitalised one, "fokusTværgående", is read as a heading glued to
    its text: that text is then a section name, not lost.)
    """
    body = " ".join("Det " + " ".join(w.strip(string.punctuation) or "ord" for w in s) + "." for s in sentences)
    text = f"Overskrift\n\n{body}\n\nTil sidst takkede alle hinanden for samarbejdet.\n"
    folder: Path = tmp_path_factory.mktemp("script")
    (folder / "a.txt").write_text(text, encoding="utf-8")
    reading = load_corpus(folder)
    # Each heading counts once per place it stands (two headings may have the same words).
    headings = [text[b.start : b.end] for b in parse_structure(text, find_boilerplate(text)) if b.kind == "heading"]
    covered = "".join(p.text for p in reading.passages) + "".join(headings)
    letters = [ch for ch in body if ch.isalpha()]
    assert sum(ch.isalpha() for ch in covered) >= len(letters)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300) | st.sampled_from(["", " ", "\x00", "\ud800", "😷" * 50, "<script>", "](javascript:)"]))
def test_search_never_crashes_on_any_string(seed_searcher: index.Searcher, question: str) -> None:
    answer = seed_searcher.search(question, k=3)
    assert answer.question == question
    assert (answer.results == [] and answer.abstained) if not question.strip() else len(answer.results) <= 3
    for result in answer.results:
        assert result.char_end - result.char_start == len(result.text)
