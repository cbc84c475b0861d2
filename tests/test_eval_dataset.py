"""The evaluation questions are well formed and every gold snippet is verbatim article text."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eval.dataset import (
    DEFAULT_QUESTIONS,
    KINDS,
    SEED_KINDS,
    DatasetError,
    Question,
    assign_splits,
    content_lines,
    gold_locations,
    load_questions,
    read_corpus_texts,
    word_count,
)

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


@pytest.fixture(scope="module")
def questions() -> list[Question]:
    return load_questions(DEFAULT_QUESTIONS)


@pytest.fixture(scope="module")
def texts() -> dict[str, str]:
    return read_corpus_texts(CORPUS)


def test_ids_are_unique_and_kinds_valid(questions: list[Question]) -> None:
    ids = [q.id for q in questions]
    assert len(ids) == len(set(ids))
    assert {q.kind for q in questions} == set(SEED_KINDS)


def test_enough_questions_and_out_of_scope(questions: list[Question]) -> None:
    kinds = Counter(q.kind for q in questions)
    assert len(questions) >= 70
    assert kinds["out_of_scope"] >= 10


def test_gold_present_exactly_for_in_scope(questions: list[Question]) -> None:
    for q in questions:
        assert bool(q.gold) == q.in_scope, q.id


def test_every_gold_snippet_is_verbatim_article_text(questions: list[Question], texts: dict[str, str]) -> None:
    missing = [(q.id, g) for q in questions for g in q.gold if not gold_locations(g, texts)]
    assert missing == []


def test_gold_snippets_are_short(questions: list[Question]) -> None:
    wrong = [(q.id, g) for q in questions for g in q.gold if not 5 <= word_count(g) <= 15]
    assert wrong == []


def test_questions_are_not_repeated(questions: list[Question]) -> None:
    texts = Counter(q.question.strip().lower() for q in questions)
    assert [t for t, n in texts.items() if n > 1] == []


def test_both_splits_hold_every_kind(questions: list[Question]) -> None:
    cells = Counter((q.kind, q.split) for q in questions)
    # questions.jsonl is the dev/held-out set; "tune" questions live in their own file.
    assert all(cells[(kind, split)] >= 1 for kind in SEED_KINDS for split in ("dev", "heldout"))


def test_file_splits_are_the_hash_splits(questions: list[Question]) -> None:
    expected = assign_splits((q.id, q.kind) for q in questions)
    assert {q.id: q.split for q in questions} == expected


def test_teaser_titles_are_not_content(tmp_path: Path) -> None:
    text = "Brødtekst om værnemidler.\n\nLæs også:\nKommunale erfaringer fra krisen\n\nMere brødtekst.\nLog ind\n"
    lines = [text[s:e] for s, e in content_lines(text)]
    assert lines == ["Brødtekst om værnemidler.", "Mere brødtekst."]
    assert gold_locations("Kommunale erfaringer fra krisen", {"a.txt": text}) == []
    assert gold_locations("om værnemidler", {"a.txt": text}) == [("a.txt", 10)]


def test_corpus_gold_in_a_teaser_is_rejected(texts: dict[str, str]) -> None:
    # The seed articles carry a "Læs også:" teaser; its title must never count as an answer.
    teaser_titles = [
        text.split("\n")[i + 1]
        for text in texts.values()
        for i, line in enumerate(text.split("\n")[:-1])
        if line.strip() == "Læs også:"
    ]
    assert teaser_titles
    for title in teaser_titles:
        assert all(title not in text[s:e] for text in texts.values() for s, e in content_lines(text))


def _write(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    return path


def test_out_of_scope_with_gold_is_named(tmp_path: Path) -> None:
    row = {"id": "q001", "question": "Snerydning?", "kind": "out_of_scope", "gold": ["x y z w v"], "split": "dev"}
    with pytest.raises(DatasetError, match=r"linje 1.*out_of_scope"):
        load_questions(_write(tmp_path / "q.jsonl", [row]))


def test_bad_kind_and_bad_json_name_the_line(tmp_path: Path) -> None:
    good = {"id": "q001", "question": "Hvad?", "kind": "keywords", "gold": ["a b c d e"], "split": "dev"}
    bad = {**good, "id": "q002", "kind": "gæt"}
    with pytest.raises(DatasetError, match=r"linje 2.*kind"):
        load_questions(_write(tmp_path / "q.jsonl", [good, bad]))
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"id": "q001",\n', encoding="utf-8")
    with pytest.raises(DatasetError, match="ikke gyldig JSON"):
        load_questions(broken)


def test_repeated_id_is_named(tmp_path: Path) -> None:
    row = {"id": "q001", "question": "Hvad?", "kind": "keywords", "gold": ["a b c d e"], "split": "dev"}
    with pytest.raises(DatasetError, match="q001 findes allerede"):
        load_questions(_write(tmp_path / "q.jsonl", [row, row]))


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatasetError, match=r"findes\.jsonl"):
        load_questions(tmp_path / "findes.jsonl")


@given(st.lists(st.sampled_from(KINDS), min_size=1, max_size=60))
def test_splits_are_stratified_and_stable_when_appending(kinds: list[str]) -> None:
    items = [(f"q{i:03d}", kind) for i, kind in enumerate(kinds, start=1)]
    splits = assign_splits(items)
    for kind in set(kinds):
        counts = Counter(splits[i] for i, k in items if k == kind)
        assert abs(counts["dev"] - counts["heldout"]) <= 1
    # Appending questions never moves an existing one to the other split.
    longer = assign_splits([*items, ("q999", kinds[0]), ("q998", "typo")])
    assert all(longer[i] == splits[i] for i, _ in items)
