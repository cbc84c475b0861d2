"""The README's two readers and the operator's guide: the quick start is exactly `make run` and `make test`,
the README says what the shipped library is (as its own metadata says), the guide covers what an IT
department asks, and every command that takes the library setting documents it."""

from __future__ import annotations

import re
import subprocess
import sys

from ingest.metadata import read_metadata
from tests.robust_helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
OPERATING = (ROOT / "docs" / "OPERATING.md").read_text(encoding="utf-8")
INTERFACES = (ROOT / "docs" / "INTERFACES.md").read_text(encoding="utf-8")


def test_the_quick_start_is_exactly_make_run_and_make_test() -> None:
    first_block = re.search(r"```bash\n(.*?)```", README, re.S)
    assert first_block is not None
    commands = [line.split("#")[0].strip() for line in first_block.group(1).splitlines() if line.strip()]
    assert commands == ["make run", "make test"]


def test_the_readme_says_what_the_shipped_library_holds_as_its_metadata_does() -> None:
    entries = read_metadata(ROOT / "corpus" / "articles.toml").entries.values()
    assert len(entries) == 2 and "to artikler om covid-19" in README and "two covid-19 articles" in README
    for entry in entries:
        assert entry.publisher is not None and entry.publisher in README
    assert "Resonans" in README and all(name in README for name in ("Anne-Mette Scheibel", "Nanna Hebsgaard"))
    assert "docs/OPERATING.md" in README and "docs/MEASURED.md" in README
    assert "| 2 (68) |" not in README  # the evaluation tables live in docs/MEASURED.md
    assert "| 2 (68) |" in (ROOT / "docs" / "MEASURED.md").read_text(encoding="utf-8")


def test_the_operator_s_guide_covers_what_an_it_department_asks() -> None:
    headings = re.findall(r"^## \d+\. (.+)$", OPERATING, re.M)
    for topic in ("Prerequisites", "without internet", "data folder", "editors", "service", "HTTPS", "Backup",
                  "Upgrades"):
        assert any(topic.lower() in h.lower() for h in headings), (topic, headings)
    for fact in ("Python 3.11", "2.7 GB", "tesseract-ocr-dan", "ERFARINGSBANKEN_LIBRARY", "/healthz",
                 "ERFARINGSBANKEN_TRUSTED_PROXIES", "--base-url-path", "client_max_body_size", "git pull"):
        assert fact in OPERATING, fact


def test_every_command_that_takes_the_library_setting_documents_it() -> None:
    for module in ("ingest", "index", "ui.serve"):
        done = subprocess.run([sys.executable, "-m", module, "--help"], capture_output=True, text=True, cwd=ROOT,
                              timeout=120)
        assert "--library" in done.stdout, module
    for usage in ("python -m ingest [--library DIR]", "python -m index [QUESTION]", "[--library DIR]",
                  "python -m library backup [--library DIR", "python -m library restore ARCHIVE [--library DIR"):
        assert usage in INTERFACES, usage
