"""The chat a director shows to staff, in Debian's Chromium against the running app (`python -m ui.serve`).

One server for the module, on a copy of the seed library the last test changes (an editor removes
an article while a chat shows its quotes) and puts back. Each test opens its own page (a session of
its own) and leaves a screenshot in the folder ERFARINGSBANKEN_SCREENSHOTS names (else a temporary
one), printed at the end: the screenshots the issue asks to look at.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from docx import Document

from library import Library
from tests.robust_helpers import stop_group
from ui import labels

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
QUESTION = "Hvad sagde de om værnemidler?"
GP_QUESTION = "Hvad lærte kommunerne om samarbejdet med de praktiserende læger?"
MESSAGES = '[data-testid="stChatMessage"]'
ENGLISH = ("Select all", "per file", "Browse files", "Drag and drop", "200MB", "Traceback", "Error", "Ask Google")

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium mangler: kør `make browser` (installerer chromium)."),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def serve(corpus: Path, index_dir: Path, log_path: Path,
          address: str = "127.0.0.1") -> tuple[subprocess.Popen[bytes], str]:
    """Start the chat as `make run` does, on a free port; its process and URL."""
    port = free_port()
    env = {**os.environ, "ERFARINGSBANKEN_INDEX_DIR": str(index_dir), "ERFARINGSBANKEN_CORPUS_DIR": str(corpus),
           "ERFARINGSBANKEN_SECRETS": str(log_path.parent / "secrets.toml"),
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--index-dir", str(index_dir), "--corpus", str(corpus),
         "--address", address, "--port", str(port),
         # As `make run` does: the person at the machine may edit on 127.0.0.1, signed-in editors beyond it.
         "--editors", "anyone" if address == "127.0.0.1" else "signed-in"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    log.close()
    return process, f"http://127.0.0.1:{port}/"


# The library and server log behind each running app's URL (tests/test_load.py imports `running_app` alone).
SERVED: dict[str, tuple[Library, Path]] = {}


@pytest.fixture(scope="module")
def running_app(seed_index_dir: Path, corpus_dir: Path,
                tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, float]]:
    """The chat served on 127.0.0.1 (the person at the machine may add) from a copy of the seed library;
    its URL and start time."""
    folder = tmp_path_factory.mktemp("browser-library")
    shutil.copytree(corpus_dir, folder / "corpus")
    shutil.copytree(seed_index_dir, folder / "index", symlinks=True)
    shelf = Library(folder / "corpus", folder / "index")
    started = time.monotonic()
    process, url = serve(shelf.corpus_dir, shelf.index_dir, folder / "streamlit.log")
    SERVED[url] = (shelf, folder / "streamlit.log")
    try:
        yield url, started
    finally:
        stop_group(process)
        SERVED.pop(url, None)


@pytest.fixture(scope="module")
def library_copy(running_app: tuple[str, float]) -> Library:
    """The library the running app serves (a copy: a test may change it)."""
    return SERVED[running_app[0]][0]


@pytest.fixture(scope="module")
def chromium() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def shots(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    folder = Path(os.environ.get("ERFARINGSBANKEN_SCREENSHOTS") or tmp_path_factory.mktemp("skaermbilleder"))
    folder.mkdir(parents=True, exist_ok=True)
    yield folder
    print(f"\nSkærmbilleder: {folder}")


@pytest.fixture
def tab(chromium: Browser) -> Iterator[Page]:
    context = chromium.new_context(viewport={"width": 1366, "height": 1000}, locale="da-DK", accept_downloads=True)
    try:
        yield context.new_page()
    finally:
        context.close()


def open_chat(tab: Page, url: str) -> Locator:
    """Open the app, retrying while the server does not accept connections yet; the chat box."""
    deadline = time.monotonic() + 60
    while True:
        try:
            tab.goto(url, timeout=10_000)
            break
        except Exception:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    box = tab.locator('textarea[data-testid="stChatInputTextArea"]')
    box.wait_for(timeout=60_000)
    return box


def ask(tab: Page, box: Locator, question: str, with_cards: bool = True) -> Locator:
    """Ask a question and wait for its answer; the answer's chat message."""
    asked = tab.locator(".eb-user")
    before = asked.count()
    box.fill(question)
    box.press("Enter")
    messages = tab.locator(MESSAGES)
    deadline = time.monotonic() + 60
    while True:
        settled = asked.count() == before + 1 and not tab.get_by_text(labels.SEARCHING).count()
        answer = messages.last.locator(".eb-card" if with_cards else ".eb-notice, .eb-card")
        if settled and ".eb-user" not in messages.last.inner_html() and answer.count():
            break
        assert time.monotonic() < deadline, f"no answer to {question!r}"
        tab.wait_for_timeout(100)
    tab.wait_for_timeout(400)  # let the rest of the answer settle
    return messages.last


def show(tab: Page, element: Locator, path: Path) -> None:
    """A screenshot of the page with the element at the top of the view."""
    element.evaluate("e => e.scrollIntoView({block: 'start'})")
    tab.wait_for_timeout(300)
    tab.screenshot(path=str(path))
    assert path.stat().st_size > 10_000


def assert_no_english_or_traceback(tab: Page) -> None:
    body = tab.inner_text("body")
    assert not [word for word in ENGLISH if word in body], body[:2000]


def test_the_first_screen_says_what_the_library_holds_and_an_example_is_answered(
    running_app: tuple[str, float], tab: Page, shots: Path
) -> None:
    url, started = running_app
    open_chat(tab, url)
    welcome = tab.locator(".eb-welcome")
    welcome.wait_for(timeout=60_000)
    text = welcome.inner_text()
    assert "Biblioteket rummer 2 artikler (68 tekststykker)." in text and "epidemi (2)" in text and "NB-Nyt" in text
    examples = tab.get_by_role("button", name="Hvad skriver artiklerne om »")
    examples.first.wait_for(timeout=30_000)  # drawn after the overview, on a busy machine a moment later
    tab.get_by_text(labels.STRENGTH_HEADING).click()
    tab.get_by_text(labels.STRENGTH_EXPLANATION["possible"]).wait_for(timeout=10_000)
    show(tab, tab.locator("h1"), shots / "1-forside.png")
    asked = examples.first.inner_text().split("\n")[-1].strip()  # without the icon's name
    examples.first.click()
    tab.locator(".eb-card").first.wait_for(timeout=60_000)
    tab.get_by_role("button", name="Hvad skriver artiklerne om »").first.wait_for(state="detached", timeout=30_000)
    assert asked in tab.locator(MESSAGES).first.inner_text()
    assert_no_english_or_traceback(tab)
    print(f"\nTid fra `python -m ui.serve` til et svar på forsidens eksempel: {time.monotonic() - started:.1f} s")


def test_a_card_names_its_source_for_the_reader_and_the_file_for_who_checks(
    running_app: tuple[str, float], tab: Page, shots: Path, corpus_dir: Path
) -> None:
    url, _ = running_app
    answer = ask(tab, open_chat(tab, url), QUESTION)
    card = answer.locator(".eb-card").first
    quote = card.locator(".eb-text").inner_text()
    assert len(quote) > 20 and any(quote in p.read_text(encoding="utf-8") for p in corpus_dir.glob("*.txt"))
    source = card.locator(".eb-source").inner_text()
    assert "NB-Nyt" in source and "»" in source
    for clutter in (".txt", "titel udledt", "intet link", "Artiklens egen tekst", "Fil:"):
        assert clutter not in source
    details = card.locator("details.eb-check")
    assert not details.locator("dd").first.is_visible()
    details.locator("summary").click()
    checked = details.inner_text()
    assert ".txt" in checked and "tegn " in checked and "udledt af teksten" in checked
    strength = card.locator(".eb-strength")
    assert strength.get_attribute("title") in labels.STRENGTH_EXPLANATION.values()
    assert "score" not in answer.inner_text().lower()
    show(tab, answer, shots / "2-kort-med-kilde.png")


def test_a_followup_moves_on_and_no_card_repeats_the_question(
    running_app: tuple[str, float], tab: Page, shots: Path
) -> None:
    url, _ = running_app
    box = open_chat(tab, url)
    first = ask(tab, box, GP_QUESTION)
    first_top = first.locator(".eb-card").first.get_attribute("data-passage")
    assert first.locator(".eb-absent").count() == 0  # »lærte« is not in the articles; above good quotes, no matter
    then = ask(tab, box, "og med regionerne?")
    assert "Opfølgning: søgt på »og med regionerne?«" in then.locator(".eb-followup").inner_text()
    top = then.locator(".eb-card").first
    assert "region" in " ".join(top.locator("mark").all_inner_texts()).lower()
    assert top.get_attribute("data-passage") != first_top
    assert "Svar på" not in then.inner_text() and "opfølgning på" not in then.inner_text()
    assert then.get_by_role("button", name=labels.SEARCH_ALONE).count() == 1
    show(tab, then, shots / "3-opfoelgning.png")


def test_several_voices_are_seen_and_more_from_one_article_is_a_click_away(
    running_app: tuple[str, float], tab: Page, shots: Path
) -> None:
    url, _ = running_app
    answer = ask(tab, open_chat(tab, url), "samarbejde i krisen")
    assert "fra 2 artikler" in answer.inner_text()
    more = answer.get_by_text("mere fra samme artikel")
    assert more.count() >= 1
    shown = answer.locator(".eb-card").filter(visible=True).count()
    assert shown == 2  # the best quote of each article
    more.first.click()
    tab.wait_for_timeout(500)
    assert answer.locator(".eb-card").filter(visible=True).count() > shown
    show(tab, answer, shots / "4-flere-stemmer.png")


def test_a_briefing_downloads_with_questions_whole_quotes_and_sources(
    running_app: tuple[str, float], tab: Page, shots: Path, tmp_path: Path
) -> None:
    url, _ = running_app
    answer = ask(tab, open_chat(tab, url), QUESTION)
    for n in (1, 2):
        if not answer.locator("button:enabled:visible", has_text=labels.ADD_TO_BASKET).count():
            answer.get_by_text("mere fra samme artikel").first.click()  # the rest of the article's quotes
        answer.locator("button:enabled:visible", has_text=labels.ADD_TO_BASKET).first.click()
        tab.get_by_text(f"{labels.BASKET_HEADING} ({n})").wait_for(timeout=30_000)
        answer.locator("button", has_text=labels.IN_BASKET).nth(n - 1).wait_for(timeout=30_000)
    sidebar = tab.locator('[data-testid="stSidebar"]')
    with tab.expect_download() as got:
        sidebar.get_by_role("button", name=labels.EXPORT_MARKDOWN).click()
    md = Path(got.value.path()).read_text(encoding="utf-8")
    assert md.count(f"Spørgsmål: {QUESTION}") == 2 and "## Kilder" in md and "\\" not in md
    with tab.expect_download() as got:
        sidebar.get_by_role("button", name=labels.EXPORT_WORD).click()
    document = Document(io.BytesIO(Path(got.value.path()).read_bytes()))
    texts = [p.text for p in document.paragraphs]
    assert "Kilder" in texts and sum(p.style.name == "Quote" for p in document.paragraphs) == 2
    show(tab, sidebar.get_by_text(f"{labels.BASKET_HEADING} (2)"), shots / "5-briefing.png")


def test_a_paste_over_the_limit_is_told_so_in_danish(running_app: tuple[str, float], tab: Page,
                                                      shots: Path) -> None:
    url, _ = running_app
    answer = ask(tab, open_chat(tab, url), "Hvad sagde de om værnemidler og lægerne? " * 40, with_cards=False)
    assert "1.639 tegn langt; højst 1.000 tegn" in answer.inner_text()
    show(tab, tab.locator(MESSAGES).first, shots / "6-for-langt.png")


def test_the_pages_speak_danish_and_say_one_size_limit(running_app: tuple[str, float], tab: Page,
                                                       shots: Path) -> None:
    url, _ = running_app
    open_chat(tab, url)
    tab.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first.click()
    tab.wait_for_timeout(500)
    assert "Select all" not in tab.inner_text("body")
    tab.goto(url + "Tilføj_artikel")
    dropzone = tab.locator('[data-testid="stFileUploaderDropzone"]')
    dropzone.wait_for(timeout=60_000)

    def shown_after(selector: str) -> str:
        return str(tab.locator(selector).first.evaluate("e => getComputedStyle(e, '::after').content"))

    button = '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p'
    limit = '[data-testid="stFileUploaderDropzoneInstructions"] span'
    assert shown_after(button) == '"Vælg filer"' and shown_after(limit).startswith('"Højst 25 MB pr. fil')
    assert tab.locator(button).first.evaluate("e => getComputedStyle(e).fontSize") == "0px"
    assert "højst 25 MB" in tab.inner_text("body")
    show(tab, tab.locator("h1"), shots / "7-tilfoej-artikel.png")
    tab.goto(url + "Artikler")
    tab.locator(".eb-article").first.wait_for(timeout=60_000)
    tab.get_by_text(labels.EDIT_ARTICLE).first.click()
    assert shown_after(limit).startswith('"Højst 25 MB pr. fil')  # the replace box: the same limit
    assert "200" not in shown_after(limit)


def test_on_a_network_a_visitor_who_may_not_add_is_not_offered_the_add_page(
    library_copy: Library, tab: Page, shots: Path
) -> None:
    process, url = serve(library_copy.corpus_dir, library_copy.index_dir,
                         library_copy.corpus_dir.parent / "streamlit-network.log", address="0.0.0.0")
    try:
        open_chat(tab, url)
        tab.locator(".eb-welcome").wait_for(timeout=60_000)
        sidebar = tab.locator('[data-testid="stSidebar"]').inner_text()
        assert "Artiklerne" in sidebar and "Tilføj artikel" not in sidebar and "Log ind" not in sidebar
        assert labels.HOW_TO_ADD_VISITOR in tab.locator(".eb-welcome").inner_text()
        show(tab, tab.locator("h1"), shots / "8-besoegende-paa-netvaerk.png")
    finally:
        stop_group(process)


def test_an_article_removed_while_a_chat_shows_its_quotes_leaves_them_marked_and_the_chat_going(
    running_app: tuple[str, float], library_copy: Library, tab: Page, shots: Path
) -> None:
    url, _ = running_app
    log = SERVED[url][1]
    box = open_chat(tab, url)
    answer = ask(tab, box, QUESTION)
    card = answer.locator(".eb-card").first
    title = card.locator(".eb-source").inner_text()
    answer.locator("button:enabled:visible", has_text=labels.ADD_TO_BASKET).first.click()
    tab.get_by_text(f"{labels.BASKET_HEADING} (1)").wait_for(timeout=30_000)
    gone = next(a for a in library_copy.catalog() if a.title and f"»{a.title}«" in title)
    library_copy.remove(gone.file, who="en redaktør")  # an editor on the articles page, meanwhile
    try:
        then = ask(tab, box, "og hvad med lægerne?")
        first = tab.locator(MESSAGES).nth(1)
        assert "Artiklen er fjernet fra biblioteket" in first.inner_text()
        first.get_by_text(labels.SHOW_CONTEXT).first.click()
        first.locator(".eb-context").first.wait_for(timeout=10_000)
        assert tab.get_by_text(f"{labels.BASKET_HEADING} (1)").count() == 1
        assert then.locator(".eb-card").count() >= 1
        assert_no_english_or_traceback(tab)
        show(tab, first, shots / "9-fjernet-artikel.png")
    finally:
        library_copy.restore(gone.file, who="en redaktør")
    assert "Traceback" not in log.read_text(encoding="utf-8")
