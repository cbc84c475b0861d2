"""The service as deploy/ describes it, run here: the systemd unit's and the container's own command lines
(podman builds images on these machines but cannot run them), and nginx with the documented site.

The deploy files are read, not copied: each path or port a test must change is replaced where the
file has it, and a replacement that finds nothing fails, so the files and the tests cannot drift apart.
"""

from __future__ import annotations

import json
import os
import shlex
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.robust_helpers import ROOT, stop_group

DEPLOY = ROOT / "deploy"
UNIT = DEPLOY / "erfaringsbanken.service"
CONTAINERFILE = DEPLOY / "Containerfile"
NGINX_SITE = DEPLOY / "nginx.conf"
NGINX = Path("/usr/sbin/nginx")
CODE_DIR = "/opt/erfaringsbanken"
LIBRARY_DIR = "/var/lib/erfaringsbanken"
SECRETS_FILE = "/etc/erfaringsbanken/secrets.toml"
BASE_PATH = "erfaringsbanken"
PORT = "8501"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def replaced(text: str, changes: Mapping[str, str]) -> str:
    """`text` with each key replaced by its value; a key the text does not hold is an error."""
    for old, new in changes.items():
        assert old in text, f"{old!r} står ikke længere i filen: ret testen og deploy-filen sammen"
        text = text.replace(old, new)
    return text


@dataclass
class Command:
    """A command line with its environment, as the unit or the image would start it."""

    argv: list[str]
    env: dict[str, str]
    cwd: Path


def unit_command(library: Path, secrets: Path, port: int) -> Command:
    """ExecStart and Environment= of deploy/erfaringsbanken.service, pointed at this checkout and tmp folders."""
    text = replaced(UNIT.read_text(encoding="utf-8"), {
        CODE_DIR: str(ROOT), LIBRARY_DIR: str(library), SECRETS_FILE: str(secrets), f"--port {PORT}": f"--port {port}",
    })
    env: dict[str, str] = {}
    argv: list[str] = []
    for line in text.splitlines():
        key, _, value = line.partition("=")
        if key == "Environment":
            env.update(pair.split("=", 1) for pair in shlex.split(value))
        elif key == "ExecStart":
            argv = shlex.split(value)
    assert argv, "ExecStart mangler i unit-filen"
    return Command(argv, env, ROOT)


def container_command(library: Path, secrets: Path, port: int) -> Command:
    """CMD, ENV and WORKDIR of deploy/Containerfile, pointed at this checkout and tmp folders."""
    text = replaced(CONTAINERFILE.read_text(encoding="utf-8"), {
        LIBRARY_DIR: str(library), SECRETS_FILE: str(secrets), f'"--port", "{PORT}"': f'"--port", "{port}"',
    })
    joined = text.replace("\\\n", " ")
    env: dict[str, str] = {}
    argv: list[str] = []
    for line in joined.splitlines():
        if line.startswith("ENV "):
            env.update(pair.split("=", 1) for pair in shlex.split(line[4:]))
        elif line.startswith("CMD "):
            argv = json.loads(line[4:])
    assert argv and argv[0] == ".venv/bin/python", argv
    return Command([str(ROOT / argv[0]), *argv[1:]], env, ROOT)


@dataclass
class Running:
    """A server started from a command line: its URL, the first /healthz answer, its output files."""

    url: str
    first_health: dict[str, object]
    stdout: Path
    stderr: Path

    def health(self) -> tuple[int, dict[str, object]]:
        return get_json(self.url + "healthz")

    def output(self) -> str:
        return self.stdout.read_text(encoding="utf-8", errors="replace")


def get_json(url: str) -> tuple[int, dict[str, object]]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


@contextmanager
def serving(command: Command, port: int, logs: Path, timeout: float = 300, base: str = BASE_PATH) -> Iterator[Running]:
    """Start the command, wait until /healthz answers (nothing answers while the index loads), stop it after."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ERFARINGSBANKEN_")}
    env.update(command.env)
    stdout, stderr = logs / "stdout.log", logs / "stderr.log"
    with stdout.open("w") as out, stderr.open("w") as err:
        process = subprocess.Popen(command.argv, cwd=command.cwd, env=env, stdout=out, stderr=err,
                                   start_new_session=True)
        url = f"http://127.0.0.1:{port}/{base}/" if base else f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + timeout
            while True:
                assert process.poll() is None, stderr.read_text() + stdout.read_text()
                try:
                    status, first = get_json(url + "healthz")
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert time.monotonic() < deadline, "tjenesten svarede ikke: " + stdout.read_text()[-2000:]
                    time.sleep(0.5)
            assert status in (200, 503)
            yield Running(url, first, stdout, stderr)
        finally:
            stop_group(process, grace_s=30)


def self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and its key (the `cryptography` the virtualenv has)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "erfaringsbanken.test")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(minutes=5))
            .not_valid_after(now + timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                           critical=False)
            .sign(key, hashes.SHA256()))
    cert_path, key_path = folder / "fullchain.pem", folder / "privkey.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_path, key_path


def nginx_config(folder: Path, https_port: int, http_port: int, app_port: int) -> Path:
    """deploy/nginx.conf as a whole nginx configuration in `folder`: its own ports, certificate and
    temporary folders, the app on `app_port`. Returns the main configuration file."""
    cert, key = self_signed(folder)
    site = replaced(NGINX_SITE.read_text(encoding="utf-8"), {
        "listen 443 ssl http2;": f"listen 127.0.0.1:{https_port} ssl http2;",
        "listen [::]:443 ssl http2;": "",  # no IPv6 needed (nor always there) for a test on 127.0.0.1
        "listen 80;": f"listen 127.0.0.1:{http_port};",
        "listen [::]:80;": "",
        f"server 127.0.0.1:{PORT};": f"server 127.0.0.1:{app_port};",
        "/etc/ssl/erfaringsbanken/fullchain.pem": str(cert),
        "/etc/ssl/erfaringsbanken/privkey.pem": str(key),
    })
    (folder / "site.conf").write_text(site, encoding="utf-8")
    temp = "\n".join(f"    {kind}_temp_path {folder / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi",
                                                                              "scgi"))
    # As root, nginx's workers would become `nobody`, who may not enter pytest's private tmp folders.
    user = "user root;\n" if os.geteuid() == 0 else ""
    main = (f"{user}worker_processes 1;\npid {folder / 'nginx.pid'};\nerror_log {folder / 'error.log'};\n"
            f"events {{ worker_connections 256; }}\nhttp {{\n    access_log {folder / 'access.log'};\n{temp}\n"
            f"    include {folder / 'site.conf'};\n}}\n")
    conf = folder / "nginx.conf"
    conf.write_text(main, encoding="utf-8")
    return conf


def nginx_test(conf: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(NGINX), "-t", "-p", str(conf.parent), "-c", str(conf)], capture_output=True, text=True,
                          timeout=60)


@contextmanager
def nginx(conf: Path) -> Iterator[None]:
    """nginx in the foreground with `conf`, stopped after."""
    process = subprocess.Popen([str(NGINX), "-p", str(conf.parent), "-c", str(conf), "-g", "daemon off;"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        time.sleep(0.5)
        assert process.poll() is None, (process.stdout.read().decode() if process.stdout else "")
        yield
    finally:
        stop_group(process, grace_s=15)
