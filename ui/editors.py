"""Who may change the library: decided by the operator's configuration, never by the address served on.

Reading is open to whoever reaches the app. Changing the library follows `ERFARINGSBANKEN_EDITORS`
(`--editors` of `python -m ui.serve`, `EDITORS=` of `make run`):
- `signed-in` (the default): only a signed-in editor may add, edit and remove,
  - with `[auth]` in the secrets file, through Streamlit's `st.login` (OpenID Connect: the
    municipality's own identity provider), and only the users `[editors]` names: `allowed = [...]`
    (e-mail addresses) and/or `group_claim = "groups"` with `groups = [...]` (a claim of the ID
    token naming groups or roles); with neither, nobody who signs in is an editor;
  - else with `[editors] password_hash` (set by `python -m ui.editors set-password`; the plain
    password is never stored), an editor types the password;
  - with neither, the library cannot be changed in the app, and the pages say how to set it up;
- `anyone`: whoever opens the app may change the library: for one person's own machine, said so
  on screen (`make run` on 127.0.0.1 sets it).
Served behind a proxy, on 127.0.0.1 or not, the same rules hold.

`python -m ui.editors set-password [--secrets PATH] [--name NAVN]` asks for the password twice.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hashlib
import hmac
import ipaddress
import logging
import os
import sys
import threading
import time
import tomllib
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Literal

import tomli_w
from pydantic import BaseModel

SECRETS_ENV = "ERFARINGSBANKEN_SECRETS"
DEFAULT_SECRETS = Path(".streamlit") / "secrets.toml"
EDITORS_ENV = "ERFARINGSBANKEN_EDITORS"
Rule = Literal["anyone", "signed-in"]
RULES: tuple[Rule, ...] = ("signed-in", "anyone")
Mode = Literal["anyone", "oidc", "password", "off"]
ANYONE = "alle (EDITORS=anyone)"
# OWASP's Password Storage Cheat Sheet (2023-): scrypt with N = 2^17, r = 8 (1024-byte blocks), p = 1
# (128 MiB and about 0.8 s a check on these machines). Hashes made before carry their own cost.
SCRYPT_COST = {"n": 2**17, "r": 8, "p": 1}
_LEGACY_SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # the cost of a hash stored as 'scrypt$salt$digest'
_MAX_SCRYPT_N = 2**20  # a hash file naming more is refused, not computed
MIN_PASSWORD = 10
# Guessing: each failure doubles the wait before the next try (from the same client, and for the
# account), up to a minute; after MAX_CLIENT_FAILURES from one client, or MAX_ACCOUNT_FAILURES for
# the account from anywhere, sign-in is locked for LOCKOUT_SECONDS. Failures older than that are forgotten.
FIRST_DELAY_SECONDS = 1.0
MAX_DELAY_SECONDS = 60.0
MAX_CLIENT_FAILURES = 10
MAX_ACCOUNT_FAILURES = 20
LOCKOUT_SECONDS = 15 * 60.0
log = logging.getLogger("erfaringsbanken.editors")

TURN_ON = (
    "Artikler kan kun tilføjes, rettes og fjernes af en redaktør, der er logget ind, og log-ind er ikke sat op "
    "endnu. En driftsansvarlig slår det til på serveren på én af to måder: log ind med kommunens eget login "
    "(OpenID Connect) ved at udfylde [auth] og [editors] i .streamlit/secrets.toml, eller sæt en "
    "redaktør-adgangskode med »python -m ui.editors set-password«. Start så appen igen. (Bruger kun én person "
    "appen på sin egen maskine, kan den startes med EDITORS=anyone.)"
)
NO_EDITORS_NAMED = (
    "Du er logget ind som {who}, men ingen er udpeget som redaktør endnu. En driftsansvarlig skriver "
    "redaktørernes e-mailadresser i [editors] allowed, eller en gruppe i [editors] group_claim og groups, i "
    ".streamlit/secrets.toml."
)
SIGN_IN_OIDC = "Log ind som redaktør for at tilføje, rette eller fjerne artikler."
SIGN_IN_PASSWORD = "Skriv redaktør-adgangskoden for at tilføje, rette eller fjerne artikler."
NOT_AN_EDITOR = "Du er logget ind som {who}, men er ikke redaktør. Bed en driftsansvarlig om at give dig adgang."
WRONG_PASSWORD = "Adgangskoden er forkert. Prøv igen."
WAIT = "For mange forkerte forsøg lige efter hinanden. Vent {seconds} sekunder, og prøv igen."
LOCKED = ("Log-ind som redaktør er spærret i {minutes} minutter efter for mange forkerte adgangskoder. Prøv igen "
          "senere, eller bed en driftsansvarlig om hjælp.")


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
    """A salted scrypt hash of the password at OWASP's cost, as `set-password` stores it.

    Returns:
        'scrypt$n=131072,r=8,p=1$<salt>$<digest>' (base64 salt and digest).
    """
    salt = salt or os.urandom(16)
    digest = _scrypt(password, salt, 32, SCRYPT_COST)
    cost = ",".join(f"{key}={value}" for key, value in SCRYPT_COST.items())
    return f"scrypt${cost}$" + base64.b64encode(salt).decode() + "$" + base64.b64encode(digest).decode()


def _scrypt(password: str, salt: bytes, length: int, cost: Mapping[str, int]) -> bytes:
    memory = 128 * cost["r"] * (cost["n"] + cost["p"] + 2)
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=length, maxmem=memory + 2**20, **cost)


def _stored_cost(field: str) -> dict[str, int] | None:
    """The cost a stored hash names ('n=131072,r=8,p=1'), or None when it is not a sane one."""
    try:
        cost = {key: int(value) for key, value in (pair.split("=") for pair in field.split(","))}
    except ValueError:
        return None
    if set(cost) != {"n", "r", "p"} or not (2 <= cost["n"] <= _MAX_SCRYPT_N and 1 <= cost["r"] <= 32
                                              and 1 <= cost["p"] <= 4) or cost["n"] & (cost["n"] - 1):
        return None
    return cost


def password_matches(password: str, stored: str) -> bool:
    """Whether a typed password is the one whose hash is stored (compared in constant time)."""
    parts = stored.split("$")
    if len(parts) == 3:
        kind, salt, digest = parts
        cost: dict[str, int] | None = dict(_LEGACY_SCRYPT)
    elif len(parts) == 4:
        kind, cost_field, salt, digest = parts
        cost = _stored_cost(cost_field)
    else:
        return False
    if kind != "scrypt" or cost is None:
        return False
    try:
        expected = base64.b64decode(digest, validate=True)
        salt_bytes = base64.b64decode(salt, validate=True)
    except ValueError:
        return False
    if not 16 <= len(expected) <= 64:
        return False
    with _SCRYPT_SLOT:  # 128 MiB a check: one at a time, however many try at once
        given = _scrypt(password, salt_bytes, len(expected), cost)
    return hmac.compare_digest(given, expected)


_SCRYPT_SLOT = threading.Lock()


class SignInAttempt(BaseModel):
    """The outcome of one typed password."""

    editor: str | None = None
    message: str | None = None
    checked: bool = False


class _Record(BaseModel):
    failures: int = 0
    last: float = 0.0


class SignInGuard:
    """Slows down and then stops password guessing, per client and per account (thread-safe; one
    per server process, shared by every session).

    Args:
        clock: Seconds, monotonic (tests pass their own to step through the waits).
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._clients: dict[str, _Record] = {}
        self._accounts: dict[str, _Record] = {}

    def clear(self) -> None:
        """Forget every failure (a server restart does the same)."""
        with self._lock:
            self._clients.clear()
            self._accounts.clear()

    def _refusal(self, record: _Record | None, most: int, now: float) -> str | None:
        if record is None or record.failures == 0:
            return None
        if record.failures >= most:
            left = record.last + LOCKOUT_SECONDS - now
            return LOCKED.format(minutes=max(1, round(left / 60))) if left > 0 else None
        wait = min(MAX_DELAY_SECONDS, FIRST_DELAY_SECONDS * 2 ** (record.failures - 1))
        left = record.last + wait - now
        return WAIT.format(seconds=max(1, round(left + 0.49))) if left > 0 else None

    def _fresh(self, table: dict[str, _Record], key: str, now: float) -> _Record:
        record = table.get(key)
        if record is None or now - record.last > LOCKOUT_SECONDS:
            record = table[key] = _Record()
        return record

    def attempt(self, secrets: Mapping[str, object], password: str, client: str | None) -> SignInAttempt:
        """Check a typed password, unless this client or the account must wait or is locked out.

        Args:
            secrets: The secrets file's contents.
            password: What was typed.
            client: The client's address (None: unknown; all unknown clients share one record).

        Returns:
            The editor's name when the password is right; else a Danish message. Each failure and
            each refusal is logged with the client and the account.
        """
        account = editor_name(secrets)
        who = client or "ukendt klient"
        with self._lock:
            now = self._clock()
            client_record = self._fresh(self._clients, who, now)
            account_record = self._fresh(self._accounts, account, now)
            refusal = (self._refusal(account_record, MAX_ACCOUNT_FAILURES, now)
                       or self._refusal(client_record, MAX_CLIENT_FAILURES, now))
            if refusal is None:
                # Counted as a failure before it is checked, so guesses sent at once wait their turn too.
                for record in (client_record, account_record):
                    record.failures += 1
                    record.last = now
            failures = client_record.failures, account_record.failures
        if refusal is not None:
            log.warning("Redaktør-log-ind afvist uden tjek: klient %s, konto %s (%d fejl fra klienten, %d for kontoen)",
                        who, account, *failures)
            return SignInAttempt(message=refusal)
        editor = check_password(secrets, password)
        if editor is not None:
            with self._lock:
                self._clients.pop(who, None)
                self._accounts.pop(account, None)
            return SignInAttempt(editor=editor, checked=True)
        with self._lock:  # the wait runs from the answer, however long the check took
            now = self._clock()
            for record in (client_record, account_record):
                record.last = max(record.last, now)
        log.warning("Forkert redaktør-adgangskode: klient %s, konto %s (%d fejl fra klienten, %d for kontoen)",
                    who, account, *failures)
        if failures[0] >= MAX_CLIENT_FAILURES or failures[1] >= MAX_ACCOUNT_FAILURES:
            log.warning("Redaktør-log-ind spærret i %d minutter: klient %s, konto %s", LOCKOUT_SECONDS // 60, who,
                        account)
        return SignInAttempt(message=WRONG_PASSWORD, checked=True)


SIGN_IN_GUARD = SignInGuard()


def editor_rule(environ: Mapping[str, str] | None = None) -> Rule:
    """The operator's rule: `anyone` only when set so; anything else is `signed-in`."""
    env = os.environ if environ is None else environ
    value = (env.get(EDITORS_ENV) or "").strip().lower()
    return "anyone" if value == "anyone" else "signed-in"


def _names(value: object) -> set[str]:
    if isinstance(value, str):
        return {value.strip().lower()} if value.strip() else set()
    if isinstance(value, list | tuple):
        return {str(v).strip().lower() for v in value if str(v).strip()}
    return set()


def named_editor(secrets: Mapping[str, object], signed_in: str, claims: Mapping[str, object]) -> bool | None:
    """Whether a user signed in with single sign-on is one of the editors `[editors]` names.

    Args:
        secrets: The secrets file's contents.
        signed_in: The user's e-mail (or name).
        claims: The ID token's claims (`st.user`).

    Returns:
        True or False; None when `[editors]` names nobody (neither `allowed` nor a group).
    """
    section = _editors(secrets)
    allowed = _names(section.get("allowed"))
    claim = section.get("group_claim")
    groups = _names(section.get("groups"))
    if not allowed and not (isinstance(claim, str) and groups):
        return None
    if signed_in.strip().lower() in allowed:
        return True
    return isinstance(claim, str) and bool(groups & _names(claims.get(claim)))


def decide(
    rule: Rule,
    secrets: Mapping[str, object],
    signed_in: str | None = None,
    password_editor: str | None = None,
    claims: Mapping[str, object] | None = None,
) -> EditorAccess:
    """Whether this session may change the library.

    Args:
        rule: The operator's rule (`editor_rule`).
        secrets: The secrets file's contents.
        signed_in: The e-mail (or name) of a user signed in with `st.login`, or None.
        password_editor: The editor name this session typed the right password for, or None.
        claims: The signed-in user's ID token claims, for a group claim.

    Returns:
        The access, with a Danish message when the library cannot be changed yet.
    """
    if rule == "anyone":
        return EditorAccess(allowed=True, mode="anyone", who=ANYONE)
    mode = configured_mode(secrets)
    if mode == "oidc":
        if signed_in is None:
            return EditorAccess(allowed=False, mode=mode, message=SIGN_IN_OIDC)
        named = named_editor(secrets, signed_in, claims or {})
        if named is None:
            return EditorAccess(allowed=False, mode=mode, who=signed_in, message=NO_EDITORS_NAMED.format(who=signed_in))
        if not named:
            return EditorAccess(allowed=False, mode=mode, who=signed_in, message=NOT_AN_EDITOR.format(who=signed_in))
        return EditorAccess(allowed=True, mode=mode, who=signed_in)
    if mode == "password":
        if password_editor is None:
            return EditorAccess(allowed=False, mode=mode, message=SIGN_IN_PASSWORD)
        return EditorAccess(allowed=True, mode=mode, who=password_editor)
    return EditorAccess(allowed=False, mode="off", message=TURN_ON)


def describe(rule: Rule, secrets: Mapping[str, object], address: str | None) -> str:
    """What the server says on start about who may change the library (Danish, one paragraph)."""
    if rule == "anyone":
        text = ("Redaktører: ALLE, der kan åbne appen, kan tilføje, rette og fjerne artikler (EDITORS=anyone). "
                "Det er til én persons egen maskine.")
        if not is_loopback(address):
            text += (f" ADVARSEL: appen lytter på {address or 'alle adresser'}, så alle på netværket kan ændre "
                     "biblioteket.")
        return text + " Deles appen, også bag en proxy, så start den med EDITORS=signed-in og et log-ind."
    mode = configured_mode(secrets)
    if mode == "oidc":
        section = _editors(secrets)
        named = ", ".join(sorted(_names(section.get("allowed")))) or "ingen e-mailadresser"
        group = (f"; gruppe {', '.join(sorted(_names(section.get('groups'))))} i kravet {section.get('group_claim')}"
                 if isinstance(section.get("group_claim"), str) and section.get("groups") else "")
        return f"Redaktører: log ind med kommunens login (OpenID Connect); redaktører er {named}{group}."
    if mode == "password":
        return f"Redaktører: log ind med redaktør-adgangskoden (navn i ændringsloggen: {editor_name(secrets)})."
    return ("Redaktører: ingen, før log-ind er sat op (python -m ui.editors set-password, eller [auth] og [editors] "
            "i secrets-filen); alle kan læse.")


def editor_name(secrets: Mapping[str, object]) -> str:
    name = _editors(secrets).get("name")
    return name if isinstance(name, str) and name.strip() else "redaktør (adgangskode)"


def check_password(secrets: Mapping[str, object], password: str) -> str | None:
    """The editor's name when the typed password is right, else None."""
    stored = _editors(secrets).get("password_hash")
    if isinstance(stored, str) and password and password_matches(password, stored):
        return editor_name(secrets)
    return None


def set_password(path: Path, password: str, name: str | None = None) -> None:
    """Store the hash of a new editor password in the secrets file (its other settings kept).

    The file is created readable by the server's user only (0600) before a byte is written, and
    renamed into place whole: it is never readable by others, not for a moment.

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
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{uuid.uuid4().hex[:8]}.tmp")
    # Created 0600 (the umask can only take bits away, never add): never readable by others.
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(tomli_w.dumps(secrets))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


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
