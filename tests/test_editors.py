"""Who may change the library: the person at the machine, or a signed-in editor when the app is shared.
The pages in AppTest against a real copy of the seed corpus and index; the password and the rules directly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.metadata import read_metadata
from tests.robust_helpers import ROOT
from ui import editors
from ui.editor_gate import ADDRESS_ENV
from ui.resources import searcher_slot
from ui.settings import CORPUS_DIR_ENV, INDEX_DIR_ENV

ADD_PAGE = "pages/2_Tilføj_artikel.py"
ARTICLES_PAGE = "pages/1_Artikler.py"
APP = str(ROOT / "app.py")
PASSWORD = "rigtig-hemmelig-kode"


@pytest.fixture
def shared(tmp_path: Path, corpus_dir: Path, seed_index_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the seed library, the app pointed at it; the test sets the address and the secrets."""
    corpus, index_dir = tmp_path / "corpus", tmp_path / "index"
    shutil.copytree(corpus_dir, corpus)
    shutil.copytree(seed_index_dir, index_dir, symlinks=True)
    monkeypatch.setenv(CORPUS_DIR_ENV, str(corpus))
    monkeypatch.setenv(INDEX_DIR_ENV, str(index_dir))
    monkeypatch.setenv(editors.SECRETS_ENV, str(tmp_path / "secrets.toml"))
    searcher_slot.clear()
    yield tmp_path
    searcher_slot.clear()


def run(page: str | None) -> AppTest:
    """The chat, or one of its pages opened from it (pages link to each other relative to the chat)."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "info", "error", "success", "warning") for e in at.get(kind)]
    return "\n".join(str(p) for p in parts)


def test_on_this_machine_the_person_at_it_is_the_editor(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ADDRESS_ENV, "127.0.0.1")
    add = run(ADD_PAGE)
    assert add.get("file_uploader") and any(b.label == "Tilføj artiklen" for b in add.get("button"))
    articles = run(ARTICLES_PAGE)
    assert len(articles.expander) == 2 and articles.checkbox  # one editor box per article


def test_shared_without_sign_in_configured_shows_no_upload_and_says_how_to_turn_it_on(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ADDRESS_ENV, "0.0.0.0")
    add = run(ADD_PAGE)
    assert not add.get("file_uploader") and not any(b.label == "Tilføj artiklen" for b in add.get("button"))
    shown = texts(add)
    assert "python -m ui.editors set-password" in shown and "[auth]" in shown
    articles = run(ARTICLES_PAGE)
    assert not articles.expander and "Samarbejde" in "".join(h.value for h in articles.get("html"))


def test_shared_with_a_password_an_editor_signs_in_and_a_wrong_password_is_refused(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ADDRESS_ENV, "0.0.0.0")
    editors.set_password(shared / "secrets.toml", PASSWORD, "Redaktionen")
    assert PASSWORD not in (shared / "secrets.toml").read_text(encoding="utf-8")
    add = run(ADD_PAGE)
    assert not add.get("file_uploader")
    add.text_input[0].set_value("forkert-kode-ikke-rigtig")
    add.button[0].click().run()
    assert "forkert" in texts(add) and not add.get("file_uploader")
    add.text_input[0].set_value(PASSWORD)
    add.button[0].click().run()
    assert not add.exception and add.get("file_uploader")
    assert "Logget ind som redaktør: Redaktionen" in texts(add)


def test_shared_with_openid_connect_offers_sign_in_and_no_upload(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ADDRESS_ENV, "0.0.0.0")
    (shared / "secrets.toml").write_text(
        '[auth]\nredirect_uri = "https://erfaringsbanken.example/oauth2callback"\ncookie_secret = "x"\n'
        'client_id = "id"\nclient_secret = "s"\n'
        'server_metadata_url = "https://login.example/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    add = run(ADD_PAGE)
    assert not add.get("file_uploader") and any(b.label == "Log ind" for b in add.get("button"))
    assert "Log ind som redaktør" in texts(add)


def test_an_editor_edits_removes_and_restores_and_the_chat_follows(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ADDRESS_ENV, "127.0.0.1")
    corpus = shared / "corpus"
    articles = run(ARTICLES_PAGE)
    # The first article's edit form: its title field, then save.
    articles.text_input[0].set_value("Nye veje i kommunernes samarbejde")
    articles.button[0].click().run()
    assert not articles.exception and "er rettet" in texts(articles)
    entry = read_metadata(corpus / "articles.toml").entries["000_971d94d165ba8b46.txt"]
    assert entry.title == "Nye veje i kommunernes samarbejde" and entry.title_is_derived is False
    chat = run(None)
    chat.chat_input[0].set_value("festivalvagter ved skoleåbningen").run()
    cards = "".join(h.value for h in chat.get("html") if 'class="eb-card"' in h.value)
    assert "Nye veje i kommunernes samarbejde" in cards  # the open app answers from the new index

    articles = run(ARTICLES_PAGE)
    remove = next(b for b in articles.button if b.label == "Fjern artiklen")
    assert remove.disabled  # nothing is removed before the editor confirms, naming the article
    articles.checkbox[0].check().run()
    next(b for b in articles.button if b.label == "Fjern artiklen").click().run()
    assert "er fjernet" in texts(articles) and not (corpus / "000_971d94d165ba8b46.txt").exists()
    articles = run(ARTICLES_PAGE)
    assert "Fjernede artikler" in [s.value for s in articles.subheader]
    next(b for b in articles.button if b.label == "Gendan").click().run()
    assert "er gendannet" in texts(articles) and (corpus / "000_971d94d165ba8b46.txt").is_file()


def test_the_rules_decide_by_address_and_sign_in() -> None:
    assert editors.is_loopback("127.0.0.1") and editors.is_loopback("::1") and editors.is_loopback("localhost")
    assert not editors.is_loopback("0.0.0.0") and not editors.is_loopback(None) and not editors.is_loopback("10.0.0.5")
    assert editors.decide("127.0.0.1", {}).allowed
    assert not editors.decide("0.0.0.0", {}).allowed
    stored = {"editors": {"password_hash": editors.hash_password(PASSWORD)}}
    assert not editors.decide("0.0.0.0", stored).allowed
    assert editors.check_password(stored, PASSWORD) and not editors.check_password(stored, PASSWORD + "x")
    assert editors.decide("0.0.0.0", stored, password_editor="Redaktionen").who == "Redaktionen"
    oidc = {"auth": {"client_id": "x"}, "editors": {"allowed": ["a@kommune.dk"]}}
    assert editors.decide("0.0.0.0", oidc, signed_in="A@kommune.dk").allowed
    assert not editors.decide("0.0.0.0", oidc, signed_in="b@kommune.dk").allowed


def test_set_password_keeps_only_a_hash_and_the_other_secrets(tmp_path: Path) -> None:
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('[auth]\nclient_id = "behold"\n', encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "ui.editors", "set-password", "--secrets", str(secrets)],
                          input=f"{PASSWORD}\n{PASSWORD}\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert done.returncode == 0, done.stderr
    text = secrets.read_text(encoding="utf-8")
    assert PASSWORD not in text and "scrypt$" in text and 'client_id = "behold"' in text
    short = subprocess.run([sys.executable, "-m", "ui.editors", "set-password", "--secrets", str(secrets)],
                           input="kort\nkort\n", capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert short.returncode == 2 and "mindst" in short.stderr
