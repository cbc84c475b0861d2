"""Shared bits of the robustness tests: small Danish articles, CLI runs, and a figures printer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = (
    "Beredskab i en lille kommune\n\n"
    "Kommunen åbnede et fælles telefonnummer for ældre borgere under krisen. Det blev hurtigt travlt.\n\n"
    "Samarbejde med lægerne\n\n"
    "Som en sundhedschef udtaler: ”Vi lærte at ringe ud, før borgerne ringede ind. Det gav ro.”\n\n"
    "Værnemidler blev fordelt fra et fælles lager. Hjemmeplejen fik først, derefter plejehjemmene.\n"
)
OFFLINE_ENV = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}


def article(topic: str) -> str:
    """A short Danish article whose wording differs by `topic` (so files are never duplicates)."""
    return ARTICLE.replace("en lille kommune", f"en lille kommune: {topic}").replace(
        "fælles lager", f"fælles lager i {topic}"
    )


def run_module(
    module: str, args: list[str], stdin: str | None = None, timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """Run `python -m <module> ...` from the repository root as a user would, offline."""
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=timeout, env={**os.environ, **OFFLINE_ENV},
    )


def tree_state(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, and where `current` points: to prove nothing changed."""
    state = {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}
    link = folder / "current"
    if link.is_symlink():
        state["current ->"] = os.readlink(link).encode()
    return state


def stop_group(process: subprocess.Popen[bytes], grace_s: float = 20) -> None:
    """Stop a server started with `start_new_session=True` and its children: TERM, then KILL after `grace_s`."""
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=grace_s)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()
