"""Who may change the library: decided by the operator's configuration (ERFARINGSBANKEN_EDITORS, the
secrets file), never by the address the app is served on. The pages in AppTest against a real copy of
the seed corpus and index; the password, the rules and the client behind a proxy directly."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import logging
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ingest.metadata import read_metadata
from library import Library
from tests.robust_helpers import ROOT
from ui import clients, editors, labels
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
    monkeypatch.delenv(editors.EDITORS_ENV, raising=False)
    searcher_slot.clear()
    editors.SIGN_IN_GUARD.clear()
    yield tmp_path
    searcher_slot.clear()
    editors.SIGN_IN_GUARD.clear()


def run(page: str | None) -> AppTest:
    """The chat, or one of its pages opened from it (pages link to each other relative to the chat)."""
    at = AppTest.from_file(APP, default_timeout=120).run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def texts(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "error", "success", "warning", "html")
    parts = [e.value for kind in kinds for e in at.get(kind)]
    return html.unescape("\n".join(str(p) for p in parts))  # what the browser shows of the escaped text


def test_when_the_operator_says_anyone_whoever_opens_the_app_edits_and_is_told_so(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(editors.EDITORS_ENV, "anyone")
    add = run(ADD_PAGE)
    assert add.get("file_uploader") and any(b.label == "Tilføj artiklen" for b in add.get("button"))
    assert "EDITORS=anyone" in texts(add)
    articles = run(ARTICLES_PAGE)
    assert len(articles.expander) == 2 and articles.checkbox  # one editor box per article


def test_without_sign_in_configured_nobody_edits_and_the_page_says_how_to_turn_it_on(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Nothing configured: AppTest, like an app on 127.0.0.1 behind a proxy, is served on no public address.
    add = run(ADD_PAGE)
    assert not add.get("file_uploader") and not any(b.label == "Tilføj artiklen" for b in add.get("button"))
    shown = texts(add)
    assert "python -m ui.editors set-password" in shown and "[auth]" in shown
    articles = run(ARTICLES_PAGE)
    assert not articles.expander and "Samarbejde" in "".join(h.value for h in articles.get("html"))


def test_with_a_password_an_editor_signs_in_and_a_wrong_password_is_refused(
    shared: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    editors.set_password(shared / "secrets.toml", PASSWORD, "Redaktionen")
    assert PASSWORD not in (shared / "secrets.toml").read_text(encoding="utf-8")
    add = run(ADD_PAGE)
    assert not add.get("file_uploader")
    add.text_input[0].set_value("forkert-kode-ikke-rigtig")
    add.button[0].click().run()
    assert "forkert" in texts(add) and not add.get("file_uploader")
    time.sleep(editors.FIRST_DELAY_SECONDS + 0.2)  # each failure makes the next try wait (tested below)
    add.text_input[0].set_value(PASSWORD)
    add.button[0].click().run()
    assert not add.exception and add.get("file_uploader")
    assert "Logget ind som redaktør: Redaktionen" in texts(add)


def test_with_openid_connect_offers_sign_in_and_no_upload(shared: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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
    monkeypatch.setenv(editors.EDITORS_ENV, "anyone")
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


def test_the_signed_in_editor_s_name_goes_into_the_change_log(shared: Path) -> None:
    editors.set_password(shared / "secrets.toml", PASSWORD, "Redaktionen, Sorø Kommune")
    at = run(ADD_PAGE)
    at.text_input[0].set_value(PASSWORD)
    at.button[0].click().run()
    assert at.get("file_uploader"), texts(at)
    at.switch_page(ARTICLES_PAGE).run()  # the same session, signed in
    at.text_input[0].set_value("Ny titel sat af en redaktør")
    next(b for b in at.button if b.label == labels.EDIT_SAVE).click().run()
    assert not at.exception and "er rettet" in texts(at)
    log = Library(shared / "corpus", shared / "index").log()
    assert [(c.who, c.action) for c in log] == [("Redaktionen, Sorø Kommune", "edit")]


def test_the_rules_follow_the_configuration_not_the_address() -> None:
    assert editors.editor_rule({}) == "signed-in" and editors.editor_rule({editors.EDITORS_ENV: "Anyone"}) == "anyone"
    assert editors.editor_rule({editors.EDITORS_ENV: "alle"}) == "signed-in"  # only the exact word opens it
    assert editors.decide("anyone", {}).allowed and editors.decide("anyone", {}).who == editors.ANYONE
    assert not editors.decide("signed-in", {}).allowed
    stored = {"editors": {"password_hash": editors.hash_password(PASSWORD)}}
    assert not editors.decide("signed-in", stored).allowed
    assert editors.check_password(stored, PASSWORD) and not editors.check_password(stored, PASSWORD + "x")
    assert editors.decide("signed-in", stored, password_editor="Redaktionen").who == "Redaktionen"
    oidc = {"auth": {"client_id": "x"}, "editors": {"allowed": ["a@kommune.dk"]}}
    assert editors.decide("signed-in", oidc, signed_in="A@kommune.dk").allowed
    assert not editors.decide("signed-in", oidc, signed_in="b@kommune.dk").allowed


def test_single_sign_on_makes_only_the_named_editors_or_a_group_editors() -> None:
    nobody_named = {"auth": {"client_id": "x"}}
    refused = editors.decide("signed-in", nobody_named, signed_in="a@kommune.dk")
    assert not refused.allowed and "ingen er udpeget" in (refused.message or "")
    by_group = {"auth": {"client_id": "x"},
                "editors": {"group_claim": "groups", "groups": ["Erfaringsbanken-redaktører"]}}
    member = {"groups": ["alle-ansatte", "erfaringsbanken-redaktører"]}
    assert editors.decide("signed-in", by_group, signed_in="c@kommune.dk", claims=member).allowed
    assert not editors.decide("signed-in", by_group, signed_in="d@kommune.dk", claims={"groups": ["alle"]}).allowed
    assert not editors.decide("signed-in", by_group, signed_in="e@kommune.dk", claims={}).allowed
    single = {"auth": {"client_id": "x"}, "editors": {"group_claim": "role", "groups": "redaktør"}}
    assert editors.decide("signed-in", single, signed_in="f@kommune.dk", claims={"role": "Redaktør"}).allowed


def test_the_start_says_who_may_edit_and_warns_when_anyone_may_on_a_network() -> None:
    assert "ALLE" in editors.describe("anyone", {}, "127.0.0.1")
    assert "ADVARSEL" in editors.describe("anyone", {}, "0.0.0.0")
    assert "ADVARSEL" not in editors.describe("anyone", {}, "127.0.0.1")
    assert "adgangskode" in editors.describe("signed-in", {"editors": {"password_hash": "x"}}, "127.0.0.1")
    assert "ingen" in editors.describe("signed-in", {}, "0.0.0.0")


TRUSTED = clients.parse_networks("127.0.0.1, ::1, 10.1.0.0/16")


def test_a_forwarded_client_is_believed_only_from_a_proxy_the_operator_trusts() -> None:
    forwarded = {"X-Forwarded-For": "203.0.113.9, 198.51.100.7"}
    # The proxy on this machine (Streamlit reports it as no address) forwarded the request.
    assert clients.client_address(None, forwarded, TRUSTED) == "198.51.100.7"
    assert clients.client_address("10.1.4.2", forwarded, TRUSTED) == "198.51.100.7"
    # Nobody configured as trusted, or the connection comes from elsewhere: the header is ignored.
    assert clients.client_address(None, forwarded, []) is None
    assert clients.client_address("192.0.2.50", forwarded, TRUSTED) == "192.0.2.50"
    # Trusted hops on the right are passed over; a client's own claim left of the real hop is not believed.
    assert clients.client_address(None, {"x-forwarded-for": "6.6.6.6, 198.51.100.7, 10.1.0.3"}, TRUSTED) == \
        "198.51.100.7"
    assert clients.client_address(None, {"X-Forwarded-For": "not-an-address, 10.1.0.3"}, TRUSTED) is None
    assert clients.client_address(None, {}, TRUSTED) is None
    with pytest.raises(ValueError, match="ikke en IP-adresse"):
        clients.parse_networks("127.0.0.1, proxy.kommune.dk")
    assert clients.trusted_proxies({clients.TRUSTED_PROXIES_ENV: "proxy.kommune.dk"}) == []


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


def cheap_hash(password: str) -> str:
    """A hash in the stored format at a low cost, so the guard's many checks stay quick."""
    salt = b"0123456789abcdef"
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**12, r=8, p=1, dklen=32)
    return f"scrypt$n=4096,r=8,p=1${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"


def test_guessing_waits_longer_after_each_failure_then_locks_out_per_client_and_account(
    caplog: pytest.LogCaptureFixture,
) -> None:
    secrets = {"editors": {"password_hash": cheap_hash(PASSWORD), "name": "Redaktionen"}}
    now = [1000.0]
    guard = editors.SignInGuard(clock=lambda: now[0])
    caplog.set_level(logging.WARNING, logger="erfaringsbanken.editors")
    # The probe: 160 wrong guesses as fast as a script sends them (one every 50 ms, 8 s in all).
    attempts = []
    for n in range(160):
        attempts.append(guard.attempt(secrets, f"gaet-{n:04d}-forkert", "10.0.0.66"))
        now[0] += 0.05
    checked = [a for a in attempts if a.checked]
    assert len(checked) == 4  # at 0, 1, 3 and 7 s: each failure doubles the wait
    assert all(a.editor is None for a in attempts) and "Vent" in (attempts[1].message or "")
    # Stepping past every wait, the tenth failure locks this client out; the right password too.
    while sum(a.checked for a in attempts) < editors.MAX_CLIENT_FAILURES:
        now[0] += editors.MAX_DELAY_SECONDS
        attempts.append(guard.attempt(secrets, "stadig-forkert-kode", "10.0.0.66"))
    now[0] += editors.MAX_DELAY_SECONDS
    locked = guard.attempt(secrets, PASSWORD, "10.0.0.66")
    assert not locked.checked and locked.editor is None and "spærret" in (locked.message or "")
    # Another client may still try while the account has failures left ...
    assert guard.attempt(secrets, PASSWORD, "10.0.0.7").editor == "Redaktionen"
    # ... and the account locks after MAX_ACCOUNT_FAILURES from anywhere, for every client.
    for n in range(editors.MAX_ACCOUNT_FAILURES):
        now[0] += editors.MAX_DELAY_SECONDS
        assert guard.attempt(secrets, "forkert-igen-kode", f"192.168.1.{n}").checked
    now[0] += editors.MAX_DELAY_SECONDS
    assert "spærret" in (guard.attempt(secrets, PASSWORD, "192.168.2.1").message or "")
    # Once the lockout has passed, the editor gets in.
    now[0] += editors.LOCKOUT_SECONDS + 1
    assert guard.attempt(secrets, PASSWORD, "10.0.0.66").editor == "Redaktionen"
    wrong = [r.getMessage() for r in caplog.records if "Forkert redaktør-adgangskode" in r.getMessage()]
    assert len(wrong) == editors.MAX_CLIENT_FAILURES + editors.MAX_ACCOUNT_FAILURES
    assert "klient 10.0.0.66" in wrong[0] and "konto Redaktionen" in wrong[0]
    assert any("spærret" in r.getMessage() for r in caplog.records)


def test_guesses_sent_at_once_are_not_all_checked() -> None:
    from concurrent.futures import ThreadPoolExecutor

    secrets = {"editors": {"password_hash": cheap_hash(PASSWORD)}}
    guard = editors.SignInGuard()
    with ThreadPoolExecutor(8) as pool:
        attempts = list(pool.map(lambda n: guard.attempt(secrets, f"samtidig-{n}-forkert", "10.0.0.9"), range(40)))
    assert sum(a.checked for a in attempts) == 1


def test_a_new_hash_costs_what_owasp_asks_and_an_old_hash_still_verifies() -> None:
    stored = editors.hash_password(PASSWORD)
    kind, cost, _salt, _digest = stored.split("$")
    assert kind == "scrypt" and cost == "n=131072,r=8,p=1"  # N = 2^17, r = 8, p = 1
    assert editors.password_matches(PASSWORD, stored) and not editors.password_matches(PASSWORD + "x", stored)
    salt = b"fedcba9876543210"
    old = hashlib.scrypt(PASSWORD.encode(), salt=salt, n=2**14, r=8, p=1, dklen=32)
    legacy = f"scrypt${base64.b64encode(salt).decode()}${base64.b64encode(old).decode()}"
    assert editors.password_matches(PASSWORD, legacy)
    assert not editors.password_matches(PASSWORD, stored.replace("n=131072", "n=1073741824"))  # never computed


# Every audit event while the password is set (file opens, chmods, renames) looks at the folder:
# a file in it that others could read, at any of those moments, is recorded.
_WATCH = """
import json, os, sys, stat
from pathlib import Path
folder = Path(sys.argv[1])
seen = []
busy = []
def look(event, args):
    if busy or event.startswith(("os.scandir", "os.listdir")):
        return
    busy.append(1)
    try:
        for name in os.listdir(folder):
            mode = os.lstat(folder / name).st_mode
            seen.append((event, name, oct(stat.S_IMODE(mode))))
    except FileNotFoundError:
        pass
    finally:
        busy.clear()
os.umask(0o022)
sys.addaudithook(look)
from ui.editors import set_password
set_password(folder / "secrets.toml", "rigtig-hemmelig-kode", "Redaktionen")
print(json.dumps(seen))
"""


def test_the_secrets_file_is_never_readable_by_others_not_even_while_it_is_written(tmp_path: Path) -> None:
    folder = tmp_path / "hemmeligt"
    folder.mkdir()
    (folder / "secrets.toml").write_text('[auth]\nclient_id = "behold"\n', encoding="utf-8")
    (folder / "secrets.toml").chmod(0o600)
    done = subprocess.run([sys.executable, "-c", _WATCH, str(folder)], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert any(name != "secrets.toml" for _event, name, _mode in seen)  # the file being written was watched
    assert not [s for s in seen if int(s[2], 8) & 0o077], seen
    assert (folder / "secrets.toml").stat().st_mode & 0o777 == 0o600
