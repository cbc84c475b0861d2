"""Time from `make run` to the first answer card in Chromium: what a leader waits before the first quote.

Usage (from the repository, with the index built or not):
    .venv/bin/python scripts/first_answer.py [--port 8611] [--question "Hvad sagde de om værnemidler?"]
Prints the seconds until the page answers, the chat box shows, and the first answer card appears.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHAT_BOX = 'textarea[data-testid="stChatInputTextArea"]'
ANSWER = ".eb-card"  # a quote card: answered, or the nearest passages of a declined question


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", default="8611")
    parser.add_argument("--question", default="Hvad sagde de om værnemidler?")
    parser.add_argument("--log", type=Path, default=Path("/tmp/first_answer_make_run.log"))
    args = parser.parse_args()
    started = time.monotonic()
    with args.log.open("w") as log:
        server = subprocess.Popen(
            ["make", "run", f"PORT={args.port}"], stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            page = browser.new_page()
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{args.port}/", timeout=5000)
                    break
                except Exception:  # not serving yet
                    if time.monotonic() - started > 900:
                        raise
                    time.sleep(0.1)
            served = time.monotonic() - started
            box = page.wait_for_selector(CHAT_BOX, timeout=900_000)
            ready = time.monotonic() - started
            box.fill(args.question)
            box.press("Enter")
            page.wait_for_selector(ANSWER, timeout=120_000)
            answered = time.monotonic() - started
            browser.close()
        print(f"side efter {served:.1f} s; chatfelt efter {ready:.1f} s; første svar efter {answered:.1f} s")
    finally:
        os.killpg(server.pid, signal.SIGTERM)


if __name__ == "__main__":
    main()
