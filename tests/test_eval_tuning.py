"""Checks on eval/tuning.jsonl, the tuning-only question set written without running the search.

The set is only worth tuning on if every gold snippet is a real verbatim slice of an article (outside
site boilerplate), the kinds keep their agreed mix, and the snippets are spread over the seed articles.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from eval.dataset import content_lines, gold_locations, word_count

ROOT = Path(__file__).resolve().parent.parent
TUNING_FILE = ROOT / "eval" / "tuning.jsonl"
CORPUS = ROOT / "corpus"

# The articles the set was written from; coverage is only promised for them, not for articles added later.
SEED_FILES: tuple[str, ...] = ("000_971d94d165ba8b46.txt", "004_62e79214372f38a9.txt")

# t001-t090, then a second batch t091-t126 written the same way (before any search ran on them),
# weighted towards what the first batch lacked: paraphrases and out-of-scope near misses.
EXPECTED_COUNTS: dict[str, int] = {
    "paraphrase": 59,
    "keywords": 12,
    "typo": 9,
    "ascii": 8,
    "speaker": 9,
    "out_of_scope": 29,
}

# A gold snippet must stay short enough to pin one passage and long enough not to match by chance.
MIN_GOLD_WORDS = 5
MAX_GOLD_WORDS = 15

# Longest stretch of seed-article text (in words) that no gold snippet touches; keeps the set spread out.
MAX_UNCOVERED_WORDS = 60

# A full stop, ? or ! (maybe closing a quote) followed by a capitalised word starts a new sentence.
# A single capital before the stop is an initial ("Søren S. Kjær"), not a sentence end.
_SENTENCE_BREAK = re.compile(r"(?<![\s(][A-ZÆØÅ])[.!?][”“\"’]?\s+[A-ZÆØÅ”“]")


class TuningQuestion(BaseModel):
    """One line of eval/tuning.jsonl."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(pattern=r"^t\d{3,}$")
    question: str = Field(min_length=1)
    kind: Literal["paraphrase", "keywords", "typo", "ascii", "speaker", "out_of_scope"]
    gold: list[str]
    split: Literal["tune"]


@pytest.fixture(scope="module")
def raw_lines() -> list[tuple[int, str]]:
    text = TUNING_FILE.read_text(encoding="utf-8")
    return [(number, line) for number, line in enumerate(text.splitlines(), start=1) if line.strip()]


@pytest.fixture(scope="module")
def questions(raw_lines: list[tuple[int, str]]) -> list[TuningQuestion]:
    return [TuningQuestion.model_validate(json.loads(line)) for _, line in raw_lines]


@pytest.fixture(scope="module")
def corpus_texts() -> dict[str, str]:
    """Every article decoded as UTF-8, the encoding the seed files are stored in."""
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(CORPUS.glob("*.txt"))}


def test_every_line_is_a_valid_record(raw_lines: list[tuple[int, str]]) -> None:
    problems: list[str] = []
    for number, line in raw_lines:
        try:
            TuningQuestion.model_validate(json.loads(line))
        except json.JSONDecodeError as exc:
            problems.append(f"linje {number}: ikke gyldig JSON ({exc.msg})")
        except ValidationError as exc:
            fields = "; ".join(f"{'.'.join(map(str, e['loc'])) or 'objekt'}: {e['msg']}" for e in exc.errors())
            problems.append(f"linje {number}: forkert felt ({fields})")
    assert not problems, f"Ret disse linjer i {TUNING_FILE}:\n" + "\n".join(problems)


def test_ids_are_unique_and_prefixed_t(questions: list[TuningQuestion]) -> None:
    repeated = [qid for qid, n in Counter(q.id for q in questions).items() if n > 1]
    assert not repeated, f"Disse id'er findes flere gange; giv dem nye id'er: {repeated}"
    assert all(q.id.startswith("t") for q in questions)


def test_question_texts_are_unique(questions: list[TuningQuestion]) -> None:
    repeated = [text for text, n in Counter(q.question.casefold() for q in questions).items() if n > 1]
    assert not repeated, f"Disse spørgsmål står der flere gange; omformulér eller fjern dem: {repeated}"


def test_every_question_is_in_the_tune_split(questions: list[TuningQuestion]) -> None:
    assert {q.split for q in questions} == {"tune"}


def test_counts_per_kind(questions: list[TuningQuestion]) -> None:
    counts = Counter(q.kind for q in questions)
    assert dict(counts) == EXPECTED_COUNTS, f"Antal pr. type skal være {EXPECTED_COUNTS}, men er {dict(counts)}"
    assert len(questions) == sum(EXPECTED_COUNTS.values())


def test_in_scope_questions_have_gold_and_out_of_scope_have_none(questions: list[TuningQuestion]) -> None:
    missing = [q.id for q in questions if q.kind != "out_of_scope" and not q.gold]
    unexpected = [q.id for q in questions if q.kind == "out_of_scope" and q.gold]
    assert not missing, f"Disse spørgsmål mangler gold-tekster: {missing}"
    assert not unexpected, f"Disse out_of_scope-spørgsmål må ikke have gold (skal være []): {unexpected}"


def test_gold_occurs_verbatim_in_the_corpus(questions: list[TuningQuestion], corpus_texts: dict[str, str]) -> None:
    absent = [
        (q.id, gold) for q in questions for gold in q.gold if not any(gold in text for text in corpus_texts.values())
    ]
    assert not absent, (
        "Disse gold-tekster står ikke ordret i nogen artikel; kopiér dem præcist fra filen:\n"
        + "\n".join(f"{qid}: {gold!r}" for qid, gold in absent)
    )


def test_gold_lies_in_article_text_not_boilerplate(
    questions: list[TuningQuestion], corpus_texts: dict[str, str]
) -> None:
    outside = [(q.id, gold) for q in questions for gold in q.gold if not gold_locations(gold, corpus_texts)]
    assert not outside, (
        "Disse gold-tekster står kun i sidens faste tekst eller over flere linjer; vælg artikeltekst:\n"
        + ("\n".join(f"{qid}: {gold!r}" for qid, gold in outside))
    )


def test_gold_is_short(questions: list[TuningQuestion]) -> None:
    wrong = [
        (q.id, word_count(gold), gold)
        for q in questions
        for gold in q.gold
        if not MIN_GOLD_WORDS <= word_count(gold) <= MAX_GOLD_WORDS
    ]
    assert not wrong, f"Gold skal være {MIN_GOLD_WORDS}-{MAX_GOLD_WORDS} ord; ret disse:\n" + "\n".join(
        f"{qid} ({n} ord): {gold!r}" for qid, n, gold in wrong
    )


def test_gold_stays_within_one_sentence(questions: list[TuningQuestion]) -> None:
    spanning = [(q.id, gold) for q in questions for gold in q.gold if _SENTENCE_BREAK.search(gold)]
    assert not spanning, "Disse gold-tekster går over en sætningsgrænse; forkort dem til én sætning:\n" + "\n".join(
        f"{qid}: {gold!r}" for qid, gold in spanning
    )


def test_sentence_break_rule_tells_initials_from_sentence_ends() -> None:
    assert _SENTENCE_BREAK.search("Det løser vi senere. Pludselig kom vi tilbage")
    assert _SENTENCE_BREAK.search("for alle.” Der er ingen tvivl")
    assert not _SENTENCE_BREAK.search("Søren S. Kjær, Kommunaldirektør i Sorø Kommune")
    assert not _SENTENCE_BREAK.search("samarbejdet ml. lærere og pædagoger")


@pytest.mark.parametrize("file_name", SEED_FILES)
def test_gold_is_spread_over_each_seed_article(
    file_name: str, questions: list[TuningQuestion], corpus_texts: dict[str, str]
) -> None:
    text = corpus_texts[file_name]
    covered = [False] * len(text)
    for gold in (g for q in questions for g in q.gold):
        for _, offset in gold_locations(gold, {file_name: text}):
            covered[offset : offset + len(gold)] = [True] * len(gold)
    gaps: list[str] = []
    current: list[str] = []
    for start, end in content_lines(text):
        for position in range(start, end):
            if covered[position]:
                gaps.append("".join(current))
                current = []
            else:
                current.append(text[position])
        current.append(" ")
    gaps.append("".join(current))
    longest = max(gaps, key=lambda gap: len(gap.split()))
    assert len(longest.split()) <= MAX_UNCOVERED_WORDS, (
        f"{file_name}: {len(longest.split())} ord i træk uden nogen gold-tekst; skriv et spørgsmål om: "
        f"{' '.join(longest.split())[:200]!r}"
    )
