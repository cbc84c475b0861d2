"""`python -m eval.leave_out`: search with one article left out of the seed corpus."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.dataset import DEFAULT_QUESTIONS, load_questions, tuning_questions
from eval.leave_out import LeftOut, answering_articles, leave_out, main
from ingest.models import CorpusReading


def test_the_missing_articles_topic_is_not_found_and_the_others_still_are(
    seed_reading: CorpusReading, seed_index_dir: Path
) -> None:
    passages = seed_reading.passages
    by_id = {q.id: q for q in load_questions(DEFAULT_QUESTIONS)}
    festival, skype = by_id["q018"], by_id["q032"]  # "festivalvagter" and "Skype": one article each
    (gone,) = answering_articles(festival, passages)
    (kept,) = answering_articles(skype, passages)
    assert gone != kept

    result = leave_out(gone, passages, [festival, skype], seed_index_dir)

    assert (result.article_id, result.only_there, result.answered_elsewhere) == (gone, 1, 1)
    assert (result.found_elsewhere, result.wrongly_abstained) == (1, 0)


def test_the_command_sorts_every_answerable_question_once_per_article(
    corpus_dir: Path, seed_index_dir: Path, seed_reading: CorpusReading, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--corpus", str(corpus_dir), "--index-dir", str(seed_index_dir), "--json"]) == 0
    results = [LeftOut.model_validate(json.loads(line)) for line in capsys.readouterr().out.splitlines()]
    assert {r.article_id for r in results} == {a.id for a in seed_reading.articles}

    answerable = [q for q in tuning_questions() if q.in_scope]
    answered_by = [answering_articles(q, seed_reading.passages) for q in answerable]
    for r in results:
        assert r.only_there == sum(found == {r.article_id} for found in answered_by)
        assert r.only_there + r.answered_elsewhere == sum(bool(found) for found in answered_by)
        assert r.only_there_abstained <= r.only_there
        assert r.wrongly_abstained <= r.answered_elsewhere and r.found_elsewhere <= r.answered_elsewhere
