"""Who may change the library: the person at the machine, or a signed-in editor when the app is shared.

Served on a loopback address (`make run`, the default), whoever uses the app sits at the machine and
is its editor. Served beyond it (`make run ADDRESS=0.0.0.0`), reading stays open and every change
needs a signed-in editor:
- with `[auth]` in `.streamlit/secrets.toml`, Streamlit's `st.login` (OpenID Connect: the
  municipality's own identity provider) signs editors in; `[editors] allowed = [...]` may
  restrict which e-mail addresses are editors;
- else with `[editors] password_hash` there (set by `python -m ui.editors set-password`; the plain
  password is never stored), an editor types the password;
- with neither, changing the library is off beyond this machine, and the pages say how to turn
  it on.

`python -m ui.editors set-password [--secrets PATH] [--name NAVN]` asks for the password twice.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import ipaddress
import os
import sys
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import tomli_w
from pydantic import BaseModel

SECRETS_ENV = "ERFARINGSBANKEN_SECRETS"
DEFAULT_SECRETS = Path(".streamlit") / "secrets.toml"
Mode = Literal["local", "oidc", "password", "off"]
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
MIN_PASSWORD = 10

TURN_ON = (
    "Appen er delt med andre end denne maskine, så artikler kan kun tilføjes, rettes og fjernes af en "
    "redaktør, der er logget ind. Det er ikke slået til endnu. En driftsansvarlig slår det til på serveren "
    "på én af to måder: log ind med kommunens eget login (OpenID Connect) ved at udfylde [auth] i "
    ".streamlit/secrets.toml, eller sæt en redaktør-adgangskode med »python -m ui.editors set-password«. "
    "Start så appen igen."
)
SIGN_IN_OIDC = "Log ind som redaktør for at tilføje, rette eller fjerne artikler."
SIGN_IN_PASSWORD = "Skriv redaktør-adgangskoden for at tilføje, rette eller fjerne artikler."
NOT_AN_EDITOR = "Du er logget ind som {who}, men er ikke redaktør. Bed en driftsansvarlig om at give dig adgang."
WRONG_PASSWORD = "Adgangskoden er forkert. Prøv igen."


class EditorAccess(BaseModel):
    """Whether this session may change the library now, and if not, what to tell the user."""

    allowed: bool
    mode: Mode
    who: str | None = None
    message: str | None = None


def is_loopback(address: str | None) -> bool:
    """True when the app listens on this machine only (127.0.0.1, ::1, localhost).

    Args:
        address: Streamlit's `server.address` (None or empty: every interface).

    Returns:
        Whether only the person at the machine can reach the app.
    """
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip()).is_loopback
    except ValueError:
        return False


def secrets_path(environ: Mapping[str, str] | None = None) -> Path:
    """Where the editor settings are read (and `set-password` writes them)."""
    env = os.environ if environ is None else environ
    return Path(env.get(SECRETS_ENV) or DEFAULT_SECRETS)


def read_secrets(path: Path) -> dict[str, object]:
    """The secrets file, or nothing when it is missing or unreadable."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return {}


def _editors(secrets: Mapping[str, object]) -> Mapping[str, object]:
    section = secrets.get("editors")
    return section if isinstance(section, Mapping) else {}


def configured_mode(secrets: Mapping[str, object]) -> Mode:
    """How editors sign in on a shared server: OpenID Connect, a password, or not at all."""
    if isinstance(secrets.get("auth"), Mapping):
        return "oidc"
    if isinstance(_editors(secrets).get("password_hash"), str):
        return "password"
    return "off"


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A salted scrypt hash of the password, as `set-password` stores it."""
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    return "scrypt$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def password_matches(password: str, stored: str) -> bool:
    """Whether a typed password is the one whose hash is stored (compared in constant time)."""
    try:
        kind, salt, digest = stored.split("$")
        expected = base64.b64decode(digest)
        salt_bytes = base64.b64decode(salt)
    except ValueError:
        return False
    if kind != "scrypt":
        return False
    given = hashlib.scrypt(password.encode("utf-8"), salt=salt_bytes, dklen=len(expected), **_SCRYPT)
    return hmac.compare_digest(given, expected)


def decide(
    address: str | None,
    secrets: Mapping[str, object],
    signed_in: str | None = None,
    password_editor: str | None = None,
) -> EditorAccess:
    """Whether this session may change the library.

    Args:
        address: The address the app is served on.
        secrets: The secrets file's contents.
        signed_in: The e-mail (or name) of a user signed in with `st.login`, or None.
        password_editor: The editor name this session typed the right password for, or None.

    Returns:
        The access, with a Danish message when the library cannot be changed yet.
    """
    if is_loopback(address):
        return EditorAccess(allowed=True, mode="local", who=f"lokal bruger ({getpass_user()})")
    mode = configured_mode(secrets)
    if mode == "oidc":
        if signed_in is None:
            return EditorAccess(allowed=False, mode=mode, message=SIGN_IN_OIDC)
        allowed = _editors(secrets).get("allowed")
        if isinstance(allowed, list) and signed_in.lower() not in {str(a).lower() for a in allowed}:
            return EditorAccess(allowed=False, mode=mode, who=signed_in, message=NOT_AN_EDITOR.format(who=signed_in))
        return EditorAccess(allowed=True, mode=mode, who=signed_in)
    if mode == "password":
        if password_editor is None:
            return EditorAccess(allowed=False, mode=mode, message=SIGN_IN_PASSWORD)
        return EditorAccess(allowed=True, mode=mode, who=password_editor)
    return EditorAccess(allowed=False, mode="off", message=TURN_ON)


def editor_name(secrets: Mapping[str, object]) -> str:
    name = _editors(secrets).get("name")
    return name if isinstance(name, str) and name.strip() else "redaktør (adgangskode)"


def check_password(secrets: Mapping[str, object], password: str) -> str | None:
    """The editor's name when the typed password is right, else None."""
    stored = _editors(secrets).get("password_hash")
    if isinstance(stored, str) and password and password_matches(password, stored):
        return editor_name(secrets)
    return None


def getpass_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "ukendt"


def set_password(path: Path, password: str, name: str | None = None) -> None:
    """Store the hash of a new editor password in the secrets file (its other settings kept).

    Raises:
        ValueError: The password is shorter than `MIN_PASSWORD` (Danish message).
    """
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"Adgangskoden skal være mindst {MIN_PASSWORD} tegn.")
    secrets = read_secrets(path)
    editors = dict(_editors(secrets))
    editors["password_hash"] = hash_password(password)
    if name:
        editors["name"] = name
    secrets["editors"] = editors
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(tomli_w.dumps(secrets), encoding="utf-8")
    tmp.chmod(0o600)  # secrets: readable by the server's user only
    tmp.replace(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ui.editors",
        description="Sæt redaktør-adgangskoden, når appen deles med andre end denne maskine "
        "(kun dens hash gemmes i .streamlit/secrets.toml).",
        epilog="Eksempel: python -m ui.editors set-password --name \"Redaktionen, Sorø Kommune\"",
    )
    parser.add_argument("command", choices=["set-password"])
    parser.add_argument("--secrets", type=Path, default=None, help="secrets-filen (standard .streamlit/secrets.toml)")
    parser.add_argument("--name", default=None, help="redaktørens navn i ændringsloggen")
    args = parser.parse_args(argv)
    path = args.secrets or secrets_path()
    if sys.stdin.isatty():
        first = getpass.getpass("Ny redaktør-adgangskode: ")
        second = getpass.getpass("Gentag adgangskoden: ")
    else:  # scripted: two lines on standard input
        first, second = (sys.stdin.readline().rstrip("\n") for _ in range(2))
    if first != second:
        print("Fejl: de to adgangskoder er ikke ens. Intet er gemt.", file=sys.stderr)
        return 2
    try:
        set_password(path, first, args.name)
    except ValueError as error:
        print(f"Fejl: {error} Intet er gemt.", file=sys.stderr)
        return 2
    print(f"Redaktør-adgangskoden er gemt som hash i {path}. Genstart appen, så den bruges.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
