"""`python -m index` as a user runs it: a real process over a real saved index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(args: list[str], stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "index", *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120
    )


def test_json_mode_prints_one_answer_per_stdin_line(seed_index_dir: Path, corpus_dir: Path) -> None:
    questions = ["Hvad sagde de om værnemidler?", "", "Hvordan rydder kommunen sne om vinteren?"]
    done = run(["--json", "--k", "2", "--index-dir", str(seed_index_dir)], stdin="\n".join(questions) + "\n")
    assert done.returncode == 0, done.stderr
    answers = [json.loads(line) for line in done.stdout.splitlines()]
    assert [a["question"] for a in answers] == [questions[0], questions[2]]
    assert answers[0]["abstained"] is False and len(answers[0]["results"]) == 2
    assert answers[1]["abstained"] is True
    for result in answers[0]["results"]:
        decoded = (corpus_dir / result["article"]["file"]).read_bytes().decode(result["article"]["encoding"])
        assert decoded[result["char_start"] : result["char_end"]] == result["text"]


def test_text_mode_is_readable_danish(seed_index_dir: Path) -> None:
    done = run(["Hvad sagde de om værnemidler?", "--k", "1", "--index-dir", str(seed_index_dir), "--mode", "dense"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Spørgsmål: Hvad sagde de om værnemidler?")
    assert "1. [" in done.stdout and "Kilde:" in done.stdout


def test_missing_index_exits_2_with_a_hint_and_no_traceback(tmp_path: Path) -> None:
    done = run(["værnemidler", "--index-dir", str(tmp_path / "none")])
    assert done.returncode == 2
    assert "python -m ingest" in done.stderr and "make run" in done.stderr
    assert "Traceback" not in done.stderr
