"""Erfaringsbanken as a service: the systemd unit's and the container's own command lines run here
(podman cannot run containers on these machines), answering a health check that says whether the
index is loaded, logging to standard output; behind the documented nginx with HTTPS (a browser
through it) the editor rules hold, the websocket, the base URL path and XSRF-protected uploads work."""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from library import Library
from tests import service
from ui import editors

PASSWORD = "rigtig-hemmelig-kode"
EDITOR = "Redaktionen, Vejle Kommune"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--no-first-run",
]
ARTICLE = ("Erfaringer fra oversvømmelsen\n\nKommunen åbnede et varmested i idrætshallen. \"Sandsække skal ligge "
           "klar i hvert distrikt,\" siger beredskabschefen.\n")


@pytest.fixture(scope="module")
def unit(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[service.Running, Path]]:
    """The unit's command line on a free port, a new (empty) library and a password for editors."""
    work = tmp_path_factory.mktemp("unit")
    secrets = work / "secrets.toml"
    editors.set_password(secrets, PASSWORD, EDITOR)
    port = service.free_port()
    with service.serving(service.unit_command(work / "library", secrets, port), port, work) as running:
        yield running, work / "library"


def test_the_unit_serves_a_new_library_and_its_health_says_the_index_is_loaded(
    unit: tuple[service.Running, Path],
) -> None:
    running, library = unit
    # Nothing answered while the index was built and loaded: the first answer is already a loaded index.
    assert running.first_health["ok"] is True and running.first_health["index_loaded"] is True
    status, health = running.health()
    assert status == 200 and health["articles"] == 2 and health["passages"] == 68, health
    assert str(health["build"]).startswith("build-") and health["library"] == str(library)
    assert isinstance(health["answer_ms"], float) and health["change_pending"] is False
    output = running.output()  # standard output alone
    assert "Nyt bibliotek" in output and "Bygger indekset: der er intet indeks endnu." in output
    assert "Redaktører: log ind med redaktør-adgangskoden" in output
    assert f"/{service.BASE_PATH}/healthz" in output
    assert (library / "articles" / "articles.toml").is_file() and (library / "index" / "current").is_symlink()


def test_the_health_check_follows_a_change_made_beside_the_app(
    unit: tuple[service.Running, Path], tmp_path: Path
) -> None:
    running, library = unit
    note = tmp_path / "notat.txt"
    note.write_text(ARTICLE, encoding="utf-8")
    Library(library / "articles", library / "index").add_files([note], who="driftstest")
    status, health = running.health()
    assert status == 200 and health["articles"] == 3, health
    Library(library / "articles", library / "index").remove("notat.txt", who="driftstest")
    assert running.health()[1]["articles"] == 2


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze mangler (pakken systemd).")
def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    rendered = tmp_path / "erfaringsbanken.service"
    # Pointed at this checkout, whose .venv/bin/python the unit's ExecStart must find.
    rendered.write_text(service.replaced(service.UNIT.read_text(encoding="utf-8"),
                                         {service.CODE_DIR: str(service.ROOT)}), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", str(rendered)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_the_container_s_command_line_serves_a_library_in_its_volume(
    tmp_path: Path, corpus_dir: Path, seed_index_dir: Path
) -> None:
    volume = tmp_path / "volume"
    shutil.copytree(corpus_dir, volume / "articles")
    shutil.copytree(seed_index_dir, volume / "index", symlinks=True)
    port = service.free_port()
    command = service.container_command(volume, tmp_path / "secrets.toml", port)
    assert command.env["ERFARINGSBANKEN_EDITORS"] == "signed-in"
    with service.serving(command, port, tmp_path) as running:
        status, health = running.health()
        assert status == 200 and health["ok"] is True and health["passages"] == 68
        assert "Redaktører: ingen, før log-ind er sat op" in running.output()
        assert "Indekset i" in running.output() and "er opdateret" in running.output()  # the volume's index, used


def test_nginx_accepts_the_documented_site(tmp_path: Path) -> None:
    if not service.NGINX.exists():
        pytest.fail("nginx mangler: kør `make proxy` (installerer Debians nginx).")
    conf = service.nginx_config(tmp_path, service.free_port(), service.free_port(), service.free_port())
    done = service.nginx_test(conf)
    assert done.returncode == 0, done.stderr
    assert "test is successful" in done.stderr


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Chromium mangler: kør `make browser` (installerer chromium).")
def test_behind_the_https_proxy_nobody_edits_without_signing_in_and_an_editor_uploads(
    unit: tuple[service.Running, Path], tmp_path: Path
) -> None:
    from playwright.sync_api import sync_playwright

    running, library = unit
    app_port = int(running.url.split(":")[2].split("/")[0])
    https = service.free_port()
    conf = service.nginx_config(tmp_path, https, service.free_port(), app_port)
    upload = tmp_path / "oversvoemmelse.txt"
    upload.write_text(ARTICLE, encoding="utf-8")
    base = f"https://127.0.0.1:{https}"
    with service.nginx(conf), sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            # A leader: the chat over HTTPS, its websocket through the proxy, under the base path.
            leader = browser.new_context(ignore_https_errors=True, locale="da-DK").new_page()
            leader.goto(base + "/", timeout=30_000)  # nginx sends / to /erfaringsbanken/
            box = leader.wait_for_selector('textarea[data-testid="stChatInputTextArea"]', timeout=60_000)
            assert box is not None and leader.url == f"{base}/{service.BASE_PATH}/"
            box.fill("Hvad sagde de om værnemidler?")
            box.press("Enter")
            leader.wait_for_selector(".eb-card", timeout=60_000)

            # A visitor the proxy forwards (as from 198.51.100.7): the app is bound to 127.0.0.1, yet no
            # upload without the editor password, and a wrong one is counted for that client.
            context = browser.new_context(ignore_https_errors=True, locale="da-DK",
                                          extra_http_headers={"X-Forwarded-For": "198.51.100.7"})
            visitor = context.new_page()
            visitor.goto(f"{base}/{service.BASE_PATH}/Tilføj_artikel", timeout=30_000)
            password = visitor.wait_for_selector('input[type="password"]', timeout=60_000)
            assert password is not None and visitor.query_selector('input[type="file"]') is None
            password.fill("forkert-kode-helt-forkert")
            visitor.get_by_role("button", name="Log ind").click()
            visitor.wait_for_selector("text=Adgangskoden er forkert", timeout=60_000)
            assert "klient 198.51.100.7" in running.output()  # the trusted proxy's forwarded client

            # The editor signs in through the same proxy and uploads: an XSRF-protected POST under the base path.
            time.sleep(editors.FIRST_DELAY_SECONDS + 0.5)
            visitor.fill('input[type="password"]', PASSWORD)
            visitor.get_by_role("button", name="Log ind").click()
            chooser = visitor.wait_for_selector('input[type="file"]', state="attached", timeout=60_000)
            assert chooser is not None
            chooser.set_input_files(str(upload))
            visitor.wait_for_selector("text=oversvoemmelse.txt", timeout=30_000)
            visitor.get_by_role("button", name="Tilføj artiklen").click()
            visitor.wait_for_selector("text=er tilføjet", timeout=120_000)
        finally:
            browser.close()
    log = Library(library / "articles", library / "index").log()
    assert [(c.action, c.file, c.who) for c in log][-1] == ("add", "oversvoemmelse.txt", EDITOR)
    assert f"add oversvoemmelse.txt af {EDITOR}" in running.output()  # the change, in the service's log
    Library(library / "articles", library / "index").remove("oversvoemmelse.txt", who="driftstest")
    assert json.loads(json.dumps(running.health()[1]))["articles"] == 2


_OFFLINE_START = """
ip link set lo up
"$PYTHON" -m ui.serve --library "$LIBRARY" --port "$PORT" > "$LOG" 2>&1 &
server=$!
for _ in $(seq 1 240); do
  if "$PYTHON" -c "import sys, urllib.request; print(urllib.request.urlopen(sys.argv[1], timeout=5).read().decode())" \
       "http://127.0.0.1:$PORT/healthz" 2>/dev/null; then break; fi
  sleep 0.5
done
kill $server
wait $server || true  # it ends on the signal it was sent
"""


def _isolated() -> bool:
    try:
        return subprocess.run(["unshare", "-n", "true"], capture_output=True, timeout=30).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


@pytest.mark.skipif(shutil.which("ip") is None or not _isolated(),
                    reason="unshare -n (et netværk uden forbindelser) kræver root eller brugernavnerum.")
def test_the_first_start_without_a_network_makes_the_library_builds_the_index_and_answers(tmp_path: Path) -> None:
    import os
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith(("ERFARINGSBANKEN_", "HF_", "TRANSFORMERS_"))}
    env |= {"PYTHON": sys.executable, "LIBRARY": str(tmp_path / "library"), "PORT": str(service.free_port()),
            "LOG": str(tmp_path / "serve.log")}
    # A network namespace of its own: only a loopback, no route anywhere, no name server.
    done = subprocess.run(["unshare", "-n", "bash", "-c", _OFFLINE_START], cwd=service.ROOT, env=env,
                          capture_output=True, text=True, timeout=300)
    log = (tmp_path / "serve.log").read_text(encoding="utf-8")
    assert done.returncode == 0 and done.stdout.strip(), done.stderr + log
    health = json.loads(done.stdout.strip().splitlines()[-1])
    assert health["ok"] is True and health["passages"] == 68, health
    assert "Nyt bibliotek" in log and "Bygger indekset: der er intet indeks endnu." in log
