"""A bounded load test on the running app: parallel Chromium sessions ask questions, HTTP clients hit the pages."""

from __future__ import annotations

import statistics
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

import index
from tests.test_browser import CHROMIUM, CHROMIUM_ARGS, running_app  # noqa: F401 (fixture)

SESSIONS = 4
QUESTIONS = [
    "Hvad sagde de om værnemidler?", "samarbejde med de praktiserende læger", "hjemmearbejde og digitale møder",
    "krisestab og hurtige beslutninger",
]
HTTP_REQUESTS = 300
HTTP_PATHS = ["", "_stcore/health", "_stcore/host-config"]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium mangler: kør `make browser` (installerer chromium)."),
]


def _p(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def _browser_session(url: str, n: int, expected: dict[str, str], latencies: list[float], errors: list[str]) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:  # one Playwright per thread: its sync API is not shared across threads
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="da-DK")
            page.goto(url, timeout=60_000)
            box = page.wait_for_selector('textarea[data-testid="stChatInputTextArea"]', timeout=240_000)
            assert box is not None
            for turn, question in enumerate(QUESTIONS[n:] + QUESTIONS[:n]):
                started = time.monotonic()
                box.fill(question)
                box.press("Enter")
                messages = page.locator('[data-testid="stChatMessage"]')
                deadline = time.monotonic() + 180
                while True:  # wait for this turn's answer card
                    if messages.count() >= 2 * (turn + 1) and messages.nth(2 * turn + 1).locator(".eb-text").count():
                        break
                    if time.monotonic() > deadline:
                        raise TimeoutError(f"intet svar på {question!r}")
                    time.sleep(0.05)
                latencies.append(time.monotonic() - started)
                first = messages.nth(2 * turn + 1).locator(".eb-text").first.text_content() or ""
                if first != expected[question]:
                    errors.append(f"session {n}: {question!r} gav et andet første citat")
        except Exception as exc:  # every failure of a session is counted and reported
            errors.append(f"session {n}: {exc!r}")
        finally:
            browser.close()


def test_parallel_sessions_and_requests_get_the_library_answers(
    running_app: tuple[str, float], seed_searcher: index.Searcher, capsys: pytest.CaptureFixture[str]  # noqa: F811
) -> None:
    url, _ = running_app
    expected = {q: seed_searcher.search(q, k=5).results[0].text for q in QUESTIONS}
    deadline = time.monotonic() + 60
    while True:  # the server must accept connections before the clients start
        try:
            urllib.request.urlopen(url + "_stcore/health", timeout=5).read()
            break
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)
    chat_latencies: list[float] = []
    chat_errors: list[str] = []
    sessions = [
        threading.Thread(target=_browser_session, args=(url, n, expected, chat_latencies, chat_errors))
        for n in range(SESSIONS)
    ]
    http_latencies: list[float] = []
    http_errors: list[str] = []

    def get(i: int) -> None:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(url + HTTP_PATHS[i % len(HTTP_PATHS)], timeout=30) as response:
                response.read()
                if response.status != 200:
                    http_errors.append(f"HTTP {response.status}")
        except Exception as exc:  # counted: a load test reports errors, it does not stop at the first
            http_errors.append(repr(exc))
        http_latencies.append(time.monotonic() - started)

    started = time.monotonic()
    for thread in sessions:
        thread.start()
    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(get, range(HTTP_REQUESTS)))
    for thread in sessions:
        thread.join(timeout=600)
    seconds = time.monotonic() - started
    with capsys.disabled():
        print(
            f"\nBelastning: {SESSIONS} browsersessioner x {len(QUESTIONS)} spørgsmål = {len(chat_latencies)} svar, "
            f"{len(chat_errors)} fejl, p50 {statistics.median(chat_latencies or [0]):.2f} s, "
            f"p95 {_p(chat_latencies, 0.95):.2f} s; {HTTP_REQUESTS} HTTP-kald fra 8 klienter, {len(http_errors)} fejl, "
            f"p50 {1000 * statistics.median(http_latencies):.0f} ms, p95 {1000 * _p(http_latencies, 0.95):.0f} ms; "
            f"i alt {seconds:.1f} s"
        )
    assert not any(t.is_alive() for t in sessions)
    assert chat_errors == [] and http_errors == []
    assert len(chat_latencies) == SESSIONS * len(QUESTIONS)
