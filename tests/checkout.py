"""A checkout of this working tree in tmp_path, as a municipality would have it after `git clone`.

The files git tracks (and new ones it does not ignore) are copied and committed in a repository
of their own, so `git status --porcelain` starts empty and shows anything a command changes.
Commands run there with this virtualenv's Python and none of the test run's ERFARINGSBANKEN_ settings.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.robust_helpers import ROOT

OFFLINE = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "OMP_NUM_THREADS": "1"}
_GIT_ID = ["-c", "user.name=Test", "-c", "user.email=test@example.invalid", "-c", "commit.gpgsign=false"]


def git(checkout: Path, *args: str) -> str:
    done = subprocess.run(["git", "-C", str(checkout), *_GIT_ID, *args], capture_output=True, text=True,
                          timeout=120, check=True)
    return done.stdout


def clone(target: Path) -> Path:
    """This working tree's files, committed in a new repository at `target`."""
    listed = subprocess.run(["git", "-C", str(ROOT), "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            capture_output=True, timeout=120, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / name)
    git(target, "init", "-q")
    git(target, "add", "-A")
    git(target, "commit", "-q", "-m", "checkout")
    return target


def env(**extra: str) -> dict[str, str]:
    """The environment of a command in the checkout: no ERFARINGSBANKEN_ setting of the test run."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ERFARINGSBANKEN_")}
    return {**clean, **OFFLINE, **extra}


def run(checkout: Path, *args: str, timeout: float = 600, **extra: str) -> subprocess.CompletedProcess[str]:
    """`python ARGS` in the checkout (its own code, this virtualenv)."""
    return subprocess.run([sys.executable, *args], cwd=checkout, env=env(**extra), capture_output=True, text=True,
                          timeout=timeout)
