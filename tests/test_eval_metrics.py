"""Retrieval metrics: exact values on small cases, bounds and monotonicity as properties."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eval.__main__ import CorpusFiles, main, run_mode
from eval.dataset import KINDS, decode_article, load_questions
from eval.metrics import (
    Outcome,
    abstention_scores,
    first_hit_rank,
    hit_at,
    is_hit,
    median_latency,
    rank_scores,
    reciprocal_rank,
    verbatim_error,
)
from eval.report import Mode, build_report, format_text

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _outcome(rank: int | None, *, in_scope: bool = True, abstained: bool = False, latency: float = 0.01) -> Outcome:
    return Outcome(
        question_id="q001",
        kind="paraphrase" if in_scope else "out_of_scope",
        split="dev",
        in_scope=in_scope,
        first_hit_rank=rank,
        abstained=abstained,
        latency_s=latency,
    )


def test_hit_is_a_verbatim_substring() -> None:
    assert is_hit("Det kan fx gælde sengepladser og mangel på værnemidler.", ["mangel på værnemidler"])
    assert not is_hit("Det kan fx gælde sengepladser og mangel på vaernemidler.", ["mangel på værnemidler"])
    assert not is_hit("any text", [])


def test_first_hit_rank_counts_from_one() -> None:
    texts = ["intet her", "stadig intet", "her er mangel på værnemidler", "mangel på værnemidler igen"]
    assert first_hit_rank(texts, ["mangel på værnemidler"]) == 3
    assert first_hit_rank(texts, ["toiletpapir"]) is None
    assert first_hit_rank([], ["x"]) is None


def test_rank_scores_on_a_small_case() -> None:
    outcomes = [_outcome(1), _outcome(2), _outcome(4), _outcome(None), _outcome(None, in_scope=False)]
    scores = rank_scores(outcomes)
    assert scores.n == 4
    assert scores.hit_at_1 == pytest.approx(0.25)
    assert scores.hit_at_3 == pytest.approx(0.5)
    assert scores.hit_at_5 == pytest.approx(0.75)
    assert scores.mrr_at_10 == pytest.approx((1 + 0.5 + 0.25) / 4)


def test_empty_cell_has_no_figures() -> None:
    scores = rank_scores([_outcome(None, in_scope=False)])
    assert scores.n == 0
    assert scores.hit_at_1 is None and scores.mrr_at_10 is None


def test_reciprocal_rank_stops_at_depth() -> None:
    assert reciprocal_rank(10) == pytest.approx(0.1)
    assert reciprocal_rank(11) == 0.0
    assert reciprocal_rank(None) == 0.0


def test_abstention_counts_both_errors() -> None:
    outcomes = [
        _outcome(1, abstained=True),
        _outcome(2),
        _outcome(None, in_scope=False, abstained=True),
        _outcome(None, in_scope=False, abstained=False),
    ]
    scores = abstention_scores(outcomes)
    assert scores.n_out_of_scope == 2 and scores.out_of_scope_abstained == 1
    assert scores.out_of_scope_abstained_share == pytest.approx(0.5)
    assert scores.n_in_scope == 2 and scores.false_abstentions == 1
    assert scores.false_abstention_share == pytest.approx(0.5)
    # An abstained in-scope question keeps its ranking: hits ignore the flag.
    assert rank_scores(outcomes).hit_at_1 == pytest.approx(0.5)


def test_median_latency() -> None:
    assert median_latency([_outcome(1, latency=x) for x in (0.3, 0.1, 0.2)]) == pytest.approx(0.2)
    assert median_latency([]) is None


def test_verbatim_check_on_a_seed_article() -> None:
    name = "004_62e79214372f38a9.txt"
    text, encoding = decode_article(CORPUS / name)
    start = text.index("Det kan fx gælde sengepladser")
    end = start + len("Det kan fx gælde sengepladser og mangel på værnemidler.")

    def read(file: str, enc: str) -> str:
        return (CORPUS / file).read_bytes().decode(enc)

    assert verbatim_error(text[start:end], name, encoding, start, end, read) is None
    shifted = verbatim_error(text[start:end], name, encoding, start + 1, end + 1, read)
    assert shifted is not None and name in shifted
    assert "uden for filen" in (verbatim_error("x", name, encoding, 0, len(text) + 5, read) or "")
    assert "kan ikke læses" in (verbatim_error("x", "mangler.txt", encoding, 0, 1, read) or "")


def test_verbatim_check_uses_the_recorded_encoding(tmp_path: Path) -> None:
    # A cp1252 file read as utf-8 would shift or break every offset; the recorded codec must be used.
    (tmp_path / "a.txt").write_bytes("Værnemidler på plejehjem.".encode("cp1252"))

    def read(file: str, enc: str) -> str:
        return (tmp_path / file).read_bytes().decode(enc)

    assert verbatim_error("Værnemidler", "a.txt", "cp1252", 0, 11, read) is None
    assert verbatim_error("Værnemidler", "a.txt", "utf-8", 0, 11, read) is not None


ranks = st.one_of(st.none(), st.integers(min_value=1, max_value=30))


@given(st.lists(ranks, min_size=1, max_size=50))
def test_hit_rates_are_ordered_and_bounded(values: list[int | None]) -> None:
    scores = rank_scores([_outcome(r) for r in values])
    assert scores.hit_at_1 is not None and scores.hit_at_3 is not None and scores.hit_at_5 is not None
    assert scores.mrr_at_10 is not None
    assert 0.0 <= scores.hit_at_1 <= scores.hit_at_3 <= scores.hit_at_5 <= 1.0
    # MRR@10 lies between hit@1 (every hit at rank 1) and the hit@10 share.
    hit10 = sum(r is not None and r <= 10 for r in values) / len(values)
    assert scores.hit_at_1 - 1e-12 <= scores.mrr_at_10 <= hit10 + 1e-12


@given(st.lists(st.text(max_size=20), max_size=12), st.lists(st.text(min_size=1, max_size=5), max_size=3))
def test_first_hit_rank_agrees_with_is_hit(texts: list[str], gold: list[str]) -> None:
    rank = first_hit_rank(texts, gold)
    if rank is None:
        assert not any(is_hit(t, gold) for t in texts)
    else:
        assert is_hit(texts[rank - 1], gold)
        assert not any(is_hit(t, gold) for t in texts[: rank - 1])


@given(ranks, st.integers(min_value=1, max_value=20))
def test_hit_at_is_monotone_in_k(rank: int | None, k: int) -> None:
    assert hit_at(rank, k) <= hit_at(rank, k + 1)
    assert 0.0 <= reciprocal_rank(rank) <= 1.0


@given(st.lists(st.tuples(st.booleans(), st.booleans(), st.sampled_from(KINDS)), max_size=40))
def test_abstention_shares_are_bounded(rows: list[tuple[bool, bool, str]]) -> None:
    outcomes = [
        Outcome(question_id=f"q{i:03d}", kind=k, split="dev", in_scope=inside, abstained=abst, latency_s=0.0)
        for i, (inside, abst, k) in enumerate(rows)
    ]
    scores = abstention_scores(outcomes)
    assert scores.n_in_scope + scores.n_out_of_scope == len(rows)
    for share in (scores.out_of_scope_abstained_share, scores.false_abstention_share):
        assert share is None or 0.0 <= share <= 1.0


def _report_outcomes() -> dict[Mode, list[Outcome]]:
    rows = [
        ("q001", "paraphrase", "heldout", 1, False),
        ("q002", "typo", "heldout", 6, False),
        ("q003", "out_of_scope", "heldout", None, True),
        ("q004", "keywords", "dev", 2, True),
        ("q005", "out_of_scope", "dev", None, False),
    ]
    outcomes = [
        Outcome(
            question_id=i, kind=k, split=s, in_scope=k != "out_of_scope", first_hit_rank=r, abstained=a, latency_s=0.02
        )
        for i, k, s, r, a in rows
    ]
    return {"lexical": outcomes, "hybrid": outcomes}


def test_report_judges_targets_on_heldout_and_prints_danish() -> None:
    outcomes = _report_outcomes()
    report = build_report(
        "heldout", 10, [], outcomes, {"lexical": (4, []), "hybrid": (4, [])}, {"paraphrase": {"dev": 0, "heldout": 1}}
    )
    assert report.columns == ["heldout", "dev"] and report.ok
    hybrid = report.modes[-1]
    assert hybrid.overall["heldout"].n == 2 and hybrid.overall["heldout"].hit_at_5 == pytest.approx(0.5)
    assert hybrid.overall["dev"].n == 1
    targets = {t.name: t for t in report.targets}
    assert not targets["hit_at_5"].met and targets["hit_at_1"].met is False
    assert targets["out_of_scope_abstained"].met and targets["false_abstentions"].met
    assert targets["offset_errors"].met
    text = format_text(report)
    assert "BM25 alene" in text and "hybrid (produktet)" in text and "Mål" in text


def test_report_with_an_offset_error_is_not_ok() -> None:
    report = build_report(
        "dev",
        10,
        [],
        _report_outcomes(),
        {"lexical": (4, ["a.txt[0:3] er ikke den viste tekst"]), "hybrid": (4, [])},
        {},
    )
    assert not report.ok and report.n_verbatim_errors == 1
    assert not {t.name: t for t in report.targets}["offset_errors"].met
    assert "forskydningsfejl" in format_text(report)


def test_run_mode_checks_every_result_against_the_file(seed_searcher: Any, corpus_dir: Path, tmp_path: Path) -> None:
    questions = [q for q in load_questions() if q.split == "dev"][:12]
    outcomes, checked, errors = run_mode(seed_searcher, "hybrid", questions, 5, CorpusFiles(corpus_dir))
    assert len(outcomes) == len(questions) and checked > 0 and errors == []
    assert all(o.latency_s > 0 for o in outcomes)
    # The same results against a file that has changed since indexing must be reported, not passed.
    for f in corpus_dir.glob("*.txt"):
        (tmp_path / f.name).write_bytes(b"X" + f.read_bytes())
    _, checked_again, errors_again = run_mode(seed_searcher, "lexical", questions, 5, CorpusFiles(tmp_path))
    assert checked_again > 0 and len(errors_again) == checked_again


def test_cli_prints_one_json_object(seed_index_dir: Path, corpus_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        [
            "--split",
            "dev",
            "--modes",
            "hybrid",
            "--json",
            "--index-dir",
            str(seed_index_dir),
            "--corpus",
            str(corpus_dir),
        ]
    )
    report = json.loads(capsys.readouterr().out)
    assert code == 0 and report["n_verbatim_errors"] == 0
    assert report["modes"][0]["mode"] == "hybrid" and report["modes"][0]["overall"]["dev"]["n"] > 0


def test_cli_names_a_broken_question_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "q.jsonl"
    broken.write_text("ikke json\n", encoding="utf-8")
    assert main(["--questions", str(broken)]) == 2
    assert "q.jsonl, linje 1" in capsys.readouterr().err
