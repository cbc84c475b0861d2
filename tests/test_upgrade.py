"""Upgrading: `git pull && make run` keeps the library, and an index of the previous format is rebuilt
with a message, never misread.

A checkout cloned from an "origin" holds the library as the previous version kept it (in corpus/,
its index in .index, written in format 5); this version's start (`python -m ui.serve`, what
`make run` runs after installing) moves it to data/ and rebuilds the index; then the origin
changes, even the shipped articles.toml, and `git pull` meets none of the library's files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests import checkout, service
from tests.previous_format import downgrade

ARTICLE = ("Erfaringer fra stormfloden\n\nKommunen evakuerede plejecentret ved havnen om natten. \"Vi havde en "
           "liste over alle beboere med ilt, og den reddede os,\" siger sundhedschefen.\n")


def test_git_pull_and_run_keep_the_library_and_rebuild_an_index_of_the_previous_format(tmp_path: Path) -> None:
    origin = checkout.clone(tmp_path / "origin")
    repo = tmp_path / "kommunen"
    subprocess.run(["git", "clone", "-q", str(origin), str(repo)], check=True, timeout=120)
    note = tmp_path / "stormflod.txt"
    note.write_text(ARTICLE, encoding="utf-8")
    old = checkout.run(repo, "-m", "ingest", "add", str(note), "--corpus", "corpus", "--index-dir", ".index", "--quiet")
    assert old.returncode == 0, old.stderr
    downgrade(repo / ".index")  # the previous version's index

    port = service.free_port()
    first = service.Command([sys.executable, "-m", "ui.serve", "--port", str(port)], checkout.OFFLINE, repo)
    (tmp_path / "first").mkdir()
    with service.serving(first, port, tmp_path / "first", base="") as running:
        status, health = running.health()
        assert status == 200 and health["articles"] == 3, health
        output = running.output()
    assert "flyttet én gang" in output
    assert "Bygger indekset: indekset er skrevet af en anden version af programmet." in output
    asked = checkout.run(repo, "-m", "index", "Hvem havde ilt?", "--json", "--k", "1")
    result = json.loads(asked.stdout)["results"][0]
    assert result["article"]["file"] == "stormflod.txt"
    text = (repo / "data" / "articles" / "stormflod.txt").read_text(encoding="utf-8")
    assert text[result["char_start"]:result["char_end"]] == result["text"]  # read right, not misread
    assert checkout.git(repo, "status", "--porcelain", "--untracked-files=all") == ""

    # Upstream moves on, the shipped articles' metadata included; the municipality pulls.
    toml = origin / "corpus" / "articles.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + "# opdateret i en ny version\n", encoding="utf-8")
    checkout.git(origin, "commit", "-q", "-am", "en ny version")
    pulled = subprocess.run(["git", "-C", str(repo), "pull", "-q"], capture_output=True, text=True, timeout=120)
    assert pulled.returncode == 0, pulled.stderr

    port = service.free_port()
    again = service.Command([sys.executable, "-m", "ui.serve", "--port", str(port)], checkout.OFFLINE, repo)
    (tmp_path / "again").mkdir()
    with service.serving(again, port, tmp_path / "again", base="") as running:
        status, health = running.health()
        assert status == 200 and health["articles"] == 3, health
        output = running.output()
    assert "Nyt bibliotek" not in output and "flyttet" not in output and "Bygger indekset" not in output
    assert (repo / "data" / "articles" / "stormflod.txt").read_text(encoding="utf-8") == ARTICLE
    assert "opdateret i en ny version" not in (repo / "data" / "articles" / "articles.toml").read_text(encoding="utf-8")
