"""No markup from the library on the editor pages: a title, a file name or an editor's name like
`[her](https://evil.example) ![](http://host/track.png)` is shown as those characters, never as a
link or an outside image. The pages in AppTest, then in Debian's Chromium against the running app;
a real copy of the seed library in tmp_path."""

from __future__ import annotations

import html
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from index import Embedder
from library import Library, MetadataChange, new_article
from tests.robust_helpers import OFFLINE_ENV, ROOT, article, stop_group
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, free_port
from ui import editors, labels
from ui.resources import searcher_slot
from ui.settings import CORPUS_DIR_ENV, INDEX_DIR_ENV

POISON = "[her](https://evil.example) ![](http://host/track.png)"
FIRST = "000_971d94d165ba8b46.txt"
APP = str(ROOT / "app.py")
ARTICLES_PAGE = "pages/1_Artikler.py"


@pytest.fixture
def poisoned(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path, e5_embedder: Embedder) -> Library:
    """The seed library with the poison as a title, and a removed article whose title and remover are the poison."""
    shutil.copytree(corpus_dir, tmp_path / "corpus")
    shutil.copytree(seed_index_dir, tmp_path / "index", symlinks=True)
    shelf = Library(tmp_path / "corpus", tmp_path / "index", e5_embedder)
    shelf.edit(FIRST, MetadataChange(title=POISON))
    shelf.add_article("notat.txt", article("Skanderborg").encode("utf-8"), new_article(title=f"Notat {POISON}"))
    shelf.remove("notat.txt", who=f"Redaktør {POISON}")
    return shelf


@pytest.fixture
def pages(poisoned: Library, monkeypatch: pytest.MonkeyPatch) -> Iterator[Library]:
    monkeypatch.setenv(CORPUS_DIR_ENV, str(poisoned.corpus_dir))
    monkeypatch.setenv(INDEX_DIR_ENV, str(poisoned.index_dir))
    monkeypatch.setenv(editors.EDITORS_ENV, "anyone")
    monkeypatch.setenv(editors.SECRETS_ENV, str(poisoned.corpus_dir.parent / "secrets.toml"))
    searcher_slot.clear()
    yield poisoned
    searcher_slot.clear()


def markdown_shown(at: AppTest) -> list[str]:
    """Every string the page hands Streamlit to render as Markdown: bodies and widget labels."""
    shown = [str(e.value) for kind in ("markdown", "caption", "info", "error", "success", "warning", "subheader")
             for e in at.get(kind)]
    return shown + [str(w.label) for kind in ("checkbox", "button", "text_input", "expander") for w in at.get(kind)]


def assert_library_text_never_goes_through_markdown(at: AppTest) -> None:
    for text in markdown_shown(at):
        assert "evil.example" not in html.unescape(text) and "track.png" not in html.unescape(text), text
    for block in at.html:  # our escaped HTML: the poison is there only as text, in no tag
        tags = " ".join(re.findall(r"<[^>]*>", block.value))
        assert "evil" not in tags and "track" not in tags and "<img" not in tags, block.value


def shown_as_text(at: AppTest) -> list[str]:
    return [html.unescape(block.value) for block in at.html]


def test_the_articles_page_shows_titles_file_names_and_editors_as_text(pages: Library) -> None:
    at = AppTest.from_file(APP, default_timeout=120).run()
    at.switch_page(ARTICLES_PAGE).run()
    assert not at.exception, at.exception
    assert_library_text_never_goes_through_markdown(at)
    # The poison is still there, as its characters, where an editor needs it.
    visible = shown_as_text(at)
    assert any(f"Fjern »{POISON}«" in t for t in visible)  # named above the removal checkbox
    assert any(f"Notat {POISON}" in t and f"Redaktør {POISON}" in t for t in visible)  # the removed list
    # The outcome of a removal names the title: as text too.
    at.checkbox[0].check().run()
    next(b for b in at.button if b.label == labels.REMOVE_ARTICLE).click().run()
    assert not at.exception, at.exception
    assert_library_text_never_goes_through_markdown(at)
    assert any(POISON in t and "er fjernet" in t for t in shown_as_text(at))


@pytest.fixture
def served(poisoned: Library, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = {**os.environ, **OFFLINE_ENV, CORPUS_DIR_ENV: str(poisoned.corpus_dir),
           INDEX_DIR_ENV: str(poisoned.index_dir), editors.SECRETS_ENV: str(tmp_path / "secrets.toml")}
    log = (tmp_path / "streamlit.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--index-dir", str(poisoned.index_dir), "--corpus",
         str(poisoned.corpus_dir), "--address", "127.0.0.1", "--port", str(port), "--editors", "anyone"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_group(process, grace_s=20)
        log.close()


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium mangler: kør `make browser` (installerer chromium).")
def test_in_the_browser_no_title_or_file_name_becomes_a_link_or_loads_an_outside_image(
    served: str, tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    outside: list[str] = []
    upload = tmp_path / f"notat {POISON.replace('/', '_')}.txt"
    upload.write_text(article("Glostrup"), encoding="utf-8")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 2000}, locale="da-DK")
            page.on("request", lambda r: outside.append(r.url) if not r.url.startswith(served) else None)
            deadline = time.monotonic() + 60
            while True:
                try:
                    page.goto(served + "Tilføj_artikel", timeout=10_000)
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.5)
            page.wait_for_selector('[data-testid="stFileUploader"]', timeout=60_000)
            page.set_input_files('[data-testid="stFileUploader"] input[type="file"]', str(upload))
            page.get_by_role("textbox", name="Titel").fill(f"Glostrups notat {POISON}")
            page.get_by_role("button", name="Tilføj artiklen").click()
            success = page.wait_for_selector(".eb-alert-ok", timeout=120_000)
            assert success is not None and POISON in (success.inner_text() or "")
            page.goto(served + "Artikler", timeout=30_000)
            page.wait_for_selector(".eb-article", timeout=60_000)
            for expander in page.locator('[data-testid="stExpander"] summary').all():
                expander.click()
            page.get_by_text(labels.REMOVED_HEADING).wait_for(timeout=30_000)
            body = page.inner_text("body")
            assert f"Fjern »{POISON}«" in body and f"Notat {POISON}" in body and f"Redaktør {POISON}" in body
            links = page.locator('a[href*="evil.example"]')
            assert links.count() == 0, [links.nth(i).evaluate("e => e.parentElement.parentElement.outerHTML")[:600]
                                        for i in range(links.count())]
            assert page.locator('img[src*="host"]').count() == 0
        finally:
            browser.close()
    assert not [u for u in outside if "evil.example" in u or "host/track" in u], outside
