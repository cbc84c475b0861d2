"""Kill a library change at every step: `python -m tests.crash_driver TEMPLATE WORK SPEC`.

A fresh interpreter imports the library once, then for N = 1, 2, ... copies the TEMPLATE library
(corpus/ and index/) to WORK/N and forks a child that runs the change with
ERFARINGSBANKEN_CRASH_AT_STEP=N: the child SIGKILLs itself at its N-th step (no clean-up, no
`finally`), as a power cut or the OOM killer would. The driver stops at the first N the change
runs through. One JSON line per run on stdout: {"n", "killed", "step", "exit"}.

SPEC is JSON: {"cli": [argv of `python -m ingest` without --corpus/--index-dir]},
{"replace": [article, new file name, path of its bytes]} (the app's replace), or
{"library": [argv of `python -m library` without --library]} or {"open": []} (what every command
and the app's start do first: `ensure_library`, then `Library.recover`). With these two TEMPLATE
is a library folder (library.json, articles/, index/); the child's stdout.txt and stderr.txt are
written beside them.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
from pathlib import Path

from library import Library, ensure_library, resolve_paths
from library.__main__ import main as library_main
from library.cli import main as ingest_main
from library.transaction import CRASH_ENV


def _run(spec: dict[str, list[str]], corpus: Path, index_dir: Path) -> int:
    if "open" in spec:
        paths = resolve_paths(corpus.parent)
        ensure_library(paths)
        Library(paths.corpus_dir, paths.index_dir).recover()
        return 0
    if "library" in spec:
        return library_main([*spec["library"], "--library", str(corpus.parent)])
    if "cli" in spec:
        return ingest_main([*spec["cli"], "--corpus", str(corpus), "--index-dir", str(index_dir), "--quiet"])
    article, name, path = spec["replace"]
    Library(corpus, index_dir).replace(article, name, Path(path).read_bytes(), who="redaktør")
    return 0


def main() -> int:
    template, work, spec = Path(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    for n in range(1, 500):
        folder = work / str(n)
        shutil.copytree(template, folder, symlinks=True)
        child = os.fork()
        if child == 0:
            os.environ[CRASH_ENV] = str(n)
            err = os.open(folder / "stderr.txt", os.O_WRONLY | os.O_CREAT, 0o644)
            out = os.open(folder / "stdout.txt", os.O_WRONLY | os.O_CREAT, 0o644)
            os.dup2(err, 2)
            os.dup2(out, 1)
            try:
                code = _run(spec, folder / "corpus", folder / "index")
            except BaseException as error:  # a refusal is an outcome too; the test reads stderr
                print(f"{type(error).__name__}: {error}", file=sys.stderr)
                code = 3
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)
        _, status = os.waitpid(child, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        stderr = (folder / "stderr.txt").read_text(encoding="utf-8", errors="replace")
        step = next((line for line in stderr.splitlines() if line.startswith(f"[{CRASH_ENV}]")), None)
        exit_code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else -1
        print(json.dumps({"n": n, "killed": killed, "step": step, "exit": exit_code}), flush=True)
        if not killed:
            return 0
    return 1


if __name__ == "__main__":
    sys.exit(main())
