"""The benchmark's load stage (bench/load.py): sessions speaking Streamlit's websocket protocol ask a served
chat while an editor adds and removes articles; a small plan here, the 20 sessions in `python -m bench`."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.load import Plan, _lost, run_load, text_lines
from library import Library


def test_sessions_ask_while_an_editor_changes_the_library_and_nothing_is_lost(tmp_path: Path) -> None:
    load = run_load(tmp_path, quick=True, plan=Plan(sessions=4, questions_each=2, single_questions=3, deadline_s=120))
    assert load["errors"] == 0, load["error_samples"]
    assert load["lost"] == []
    assert load["questions_single"] == 4 and load["questions_load"] == 8  # alone: two sessions of two
    assert load["editor_adds"] >= 1 and load["editor_removes"] == load["editor_adds"]
    assert 0 < load["single_ms"]["p50"] <= load["single_ms"]["p95"]
    assert 0 < load["load_ms"]["p50"] <= load["load_ms"]["p95"] <= load["load_ms"]["max"]
    assert load["health_after"] == {"ok": True, "articles": 2, "passages": 68}
    report = text_lines(load)
    assert "4 sessioner" in report and "p95" in report and "intet tabt" in report


def test_the_lost_check_names_a_change_the_log_lacks_and_an_article_left_behind(
    tmp_path: Path, corpus_dir: Path, seed_index_dir: Path
) -> None:
    shutil.copytree(corpus_dir, tmp_path / "articles")
    shutil.copytree(seed_index_dir, tmp_path / "index", symlinks=True)
    library = Library(tmp_path / "articles", tmp_path / "index")
    seeds = {"000_971d94d165ba8b46.txt", "004_62e79214372f38a9.txt"}
    assert _lost(library, seeds, [], 0) == []
    lost = _lost(library, seeds | {"storm_001.txt"}, [("add", "storm_001.txt"), ("remove", "storm_001.txt")], 0)
    assert any("ændringsloggen har 0 af editorens 2" in line for line in lost)
    assert any("biblioteket holder" in line for line in lost)
    assert any("mangler i .removed/" in line for line in lost)
