"""No misquote, ever: an article file changed on disk after indexing is never quoted from the old
offsets, in the library's search or in the chat; it is left out with a Danish message. Real files
in tmp_path, the real model and index."""

from __future__ import annotations

import html
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index import Embedder
from library import Library
from tests.robust_helpers import ROOT
from ui.resources import searcher_slot
from ui.settings import CORPUS_DIR_ENV, INDEX_DIR_ENV

FIRST = "000_971d94d165ba8b46.txt"
QUESTION = "Hvordan fik kommunerne hjælp af festivalvagter ved skoleåbningen?"


@pytest.fixture
def shelf(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path, e5_embedder: Embedder) -> Library:
    shutil.copytree(corpus_dir, tmp_path / "corpus")
    shutil.copytree(seed_index_dir, tmp_path / "index", symlinks=True)
    return Library(tmp_path / "corpus", tmp_path / "index", e5_embedder)


def test_a_file_edited_by_hand_is_left_out_with_a_message_until_it_is_indexed_again(shelf: Library) -> None:
    path = shelf.corpus_dir / FIRST
    original = path.read_bytes()
    found = shelf.search(QUESTION, k=5)
    assert not found.left_out and FIRST in {r.article.file for r in found.answer.results}
    # Words added at the end leave every quote where it was: still shown.
    path.write_bytes(original + "\nEt tillæg skrevet i hånden.\n".encode())
    assert FIRST in {r.article.file for r in shelf.search(QUESTION, k=5).answer.results}
    # A sentence put in at the top moves every offset: the old quotes would be wrong words.
    path.write_bytes("Et nyt første afsnit skrevet i hånden. ".encode() + original)
    changed = shelf.search(QUESTION, k=5)
    assert FIRST not in {r.article.file for r in changed.answer.results}
    assert changed.left_out and {x.file for x in changed.left_out} == {FIRST}
    assert changed.notice and FIRST in changed.notice and "ændret" in changed.notice
    assert [r.rank for r in changed.answer.results] == list(range(1, len(changed.answer.results) + 1))
    for result in changed.answer.results:  # what is shown is the file's words at its offsets
        text = (shelf.corpus_dir / result.article.file).read_bytes().decode(result.article.encoding)
        assert text[result.char_start : result.char_end] == result.text
    shelf.build(only_if_stale=True)  # indexed again: quoted again, from the new offsets
    again = shelf.search(QUESTION, k=5)
    assert not again.left_out and FIRST in {r.article.file for r in again.answer.results}


@pytest.fixture
def chat(shelf: Library, monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    monkeypatch.setenv(INDEX_DIR_ENV, str(shelf.index_dir))
    monkeypatch.setenv(CORPUS_DIR_ENV, str(shelf.corpus_dir))
    searcher_slot.clear()
    yield shelf
    searcher_slot.clear()


def test_the_chat_never_shows_a_quote_from_a_file_changed_since_it_was_indexed(chat: Library) -> None:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.chat_input[0].set_value(QUESTION).run()
    assert not at.exception, at.exception
    cards = [h.value for h in at.html if 'class="eb-card"' in h.value]
    quoted = [c for c in cards if FIRST in html.unescape(c)]
    assert quoted and not [h for h in at.html if "eb-alert" in h.value]
    path = chat.corpus_dir / FIRST
    path.write_bytes("Et nyt første afsnit skrevet i hånden. ".encode() + path.read_bytes())
    at.run()  # the same answer drawn again, as on any click
    assert not at.exception, at.exception
    cards = [h.value for h in at.html if 'class="eb-card"' in h.value]
    assert not [c for c in cards if FIRST in html.unescape(c)]
    warnings = [html.unescape(h.value) for h in at.html if "eb-alert" in h.value]
    assert len(warnings) == len(quoted) and all(FIRST in w and "ændret" in w for w in warnings)
