"""Time from `make run` to the first answer card in an open Chromium: what a leader waits before the first quote.

Usage (from the repository, with the index built or not):
    .venv/bin/python scripts/first_answer.py [--port 8611] [--question "Hvad sagde de om værnemidler?"]
Prints the seconds until the page answers, the chat box shows, and the first answer card appears.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHAT_BOX = 'textarea[data-testid="stChatInputTextArea"]'
ANSWER = ".eb-card"  # a quote card: answered, or the nearest passages of a declined question
TALLEST = "Math.max(...[...document.querySelectorAll('*')].map(e => e.scrollHeight))"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", default="8611")
    parser.add_argument("--question", default="Hvad sagde de om værnemidler?")
    parser.add_argument("--log", type=Path, default=Path("/tmp/first_answer_make_run.log"))
    parser.add_argument("--screenshot", type=Path, help="save the whole answer here (PNG), after timing")
    args = parser.parse_args()
    with sync_playwright() as playwright:
        # The leader's browser is open before the chat starts: launching Chromium (~1 s on these
        # 2 cores, competing with the server's start) is not part of the wait being measured.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        page = browser.new_page()
        started = time.monotonic()
        with args.log.open("w") as log:
            server = subprocess.Popen(
                ["make", "run", f"PORT={args.port}"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        try:
            # Wait for the port, as a leader waits for the URL to be printed: a page.goto retried
            # against a closed port loads Chromium's error page each time (~0.5 s more).
            while True:
                try:
                    socket.create_connection(("127.0.0.1", int(args.port)), timeout=1).close()
                    break
                except OSError:  # not serving yet
                    if time.monotonic() - started > 900:
                        raise
                    time.sleep(0.05)
            listening = time.monotonic() - started
            page.goto(f"http://127.0.0.1:{args.port}/", timeout=30_000)
            served = time.monotonic() - started
            box = page.wait_for_selector(CHAT_BOX, timeout=900_000)
            ready = time.monotonic() - started
            box.fill(args.question)
            box.press("Enter")
            page.wait_for_selector(ANSWER, timeout=120_000)
            answered = time.monotonic() - started
            if args.screenshot:
                page.wait_for_timeout(1_000)  # the remaining cards render after the first
                # Streamlit scrolls the chat inside its own container, so a full-page shot shows one
                # screenful: the window is first made as tall as that container's content.
                tall = page.evaluate(TALLEST)
                page.set_viewport_size({"width": page.viewport_size["width"], "height": int(tall) + 200})
                page.wait_for_timeout(800)
                page.screenshot(path=str(args.screenshot), full_page=True)
            browser.close()
        finally:
            os.killpg(server.pid, signal.SIGTERM)
    print(
        f"server efter {listening:.1f} s; side efter {served:.1f} s; chatfelt efter {ready:.1f} s; "
        f"første svar efter {answered:.1f} s"
    )


if __name__ == "__main__":
    main()
